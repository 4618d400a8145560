"""The library API: public search and reading, the staff endpoints' permission matrix, uploads in every
accepted format, and bad input (a Vietnamese message, the right status, and nothing written)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfWriter

from digitalfront.accounts.models import UnitRole
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import MATRIX, make_user
from digitalfront.library.models import Attachment, Document, Group, Kind, Passage, Status, Version
from digitalfront.library.services.documents import DocumentMeta, create_document

from .test_ingest import docx_bytes, pdf_bytes

LOCAL_TEXT = """Hướng dẫn đăng ký tạm trú tại phường Ba Đình
1. Hồ sơ cần chuẩn bị
Tờ khai thay đổi thông tin cư trú và giấy tờ chứng minh chỗ ở hợp pháp như hợp đồng thuê nhà.
2. Nơi nộp
Công an phường Ba Đình, số 8 phố Đội Cấn, hoặc trực tuyến trên Cổng Dịch vụ công quốc gia.
"""

NEW_TEXT = """Hướng dẫn đăng ký tạm trú tại phường Ba Đình (sửa đổi)
1. Hồ sơ cần chuẩn bị
Tờ khai thay đổi thông tin cư trú; hợp đồng thuê nhà có công chứng hoặc xác nhận của chủ nhà.
2. Thời hạn giải quyết
Ba ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
"""

# who may change a document managed by commune C11 (data entry there; unit administrators of the province
# above; not the province's viewers and approvers; superusers)
EDIT = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 404, "above_editor": 200,
        "admin": 200}
WHO = (*MATRIX, "above_editor")


@pytest.fixture
def lw(world: Any, library: dict[str, Document], django_capture_on_commit_callbacks: Any) -> Any:
    """The matrix world, a unit administrator of the province above C11, the test library (national
    documents) and a published guide managed by C11."""
    world.users["above_editor"] = make_user("quantri.hanoi", roles=[(world.p1, "unit_admin")])
    with django_capture_on_commit_callbacks(execute=True):
        local = create_document(actor=None, group=Group.objects.get(slug="dich-vu-cong"), owner=world.c11,
                                text=LOCAL_TEXT, meta=DocumentMeta(title="Đăng ký tạm trú tại phường Ba Đình",
                                                                   kind=Kind.GUIDE))
    world.docs = {**library, "local": local}
    return world


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body if isinstance(body, str) else json.dumps(body), content_type="application/json")


def patch_json(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, body if isinstance(body, str) else json.dumps(body), content_type="application/json")


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def rows() -> tuple[int, int, int]:
    return Document.objects.count(), Version.objects.count(), Attachment.objects.count()


# --- reading ----------------------------------------------------------------------------------------------


def test_search_answers_articles_with_citation_snippet_and_facets(lw: Any) -> None:
    data = Client().get("/api/v1/library/search", {"q": "hồ sơ đăng ký thường trú"}).json()
    top = data["hits"][0]
    assert top["citation"] == "Điều 3. Hồ sơ đăng ký thường trú – Luật Thử nghiệm về cư trú"
    assert top["document"]["slug"] == lw.docs["law"].slug and top["article"]["number"] == "3"
    assert top["document"]["repealed"] is False
    assert any("<mark>thường</mark> <mark>trú</mark>" in h["snippet"] for h in data["hits"])
    assert data["total"] >= 1 and data["page"] == 1 and data["pages"] >= 1
    groups = {f["value"]: f["count"] for f in data["facets"]["group"]}
    assert groups.get("thu-vien-phap-luat", 0) >= 1
    assert {f["label"] for f in data["facets"]["kind"]} >= {"Luật"}


def test_search_filters_and_marks_repealed_documents(lw: Any) -> None:
    data = Client().get("/api/v1/library/search", {"q": "sổ hộ khẩu", "status": "repealed"}).json()
    assert data["hits"] and all(h["document"]["repealed"] for h in data["hits"])
    assert all(h["document"]["slug"] == lw.docs["old"].slug for h in data["hits"])
    empty = Client().get("/api/v1/library/search", {"q": "sổ hộ khẩu", "group": "dich-vu-cong", "year": "2010"})
    assert empty.status_code == 200 and empty.json()["hits"] == []


def test_search_bad_queries_are_vietnamese_errors(lw: Any) -> None:
    empty = Client().get("/api/v1/library/search", {"q": "   "})
    assert empty.status_code == 400 and empty.json()["detail"] == "Hãy nhập nội dung cần tìm."
    paged = Client().get("/api/v1/library/search", {"q": "cư trú", "per_page": "500"})
    assert paged.status_code == 422 and paged.json()["field"] == "per_page"
    long = Client().get("/api/v1/library/search", {"q": "cư trú " * 200})
    assert long.status_code == 400 and long.json()["detail"] == "Câu tìm kiếm quá dài (tối đa 1000 ký tự)."


def test_unpublished_documents_are_never_found_by_the_public(lw: Any, django_capture_on_commit_callbacks: Any) -> None:
    doc = lw.docs["local"]
    with django_capture_on_commit_callbacks(execute=True):
        Document.objects.filter(pk=doc.pk).update(published=False)
    hits = Client().get("/api/v1/library/search", {"q": "tạm trú phường Ba Đình"}).json()["hits"]
    assert doc.slug not in {h["document"]["slug"] for h in hits}
    assert Client().get(f"/api/v1/library/documents/{doc.slug}").status_code == 404
    listed = Client().get("/api/v1/library/documents", {"group": "dich-vu-cong"}).json()["items"]
    assert doc.slug not in {d["slug"] for d in listed}


def test_suggest_and_groups(lw: Any) -> None:
    suggestions = Client().get("/api/v1/library/suggest", {"q": "Hồ sơ"}).json()["suggestions"]
    assert any("Hồ sơ đăng ký thường trú" in s for s in suggestions)
    assert Client().get("/api/v1/library/suggest", {"q": ""}).json() == {"suggestions": []}
    groups = {g["slug"]: g["documents"] for g in Client().get("/api/v1/library/groups").json()}
    assert groups == {"dich-vu-cong": 2, "thu-vien-phap-luat": 2}


def test_document_list_pages_filters_and_query_count(lw: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(4):
        data = Client().get("/api/v1/library/documents", {"group": "thu-vien-phap-luat"}).json()
    assert [d["slug"] for d in data["items"]] == [lw.docs["law"].slug, lw.docs["old"].slug]
    assert data["count"] == 2 and data["pages"] == 1
    repealed = Client().get("/api/v1/library/documents", {"status": "repealed"}).json()
    assert [d["status_label"] for d in repealed["items"]] == ["Hết hiệu lực"]
    bad = Client().get("/api/v1/library/documents", {"kind": "novel"})
    assert bad.status_code == 400 and bad.json()["detail"] == "Loại văn bản không hợp lệ: novel."
    unknown = Client().get("/api/v1/library/documents", {"group": "khong-co"})
    assert unknown.status_code == 400 and unknown.json()["field"] == "group"


def test_document_detail_has_articles_with_clauses_and_guide_parts(lw: Any,
                                                                     django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(6):
        law = Client().get(f"/api/v1/library/documents/{lw.docs['law'].slug}").json()
    article = next(a for a in law["articles"] if a["number"] == "3")
    assert article["label"] == "Điều 3. Hồ sơ đăng ký thường trú"
    assert article["divisions"] == ["Chương II: ĐĂNG KÝ THƯỜNG TRÚ"]
    assert [c["number"] for c in article["clauses"]] == ["1", "2"]
    assert article["clauses"][0]["text"].startswith("Tờ khai thay đổi thông tin cư trú")
    assert law["versions"][0]["number"] == 1 and law["issued_on"] == "2024-06-01" and law["owner"] is None
    guide = Client().get(f"/api/v1/library/documents/{lw.docs['local'].slug}").json()
    assert guide["articles"] == [] and guide["owner"] == "Phường Ba Đình"
    assert [p["heading"] for p in guide["parts"]][-1] == "2. Nơi nộp"
    assert Client().get("/api/v1/library/documents/khong-co").status_code == 404


# --- the permission matrix of the staff endpoints -------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_change_status_matrix(lw: Any, client_for: Any, who: str) -> None:
    doc = lw.docs["local"]
    response = patch_json(client_for(who), f"/api/v1/library/documents/{doc.slug}", {"status": "repealed"})
    assert response.status_code == EDIT[who]
    changed = Document.objects.get(pk=doc.pk).status == Status.REPEALED
    assert changed == (EDIT[who] == 200)
    if response.status_code == 404:  # the same answer as for a document that does not exist
        missing = patch_json(client_for(who), "/api/v1/library/documents/khong-co", {"status": "repealed"})
        assert response.json() == missing.json()


@pytest.mark.parametrize("who", WHO)
def test_new_version_matrix(lw: Any, client_for: Any, who: str) -> None:
    doc = lw.docs["local"]
    response = post_json(client_for(who), f"/api/v1/library/documents/{doc.slug}/versions", {"text": NEW_TEXT})
    assert response.status_code == {200: 201}.get(EDIT[who], EDIT[who])
    assert Version.objects.filter(document=doc).count() == (2 if EDIT[who] == 200 else 1)


@pytest.mark.parametrize("who", WHO)
def test_delete_matrix(lw: Any, client_for: Any, who: str) -> None:
    doc = lw.docs["local"]
    response = client_for(who).delete(f"/api/v1/library/documents/{doc.slug}")
    assert response.status_code == {200: 204}.get(EDIT[who], EDIT[who])
    assert Document.objects.filter(pk=doc.pk).exists() == (EDIT[who] != 200)


@pytest.mark.parametrize("who", WHO)
def test_create_in_a_unit_matrix(lw: Any, client_for: Any, who: str) -> None:
    before = rows()
    response = post_json(client_for(who), "/api/v1/library/documents", {
        "group": "dich-vu-cong", "owner": lw.c11.pk, "title": "Đăng ký xe máy tại phường Ba Đình", "text": LOCAL_TEXT})
    assert response.status_code == {200: 201}.get(EDIT[who], EDIT[who])
    if response.status_code == 201:
        doc = Document.objects.get(slug=response.json()["slug"])
        assert doc.owner == lw.c11 and doc.kind == Kind.GUIDE and rows() == (before[0] + 1, before[1] + 1, before[2])
        assert AuditEvent.objects.filter(action="library.document.create", object_id=str(doc.pk)).exists()
    else:
        assert rows() == before


@pytest.mark.parametrize("who", WHO)
def test_national_documents_are_for_superusers_only(lw: Any, client_for: Any, who: str) -> None:
    law = lw.docs["law"]
    response = patch_json(client_for(who), f"/api/v1/library/documents/{law.slug}", {"status": "amended"})
    expected = {"anonymous": 401, "admin": 200}.get(who, 404)
    assert response.status_code == expected
    assert (Document.objects.get(pk=law.pk).status == Status.AMENDED) == (expected == 200)


def test_unpublished_documents_are_read_by_their_editors_only(lw: Any, client_for: Any) -> None:
    doc = lw.docs["local"]
    assert patch_json(client_for("here"), f"/api/v1/library/documents/{doc.slug}",
                      {"published": False}).json()["published"] is False
    url = f"/api/v1/library/documents/{doc.slug}"
    assert client_for("here").get(url).status_code == 200
    assert client_for("elsewhere").get(url).status_code == 404 and Client().get(url).status_code == 404


def test_owner_is_required_when_the_user_manages_several_units(lw: Any, client_for: Any) -> None:
    UnitRole.objects.create(user=lw.users["here"], unit=lw.c12, role="data_entry")
    body = {"group": "dich-vu-cong", "title": "Đăng ký xe máy", "text": LOCAL_TEXT}
    response = post_json(client_for("here"), "/api/v1/library/documents", body)
    assert response.status_code == 400 and response.json() == {
        "detail": "Hãy chọn đơn vị quản lý tài liệu.", "field": "owner", "code": "invalid"}
    national = post_json(client_for("admin"), "/api/v1/library/documents", body)
    assert national.status_code == 201 and national.json()["owner"] is None


# --- uploads -----------------------------------------------------------------------------------------------

HTML = ("<html><head><title>Hướng dẫn cấp thẻ căn cước</title></head><body><h1>Cấp thẻ căn cước</h1>"
        "<h2>1. Nơi làm thủ tục</h2><p>Công an cấp xã nơi cư trú hoặc Công an cấp tỉnh.</p></body></html>")
TXT = "Hướng dẫn đổi giấy phép lái xe\n1. Hồ sơ\nĐơn đề nghị đổi giấy phép lái xe theo mẫu, bản sao giấy phép cũ.\n"
PDF_LINES = ["Hướng dẫn trợ cấp xã hội hằng tháng", "1. Hồ sơ", "Tờ khai đề nghị trợ giúp xã hội theo mẫu."]


@pytest.mark.parametrize(("name", "data", "fmt", "title"), [
    ("gplx.txt", TXT.encode(), "text/plain", "Hướng dẫn đổi giấy phép lái xe"),
    ("can-cuoc.html", HTML.encode(), "text/html", "Hướng dẫn cấp thẻ căn cước"),
    ("khai-sinh.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "Thủ tục đăng ký khai sinh"),
    ("tro-cap.pdf", pdf_bytes([PDF_LINES]), "application/pdf", "Hướng dẫn trợ cấp xã hội hằng tháng"),
])
def test_upload_a_file_with_metadata(lw: Any, client_for: Any, django_capture_on_commit_callbacks: Any,
                                     name: str, data: bytes, fmt: str, title: str) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("here").post("/api/v1/library/documents", {
            "file": upload(name, data), "group": "dich-vu-cong", "issuing_body": "Công an phường Ba Đình",
            "issued_on": "2025-07-01", "effective_on": "2025-07-15"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == title and body["owner"] == "Phường Ba Đình" and body["kind"] == "guide"
    assert body["effective_on"] == "2025-07-15" and body["parts"]
    attachment = Attachment.objects.get(document__slug=body["slug"])
    assert attachment.content_type == fmt and attachment.size == len(data)
    downloaded: Any = Client().get(body["attachments"][0]["url"])
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == data
    hits = Client().get("/api/v1/library/search", {"q": title}).json()["hits"]
    assert hits[0]["document"]["slug"] == body["slug"]


def test_a_new_version_from_a_file_replaces_the_text_and_keeps_the_old_one(
        lw: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    doc = lw.docs["local"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("above_editor").post(f"/api/v1/library/documents/{doc.slug}/versions", {
            "file": upload("ban-moi.txt", NEW_TEXT.encode()), "note": "Sửa thời hạn"})
    assert response.status_code == 201
    body = response.json()
    assert [v["number"] for v in body["versions"]] == [2, 1] and body["versions"][0]["note"] == "Sửa thời hạn"
    assert body["parts"][-1]["heading"] == "2. Thời hạn giải quyết" and len(body["attachments"]) == 1
    assert Version.objects.get(document=doc, number=1).text == LOCAL_TEXT
    hits = Client().get("/api/v1/library/search", {"q": "ba ngày làm việc"}).json()["hits"]
    assert hits and hits[0]["document"]["slug"] == doc.slug
    gone = Client().get("/api/v1/library/search", {"q": "Đội Cấn"}).json()["hits"]
    assert not [h for h in gone if h["document"]["slug"] == doc.slug and "Đội" in h["snippet"]]


def test_delete_removes_the_document_from_search(lw: Any, client_for: Any,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    doc = lw.docs["local"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("here").delete(f"/api/v1/library/documents/{doc.slug}").status_code == 204
    hits = Client().get("/api/v1/library/search", {"q": "tạm trú phường Ba Đình"}).json()["hits"]
    assert doc.slug not in {h["document"]["slug"] for h in hits}
    assert not Passage.objects.filter(document_id=doc.pk).exists()


# --- bad input: the message, the status, and nothing written --------------------------------------------


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="mat-khau", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(("body", "status", "field", "message"), [
    ({"file": ("trong.txt", b"   \n")}, 400, "file", "Tệp trong.txt không có nội dung văn bản."),
    ({"file": ("anh.pdf", PNG)}, 400, "file", "Tệp anh.pdf không phải PDF, DOCX, HTML hay văn bản thuần: nội dung "
     "là ảnh PNG. Hãy tải lên tệp PDF, DOCX (Word), HTML hoặc TXT."),
    ({"file": ("mat-khau.pdf", "ENCRYPTED")}, 400, "file",
     "Tệp PDF được đặt mật khẩu (mã hóa): hãy gỡ mật khẩu rồi tải lên lại."),
    ({"file": ("lon.txt", b"a" * 3000)}, 413, "file", "Tệp lon.txt quá lớn (0.0 MB): giới hạn là 0.00190735 MB."),
    ({"file": ("ok.txt", LOCAL_TEXT.encode()), "status": "abolished"}, 400, "status",
     "Tình trạng hiệu lực không hợp lệ: abolished."),
    ({"file": ("ok.txt", LOCAL_TEXT.encode()), "issued_on": "2025-07-01", "effective_on": "2025-06-30"}, 400,
     "effective_on", "Ngày có hiệu lực không thể trước ngày ban hành."),
    ({"file": ("ok.txt", LOCAL_TEXT.encode()), "issued_on": "01/07/2025"}, 422, "issued_on",
     "Giá trị của issued_on không hợp lệ."),
    ({"file": ("ok.txt", LOCAL_TEXT.encode()), "group": "khong-co"}, 400, "group",
     "Không có nhóm tài liệu mã khong-co."),
    ({"group": "dich-vu-cong", "title": "Không có gì"}, 400, "file",
     "Hãy gửi tệp tài liệu (PDF, DOCX, HTML, TXT) hoặc toàn văn."),
])
def test_bad_uploads_change_nothing(lw: Any, client_for: Any, settings: Any, body: dict[str, Any], status: int,
                                    field: str, message: str) -> None:
    settings.LIBRARY_MAX_UPLOAD_BYTES = 2000
    data = {"group": "dich-vu-cong", **body}
    if "file" in data:
        name, content = data["file"]
        data["file"] = upload(name, encrypted_pdf() if content == "ENCRYPTED" else content)
    before, events = rows(), AuditEvent.objects.count()
    response = client_for("here").post("/api/v1/library/documents", data)
    assert response.status_code == status
    assert response.json()["detail"] == message and response.json()["field"] == field
    assert rows() == before and AuditEvent.objects.count() == events


@pytest.mark.parametrize(("body", "status", "message"), [
    ("{không phải json", 422, "Nội dung gửi lên không phải JSON hợp lệ."),
    ("[1, 2]", 422, "Nội dung gửi lên phải là một đối tượng JSON."),
    ({"group": "dich-vu-cong", "title": "X", "text": LOCAL_TEXT, "bogus": 1}, 422,
     "Trường không được hỗ trợ: bogus."),
    ({"group": "dich-vu-cong", "title": "", "text": LOCAL_TEXT}, 400, "Tài liệu cần có tên."),
    ({"group": "dich-vu-cong", "title": "X", "text": LOCAL_TEXT, "status": "abolished"}, 400,
     "Tình trạng hiệu lực không hợp lệ: abolished."),
    ({"group": "dich-vu-cong", "title": "X", "text": LOCAL_TEXT, "issued_on": "2025-07-01",
      "effective_on": "2025-01-01"}, 400, "Ngày có hiệu lực không thể trước ngày ban hành."),
    ({"group": "dich-vu-cong", "title": "X", "text": "\n \n"}, 400,
     "Hãy gửi tệp tài liệu (PDF, DOCX, HTML, TXT) hoặc toàn văn."),
])
def test_bad_json_changes_nothing(lw: Any, client_for: Any, body: Any, status: int, message: str) -> None:
    before = rows()
    response = post_json(client_for("here"), "/api/v1/library/documents", body)
    assert response.status_code == status and response.json()["detail"] == message
    assert rows() == before


def test_other_content_types_are_415(lw: Any, client_for: Any) -> None:
    response = client_for("here").post("/api/v1/library/documents", "group=dich-vu-cong", content_type="text/plain")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    assert "multipart/form-data" in response.json()["detail"]


def test_oversized_json_body_is_413(lw: Any, client_for: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = rows()
    response = post_json(client_for("here"), "/api/v1/library/documents",
                         {"group": "dich-vu-cong", "title": "X", "text": LOCAL_TEXT * 10})
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert response.json()["detail"].startswith("Nội dung gửi lên quá lớn")
    assert rows() == before


def test_bad_versions_and_patches_change_nothing(lw: Any, client_for: Any) -> None:
    doc = lw.docs["local"]
    client = client_for("here")
    url = f"/api/v1/library/documents/{doc.slug}"
    before = rows()
    encrypted = client.post(f"{url}/versions", {"file": upload("moi.pdf", encrypted_pdf())})
    assert encrypted.status_code == 400 and encrypted.json()["code"] == "encrypted"
    empty = post_json(client, f"{url}/versions", {"text": "  "})
    assert empty.status_code == 400 and empty.json()["detail"] == "Hãy gửi tệp hoặc toàn văn của phiên bản mới."
    status = patch_json(client, url, {"status": "abolished"})
    assert status.status_code == 400 and status.json()["detail"] == "Tình trạng hiệu lực không hợp lệ: abolished."
    dates = patch_json(client, url, {"issued_on": "2025-07-01", "effective_on": "2025-01-01"})
    assert dates.status_code == 400 and dates.json()["field"] == "effective_on"
    malformed = patch_json(client, url, "{")
    assert malformed.status_code == 422 and malformed.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."
    fresh = Document.objects.get(pk=doc.pk)
    assert rows() == before and fresh.version == 1 and fresh.status == Status.IN_FORCE and fresh.issued_on is None
    assert Passage.objects.filter(document=doc, text__contains="Đội Cấn").exists()
