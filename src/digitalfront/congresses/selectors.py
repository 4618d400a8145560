"""Reading congresses for the dashboard, the public page and the API. Counts are grouped in the database
(a term has about 3,400 congresses: one GROUP BY each, no per-row work in Python)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from digitalfront.core.scoping import subtree_q
from digitalfront.orgs.models import Level, Unit

from .models import COMPOSITION, STATUS_ORDER, Congress, NewsItem, Status, Term

# the shares of the committee the Front aims at (editable later; the dashboard shows each against its target)
TARGETS = {"women": 0.30, "under_35": 0.10, "ethnic_minority": 0.10, "religious": 0.05, "non_party": 0.20,
           "re_elected": 0.50, "new_members": 0.33}


def current_term(today: datetime.date | None = None) -> Term | None:
    today = today or timezone.localdate()
    return (Term.objects.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
            or Term.objects.order_by("-starts_on").first())


def congresses(term: Term, *, within: Unit | None = None) -> QuerySet[Congress]:
    """The term's congresses, in the subtree of ``within`` (the unit's own congress included)."""
    qs = Congress.objects.filter(term=term)
    if within is not None:
        qs = qs.filter(subtree_q("unit__path", within.path))
    return qs


@dataclass
class Progress:
    counts: dict[str, dict[str, int]]  # level -> status -> n, and "total"
    expected: dict[str, int]  # level -> units in force that hold a congress

    def share(self, level: str, *statuses: str) -> float:
        n = self.expected.get(level) or 0
        return sum(self.counts.get(level, {}).get(s, 0) for s in statuses) / n if n else 0.0


def progress(term: Term, *, within: Unit | None = None) -> Progress:
    """How many congresses of each level are in each state, and how many units should hold one (units
    without a record count as not yet planned)."""
    counts: dict[str, dict[str, int]] = {level: {s: 0 for s in Status.values} for level in (Level.PROVINCE,
                                                                                              Level.COMMUNE)}
    for row in congresses(term, within=within).values("level", "status").annotate(n=Count("pk")):
        counts.setdefault(row["level"], {s: 0 for s in Status.values})[row["status"]] = row["n"]
    units = Unit.objects.filter(valid_to__isnull=True, level__in=[Level.PROVINCE, Level.COMMUNE])
    if within is not None:
        units = units.filter(subtree_q("path", within.path))
    expected = {row["level"]: row["n"] for row in units.values("level").annotate(n=Count("pk"))}
    total = {s: sum(c.get(s, 0) for c in counts.values()) for s in Status.values}
    return Progress(counts={**counts, "total": total}, expected={**expected, "total": sum(expected.values())})


@dataclass
class ProvinceRow:
    unit: Unit
    own: Congress | None
    communes: int
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def held_share(self) -> float:
        """The share of its communes whose congress has been held (held, reported or confirmed)."""
        done = sum(self.by_status.get(s, 0) for s in (Status.HELD, Status.REPORTED, Status.CONFIRMED))
        return done / self.communes if self.communes else 0.0


def province_grid(term: Term) -> list[ProvinceRow]:
    """The 34 provinces with their own congress and their communes' progress (three queries)."""
    provinces = list(Unit.objects.filter(valid_to__isnull=True, level=Level.PROVINCE).order_by("code"))
    own = {c.unit_id: c for c in Congress.objects.filter(term=term, level=Level.PROVINCE)}
    communes = dict(Unit.objects.filter(valid_to__isnull=True, level=Level.COMMUNE).values("parent_id")
                    .annotate(n=Count("pk")).values_list("parent_id", "n"))
    rows = {p.pk: ProvinceRow(unit=p, own=own.get(p.pk), communes=communes.get(p.pk, 0)) for p in provinces}
    for parent, status, n in (Congress.objects.filter(term=term, level=Level.COMMUNE)
                              .values("unit__parent_id", "status").annotate(n=Count("pk"))
                              .values_list("unit__parent_id", "status", "n")):
        if parent in rows:
            rows[parent].by_status[status] = n
    return list(rows.values())


def drilldown(term: Term, province: Unit) -> list[dict[str, Any]]:
    """A province's communes, each with its congress (or none yet), in code order (two queries)."""
    found = {c.unit_id: c for c in Congress.objects.filter(term=term, unit__parent=province)}
    out = []
    for unit in Unit.objects.filter(parent=province, valid_to__isnull=True).order_by("code"):
        out.append({"unit": unit, "congress": found.get(unit.pk)})
    return out


def calendar(term: Term, *, within: Unit | None = None, days: int = 30,
             today: datetime.date | None = None) -> QuerySet[Congress]:
    """Congresses planned in the next ``days`` days and not held yet, soonest first."""
    today = today or timezone.localdate()
    return (congresses(term, within=within)
            .filter(status__in=[Status.PLANNED, Status.PREPARING], planned_on__gte=today,
                    planned_on__lte=today + datetime.timedelta(days=days))
            .select_related("unit").order_by("planned_on", "unit__path"))


def composition(term: Term, *, within: Unit | None = None, level: str | None = None) -> dict[str, Any]:
    """The committees elected (reported or confirmed congresses): totals and each group's share, against
    ``TARGETS``."""
    qs = congresses(term, within=within).filter(status__in=[Status.REPORTED, Status.CONFIRMED],
                                                committee_size__isnull=False)
    if level:
        qs = qs.filter(level=level)
    sums = qs.aggregate(committees=Count("pk"), members=Sum("committee_size"),
                        **{name: Sum(name) for name, _ in COMPOSITION})
    members = sums["members"] or 0
    groups = [{"field": name, "label": label, "count": sums[name] or 0,
               "share": (sums[name] or 0) / members if members else 0.0, "target": TARGETS.get(name)}
              for name, label in COMPOSITION]
    return {"committees": sums["committees"], "members": members, "groups": groups}


def news_feed(term: Term, *, within: Unit | None = None, limit: int = 20) -> QuerySet[NewsItem]:
    qs = NewsItem.objects.filter(congress__term=term, published=True)
    if within is not None:
        qs = qs.filter(subtree_q("congress__unit__path", within.path))
    return qs.select_related("congress__unit").order_by("-created_at", "-pk")[:limit]


def status_order() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in STATUS_ORDER]


def overdue(term: Term, *, today: datetime.date | None = None) -> QuerySet[Congress]:
    """Planned dates passed without the congress being recorded as held."""
    today = today or timezone.localdate()
    return congresses(term).filter(Q(status__in=[Status.PLANNED, Status.PREPARING]), planned_on__lt=today)
