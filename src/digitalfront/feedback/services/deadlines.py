"""The periodic work on clocks, run by the scheduler (``feedback.tasks.check_deadlines``): alerts five
working days before a deadline and at it, escalation of cases left overdue, and closing answered cases
whose reopening window has passed.

Every step is idempotent (a case carries ``warned_at``, ``overdue_at``, ``escalated``), so a scheduler
that was down catches up by running once: whatever fell due meanwhile is handled in that run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from digitalfront.core.workdays import add_working_days, local_date, working_days_between

from .. import clocks
from ..models import OPEN_STATUSES, Alert, AlertKind, Case, Status
from .citizen import reopen_window
from .common import add_event, move

BATCH = 500


def escalate_after_days() -> int:
    """Working days a case may stay overdue before the level above is alerted."""
    return int(getattr(settings, "DIGITALFRONT_FEEDBACK_ESCALATE_AFTER_DAYS", 2))


def _alert(case: Case, kind: str, unit_id: int, now: dt.datetime) -> None:
    Alert.objects.get_or_create(case=case, kind=kind, unit_id=unit_id, due_at=case.due_at, defaults={"created_at": now})


def run(now: dt.datetime | None = None) -> dict[str, int]:
    """Alert, escalate and close what is due at ``now``; returns how many cases each step touched."""
    now = now or timezone.now()
    counts = {"warned": 0, "overdue": 0, "escalated": 0, "closed": 0}
    warn_until = add_working_days(now, clocks.WARN_DAYS_BEFORE)
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES, due_at__isnull=False)

    for pk in open_cases.filter(warned_at__isnull=True, due_at__gte=now, due_at__lte=warn_until).values_list(
        "pk", flat=True
    )[: BATCH * 20]:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=pk, warned_at__isnull=True).first()
            if case is None:
                continue
            _alert(case, AlertKind.DUE_SOON, case.unit_id, now)
            case.warned_at = now
            case.save(update_fields=["warned_at"])
            add_event(
                case,
                action="alert_due_soon",
                at=now,
                note=f"Còn dưới {clocks.WARN_DAYS_BEFORE} ngày làm việc đến hạn "
                f"{timezone.localtime(case.due_at):%d/%m/%Y}.",
            )
            counts["warned"] += 1

    for pk in open_cases.filter(overdue_at__isnull=True, due_at__lt=now).values_list("pk", flat=True)[: BATCH * 20]:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=pk, overdue_at__isnull=True).first()
            if case is None:
                continue
            _alert(case, AlertKind.OVERDUE, case.unit_id, now)
            case.overdue_at = now
            case.warned_at = case.warned_at or now
            case.save(update_fields=["overdue_at", "warned_at"])
            add_event(case, action="alert_overdue", at=now, note="Đã quá hạn.")
            counts["overdue"] += 1

    limit = escalate_after_days()
    today = local_date(now)
    overdue = open_cases.filter(escalated=False, overdue_at__isnull=False, due_at__lt=now).select_related("unit")
    for case in overdue[: BATCH * 20]:
        if case.due_at is None or case.unit.parent_id is None:
            continue
        if working_days_between(local_date(case.due_at), today) < limit:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().filter(pk=case.pk, escalated=False).first()
            if locked is None:
                continue
            # the rule raises the case to the level above: its Front is alerted and sees it flagged in
            # its inbox; the handling unit keeps it (a transfer stays a human decision)
            _alert(locked, AlertKind.ESCALATED, case.unit.parent_id, now)
            locked.escalated = True
            locked.save(update_fields=["escalated"])
            add_event(
                locked, action="escalate_rule", at=now, note=f"Quá hạn {limit} ngày làm việc: đã báo Mặt trận cấp trên."
            )
            counts["escalated"] += 1

    window = reopen_window()
    for pk in Case.objects.filter(status=Status.ANSWERED, answered_at__lt=now - window).values_list("pk", flat=True)[
        : BATCH * 20
    ]:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=pk, status=Status.ANSWERED).first()
            if case is None:
                continue
            case.due_at = None
            move(
                case,
                Status.CLOSED,
                actor=None,
                action="auto_close",
                at=now,
                fields=["due_at"],
                public_note="Tự động đóng sau thời hạn mở lại.",
            )
            counts["closed"] += 1
    return counts


def staff_to_alert(unit_ids: list[int]) -> list[Any]:
    """Active staff with e-mail who handle cases at these units (data entry and unit administrators)."""
    from digitalfront.accounts.models import UnitRole

    return list(
        UnitRole.objects.filter(unit_id__in=unit_ids, role__in=["data_entry", "unit_admin"], user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
