"""National demo data for the organisational database: every unit's organisations report for four
past quarters (and the current quarter is open), with realistic figures and a realistic spread of
workflow states. Written by a bulk loader (``core.bulk``); roll-ups are then computed by the database
(``services.rollups.recompute``) and ``check-rollups`` verifies them against the raw rows.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import random
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from digitalfront.core.bulk import analyze, insert_rows
from digitalfront.core.progress import Progress
from digitalfront.orgs.models import (
    CORE_MEASURES,
    COUNT_MEASURES,
    PATH_SEGMENT,
    DataSet,
    Indicator,
    Level,
    OrganisationType,
    Period,
    Periodicity,
    Report,
    Rollup,
    Unit,
    ValueType,
)
from digitalfront.orgs.services import rollups
from digitalfront.orgs.services.periods import ensure_periods

DATASET_CODE = "csdl-to-chuc"

# Indicators a Front committee reports beyond the fixed fields (DOMAIN.md): added as data, not code.
FRONT_INDICATORS = [
    ("quy-vi-nguoi-ngheo", "Quỹ “Vì người nghèo” vận động được", ValueType.MONEY),
    ("nha-dai-doan-ket", "Nhà Đại đoàn kết xây mới, sửa chữa", ValueType.NUMBER),
    ("ho-ngheo-duoc-ho-tro", "Hộ nghèo được hỗ trợ", ValueType.NUMBER),
    ("cuoc-giam-sat", "Cuộc giám sát đã thực hiện", ValueType.NUMBER),
    ("hoi-nghi-phan-bien", "Hội nghị phản biện xã hội", ValueType.NUMBER),
    ("luot-tiep-cong-dan", "Lượt tiếp công dân, tiếp nhận kiến nghị", ValueType.NUMBER),
    ("khu-dan-cu-van-hoa", "Đạt danh hiệu khu dân cư văn hóa", ValueType.BOOLEAN),
    ("ghi-chu-phong-trao", "Ghi chú về phong trào thi đua", ValueType.TEXT),
]

ACTIVITIES = [
    "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư.",
    "Vận động nhân dân hiến đất làm đường giao thông nông thôn.",
    "Phối hợp tổ chức tập huấn chuyển đổi số cho hội viên.",
    "Trao quà cho hộ nghèo, gia đình chính sách dịp lễ, Tết.",
    "Ra quân vệ sinh môi trường, trồng cây xanh.",
    "Tuyên truyền phòng chống lừa đảo qua mạng cho người dân.",
    "Giám sát việc thực hiện chính sách bảo hiểm y tế.",
]
DIFFICULTIES = [
    "Kinh phí hoạt động còn hạn hẹp.",
    "Một bộ phận hội viên đi làm ăn xa, khó tập hợp sinh hoạt.",
    "Cán bộ kiêm nhiệm nhiều việc, thời gian dành cho công tác hội còn ít.",
    "Hạ tầng công nghệ thông tin ở cơ sở chưa đồng bộ.",
]
RECOMMENDATIONS = [
    "Đề nghị cấp trên tăng cường tập huấn nghiệp vụ cho cán bộ cơ sở.",
    "Đề nghị bố trí kinh phí hỗ trợ xây dựng nhà Đại đoàn kết.",
    "Kiến nghị đơn giản hóa biểu mẫu báo cáo định kỳ.",
]

# (members, fulltime staff, Front committee members, executive committee members) ranges by level
# and organisation. Members of an organisation at a level are those attached directly at that level;
# the subtree total counts each member once, in the branch where they belong.
VILLAGE_MEMBERS = {
    "mttq": (9, 21), "nong-dan": (60, 320), "doan-thanh-nien": (25, 140), "phu-nu": (80, 360),
    "cuu-chien-binh": (12, 70), "nguoi-cao-tuoi": (40, 220),
}


def ensure_dataset() -> DataSet:
    """The organisational database data set with its Front indicators (idempotent)."""
    dataset, _ = DataSet.objects.get_or_create(
        code=DATASET_CODE,
        defaults={"name": "Cơ sở dữ liệu tổ chức", "periodicity": Periodicity.QUARTERLY, "deadline_days": 10,
                  "levels": list(Level.values)},
    )
    dataset.org_types.set(OrganisationType.objects.filter(active=True))
    front = OrganisationType.objects.filter(code="mttq").first()
    for order, (code, name, kind) in enumerate(FRONT_INDICATORS, 1):
        indicator, _ = Indicator.objects.get_or_create(
            dataset=dataset, code=code, defaults={"name": name, "value_type": kind, "order": order}
        )
        if front is not None:
            indicator.org_types.set([front])
    return dataset


ROLL_INDICATORS = [code for code, _, kind in FRONT_INDICATORS if kind != ValueType.TEXT]
MEASURES = [*CORE_MEASURES, *COUNT_MEASURES] + [f"i:{c}" for c in ROLL_INDICATORS]
SCALE = {Level.VILLAGE: 1, Level.COMMUNE: 6, Level.PROVINCE: 40, Level.CENTRAL: 200}


def _size(unit_id: int, salt: int, lo: int, hi: int) -> int:
    """A stable pseudo-random size for a unit (the same every period), without a generator per unit."""
    return lo + ((unit_id * 2654435761 + salt * 40503) % 1000003) % (hi - lo + 1)


def _figures(unit_id: int, salt: int, level: str, org: str, growth: float, r: float) -> tuple[int, int, int, int]:
    if level == Level.VILLAGE:
        lo, hi = VILLAGE_MEMBERS.get(org, (10, 60))
        members = int(_size(unit_id, salt, lo, hi) * growth)
        return members, 0, (1 if org == "mttq" and r < 0.3 else 0), min(members, 3 + int(r * 7))
    if level == Level.COMMUNE:
        members = int(_size(unit_id, salt, 40, 900 if org == "cong-doan" else 160) * growth)
        front = 25 + int(r * 20) if org == "mttq" else int(r * 3)
        return members, 1 + int(r * 2), front, min(members, 11 + int(r * 15))
    members = int(_size(unit_id, salt, 150, 2500) * growth)
    full = 15 + int(r * 30) if level == Level.PROVINCE else 60 + int(r * 90)
    return members, full, (40 + int(r * 50) if org == "mttq" else int(r * 5)), 30 + int(r * 30)


def _front_values(rng: random.Random, level: str) -> dict[str, Any]:
    scale = SCALE[Level(level)]
    rand = rng.random
    values: dict[str, Any] = {
        "quy-vi-nguoi-ngheo": (2 + int(rand() * 58)) * 1_000_000 * scale,
        "nha-dai-doan-ket": (1 if rand() < 0.25 else 0) * scale if level == Level.VILLAGE else int(rand() * 4) * scale,
        "ho-ngheo-duoc-ho-tro": int(rand() * 13) * scale,
        "cuoc-giam-sat": int(rand() * 3) * max(1, scale // 4),
        "hoi-nghi-phan-bien": int(rand() * 2) * max(1, scale // 10),
        "luot-tiep-cong-dan": int(rand() * 26) * scale,
        "khu-dan-cu-van-hoa": rand() < 0.82,
    }
    if rand() < 0.1:
        values["ghi-chu-phong-trao"] = (
            "Tiếp tục thực hiện Cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”."
        )
    return values


def _submission_times(deadline: datetime.date) -> list[tuple[Any, Any, Any, bool]]:
    """Plausible (first submission, approval, locking) times around a deadline, already in the
    database's format, and whether the submission was on time."""
    adapt = connection.ops.adapt_datetimefield_value
    out = []
    for offset in range(-9, 21):
        day = deadline + datetime.timedelta(days=offset)
        when = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=VN_TZ)
        approved = when + datetime.timedelta(days=2)
        out.append((adapt(when), adapt(approved), adapt(approved + datetime.timedelta(days=5)), offset <= 0))
    return out


VN_TZ = datetime.timezone(datetime.timedelta(hours=7))


def _period_rows(period: Period, units: list[tuple[int, str, str]], by_level: dict[str, list[OrganisationType]],
                 salt: dict[int, int], *, latest: bool, growth: float, now: Any,
                 desc: dict[tuple[int, int], list[int]], report: Progress):
    """Yield the report rows of one period, adding each counted report's measures to its parent's
    bucket in ``desc`` as it goes (the deeper levels are folded up afterwards)."""
    rng = random.Random(f"demo/{period.code}")
    rand = rng.random
    times = _submission_times(period.deadline)
    on_time_times = [t for t in times if t[3]]
    late_times = [t for t in times if not t[3]]
    late_share = 0.12 if latest else 0.07
    n_measures = len(MEASURES)
    ind_index = [(MEASURES.index(f"i:{c}"), c) for c in ROLL_INDICATORS]
    draft, submitted, approved_s, locked_s = "draft", "submitted", "approved", "locked"
    village = Level.VILLAGE.value
    period_id = period.pk
    orgs_by_level = {level: [(o.pk, o.code, salt[o.pk]) for o in orgs] for level, orgs in by_level.items()}
    total = len(units)
    for n, (unit_id, level, path) in enumerate(units, 1):
        parent = int(path[-2 * PATH_SEGMENT : -PATH_SEGMENT]) if len(path) > PATH_SEGMENT else None
        is_village = level == village
        for org_id, org_code, org_salt in orgs_by_level[level]:
            r = rand()
            if latest:
                if r < 0.10:
                    continue
                status = draft if r < 0.15 else (submitted if r < 0.55 else approved_s)
            else:
                if r < 0.015:
                    continue
                status = locked_s if r < 0.9 else approved_s
            members, full, front, executive = _figures(unit_id, org_salt, level, org_code, growth, rand())
            rich = not is_village or r < 0.05
            values = _front_values(rng, level) if org_code == "mttq" else None
            if status == draft:
                first = approved = locked = None
                on_time = False
            else:
                pool = late_times if rand() < late_share else on_time_times
                first, approved, locked, on_time = pool[int(rand() * len(pool))]
                if status == submitted:
                    approved = locked = None
                elif status == approved_s:
                    locked = None
            k = int(r * 1000)
            yield (
                period_id, unit_id, org_id, status, members, full, front, executive,
                ACTIVITIES[k % len(ACTIVITIES)] if rich else "",
                DIFFICULTIES[k % len(DIFFICULTIES)] if rich else "",
                RECOMMENDATIONS[k % len(RECOMMENDATIONS)] if rich and r < 0.5 else "",
                json.dumps(values, ensure_ascii=False) if values else "{}",
                now, now, first, first, on_time, approved, locked,
            )
            if status == draft or parent is None:
                continue
            bucket = desc.get((parent, org_id))
            if bucket is None:
                bucket = desc[(parent, org_id)] = [0] * n_measures
            bucket[0] += members
            bucket[1] += full
            bucket[2] += front
            bucket[3] += executive
            bucket[4] += 1
            if on_time:
                bucket[5] += 1
            if values:
                for i, code in ind_index:
                    bucket[i] += int(values[code])
        if n % 20000 == 0 or n == total:
            report(f"báo cáo kỳ {period.code}", n, total)


def _fold_up(desc: dict[tuple[int, int], list[int]], parent_of: dict[int, int | None],
             depth_of: dict[int, int]) -> None:
    """Add each non-leaf unit's descendant sums to its parent's, deepest first: afterwards every
    bucket holds the sums over all strict descendants."""
    for depth in range(max(depth_of.values(), default=0), 1, -1):
        for key in [k for k in desc if depth_of[k[0]] == depth]:
            parent = parent_of[key[0]]
            if parent is None:
                continue
            source = desc[key]
            bucket = desc.get((parent, key[1]))
            if bucket is None:
                bucket = desc[(parent, key[1])] = [0] * len(source)
            for i, value in enumerate(source):
                bucket[i] += value


@contextlib.contextmanager
def _bulk_journal() -> Iterator[None]:
    """On SQLite, load with a rollback journal instead of the write-ahead log: pages appended to a
    table are not journaled at all, where WAL writes every page twice (log, then checkpoint). Only
    possible outside a transaction; WAL is restored afterwards."""
    switch = connection.vendor == "sqlite" and not connection.in_atomic_block
    if switch:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=DELETE")
    try:
        yield
    finally:
        if switch:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")


def _run_index_sql(action: str) -> None:
    """Drop or create the report table's secondary indexes with plain SQL (the SQLite schema editor
    refuses to run inside a transaction, and this runs inside the loader's)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for index in Report._meta.indexes:
            if action == "drop":
                cursor.execute(f"DROP INDEX {quote(index.name)}")
            else:
                columns = ", ".join(quote(Report._meta.get_field(f).column) for f in index.fields)
                cursor.execute(f"CREATE INDEX {quote(index.name)} ON {quote(Report._meta.db_table)} ({columns})")


def load_demo(
    *, periods: int = 4, progress: Progress | None = None, today: datetime.date | None = None
) -> dict[str, int]:
    """Load the demo reports for every unit (units must be loaded). Idempotent: periods that already
    have reports are left alone, and the roll-ups are written for the periods loaded here."""
    report = progress or Progress(quiet=True)
    today = today or timezone.localdate()
    dataset = ensure_dataset()
    all_periods = ensure_periods(dataset, count=periods + 1, today=today)  # newest first, incl. the open one
    closed = [p for p in all_periods if p.deadline < today]
    org_types = list(OrganisationType.objects.filter(active=True))
    salt = {o.pk: i for i, o in enumerate(org_types)}
    by_level = {level: [o for o in org_types if o.exists_at(level)] for level in Level.values}
    # In id order, so that the report indexes (period, unit, ...) and (unit, period) grow at the end.
    units = list(Unit.objects.filter(valid_to__isnull=True).values_list("id", "level", "path").order_by("id"))
    parent_of = {uid: (int(path[-2 * PATH_SEGMENT : -PATH_SEGMENT]) if len(path) > PATH_SEGMENT else None)
                 for uid, _, path in units}
    depth_of = {uid: len(path) // PATH_SEGMENT for uid, _, path in units}
    fields = ["period_id", "unit_id", "org_type_id", "status", "members", "staff_fulltime", "staff_front_committee",
              "staff_executive_committee", "activities", "difficulties", "recommendations", "values",
              "created_at", "updated_at", "submitted_at", "first_submitted_at", "submitted_on_time", "approved_at",
              "locked_at"]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    written = 0
    # Foreign keys are right by construction here; checking millions of them at commit would cost more
    # than the load itself (SQLite can switch them off only outside a transaction).
    # On an empty SQLite table the secondary indexes are built once at the end: sorting 2 million keys
    # once is cheaper than inserting them one by one. (PostgreSQL cannot build an index in a transaction
    # with pending deferred foreign-key checks, and COPY is fast enough there.)
    rebuild_indexes = connection.vendor == "sqlite" and not Report.objects.exists()
    with _bulk_journal(), connection.constraint_checks_disabled(), transaction.atomic():
        if rebuild_indexes:
            _run_index_sql("drop")
        for index, period in enumerate(closed[:periods]):
            if Report.objects.filter(period=period).exists():
                continue
            desc: dict[tuple[int, int], list[int]] = {}
            rows = _period_rows(period, units, by_level, salt, latest=index == 0, growth=1.0 - 0.01 * index,
                                now=now, desc=desc, report=report)
            written += insert_rows(Report, fields, rows)
            _fold_up(desc, parent_of, depth_of)
            rollups.write_rows(
                ((period.pk, unit_id, org_id, MEASURES[i]), value)
                for (unit_id, org_id), vec in desc.items()
                for i, value in enumerate(vec)
                if value
            )
        if rebuild_indexes:
            report.note("lập chỉ mục báo cáo")
            _run_index_sql("create")
    if written:
        analyze(Report._meta.db_table, Rollup._meta.db_table, Unit._meta.db_table)
    return {"reports": written, "periods": len(all_periods), "rollup_rows": Rollup.objects.count()}
