"""What the library gives the assistant (``selectors.evidence``, ``named_articles``, ``term_weights``,
``closeness``), on each search backend."""

from __future__ import annotations

import datetime
from typing import Any

from digitalfront.library import selectors
from digitalfront.library.models import Document, Group, Kind, Passage, Section
from digitalfront.library.services.documents import DocumentMeta, create_document


def test_evidence_is_whole_articles_with_links(library: dict[str, Document]) -> None:
    found = selectors.evidence("hồ sơ đăng ký thường trú", limit=3)
    first = found[0]
    article = Section.objects.get(pk=int(first.key.split(":")[1]))
    assert first.label == "Điều 3. Hồ sơ đăng ký thường trú"
    assert first.document_title == "Luật Thử nghiệm về cư trú"
    assert first.url == f"/thu-vien/van-ban/{library['law'].slug}/#dieu-3"
    # the whole article, both clauses, not one passage
    assert "Tờ khai thay đổi thông tin cư trú" in first.text and "chỗ ở hợp pháp" in first.text
    assert first.text == article.text
    guide = selectors.evidence("giấy chứng sinh khai sinh", limit=1)[0]
    assert guide.key.startswith("passage:") and guide.document_title == "Đăng ký khai sinh"


def test_unpublished_documents_give_no_evidence(library: dict[str, Document]) -> None:
    Document.objects.filter(pk=library["law"].pk).update(published=False)
    assert all(e.document_title != "Luật Thử nghiệm về cư trú"
               for e in selectors.evidence("hồ sơ đăng ký thường trú", limit=5))
    assert selectors.named_articles("Điều 3 Luật Thử nghiệm về cư trú quy định gì?") == []


def test_named_articles(library: dict[str, Document], django_capture_on_commit_callbacks: Any) -> None:
    named = selectors.named_articles("Theo khoản 2 Điều 5 luật thử nghiệm về cư trú, thời hạn là bao lâu?")
    assert [e.label for e in named] == ["Điều 5. Thời hạn giải quyết"]
    # it comes first even when the words of the question point elsewhere
    found = selectors.evidence("Điều 5 Luật Thử nghiệm về cư trú: hồ sơ đăng ký thường trú", limit=3)
    assert found[0].label == "Điều 5. Thời hạn giải quyết"
    assert len({e.key for e in found}) == len(found)
    # a document named by an abbreviation of the synonym list
    with django_capture_on_commit_callbacks(execute=True):
        create_document(actor=None, group=Group.objects.get(slug="thu-vien-phap-luat"),
                        text="BỘ LUẬT DÂN SỰ\nĐiều 20. Người thành niên\nNgười từ đủ mười tám tuổi trở lên.\n"
                             "Điều 21. Người chưa thành niên\nNgười chưa đủ mười tám tuổi.\n",
                        meta=DocumentMeta(title="Bộ luật dân sự", kind=Kind.CODE,
                                          issued_on=datetime.date(2015, 11, 24)))
    assert [e.label for e in selectors.named_articles("Điều 21 BLDS nói gì?")] == ["Điều 21. Người chưa thành niên"]
    assert selectors.named_articles("Điều 99 Luật Thử nghiệm về cư trú") == []
    assert selectors.named_articles("hồ sơ đăng ký thường trú") == []


def test_term_weights(library: dict[str, Document]) -> None:
    weights = selectors.term_weights(["tru", "khai", "xyzzy"])
    # a word the library never uses weighs the most; a frequent one the least
    assert weights["xyzzy"] > weights["khai"] > 0
    assert weights["xyzzy"] > weights["tru"]
    total = Passage.objects.count()
    assert selectors.term_weights(["xyzzy"])["xyzzy"] > 0 and total > 0


def test_closeness_needs_marks_and_vectors(library: dict[str, Document]) -> None:
    keys = [e.key for e in selectors.evidence("hồ sơ đăng ký thường trú", limit=2)]
    assert selectors.closeness("ho so dang ky thuong tru", keys) == {}
    close = selectors.closeness("hồ sơ đăng ký thường trú", keys)
    # the test library's vectors are computed on commit when the model is there; either way no error
    assert all(-1.0 <= v <= 1.0 for v in close.values())
