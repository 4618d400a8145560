"""The public library pages: home, search (diacritics, abbreviations, facets, badges, paging, bad input),
one group, one document (anchors that citations link to, table of contents, versions, files), the
suggestions, and that an unpublished document never shows."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from digitalfront.library import selectors
from digitalfront.library.models import Attachment, Document, Group, Kind
from digitalfront.library.services.documents import DocumentMeta, add_version, create_document

pytestmark = pytest.mark.django_db

HOME = "/thu-vien/"
SEARCH = "/thu-vien/tim-kiem/"
SUGGEST = "/thu-vien/goi-y/"
_HIT = re.compile(r'<h2 class="lib-hit-title"><a href="([^"]+)">([^<]+)</a>')
_FACET = re.compile(r'<a href="(\?[^"]+)"[^>]*>([^<]+?)(?: <span aria-hidden="true">✕</span>)?</a>'
                    r' <span class="count">(\d+)</span>')


def hits(response: Any) -> list[tuple[str, str]]:
    """(link, citation) of each result on a search page, in order."""
    assert response.status_code == 200, response.content.decode()[:500]
    return [(html.unescape(href), html.unescape(text)) for href, text in _HIT.findall(response.content.decode())]


def facet_links(response: Any) -> dict[str, tuple[str, int]]:
    """Facet label -> (link, count)."""
    return {html.unescape(label): (html.unescape(url), int(n))
            for url, label, n in _FACET.findall(response.content.decode())}


def doc_url(doc: Document) -> str:
    return f"/thu-vien/van-ban/{doc.slug}/"


def add_guides(capture: Any, n: int, *, word: str = "lệ phí trước bạ", published: bool = True) -> list[Document]:
    services = Group.objects.get(slug="dich-vu-cong")
    with capture(execute=True):
        return [create_document(actor=None, group=services, text=f"Nộp {word} lần {i}\nHồ sơ {word} số {i} nộp tại "
                                f"bộ phận một cửa.", meta=DocumentMeta(title=f"Hướng dẫn {word} {i}",
                                                                          kind=Kind.GUIDE, published=published))
                for i in range(n)]


# Search -------------------------------------------------------------------------------------------


def test_search_finds_the_article_with_or_without_diacritics(client: Client, library: dict[str, Document]) -> None:
    article = (f"{doc_url(library['law'])}#dieu-3", "Điều 3. Hồ sơ đăng ký thường trú – Luật Thử nghiệm về cư trú")
    plain = hits(client.get(SEARCH, {"q": "dang ky thuong tru"}))
    assert article in plain[:3]
    for query in ("đăng ký thường trú", "ĐĂNG KÝ THƯỜNG TRÚ", "  Đăng  ký thường trú "):
        assert hits(client.get(SEARCH, {"q": query})) == plain, query


def test_d_and_dj_are_the_same_letter(client: Client, library: dict[str, Document]) -> None:
    old = library["old"]
    for query in ("doi so ho khau", "đổi sổ hộ khẩu", "Đổi sổ"):
        assert hits(client.get(SEARCH, {"q": query}))[0][0] == f"{doc_url(old)}#dieu-2", query


def test_an_abbreviation_finds_the_full_words_highlighted(client: Client, library: dict[str, Document]) -> None:
    response = client.get(SEARCH, {"q": "UBND"})
    links = [link for link, _ in hits(response)]
    assert f"{doc_url(library['law'])}#dieu-4" in links
    # the guide has no articles: its result points at the passage
    assert any(link.startswith(f"{doc_url(library['guide'])}#doan-") for link in links)
    # the snippet is the engine's safe HTML: marks are tags, not escaped text
    body = response.content.decode()
    assert "<mark>Ủy</mark> <mark>ban</mark> <mark>nhân</mark> <mark>dân</mark>" in body
    assert "&lt;mark&gt;" not in body


def test_the_query_is_escaped_on_the_page(client: Client, library: dict[str, Document]) -> None:
    body = client.get(SEARCH, {"q": '<script>alert("x")</script> cư trú'}).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body


def test_facets_filter_and_keep_the_other_parameters(client: Client, library: dict[str, Document]) -> None:
    response = client.get(SEARCH, {"q": "dang ky thuong tru ho khau"})
    every = hits(response)
    facets = facet_links(response)
    assert {"Luật", "Nghị định", "Hướng dẫn thủ tục", "Hết hiệu lực", "Còn hiệu lực", "Quốc hội", "2024",
            "Thư viện pháp luật", "Dịch vụ công"} <= set(facets)
    url, count = facets["Nghị định"]
    assert "q=dang+ky+thuong+tru+ho+khau" in url and "loai=decree" in url
    narrowed = client.get(SEARCH + url)
    found = hits(narrowed)
    assert len(found) == count == 2 < len(every)
    assert all(link.startswith(doc_url(library["old"])) for link, _ in found)
    # the active filter is shown, and its link removes it but keeps the query
    assert "Loại văn bản: Nghị định" in narrowed.content.decode()
    remove, _ = facet_links(narrowed)["Nghị định"]
    assert "loai=" not in remove and "q=dang+ky+thuong+tru+ho+khau" in remove
    assert hits(client.get(SEARCH + remove)) == every
    # two filters at once, by parameter
    both = hits(client.get(SEARCH, {"q": "dang ky thuong tru ho khau", "nhom": "thu-vien-phap-luat", "nam": "2024"}))
    assert both and all(link.startswith(doc_url(library["law"])) for link, _ in both)


def test_a_repealed_document_is_marked_in_the_results(client: Client, library: dict[str, Document]) -> None:
    body = client.get(SEARCH, {"q": "so ho khau, dang ky thuong tru"}).content.decode()
    items = re.findall(r'<li class="card lib-hit( lib-hit-repealed)?">(.*?)</li>', body, re.S)
    by_doc = {("old" if doc_url(library["old"]) in item else "law"): bool(flag) for flag, item in items}
    assert by_doc == {"old": True, "law": False}
    for flag, item in items:
        assert ("Hết hiệu lực" in item) == bool(flag)


def test_results_are_paged_by_ten(client: Client, library: dict[str, Document],
                                  django_capture_on_commit_callbacks: Any) -> None:
    add_guides(django_capture_on_commit_callbacks, 12)
    first = client.get(SEARCH, {"q": "le phi truoc ba"})
    page1 = hits(first)
    assert len(page1) == 10
    assert 'href="?q=le+phi+truoc+ba&amp;trang=2" rel="next"' in first.content.decode()
    page2 = hits(client.get(SEARCH, {"q": "le phi truoc ba", "trang": "2"}))
    assert 2 <= len(page2) <= 10 and not set(page1) & set(page2)
    # past the end: the last page, with a word about it
    late = client.get(SEARCH, {"q": "le phi truoc ba", "trang": "9" * 40})
    assert hits(late) == page2 and "trang cuối" in late.content.decode()
    for bad in ("-1", "0", "abc", "２"):
        response = client.get(SEARCH, {"q": "le phi truoc ba", "trang": bad})
        assert hits(response) == page1 and "Số trang không hợp lệ" in response.content.decode(), bad


@pytest.mark.parametrize(("params", "notice"), [
    ({"nam": "abc"}, "Năm ban hành phải là một năm"),
    ({"nam": "99999999999999999999"}, "Năm ban hành phải là một năm"),
    ({"loai": "sach"}, "Loại văn bản đã chọn không hợp lệ"),
    ({"tinh-trang": "x"}, "Tình trạng hiệu lực đã chọn không hợp lệ"),
    ({"nhom": "khong-co"}, "Nhóm tài liệu đã chọn không tồn tại"),
    ({"co-quan": "Q" * 500}, "Cơ quan ban hành đã chọn không hợp lệ"),
])
def test_invalid_filters_are_dropped_with_a_notice(client: Client, library: dict[str, Document], params: dict[str, str],
                                                   notice: str) -> None:
    response = client.get(SEARCH, {"q": "dang ky thuong tru", **params})
    assert notice in response.content.decode()
    assert hits(response) == hits(client.get(SEARCH, {"q": "dang ky thuong tru"}))


def test_an_empty_query_shows_the_form_and_a_hint(client: Client, library: dict[str, Document]) -> None:
    for params in ({}, {"q": "   "}, {"q": "", "loai": "law"}):
        response = client.get(SEARCH, params)
        body = response.content.decode()
        assert response.status_code == 200 and 'name="q"' in body and "Nhập từ khoá" in body
        assert 'role="alert"' not in body and not hits(response)


@pytest.mark.parametrize(("query", "message"), [
    ("thường trú " * 120, "Câu tìm kiếm quá dài (tối đa 1000 ký tự)."),
    ("cư trú\x01", "Câu tìm kiếm chứa ký tự không hợp lệ"),
])
def test_a_bad_query_is_a_400_with_the_engines_message(client: Client, library: dict[str, Document], query: str,
                                                      message: str) -> None:
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'role="alert"' in body and 'name="q"' in body


def test_every_citation_points_at_an_anchor_of_its_document(client: Client, library: dict[str, Document]) -> None:
    pages: dict[str, str] = {}
    found = hits(client.get(SEARCH, {"q": "dang ky thuong tru"})) + hits(client.get(SEARCH, {"q": "UBND"}))
    assert len(found) > 5
    for link in {link for link, _ in found}:
        path, anchor = link.split("#")
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200
            pages[path] = response.content.decode()
        assert f'id="{anchor}"' in pages[path], link


# Documents and groups -----------------------------------------------------------------------------


def test_the_document_page_has_metadata_contents_and_article_anchors(client: Client,
                                                                      library: dict[str, Document]) -> None:
    law = library["law"]
    body = client.get(doc_url(law)).content.decode()
    for text in ("Luật Thử nghiệm về cư trú", "01/2024/QH15", "Quốc hội", "01/06/2024", "01/01/2025", "Còn hiệu lực",
                 "Toàn quốc", "Thư viện pháp luật", "Mục lục", "Tờ khai thay đổi thông tin cư trú."):
        assert text in body, text
    for n in range(1, 6):
        assert body.count(f'id="dieu-{n}"') == 1 and f'href="#dieu-{n}"' in body
    assert 'id="dieu-3-khoan-2"' in body
    # the contents nest the articles in their chapters, in order
    toc = body[body.index('id="lib-toc-title"'):body.index('id="lib-text-title"')]
    chapter1, chapter2 = toc.index("Chương I: NHỮNG QUY ĐỊNH CHUNG"), toc.index("Chương II: ĐĂNG KÝ THƯỜNG TRÚ")
    order = [chapter1, toc.index("#dieu-1"), toc.index("#dieu-2"), chapter2, toc.index("#dieu-3"), toc.index("#dieu-5")]
    assert order == sorted(order)
    assert re.search(r'#dieu-2">[^<]*</a>\s*</li>\s*</ol>\s*</li>\s*<li><a href="#chapter-ii"', toc)


def test_the_repealed_decree_and_the_guide(client: Client, library: dict[str, Document]) -> None:
    old = client.get(doc_url(library["old"])).content.decode()
    assert "lib-status-repealed" in old and "hết hiệu lực" in old and "10/2010/NĐ-CP" in old
    guide = client.get(doc_url(library["guide"])).content.decode()
    assert "Bước 2. Nộp hồ sơ" in guide and 'id="doan-1"' in guide and "Lệ phí" in guide
    assert 'id="dieu-' not in guide


def test_versions_and_attachments_are_listed(client: Client, library: dict[str, Document], settings: Any, tmp_path: Any,
                                             django_capture_on_commit_callbacks: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    law = library["law"]
    from .conftest import LAW_TEXT

    with django_capture_on_commit_callbacks(execute=True):
        add_version(actor=None, document=law, text=LAW_TEXT.replace("07 ngày", "05 ngày"), note="Rút ngắn thời hạn")
    Attachment.objects.create(document=law, file=ContentFile(b"%PDF-1.4", name="luat.pdf"), name="Luật gốc.pdf",
                                     content_type="application/pdf", size=8, sha256="0" * 64)
    body = client.get(doc_url(law)).content.decode()
    assert "Rút ngắn thời hạn" in body and "05 ngày" in body and "07 ngày" not in body
    assert re.search(r"<th scope=\"row\">2 <span class=\"badge\">hiện hành</span></th>", body)
    assert '<th scope="row">1</th>' in body
    # the link is the public download (media files are not served as such)
    link = re.search(r'<a class="list-main" href="([^"]+)" download>\s*<span class="list-title">Luật gốc.pdf<', body)
    assert link is not None
    download = client.get(html.unescape(link.group(1)))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"
    assert "Luật gốc.pdf" in download["Content-Disposition"] or "Lu%E1%BA%ADt" in download["Content-Disposition"]


def test_unknown_pages_are_404(client: Client, db: Any) -> None:
    assert client.get("/thu-vien/nhom/khong-co/").status_code == 404
    assert client.get("/thu-vien/van-ban/khong-co/").status_code == 404


def test_an_unpublished_document_never_shows(client: Client, library: dict[str, Document],
                                             django_capture_on_commit_callbacks: Any) -> None:
    (hidden,) = add_guides(django_capture_on_commit_callbacks, 1, word="nuôi ong mật", published=False)
    (shown,) = add_guides(django_capture_on_commit_callbacks, 1, word="nuôi ong lấy mật")
    assert client.get(doc_url(hidden)).status_code == 404
    found = hits(client.get(SEARCH, {"q": "nuoi ong mat"}))
    assert found and all(link.startswith(doc_url(shown)) for link, _ in found)
    for page in (HOME, "/thu-vien/nhom/dich-vu-cong/"):
        body = client.get(page).content.decode()
        assert doc_url(hidden) not in body and doc_url(shown) in body
    assert "2 tài liệu" in client.get(HOME).content.decode()  # the guide and the shown one, not the hidden


def test_home_lists_groups_with_counts_and_the_latest(client: Client, library: dict[str, Document]) -> None:
    body = client.get(HOME).content.decode()
    assert 'href="/thu-vien/nhom/thu-vien-phap-luat/"' in body and 'href="/thu-vien/nhom/dich-vu-cong/"' in body
    assert re.search(r"Thư viện pháp luật</a></h3>.*?2 tài liệu", body, re.S)
    assert re.search(r"Dịch vụ công</a></h3>.*?1 tài liệu", body, re.S)
    for doc in library.values():
        assert doc_url(doc) in body
    assert 'action="/thu-vien/tim-kiem/"' in body and 'data-suggest-url="/thu-vien/goi-y/"' in body


def test_a_group_lists_its_documents_filtered_and_paged(client: Client, library: dict[str, Document],
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    url = "/thu-vien/nhom/thu-vien-phap-luat/"
    body = client.get(url).content.decode()
    assert doc_url(library["law"]) in body and doc_url(library["old"]) in body and doc_url(library["guide"]) not in body
    only_decrees = client.get(url, {"loai": "decree"}).content.decode()
    assert doc_url(library["old"]) in only_decrees and doc_url(library["law"]) not in only_decrees
    in_force = client.get(url, {"tinh-trang": "in_force"}).content.decode()
    assert doc_url(library["law"]) in in_force and doc_url(library["old"]) not in in_force
    wrong = client.get(url, {"loai": "guide", "tinh-trang": "??"}).content.decode()
    assert "không có trong nhóm này" in wrong and "Tình trạng hiệu lực đã chọn không hợp lệ" in wrong
    assert doc_url(library["law"]) in wrong
    monkeypatch.setattr(selectors, "GROUP_PAGE_SIZE", 1)
    first = client.get(url).content.decode()
    assert 'href="?trang=2" rel="next"' in first
    second = client.get(url, {"trang": "2"}).content.decode()
    assert doc_url(library["law"]) in first and doc_url(library["old"]) in second  # by title
    # the links to other pages keep the filters, and only the valid ones
    add_guides(django_capture_on_commit_callbacks, 2)
    guides = client.get("/thu-vien/nhom/dich-vu-cong/", {"loai": "guide", "tinh-trang": "?"}).content.decode()
    assert 'href="?loai=guide&amp;trang=2" rel="next"' in guides


def test_list_pages_do_not_query_per_row(client: Client, library: dict[str, Document],
                                         django_capture_on_commit_callbacks: Any,
                                         django_assert_max_num_queries: Any) -> None:
    pages = [HOME, "/thu-vien/nhom/dich-vu-cong/", f"{SEARCH}?q=le+phi+truoc+ba", doc_url(library["law"])]
    counts = {}
    for page in pages:
        with django_assert_max_num_queries(20) as captured:
            client.get(page)
        counts[page] = len(captured.captured_queries)
    add_guides(django_capture_on_commit_callbacks, 6)
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            client.get(page)


# Suggestions --------------------------------------------------------------------------------------


def test_suggestions_as_json(client: Client, library: dict[str, Document]) -> None:
    response = client.get(SUGGEST, {"q": "so ho"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "Điều 1. Sổ hộ khẩu" in response.json()["suggestions"]
    assert "Điều 3. Hồ sơ đăng ký thường trú" in client.get(SUGGEST, {"q": "Hồ sơ"}).json()["suggestions"]
    for bad in ("", "   ", "a\x00b", "x" * 5000, "\ufffd"):
        response = client.get(SUGGEST, {"q": bad})
        assert response.status_code == 200 and response.json() == {"suggestions": []}, repr(bad)
    assert client.get(SUGGEST).json() == {"suggestions": []}


def test_suggestions_fold_dj(client: Client, library: dict[str, Document]) -> None:
    for prefix in ("dang ky", "đăng ký", "Đăng k"):
        assert "Điều 3. Hồ sơ đăng ký thường trú" in client.get(SUGGEST, {"q": prefix}).json()["suggestions"], prefix


def test_suggestions_never_show_an_unpublished_document(client: Client, library: dict[str, Document],
                                                       django_capture_on_commit_callbacks: Any) -> None:
    add_guides(django_capture_on_commit_callbacks, 1, word="nuôi ong mật", published=False)
    assert not any("ong" in s.lower() for s in client.get(SUGGEST, {"q": "nuoi ong"}).json()["suggestions"])

