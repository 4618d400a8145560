"""Reads of the organisational database: subtree totals, completeness, timeliness.

Totals over a subtree come from the maintained :class:`Rollup` rows (strict descendants) plus the
unit's own reports: two indexed queries whatever the size of the subtree.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Substr

from digitalfront.core.scoping import subtree_q
from digitalfront.orgs.models import (
    CORE_MEASURES,
    COUNTED_STATUSES,
    PATH_SEGMENT,
    Indicator,
    Level,
    OrganisationType,
    Period,
    Report,
    Rollup,
    Unit,
    ValueType,
)

Totals = dict[int, defaultdict[int, dict[str, int]]]  # unit id -> org type id -> measure -> value


def subtree_totals(unit_ids: list[int], period: Period) -> Totals:
    """Totals over each unit's whole subtree for ``period``, by organisation and measure.

    This is the hot read of every dashboard (``bench/rollup.py``), so it runs three small SQL statements
    through a plain cursor: the ORM's per-row conversion of a few thousand tuples costs more than the
    queries themselves.
    """
    out: Totals = {uid: defaultdict(dict) for uid in unit_ids}
    if not unit_ids:
        return out
    placeholders = ", ".join(["%s"] * len(unit_ids))
    rollup, report, indicator = Rollup._meta.db_table, Report._meta.db_table, Indicator._meta.db_table
    core = ", ".join(CORE_MEASURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, org_type_id, measure, value FROM {rollup} "  # noqa: S608 - names from the models
            f"WHERE period_id = %s AND unit_id IN ({placeholders})",
            [period.pk, *unit_ids],
        )
        for unit_id, org_type_id, measure, value in cursor.fetchall():
            cell = out[unit_id][org_type_id]
            cell[measure] = cell.get(measure, 0) + value
        cursor.execute(f"SELECT code, value_type FROM {indicator} WHERE dataset_id = %s", [period.dataset_id])  # noqa: S608
        kinds = dict(cursor.fetchall())
        # No status filter in SQL: with one, planners pick the (period, status) index and read every
        # counted report of the period; by (unit, period) it is a few rows per unit, checked here.
        cursor.execute(
            f"SELECT unit_id, org_type_id, status, submitted_on_time, {core}, "  # noqa: S608
            f"{connection.ops.quote_name('values')} FROM {report} "
            f"WHERE period_id = %s AND unit_id IN ({placeholders})",
            [period.pk, *unit_ids],
        )
        own = cursor.fetchall()
    for unit_id, org_type_id, status, on_time, *rest in own:
        if status not in COUNTED_STATUSES:
            continue
        cell = out[unit_id][org_type_id]
        own_measures = dict(zip(CORE_MEASURES, rest[: len(CORE_MEASURES)], strict=True))
        own_measures["reports"] = 1
        own_measures["reports_on_time"] = 1 if on_time else 0
        values = rest[-1]
        if isinstance(values, str):
            values = json.loads(values) if values not in ("{}", "") else {}
        for code, value in (values or {}).items():
            kind = kinds.get(code)
            if kind in (ValueType.NUMBER, ValueType.MONEY) and value is not None:
                own_measures[f"i:{code}"] = int(value)
            elif kind == ValueType.BOOLEAN and value:
                own_measures[f"i:{code}"] = 1
        for measure, value in own_measures.items():
            if value:
                cell[measure] = cell.get(measure, 0) + value
    return out


def province_totals(period: Period) -> Totals:
    """All provinces' totals for one period (the national dashboard)."""
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:  # plain SQL: this is the national dashboard's hot path
        cursor.execute(
            f"SELECT id FROM {Unit._meta.db_table} WHERE level = %s AND valid_from <= %s "  # noqa: S608
            "AND (valid_to IS NULL OR valid_to >= %s) ORDER BY path",
            [Level.PROVINCE.value, adapt(period.end), adapt(period.start)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return subtree_totals(ids, period)


def sum_orgs(cells: dict[int, dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for measures in cells.values():
        for measure, value in measures.items():
            total[measure] += value
    return dict(total)


def measure_labels(period: Period) -> list[tuple[str, str]]:
    """``(measure, label)`` of every measure that rolls up in the period's data set, in display order."""
    labels = list(CORE_MEASURES.items())
    for ind in Indicator.objects.filter(dataset_id=period.dataset_id, active=True):
        if ind.rolls_up:
            suffix = " (đồng)" if ind.value_type == ValueType.MONEY else " (số đơn vị có)" if (
                ind.value_type == ValueType.BOOLEAN) else ""
            labels.append((ind.measure, ind.name + suffix))
    return labels


def expected_reports(unit: Unit, period: Period) -> int:
    """How many reports the subtree of ``unit`` owes for ``period``."""
    per_level = expected_per_level(period)
    counts = (
        Unit.objects.filter(subtree_q("path", unit.path))
        .active_between(period.start, period.end)
        .values_list("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    return sum(per_level.get(level, 0) * n for level, n in counts)


def expected_per_level(period: Period) -> dict[str, int]:
    """Number of reporting organisations per unit, by level."""
    dataset = period.dataset
    org_types = list(dataset.org_types.filter(active=True))
    return {
        level: sum(1 for o in org_types if o.exists_at(level))
        for level in Level.values
        if not dataset.levels or level in dataset.levels
    }


@dataclass
class Completeness:
    unit: Unit
    expected: int
    submitted: int
    on_time: int

    @property
    def completeness(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def timeliness(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit.pk, "unit_code": self.unit.code, "unit_name": self.unit.name,
            "expected": self.expected, "submitted": self.submitted, "on_time": self.on_time,
            "completeness": round(self.completeness, 4), "timeliness": round(self.timeliness, 4),
        }


def expected_counts(units: list[Unit], period: Period) -> dict[int, int]:
    """Expected reports for each unit's subtree, in one grouped query per path length (not per unit)."""
    per_level = expected_per_level(period)
    out = {u.pk: 0 for u in units}
    by_length: dict[int, list[Unit]] = defaultdict(list)
    for unit in units:
        by_length[len(unit.path)].append(unit)
    for length, group in by_length.items():
        wanted = {u.path: u.pk for u in group}
        # many siblings: scan their common ancestor's subtree once instead of OR-ing many ranges
        common = os.path.commonprefix(list(wanted))  # noqa: RUF071 - digits; cut to a segment below
        common = common[: len(common) - len(common) % PATH_SEGMENT]
        if len(group) > 8 and common:
            where = subtree_q("path", common)
        else:
            where = Q()
            for path in wanted:
                where |= subtree_q("path", path)
        rows = (
            Unit.objects.filter(where)
            .active_between(period.start, period.end)
            .annotate(ancestor=Substr("path", 1, length))
            .values_list("ancestor", "level")
            .annotate(n=Count("id"))
            .order_by()
        )
        for ancestor, level, n in rows:
            if ancestor in wanted:
                out[wanted[ancestor]] += per_level.get(level, 0) * n
    return out


def completeness(units: list[Unit], period: Period) -> list[Completeness]:
    """Completeness (share of expected reports submitted) and timeliness (share submitted by the
    deadline) for each unit's subtree: a fixed number of queries whatever the number of units."""
    totals = subtree_totals([u.pk for u in units], period)
    expected = expected_counts(units, period)
    out = []
    for unit in units:
        cell = sum_orgs(totals[unit.pk])
        out.append(Completeness(unit, expected[unit.pk], cell.get("reports", 0), cell.get("reports_on_time", 0)))
    return out


def children_of(unit: Unit, period: Period | None = None):
    qs = Unit.objects.filter(parent=unit)
    if period is not None:
        qs = qs.active_between(period.start, period.end)
    return qs.order_by("name")


def search_units(query: str, *, user: Any, limit: int = 50):
    """Units whose name contains ``query``, with or without diacritics, within the user's scope."""
    from digitalfront.core.text import fold, nfc

    folded = fold(query)
    qs = Unit.objects.for_user(user, "view")
    if folded:
        qs = qs.filter(Q(name_folded__contains=folded) | Q(code=nfc(query)))
    return qs.filter(valid_to__isnull=True).order_by("depth", "name")[:limit]


def org_types_at(unit: Unit) -> list[OrganisationType]:
    return [o for o in OrganisationType.objects.filter(active=True) if o.exists_at(unit.level)]
