"""Seed the working-day calendar from the ``holidays`` package (Vietnam, names in Vietnamese).

The package lists the days off, including the bridge days the government moves ("Ngày nghỉ (thay cho
ngày 22/08/2026)": the Saturday named in brackets becomes a working day). Existing rows are kept, so
that an administrator's corrections survive a re-seed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

_SWAPPED = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


def vietnam_calendar(years: Iterable[int]) -> list[tuple[dt.date, str, bool]]:
    """``(date, name, is_working_day)`` rows for ``years``: days off, and weekend days made working days."""
    import holidays

    rows: dict[dt.date, tuple[str, bool]] = {}
    for day, name in holidays.country_holidays("VN", years=list(years), language="vi").items():
        rows[day] = (name, False)
        match = _SWAPPED.search(name)
        if match:
            worked = dt.date(int(match[3]), int(match[2]), int(match[1]))
            if worked.weekday() >= 5:
                rows.setdefault(worked, (f"Làm bù cho ngày nghỉ {day:%d/%m/%Y}", True))
    return sorted((day, name, working) for day, (name, working) in rows.items())


def seed(holiday_model: Any, years: Iterable[int]) -> int:
    """Insert the missing rows for ``years``; returns how many were added."""
    existing = set(holiday_model.objects.values_list("date", flat=True))
    new = [
        holiday_model(date=day, name=name, is_working_day=working)
        for day, name, working in vietnam_calendar(years)
        if day not in existing
    ]
    holiday_model.objects.bulk_create(new)
    return len(new)
