"""Reporting periods: generated from a data set's periodicity, each with its deadline."""

from __future__ import annotations

import calendar
import datetime

from digitalfront.orgs.models import DataSet, Period, Periodicity


def period_bounds(periodicity: str, day: datetime.date) -> tuple[datetime.date, datetime.date, str, str]:
    """``(start, end, code, name)`` of the period containing ``day``."""
    if periodicity == Periodicity.MONTHLY:
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return start, end, f"{day.year}-{day.month:02d}", f"Tháng {day.month}/{day.year}"
    if periodicity == Periodicity.QUARTERLY:
        q = (day.month - 1) // 3 + 1
        start = datetime.date(day.year, 3 * q - 2, 1)
        end_month = 3 * q
        end = datetime.date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
        return start, end, f"{day.year}-Q{q}", f"Quý {['I', 'II', 'III', 'IV'][q - 1]}/{day.year}"
    start = datetime.date(day.year, 1, 1)
    return start, datetime.date(day.year, 12, 31), str(day.year), f"Năm {day.year}"


def ensure_periods(dataset: DataSet, *, count: int, today: datetime.date) -> list[Period]:
    """The ``count`` most recent periods of ``dataset`` up to the one containing ``today`` (created if
    missing), newest first."""
    out: list[Period] = []
    day = today
    for _ in range(count):
        start, end, code, name = period_bounds(dataset.periodicity, day)
        period, _ = Period.objects.get_or_create(
            dataset=dataset, code=code,
            defaults={"name": name, "start": start, "end": end,
                      "deadline": end + datetime.timedelta(days=dataset.deadline_days)},
        )
        out.append(period)
        day = start - datetime.timedelta(days=1)
    return out
