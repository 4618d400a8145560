"""Background work of the feedback module, run by ``digitalfront worker``.

Task arguments are ids only: identities and private links stay sealed in the database, never in the
task queue's rows.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from digitalfront.core import notifications

from . import classification, duplicates, messages
from .identity import unseal
from .models import Case, SenderBan
from .services import deadlines, intake

logger = logging.getLogger(__name__)


FOLLOW_UP_CHUNK = 200
FOLLOW_UP_MAX = 5000


@task(queue_name="ai")
def process_new_cases(case_ids: list[int] | None = None) -> int:
    """Suggest a classification and a possible duplicate for new cases, and acknowledge them to the sender.

    Takes the cases not yet followed up (``case_ids``, or all of them: the intake enqueues one such task
    per second at most, and the scheduler sweeps every minute), in chunks claimed in their own
    transaction, so that two workers never follow up the same case twice (a worker that dies between
    claiming and finishing leaves its chunk without a suggestion: staff classify those by hand, and no
    sender is acknowledged twice). Returns the cases done."""
    done = 0
    while done < FOLLOW_UP_MAX:
        cases = _claim(case_ids)
        if not cases:
            break
        _follow_up(cases)
        done += len(cases)
    return done


def _claim(case_ids: list[int] | None) -> list[Case]:
    waiting = Case.objects.filter(followed_up_at__isnull=True)
    if case_ids is not None:
        waiting = waiting.filter(pk__in=case_ids)
    with transaction.atomic():
        # PostgreSQL: rows another worker is claiming are skipped; SQLite: the write transaction is taken at
        # BEGIN (transaction_mode IMMEDIATE), so claims queue and each sees the one before
        ids = list(waiting.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
                   [:FOLLOW_UP_CHUNK])
        if ids:
            Case.objects.filter(pk__in=ids).update(followed_up_at=timezone.now())
    return list(Case.objects.filter(pk__in=ids).select_related("unit").order_by("pk")) if ids else []


def _follow_up(cases: list[Case]) -> None:
    suggestions = classification.suggest([f"{c.title}\n{c.content}" for c in cases])
    # the intake knows the bans of two seconds ago (intake._active_bans): check again, exactly
    keys = {case.pk: intake.sender_keys_of(case) for case in cases}
    banned = set(SenderBan.objects.filter(active=True, key_hash__in=set().union(*keys.values()))
                 .values_list("key_hash", flat=True))
    for case, suggestion in zip(cases, suggestions, strict=True):
        duplicate, score = duplicates.find_duplicate(case)
        fields: dict[str, Any] = {"suggestion": suggestion}
        if keys[case.pk] & banned and not case.from_banned_sender:
            fields.update(hidden=True, from_banned_sender=True, hidden_reason="banned")
        if duplicate is not None:
            fields.update(duplicate_candidate=duplicate, duplicate_score=round(score, 3))
        # a suggestion stays a suggestion until staff confirm it
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(**fields)
        if case.wants_email or case.wants_sms:
            notify_citizen.enqueue(case.pk, "received")


@task(queue_name="notifications")
def notify_citizen(case_id: int, event: str) -> int:
    """Send the sender a message about ``event`` by e-mail and SMS, as they asked. Returns messages sent."""
    case = Case.objects.select_related("unit").filter(pk=case_id).first()
    if case is None:
        return 0
    identity = unseal(case.identity_sealed)
    email = identity.email or (case.citizen.email if case.citizen_id and case.citizen else "")
    subject, body = messages.compose(case, event)
    sent = 0
    if email and (case.wants_email or case.citizen_id):
        notifications.deliver(channel=notifications.EMAIL, to=email, subject=subject, body=body)
        sent += 1
    if identity.phone and case.wants_sms:
        notifications.deliver(channel=notifications.SMS, to=identity.phone, subject=subject, body=body)
        sent += 1
    return sent


@task()
def check_deadlines() -> dict[str, int]:
    """Alerts before and at deadlines, escalation of overdue cases, auto-closing (see services.deadlines)."""
    counts = deadlines.run(timezone.now())
    if any(counts.values()):
        logger.info("feedback deadlines: %s", counts)
    return counts
