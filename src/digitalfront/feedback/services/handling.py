"""What Front staff do with a case: accept or refuse it, forward it, transfer or escalate it, extend its
deadline, answer and close it, merge duplicates.

Each function takes a case the caller loaded through ``feedback.access`` (so scope is already checked),
locks it, checks the state machine, writes the change, its timeline entry and its audit event in one
transaction, and tells the citizen after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from digitalfront.core import audit
from digitalfront.core.errors import InvalidState, ValidationFailed
from digitalfront.core.workdays import add_working_days
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .. import clocks
from ..models import Authority, Case, Extension, Forwarding, Kind, Status
from ..states import check_move
from .common import add_event, lock, move, notify_citizen_on_commit

NOTE_MAX = 5_000
ANSWER_MAX = 20_000


def _required(text: Any, label: str, field: str, maximum: int = NOTE_MAX) -> str:
    value = (text or "").strip() if isinstance(text, str) else ""
    if not value:
        raise ValidationFailed(f"Hãy nhập {label}.", field=field, code="required")
    if len(value) > maximum:
        raise ValidationFailed(f"{label[0].upper() + label[1:]} dài quá {maximum} ký tự.", field=field, code="too_long")
    return value


def _optional(text: Any, field: str, maximum: int = NOTE_MAX) -> str:
    value = (text or "").strip() if isinstance(text, str) else ""
    if len(value) > maximum:
        raise ValidationFailed(f"Nội dung dài quá {maximum} ký tự.", field=field, code="too_long")
    return value


@transaction.atomic
def accept(*, actor: Any, case: Case, note: str = "") -> Case:
    """Accept ``case`` for handling: its resolution clock starts now."""
    case = lock(case)
    check_move(case, Status.ACCEPTED)
    now = timezone.now()
    case.resolve_due_at = clocks.resolve_deadline(case, now)
    case.due_at = case.resolve_due_at
    case.warned_at = case.overdue_at = None
    move(
        case,
        Status.ACCEPTED,
        actor=actor,
        action="accept",
        at=now,
        note=_optional(note, "note"),
        public_note=f"Đã thụ lý. Hạn giải quyết: {timezone.localtime(case.due_at):%d/%m/%Y}.",
        fields=["resolve_due_at", "due_at", "warned_at", "overdue_at"],
    )
    notify_citizen_on_commit(case, "accepted")
    return case


@transaction.atomic
def refuse(*, actor: Any, case: Case, reason: str) -> Case:
    """Refuse to accept ``case``, with the reason the citizen will read."""
    reason = _required(reason, "lý do không thụ lý", "reason")
    case = lock(case)
    case.due_at = None
    move(
        case,
        Status.REFUSED,
        actor=actor,
        action="refuse",
        note=reason,
        public_note=f"Không thụ lý: {reason}",
        fields=["due_at"],
    )
    notify_citizen_on_commit(case, "refused")
    return case


@transaction.atomic
def start(*, actor: Any, case: Case, note: str = "") -> Case:
    """Mark ``case`` as being resolved by the Front itself."""
    case = lock(case)
    move(
        case,
        Status.IN_PROGRESS,
        actor=actor,
        action="start",
        note=_optional(note, "note"),
        public_note="Đang giải quyết.",
    )
    return case


@transaction.atomic
def forward(*, actor: Any, case: Case, authority: Authority, note: str = "") -> Forwarding:
    """Send ``case`` to a competent authority of the handling unit's directory (or an ancestor's)."""
    case = lock(case)
    if case.from_banned_sender:
        raise InvalidState("Phản ánh của người gửi đang bị chặn không được chuyển đi.", code="banned_sender")
    if not authority.active or not case.unit.path.startswith(authority.unit.path):
        raise ValidationFailed("Cơ quan này không có trong danh bạ của đơn vị.", field="authority", code="authority")
    note = _optional(note, "note")
    move(
        case,
        Status.FORWARDED,
        actor=actor,
        action="forward",
        note=note,
        public_note=f"Đã chuyển đến {authority.name} để giải quyết theo thẩm quyền.",
        authority=authority.name,
    )
    forwarding = Forwarding.objects.create(
        case=case, authority=authority, unit=case.unit, sent_at=timezone.now(), sent_by=actor, note=note
    )
    notify_citizen_on_commit(case, "forwarded")
    return forwarding


@transaction.atomic
def record_authority_answer(*, actor: Any, forwarding: Forwarding, answer: str) -> Forwarding:
    """The authority's answer to a forwarded case (written by its account or by Front staff)."""
    answer = _required(answer, "nội dung trả lời", "answer", ANSWER_MAX)
    forwarding = Forwarding.objects.select_for_update().select_related("case", "authority").get(pk=forwarding.pk)
    if forwarding.answered_at is not None:
        raise InvalidState("Cơ quan đã trả lời lần chuyển này.", code="already_answered")
    forwarding.answer, forwarding.answered_at, forwarding.answered_by = answer, timezone.now(), actor
    forwarding.save(update_fields=["answer", "answered_at", "answered_by"])
    case = lock(forwarding.case)
    add_event(case, action="authority_answer", actor=actor, note=answer, authority=forwarding.authority.name)
    audit.record(actor=actor, action="feedback.authority_answer", obj=case, unit_path=case.unit_path, code=case.code)
    return forwarding


@transaction.atomic
def answer(*, actor: Any, case: Case, text: str) -> Case:
    """Answer the citizen: the answer is what the tracking page (and, once published, the public page) shows."""
    text = _required(text, "nội dung trả lời", "answer", ANSWER_MAX)
    case = lock(case)
    now = timezone.now()
    case.answer = text
    case.answered_on_time = case.due_at is None or now <= case.due_at
    move(
        case,
        Status.ANSWERED,
        actor=actor,
        action="answer",
        at=now,
        public_note="Đã có trả lời.",
        fields=["answer", "answered_on_time"],
    )
    notify_citizen_on_commit(case, "answered")
    return case


@transaction.atomic
def close(*, actor: Any, case: Case, note: str = "") -> Case:
    case = lock(case)
    case.due_at = None
    move(case, Status.CLOSED, actor=actor, action="close", note=_optional(note, "note"), fields=["due_at"])
    return case


@transaction.atomic
def add_note(*, actor: Any, case: Case, note: str) -> None:
    """A staff note on the timeline (not shown to the citizen)."""
    add_event(lock(case), action="note", actor=actor, note=_required(note, "ghi chú", "note"))


def _front_unit(unit: Unit) -> None:
    if unit.level not in (UnitLevel.CENTRAL, UnitLevel.PROVINCE, UnitLevel.COMMUNE) or unit.valid_to is not None:
        raise ValidationFailed(
            "Chỉ chuyển được tới Mặt trận cấp xã, tỉnh hoặc Trung ương đang hoạt động.", field="unit", code="unit"
        )


@transaction.atomic
def transfer(*, actor: Any, case: Case, unit: Unit, reason: str) -> Case:
    """Hand ``case`` to the Front of another unit (its clocks keep running)."""
    return _transfer(actor=actor, case=lock(case), unit=unit, reason=reason)


def _transfer(*, actor: Any, case: Case, unit: Unit, reason: str, escalated: bool = False) -> Case:
    reason = _required(reason, "lý do chuyển", "reason")
    _front_unit(unit)
    if not case.is_open:
        raise InvalidState("Chỉ chuyển được phản ánh đang xử lý.", code="invalid_state")
    if unit.pk == case.unit_id:
        raise ValidationFailed("Phản ánh đang ở đơn vị này.", field="unit", code="same_unit")
    previous = case.unit
    case.unit, case.unit_path = unit, unit.path
    case.escalated = case.escalated or escalated
    case.save(update_fields=["unit", "unit_path", "escalated", "updated_at"])
    add_event(
        case,
        action="escalate" if escalated else "transfer",
        actor=actor,
        note=reason,
        public_note=f"Đã chuyển tới {unit.name} để xử lý.",
        from_unit=previous.name,
        to_unit=unit.name,
    )
    action = "feedback.escalate" if escalated else "feedback.transfer"
    audit.record(actor=actor, action=action, obj=case, unit_path=previous.path, code=case.code, to_unit=unit.pk)
    notify_citizen_on_commit(case, "transferred")
    return case


@transaction.atomic
def escalate(*, actor: Any, case: Case, reason: str) -> Case:
    """Send ``case`` up to the Front of the level above."""
    case = lock(case)
    parent = case.unit.parent
    if parent is None:
        raise InvalidState("Phản ánh đã ở cấp cao nhất.", code="top_level")
    return _transfer(actor=actor, case=case, unit=parent, reason=reason, escalated=True)


@transaction.atomic
def extend(*, actor: Any, case: Case, complexity: str, decision_number: str, reason: str) -> Extension:
    """Record a decision that extends the resolution deadline, as far as the law allows (``clocks``)."""
    decision_number = _required(decision_number, "số quyết định gia hạn", "decision_number", 60)
    reason = _required(reason, "lý do gia hạn", "reason")
    case = lock(case)
    if case.status not in (Status.ACCEPTED, Status.FORWARDED, Status.IN_PROGRESS) or case.resolve_due_at is None:
        raise InvalidState("Chỉ gia hạn được phản ánh đã thụ lý và đang giải quyết.", code="invalid_state")
    rule = clocks.allowed_extension(case, complexity)
    previous = case.due_at or case.resolve_due_at
    new_due = add_working_days(previous, rule.days)
    extension = Extension.objects.create(
        case=case,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_number=decision_number,
        reason=reason,
        complexity=rule.complexity,
        days=rule.days,
        previous_due_at=previous,
        new_due_at=new_due,
    )
    case.complexity = rule.complexity
    case.due_at = case.resolve_due_at = new_due
    case.extensions = F("extensions") + 1
    case.warned_at = case.overdue_at = None
    case.save(
        update_fields=["complexity", "due_at", "resolve_due_at", "extensions", "warned_at", "overdue_at", "updated_at"]
    )
    case.refresh_from_db(fields=["extensions"])
    add_event(
        case,
        action="extend",
        actor=actor,
        note=reason,
        public_note=f"Gia hạn giải quyết theo quyết định số {decision_number}; "
        f"hạn mới: {timezone.localtime(new_due):%d/%m/%Y}.",
        decision_number=decision_number,
        days=rule.days,
    )
    audit.record(
        actor=actor,
        action="feedback.extend",
        obj=case,
        unit_path=case.unit_path,
        code=case.code,
        days=rule.days,
        decision_number=decision_number,
    )
    notify_citizen_on_commit(case, "extended")
    return extension


@transaction.atomic
def merge(*, actor: Any, case: Case, into: Case) -> Case:
    """Merge ``case`` into ``into`` (the same matter raised again): ``into`` counts one more person."""
    if case.pk == into.pk:
        raise ValidationFailed("Không thể gộp phản ánh vào chính nó.", field="into", code="same_case")
    first, second = sorted([case.pk, into.pk])
    rows = Case.objects.select_for_update().select_related("unit").filter(pk__in=[first, second])
    locked = {c.pk: c for c in rows}
    case, into = locked[case.pk], locked[into.pk]
    if into.status == Status.MERGED or (not into.is_open and into.status != Status.ANSWERED):
        raise InvalidState("Chỉ gộp được vào phản ánh đang xử lý hoặc đã trả lời.", code="invalid_target")
    if case.kind == Kind.DENUNCIATION or into.kind == Kind.DENUNCIATION:
        raise InvalidState("Không gộp tố cáo với phản ánh khác.", code="denunciation")
    case.merged_into = into
    case.due_at = None
    move(
        case,
        Status.MERGED,
        actor=actor,
        action="merge",
        fields=["merged_into", "due_at"],
        public_note=f"Nội dung trùng với phản ánh {into.code}, được giải quyết chung.",
        into=into.code,
    )
    Case.objects.filter(pk=into.pk).update(supporters=F("supporters") + case.supporters)
    into.refresh_from_db(fields=["supporters"])
    add_event(into, action="merged_in", actor=actor, note=f"Gộp thêm phản ánh {case.code}.", source=case.code)
    return case
