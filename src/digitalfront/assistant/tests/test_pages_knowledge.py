"""The knowledge pages (who reads and who changes a unit's entries, versions with their authors, filters)
and the review queue (unit administrators answer what the assistant could not, and the next asker gets
that answer first)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from digitalfront.assistant.models import Knowledge, KnowledgeKind, KnowledgeVersion, Message, Mode, Outcome
from digitalfront.assistant.services import answers
from digitalfront.assistant.services.knowledge import create_knowledge
from digitalfront.core.testing import make_user, sign_in

from .test_pages import KNOWLEDGE, KNOWLEDGE_NEW, QUEUE, UNANSWERABLE, ask, body, links

pytestmark = pytest.mark.django_db

CURATED = "Mức phụ cấp do Hội đồng nhân dân cấp tỉnh quyết định; tại Hà Nội hiện là 0,5 mức lương cơ sở."


@pytest.fixture
def province_admin(world: Any) -> Any:
    """A unit administrator of Hà Nội (above Ba Đình)."""
    return make_user("quantri.hanoi", roles=[(world.p1, "unit_admin")])


def signed_in(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def entry_at(unit: Any, actor: Any, title: str = "Quy trình tiếp nhận phản ánh tại Hà Nội") -> Knowledge:
    return create_knowledge(actor=actor, kind=KnowledgeKind.GUIDANCE, unit=unit, title=title,
                            body="Bước 1. Ghi sổ tiếp nhận.\nBước 2. Chuyển bộ phận chuyên môn trong 2 ngày.")


def test_a_provinces_knowledge_reaches_its_communes_not_another_province(
        world: Any, client_for: Any, province_admin: Any) -> None:
    entry = entry_at(world.p1, world.user("admin"))
    detail, edit = f"{KNOWLEDGE}{entry.pk}/", f"{KNOWLEDGE}{entry.pk}/sua/"
    # status of the entry's page, its edit page, and whether the list shows it
    expected = {"here": (200, 403, True), "above": (200, 403, True), "elsewhere": (404, 404, False),
                "admin": (200, 200, True), "citizen": (403, 403, False)}
    for who, (see, change, listed) in expected.items():
        client = client_for(who)
        assert client.get(detail).status_code == see, who
        assert client.get(edit).status_code == change, who
        if change != 200:  # nor stop using it
            assert client.post(f"{KNOWLEDGE}{entry.pk}/trang-thai/", {"active": "0"}).status_code == change, who
        if see == 200:
            assert (entry.title in body(client.get(KNOWLEDGE))) == listed, who
    assert Knowledge.objects.get(pk=entry.pk).active
    response = client_for("here").get(edit)
    assert "Bạn chỉ được xem mục kiến thức này, không được sửa." in body(response)
    # the province's own administrator changes it
    assert signed_in(province_admin).get(edit).status_code == 200
    assert client_for("elsewhere").get(KNOWLEDGE).status_code == 200


def test_a_communes_knowledge_is_read_above_it(world: Any, client_for: Any) -> None:
    entry = entry_at(world.c11, world.user("here"), "Lịch tiếp dân của phường Ba Đình")
    assert entry.title in body(client_for("above").get(KNOWLEDGE))
    assert client_for("above").get(f"{KNOWLEDGE}{entry.pk}/").status_code == 200
    assert client_for("here").get(f"{KNOWLEDGE}{entry.pk}/sua/").status_code == 200
    assert entry.title not in body(client_for("elsewhere").get(KNOWLEDGE))


def test_create_then_edit_lists_both_versions_with_their_authors(
        world: Any, client_for: Any, province_admin: Any) -> None:
    here = client_for("here")
    form = body(here.get(KNOWLEDGE_NEW))
    assert f'<option value="{world.c11.pk}" selected>Phường Ba Đình</option>' in form
    assert "Toàn quốc" not in form and "Tỉnh Lào Cai" not in form  # only where they enter data
    response = here.post(KNOWLEDGE_NEW, {"kind": "qa", "unit": str(world.c11.pk), "title": "",
                                         "question": "Tổ dân phố nộp báo cáo quý trước ngày nào?",
                                         "body": "Trước ngày 20 của tháng cuối quý."})
    entry = Knowledge.objects.get()
    assert response["Location"] == f"{KNOWLEDGE}{entry.pk}/"
    assert (entry.unit, entry.title, entry.version) == (world.c11, "Tổ dân phố nộp báo cáo quý trước ngày nào?", 1)

    admin = signed_in(province_admin)
    edit = f"{KNOWLEDGE}{entry.pk}/sua/"
    unchanged = admin.post(edit, {"title": entry.title, "question": entry.question, "body": entry.body, "note": ""})
    assert unchanged.status_code == 409
    assert "Nội dung không thay đổi so với phiên bản hiện hành." in body(unchanged)
    response = admin.post(edit, {"title": entry.title, "question": entry.question,
                                 "body": "Trước ngày 15 của tháng cuối quý.", "note": "Theo kế hoạch năm 2026"})
    assert response.status_code == 302
    page = body(admin.get(f"{KNOWLEDGE}{entry.pk}/"))
    assert "Trước ngày 15 của tháng cuối quý." in page and "phiên bản 2" in page
    rows = page.split('<table class="table as-versions">')[1].split("</table>")[0]
    assert rows.index("<td>2</td><td>quantri.hanoi</td>") < rows.index("<td>1</td><td>canbo.badinh</td>")
    assert "Theo kế hoạch năm 2026" in rows
    assert list(KnowledgeVersion.objects.filter(knowledge=entry).values_list("number", "created_by__username")
                .order_by("number")) == [(1, "canbo.badinh"), (2, "quantri.hanoi")]


@pytest.mark.parametrize(("data", "status", "error"), [
    ({"kind": "qa", "question": "Hỏi gì?", "body": ""}, 422, "Hãy nhập câu trả lời."),
    ({"kind": "guidance", "title": "", "body": "Nội dung"}, 422, "Hãy nhập tiêu đề."),
    ({"kind": "guidance", "title": "Hướng dẫn", "body": "Nội dung", "unit": ""}, 403,
     "Chỉ quản trị hệ thống mới được thêm kiến thức dùng chung toàn quốc."),
    ({"kind": "guidance", "title": "Hướng dẫn", "body": "Nội dung", "unit": "p2"}, 403,
     "Bạn không được thêm kiến thức cho đơn vị này."),
])
def test_a_refused_entry_shows_why_and_adds_nothing(
        world: Any, client_for: Any, data: dict[str, str], status: int, error: str) -> None:
    data = {"unit": str(world.c11.pk), **data}
    if data["unit"] == "p2":
        data["unit"] = str(world.p2.pk)  # a forged choice: a unit they do not enter data for
    response = client_for("here").post(KNOWLEDGE_NEW, data)
    assert response.status_code == status
    assert error in body(response)
    assert not Knowledge.objects.exists()


def test_the_list_filters_and_pages(world: Any, client_for: Any) -> None:
    admin = world.user("admin")
    for i in range(26):
        entry_at(world.p1, admin, f"Hướng dẫn số {i:02d}")
    qa = create_knowledge(actor=admin, kind=KnowledgeKind.QA, unit=None, question="Ai ký biên bản giám sát?",
                          body="Trưởng ban Thanh tra nhân dân.")
    client = client_for("here")
    first = body(client.get(KNOWLEDGE))
    assert "Trang 1/2 · 27 mục" in first
    assert qa.title in body(client.get(KNOWLEDGE, {"loai": "qa"}))
    assert "Hướng dẫn số" not in body(client.get(KNOWLEDGE, {"loai": "qa"}))
    found = body(client.get(KNOWLEDGE, {"q": "số 07"}))
    assert "Hướng dẫn số 07" in found and "Hướng dẫn số 08" not in found
    assert client.post(f"{KNOWLEDGE}{qa.pk}/trang-thai/", {"active": "0"}).status_code == 403  # national: read only
    client_for("admin").post(f"{KNOWLEDGE}{qa.pk}/trang-thai/", {"active": "0"})
    assert qa.title in body(client.get(KNOWLEDGE, {"trang_thai": "ngung"}))
    assert qa.title not in body(client.get(KNOWLEDGE, {"trang_thai": "dang-dung"}))


def test_curate_from_the_queue_then_the_same_question_gets_the_curated_answer(
        world: Any, client_for: Any, library: Any, province_admin: Any) -> None:
    here = client_for("here")
    ask(here, UNANSWERABLE)
    asked = Message.objects.get()
    assert asked.outcome == Outcome.ABSTAINED and asked.unit == world.c11
    # a question of another province is not in Hà Nội's queue
    other = answers.ask(user=world.user("elsewhere"), question="Lịch họp ban công tác mặt trận bản Phố thế nào?")

    admin = signed_in(province_admin)
    queue = admin.get(QUEUE)
    assert f'href="/tro-ly/hang-doi/{asked.pk}/"' in body(queue) and UNANSWERABLE in body(queue)
    assert other.question not in body(queue)
    assert admin.get(f"/tro-ly/hang-doi/{other.pk}/").status_code == 404
    item = admin.get(f"/tro-ly/hang-doi/{asked.pk}/")
    assert item.status_code == 200
    text = body(item)
    assert UNANSWERABLE in text and "Các nguồn gần nhất" in text and "Chưa tìm thấy căn cứ" in text
    assert f'<option value="{world.c11.pk}" selected>' in text  # offered for the asker's unit

    empty = admin.post(f"/tro-ly/hang-doi/{asked.pk}/", {"action": "curate", "answer": "", "unit": str(world.p1.pk)})
    assert empty.status_code == 422 and "Hãy nhập câu trả lời." in body(empty)
    response = admin.post(f"/tro-ly/hang-doi/{asked.pk}/", {"action": "curate", "answer": CURATED,
                                                             "unit": str(world.p1.pk), "title": ""})
    assert response["Location"] == QUEUE
    entry = Knowledge.objects.get(kind=KnowledgeKind.QA)
    assert (entry.unit, entry.question, entry.body) == (world.p1, UNANSWERABLE, CURATED)
    assert f'href="/tro-ly/hang-doi/{asked.pk}/"' not in body(admin.get(QUEUE))

    # the commune's staff ask again: the curated answer comes first
    page = here.get(ask(here, UNANSWERABLE)["Location"])
    latest = Message.objects.filter(conversation__user=world.user("here")).latest("pk")
    assert (latest.outcome, latest.mode) == (Outcome.ANSWERED, Mode.CURATED)
    assert latest.citations[0]["url"] == f"{KNOWLEDGE}{entry.pk}/"
    text = body(page)
    assert CURATED in text and "Hỏi đáp đã biên soạn" in text
    assert (f"{KNOWLEDGE}{entry.pk}/", f"Hỏi đáp nghiệp vụ – {entry.title}") in links(page)
    # another province does not read Hà Nội's answer
    again = answers.ask(user=world.user("elsewhere"), question=UNANSWERABLE)
    assert again.mode != Mode.CURATED


def test_dismiss_and_who_sees_the_queue(world: Any, client_for: Any, library: Any, province_admin: Any) -> None:
    ask(client_for("here"), UNANSWERABLE)
    asked = Message.objects.get()
    url = f"/tro-ly/hang-doi/{asked.pk}/"
    for who in ("here", "above", "elsewhere"):
        assert client_for(who).get(url).status_code == 403, who
        assert client_for(who).post(url, {"action": "dismiss"}).status_code == 403, who
    assert UNANSWERABLE in body(client_for("admin").get(QUEUE))
    response = signed_in(province_admin).post(url, {"action": "dismiss"})
    assert response["Location"] == QUEUE
    asked.refresh_from_db()
    assert asked.reviewed_at is not None and asked.curated is None
    assert UNANSWERABLE not in body(client_for("admin").get(QUEUE))
    settled = body(signed_in(province_admin).get(url))
    assert "Câu hỏi đã được xử lý bởi quantri.hanoi" in settled and "(bỏ qua)" in settled
    again = signed_in(province_admin).post(url, {"action": "dismiss"})
    assert again.status_code == 409 and "Câu hỏi này đã được xử lý." in body(again)


def test_a_superuser_adds_national_knowledge_that_every_staff_member_reads(world: Any, client_for: Any) -> None:
    admin = client_for("admin")
    form = body(admin.get(KNOWLEDGE_NEW))
    assert '<option value="" selected>Toàn quốc (mọi cán bộ)</option>' in form
    assert "Tỉnh Lào Cai" in form and "Phường Ba Đình" not in form  # the provinces, not every commune
    response = admin.post(KNOWLEDGE_NEW, {"kind": "guidance", "unit": "", "title": "Quy chế tiếp công dân",
                                          "body": "Tiếp công dân theo lịch định kỳ hằng tháng."})
    entry = Knowledge.objects.get()
    assert response["Location"] == f"{KNOWLEDGE}{entry.pk}/" and entry.unit is None
    for who in ("here", "elsewhere", "above"):
        page = client_for(who).get(f"{KNOWLEDGE}{entry.pk}/")
        assert page.status_code == 200 and "Dùng cho: Toàn quốc" in body(page), who
        assert client_for(who).get(f"{KNOWLEDGE}{entry.pk}/sua/").status_code == 403, who


def test_guidance_from_an_uploaded_file(world: Any, client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from digitalfront.library.tests.test_ingest import docx_bytes

    here = client_for("here")
    upload = SimpleUploadedFile("huong-dan.docx", docx_bytes(title="Hướng dẫn khai sinh cho cán bộ"),
                                content_type="application/octet-stream")
    response = here.post(KNOWLEDGE_NEW, {"kind": "guidance", "unit": str(world.c11.pk), "title": "", "question": "",
                                         "body": "", "file": upload})
    assert response.status_code == 302, body(response)
    entry = Knowledge.objects.get()
    assert entry.title == "Hướng dẫn khai sinh cho cán bộ" and "Giấy chứng sinh" in entry.body
    # a file that is not what it says: a Vietnamese message on the field, nothing added
    bad = SimpleUploadedFile("huong-dan.pdf", b"this is not a pdf", content_type="application/pdf")
    refused = here.post(KNOWLEDGE_NEW, {"kind": "guidance", "unit": str(world.c11.pk), "title": "T", "question": "",
                                        "body": "", "file": bad})
    assert refused.status_code == 400 and "field-error" in body(refused)
    assert Knowledge.objects.count() == 1
