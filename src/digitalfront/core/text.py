"""Vietnamese text normalisation.

Text arrives in NFC or NFD from different keyboards: everything stored is NFC. Search compares a
*folded* form: lower case, no diacritics, and ``đ`` written as ``d`` (U+0111 does not decompose, so
stripping combining marks alone leaves it in place).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """The NFC form of ``text`` with runs of whitespace collapsed and the ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case ``text`` without diacritics: ``"Đường Hà Nội"`` -> ``"duong ha noi"``."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """An ASCII identifier for ``text``: ``"Thôn Đông"`` -> ``"thon_dong"``."""
    return _SLUG_DROP.sub("_", fold(text)).strip("_")


_BAD_CHARS = re.compile("[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_bad_chars(text: str) -> bool:
    """True when ``text`` carries the replacement character (bytes that were not valid UTF-8, i.e. the
    wrong encoding) or control characters other than tab and line breaks."""
    return bool(_BAD_CHARS.search(text))
