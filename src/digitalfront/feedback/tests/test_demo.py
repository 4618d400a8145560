"""The feedback demo data (``feedback.demo``): idempotent, deterministic, and consistent with the state
machine, the clocks and the privacy rules, as if the services had written it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import models, transaction

from digitalfront.core.text import fold
from digitalfront.feedback.demo import load_feedback_demo
from digitalfront.feedback.identity import unseal
from digitalfront.feedback.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    Extension,
    Forwarding,
    Kind,
    Status,
)
from digitalfront.feedback.states import TIMESTAMP, TRANSITIONS

NOW = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)  # 15:30 in Hà Nội
COUNT = 300
CHAIN = ["received_at", "accepted_at", "forwarded_at", "in_progress_at", "answered_at", "closed_at"]


@pytest.fixture
def demo(world):
    counts = load_feedback_demo(count=COUNT, seed=7, now=NOW)
    cases = list(Case.objects.select_related("unit", "merged_into").order_by("id"))
    return counts, cases


def test_counts_cover_every_status(demo):
    counts, cases = demo
    assert counts["cases"] == len(cases) == COUNT
    assert all(counts[status] >= 1 for status in Status.values), counts
    assert sum(counts[status] for status in Status.values) == COUNT
    assert counts["public"] == sum(case.published for case in cases) > 0
    assert counts["authorities"] > 0


def test_second_run_adds_nothing(demo):
    counts, _ = demo
    events = CaseEvent.objects.count()
    again = load_feedback_demo(count=COUNT, seed=7, now=NOW)
    assert {k: v for k, v in again.items() if k != "authorities"} == {
        k: v for k, v in counts.items() if k != "authorities"}
    assert Case.objects.count() == COUNT
    assert CaseEvent.objects.count() == events


def _snapshot() -> list[tuple]:
    return list(Case.objects.order_by("code").values_list("code", "status", "kind", "received_at", "title",
                                                          "unit_id", "due_at", "published"))


def test_same_seed_same_cases(world):
    with transaction.atomic():
        first = load_feedback_demo(count=120, seed=11, now=NOW)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    assert not Case.objects.exists()
    second = load_feedback_demo(count=120, seed=11, now=NOW)
    assert {k: v for k, v in first.items() if k != "authorities"} == {
        k: v for k, v in second.items() if k != "authorities"}
    assert _snapshot() == snapshot


def test_timestamps_follow_the_state_path(demo):
    _, cases = demo
    events: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.exclude(to_status="").order_by("at", "id"):
        events.setdefault(event.case_id, []).append(event)
    for case in cases:
        path = events[case.pk]
        assert path[0].to_status == Status.RECEIVED and path[0].at == case.received_at, case.code
        assert path[0].data.get("demo") is True
        for before, after in itertools.pairwise(path):
            assert after.from_status == before.to_status, case.code
            assert after.to_status in TRANSITIONS[before.to_status], (case.code, before.to_status, after.to_status)
            assert after.at >= before.at
        assert path[-1].to_status == case.status, case.code
        visited = {event.to_status: event.at for event in path}
        for status, field in TIMESTAMP.items():
            assert getattr(case, field) == visited.get(status), (case.code, field)
        stamps = [getattr(case, f) for f in CHAIN if getattr(case, f) is not None]
        assert stamps == sorted(stamps), case.code
        assert all(stamp <= NOW for stamp in stamps)
        assert case.accept_due_at is not None
        if case.status in OPEN_STATUSES:
            assert case.due_at is not None, case.code
        elif case.status in (Status.CLOSED, Status.REFUSED, Status.MERGED):
            assert case.due_at is None, case.code
        if case.answered_at is not None:
            assert case.answer
            assert case.answered_on_time == (case.answered_at <= case.resolve_due_at), case.code
        else:
            assert not case.answer and case.answered_on_time is None and case.satisfaction is None
        if case.satisfaction is not None:
            assert 1 <= case.satisfaction <= 5 and case.rated_at >= case.answered_at


def test_deadlines_and_alerts_are_plausible(demo):
    _, cases = demo
    open_cases = [c for c in cases if c.status in OPEN_STATUSES]
    assert any(c.due_at < NOW for c in open_cases), "some open cases are overdue"
    assert any(NOW <= c.due_at <= NOW + dt.timedelta(days=7) for c in open_cases), "some are due soon"
    for case in cases:
        if case.escalated:
            assert case.status in OPEN_STATUSES and case.due_at < NOW and case.overdue_at is not None
    answered = [c for c in cases if c.answered_on_time is not None]
    on_time = sum(c.answered_on_time for c in answered) / len(answered)
    assert 0.6 < on_time < 0.95
    for extension in Extension.objects.select_related("case"):
        assert extension.case.kind != Kind.FEEDBACK
        assert extension.new_due_at > extension.previous_due_at
    for case in cases:
        n = Extension.objects.filter(case=case).count()
        assert case.extensions == n
        assert n <= (1 if case.kind == Kind.COMPLAINT else 2 if case.kind == Kind.DENUNCIATION else 0)


def test_forwardings_and_merges(demo):
    _, cases = demo
    for forwarding in Forwarding.objects.select_related("case", "authority__unit"):
        case = forwarding.case
        assert case.unit_path.startswith(forwarding.authority.unit.path)
        assert case.forwarded_at is not None and forwarding.sent_at == case.forwarded_at
        if forwarding.answered_at is not None:
            # the authority may have replied while the Front has not answered the citizen yet
            assert forwarding.answer and forwarding.sent_at < forwarding.answered_at <= (case.answered_at or NOW)
    merged_in: dict[int, int] = {}
    for case in cases:
        if case.status == Status.MERGED:
            target = case.merged_into
            assert target is not None and target.kind != Kind.DENUNCIATION and case.kind != Kind.DENUNCIATION
            assert target.commune_id == case.commune_id and target.received_at <= case.received_at
            merged_in[target.pk] = merged_in.get(target.pk, 0) + 1
        else:
            assert case.merged_into_id is None
    for case in cases:
        assert case.supporters == 1 + merged_in.get(case.pk, 0)


def test_public_cases_follow_the_rules(demo):
    _, cases = demo
    for case in cases:
        if not case.published:
            assert not (case.public_title or case.public_content or case.public_name or case.public_folded)
            continue
        assert case.status in (Status.ANSWERED, Status.CLOSED) and case.answer
        assert case.consent_publish and case.kind != Kind.DENUNCIATION
        assert case.public_folded == fold(f"{case.public_title} {case.public_content} {case.answer}")
        assert bool(case.public_name) == case.show_name
        assert "số nhà" not in case.public_content.lower() and "09" not in case.public_content


def test_identity_is_sealed_and_never_in_clear(demo):
    _, cases = demo
    text_fields = [f.attname for f in Case._meta.concrete_fields
                   if isinstance(f, models.CharField | models.TextField) and f.attname != "identity_sealed"]
    named = 0
    for case in cases:
        if case.anonymous:
            assert case.kind == Kind.FEEDBACK and case.identity_sealed == "" and case.contact_hash == ""
            continue
        identity = unseal(case.identity_sealed)
        assert identity.name and identity.phone.startswith("09") and len(identity.phone) == 10
        assert case.contact_hash
        for attname in text_fields:
            if attname == "public_name" and case.show_name:
                assert case.public_name in ("", identity.name)
                named += bool(case.public_name)
                continue
            assert identity.name not in (getattr(case, attname) or ""), (case.code, attname)
        assert fold(identity.name) not in case.public_folded
    assert named >= 1
