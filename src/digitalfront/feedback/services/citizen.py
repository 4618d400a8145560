"""What the sender (holder of the private link, or the signed-in citizen) and the public may do to a case:
reopen it once, rate the answer, report a public case as abusive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from digitalfront.core.errors import InvalidState, ValidationFailed
from digitalfront.core.workdays import add_working_days

from .. import clocks
from ..models import AbuseReport, Alert, AlertKind, Case, Status
from .common import add_event, lock, move

ABUSE_HIDE_AFTER = 3


def reopen_window() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "DIGITALFRONT_FEEDBACK_REOPEN_DAYS", 30)))


def can_reopen(case: Case, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        case.status in (Status.ANSWERED, Status.CLOSED)
        and case.reopen_count == 0
        and case.answered_at is not None
        and now <= case.answered_at + reopen_window()
    )


@transaction.atomic
def reopen(*, case: Case, reason: str, actor: Any = None) -> Case:
    """The citizen is not satisfied with the answer: the case goes back to handling, once, within the window."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationFailed(
            "Hãy cho biết vì sao chưa đồng ý với câu trả lời (ít nhất 10 ký tự).",
            field="reason",
            code="reason_required",
        )
    if len(reason) > 5000:
        raise ValidationFailed("Lý do dài quá 5000 ký tự.", field="reason", code="too_long")
    case = lock(case)
    if case.reopen_count >= 1:
        raise InvalidState("Mỗi phản ánh chỉ được mở lại một lần.", code="reopened_once")
    if not can_reopen(case):
        raise InvalidState("Đã quá thời hạn mở lại phản ánh (hoặc phản ánh chưa được trả lời).", code="window")
    now = timezone.now()
    case.reopen_count = 1
    case.reopened_at = now
    case.resolve_due_at = case.due_at = add_working_days(now, clocks.resolve_days(case))
    case.warned_at = case.overdue_at = None
    case.published = False  # the answer is being reconsidered
    move(
        case,
        Status.IN_PROGRESS,
        actor=actor,
        action="reopen",
        at=now,
        note=reason,
        public_note="Người gửi đề nghị xem xét lại; phản ánh được mở lại.",
        fields=["reopen_count", "reopened_at", "resolve_due_at", "due_at", "warned_at", "overdue_at", "published"],
    )
    return case


@transaction.atomic
def rate(*, case: Case, score: Any, comment: str = "", actor: Any = None) -> Case:
    """The citizen's satisfaction with the answer, 1 (very unsatisfied) to 5 (very satisfied)."""
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationFailed("Mức hài lòng phải từ 1 đến 5.", field="satisfaction", code="range")
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationFailed("Nhận xét dài quá 500 ký tự.", field="comment", code="too_long")
    case = lock(case)
    if case.status not in (Status.ANSWERED, Status.CLOSED) or case.answered_at is None:
        raise InvalidState("Chỉ đánh giá được sau khi có trả lời.", code="not_answered")
    if case.rated_at is not None:
        raise InvalidState("Bạn đã đánh giá câu trả lời này.", code="already_rated")
    case.satisfaction, case.satisfaction_comment, case.rated_at = value, comment, timezone.now()
    case.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at", "updated_at"])
    add_event(case, action="rate", actor=actor, satisfaction=value)
    return case


def report_abuse(*, case: Case, reporter_hash: str, reason: str = "") -> bool:
    """Count one report of ``case`` by this reporter (hashed account, device or address).

    After :data:`ABUSE_HIDE_AFTER` distinct reporters the case is hidden and waits for review by staff.
    Returns whether this report was new.
    """
    if not reporter_hash:
        raise ValidationFailed("Không xác định được người báo cáo.", code="reporter")
    reason = (reason or "").strip()[:300]
    try:
        with transaction.atomic():
            case = lock(case)
            AbuseReport.objects.create(case=case, reporter_hash=reporter_hash, reason=reason)
            Case.objects.filter(pk=case.pk).update(abuse_reports=F("abuse_reports") + 1)
            case.refresh_from_db(fields=["abuse_reports"])
            if case.abuse_reports >= ABUSE_HIDE_AFTER and not case.hidden:
                case.hidden, case.hidden_reason = True, "abuse"
                case.save(update_fields=["hidden", "hidden_reason", "updated_at"])
                add_event(case, action="hidden_abuse", note=f"Tự động ẩn sau {case.abuse_reports} báo cáo vi phạm.")
                Alert.objects.get_or_create(
                    case=case,
                    kind=AlertKind.ABUSE,
                    unit_id=case.unit_id,
                    due_at=None,
                    defaults={"created_at": timezone.now()},
                )
    except IntegrityError:
        return False  # this reporter already reported it
    return True
