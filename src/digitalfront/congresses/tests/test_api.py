"""The congresses API: the authorization matrix on every endpoint, Vietnamese 422s that change nothing,
news with a photo stripped of its metadata."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from digitalfront.congresses.models import Congress, NewsItem, Status, Term
from digitalfront.congresses.services import congresses
from digitalfront.core.models import AuditEvent

from .conftest import RESULTS

API = "/api/v1/congresses"



pytestmark = pytest.mark.usefixtures("in_2024")


@pytest.fixture
def c11(world: Any, term: Term) -> Congress:
    return congresses.plan(actor=world.user("here"), unit=world.c11, term=term,
                           values={"planned_on": "2024-10-05", "venue": "Hội trường phường"})


def reported(world: Any, congress: Congress) -> Congress:
    here = world.user("here")
    congresses.update(actor=here, congress_id=congress.pk, values=RESULTS)
    congresses.set_status(actor=here, congress_id=congress.pk, status=Status.HELD)
    return congresses.set_status(actor=here, congress_id=congress.pk, status=Status.REPORTED)


def send(client: Any, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data=data, content_type="application/json")


def snapshot() -> Any:
    return (list(Congress.objects.values()), AuditEvent.objects.count(), NewsItem.objects.count())


# --- reading ------------------------------------------------------------------------------------------

LIST_SEES = {"anonymous": None, "citizen": set(), "elsewhere": {"04700", "15"}, "here": {"00004"},
             "above": {"00004", "09955", "01"}, "admin": {"00004", "09955", "01", "04700", "15"}}


def test_list_in_each_users_view(world: Any, term: Term, c11: Congress, client_for: Any, who: str) -> None:
    admin = world.user("admin")
    for unit in (world.c12, world.p1, world.c21, world.p2):
        congresses.plan(actor=admin, unit=unit, term=term)
    response = client_for(who).get(API)
    if who == "anonymous":
        assert response.status_code == 401
        assert response.json()["detail"] == "Bạn cần đăng nhập."
        return
    assert response.status_code == 200
    assert {item["unit"]["code"] for item in response.json()["items"]} == LIST_SEES[who]


def test_list_filters(world: Any, term: Term, c11: Congress, client_for: Any) -> None:
    admin = world.user("admin")
    for unit in (world.c12, world.p1, world.c21):
        congresses.plan(actor=admin, unit=unit, term=term)
    client = client_for("admin")
    codes = lambda r: sorted(i["unit"]["code"] for i in r.json()["items"])  # noqa: E731
    assert codes(client.get(API, {"province": "01"})) == ["00004", "01", "09955"]
    assert codes(client.get(API, {"province": "01", "level": "commune"})) == ["00004", "09955"]
    assert codes(client.get(API, {"status": "held"})) == []
    page = client.get(API, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 4 and len(page["items"]) == 1
    for params, field in [({"level": "village"}, "level"), ({"status": "done"}, "status"),
                          ({"province": "99"}, "province"), ({"term": 999}, "term")]:
        response = client.get(API, params)
        assert response.status_code == 422 and response.json()["field"] == field, params


def test_terms(client_for: Any, term: Term, who: str) -> None:
    response = client_for(who).get(f"{API}/terms")
    if who == "anonymous":
        assert response.status_code == 401
    else:
        assert response.json() == [{"id": term.pk, "name": "2024–2029", "starts_on": "2024-01-01",
                                    "ends_on": "2029-12-31", "current": True}]


DETAIL = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 200, "admin": 200}


def test_detail(client_for: Any, c11: Congress, who: str) -> None:
    response = client_for(who).get(f"{API}/{c11.pk}")
    assert response.status_code == DETAIL[who]
    if response.status_code == 200:
        body = response.json()
        assert body["unit"] == {"code": "00004", "name": "Phường Ba Đình", "level": "commune", "province": "01"}
        assert (body["status"], body["status_label"], body["venue"]) == ("planned", "Dự kiến", "Hội trường phường")
    assert client_for("admin").get(f"{API}/999999").status_code == 404


# --- writing ------------------------------------------------------------------------------------------

PLAN = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 201, "above": 403, "admin": 201}


def test_plan(client_for: Any, term: Term, who: str) -> None:
    before = snapshot()
    response = send(client_for(who), "post", API,
                    {"unit": "00004", "values": {"planned_on": "2024-12-20", "delegates_summoned": 150}})
    assert response.status_code == PLAN[who], response.content
    if response.status_code == 201:
        body = response.json()
        assert (body["status"], body["planned_on"], body["delegates_summoned"], body["term"]) == (
            "planned", "2024-12-20", 150, "2024–2029")
        assert Congress.objects.get().unit.code == "00004"
        again = send(client_for(who), "post", API, {"unit": "00004"})
        assert again.status_code == 409 and "đã có" in again.json()["detail"]
    else:
        assert snapshot() == before
        assert response.json()["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"unit": "00004", "values": {"planned_on": "2023-12-31"}}, "planned_on"),
    ({"unit": "00004", "values": {"delegates_summoned": "nhiều"}}, "delegates_summoned"),
    ({"unit": "00004", "values": {"secret": 1}}, "secret"),
    ({"unit": "00004-001"}, "unit"),  # a village holds no congress
    ({"unit": "00004", "term": 999}, "term"),
    ({"unit": "00004", "extra": 1}, "extra"),
    ({}, "unit"),
])
def test_plan_refused(client_for: Any, term: Term, body: dict[str, Any], field: str) -> None:
    before = snapshot()
    response = send(client_for("here"), "post", API, body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and response.json()["detail"]
    assert snapshot() == before


def test_plan_bad_json(client_for: Any, term: Term) -> None:
    response = client_for("here").post(API, data="{không phải json", content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"] == "Nội dung gửi lên không phải JSON hợp lệ."


EDIT = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 403, "admin": 200}


def test_update(client_for: Any, c11: Congress, who: str) -> None:
    before = snapshot()
    response = send(client_for(who), "patch", f"{API}/{c11.pk}", {"values": {"venue": "Nhà văn hóa phường"}})
    assert response.status_code == EDIT[who], response.content
    c11.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["venue"] == c11.venue == "Nhà văn hóa phường"
    else:
        assert snapshot() == before


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"held_on": "2024-12-01"}, "held_on", "chưa đến"),
    ({"delegates_summoned": 100, "delegates_attending": 101}, "delegates_attending", "không thể lớn hơn"),
    ({"committee_size": 30, "women": 31}, "women", "không thể lớn hơn số ủy viên"),
    ({"standing_size": 2, "chair": "A", "vice_chairs": ["B", "C"]}, "vice_chairs", "Ban Thường trực"),
    ({"committee_size": -3}, "committee_size", "số nguyên không âm"),
    ({"venue": "x" * 301}, "venue", "quá dài"),
])
def test_update_refused_changes_nothing(client_for: Any, c11: Congress, values: dict[str, Any], field: str,
                                        words: str) -> None:
    before = snapshot()
    response = send(client_for("here"), "patch", f"{API}/{c11.pk}", {"values": values})
    assert response.status_code == 422
    assert response.json()["field"] == field and words in response.json()["detail"]
    assert snapshot() == before


def test_status_report_confirm_return(world: Any, client_for: Any, c11: Congress) -> None:
    here, above = client_for("here"), client_for("above")
    response = send(here, "post", f"{API}/{c11.pk}/status", {"status": "held"})
    assert response.status_code == 422 and response.json()["field"] == "held_on"
    patched = send(here, "patch", f"{API}/{c11.pk}", {"values": RESULTS})
    assert patched.status_code == 200 and patched.json()["standing_members"] == ["Phạm Văn Đức"]
    for status in ("preparing", "held", "reported"):
        response = send(here, "post", f"{API}/{c11.pk}/status", {"status": status})
        assert response.status_code == 200 and response.json()["status"] == status
    assert send(here, "post", f"{API}/{c11.pk}/status", {"status": "confirmed"}).status_code == 422
    assert send(here, "post", f"{API}/{c11.pk}/status", {"status": "xong"}).json()["field"] == "status"
    # the unit's own staff cannot confirm; elsewhere does not see it
    assert here.post(f"{API}/{c11.pk}/confirm").status_code == 403
    assert client_for("elsewhere").post(f"{API}/{c11.pk}/confirm").status_code == 404
    response = above.post(f"{API}/{c11.pk}/confirm")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert response.json()["confirmed_at"]
    # locked
    locked = send(here, "patch", f"{API}/{c11.pk}", {"values": {"venue": "Khác"}})
    assert locked.status_code == 409 and "xác nhận" in locked.json()["detail"]
    assert above.post(f"{API}/{c11.pk}/confirm").status_code == 409
    # a return needs a reason
    short = send(above, "post", f"{API}/{c11.pk}/return", {"reason": "sai"})
    assert short.status_code == 422 and short.json()["field"] == "reason"
    assert Congress.objects.get(pk=c11.pk).status == Status.CONFIRMED
    back = send(above, "post", f"{API}/{c11.pk}/return", {"reason": "Số nữ chưa đúng, đề nghị kiểm tra lại."})
    assert back.status_code == 200 and back.json()["status"] == "held"
    assert AuditEvent.objects.filter(action="congress.return", object_id=str(c11.pk)).exists()


CONFIRM = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 403, "above": 200, "admin": 200}


def test_confirm_matrix(world: Any, client_for: Any, c11: Congress, who: str) -> None:
    reported(world, c11)
    response = client_for(who).post(f"{API}/{c11.pk}/confirm")
    assert response.status_code == CONFIRM[who], response.content
    expected = Status.CONFIRMED if CONFIRM[who] == 200 else Status.REPORTED
    assert Congress.objects.get(pk=c11.pk).status == expected


def test_above_cannot_confirm_its_own_province(world: Any, term: Term, client_for: Any) -> None:
    province = congresses.plan(actor=world.user("admin"), unit=world.p1, term=term, values=RESULTS)
    congresses.set_status(actor=world.user("admin"), congress_id=province.pk, status=Status.HELD)
    congresses.set_status(actor=world.user("admin"), congress_id=province.pk, status=Status.REPORTED)
    response = client_for("above").post(f"{API}/{province.pk}/confirm")
    assert response.status_code == 403 and "cấp trên" in response.json()["detail"].lower()
    reason = {"reason": "Đề nghị bổ sung danh sách."}
    assert send(client_for("above"), "post", f"{API}/{province.pk}/return", reason).status_code == 403
    assert Congress.objects.get(pk=province.pk).status == Status.REPORTED
    assert client_for("admin").post(f"{API}/{province.pk}/confirm").status_code == 200


RETURN = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 403, "above": 200, "admin": 200}


def test_return_matrix(world: Any, client_for: Any, c11: Congress, who: str) -> None:
    reported(world, c11)
    response = send(client_for(who), "post", f"{API}/{c11.pk}/return", {"reason": "Thiếu ngày tổ chức thực tế."})
    assert response.status_code == RETURN[who]
    expected = Status.HELD if RETURN[who] == 200 else Status.REPORTED
    assert Congress.objects.get(pk=c11.pk).status == expected


STATUS = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 403, "admin": 200}


def test_status_matrix(client_for: Any, c11: Congress, who: str) -> None:
    response = send(client_for(who), "post", f"{API}/{c11.pk}/status", {"status": "preparing"})
    assert response.status_code == STATUS[who]
    expected = Status.PREPARING if STATUS[who] == 200 else Status.PLANNED
    assert Congress.objects.get(pk=c11.pk).status == expected


# --- news ---------------------------------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


NEWS_ADD = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 201, "above": 403, "admin": 201}


def test_news_matrix(client_for: Any, c11: Congress, who: str) -> None:
    response = send(client_for(who), "post", f"{API}/{c11.pk}/news",
                    {"title": "Đại hội thành công tốt đẹp", "body": "Nội dung."})
    assert response.status_code == NEWS_ADD[who], response.content
    assert NewsItem.objects.count() == (1 if NEWS_ADD[who] == 201 else 0)
    listing = client_for(who).get(f"{API}/{c11.pk}/news")
    assert listing.status_code == DETAIL[who]


def test_news_with_photo_loses_its_metadata(client_for: Any, c11: Congress, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original
    client = client_for("here")
    response = client.post(f"{API}/{c11.pk}/news", {"title": "Ảnh đại hội", "published": "false",
                                                    "photo": io.BytesIO(original)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["published"] is False and body["photo_url"]
    stored = NewsItem.objects.get().photo.read()
    assert stored.startswith(b"\xff\xd8") and b"PhoneMaker" not in stored and b"GPS" not in stored
    # unpublished: the staff see the photo, the public does not
    assert client.get(body["photo_url"]).status_code == 200
    assert client_for("anonymous").get(body["photo_url"]).status_code == 404
    assert client_for("elsewhere").get(body["photo_url"]).status_code == 404


@pytest.mark.parametrize(("data", "field"), [
    ({"title": ""}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"title": "Tin", "photo": io.BytesIO(b"%PDF-1.4 not a photo")}, "photo"),
    ({"title": "Tin", "photo": io.BytesIO(b"MZ\x90\x00 an executable")}, "photo"),
    ({"title": "Tin", "secret": "1"}, "secret"),
])
def test_news_refused(client_for: Any, c11: Congress, settings: Any, tmp_path: Any, data: dict[str, Any],
                      field: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    before = snapshot()
    response = client_for("here").post(f"{API}/{c11.pk}/news", data)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and response.json()["detail"]
    assert snapshot() == before
    assert not any(tmp_path.rglob("*.*"))
