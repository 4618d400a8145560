"""A simulated term of congresses for ``digitalfront demo``: every province and commune in force, in
the states a term goes through, as the services would have left them.

The term ``2026–2031`` is simulated around ``today``: communes hold their congresses from two months
before to two months after it, provinces after their communes. A province's congresses advance together
(some provinces are ahead, some behind): a congress planned before ``today`` has been held (and most of
those reported, and most reports confirmed by the province or the centre); one planned after is planned
or being prepared. Results respect the services' rules (``services.congresses.check``): composition
counts within the committee, the chair and vice-chairs within the standing committee, attending not more
than summoned. Written with ``bulk_create`` in one transaction; the same ``seed`` and ``today`` give the
same term. Idempotent: nothing is added when the term already has congresses.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from digitalfront.orgs.models import Level, Unit

from .models import Congress, NewsItem, Status, Term
from .services.congresses import check

TERM_NAME = "2026–2031"
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến"]
# provinces where ethnic minorities are many (a larger share in the committees)
HIGHLANDS = {"Lai Châu", "Điện Biên", "Sơn La", "Lào Cai", "Cao Bằng", "Tuyên Quang", "Lạng Sơn", "Thái Nguyên",
             "Gia Lai", "Đắk Lắk", "Lâm Đồng"}

ProgressFn = Callable[[str, int, int], None]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _results(rng: random.Random, *, province: bool, highland: bool) -> dict[str, Any]:
    size = rng.randint(45, 65) if province else rng.randint(25, 45)
    standing = rng.randint(5, 7) if province else rng.randint(3, 5)
    re_elected = round(size * rng.uniform(0.4, 0.65))
    summoned = rng.randint(250, 400) if province else rng.randint(100, 200)
    attending = summoned - rng.randint(0, summoned // 15)
    chair = _name(rng)
    vice_chairs = [_name(rng) for _ in range(standing - 1 - rng.randint(0, 1))]
    # the other members from a generator of their own, so that the main sequence stays as it was
    others = random.Random(f"{chair}|{size}|{summoned}")
    taken = {chair, *vice_chairs}
    members: list[str] = []
    while len(members) < standing - 1 - len(vice_chairs):
        name = _name(others)
        if name not in taken:
            taken.add(name)
            members.append(name)
    return {
        "delegates_summoned": summoned, "delegates_attending": attending,
        "committee_size": size, "standing_size": standing, "chair": chair,
        "vice_chairs": vice_chairs, "standing_members": members,
        "women": round(size * rng.uniform(0.22, 0.42)), "under_35": round(size * rng.uniform(0.05, 0.16)),
        "ethnic_minority": round(size * (rng.uniform(0.25, 0.6) if highland else rng.uniform(0.0, 0.06))),
        "religious": round(size * rng.uniform(0.02, 0.08)), "non_party": round(size * rng.uniform(0.15, 0.32)),
        "re_elected": re_elected, "new_members": size - re_elected,
        "delegates_to_above": rng.randint(8, 15) if not province else rng.randint(20, 40),
    }


def _congress(rng: random.Random, term: Term, unit: Unit, planned: dt.date, today: dt.date, *,
              lead: float, highland: bool, confirmed_by_level: bool) -> Congress:
    province = unit.level == Level.PROVINCE
    c = Congress(term=term, unit=unit, level=unit.level, planned_on=planned,
                 venue=f"Hội trường {unit.name}")
    if planned > today:
        c.status = Status.PREPARING if (planned - today).days < 21 or rng.random() < lead else Status.PLANNED
        c.delegates_summoned = (rng.randint(250, 400) if province else rng.randint(100, 200)) \
            if c.status == Status.PREPARING else None
        return c
    for name, value in _results(rng, province=province, highland=highland).items():
        setattr(c, name, value)
    c.held_on = planned
    age = (today - planned).days
    roll = rng.random()
    now = timezone.now()
    if age >= 3 and roll < 0.55 + 0.4 * lead:
        c.status, c.reported_at = Status.REPORTED, now
        if age >= 7 and confirmed_by_level and rng.random() < 0.5 + 0.45 * lead:
            c.status, c.confirmed_at = Status.CONFIRMED, now
    else:
        c.status = Status.HELD
    return c


def load_congress_demo(*, seed: int = 2026, today: dt.date | None = None,
                       progress: ProgressFn | None = None) -> dict[str, Any]:
    """Create the simulated term (units must be loaded). Returns counts by level and state."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    term, _ = Term.objects.get_or_create(name=TERM_NAME, defaults={"starts_on": dt.date(2026, 1, 1),
                                                                 "ends_on": dt.date(2031, 12, 31)})
    if Congress.objects.filter(term=term).exists():
        return _counts(term, added=0)
    provinces = list(Unit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).order_by("code"))
    communes: dict[int, list[Unit]] = {}
    for unit in Unit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).order_by("code"):
        communes.setdefault(unit.parent_id or 0, []).append(unit)
    rows: list[Congress] = []
    low, high = max(term.starts_on, today - dt.timedelta(days=60)), today + dt.timedelta(days=60)
    for i, province in enumerate(provinces, start=1):
        lead = rng.random()  # how far ahead this province is
        highland = province.name.split(" ", 1)[-1] in HIGHLANDS
        span = (high - low).days
        # the province's communes hold theirs first: a window that starts earlier when the province leads
        start = low + dt.timedelta(days=int((1 - lead) * span * 0.4))
        for unit in communes.get(province.pk, []):
            planned = start + dt.timedelta(days=rng.randint(0, int(span * 0.6)))
            rows.append(_congress(rng, term, unit, min(planned, high), today, lead=lead, highland=highland,
                                  confirmed_by_level=True))
        own = start + dt.timedelta(days=int(span * 0.6) + rng.randint(5, 30))
        rows.append(_congress(rng, term, province, min(own, term.ends_on), today, lead=lead, highland=highland,
                              confirmed_by_level=True))
        if progress:
            progress("Đại hội nhiệm kỳ mô phỏng", i, len(provinces))
    for c in rows[:50]:  # the generator keeps the services' rules (checked on a sample: cheap)
        check(term, {f: getattr(c, f) for f in ("planned_on", "held_on", "delegates_summoned",
                                                "delegates_attending", "committee_size", "standing_size",
                                                "chair", "vice_chairs", "standing_members", "women", "under_35",
                                                "ethnic_minority", "religious", "non_party", "re_elected",
                                                "new_members")},
              today=today)
    with transaction.atomic():
        Congress.objects.bulk_create(rows, batch_size=1000)
        held = list(Congress.objects.filter(term=term, level=Level.PROVINCE, held_on__isnull=False)
                    .select_related("unit"))
        NewsItem.objects.bulk_create([
            NewsItem(congress=c, title=f"Đại hội đại biểu Mặt trận Tổ quốc Việt Nam {c.unit.name} nhiệm kỳ {TERM_NAME}",
                     body=(f"Ngày {c.held_on:%d/%m/%Y}, {c.delegates_attending} đại biểu đã dự Đại hội tại "
                           f"{c.venue}. Đại hội hiệp thương cử {c.committee_size} ủy viên Ủy ban; ông (bà) "
                           f"{c.chair} được hiệp thương giữ chức Chủ tịch."))
            for c in held])
    return _counts(term, added=len(rows))


def _counts(term: Term, *, added: int) -> dict[str, Any]:
    from .selectors import progress

    p = progress(term)
    return {"term": term.name, "congresses": Congress.objects.filter(term=term).count(), "added": added,
            "by_status": p.counts["total"]}
