"""The periodic deadline work, with frozen time: alerts at T-5 working days and at the deadline,
escalation of overdue cases, auto-closing after the reopening window, catch-up after downtime."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from digitalfront.feedback.models import Alert, AlertKind, Case, Status
from digitalfront.feedback.services import deadlines, handling, intake

from .conftest import received_on, submission

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_alerts_before_and_at_the_deadline_then_escalation(fw):
    # a complaint received Monday 2 November 2026: 10 working days to accept -> due Monday 16 November
    with time_machine.travel(received_on(dt.date(2026, 11, 2)), tick=False):
        case = intake.submit(submission(fw, kind="complaint")).case
    assert timezone.localtime(case.due_at).date() == dt.date(2026, 11, 16)

    assert deadlines.run(at(dt.date(2026, 11, 5))) == {"warned": 0, "overdue": 0, "escalated": 0, "closed": 0}
    # Monday 9 November: 5 working days before the deadline
    counts = deadlines.run(at(dt.date(2026, 11, 9)))
    assert counts["warned"] == 1
    assert Alert.objects.filter(case=case, kind=AlertKind.DUE_SOON, unit=fw.c11).exists()
    assert deadlines.run(at(dt.date(2026, 11, 10)))["warned"] == 0  # once only

    counts = deadlines.run(at(dt.date(2026, 11, 17)))
    assert counts["overdue"] == 1 and counts["escalated"] == 0
    assert Alert.objects.filter(case=case, kind=AlertKind.OVERDUE).count() == 1
    # two working days overdue (18 November): the Front of Hà Nội is alerted, the case stays at Ba Đình
    counts = deadlines.run(at(dt.date(2026, 11, 18)))
    assert counts["escalated"] == 1
    case.refresh_from_db()
    assert case.escalated and case.unit == fw.c11
    assert Alert.objects.filter(case=case, kind=AlertKind.ESCALATED, unit=fw.p1).exists()
    assert list(case.events.filter(action__startswith="alert").values_list("action", flat=True)) == [
        "alert_due_soon",
        "alert_overdue",
    ]
    assert deadlines.run(at(dt.date(2026, 11, 19))) == {"warned": 0, "overdue": 0, "escalated": 0, "closed": 0}


def test_a_scheduler_that_was_down_catches_up_in_one_run(fw):
    with time_machine.travel(received_on(dt.date(2026, 11, 2)), tick=False):
        case = intake.submit(submission(fw, kind="complaint")).case
    # nothing ran for three weeks: one run does the warning, the overdue alert and the escalation
    counts = deadlines.run(at(dt.date(2026, 11, 23)))
    assert counts == {"warned": 0, "overdue": 1, "escalated": 1, "closed": 0}
    case.refresh_from_db()
    assert case.overdue_at is not None and case.warned_at is not None and case.escalated


def test_an_extension_restarts_the_alerts(fw):
    with time_machine.travel(received_on(dt.date(2026, 10, 1)), tick=False):
        case = intake.submit(submission(fw, kind="denunciation")).case
        handling.accept(actor=fw.user("here"), case=case)
    case.refresh_from_db()
    deadlines.run(case.due_at + dt.timedelta(days=1))
    case.refresh_from_db()
    assert case.overdue_at is not None
    handling.extend(
        actor=fw.user("here"), case=case, complexity="complex", decision_number="5/QĐ-TC", reason="Cần xác minh thêm"
    )
    case.refresh_from_db()
    assert case.overdue_at is None and case.warned_at is None and case.due_at > timezone.now()


def test_answered_cases_close_after_the_reopening_window(fw):
    case = intake.submit(submission(fw)).case
    handling.accept(actor=fw.user("here"), case=case)
    handling.answer(actor=fw.user("here"), case=case, text="Đã xử lý.")
    case.refresh_from_db()
    assert deadlines.run(case.answered_at + dt.timedelta(days=29))["closed"] == 0
    assert deadlines.run(case.answered_at + dt.timedelta(days=31))["closed"] == 1
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closed_at is not None
    assert Case.objects.filter(status=Status.ANSWERED).count() == 0


def test_the_deadline_job_is_registered_with_the_scheduler():
    from digitalfront.core.scheduler import registered
    from digitalfront.feedback.tasks import check_deadlines

    job = registered()["feedback.check_deadlines"]
    assert job.task is check_deadlines and job.every == dt.timedelta(minutes=15)
