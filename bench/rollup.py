"""Benchmark of the maintained roll-ups (``orgs.models.Rollup``) on the national dataset.

What it measures, on a fresh database of its own:

- ``rollup_p50_ms`` / ``rollup_p95_ms``: all provinces' totals for the latest closed period that has
  reports, read through ``selectors.province_totals`` (warm: a few warm-up runs, then 50 timed runs);
- ``baseline_p50_ms`` / ``baseline_p95_ms``: the same answer from ONE recursive SQL query over the unit
  parent links and the raw reports, with only the indexes the tables already have; the two answers
  are compared cell by cell (province x organisation: members, staff, report count) and the bench
  exits non-zero if they differ;
- ``speedup`` = baseline_p95_ms / rollup_p95_ms;
- ``submit_per_s``: report submissions per second including roll-up maintenance
  (``services.reports.submit_report``, one transaction each) for 300 draft reports of the open period
  at villages spread over the provinces; ``check-rollups`` must then find 0 differences.

Targets: rollup_p95_ms <= 20 and speedup >= 50 on SQLite and PostgreSQL.

Run from the repository root (about 2 minutes on SQLite, 5 on PostgreSQL)::

    .venv/bin/python bench/rollup.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/rollup.py

Without ``DATABASE_URL`` (or with a ``sqlite://`` one) the database is a SQLite file in a temporary
directory; with a PostgreSQL URL, a new database
``df_bench_<pid>`` is created on that PostgreSQL server (the URL's database is only used to create and
drop it) and dropped at the end. The dataset is built by ``digitalfront demo`` (``DIGITALFRONT_VILLAGES``
villages, 100000 by default), which refreshes the planner statistics itself at the end of its load.
Progress goes to standard error; standard output gets exactly one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import zip_longest
from typing import Any

from common import fresh_database, log, p95

DATASET_CODE = "csdl-to-chuc"
MEASURES = ("members", "staff_fulltime", "staff_front_committee", "staff_executive_committee", "reports")
ROLLUP_WARMUP, ROLLUP_RUNS = 5, 50
BASELINE_WARMUP, BASELINE_RUNS = 1, 10
SUBMISSIONS, BATCH = 300, 50
TARGET_ROLLUP_P95_MS, TARGET_SPEEDUP = 20.0, 50.0

BASELINE_SQL = """
WITH RECURSIVE tree (province_id, unit_id) AS (
    SELECT id, id FROM {unit}
    WHERE level = %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)
    UNION ALL
    SELECT tree.province_id, child.id FROM {unit} child JOIN tree ON child.parent_id = tree.unit_id
)
SELECT tree.province_id, r.org_type_id, SUM(r.members), SUM(r.staff_fulltime), SUM(r.staff_front_committee),
       SUM(r.staff_executive_committee), COUNT(*)
FROM tree JOIN {report} r ON r.unit_id = tree.unit_id
WHERE r.period_id = %s AND r.status IN (%s, %s, %s)
GROUP BY tree.province_id, r.org_type_id
"""


def digitalfront(*args: str, check: bool = True) -> str:
    """Run ``digitalfront <args>`` in a subprocess (environment already set); return its standard output.

    ``--skip-checks``: the system checks (URLs, admin) have nothing to do with what is measured here.
    """
    command = [sys.executable, "-m", "digitalfront", *args, "--skip-checks"]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if check and result.returncode != 0:
        sys.exit(f"digitalfront {' '.join(args)} failed with exit code {result.returncode}")
    return result.stdout


def last_json(output: str) -> dict[str, Any]:
    lines = [line for line in output.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def timed(fn: Callable[[], Any], warmup: int, runs: int) -> tuple[list[float], Any]:
    """Milliseconds of ``runs`` calls of ``fn`` after ``warmup`` untimed ones, and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def baseline_totals(period: Any) -> list[tuple[Any, ...]]:
    """Province x organisation totals straight from the raw rows: one recursive query."""
    from django.db import connection

    from digitalfront.orgs.models import COUNTED_STATUSES, Level, Report, Unit

    sql = BASELINE_SQL.format(unit=connection.ops.quote_name(Unit._meta.db_table),
                              report=connection.ops.quote_name(Report._meta.db_table))
    start = connection.ops.adapt_datefield_value(period.start)
    end = connection.ops.adapt_datefield_value(period.end)
    with connection.cursor() as cursor:
        statuses = [str(s) for s in COUNTED_STATUSES]
        cursor.execute(sql, [Level.PROVINCE.value, end, start, period.pk, *statuses])
        return cursor.fetchall()


def compare(rollup: dict[int, Any], baseline: list[tuple[Any, ...]]) -> list[str]:
    """Differences between the roll-up answer and the baseline answer, as readable lines."""
    have = {(unit_id, org_id): tuple(int(cell.get(m, 0)) for m in MEASURES)
            for unit_id, orgs in rollup.items() for org_id, cell in orgs.items()}
    want = {(row[0], row[1]): tuple(int(v or 0) for v in row[2:]) for row in baseline}
    zero = (0,) * len(MEASURES)
    keys = sorted(set(have) | set(want))
    return [f"province {k[0]}, org type {k[1]}: roll-up {have.get(k, zero)}, baseline {want.get(k, zero)}"
            for k in keys if have.get(k, zero) != want.get(k, zero)]


def measure_reads(period: Any) -> dict[str, Any]:
    from digitalfront.orgs import selectors

    log(f"province_totals({period.code}): {ROLLUP_WARMUP} warm-up + {ROLLUP_RUNS} timed runs")
    rollup_ms, rollup = timed(lambda: selectors.province_totals(period), ROLLUP_WARMUP, ROLLUP_RUNS)
    log(f"recursive baseline: {BASELINE_WARMUP} warm-up + {BASELINE_RUNS} timed runs")
    baseline_ms, baseline = timed(lambda: baseline_totals(period), BASELINE_WARMUP, BASELINE_RUNS)
    diffs = compare(rollup, baseline)
    if diffs or not baseline:
        for line in diffs[:20]:
            log(line)
        sys.exit(f"roll-up totals differ from the recursive baseline in {len(diffs)} cells"
                 if diffs else "the baseline found no reports")
    log(f"roll-up and baseline agree on {len(baseline)} province x organisation cells")
    return {
        "rollup_p50_ms": round(statistics.median(rollup_ms), 3), "rollup_p95_ms": round(p95(rollup_ms), 3),
        "baseline_p50_ms": round(statistics.median(baseline_ms), 3),
        "baseline_p95_ms": round(p95(baseline_ms), 3),
        "speedup": round(p95(baseline_ms) / p95(rollup_ms), 1), "cells_compared": len(baseline),
    }


def draft_reports(period: Any, actor: Any) -> list[Any]:
    """``SUBMISSIONS`` new draft reports of ``period`` at villages taken in turn from each province."""
    from digitalfront.orgs.models import PATH_SEGMENT, Level, OrganisationType, Report, Unit
    from digitalfront.orgs.services.reports import save_report

    orgs = [o for o in OrganisationType.objects.filter(active=True, datasets=period.dataset_id)
            if o.exists_at(Level.VILLAGE)]
    taken = set(Report.objects.filter(period=period).values_list("unit_id", "org_type_id"))
    by_province: dict[str, list[Unit]] = {}
    villages = Unit.objects.filter(level=Level.VILLAGE).active_between(period.start, period.end)
    for village in villages.order_by("id"):
        by_province.setdefault(village.path[: 2 * PATH_SEGMENT], []).append(village)
    out: list[Any] = []
    for row in zip_longest(*by_province.values()):  # one village of each province in turn
        for village in filter(None, row):
            org = orgs[len(out) % len(orgs)]
            if (village.pk, org.pk) in taken or len(out) >= SUBMISSIONS:
                continue
            data: dict[str, Any] = {"members": 120 + len(out), "staff_front_committee": 1,
                                    "staff_executive_committee": 5}
            if org.code == "mttq":
                data["values"] = {"nha-dai-doan-ket": 1, "ho-ngheo-duoc-ho-tro": 3, "khu-dan-cu-van-hoa": True}
            out.append(save_report(actor=actor, unit=village, org_type=org, period=period, data=data))
    return out


def measure_submissions(period: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from digitalfront.orgs.services.reports import submit_report

    actor = get_user_model().objects.create_superuser(f"bench_{os.getpid()}", email="", password=None)
    drafts = draft_reports(period, actor)
    log(f"submitting {len(drafts)} draft reports of {period.code} in batches of {BATCH}")
    latencies: list[float] = []
    rates: list[float] = []
    total_started = time.perf_counter()
    for first in range(0, len(drafts), BATCH):
        batch = drafts[first : first + BATCH]
        batch_started = time.perf_counter()
        for report in batch:
            started = time.perf_counter()
            submit_report(actor=actor, report=report)
            latencies.append((time.perf_counter() - started) * 1000)
        rates.append(len(batch) / (time.perf_counter() - batch_started))
    total_s = time.perf_counter() - total_started
    return {
        "submit_per_s": round(statistics.median(rates), 1), "submissions": len(drafts),
        "submit_total_per_s": round(len(drafts) / total_s, 1),
        "submit_p50_ms": round(statistics.median(latencies), 3), "submit_p95_ms": round(p95(latencies), 3)}


def run(backend: str) -> dict[str, Any]:
    log("migrating")
    digitalfront("migrate", "--noinput", "-v", "0")
    log("loading the national dataset (digitalfront demo)")
    started = time.perf_counter()
    demo = last_json(digitalfront("demo", "--quiet"))
    load_s = time.perf_counter() - started
    log(f"loaded in {load_s:.1f} s: {demo}")

    import django

    django.setup()  # after fresh_database() has set the environment
    from django.db import connections
    from django.utils import timezone

    from digitalfront.orgs.models import COUNTED_STATUSES, Period, Report, Rollup, Unit

    today = timezone.localdate()
    periods = Period.objects.filter(dataset__code=DATASET_CODE)
    closed = (periods.filter(deadline__lt=today, reports__status__in=COUNTED_STATUSES).distinct()
              .order_by("-start").first())
    open_period = periods.filter(start__lte=today, end__gte=today, deadline__gte=today).first()
    if closed is None or open_period is None:
        sys.exit(f"no closed period with reports ({closed}) or no open period ({open_period}) on {today}")
    result: dict[str, Any] = {
        "backend": backend, "units": Unit.objects.count(), "report_rows": Report.objects.count(),
        "rollup_rows": Rollup.objects.count(), "periods": periods.count(),
        "periods_with_reports": periods.filter(reports__isnull=False).distinct().count(),
        "period": closed.code, "load_s": round(load_s, 1),
    }
    log(f"dataset: {result}")
    result |= measure_reads(closed) | measure_submissions(open_period)
    connections.close_all()
    log("digitalfront check-rollups --quiet")
    checked = last_json(digitalfront("check-rollups", "--quiet", check=False))
    result["check_rollups_differences"] = checked.get("differences", -1)
    result["targets_met"] = {
        f"rollup_p95_ms<={TARGET_ROLLUP_P95_MS:g}": result["rollup_p95_ms"] <= TARGET_ROLLUP_P95_MS,
        f"speedup>={TARGET_SPEEDUP:g}": result["speedup"] >= TARGET_SPEEDUP,
    }
    return result


def main() -> int:
    with fresh_database() as backend:
        result = run(backend)
    print(json.dumps(result), flush=True)
    if result["check_rollups_differences"] != 0:
        log(f"check-rollups found {result['check_rollups_differences']} differences (must be 0)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
