"""Pieces every feedback service uses: the timeline entry, the status move, side effects on commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from digitalfront.core import audit

from ..models import Case, CaseEvent
from ..states import TIMESTAMP, check_move


def add_event(
    case: Case,
    *,
    action: str,
    actor: Any = None,
    at: dt.datetime | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    public_note: str = "",
    **data: Any,
) -> CaseEvent:
    """Append one entry to ``case``'s timeline (inside the caller's transaction)."""
    return CaseEvent.objects.create(
        case=case,
        action=action,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        unit_id=case.unit_id,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public_note=public_note,
        data=data,
    )


def move(
    case: Case,
    to: str,
    *,
    actor: Any,
    action: str,
    note: str = "",
    public_note: str = "",
    at: dt.datetime | None = None,
    fields: list[str] | None = None,
    **data: Any,
) -> CaseEvent:
    """Move ``case`` to status ``to`` (checked against the state machine), stamp the state's timestamp,
    save ``fields`` besides, write the timeline entry and the audit event."""
    check_move(case, to)
    now = at or timezone.now()
    previous = case.status
    case.status = to
    update = ["status", "updated_at", *(fields or [])]
    stamp = TIMESTAMP.get(to)
    if stamp:
        setattr(case, stamp, now)
        update.append(stamp)
    case.save(update_fields=sorted(set(update)))
    event = add_event(
        case,
        action=action,
        actor=actor,
        at=now,
        from_status=previous,
        to_status=to,
        note=note,
        public_note=public_note,
        **data,
    )
    audit.record(
        actor=actor, action=f"feedback.{action}", obj=case, unit_path=case.unit_path, code=case.code, status=to
    )
    return event


def notify_citizen_on_commit(case: Case, event: str) -> None:
    """Tell the sender about ``event`` once the transaction commits, through the worker.

    Only the case id goes into the task: the contact details stay sealed in the database.
    """
    if not (case.wants_email or case.wants_sms or case.citizen_id):
        return
    from ..tasks import notify_citizen

    case_id = case.pk
    transaction.on_commit(lambda: notify_citizen.enqueue(case_id, event))


def lock(case: Case) -> Case:
    """The same case, re-read with a row lock for the rest of the transaction."""
    return Case.objects.select_for_update().select_related("unit").get(pk=case.pk)
