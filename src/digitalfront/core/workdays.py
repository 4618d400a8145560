"""Working days: the one place where legal clocks turn days into deadlines.

A working day is Monday to Friday, unless the holiday calendar (``core.models.Holiday``) says
otherwise: public holidays are days off, and a weekend day can be made a working day. Deadlines end at
the end of their last day, local time (Asia/Ho_Chi_Minh): a case received on Friday with 10 working
days is due at 23:59:59 on the Friday two weeks later, when no holiday intervenes.

Callers pass aware datetimes; the calendar is read once per call for the range it needs.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.utils import timezone

WEEKEND = frozenset({5, 6})  # Saturday, Sunday


# The calendar is a few hundred rows read on every intake: each process keeps it for CACHE_SECONDS.
# An administrator's edit applies everywhere within that time (and at once in the editing process).
CACHE_SECONDS = 60.0
_cache: dict[str, Any] = {}


def clear_cache() -> None:
    """Forget the cached calendar (after an edit, and between tests)."""
    _cache.clear()


def _calendar() -> dict[dt.date, bool]:
    loaded = _cache.get("at")
    if loaded is None or time.monotonic() - loaded > CACHE_SECONDS:
        from digitalfront.core.models import Holiday

        _cache["rows"] = dict(Holiday.objects.values_list("date", "is_working_day"))
        _cache["at"] = time.monotonic()
        _cache["deadlines"] = {}
    rows: dict[dt.date, bool] = _cache["rows"]
    return rows


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """The calendar's overrides between ``start`` and ``end`` inclusive: date -> is a working day."""
    return {day: working for day, working in _calendar().items() if start <= day <= end}


def _is_working(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return day.weekday() not in WEEKEND


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day."""
    return _is_working(day, _exceptions(day, day))


def local_date(moment: dt.datetime) -> dt.date:
    """The date of ``moment`` in the platform's time zone."""
    return timezone.localtime(moment).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last microsecond of ``day``, local time, as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def add_working_days(start: dt.datetime | dt.date, days: int) -> dt.datetime:
    """The end of the ``days``-th working day after ``start`` (the day of ``start`` is not counted).

    ``days`` of 0 gives the end of the start day itself.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    first = local_date(start) if isinstance(start, dt.datetime) else start
    _calendar()  # reload the calendar (and forget computed deadlines) when it is stale
    key = (first, days)
    memo: dict[tuple[dt.date, int], dt.datetime] = _cache.setdefault("deadlines", {})
    if key not in memo:
        if len(memo) > 10_000:
            memo.clear()
        memo[key] = _add_working_days(first, days)
    return memo[key]


def _add_working_days(first: dt.date, days: int) -> dt.datetime:
    # a generous window: two calendar weeks per working week, plus Tết
    overrides = _exceptions(first, first + dt.timedelta(days=days * 2 + 30))
    day, left = first, days
    while left > 0:
        day += dt.timedelta(days=1)
        if _is_working(day, overrides):
            left -= 1
    return end_of_day(day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie in ``(start, end]`` (negative when ``end`` is before ``start``)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if _is_working(day, overrides):
            count += 1
    return count


def working_days_left(due: dt.datetime, now: dt.datetime) -> int:
    """Working days from today to the deadline's day: 0 on the last day, negative once it has passed."""
    return working_days_between(local_date(now), local_date(due))
