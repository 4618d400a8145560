"""The HTTP API of the organisational database (``/api/v1/``): the authorization matrix over every
endpoint, bad input, the workflow moving the roll-ups, query counts of the lists, and OpenAPI.

Who is who (``core.testing``): ``here`` enters data at commune C11, ``above`` views and approves at
province P1, ``elsewhere`` works in province P2, ``citizen`` has no unit role, ``admin`` is a superuser.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import MATRIX, make_unit
from digitalfront.orgs.models import DataSet, Level, Period, Periodicity, Report, ReportStatus, Rollup
from digitalfront.orgs.services import reports as services
from digitalfront.orgs.services import rollups

API = "/api/v1"
UNAUTHENTICATED = "Bạn cần đăng nhập."
NOT_FOUND = "Không tìm thấy hoặc bạn không có quyền truy cập."
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."

VIEW_C11 = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 200, "admin": 200}
EDIT_C11 = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 200, "above": 403, "admin": 200}
APPROVE_C11 = {"anonymous": 401, "citizen": 404, "elsewhere": 404, "here": 403, "above": 200, "admin": 200}
VISIBLE_UNITS = {
    "citizen": set(),
    "elsewhere": {"p2", "c21", "v211"},
    "here": {"c11", "v111", "v112"},
    "above": {"p1", "c11", "c12", "v111", "v112"},
    "admin": {"central", "p1", "p2", "c11", "c12", "c21", "v111", "v112", "v211"},
}
FIGURES = {"members": 100, "staff_fulltime": 2, "staff_front_committee": 30, "staff_executive_committee": 15}


# --- helpers --------------------------------------------------------------------------------------


def make_report(world, unit, *, state: str = "draft", org: str = "mttq", period=None, **figures: Any) -> Report:
    """A report in ``state``, moved there by the superuser through the services."""
    admin = world.user("admin")
    report = services.save_report(actor=admin, unit=unit, org_type=world.orgs[org], period=period or world.period,
                                  data={**FIGURES, **figures})
    if state in ("submitted", "approved", "locked"):
        report = services.submit_report(actor=admin, report=report)
    if state in ("approved", "locked"):
        report = services.approve_report(actor=admin, report=report)
    if state == "locked":
        report = services.lock_report(actor=admin, report=report)
    return report


def snapshot() -> tuple[Any, ...]:
    """Everything a write could change: every report row, every roll-up row, the audit log."""
    reports = list(Report.objects.order_by("pk").values())
    cells = sorted(Rollup.objects.values_list("period_id", "unit_id", "org_type_id", "measure", "value"))
    return reports, cells, AuditEvent.objects.count(), list(AuditEvent.objects.values_list("pk", flat=True))


def put_json(client, path: str, data: Any):
    return client.put(path, data=json.dumps(data), content_type="application/json")


def post_json(client, path: str, data: Any = None):
    if data is None:
        return client.post(path)
    return client.post(path, data=json.dumps(data), content_type="application/json")


def body_for(world, unit, **changes: Any) -> dict[str, Any]:
    return {"unit_id": unit.pk, "org_type": "mttq", "period_id": world.period.pk, **FIGURES,
            "activities": "Ra quân vệ sinh môi trường.", "values": {"nha-dai-doan-ket": 2}, **changes}


def assert_error(response, status: int, detail: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    body = response.json()
    assert set(body) >= {"detail", "field", "code"}
    if detail is not None:
        assert detail in body["detail"], body["detail"]
    return body


def assert_status(response, expected: int) -> None:
    assert response.status_code == expected, response.content.decode()
    if expected == 401:
        assert response.json()["detail"] == UNAUTHENTICATED
    elif expected == 404:
        assert response.json()["detail"] == NOT_FOUND
    elif expected == 403:
        assert response.json()["code"] == "forbidden"


def rollup_members(client, unit, period, org: str = "mttq") -> tuple[int, int]:
    """``(members of org, members over every organisation)`` in the subtree of ``unit``."""
    response = client.get(f"{API}/units/{unit.pk}/rollup", {"period": period.pk})
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    per_org = {o["org_type"]["code"]: o["values"] for o in body["organisations"]}
    return per_org[org]["members"], body["total"]["members"]


@pytest.fixture
def listed(world):
    """Counted reports in both provinces, for the list endpoints."""
    return {
        "p1": make_report(world, world.p1, state="submitted", members=900),
        "c11": make_report(world, world.c11, state="submitted", members=300),
        "v111": make_report(world, world.v111, state="approved", members=50),
        "c21": make_report(world, world.c21, state="submitted", members=200),
        "v211": make_report(world, world.v211, state="draft", members=40),
    }


# --- 1. the authorization matrix --------------------------------------------------------------------


def test_get_unit(world, client_for, who):
    response = client_for(who).get(f"{API}/units/{world.c11.pk}")
    assert_status(response, VIEW_C11[who])
    if response.status_code == 200:
        body = response.json()
        assert body["code"] == world.c11.code
        assert body["name"] == "Phường Ba Đình"
        assert body["level"] == Level.COMMUNE
        assert body["level_label"] == "Xã, phường, đặc khu"
        assert body["parent_id"] == world.p1.pk
        assert body["children_count"] == 2
        codes = [o["code"] for o in body["org_types"]]
        assert codes[0] == "mttq"
        assert "cong-doan" in codes  # exists at communes
        assert next(o for o in body["org_types"] if o["code"] == "cong-doan")["name"] == "Công đoàn cơ sở"


@pytest.mark.parametrize(("unit", "expected"), [
    ("v111", {"here": 200, "above": 200, "elsewhere": 404}),
    ("c12", {"here": 404, "above": 200, "elsewhere": 404}),
    ("p1", {"here": 404, "above": 200, "elsewhere": 404}),
    ("v211", {"here": 404, "above": 404, "elsewhere": 200}),
])
def test_get_unit_other_units(world, client_for, unit, expected):
    for who, status in expected.items():
        assert_status(client_for(who).get(f"{API}/units/{getattr(world, unit).pk}"), status)


def test_get_unit_missing_is_the_same_404(world, client_for):
    assert_status(client_for("admin").get(f"{API}/units/987654"), 404)


def test_unit_list(world, client_for, who):
    response = client_for(who).get(f"{API}/units/")
    if who == "anonymous":
        assert_status(response, 401)
        return
    assert response.status_code == 200
    body = response.json()
    expected = {getattr(world, name).pk for name in VISIBLE_UNITS[who]}
    assert {u["id"] for u in body["items"]} == expected
    assert body["count"] == len(expected)


def test_unit_list_filters(world, client_for):
    client = client_for("above")

    def ids(**params):
        response = client.get(f"{API}/units/", params)
        assert response.status_code == 200, response.content.decode()
        return {u["id"] for u in response.json()["items"]}

    assert ids(q="ba dinh") == {world.c11.pk}  # without diacritics
    assert ids(q="BA ĐÌNH") == {world.c11.pk}
    assert ids(q="duong lam") == {world.c12.pk}
    assert ids(q="00004") == {world.c11.pk}  # the official code
    assert ids(q="lao cai") == set()  # exists, but not in scope
    assert ids(level="village") == {world.v111.pk, world.v112.pk}
    assert ids(parent=world.c11.pk) == {world.v111.pk, world.v112.pk}
    assert ids(parent=world.c21.pk) == set()
    assert ids(level="commune", q="xa") == {world.c12.pk}


def test_unit_list_paginates(world, client_for):
    client = client_for("admin")
    first = client.get(f"{API}/units/", {"limit": 4}).json()
    second = client.get(f"{API}/units/", {"limit": 4, "offset": 4}).json()
    assert first["count"] == second["count"] == 9
    assert len(first["items"]) == 4
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in second["items"]}
    assert_error(client.get(f"{API}/units/", {"limit": 201}), 422, "limit")
    assert client.get(f"{API}/units/", {"limit": 200}).status_code == 200


def test_children(world, client_for, who):
    response = client_for(who).get(f"{API}/units/{world.c11.pk}/children")
    assert_status(response, VIEW_C11[who])
    if response.status_code == 200:
        assert [u["id"] for u in response.json()["items"]] == [world.v111.pk, world.v112.pk]


def test_children_are_only_active_ones(world, client_for):
    world.v112.valid_to = datetime.date(2026, 1, 31)
    world.v112.save()
    body = client_for("here").get(f"{API}/units/{world.c11.pk}/children").json()
    assert [u["id"] for u in body["items"]] == [world.v111.pk]
    assert client_for("here").get(f"{API}/units/{world.c11.pk}").json()["children_count"] == 1


def test_periods(world, client_for, who):
    response = client_for(who).get(f"{API}/periods/")
    if who == "anonymous":
        assert_status(response, 401)
        return
    # periods are the reporting calendar, not data of a unit: every signed-in user reads them
    assert response.status_code == 200
    periods = response.json()
    assert [p["id"] for p in periods][:2] == [world.open_period.pk, world.period.pk]
    starts = [p["start"] for p in periods]
    assert starts == sorted(starts, reverse=True)
    assert periods[0]["dataset"] == world.dataset.code


def test_rollup(world, client_for, who, listed):
    response = client_for(who).get(f"{API}/units/{world.c11.pk}/rollup", {"period": world.period.pk})
    assert_status(response, VIEW_C11[who])
    if response.status_code == 200:
        body = response.json()
        assert body["unit"]["id"] == world.c11.pk
        assert body["period"]["id"] == world.period.pk
        mttq = next(o for o in body["organisations"] if o["org_type"]["code"] == "mttq")
        assert mttq["values"]["members"] == 300 + 50  # its own report and an approved village
        assert mttq["values"]["reports"] == 2
        assert body["total"]["members"] == 350
        assert body["children"] is None
        labels = dict((m["code"], m["label"]) for m in body["measures"])
        assert labels["members"] == "Số hội viên, đoàn viên"
        assert "i:nha-dai-doan-ket" in labels
        assert "i:ghi-chu-phong-trao" not in labels  # text does not roll up


def test_rollup_with_children(world, client_for, listed):
    body = client_for("above").get(
        f"{API}/units/{world.p1.pk}/rollup", {"period": world.period.pk, "children": "true"}
    ).json()
    assert body["total"]["members"] == 900 + 300 + 50
    children = {c["unit"]["id"]: c["total"] for c in body["children"]}
    assert set(children) == {world.c11.pk, world.c12.pk}
    assert children[world.c11.pk]["members"] == 350
    assert children[world.c12.pk]["members"] == 0
    # organisations that exist in the subtree: a village rollup has no trade union
    village = client_for("above").get(f"{API}/units/{world.v111.pk}/rollup", {"period": world.period.pk}).json()
    assert "cong-doan" not in {o["org_type"]["code"] for o in village["organisations"]}
    assert "cong-doan" in {o["org_type"]["code"] for o in body["organisations"]}


def test_rollup_does_not_leak_other_provinces(world, client_for, listed):
    body = client_for("elsewhere").get(f"{API}/units/{world.p2.pk}/rollup",
                                       {"period": world.period.pk, "children": "true"}).json()
    assert body["total"]["members"] == 200  # the draft at v211 does not count
    assert [c["unit"]["id"] for c in body["children"]] == [world.c21.pk]
    assert_status(client_for("elsewhere").get(f"{API}/units/{world.central.pk}/rollup",
                                              {"period": world.period.pk}), 404)


def test_completeness(world, client_for, who, listed):
    response = client_for(who).get(f"{API}/units/{world.c11.pk}/completeness", {"period": world.period.pk})
    assert_status(response, VIEW_C11[who])
    if response.status_code == 200:
        body = response.json()
        assert body["unit"]["unit_id"] == world.c11.pk
        assert body["unit"]["submitted"] == 2
        # a commune owes 9 organisations, each village 5
        assert body["unit"]["expected"] == 9 + 2 * 5
        assert body["unit"]["completeness"] == round(2 / 19, 4)
        assert [c["unit_id"] for c in body["children"]] == [world.v111.pk, world.v112.pk]
        assert body["children"][0]["submitted"] == 1
        assert body["children"][1]["submitted"] == 0


def test_reports_list(world, client_for, who, listed):
    response = client_for(who).get(f"{API}/reports/")
    if who == "anonymous":
        assert_status(response, 401)
        return
    assert response.status_code == 200
    visible = {name for name in listed if name in VISIBLE_UNITS[who]}
    assert {r["id"] for r in response.json()["items"]} == {listed[name].pk for name in visible}
    assert response.json()["count"] == len(visible)


def test_reports_list_filters(world, client_for, listed):
    client = client_for("admin")

    def ids(**params):
        response = client.get(f"{API}/reports/", params)
        assert response.status_code == 200, response.content.decode()
        return {r["id"] for r in response.json()["items"]}

    assert ids(unit=world.c11.pk) == {listed["c11"].pk}
    assert ids(status="approved") == {listed["v111"].pk}
    assert ids(status="draft") == {listed["v211"].pk}
    assert ids(period=world.open_period.pk) == set()
    assert ids(period=world.period.pk) == {r.pk for r in listed.values()}
    assert ids(org_type="phu-nu") == set()
    assert ids(org_type="mttq", unit=world.v111.pk) == {listed["v111"].pk}
    # a filter never widens the scope
    assert {r["id"] for r in client_for("here").get(f"{API}/reports/", {"unit": world.c21.pk}).json()["items"]} \
        == set()
    assert_error(client.get(f"{API}/reports/", {"status": "xong"}), 422, "status")


def test_report_detail(world, client_for, who, listed):
    report = listed["c11"]
    response = client_for(who).get(f"{API}/reports/{report.pk}")
    assert_status(response, VIEW_C11[who])
    if response.status_code == 200:
        body = response.json()
        assert body["unit"] == {"id": world.c11.pk, "code": world.c11.code, "name": world.c11.name,
                                "level": "commune"}
        assert body["org_type"]["code"] == "mttq"
        assert body["period"]["id"] == world.period.pk
        assert body["status"] == "submitted"
        assert body["status_label"] == "Đã nộp"
        assert body["members"] == 300


def test_put_report(world, client_for, who):
    report = make_report(world, world.c11, members=100)
    before = snapshot()
    response = put_json(client_for(who), f"{API}/reports/", body_for(world, world.c11, members=150))
    assert_status(response, EDIT_C11[who])
    report.refresh_from_db()
    if response.status_code == 200:
        body = response.json()
        assert body["id"] == report.pk
        assert body["members"] == report.members == 150
        assert body["status"] == report.status == ReportStatus.DRAFT
        assert body["values"] == {"nha-dai-doan-ket": 2}
        assert AuditEvent.objects.filter(action="report.update", object_id=str(report.pk)).count() == 1
    else:
        assert snapshot() == before
        assert report.members == 100


def test_put_report_creates(world, client_for, who):
    before = snapshot()
    response = put_json(client_for(who), f"{API}/reports/", body_for(world, world.v111))
    assert_status(response, EDIT_C11[who])
    if response.status_code == 200:
        report = Report.objects.get(pk=response.json()["id"])
        assert (report.unit, report.org_type.code, report.period) == (world.v111, "mttq", world.period)
        assert report.updated_by == world.user(who)
        assert AuditEvent.objects.filter(action="report.create", object_id=str(report.pk)).exists()
    else:
        assert snapshot() == before


def test_put_without_trailing_slash(world, client_for):
    response = put_json(client_for("here"), f"{API}/reports", body_for(world, world.c11))
    assert response.status_code == 200, response.content.decode()


def test_submit(world, client_for, who):
    report = make_report(world, world.c11, members=100)
    before = snapshot()
    response = post_json(client_for(who), f"{API}/reports/{report.pk}/submit")
    assert_status(response, EDIT_C11[who])
    report.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["status"] == report.status == ReportStatus.SUBMITTED
        assert rollup_members(client_for("admin"), world.p1, world.period) == (100, 100)
        assert rollups.differences() == []
    else:
        assert snapshot() == before
        assert report.status == ReportStatus.DRAFT


def test_approve(world, client_for, who):
    report = make_report(world, world.c11, state="submitted")
    before = snapshot()
    response = post_json(client_for(who), f"{API}/reports/{report.pk}/approve")
    assert_status(response, APPROVE_C11[who])
    report.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["status"] == report.status == ReportStatus.APPROVED
        assert report.approved_by == world.user(who)
    else:
        assert snapshot() == before
        assert report.status == ReportStatus.SUBMITTED


def test_lock(world, client_for, who):
    report = make_report(world, world.c11, state="approved")
    before = snapshot()
    response = post_json(client_for(who), f"{API}/reports/{report.pk}/lock")
    assert_status(response, APPROVE_C11[who])
    report.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["status"] == report.status == ReportStatus.LOCKED
    else:
        assert snapshot() == before
        assert report.status == ReportStatus.APPROVED


def test_reopen(world, client_for, who):
    report = make_report(world, world.c11, state="approved", members=100)
    before = snapshot()
    response = post_json(client_for(who), f"{API}/reports/{report.pk}/reopen", {"reason": "Sai số hội viên"})
    assert_status(response, APPROVE_C11[who])
    report.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["status"] == report.status == ReportStatus.DRAFT
        assert rollup_members(client_for("admin"), world.p1, world.period) == (0, 0)
        event = AuditEvent.objects.get(action="report.reopen", object_id=str(report.pk))
        assert event.data["reason"] == "Sai số hội viên"
        assert rollups.differences() == []
    else:
        assert snapshot() == before
        assert report.status == ReportStatus.APPROVED
        assert rollup_members(client_for("admin"), world.p1, world.period) == (100, 100)


def test_reopen_locked_needs_an_administrator_above(world, client_for):
    report = make_report(world, world.c11, state="locked")
    before = snapshot()
    response = post_json(client_for("above"), f"{API}/reports/{report.pk}/reopen", {"reason": "Sai số liệu"})
    assert_error(response, 403, "Chỉ quản trị đơn vị cấp trên mới mở lại được báo cáo đã khóa.")
    assert snapshot() == before
    response = post_json(client_for("admin"), f"{API}/reports/{report.pk}/reopen", {"reason": "Sai số liệu"})
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_nobody_approves_their_own_unit(world, client_for):
    """``above`` approves at P1 but not P1's own report (approval is by a strict ancestor)."""
    report = make_report(world, world.p1, state="submitted")
    before = snapshot()
    assert_status(post_json(client_for("above"), f"{API}/reports/{report.pk}/approve"), 403)
    assert snapshot() == before


def test_missing_report_is_the_same_404(world, client_for):
    for action in ("submit", "approve", "lock"):
        assert_status(post_json(client_for("admin"), f"{API}/reports/987654/{action}"), 404)
    assert_status(client_for("admin").get(f"{API}/reports/987654"), 404)


# --- 2. bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "status", "detail", "field"), [
    ({"members": -5}, 422, "Số hội viên, đoàn viên không được âm.", "members"),
    ({"staff_fulltime": -1}, 422, "Cán bộ chuyên trách không được âm.", "staff_fulltime"),
    ({"members": 10, "staff_front_committee": 0, "staff_executive_committee": 11}, 422,
     "Ủy viên Ban Chấp hành (11) không được lớn hơn số hội viên, đoàn viên (10).", "staff_executive_committee"),
    ({"members": 10**12}, 422, "quá lớn", "members"),
    ({"members": "abc"}, 422, "Trường members phải là số nguyên.", "members"),
    ({"members": 12.5}, 422, "phải là số nguyên", "members"),
    ({"members": True}, 422, "phải là số nguyên", "members"),
    ({"activities": 5}, 422, "phải là chuỗi ký tự", "activities"),
    ({"activities": "x" * 10_001}, 422, "Hoạt động tiêu biểu quá dài", "activities"),
    ({"values": {"khong-co-chi-tieu-nay": 1}}, 422, "Chỉ tiêu không có trong bộ dữ liệu: khong-co-chi-tieu-nay.",
     "values"),
    ({"values": {"nha-dai-doan-ket": "nhiều"}}, 422, "Nhà Đại đoàn kết xây mới, sửa chữa phải là số nguyên.",
     "values.nha-dai-doan-ket"),
    ({"values": {"khu-dan-cu-van-hoa": "có lẽ"}}, 422, "phải là Có hoặc Không", "values.khu-dan-cu-van-hoa"),
    ({"values": 5}, 422, "Giá trị của values không hợp lệ.", "values"),
    ({"ghi_chu": "thêm"}, 422, "Trường không được hỗ trợ: ghi_chu.", "ghi_chu"),
    ({"org_type": "khong-ton-tai"}, 422, "Không có tổ chức mã “khong-ton-tai”.", "org_type"),
    ({"org_type": "cong-doan", "unit": "v111"}, 422, "Công đoàn không có tổ chức ở cấp", None),
    ({"unit_id": None}, 422, "phải là số nguyên", "unit_id"),
    ({"period_id": 987654}, 404, "Không tìm thấy kỳ báo cáo.", None),
    ({"unit": "c21"}, 404, NOT_FOUND, None),
    ({"unit": "p1"}, 404, NOT_FOUND, None),  # data entry at C11 cannot even see the province
])
def test_put_rejects_bad_input(world, client_for, changes, status, detail, field):
    make_report(world, world.c11, members=100)
    unit = getattr(world, changes.pop("unit", "c11"))
    before = snapshot()
    response = put_json(client_for("here"), f"{API}/reports/", body_for(world, unit, **changes))
    body = assert_error(response, status, detail)
    if field is not None:
        assert body["field"] == field
    assert snapshot() == before


def test_put_missing_field(world, client_for):
    data = body_for(world, world.c11)
    del data["unit_id"]
    before = snapshot()
    body = assert_error(put_json(client_for("here"), f"{API}/reports/", data), 422,
                        "Thiếu trường bắt buộc: unit_id.")
    assert body["field"] == "unit_id"
    assert snapshot() == before


@pytest.mark.parametrize(("raw", "detail"), [
    ('{"unit_id": 1, "members": ', "Nội dung gửi lên không phải JSON hợp lệ."),
    ("members=5", "Nội dung gửi lên không phải JSON hợp lệ."),
    ("", "Thiếu nội dung yêu cầu (JSON)."),
    ("[1, 2]", "Nội dung gửi lên phải là một đối tượng JSON."),
    ('"chuỗi"', "Nội dung gửi lên phải là một đối tượng JSON."),
])
def test_put_malformed_json(world, client_for, raw, detail):
    make_report(world, world.c11, members=100)
    before = snapshot()
    response = client_for("here").put(f"{API}/reports/", data=raw, content_type="application/json")
    assert_error(response, 422, detail)
    assert snapshot() == before


def test_put_malformed_json_when_signed_out_is_401(world, client_for):
    response = client_for("anonymous").put(f"{API}/reports/", data="{", content_type="application/json")
    assert_status(response, 401)


def test_put_for_an_org_that_does_not_report_in_the_period(world, client_for):
    """A data set that only the Front committee reports: the women's union has nothing to file."""
    dataset = DataSet.objects.create(code="giam-sat", name="Báo cáo giám sát", periodicity=Periodicity.YEARLY,
                                     levels=list(Level.values))
    dataset.org_types.set([world.orgs["mttq"]])
    period = Period.objects.create(dataset=dataset, code="2026", name="Năm 2026", start=datetime.date(2026, 1, 1),
                                   end=datetime.date(2026, 12, 31), deadline=datetime.date(2027, 1, 10))
    before = snapshot()
    response = put_json(client_for("here"), f"{API}/reports/",
                        body_for(world, world.c11, org_type="phu-nu", period_id=period.pk, values={}))
    assert_error(response, 422, "Hội Phụ nữ không báo cáo trong bộ dữ liệu “Báo cáo giám sát”.")
    assert snapshot() == before
    # the Front committee does report there
    response = put_json(client_for("here"), f"{API}/reports/",
                        body_for(world, world.c11, period_id=period.pk, values={}))
    assert response.status_code == 200, response.content.decode()


def test_put_for_a_unit_not_in_force_in_the_period(world, client_for):
    world.v112.valid_from = world.period.end + datetime.timedelta(days=1)  # created after the period
    world.v112.save()
    before = snapshot()
    body = assert_error(put_json(client_for("here"), f"{API}/reports/", body_for(world, world.v112)), 422,
                        "Kỳ báo cáo nằm ngoài thời gian hiệu lực của đơn vị.")
    assert body["field"] == "period"
    assert snapshot() == before
    response = put_json(client_for("here"), f"{API}/reports/",
                        body_for(world, world.v112, period_id=world.open_period.pk))
    assert response.status_code == 200, response.content.decode()


@pytest.mark.parametrize("state", ["submitted", "approved", "locked"])
def test_put_does_not_edit_a_report_that_is_not_a_draft(world, client_for, state):
    report = make_report(world, world.c11, state=state, members=100)
    before = snapshot()
    response = put_json(client_for("here"), f"{API}/reports/", body_for(world, world.c11, members=999))
    assert_error(response, 409, "chỉ sửa được báo cáo nháp")
    assert snapshot() == before
    report.refresh_from_db()
    assert (report.status, report.members) == (state, 100)


@pytest.mark.parametrize(("state", "action", "who", "detail"), [
    ("submitted", "submit", "here", "không thể nộp"),
    ("locked", "submit", "here", "không thể nộp"),
    ("draft", "approve", "above", "Chỉ duyệt được báo cáo đã nộp"),
    ("approved", "approve", "above", "Chỉ duyệt được báo cáo đã nộp"),
    ("submitted", "lock", "above", "Chỉ khóa được báo cáo đã duyệt"),
    ("draft", "reopen", "above", "Báo cáo đang là bản nháp, không cần mở lại."),
])
def test_actions_in_the_wrong_state(world, client_for, state, action, who, detail):
    report = make_report(world, world.c11, state=state)
    before = snapshot()
    response = post_json(client_for(who), f"{API}/reports/{report.pk}/{action}",
                         {"reason": "Kiểm tra"} if action == "reopen" else None)
    assert_error(response, 409, detail)
    assert snapshot() == before


@pytest.mark.parametrize(("raw", "status", "detail"), [
    ('{"reason": "  "}', 422, "Vui lòng nêu lý do mở lại báo cáo."),
    ("{}", 422, "Thiếu trường bắt buộc: reason."),
    ('{"reason": "Sai", "status": "draft"}', 422, "Trường không được hỗ trợ: status."),
    ('{"reason": 5}', 422, "Trường reason phải là chuỗi ký tự."),
    ('{"reason": ', 422, "Nội dung gửi lên không phải JSON hợp lệ."),
    ("", 422, "Thiếu nội dung yêu cầu (JSON)."),
])
def test_reopen_rejects_bad_input(world, client_for, raw, status, detail):
    report = make_report(world, world.c11, state="submitted")
    before = snapshot()
    response = client_for("above").post(f"{API}/reports/{report.pk}/reopen", data=raw,
                                        content_type="application/json")
    assert_error(response, status, detail)
    assert snapshot() == before


@pytest.mark.parametrize(("path", "params", "status", "detail"), [
    ("units/", {"level": "huyen"}, 422, "Giá trị của level không hợp lệ."),
    ("units/", {"parent": "abc"}, 422, "Trường parent phải là số nguyên."),
    ("units/", {"limit": 0}, 422, "limit"),
    ("units/{c11}/rollup", {}, 422, "Thiếu trường bắt buộc: period."),
    ("units/{c11}/rollup", {"period": "abc"}, 422, "Trường period phải là số nguyên."),
    ("units/{c11}/rollup", {"period": 987654}, 404, "Không tìm thấy kỳ báo cáo."),
    ("units/{c11}/completeness", {"period": 987654}, 404, "Không tìm thấy kỳ báo cáo."),
    ("units/abc", {}, 422, "Trường unit_id phải là số nguyên."),
    ("reports/", {"offset": -1}, 422, "offset"),
])
def test_bad_query_parameters(world, client_for, path, params, status, detail):
    response = client_for("admin").get(f"{API}/" + path.format(c11=world.c11.pk), params)
    assert_error(response, status, detail)


# --- 3. the workflow moves the roll-ups ------------------------------------------------------------


def test_workflow_through_the_api_moves_rollups(world, client_for):
    here, above, admin = client_for("here"), client_for("above"), client_for("admin")
    period = world.period
    data = body_for(world, world.v111, members=321, values={"nha-dai-doan-ket": 3, "khu-dan-cu-van-hoa": True})
    response = put_json(here, f"{API}/reports/", data)
    assert response.status_code == 200, response.content.decode()
    report_id = response.json()["id"]
    for unit in (world.c11, world.p1, world.central):
        assert rollup_members(admin, unit, period) == (0, 0)  # a draft does not count

    assert post_json(here, f"{API}/reports/{report_id}/submit").status_code == 200
    for unit in (world.v111, world.c11, world.p1, world.central):
        assert rollup_members(admin, unit, period) == (321, 321)
    assert rollup_members(here, world.c11, period) == (321, 321)
    assert rollup_members(above, world.p1, period) == (321, 321)
    body = admin.get(f"{API}/units/{world.central.pk}/rollup", {"period": period.pk, "children": "true"}).json()
    assert body["total"]["i:nha-dai-doan-ket"] == 3
    assert body["total"]["i:khu-dan-cu-van-hoa"] == 1
    assert body["total"]["reports"] == 1
    assert {c["unit"]["id"]: c["total"]["members"] for c in body["children"]} == {world.p1.pk: 321, world.p2.pk: 0}
    assert rollup_members(admin, world.p2, period) == (0, 0)
    assert rollup_members(admin, world.c11, world.open_period) == (0, 0)  # another period
    completeness = here.get(f"{API}/units/{world.c11.pk}/completeness", {"period": period.pk}).json()
    assert completeness["unit"]["submitted"] == 1
    assert rollups.differences() == []

    assert post_json(above, f"{API}/reports/{report_id}/approve").status_code == 200
    assert rollup_members(admin, world.central, period) == (321, 321)  # approval does not move figures

    response = post_json(above, f"{API}/reports/{report_id}/reopen", {"reason": "Số hội viên chưa đúng"})
    assert response.status_code == 200, response.content.decode()
    for unit in (world.c11, world.p1, world.central):
        assert rollup_members(admin, unit, period) == (0, 0)
    assert rollups.differences() == []

    # corrected and submitted again: counted once, with the new figures
    assert put_json(here, f"{API}/reports/", {**data, "members": 300}).status_code == 200
    assert post_json(here, f"{API}/reports/{report_id}/submit").status_code == 200
    assert rollup_members(admin, world.central, period) == (300, 300)
    assert rollups.differences() == []


# --- 4. the lists make a fixed number of queries ------------------------------------------------------


@pytest.fixture
def crowd(world):
    """Forty more villages under C11, each with a counted report, and a report at each commune."""
    for n in range(40):
        village = make_unit(f"00004-{n + 100}", f"Tổ dân phố {n + 100}", Level.VILLAGE, world.c11)
        make_report(world, village, state="submitted", org="phu-nu", members=n + 50)
        make_report(world, village, state="draft", org="mttq", members=n + 50)
    for unit in (world.c11, world.c12, world.p1):
        make_report(world, unit, state="submitted")


# session, user, the user's roles (none for a superuser), then count and page
@pytest.mark.parametrize(("path", "queries", "at_least"), [
    ("units/?limit=200", 5, 45),
    ("units/?q=to+dan+pho&limit=200", 5, 42),
    ("units/{c11}/children?limit=200", 6, 42),  # and the parent unit
    ("reports/?limit=200", 5, 83),
    ("reports/?status=submitted&limit=200", 5, 43),
    ("periods/", 3, 3),  # not paginated, not scoped
])
@pytest.mark.parametrize("who", ["above", "admin"])
def test_lists_make_a_fixed_number_of_queries(world, client_for, crowd, django_assert_max_num_queries,
                                              path, queries, at_least, who):
    client = client_for(who)
    url = f"{API}/" + path.format(c11=world.c11.pk)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    items = body if isinstance(body, list) else body["items"]
    assert len(items) >= at_least


# --- OpenAPI ------------------------------------------------------------------------------------------


def test_openapi_lists_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/v1/units/": {"get"},
        "/api/v1/units/{unit_id}": {"get"},
        "/api/v1/units/{unit_id}/children": {"get"},
        "/api/v1/units/{unit_id}/rollup": {"get"},
        "/api/v1/units/{unit_id}/completeness": {"get"},
        "/api/v1/periods/": {"get"},
        "/api/v1/reports/": {"get", "put"},
        "/api/v1/reports/{report_id}": {"get"},
        "/api/v1/reports/{report_id}/submit": {"post"},
        "/api/v1/reports/{report_id}/approve": {"post"},
        "/api/v1/reports/{report_id}/lock": {"post"},
        "/api/v1/reports/{report_id}/reopen": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert set(paths[path]) >= methods, path
    assert "/api/v1/reports" not in paths  # the alias without a slash is not documented twice
    put = paths["/api/v1/reports/"]["put"]
    assert put["tags"] == ["Báo cáo"]
    body = put["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    report_in = schema["components"]["schemas"][ref]
    assert report_in.get("additionalProperties") is False
    assert {"unit_id", "org_type", "period_id"} <= set(report_in["required"])
    assert paths["/api/v1/units/"]["get"]["tags"] == ["Đơn vị"]
    assert paths["/api/v1/units/{unit_id}/rollup"]["get"]["tags"] == ["Số liệu tổng hợp"]


def test_openapi_docs_page(client):
    assert client.get("/api/docs").status_code == 200


def test_every_user_in_the_matrix_is_covered():
    assert set(VIEW_C11) == set(EDIT_C11) == set(APPROVE_C11) == set(MATRIX)
