"""The search interface, run on every backend available (embedded always; postgres on PostgreSQL)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from digitalfront.library import indexing
from digitalfront.library.models import Document, Synonym
from digitalfront.library.search import engine
from digitalfront.library.search.analysis import QueryError, parse
from digitalfront.library.search.base import Filters
from digitalfront.library.services.documents import DocumentMeta, add_version, delete_document, update_meta

pytestmark = pytest.mark.django_db


def labels(text: str, **kw: Any) -> list[str]:
    return [h.citation for h in engine.search(text, **kw).hits]


def first(text: str, **kw: Any) -> str:
    hits = labels(text, **kw)
    assert hits, f"không có kết quả cho {text!r}"
    return hits[0]


@pytest.mark.parametrize("query", ["hồ sơ đăng ký thường trú", "ho so dang ky thuong tru", "HỒ SƠ ĐĂNG KÝ THƯỜNG TRÚ",
                                   "ho so dang ki thuong tru"])
def test_with_or_without_diacritics(library: Any, query: str) -> None:
    assert first(query).startswith("Điều 3. Hồ sơ đăng ký thường trú")


def test_nfd_query_is_normalised(library: Any) -> None:
    import unicodedata

    assert first(unicodedata.normalize("NFD", "hồ sơ đăng ký thường trú")).startswith("Điều 3.")


def test_d_and_dj_match(library: Any) -> None:
    assert first("dang ky thuong tru").startswith("Điều 3.")
    assert first("đang ky thuong tru").startswith("Điều 3.")


def test_abbreviation_expands(library: Any) -> None:
    assert first("trách nhiệm UBND cấp xã").startswith("Điều 4. Trách nhiệm của Ủy ban nhân dân cấp xã")
    assert first("trach nhiem ubnd").startswith("Điều 4.")


def test_synonym_list_is_editable(library: Any) -> None:
    assert not labels("TCCDX")  # an abbreviation nobody wrote down yet
    Synonym.objects.create(term="TCCDX", expansions="thẻ căn cước công dân")
    engine.forget_synonyms()
    assert first("tccdx").startswith("Điều 1. Phạm vi điều chỉnh")


def test_quoted_phrase(library: Any) -> None:
    hits = labels('"thời hạn giải quyết"')
    assert hits[0].startswith("Điều 5. Thời hạn giải quyết")


def test_citation_points_at_the_article_and_clause(library: Any) -> None:
    hit = engine.search("giấy tờ chứng minh chỗ ở hợp pháp").hits[0]
    assert hit.article is not None and hit.article.number == "3"
    assert hit.passage.clause == "2"
    assert hit.document == library["law"]


def test_snippet_highlights_matches_with_and_without_marks(library: Any) -> None:
    for q in ("khai sinh", "khai sinh"):
        hit = engine.search(q).hits[0]
        assert "<mark>" in hit.snippet
    snippet = engine.search("dang ky khai sinh").hits[0].snippet
    assert "<mark>khai</mark>" in snippet.lower() or "<mark>khai sinh</mark>" in snippet.lower()


def test_snippet_escapes_html(library: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        add_version(actor=None, document=library["guide"], text="Lưu ý <script>alert(1)</script> khai sinh")
    snippet = engine.search("lưu ý khai sinh").hits[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_repealed_documents_are_marked(library: Any) -> None:
    hit = engine.search("sổ hộ khẩu").hits[0]
    assert hit.document == library["old"] and hit.repealed
    assert not engine.search("hồ sơ đăng ký thường trú").hits[0].repealed


def test_facets_and_filters(library: Any) -> None:
    page = engine.search("đăng ký")
    groups = {value: n for value, _, n in page.facets["group"]}
    assert groups["thu-vien-phap-luat"] >= 1 and groups["dich-vu-cong"] >= 1
    assert {v for v, _, _ in page.facets["kind"]} >= {"law", "guide"}
    assert ("2024", "2024", 1) in [(v, lab, n) for v, lab, n in page.facets["year"] if v == "2024"] or \
        any(v == "2024" for v, _, _ in page.facets["year"])
    only_guides = engine.search("đăng ký", filters=Filters(group="dich-vu-cong"))
    assert only_guides.hits and all(h.document.group.slug == "dich-vu-cong" for h in only_guides.hits)
    repealed = engine.search("sổ hộ khẩu đăng ký", filters=Filters(status="repealed"))
    assert [h.document for h in repealed.hits] == [library["old"]] * len(repealed.hits)
    assert not engine.search("đăng ký", filters=Filters(year=1990)).hits
    assert engine.search("đăng ký", filters=Filters(issuing_body="Quốc hội")).hits


def test_pagination(library: Any) -> None:
    everything = engine.search("đăng ký cư trú hộ khẩu khai sinh", per_page=100)
    assert everything.total >= 4
    page1 = engine.search("đăng ký cư trú hộ khẩu khai sinh", per_page=2)
    page2 = engine.search("đăng ký cư trú hộ khẩu khai sinh", per_page=2, page=2)
    assert page1.pages == (everything.total + 1) // 2
    assert not {h.citation for h in page1.hits} & {h.citation for h in page2.hits}


@pytest.mark.parametrize("bad", ["", "   ", "x" * 5000, "thường\x00trú", "\ufffd\ufffd"])
def test_bad_queries_get_a_vietnamese_message(library: Any, bad: str) -> None:
    with pytest.raises(QueryError) as info:
        engine.search(bad)
    assert info.value.status == 400
    assert any(word in info.value.message for word in ("Hãy nhập", "quá dài", "không hợp lệ"))


def test_queries_with_fts_syntax_are_plain_text(library: Any) -> None:
    for q in ('"', 'NEAR(a b)', "thường trú OR", "a:b", "*", "(((", "AND", "hồ sơ' OR 1=1 --", "ký tự ; DROP"):
        engine.search(q)  # no error from the backend's query language


def test_index_follows_versions_status_and_deletion(library: Any, django_capture_on_commit_callbacks: Any) -> None:
    law: Document = library["law"]
    with django_capture_on_commit_callbacks(execute=True):
        add_version(actor=None, document=law, text="Điều 1. Quy định mới\nNội dung về chứng thực bản sao.\n"
                                                   "Điều 2. Hiệu lực\nLuật có hiệu lực ngay.")
    assert first("chứng thực bản sao").startswith("Điều 1. Quy định mới")
    assert not [c for c in labels("hồ sơ đăng ký thường trú") if "Luật Thử nghiệm" in c and "Điều 3" in c]
    meta = DocumentMeta(title=law.title, kind=law.kind, status="repealed")
    with django_capture_on_commit_callbacks(execute=True):
        update_meta(actor=None, document=law, meta=meta)
    assert engine.search("chứng thực bản sao").hits[0].repealed
    with django_capture_on_commit_callbacks(execute=True):
        delete_document(actor=None, document=law)
    assert not [h for h in engine.search("chứng thực bản sao").hits if h.document.pk == law.pk]


def test_unpublished_documents_are_not_found(library: Any, django_capture_on_commit_callbacks: Any) -> None:
    guide: Document = library["guide"]
    with django_capture_on_commit_callbacks(execute=True):
        update_meta(actor=None, document=guide, meta=DocumentMeta(title=guide.title, kind=guide.kind, published=False))
    assert not [c for c in labels("khai sinh") if "khai sinh" in c.lower()]


def test_rebuild_gives_the_same_results(library: Any) -> None:
    before = labels("ủy ban nhân dân cư trú")
    indexing.get_backend().clear()
    assert not labels("ủy ban nhân dân cư trú")
    indexing.rebuild()
    assert labels("ủy ban nhân dân cư trú") == before


def test_suggestions_as_you_type(library: Any) -> None:
    assert any(s.startswith("Điều 3. Hồ sơ") for s in engine.suggest("hồ s"))
    assert any(s.startswith("Điều 3. Hồ sơ") for s in engine.suggest("ho so dang")), engine.suggest("ho so dang")
    assert engine.suggest("") == [] and engine.suggest("x" * 500) == []


def test_semantic_signal_only_for_marked_queries(library: Any) -> None:
    n = indexing.embed_missing()
    assert n >= 8  # the law's and the decree's articles, the guide's passages
    marked = engine.search("nơi nộp hồ sơ khai sinh cho trẻ")
    assert marked.semantic and marked.hits
    assert not engine.search("noi nop ho so khai sinh").semantic


def test_parse_drops_question_frames_and_expands() -> None:
    q = parse("UBND có trách nhiệm gì, đúng hay sai?", {"ubnd": ["uy ban nhan dan"]})
    assert "sai" not in q.terms and "ubnd" in q.terms
    assert "uy ban nhan dan" in q.expansions
    assert q.marked
    assert not parse("ubnd co trach nhiem gi").marked


def test_segments_are_merged_and_deleted_rows_dropped(settings: Any,
                                                      django_capture_on_commit_callbacks: Any) -> None:
    # segments are the embedded backend's own storage, so this test is about that backend alone
    from digitalfront.library.search.postings import MAX_SEGMENTS
    from digitalfront.library.tests.conftest import make_library

    settings.LIBRARY_SEARCH_BACKEND = "embedded"
    indexing.reset_backend()
    engine.forget_synonyms()
    library = make_library(django_capture_on_commit_callbacks)

    before = labels("hồ sơ đăng ký thường trú")
    backend_ = indexing.get_backend()
    for _ in range(MAX_SEGMENTS + 1):  # each re-index appends a segment and marks the old rows deleted
        indexing.index_documents([library["law"].pk])
    postings = backend_.postings  # type: ignore[attr-defined]
    assert len(postings.segment_ids()) <= MAX_SEGMENTS
    # deleted rows still count in the frequencies until a merge: the best hit is the same
    assert labels("hồ sơ đăng ký thường trú")[0] == before[0]
    with backend_._transaction():  # type: ignore[attr-defined]
        postings.optimize()
    assert len(postings.segment_ids()) == 1
    assert labels("hồ sơ đăng ký thường trú") == before
    state = postings.state()
    ids = postings.db.execute("SELECT ids FROM segments").fetchall()
    import numpy as np

    live = set(np.flatnonzero(state.alive).tolist())
    assert all(set(np.frombuffer(blob, dtype=np.uint32).tolist()) <= live for (blob,) in ids)


def test_a_failed_index_write_keeps_the_document_and_queues_a_retry(
        library: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from digitalfront.library import tasks
    from digitalfront.library.services import documents

    queued: list[Any] = []
    monkeypatch.setattr(tasks, "index_documents", SimpleNamespace(enqueue=lambda **kw: queued.append(kw)))

    def broken(ids: Any, **_: Any) -> int:
        raise OSError("đĩa đầy")

    monkeypatch.setattr(indexing, "index_documents", broken)
    with django_capture_on_commit_callbacks(execute=True):
        version = documents.add_version(actor=None, document=library["guide"], text="Bước 1. Nộp tờ khai mới")
    assert version.pk and queued == [{"document_ids": [library["guide"].pk]}]


def test_the_embedded_index_follows_its_database(tmp_path: Any) -> None:
    from digitalfront.library.search.base import IndexRow
    from digitalfront.library.search.embedded import EmbeddedBackend

    row = IndexRow(passage_id=1, document_id=1, article_id=None, heading="Bước 1", body="nộp tờ khai", title="",
                   group="g", kind="guide", status="in_force", issuing_body="", year=None)
    first = EmbeddedBackend(tmp_path / "i.sqlite3", database="sqlite:/a.sqlite3")
    first.add([row])
    assert EmbeddedBackend(tmp_path / "i.sqlite3", database="sqlite:/a.sqlite3").count() == 1
    # opened for another database, the index does not answer with rows that are not there
    assert EmbeddedBackend(tmp_path / "i.sqlite3", database="sqlite:/b.sqlite3").count() == 0
