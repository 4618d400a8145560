"""Reports: validation, the workflow, and the roll-ups it maintains."""

import datetime

import pytest

from digitalfront.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.models import AuditEvent
from digitalfront.orgs.models import Report, ReportStatus, Rollup
from digitalfront.orgs.selectors import completeness, subtree_totals, sum_orgs
from digitalfront.orgs.services import rollups
from digitalfront.orgs.services.reports import (
    approve_report,
    lock_report,
    reopen_report,
    save_report,
    submit_report,
)

FIGURES = {"members": 120, "staff_fulltime": 0, "staff_front_committee": 1, "staff_executive_committee": 7}


def enter(world, unit, org="phu-nu", who="here", period=None, **extra):
    data = {**FIGURES, **extra}
    return save_report(actor=world.user(who), unit=unit, org_type=world.orgs[org],
                       period=period or world.period, data=data)


def totals(world, unit, period=None):
    period = period or world.period
    return sum_orgs(subtree_totals([unit.pk], period)[unit.pk])


def test_submit_moves_every_ancestor_and_reopen_moves_back(world):
    report = enter(world, world.v111, values={})
    assert totals(world, world.central) == {}  # drafts do not count
    submit_report(actor=world.user("here"), report=report)
    for unit in (world.v111, world.c11, world.p1, world.central):
        assert totals(world, unit)["members"] == 120
        assert totals(world, unit)["reports"] == 1
    assert totals(world, world.p2) == {}
    assert rollups.differences() == []

    reopen_report(actor=world.user("above"), report=report, reason="sai số liệu")
    for unit in (world.c11, world.p1, world.central):
        assert totals(world, unit).get("members", 0) == 0
    assert rollups.differences() == []


def test_indicators_roll_up_like_fixed_fields(world):
    values = {"quy-vi-nguoi-ngheo": 15_000_000, "nha-dai-doan-ket": 2, "khu-dan-cu-van-hoa": True,
              "ghi-chu-phong-trao": "Tốt"}
    for village in (world.v111, world.v112):
        submit_report(actor=world.user("here"), report=enter(world, village, org="mttq", values=values))
    total = totals(world, world.p1)
    assert total["i:quy-vi-nguoi-ngheo"] == 30_000_000
    assert total["i:nha-dai-doan-ket"] == 4
    assert total["i:khu-dan-cu-van-hoa"] == 2
    assert "i:ghi-chu-phong-trao" not in total  # text does not roll up
    assert rollups.differences() == []


def test_full_workflow_and_timeliness(world):
    report = enter(world, world.c11)
    late = datetime.datetime.combine(world.period.deadline + datetime.timedelta(days=3), datetime.time(9),
                                     tzinfo=datetime.UTC)
    report = submit_report(actor=world.user("here"), report=report, now=late)
    assert report.status == ReportStatus.SUBMITTED and not report.submitted_on_time
    report = approve_report(actor=world.user("above"), report=report)
    assert report.status == ReportStatus.APPROVED and report.approved_by == world.user("above")
    report = lock_report(actor=world.user("above"), report=report)
    assert report.status == ReportStatus.LOCKED
    with pytest.raises(InvalidState):
        save_report(actor=world.user("here"), unit=world.c11, org_type=world.orgs["phu-nu"],
                    period=world.period, data=FIGURES)
    # a locked report is reopened only by a unit administrator above (or a superuser)
    with pytest.raises(PermissionDenied):
        reopen_report(actor=world.user("above"), report=report)
    reopen_report(actor=world.user("admin"), report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    # the first submission decides timeliness, even after a reopen
    report = submit_report(actor=world.user("here"), report=report)
    assert not report.submitted_on_time
    actions = list(AuditEvent.objects.filter(object_id=str(report.pk)).values_list("action", flat=True))
    assert {"report.submit", "report.approve", "report.lock", "report.reopen"} <= set(actions)


def test_nobody_approves_their_own_unit(world):
    report = submit_report(actor=world.user("here"), report=enter(world, world.c11))
    with pytest.raises(PermissionDenied):
        approve_report(actor=world.user("here"), report=report)
    with pytest.raises(NotFound):
        approve_report(actor=world.user("elsewhere"), report=report)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"members": -1}, "members"),
        ({"members": 5, "staff_executive_committee": 9}, "staff_executive_committee"),
        ({"members": "abc"}, "members"),
        ({"members": 1.5}, "members"),
        ({"members": True}, "members"),
        ({"members": 10**12}, "members"),
        ({"activities": 5}, "activities"),
        ({"activities": "x" * 10_001}, "activities"),
        ({"values": {"khong-co": 1}}, "values"),
        ({"values": {"quy-vi-nguoi-ngheo": -5}}, "values.quy-vi-nguoi-ngheo"),
        ({"values": {"khu-dan-cu-van-hoa": "có lẽ"}}, "values.khu-dan-cu-van-hoa"),
        ({"values": [1, 2]}, "values"),
        ({"activities": "Tổ chức \ufffd\ufffd hội nghị"}, "activities"),  # wrong encoding upstream
        ({"difficulties": "a\x00b"}, "difficulties"),
        ({"values": {"ghi-chu-phong-trao": "\ufffd"}}, "values.ghi-chu-phong-trao"),
    ],
)
def test_bad_figures_are_refused_in_vietnamese_and_change_nothing(world, data, field):
    before = (Report.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        save_report(actor=world.user("here"), unit=world.c11, org_type=world.orgs["mttq"], period=world.period,
                    data={"members": 10, **data})
    assert caught.value.field == field
    assert caught.value.status == 422
    assert any(ch in caught.value.message for ch in "ảàáạăâđêôơư")  # Vietnamese, with diacritics
    assert (Report.objects.count(), AuditEvent.objects.count()) == before


def test_unit_not_in_force_for_the_period_is_refused(world):
    world.v112.valid_from = world.period.end + datetime.timedelta(days=1)
    world.v112.save()
    with pytest.raises(ValidationFailed, match="hiệu lực"):
        enter(world, world.v112)


def test_organisation_absent_at_level_is_refused(world):
    with pytest.raises(ValidationFailed, match="không có tổ chức"):
        enter(world, world.v111, org="cong-doan")  # no trade union at village level


def test_out_of_scope_edit_is_not_found(world):
    with pytest.raises(NotFound):
        enter(world, world.v211)
    with pytest.raises(PermissionDenied):
        enter(world, world.c11, who="above")
    assert Report.objects.count() == 0


def test_children_must_be_approved_first_when_the_dataset_says_so(world):
    world.dataset.require_children_approved = True
    world.dataset.save()
    report = enter(world, world.c11)
    with pytest.raises(InvalidState, match="Tổ dân phố 1"):
        submit_report(actor=world.user("here"), report=report)
    for village in (world.v111, world.v112):
        child = submit_report(actor=world.user("here"), report=enter(world, village))
        approve_report(actor=world.user("above"), report=child)
    submit_report(actor=world.user("here"), report=report)


def test_completeness_and_timeliness(world):
    on_time = datetime.datetime.combine(world.period.deadline, datetime.time(1), tzinfo=datetime.UTC)
    late = on_time + datetime.timedelta(days=5)
    submit_report(actor=world.user("here"), report=enter(world, world.v111), now=on_time)
    submit_report(actor=world.user("here"), report=enter(world, world.v112), now=late)
    [row] = completeness([world.c11], world.period)
    # c11 (commune: 9 organisations) + two villages (5 each) owe 19 reports
    assert row.expected == 19
    assert row.submitted == 2 and row.on_time == 1
    assert row.completeness == pytest.approx(2 / 19)
    assert row.timeliness == pytest.approx(1 / 19)


def test_concurrent_style_sequence_keeps_rollups_exact(world):
    """Many submissions and reopenings in a row leave no difference with a recomputation."""
    reports = []
    for unit in (world.c11, world.v111, world.v112, world.c12):
        for org in ("mttq", "phu-nu", "nong-dan"):
            reports.append(submit_report(actor=world.user("admin"),
                                         report=enter(world, unit, org=org, who="admin")))
    for report in reports[::2]:
        reopen_report(actor=world.user("admin"), report=report)
    assert rollups.differences() == []
    assert Rollup.objects.filter(value__lt=0).count() == 0
