"""Periodic reports: entry, and the workflow draft -> submitted -> approved -> locked.

Only counted states (submitted, approved, locked) move the roll-ups, so the aggregates change exactly
on submit and on reopen, in the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from digitalfront.core import audit
from digitalfront.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.scoping import scope_for
from digitalfront.core.text import has_bad_chars, nfc
from digitalfront.orgs.models import (
    CORE_MEASURES,
    COUNTED_STATUSES,
    Indicator,
    OrganisationType,
    Period,
    Report,
    ReportStatus,
    Unit,
    ValueType,
)
from digitalfront.orgs.services import rollups

MAX_COUNT = 200_000_000  # more members than the population is a typing error, not a figure
MAX_MONEY = 10**15  # đồng
MAX_TEXT = 10_000
TEXT_FIELDS = {
    "activities": "Hoạt động tiêu biểu",
    "difficulties": "Khó khăn, hạn chế",
    "recommendations": "Kiến nghị, đề xuất",
}


def _as_int(value: Any, label: str, field: str, maximum: int) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValidationFailed(f"{label} phải là số nguyên.", field=field)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationFailed(f"{label} phải là số nguyên.", field=field)
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "").replace(",", "").replace(" ", "")
        if not cleaned.lstrip("-").isdigit():
            raise ValidationFailed(f"{label} phải là số nguyên.", field=field)
        value = int(cleaned)
    if not isinstance(value, int):
        raise ValidationFailed(f"{label} phải là số nguyên.", field=field)
    if value < 0:
        raise ValidationFailed(f"{label} không được âm.", field=field)
    if value > maximum:
        raise ValidationFailed(f"{label} quá lớn (tối đa {maximum:,}).".replace(",", "."), field=field)
    return value


def indicators_for(period: Period, org_type: OrganisationType) -> list[Indicator]:
    """The active indicators of the period's data set that apply to ``org_type``."""
    out = []
    for ind in Indicator.objects.filter(dataset_id=period.dataset_id, active=True).prefetch_related("org_types"):
        applies = list(ind.org_types.all())
        if not applies or org_type in applies:
            out.append(ind)
    return out


def clean_report_data(data: dict[str, Any], *, period: Period, org_type: OrganisationType) -> dict[str, Any]:
    """Check and normalise the fields of a report. Raises :class:`ValidationFailed` in Vietnamese."""
    if not isinstance(data, dict):
        raise ValidationFailed("Dữ liệu báo cáo không hợp lệ.")
    out: dict[str, Any] = {}
    for name, label in CORE_MEASURES.items():
        out[name] = _as_int(data.get(name), label, name, MAX_COUNT)
    for name in ("staff_fulltime", "staff_front_committee", "staff_executive_committee"):
        if out[name] > out["members"]:
            raise ValidationFailed(
                f"{CORE_MEASURES[name]} ({out[name]}) không được lớn hơn số hội viên, đoàn viên ({out['members']}).",
                field=name,
            )
    for name, label in TEXT_FIELDS.items():
        value = data.get(name) or ""
        if not isinstance(value, str):
            raise ValidationFailed(f"{label} phải là văn bản.", field=name)
        value = nfc(value)
        if len(value) > MAX_TEXT:
            raise ValidationFailed(f"{label} quá dài (tối đa {MAX_TEXT} ký tự).", field=name)
        if has_bad_chars(value):
            raise ValidationFailed(f"{label} có ký tự không hợp lệ (có thể sai bảng mã, cần UTF-8).", field=name)
        out[name] = value
    raw_values = data.get("values") or {}
    if not isinstance(raw_values, dict):
        raise ValidationFailed("Các chỉ tiêu bổ sung phải là một bảng mã chỉ tiêu – giá trị.", field="values")
    known = {ind.code: ind for ind in indicators_for(period, org_type)}
    unknown = sorted(set(raw_values) - set(known))
    if unknown:
        raise ValidationFailed(f"Chỉ tiêu không có trong bộ dữ liệu: {', '.join(unknown)}.", field="values")
    values: dict[str, Any] = {}
    for code, ind in known.items():
        raw = raw_values.get(code)
        if raw is None or raw == "":
            continue
        field = f"values.{code}"
        if ind.value_type == ValueType.NUMBER:
            values[code] = _as_int(raw, ind.name, field, MAX_COUNT * 10)
        elif ind.value_type == ValueType.MONEY:
            values[code] = _as_int(raw, ind.name, field, MAX_MONEY)
        elif ind.value_type == ValueType.BOOLEAN:
            if isinstance(raw, bool):
                values[code] = raw
            elif isinstance(raw, str) and raw.lower() in {"true", "1", "co", "có", "yes", "on"}:
                values[code] = True
            elif isinstance(raw, str) and raw.lower() in {"false", "0", "khong", "không", "no", "off"}:
                values[code] = False
            else:
                raise ValidationFailed(f"{ind.name} phải là Có hoặc Không.", field=field)
        else:
            if not isinstance(raw, str):
                raise ValidationFailed(f"{ind.name} phải là văn bản.", field=field)
            text = nfc(raw)
            if len(text) > MAX_TEXT:
                raise ValidationFailed(f"{ind.name} quá dài (tối đa {MAX_TEXT} ký tự).", field=field)
            if has_bad_chars(text):
                raise ValidationFailed(f"{ind.name} có ký tự không hợp lệ (có thể sai bảng mã, cần UTF-8).",
                                       field=field)
            values[code] = text
    out["values"] = values
    return out


def check_reportable(*, unit: Unit, org_type: OrganisationType, period: Period) -> None:
    """Raise unless ``org_type`` at ``unit`` reports in ``period``'s data set."""
    dataset = period.dataset
    if not dataset.active:
        raise ValidationFailed("Bộ dữ liệu này không còn được sử dụng.")
    if not org_type.exists_at(unit.level):
        raise ValidationFailed(f"{org_type.short_name} không có tổ chức ở cấp {unit.get_level_display()}.")
    if not dataset.org_types.filter(pk=org_type.pk).exists():
        raise ValidationFailed(f"{org_type.short_name} không báo cáo trong bộ dữ liệu “{dataset.name}”.")
    if dataset.levels and unit.level not in dataset.levels:
        raise ValidationFailed(f"Cấp {unit.get_level_display()} không báo cáo trong bộ dữ liệu này.")
    if unit.valid_from > period.end or (unit.valid_to is not None and unit.valid_to < period.start):
        raise ValidationFailed("Kỳ báo cáo nằm ngoài thời gian hiệu lực của đơn vị.", field="period")


def _require(user: Any, action: str, unit: Unit) -> None:
    if not scope_for(user, "view").covers(unit.path):
        raise NotFound()
    if not scope_for(user, action).covers(unit.path):
        raise PermissionDenied()


def save_report(*, actor: Any, unit: Unit, org_type: OrganisationType, period: Period,
                data: dict[str, Any]) -> Report:
    """Create or update the draft report of ``org_type`` at ``unit`` for ``period``."""
    _require(actor, "edit", unit)
    check_reportable(unit=unit, org_type=org_type, period=period)
    cleaned = clean_report_data(data, period=period, org_type=org_type)
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(unit=unit, org_type=org_type, period=period)
            .first()
        )
        created = report is None
        if report is None:
            report = Report(unit=unit, org_type=org_type, period=period)
        elif report.status != ReportStatus.DRAFT:
            raise InvalidState(
                f"Báo cáo đang ở trạng thái “{report.get_status_display()}”: chỉ sửa được báo cáo nháp."
            )
        for name, value in cleaned.items():
            setattr(report, name, value)
        report.updated_by = actor
        report.save()
        audit.record(actor=actor, action="report.create" if created else "report.update", obj=report,
                     unit_path=unit.path)
    return report


def _locked_report(report_id: int) -> Report:
    return Report.objects.select_for_update().select_related("unit", "period", "period__dataset", "org_type").get(
        pk=report_id
    )


def submit_report(*, actor: Any, report: Report, now: datetime.datetime | None = None) -> Report:
    """draft -> submitted; the figures enter the roll-ups of every ancestor."""
    _require(actor, "edit", report.unit)
    with transaction.atomic():
        report = _locked_report(report.pk)
        if report.status != ReportStatus.DRAFT:
            raise InvalidState(f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không thể nộp.")
        if report.period.dataset.require_children_approved:
            pending = _children_not_approved(report)
            if pending:
                raise InvalidState(
                    "Chưa thể nộp: các đơn vị cấp dưới sau chưa được duyệt: " + ", ".join(pending[:5])
                    + (f" và {len(pending) - 5} đơn vị khác." if len(pending) > 5 else ".")
                )
        when = now or timezone.now()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = when
        if report.first_submitted_at is None:
            report.first_submitted_at = when
            report.submitted_on_time = timezone.localdate(when) <= report.period.deadline
        report.save(update_fields=["status", "submitted_at", "first_submitted_at", "submitted_on_time", "updated_at"])
        rollups.apply_report(report, sign=+1)
        audit.record(actor=actor, action="report.submit", obj=report, unit_path=report.unit.path)
    return report


def _children_not_approved(report: Report) -> list[str]:
    """Names of the active child units whose report (same organisation, period) is not approved."""
    children = Unit.objects.filter(parent=report.unit).active_between(report.period.start, report.period.end)
    if report.period.dataset.levels:
        children = children.filter(level__in=report.period.dataset.levels)
    approved = set(
        Report.objects.filter(
            period=report.period, org_type=report.org_type, unit__parent=report.unit,
            status__in=[ReportStatus.APPROVED, ReportStatus.LOCKED],
        ).values_list("unit_id", flat=True)
    )
    return [c.name for c in children if c.pk not in approved and report.org_type.exists_at(c.level)]


def approve_report(*, actor: Any, report: Report) -> Report:
    """submitted -> approved, by an approver of a unit above."""
    _require(actor, "approve", report.unit)
    with transaction.atomic():
        report = _locked_report(report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise InvalidState(f"Chỉ duyệt được báo cáo đã nộp (hiện: “{report.get_status_display()}”).")
        report.status = ReportStatus.APPROVED
        report.approved_at = timezone.now()
        report.approved_by = actor
        report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
        audit.record(actor=actor, action="report.approve", obj=report, unit_path=report.unit.path)
    return report


def lock_report(*, actor: Any, report: Report) -> Report:
    """approved -> locked: the figures are final for the period."""
    _require(actor, "approve", report.unit)
    with transaction.atomic():
        report = _locked_report(report.pk)
        if report.status != ReportStatus.APPROVED:
            raise InvalidState(f"Chỉ khóa được báo cáo đã duyệt (hiện: “{report.get_status_display()}”).")
        report.status = ReportStatus.LOCKED
        report.locked_at = timezone.now()
        report.save(update_fields=["status", "locked_at", "updated_at"])
        audit.record(actor=actor, action="report.lock", obj=report, unit_path=report.unit.path)
    return report


def reopen_report(*, actor: Any, report: Report, reason: str = "") -> Report:
    """submitted / approved / locked -> draft, by an approver above; the figures leave the roll-ups.

    A locked report is reopened only by a unit administrator above or a superuser.
    """
    _require(actor, "approve", report.unit)
    with transaction.atomic():
        report = _locked_report(report.pk)
        if report.status not in COUNTED_STATUSES:
            raise InvalidState("Báo cáo đang là bản nháp, không cần mở lại.")
        if report.status == ReportStatus.LOCKED:
            admin_scope = scope_for(actor, "admin")
            above = admin_scope.covers(report.unit.path) and report.unit.path not in admin_scope.paths
            if not (admin_scope.everything or above):
                raise PermissionDenied("Chỉ quản trị đơn vị cấp trên mới mở lại được báo cáo đã khóa.")
        rollups.apply_report(report, sign=-1)
        report.status = ReportStatus.DRAFT
        report.submitted_at = None
        report.approved_at = None
        report.approved_by = None
        report.locked_at = None
        report.save(update_fields=["status", "submitted_at", "approved_at", "approved_by", "locked_at", "updated_at"])
        audit.record(actor=actor, action="report.reopen", obj=report, unit_path=report.unit.path,
                     reason=nfc(reason)[:500])
    return report
