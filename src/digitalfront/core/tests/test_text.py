import unicodedata

import pytest

from digitalfront.core.text import fold, nfc, slug


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hà Nội", "ha noi"),
        ("Đường Lâm", "duong lam"),
        ("ĐƯỜNG", "duong"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("  Ước   mơ ", "uoc mo"),
    ],
)
def test_fold_removes_marks_and_d_bar(text, folded):
    assert fold(text) == folded


def test_nfd_input_is_stored_as_nfc():
    decomposed = unicodedata.normalize("NFD", "Phường Ba Đình")
    assert decomposed != "Phường Ba Đình"
    assert nfc(decomposed) == "Phường Ba Đình"
    assert fold(decomposed) == "phuong ba dinh"


def test_slug():
    assert slug("Thôn Đông 2") == "thon_dong_2"
