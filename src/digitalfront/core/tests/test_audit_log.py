"""The audit log pages (``/nhat-ky/``): who may see which events, filters, the Excel export, and the
unit of account events."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from digitalfront.accounts.models import UnitRole
from digitalfront.core import audit_views
from digitalfront.core.audit_labels import ACTION_LABELS, action_label
from digitalfront.core.audit_selectors import LOCAL_TZ, details_text, event_rows, events_for, parse_filters
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import make_user, sign_in

LIST = reverse("core:audit_list")
EXPORT = reverse("core:audit_export")
ALLOWED = {"admin"}


def event(action="report.submit", *, unit_path="", actor=None, object_type="orgs.report", object_id="1",
          at=None, **data):
    e = AuditEvent.objects.create(actor=actor, action=action, object_type=object_type, object_id=object_id,
                                  unit_path=unit_path, data=data)
    if at is not None:
        AuditEvent.objects.filter(pk=e.pk).update(created_at=at)
        e.refresh_from_db()
    return e


def local(y, m, d, hh=12, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


@pytest.fixture
def unit_admin(world):
    """An administrator of province P1 (and nothing else)."""
    user = make_user("quantri.hanoi")
    UnitRole.objects.create(user=user, unit=world.p1, role="unit_admin")
    return user


def client_of(user):
    client = Client()
    sign_in(client, user)
    return client


@pytest.fixture
def events(world):
    """One event at each level of both provinces, and one without a unit."""
    return {
        "p1": event(unit_path=world.p1.path, object_id="p1"),
        "c11": event(unit_path=world.c11.path, object_id="c11"),
        "v111": event(unit_path=world.v111.path, object_id="v111"),
        "p2": event(unit_path=world.p2.path, object_id="p2"),
        "c21": event(unit_path=world.c21.path, object_id="c21"),
        "none": event(unit_path="", object_id="none"),
    }


def shown_ids(response):
    """Object ids of the rows on the page (``#<id>`` in the object column)."""
    return set(re.findall(r"#(\w+)</td>", response.content.decode()))


def workbook(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content))


def sheet_rows(response):
    ws = workbook(response)["Nhật ký"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Thời gian")
    return rows[:header], rows[header], rows[header + 1:]


# --- who may ------------------------------------------------------------------------------------------


def test_list_matrix(world, client_for, who, events):
    response = client_for(who).get(LIST)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who in ALLOWED:
        assert response.status_code == 200
        assert shown_ids(response) == set(events)
    else:
        assert response.status_code == 403
        assert "không có quyền" in response.content.decode()


def test_export_matrix(world, client_for, who, events):
    response = client_for(who).get(EXPORT)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif who in ALLOWED:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        _, _, rows = sheet_rows(response)
        assert {r[5] for r in rows} == set(events)
    else:
        assert response.status_code == 403
    exported = AuditEvent.objects.filter(action="audit_exported")
    assert exported.count() == (1 if who in ALLOWED else 0)


def test_other_roles_at_the_same_unit_are_not_enough(world):
    for role in ("viewer", "data_entry", "approver"):
        user = make_user(f"vaitro.{role}")
        UnitRole.objects.create(user=user, unit=world.p1, role=role)
        assert client_of(user).get(LIST).status_code == 403
        assert client_of(user).get(EXPORT).status_code == 403


def test_unit_admin_sees_their_subtree_only(world, unit_admin, events):
    response = client_of(unit_admin).get(LIST)
    assert response.status_code == 200
    assert shown_ids(response) == {"p1", "c11", "v111"}
    assert set(events_for(unit_admin).values_list("object_id", flat=True)) == {"p1", "c11", "v111"}


def test_commune_admin_does_not_see_the_province_or_the_sibling(world, events):
    user = make_user("quantri.badinh")
    UnitRole.objects.create(user=user, unit=world.c11, role="unit_admin")
    event(unit_path=world.c12.path, object_id="c12")
    assert shown_ids(client_of(user).get(LIST)) == {"c11", "v111"}


def test_unit_admin_export_is_scoped(world, unit_admin, events):
    response = client_of(unit_admin).get(EXPORT)
    _, _, rows = sheet_rows(response)
    assert {r[5] for r in rows} == {"p1", "c11", "v111"}
    assert all("Lào Cai" not in str(cell) for r in rows for cell in r)


def test_closed_unit_admin_role_gives_nothing(world, events):
    user = make_user("quantri.cu")
    UnitRole.objects.create(user=user, unit=world.c21, role="unit_admin")
    world.c21.valid_to = datetime.date(2026, 1, 1)
    world.c21.save(update_fields=["valid_to"])
    assert client_of(user).get(LIST).status_code == 403


def test_nav_link_only_for_superusers_and_unit_admins(world, client_for, unit_admin):
    link = f'href="{LIST}"'
    assert link in client_for("admin").get(reverse("orgs:units")).content.decode()
    assert link in client_of(unit_admin).get(reverse("orgs:units")).content.decode()
    for who in ("here", "above", "elsewhere"):
        assert link not in client_for(who).get(reverse("orgs:units")).content.decode()


# --- the page -----------------------------------------------------------------------------------------


def test_page_shows_time_actor_label_unit_ip_and_agent(world, client_for):
    actor = world.users["here"]
    event("report.approve", unit_path=world.c11.path, actor=actor, at=local(2026, 11, 20, 8, 5),
          ip="10.1.2.3", user_agent="Trinh-duyet/1.0", reason="đủ số liệu")
    body = client_for("admin").get(LIST).content.decode()
    assert "20/11/2026 08:05:00" in body  # local time (UTC+7), not UTC
    assert actor.username in body
    assert "Duyệt báo cáo" in body
    assert "Phường Ba Đình" in body
    assert "10.1.2.3" in body and "Trinh-duyet/1.0" in body
    assert "reason: đủ số liệu" in body
    assert 'href="/nhat-ky/xuat-excel/' in body


def test_account_object_shows_the_username(world, client_for):
    user = world.users["here"]
    event("login", object_type="accounts.user", object_id=str(user.pk), unit_path=world.c11.path)
    body = client_for("admin").get(LIST).content.decode()
    assert "Tài khoản" in body and f"({user.username})" in body and "Đăng nhập" in body


def test_newest_first_and_paginated(world, client_for):
    base = local(2026, 1, 1)
    for i in range(audit_views.PAGE_SIZE + 5):
        event(object_id=f"n{i}", at=base + datetime.timedelta(minutes=i))
    client = client_for("admin")
    first = client.get(LIST)
    ids = re.findall(r"#(n\d+)</td>", first.content.decode())
    assert len(ids) == audit_views.PAGE_SIZE
    assert ids[0] == f"n{audit_views.PAGE_SIZE + 4}" and ids[1] == f"n{audit_views.PAGE_SIZE + 3}"
    second = client.get(LIST, {"trang": 2})
    assert re.findall(r"#(n\d+)</td>", second.content.decode()) == [f"n{i}" for i in range(4, -1, -1)]
    assert "Trang 1/2" in first.content.decode()


def test_unknown_action_shows_as_itself(world, client_for):
    event("something.new", object_id="x")
    assert action_label("something.new") == "something.new"
    assert "something.new" in client_for("admin").get(LIST).content.decode()


# --- filters ------------------------------------------------------------------------------------------


@pytest.fixture
def varied(world):
    here, above = world.users["here"], world.users["above"]
    return {
        "a": event("report.submit", actor=here, object_id="a", at=local(2026, 11, 1, 0, 30), ip="10.0.0.1"),
        "b": event("report.approve", actor=above, object_id="b", at=local(2026, 11, 10, 23, 59), ip="10.0.0.2"),
        "c": event("login", actor=here, object_type="accounts.user", object_id="c", at=local(2026, 11, 11, 0, 0),
                   ip="192.168.1.7"),
        "d": event("unit.create", object_type="orgs.unit", object_id="d", at=local(2026, 10, 31, 23, 59)),
    }


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"a", "b", "c", "d"}),
    ({"action": "report.approve"}, {"b"}),
    ({"actor": "CANBO.BADINH"}, {"a", "c"}),
    ({"object_type": "accounts.user"}, {"c"}),
    ({"from": "01/11/2026"}, {"a", "b", "c"}),
    ({"to": "10/11/2026"}, {"a", "b", "d"}),
    ({"from": "2026-11-01", "to": "2026-11-10"}, {"a", "b"}),
    ({"from": "1/11/2026", "to": "1/11/2026"}, {"a"}),
    ({"ip": "10.0.0"}, {"a", "b"}),
    ({"ip": "192.168"}, {"c"}),
    ({"actor": "canbo.badinh", "action": "login"}, {"c"}),
    ({"actor": "nobody"}, set()),
])
def test_filters(world, client_for, varied, params, expected):
    response = client_for("admin").get(LIST, params)
    assert response.status_code == 200
    assert shown_ids(response) == expected
    export = client_for("admin").get(EXPORT, params)
    _, _, rows = sheet_rows(export)
    assert {r[5] for r in rows} == expected


@pytest.mark.parametrize("params", [
    {"from": "31/02/2026"}, {"to": "hôm qua"}, {"from": "2026-13-01"}, {"from": "' OR 1=1 --"},
    {"from": "12/11/2026", "to": "01/11/2026"},
])
def test_bad_dates_give_a_message_and_change_nothing(world, client_for, varied, params):
    client = client_for("admin")
    response = client.get(LIST, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "không hợp lệ" in body or "phải trước hoặc trùng" in body
    valid = {k: v for k, v in params.items() if k == "from" and "to" in params}
    assert shown_ids(response) == shown_ids(client.get(LIST, valid))
    # the export refuses rather than exporting something other than what was asked
    export = client.get(EXPORT, params)
    assert export.status_code == 400
    assert "chưa xuất tệp Excel" in export.content.decode()
    assert not AuditEvent.objects.filter(action="audit_exported").exists()


def test_unknown_action_filter_is_an_error(world, client_for, varied):
    response = client_for("admin").get(LIST, {"action": "<script>"})
    assert response.status_code == 200
    assert "Hãy chọn một thao tác trong danh sách." in response.content.decode()
    assert shown_ids(response) == {"a", "b", "c", "d"}


def test_parse_filters_accepts_both_date_forms():
    parsed = parse_filters({"from": "05/11/2026", "to": "2026-11-06"})
    assert not parsed.errors
    assert parsed.filters.date_from == datetime.date(2026, 11, 5)
    assert parsed.filters.date_to == datetime.date(2026, 11, 6)


# --- secrets ------------------------------------------------------------------------------------------


SECRET_DATA = {
    "password": "MK-BI-MAT-1", "new_password1": "MK-BI-MAT-2", "access_token": "TOKEN-BI-MAT",
    "client_secret": "SECRET-BI-MAT", "code": "CODE-BI-MAT", "backup_codes": ["BC-BI-MAT"],
    "nested": {"refresh_token": "REFRESH-BI-MAT", "ok": "giá-trị-công-khai"}, "reason": "lý do công khai",
}


def test_secret_keys_are_never_shown_nor_exported(world, client_for):
    event("password_changed", object_type="accounts.user", object_id="s", ip="10.9.9.9", **SECRET_DATA)
    client = client_for("admin")
    body = client.get(LIST).content.decode()
    export = b"".join(client.get(EXPORT).streaming_content)
    cells = " ".join(str(c) for r in load_workbook(io.BytesIO(export))["Nhật ký"].iter_rows(values_only=True)
                     for c in r if c is not None)
    for text in (body, cells):
        assert "lý do công khai" in text and "giá-trị-công-khai" in text
        for secret in ("MK-BI-MAT", "TOKEN-BI-MAT", "SECRET-BI-MAT", "CODE-BI-MAT", "BC-BI-MAT", "REFRESH-BI-MAT"):
            assert secret not in text
    assert details_text({"Password": "x", "OTP": "1", "reason": "r"}) == "reason: r"


# --- the export ---------------------------------------------------------------------------------------


def test_export_content(world, client_for):
    actor = world.users["here"]
    event("report.approve", unit_path=world.c11.path, actor=actor, object_id="77", at=local(2026, 11, 20, 8, 5),
          ip="10.1.2.3", user_agent="=HYPERLINK(\"http://x\")", reason="đủ")
    response = client_for("admin").get(EXPORT, {"action": "report.approve"})
    assert response.status_code == 200
    assert 'filename="nhat-ky-' in response["Content-Disposition"]
    title, header, rows = sheet_rows(response)
    assert title[0][0] == "NHẬT KÝ THAO TÁC"
    assert any(r[0] and "Bộ lọc: action = report.approve" in r[0] for r in title)
    assert header == ["Thời gian", "Người thực hiện", "Mã thao tác", "Thao tác", "Loại đối tượng", "Mã đối tượng",
                      "Tên đối tượng", "Đơn vị", "Đường dẫn đơn vị", "Địa chỉ IP", "Trình duyệt", "Chi tiết"]
    assert len(rows) == 1
    row = rows[0]
    assert row[0] == local(2026, 11, 20, 8, 5).replace(tzinfo=None)  # local time: Excel has no time zones
    assert row[1:9] == [actor.username, "report.approve", "Duyệt báo cáo", "Báo cáo", "77", None, "Phường Ba Đình",
                        world.c11.path]
    assert row[9] == "10.1.2.3"
    assert row[10] == '=HYPERLINK("http://x")'  # text, not a formula
    assert row[11] == "reason: đủ"


def test_export_is_audited(world, unit_admin, events):
    client = client_of(unit_admin)
    response = client.get(EXPORT, {"from": "01/01/2020"}, REMOTE_ADDR="10.4.4.4", HTTP_USER_AGENT="UA-xuat")
    b"".join(response.streaming_content)
    exported = AuditEvent.objects.get(action="audit_exported")
    assert exported.actor == unit_admin
    assert exported.unit_path == world.p1.path  # visible to the administrators of P1 and above
    assert exported.data["rows"] == 3 and exported.data["capped"] is False
    assert exported.data["filters"] == {"date_from": "2020-01-01"}
    assert exported.data["ip"] == "10.4.4.4" and exported.data["user_agent"] == "UA-xuat"
    body = client.get(LIST).content.decode()
    assert "Xuất nhật ký thao tác" in body


def test_export_is_capped_with_a_message(world, client_for, monkeypatch):
    monkeypatch.setattr(audit_views, "EXPORT_MAX_ROWS", 3)
    for i in range(5):
        event(object_id=f"k{i}", at=local(2026, 1, 1) + datetime.timedelta(minutes=i))
    client = client_for("admin")
    response = client.get(EXPORT)
    assert response["X-Export-Capped"] == "3"
    title, _, rows = sheet_rows(response)
    assert [r[5] for r in rows] == ["k4", "k3", "k2"]  # the newest
    assert any(r[0] and "Chỉ xuất 3 dòng mới nhất trong tổng số 5 dòng" in r[0] for r in title)
    assert AuditEvent.objects.get(action="audit_exported").data["capped"] is True
    assert "tệp Excel chỉ gồm 3 dòng mới nhất" in client.get(LIST).content.decode()


def test_rows_are_read_in_chunks(world):
    for i in range(7):
        event(object_id=f"r{i}", unit_path=world.c11.path)
    admin = world.users["admin"]
    rows = list(event_rows(events_for(admin), chunk_size=2))
    assert [r.object_id for r in rows] == [f"r{i}" for i in range(6, -1, -1)]
    assert all(r.unit_name == "Phường Ba Đình" for r in rows)
    assert [r.object_id for r in event_rows(events_for(admin), limit=3, chunk_size=2)] == ["r6", "r5", "r4"]


# --- account events carry a unit ----------------------------------------------------------------------


def test_failed_login_of_a_staff_member_gets_their_unit(world):
    user = world.users["here"]
    Client().post(reverse("login"), {"username": user.username, "password": "sai-mat-khau"})
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.object_id == str(user.pk)
    assert failed.unit_path == world.c11.path


def test_account_events_use_the_shallowest_role_in_force(world):
    from digitalfront.accounts import services

    above = world.users["above"]
    UnitRole.objects.create(user=above, unit=world.c12, role="data_entry")
    services.disable_account(actor=world.users["admin"], user=above, reason="thử")
    assert AuditEvent.objects.get(action="account_disabled").unit_path == world.p1.path

    # a role at a closed unit does not count
    user = make_user("canbo.chuyen")
    UnitRole.objects.create(user=user, unit=world.p2, role="viewer")
    UnitRole.objects.create(user=user, unit=world.v111, role="viewer")
    world.p2.valid_to = datetime.date(2026, 1, 1)
    world.p2.save(update_fields=["valid_to"])
    services.disable_account(actor=None, user=user, reason="thử")
    assert AuditEvent.objects.filter(action="account_disabled", object_id=str(user.pk)).get().unit_path == (
        world.v111.path)


def test_account_events_without_a_unit_are_for_superusers_only(world, unit_admin):
    citizen = world.users["citizen"]
    Client().post(reverse("login"), {"username": citizen.username, "password": "sai"})
    Client().post(reverse("login"), {"username": "khong-ton-tai", "password": "sai"})
    assert set(AuditEvent.objects.filter(action="login_failed").values_list("unit_path", flat=True)) == {""}
    assert not events_for(unit_admin).filter(action="login_failed").exists()
    assert events_for(world.users["admin"]).filter(action="login_failed").count() == 2


def test_a_unit_admin_sees_failed_logins_of_their_staff(world, unit_admin):
    Client().post(reverse("login"), {"username": world.users["here"].username, "password": "sai"})
    Client().post(reverse("login"), {"username": world.users["elsewhere"].username, "password": "sai"})
    seen = events_for(unit_admin).filter(action="login_failed")
    assert list(seen.values_list("object_id", flat=True)) == [str(world.users["here"].pk)]


# --- labels -------------------------------------------------------------------------------------------


def test_every_action_in_the_code_base_has_a_label():
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?:_event|audit\.record)\((?:[^()]|\([^()]*\))*?action=\"([\w.]+)\"", text):
            found.add(match.group(1))
        found.update(re.findall(r"action=\"([a-z]+(?:[._][a-z]+)+)\"", text))
    found.discard("store_true")
    assert found, "no audited action found: the pattern is out of date"
    missing = sorted(a for a in found if a not in ACTION_LABELS)
    assert not missing, f"actions without a Vietnamese label in core/audit_labels.py: {missing}"


def test_export_drops_characters_excel_forbids(world, client_for):
    event("login", object_id="u", user_agent="Trinh\x01duyet\x1f", reason="=1+1")
    _, _, rows = sheet_rows(client_for("admin").get(EXPORT))
    assert rows[0][10] == "Trinhduyet"
    assert rows[0][11] == "reason: =1+1"
