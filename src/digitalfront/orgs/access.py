"""Loading one object for a user. "Forbidden" and "missing" give the same :class:`NotFound` (404):
nobody learns that a unit or report exists outside their scope."""

from __future__ import annotations

from typing import Any

from digitalfront.core.errors import NotFound
from digitalfront.orgs.models import Period, Report, Unit


def unit_for(user: Any, unit_id: int | str, action: str = "view") -> Unit:
    """The unit with primary key ``unit_id`` if ``user`` may ``action`` it."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    unit = Unit.objects.for_user(user, action).select_related("parent", "successor").filter(pk=pk).first()
    if unit is None:
        raise NotFound()
    return unit


def unit_by_code_for(user: Any, code: str, action: str = "view") -> Unit:
    """The unit with official code ``code`` if ``user`` may ``action`` it."""
    unit = Unit.objects.for_user(user, action).select_related("parent", "successor").filter(code=code).first()
    if unit is None:
        raise NotFound()
    return unit


def report_for(user: Any, report_id: int, action: str = "view") -> Report:
    """The report ``report_id`` if ``user`` may ``action`` its unit."""
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    report = (
        Report.objects.for_user(user, action)
        .select_related("unit", "org_type", "period", "period__dataset")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFound()
    return report


def period_by_id(period_id: int | str) -> Period:
    """Periods are not scoped (every unit reports in the same periods); a bad id is a 404."""
    try:
        pk = int(period_id)
    except (TypeError, ValueError):
        raise NotFound("Không tìm thấy kỳ báo cáo.") from None
    period = Period.objects.select_related("dataset").filter(pk=pk).first()
    if period is None:
        raise NotFound("Không tìm thấy kỳ báo cáo.")
    return period
