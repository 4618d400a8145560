"""Maintenance of the :class:`~digitalfront.orgs.models.Rollup` aggregates.

A report that counts (submitted, approved or locked) adds each of its measures to every strict
ancestor of its unit; leaving those states subtracts them. The update is one upsert statement run in
the caller's transaction, rows ordered so that concurrent writers lock them in the same order.
``recompute`` rebuilds the same numbers from the raw report rows, which ``check-rollups`` compares.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, Max, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Substr

from digitalfront.orgs.models import (
    CORE_MEASURES,
    COUNTED_STATUSES,
    PATH_SEGMENT,
    Indicator,
    Period,
    Report,
    Rollup,
    Unit,
    ValueType,
    path_ids,
)

Key = tuple[int, int, int, str]  # (period_id, unit_id, org_type_id, measure)


def rolling_indicators(dataset_id: int) -> dict[str, str]:
    """``{code: value_type}`` of the data set's indicators that roll up."""
    return dict(
        Indicator.objects.filter(
            dataset_id=dataset_id, value_type__in=[ValueType.NUMBER, ValueType.MONEY, ValueType.BOOLEAN]
        ).values_list("code", "value_type")
    )


def report_measures(report: Report, indicators: dict[str, str], *, on_time: bool) -> dict[str, int]:
    """The numbers one counted report contributes to its ancestors' roll-ups."""
    out = {name: int(getattr(report, name) or 0) for name in CORE_MEASURES}
    out["reports"] = 1
    out["reports_on_time"] = 1 if on_time else 0
    for code, value in (report.values or {}).items():
        kind = indicators.get(code)
        if kind is None or value is None:
            continue
        out[f"i:{code}"] = (1 if value else 0) if kind == ValueType.BOOLEAN else int(value)
    return {k: v for k, v in out.items() if v}


UPSERT_CHUNK = 400  # rows per statement: 2,000 parameters, under every backend's limit


def _upsert(deltas: dict[Key, int]) -> None:
    """Add ``deltas`` to the roll-up cells, creating missing ones: one multi-row upsert statement per
    chunk (a submission touches about 40 cells; one round trip instead of 40). Rows go in key order so
    that concurrent writers lock cells in the same order and cannot deadlock."""
    rows = sorted((k, v) for k, v in deltas.items() if v)
    table = Rollup._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (period_id, unit_id, org_type_id, measure, value) VALUES {values} "  # noqa: S608
                f"ON CONFLICT (period_id, unit_id, org_type_id, measure) "
                f"DO UPDATE SET value = {table}.value + excluded.value",
                [item for key, value in chunk for item in (*key, value)],
            )


def apply_report(report: Report, *, sign: int) -> None:
    """Add (``sign=1``) or remove (``sign=-1``) ``report``'s numbers from its ancestors' roll-ups."""
    indicators = rolling_indicators(report.period.dataset_id)
    measures = report_measures(report, indicators, on_time=report.submitted_on_time)
    ancestors = path_ids(report.unit.path)[:-1]
    deltas = {
        (report.period_id, ancestor, report.org_type_id, measure): sign * value
        for ancestor in ancestors
        for measure, value in measures.items()
    }
    _upsert(deltas)


def subtree_contribution(unit: Unit) -> dict[tuple[int, int, str], int]:
    """What ``unit``'s whole subtree adds to its ancestors: ``{(period, org_type, measure): value}``."""
    totals: dict[tuple[int, int, str], int] = defaultdict(int)
    for row in Rollup.objects.filter(unit=unit).values_list("period_id", "org_type_id", "measure", "value"):
        totals[(row[0], row[1], row[2])] += row[3]
    own = Report.objects.filter(unit=unit, status__in=COUNTED_STATUSES).select_related("period")
    cache: dict[int, dict[str, str]] = {}
    for report in own:
        dataset_id = report.period.dataset_id
        if dataset_id not in cache:
            cache[dataset_id] = rolling_indicators(dataset_id)
        for measure, value in report_measures(report, cache[dataset_id], on_time=report.on_time).items():
            totals[(report.period_id, report.org_type_id, measure)] += value
    return totals


def shift_subtree(unit: Unit, *, old_ancestors: list[int], new_ancestors: list[int]) -> None:
    """Move ``unit``'s subtree totals from the old ancestor chain to the new one (common ones net 0)."""
    removed = [a for a in old_ancestors if a not in new_ancestors]
    added = [a for a in new_ancestors if a not in old_ancestors]
    if not removed and not added:
        return
    contribution = subtree_contribution(unit)
    deltas: dict[Key, int] = defaultdict(int)
    for (period_id, org_type_id, measure), value in contribution.items():
        for ancestor in removed:
            deltas[(period_id, ancestor, org_type_id, measure)] -= value
        for ancestor in added:
            deltas[(period_id, ancestor, org_type_id, measure)] += value
    _upsert(deltas)


def recompute(progress: Any = None) -> dict[Key, int]:
    """The roll-ups as they should be, computed by the database from the raw report rows.

    One grouped query per data set and ancestor depth: the ancestor at depth ``d`` of a unit is the
    ``d``-th segment of its path. This shares no code with the incremental path above, which is the
    point: ``check-rollups`` compares two independent computations.
    """
    expected: dict[Key, int] = defaultdict(int)
    max_depth = Unit.objects.aggregate(m=Max("depth"))["m"] or 0
    for dataset_id in Period.objects.values_list("dataset_id", flat=True).distinct().order_by():
        kinds = rolling_indicators(dataset_id)
        aggregates: dict[str, Any] = {name: Sum(name) for name in CORE_MEASURES}
        aggregates["reports"] = Count("id")
        aggregates["reports_on_time"] = Count("id", filter=Q(submitted_on_time=True))
        names: dict[str, str] = {}
        for n, (code, kind) in enumerate(sorted(kinds.items())):
            alias = f"ind_{n}"
            names[alias] = f"i:{code}"
            if kind == ValueType.BOOLEAN:
                aggregates[alias] = Count("id", filter=Q(**{f"values__{code}": True}))
            else:
                aggregates[alias] = Sum(Cast(KeyTextTransform(code, "values"), BigIntegerField()))
        for depth in range(max_depth):
            rows = (
                Report.objects.filter(period__dataset_id=dataset_id, status__in=COUNTED_STATUSES,
                                      unit__depth__gt=depth)
                .annotate(ancestor=Substr("unit__path", depth * PATH_SEGMENT + 1, PATH_SEGMENT))
                .values("period_id", "ancestor", "org_type_id")
                .annotate(**aggregates)
                .order_by()
            )
            for row in rows:
                ancestor = int(str(row["ancestor"]))
                for alias, value in row.items():
                    if alias in ("period_id", "ancestor", "org_type_id") or not value:
                        continue
                    measure = names.get(alias, alias)
                    expected[(row["period_id"], ancestor, row["org_type_id"], measure)] += int(str(value))
            if progress:
                progress(depth + 1)
    return expected


def stored() -> dict[Key, int]:
    return {
        (p, u, o, m): v
        for p, u, o, m, v in Rollup.objects.values_list("period_id", "unit_id", "org_type_id", "measure", "value")
        .order_by()
        .iterator(chunk_size=50000)
    }


def differences(progress: Any = None) -> list[tuple[Key, int, int]]:
    """``(cell, stored, expected)`` for every cell where the maintained roll-up is wrong."""
    want = recompute(progress)
    have = stored()
    out = []
    for key in set(want) | set(have):
        a, b = have.get(key, 0), want.get(key, 0)
        if a != b:
            out.append((key, a, b))
    return sorted(out)


def rebuild(progress: Any = None) -> int:
    """Replace every roll-up row by the recomputed value (used after bulk loads). Returns the row count."""
    want = recompute(progress)
    with transaction.atomic():
        Rollup.objects.all().delete()
        write_rows(((k, v) for k, v in want.items() if v))
    return sum(1 for v in want.values() if v)


def write_rows(rows: Iterable[tuple[Key, int]], batch: int = 50000) -> None:
    """Insert roll-up rows in batches (the table must not hold those cells yet)."""
    table = Rollup._meta.db_table
    sql = f"INSERT INTO {table} (period_id, unit_id, org_type_id, measure, value) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    chunk: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for key, value in rows:
            chunk.append((*key, value))
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
