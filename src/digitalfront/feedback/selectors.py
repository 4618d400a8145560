"""Reads for Front staff: the inbox (scoped, filtered), a case's redacted view, what a case may be
forwarded to or merged with, and alerts. Everything starts from ``Case.objects.for_user``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from digitalfront.core.workdays import add_working_days

from . import clocks
from .identity import Identity, unseal
from .models import OPEN_STATUSES, Alert, Authority, Case, Kind, Status, Topic

DEADLINE_CHOICES = {
    "overdue": "Quá hạn",
    "soon": f"Còn dưới {clocks.WARN_DAYS_BEFORE} ngày làm việc",
    "ok": "Còn hạn",
}


@dataclass
class InboxFilters:
    """The inbox's filters, read from the query string; invalid values are dropped and reported."""

    status: str = "open"
    kind: str = ""
    topic: str = ""
    deadline: str = ""
    unit_path: str = ""
    escalated: bool = False
    hidden: bool = False
    q: str = ""
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: Any, *, unit_paths: dict[str, str]) -> InboxFilters:
        filters = cls()
        status = query.get("trang_thai", "open")
        if status in ("open", "all", *Status.values):
            filters.status = status
        else:
            filters.ignored.append("trạng thái")
        kind = query.get("loai", "")
        if kind in ("", *Kind.values):
            filters.kind = kind
        else:
            filters.ignored.append("loại")
        topic = query.get("linh_vuc", "")
        if topic and not Topic.objects.filter(code=topic[:40]).exists():
            filters.ignored.append("lĩnh vực")
        else:
            filters.topic = topic
        deadline = query.get("han", "")
        if deadline in ("", *DEADLINE_CHOICES):
            filters.deadline = deadline
        else:
            filters.ignored.append("hạn")
        unit = query.get("don_vi", "")
        if unit:
            if unit in unit_paths:
                filters.unit_path = unit_paths[unit]
            else:
                filters.ignored.append("đơn vị")
        filters.escalated = query.get("bao_cap_tren") == "1"
        filters.hidden = query.get("an") == "1"
        q = (query.get("q") or "").strip()
        if len(q) > 100:
            filters.ignored.append("từ khoá (quá dài)")
        else:
            filters.q = q
        return filters


def inbox(user: Any, filters: InboxFilters, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The cases ``user`` handles or oversees, filtered, most urgent first."""
    now = now or timezone.now()
    cases = Case.objects.for_user(user, "view").select_related("unit", "topic", "commune", "province")
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        cases = cases.filter(status=filters.status)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.topic:
        cases = cases.filter(topic__code=filters.topic)
    if filters.unit_path:
        from digitalfront.core.scoping import subtree_q

        cases = cases.filter(subtree_q("unit_path", filters.unit_path))
    if filters.deadline == "overdue":
        cases = cases.filter(due_at__lt=now)
    elif filters.deadline == "soon":
        cases = cases.filter(due_at__gte=now, due_at__lte=add_working_days(now, clocks.WARN_DAYS_BEFORE))
    elif filters.deadline == "ok":
        cases = cases.filter(due_at__gt=add_working_days(now, clocks.WARN_DAYS_BEFORE))
    if filters.escalated:
        cases = cases.filter(escalated=True)
    cases = cases.filter(hidden=filters.hidden)
    if filters.q:
        text = filters.q.strip()
        if text.upper().startswith("PA-"):
            cases = cases.filter(code__startswith=text.upper())
        else:
            for word in text.split()[:6]:
                cases = cases.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return cases.order_by("due_at", "-received_at", "-id")


def deadline_colour(case: Case, now: dt.datetime | None = None) -> str:
    """``overdue``, ``soon`` or ``ok`` for an open case with a deadline, else ``""``."""
    if not case.is_open or case.due_at is None:
        return ""
    now = now or timezone.now()
    if case.due_at < now:
        return "overdue"
    if case.warned_at is not None or case.due_at <= add_working_days(now, clocks.WARN_DAYS_BEFORE):
        return "soon"
    return "ok"


@dataclass(frozen=True)
class Sender:
    """What a handler sees of the sender: everything for feedback and complaints, nothing for a denunciation."""

    redacted: bool
    identity: Identity
    has_account: bool


def sender_for_staff(case: Case) -> Sender:
    if case.kind == Kind.DENUNCIATION:
        return Sender(redacted=True, identity=Identity(), has_account=False)
    return Sender(redacted=False, identity=unseal(case.identity_sealed), has_account=case.citizen_id is not None)


def authorities_for(case: Case) -> QuerySet[Authority]:
    """The authorities ``case`` may be forwarded to: the directories of its unit and the unit's ancestors."""
    from digitalfront.orgs.models import PATH_SEGMENT

    paths = [case.unit_path[:end] for end in range(PATH_SEGMENT, len(case.unit_path) + 1, PATH_SEGMENT)]
    return (
        Authority.objects.filter(unit__path__in=paths, active=True)
        .select_related("unit")
        .order_by("-unit__depth", "kind", "name")
    )


def alerts_for(user: Any, *, limit: int = 20) -> QuerySet[Alert]:
    """The newest alerts of the units ``user`` sees, open cases only."""
    return (
        Alert.objects.for_user(user, "view")
        .filter(case__status__in=OPEN_STATUSES)
        .select_related("case", "unit")
        .order_by("-created_at")[:limit]
    )


def counts_by_deadline(user: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """How many open cases in ``user``'s scope are overdue, due soon, and open in all."""
    now = now or timezone.now()
    cases = Case.objects.for_user(user, "view").filter(status__in=OPEN_STATUSES, hidden=False)
    soon = add_working_days(now, clocks.WARN_DAYS_BEFORE)
    return {
        "open": cases.count(),
        "overdue": cases.filter(due_at__lt=now).count(),
        "soon": cases.filter(due_at__gte=now, due_at__lte=soon).count(),
        "received": cases.filter(status=Status.RECEIVED).count(),
    }
