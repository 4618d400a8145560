"""The organisational database over HTTP: ``/api/v1/`` units, periods, roll-ups and reports.

Reads go through ``Model.objects.for_user`` or ``orgs.access`` (a unit or report outside the user's
scope is a 404, like a missing one); every write goes through ``orgs.services.reports``, which checks
the action (403 when the user can see but not act) and raises Vietnamese :class:`DomainError`\\ s that
``core.api`` turns into ``{"detail", "field", "code"}`` with the error's status.
"""

from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from digitalfront.core.errors import ValidationFailed
from digitalfront.core.text import fold, nfc
from digitalfront.orgs import access, selectors
from digitalfront.orgs.models import (
    COUNT_MEASURES,
    LEVEL_DEPTH,
    Level,
    OrganisationType,
    Period,
    Report,
    ReportStatus,
    Unit,
)
from digitalfront.orgs.schemas import (
    TAG_FIGURES,
    TAG_PERIODS,
    TAG_REPORTS,
    TAG_UNITS,
    CompletenessOut,
    JsonBody,
    Pagination,
    PeriodOut,
    ReopenIn,
    ReportIn,
    ReportOut,
    RollupOut,
    UnitDetailOut,
    UnitOut,
    org_dict,
    period_ref,
    unit_ref,
)
from digitalfront.orgs.services import reports as report_services

router = Router(tags=["Tổ chức"])


def visible_children(user: Any, unit: Unit, period: Period) -> list[Unit]:
    return list(
        Unit.objects.for_user(user, "view").filter(parent=unit).active_between(period.start, period.end)
        .order_by("name", "pk")
    )


# --- units ------------------------------------------------------------------------------------------


@router.get("/units/", response=list[UnitOut], tags=[TAG_UNITS], summary="Danh sách đơn vị")
@paginate(Pagination)
def list_units(
    request: HttpRequest,
    q: str | None = Query(None, max_length=200, description="Tìm theo tên (có dấu hoặc không dấu) hoặc mã."),
    level: Annotated[Level | None, Query(description="Cấp đơn vị.")] = None,
    parent: int | None = Query(None, description="Chỉ các đơn vị trực thuộc đơn vị này."),
    active: bool | None = Query(None, description="true: chỉ đơn vị đang có hiệu lực; false: đã giải thể."),
) -> QuerySet[Unit]:
    """Các đơn vị người dùng được xem, theo thứ tự cây đơn vị."""
    units = Unit.objects.for_user(request.user, "view")
    if q:
        folded = fold(q)
        if folded:
            units = units.filter(Q(name_folded__contains=folded) | Q(code=nfc(q)))
    if level is not None:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(parent_id=parent)
    if active is not None:
        units = units.filter(valid_to__isnull=active)
    return units.order_by("path")


@router.get("/units/{unit_id}", response=UnitDetailOut, tags=[TAG_UNITS], summary="Thông tin một đơn vị")
def get_unit(request: HttpRequest, unit_id: int) -> Unit:
    """Một đơn vị, các tổ chức có ở cấp của đơn vị và số đơn vị trực thuộc đang có hiệu lực."""
    unit = access.unit_for(request.user, unit_id)
    unit.org_types = [org_dict(o, unit.level) for o in selectors.org_types_at(unit)]  # type: ignore[attr-defined]
    unit.children_count = (  # type: ignore[attr-defined]
        Unit.objects.for_user(request.user, "view").filter(parent=unit, valid_to__isnull=True).count()
    )
    return unit


@router.get("/units/{unit_id}/children", response=list[UnitOut], tags=[TAG_UNITS],
            summary="Các đơn vị trực thuộc")
@paginate(Pagination)
def list_children(request: HttpRequest, unit_id: int) -> QuerySet[Unit]:
    """Các đơn vị trực thuộc đang có hiệu lực, theo tên."""
    unit = access.unit_for(request.user, unit_id)
    return (
        Unit.objects.for_user(request.user, "view").filter(parent=unit, valid_to__isnull=True)
        .order_by("name", "pk")
    )


# --- periods ----------------------------------------------------------------------------------------


@router.get("/periods/", response=list[PeriodOut], tags=[TAG_PERIODS], summary="Danh sách kỳ báo cáo")
def list_periods(
    request: HttpRequest, dataset: str | None = Query(None, max_length=40, description="Mã bộ dữ liệu.")
) -> QuerySet[Period]:
    """Các kỳ báo cáo của mọi bộ dữ liệu, mới nhất trước. Kỳ báo cáo không gắn với đơn vị nào."""
    periods = Period.objects.select_related("dataset")
    if dataset:
        periods = periods.filter(dataset__code=dataset)
    return periods.order_by("-start", "dataset__code", "pk")


# --- figures ----------------------------------------------------------------------------------------


@router.get("/units/{unit_id}/rollup", response=RollupOut, tags=[TAG_FIGURES], summary="Số liệu tổng hợp")
def get_rollup(
    request: HttpRequest,
    unit_id: int,
    period: int = Query(..., description="Mã số (id) của kỳ báo cáo."),
    children: bool = Query(False, description="Kèm số liệu của từng đơn vị trực thuộc."),
) -> dict[str, Any]:
    """Tổng số liệu toàn bộ cây đơn vị (gồm cả đơn vị) theo từng tổ chức, tổng mọi tổ chức, tên các
    chỉ số; tùy chọn kèm từng đơn vị trực thuộc. Chỉ tính báo cáo đã nộp, đã duyệt hoặc đã khóa."""
    unit = access.unit_for(request.user, unit_id)
    the_period = access.period_by_id(period)
    kids = visible_children(request.user, unit, the_period) if children else []
    totals = selectors.subtree_totals([unit.pk, *(k.pk for k in kids)], the_period)
    labels = [*selectors.measure_labels(the_period), *COUNT_MEASURES.items()]
    codes = [code for code, _ in labels]
    depth = LEVEL_DEPTH.get(Level(unit.level), 0)
    below = {str(level) for level, d in LEVEL_DEPTH.items() if d >= depth}
    orgs = [o for o in the_period.dataset.org_types.filter(active=True) if below & set(o.levels)]

    def block(u: Unit) -> dict[str, Any]:
        cells = totals[u.pk]
        summed = selectors.sum_orgs(cells)
        return {
            "unit": unit_ref(u),
            "organisations": [
                {"org_type": org_dict(o, u.level), "values": {c: cells[o.pk].get(c, 0) for c in codes}}
                for o in orgs
            ],
            "total": {c: summed.get(c, 0) for c in codes},
        }

    return {
        **block(unit),
        "period": period_ref(the_period),
        "measures": [{"code": code, "label": label} for code, label in labels],
        "children": [block(k) for k in kids] if children else None,
    }


@router.get("/units/{unit_id}/completeness", response=CompletenessOut, tags=[TAG_FIGURES],
            summary="Tỷ lệ nộp báo cáo và nộp đúng hạn")
def get_completeness(
    request: HttpRequest, unit_id: int, period: int = Query(..., description="Mã số (id) của kỳ báo cáo.")
) -> dict[str, Any]:
    """Tỷ lệ báo cáo đã nộp (trên số phải nộp) và tỷ lệ nộp đúng hạn của đơn vị và từng đơn vị trực thuộc."""
    unit = access.unit_for(request.user, unit_id)
    the_period = access.period_by_id(period)
    rows = selectors.completeness([unit, *visible_children(request.user, unit, the_period)], the_period)
    return {
        "period": period_ref(the_period),
        "unit": rows[0].as_dict(),
        "children": [row.as_dict() for row in rows[1:]],
    }


# --- reports ----------------------------------------------------------------------------------------


@router.get("/reports/", response=list[ReportOut], tags=[TAG_REPORTS], summary="Danh sách báo cáo")
@paginate(Pagination)
def list_reports(
    request: HttpRequest,
    unit: int | None = Query(None, description="Mã số (id) của đơn vị."),
    period: int | None = Query(None, description="Mã số (id) của kỳ báo cáo."),
    status: Annotated[ReportStatus | None, Query(description="Trạng thái.")] = None,
    org_type: str | None = Query(None, max_length=40, description="Mã tổ chức."),
) -> QuerySet[Report]:
    """Các báo cáo của những đơn vị người dùng được xem: kỳ mới nhất trước, rồi theo cây đơn vị."""
    reports = Report.objects.for_user(request.user, "view").select_related("unit", "org_type", "period")
    if unit is not None:
        reports = reports.filter(unit_id=unit)
    if period is not None:
        reports = reports.filter(period_id=period)
    if status is not None:
        reports = reports.filter(status=status)
    if org_type:
        reports = reports.filter(org_type__code=org_type)
    return reports.order_by("-period__start", "unit__path", "org_type__order", "pk")


@router.get("/reports/{report_id}", response=ReportOut, tags=[TAG_REPORTS], summary="Một báo cáo")
def get_report(request: HttpRequest, report_id: int) -> Report:
    return access.report_for(request.user, report_id)


@router.put("/reports/", response=ReportOut, tags=[TAG_REPORTS], summary="Lưu báo cáo nháp")
@router.put("/reports", response=ReportOut, include_in_schema=False)
def put_report(request: HttpRequest, payload: Annotated[ReportIn, JsonBody(...)]) -> Report:
    """Tạo mới hoặc cập nhật bản nháp báo cáo của một tổ chức tại một đơn vị trong một kỳ (đơn vị, tổ
    chức và kỳ xác định báo cáo). Chỉ sửa được bản nháp; báo cáo đã nộp phải được cấp trên mở lại."""
    unit = access.unit_for(request.user, payload.unit_id)
    org = OrganisationType.objects.filter(code=payload.org_type).first()
    if org is None:
        raise ValidationFailed(f"Không có tổ chức mã “{payload.org_type}”.", field="org_type")
    period = access.period_by_id(payload.period_id)
    data = payload.model_dump(exclude={"unit_id", "org_type", "period_id"})
    return report_services.save_report(actor=request.user, unit=unit, org_type=org, period=period, data=data)


@router.post("/reports/{report_id}/submit", response=ReportOut, tags=[TAG_REPORTS], summary="Nộp báo cáo")
def submit_report(request: HttpRequest, report_id: int) -> Report:
    """Nháp → đã nộp: số liệu được cộng vào số liệu tổng hợp của các cấp trên."""
    report = access.report_for(request.user, report_id)
    return report_services.submit_report(actor=request.user, report=report)


@router.post("/reports/{report_id}/approve", response=ReportOut, tags=[TAG_REPORTS], summary="Duyệt báo cáo")
def approve_report(request: HttpRequest, report_id: int) -> Report:
    """Đã nộp → đã duyệt, do người phê duyệt ở cấp trên."""
    report = access.report_for(request.user, report_id)
    return report_services.approve_report(actor=request.user, report=report)


@router.post("/reports/{report_id}/lock", response=ReportOut, tags=[TAG_REPORTS], summary="Khóa báo cáo")
def lock_report(request: HttpRequest, report_id: int) -> Report:
    """Đã duyệt → đã khóa: số liệu của kỳ là chính thức."""
    report = access.report_for(request.user, report_id)
    return report_services.lock_report(actor=request.user, report=report)


@router.post("/reports/{report_id}/reopen", response=ReportOut, tags=[TAG_REPORTS], summary="Mở lại báo cáo")
def reopen_report(request: HttpRequest, report_id: int, payload: Annotated[ReopenIn, JsonBody(...)]) -> Report:
    """Đã nộp, đã duyệt hoặc đã khóa → nháp, do cấp trên, kèm lý do; số liệu rời khỏi số liệu tổng hợp.
    Báo cáo đã khóa chỉ quản trị đơn vị cấp trên mới mở lại được."""
    report = access.report_for(request.user, report_id)
    if not payload.reason.strip():
        raise ValidationFailed("Vui lòng nêu lý do mở lại báo cáo.", field="reason")
    return report_services.reopen_report(actor=request.user, report=report, reason=payload.reason)

