"""The library's staff pages: the permission matrix (forbidden is 404), uploading, versions, status,
deletion, bad input shown with the API's Vietnamese messages and nothing written, the national lists
(groups, synonyms: superusers only) and the admin."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from digitalfront.core.models import AuditEvent
from digitalfront.library.models import Attachment, Document, Group, Status, Synonym, Version

from . import test_api
from .test_api import LOCAL_TEXT, NEW_TEXT, PNG, WHO, encrypted_pdf, rows

lw = test_api.lw  # the matrix world with a document managed by commune C11 (a fixture)

# a document managed by commune C11: who may open its pages (anonymous users are sent to sign in)
PAGE = {"anonymous": 302, "citizen": 404, "elsewhere": 404, "here": 200, "above": 404, "above_editor": 200,
        "admin": 200}
BASE = "/thu-vien/quan-ly/"


def upload(name: str, data: bytes) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def meta_post(document: Document, **changes: Any) -> dict[str, Any]:
    data = {"meta-title": document.title, "meta-kind": document.kind, "meta-status": document.status,
            "meta-published": "on" if document.published else ""}
    data.update({f"meta-{k}": v for k, v in changes.items()})
    return data


@pytest.mark.parametrize("who", WHO)
def test_document_list_matrix(lw: Any, client_for: Any, who: str) -> None:
    response = client_for(who).get(BASE)
    expected = {"anonymous": 302, "citizen": 404, "above": 404}.get(who, 200)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/dang-nhap/")
    if expected == 200:
        slugs = {d.slug for d in response.context["page"].object_list}
        assert (lw.docs["local"].slug in slugs) == (who in ("here", "above_editor", "admin"))
        assert (lw.docs["law"].slug in slugs) == (who == "admin")


@pytest.mark.parametrize("who", WHO)
def test_document_page_matrix(lw: Any, client_for: Any, who: str) -> None:
    assert client_for(who).get(f"{BASE}tai-lieu/{lw.docs['local'].slug}/").status_code == PAGE[who]
    national = client_for(who).get(f"{BASE}tai-lieu/{lw.docs['law'].slug}/")
    assert national.status_code == {"anonymous": 302, "admin": 200}.get(who, 404)


@pytest.mark.parametrize("who", WHO)
def test_status_change_matrix(lw: Any, client_for: Any, who: str) -> None:
    doc = lw.docs["local"]
    response = client_for(who).post(f"{BASE}tai-lieu/{doc.slug}/", meta_post(doc, status=Status.AMENDED))
    allowed = PAGE[who] == 200
    assert response.status_code == (302 if allowed or who == "anonymous" else 404)
    assert (Document.objects.get(pk=doc.pk).status == Status.AMENDED) == allowed


@pytest.mark.parametrize("who", WHO)
def test_delete_page_matrix(lw: Any, client_for: Any, who: str) -> None:
    doc = lw.docs["local"]
    response = client_for(who).post(f"{BASE}tai-lieu/{doc.slug}/xoa/", {"confirm": "1"})
    allowed = PAGE[who] == 200
    assert response.status_code == (302 if allowed or who == "anonymous" else 404)
    assert Document.objects.filter(pk=doc.pk).exists() != allowed


def test_upload_through_the_page(lw: Any, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("here")
    form = client.get(f"{BASE}tai-len/")
    assert form.status_code == 200
    assert [c[0] for c in form.context["form"].fields["owner"].widget.choices] == [str(lw.c11.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}tai-len/", {
            "file": upload("tam-tru.txt", NEW_TEXT.encode()), "group": "dich-vu-cong", "owner": str(lw.c11.pk),
            "status": "in_force", "issued_on": "2025-07-01", "published": "on"})
    doc = Document.objects.get(title="Hướng dẫn đăng ký tạm trú tại phường Ba Đình (sửa đổi)")
    assert response.status_code == 302 and response["Location"] == f"{BASE}tai-lieu/{doc.slug}/"
    assert doc.owner == lw.c11 and doc.kind == "guide" and doc.attachments.count() == 1
    hits = Client().get("/api/v1/library/search", {"q": "hợp đồng thuê nhà có công chứng"}).json()["hits"]
    assert hits[0]["document"]["slug"] == doc.slug


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"file": ("trong.txt", b"")}, 400, "Tệp trong.txt không có nội dung văn bản."),
    ({"file": ("anh.png", PNG)}, 400, "nội dung là ảnh PNG"),
    ({"file": ("mat-khau.pdf", "ENCRYPTED")}, 400, "Tệp PDF được đặt mật khẩu (mã hóa)"),
    ({"file": ("lon.txt", b"a" * 3000)}, 413, "Tệp lon.txt quá lớn"),
    ({"status": "abolished"}, 400, "Tình trạng hiệu lực không hợp lệ: abolished."),
    ({"issued_on": "2025-07-01", "effective_on": "2025-06-01"}, 400, "Ngày có hiệu lực không thể trước ngày ban hành."),
    ({"owner": "999999"}, 404, "Không tìm thấy đơn vị hoặc bạn không có quyền"),
])
def test_bad_uploads_show_the_reason_and_change_nothing(lw: Any, client_for: Any, settings: Any,
                                                        data: dict[str, Any], status: int, message: str) -> None:
    settings.LIBRARY_MAX_UPLOAD_BYTES = 2000
    body = {"file": ("ok.txt", LOCAL_TEXT.encode()), "group": "dich-vu-cong", "owner": str(lw.c11.pk),
            "status": "in_force", **data}
    name, content = body["file"]
    body["file"] = upload(name, encrypted_pdf() if content == "ENCRYPTED" else content)
    before, events = rows(), AuditEvent.objects.count()
    response = client_for("here").post(f"{BASE}tai-len/", body)
    assert response.status_code == status
    assert message in response.content.decode()
    assert rows() == before and AuditEvent.objects.count() == events


def test_a_new_version_and_a_refused_one(lw: Any, client_for: Any) -> None:
    doc = lw.docs["local"]
    client = client_for("here")
    refused = client.post(f"{BASE}tai-lieu/{doc.slug}/phien-ban/",
                          {"version-file": upload("moi.pdf", encrypted_pdf()), "version-note": "x"})
    assert refused.status_code == 400 and "được đặt mật khẩu" in refused.content.decode()
    assert Version.objects.filter(document=doc).count() == 1 and not Attachment.objects.filter(document=doc).exists()
    empty = client.post(f"{BASE}tai-lieu/{doc.slug}/phien-ban/", {"version-text": " "})
    assert empty.status_code == 400 and "Hãy gửi tệp hoặc toàn văn của phiên bản mới." in empty.content.decode()
    done = client.post(f"{BASE}tai-lieu/{doc.slug}/phien-ban/", {"version-text": NEW_TEXT, "version-note": "Sửa"})
    assert done.status_code == 302
    assert list(Version.objects.filter(document=doc).values_list("number", "note")) == [(2, "Sửa"), (1, "")]


def test_a_bad_status_on_the_document_page_changes_nothing(lw: Any, client_for: Any) -> None:
    doc = lw.docs["local"]
    client = client_for("here")
    response = client.post(f"{BASE}tai-lieu/{doc.slug}/", meta_post(doc, status="abolished"))
    assert response.status_code == 400 and "Tình trạng hiệu lực không hợp lệ: abolished." in response.content.decode()
    dates = client.post(f"{BASE}tai-lieu/{doc.slug}/",
                        meta_post(doc, issued_on="2025-07-01", effective_on="2024-01-01"))
    assert dates.status_code == 400 and "Ngày có hiệu lực không thể trước ngày ban hành." in dates.content.decode()
    fresh = Document.objects.get(pk=doc.pk)
    assert fresh.status == Status.IN_FORCE and fresh.issued_on is None


def test_delete_needs_the_confirmation(lw: Any, client_for: Any) -> None:
    doc = lw.docs["local"]
    assert client_for("here").post(f"{BASE}tai-lieu/{doc.slug}/xoa/", {}).status_code == 302
    assert Document.objects.filter(pk=doc.pk).exists()


def test_the_list_page_query_count_does_not_grow_with_documents(lw: Any, client_for: Any,
                                                               django_assert_max_num_queries: Any) -> None:
    client = client_for("admin")
    client.get(BASE)
    with django_assert_max_num_queries(14):
        response = client.get(BASE)
    assert len(response.context["page"].object_list) == 4


# --- groups and synonyms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_groups_and_synonyms_are_for_superusers(lw: Any, client_for: Any, who: str) -> None:
    client = client_for(who)
    expected = {"anonymous": 302, "admin": 200}.get(who, 404)
    assert client.get(f"{BASE}nhom/").status_code == expected
    assert client.get(f"{BASE}tu-dong-nghia/").status_code == expected
    added = client.post(f"{BASE}nhom/", {"name": "Văn bản của tỉnh", "position": "30"})
    assert added.status_code == (302 if who in ("anonymous", "admin") else 404)
    assert Group.objects.filter(name="Văn bản của tỉnh").exists() == (who == "admin")


def test_superusers_add_and_rename_groups(lw: Any, client_for: Any) -> None:
    client = client_for("admin")
    client.post(f"{BASE}nhom/", {"name": "Văn bản của tỉnh", "description": "Nghị quyết HĐND tỉnh", "position": "30"})
    group = Group.objects.get(slug="van-ban-cua-tinh")
    assert AuditEvent.objects.filter(action="library.group.create", object_id=str(group.pk)).exists()
    again = client.post(f"{BASE}nhom/", {"name": "Văn bản của tỉnh", "position": "30"})
    assert again.status_code == 422 and Group.objects.count() == 3
    renamed = client.post(f"{BASE}nhom/{group.slug}/", {"name": "Văn bản địa phương", "position": "40",
                                                        "slug": "doi-ma"})
    assert renamed.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.slug) == ("Văn bản địa phương", "van-ban-cua-tinh")


def test_a_synonym_change_is_used_by_the_next_search(lw: Any, client_for: Any,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("admin")

    def found() -> bool:
        hits = Client().get("/api/v1/library/search", {"q": "NƠCT"}).json()["hits"]
        return any(h["document"]["slug"] == lw.docs["old"].slug for h in hits)

    assert not found()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}tu-dong-nghia/", {"term": "NƠCT", "expansions": "nơi thường trú; ;",
                                                          "active": "on"})
    assert response.status_code == 302
    synonym = Synonym.objects.get(term="NƠCT")
    assert synonym.expansions == "nơi thường trú" and found()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}tu-dong-nghia/{synonym.pk}/", {"term": "NƠCT", "expansions": "nơi thường trú"})
    assert Synonym.objects.get(pk=synonym.pk).active is False and not found()
    duplicate = client.post(f"{BASE}tu-dong-nghia/", {"term": "nơct", "expansions": "x", "active": "on"})
    assert duplicate.status_code == 422 and "Từ này đã có trong danh sách." in duplicate.content.decode()
    assert AuditEvent.objects.filter(action__startswith="library.synonym.").count() == 2


def test_admin_pages_and_metadata_through_the_service(lw: Any, client_for: Any) -> None:
    client = client_for("admin")
    doc = lw.docs["local"]
    for url in ("/admin/library/document/", f"/admin/library/document/{doc.pk}/change/", "/admin/library/synonym/",
                "/admin/library/group/"):
        assert client.get(url).status_code == 200, url
    data = {"title": doc.title, "kind": doc.kind, "number": "", "issuing_body": "", "issued_on": "2025-07-01",
            "effective_on": "2025-01-01", "status": "in_force", "summary": "", "source": "", "published": "on",
            "owner": str(lw.c11.pk), "scope": "",
            "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1", "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0"}
    refused = client.post(f"/admin/library/document/{doc.pk}/change/", data)
    assert refused.status_code == 200 and "Ngày có hiệu lực không thể trước ngày ban hành." in refused.content.decode()
    data["effective_on"], data["status"] = "2025-07-15", "repealed"
    assert client.post(f"/admin/library/document/{doc.pk}/change/", data).status_code == 302
    assert Document.objects.get(pk=doc.pk).status == Status.REPEALED
    event = AuditEvent.objects.get(action="library.document.update", object_id=str(doc.pk))
    assert event.data["before"]["status"] == "in_force"
