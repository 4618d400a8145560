"""Staff pages about reports: data entry, the approval queue and the workflow buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from digitalfront.core.errors import DomainError, NotFound, PermissionDenied
from digitalfront.core.scoping import scope_for
from digitalfront.orgs.access import period_by_id, report_for, unit_for
from digitalfront.orgs.forms import ReportEntryForm
from digitalfront.orgs.models import COUNTED_STATUSES, OrganisationType, Report, ReportStatus
from digitalfront.orgs.services import reports as report_services
from digitalfront.orgs.views.common import (
    Crumb,
    attach_places,
    breadcrumb,
    offer_period,
    page_query,
    paginate,
    recent_periods,
    safe_next,
    staff_page,
)

QUEUE_STATUSES = {
    "submitted": ("Chờ duyệt", ReportStatus.SUBMITTED),
    "approved": ("Đã duyệt, chờ khóa", ReportStatus.APPROVED),
}


@staff_page
def report_entry(request: HttpRequest, unit_id: int, period_id: int, org_code: str) -> HttpResponse:
    """The report of one organisation at one unit for one period: a form while it is a draft and the
    user may edit, else read-only. Nothing is saved when the input is refused."""
    user = request.user
    unit = unit_for(user, unit_id)
    period = period_by_id(period_id)
    org = OrganisationType.objects.filter(code=org_code, active=True).first()
    if org is None or not org.exists_at(unit.level):
        raise NotFound()
    report = (
        Report.objects.filter(unit=unit, period=period, org_type=org)
        .select_related("updated_by", "approved_by")
        .first()
    )
    indicators = report_services.indicators_for(period, org)
    may_edit = scope_for(user, "edit").covers(unit.path)
    blocked = ""
    try:
        report_services.check_reportable(unit=unit, org_type=org, period=period)
    except DomainError as exc:
        blocked = exc.message

    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied()
        form = ReportEntryForm(indicators=indicators, data=request.POST)
        submit = request.POST.get("action") == "submit"
        try:
            with transaction.atomic():  # save and submit together, or neither
                saved = report_services.save_report(actor=user, unit=unit, org_type=org, period=period,
                                                    data=form.service_data())
                if submit:
                    report_services.submit_report(actor=user, report=saved)
        except (PermissionDenied, NotFound):
            raise
        except DomainError as exc:
            form.add_error(exc)
            status = exc.status
        else:
            messages.success(request, "Đã nộp báo cáo." if submit else "Đã lưu bản nháp.")
            return redirect(request.path)
    else:
        form = ReportEntryForm(indicators=indicators, report=report)

    editable = may_edit and not blocked and (report is None or report.status == ReportStatus.DRAFT)
    can_approve = report is not None and scope_for(user, "approve").covers(unit.path)
    context = {
        "unit": unit, "period": period, "org": org, "org_name": org.name_at(unit.level), "report": report,
        "form": form, "editable": editable, "may_edit": may_edit, "blocked": blocked,
        "crumbs": [*breadcrumb(user, unit), Crumb(unit, True)], "can_approve": can_approve, "nav": "units",
        "counted": report is not None and report.status in COUNTED_STATUSES,
    }
    return render(request, "orgs/report_form.html", context, status=status)


@staff_page
def approvals(request: HttpRequest) -> HttpResponse:
    """Reports waiting for the user's decision (approve scope: units strictly below their roles)."""
    user = request.user
    key = request.GET.get("trang-thai") or "submitted"
    if key not in QUEUE_STATUSES:
        key = "submitted"
    periods = recent_periods()
    period = None
    if request.GET.get("ky"):
        period = period_by_id(request.GET["ky"])
        offer_period(periods, period)
    scoped = Report.objects.for_user(user, "approve")
    if period is not None:
        scoped = scoped.filter(period=period)
    counts = dict(
        scoped.filter(status__in=[s for _, s in QUEUE_STATUSES.values()]).values_list("status")
        .annotate(n=Count("id")).order_by()
    )
    order = ("submitted_at", "id") if key == "submitted" else ("approved_at", "id")
    queue = (
        scoped.filter(status=QUEUE_STATUSES[key][1])
        .select_related("unit", "org_type", "period", "period__dataset")
        .order_by(*order)
    )
    page = paginate(request, queue)
    attach_places([r.unit for r in page.object_list])
    for report in page.object_list:
        report.org_name = report.org_type.name_at(report.unit.level)
    tabs = [(k, label, counts.get(s, 0)) for k, (label, s) in QUEUE_STATUSES.items()]
    return render(request, "orgs/approvals.html", {
        "page": page, "page_query": page_query(request), "key": key, "tabs": tabs, "periods": periods,
        "period": period, "has_scope": not scope_for(user, "approve").nothing, "nav": "approvals",
        "keep": [("trang-thai", key)],
    })


ACTIONS: dict[str, Any] = {
    "approve": (report_services.approve_report, "Đã duyệt báo cáo"),
    "reopen": (report_services.reopen_report, "Đã mở lại báo cáo để sửa"),
    "lock": (report_services.lock_report, "Đã khóa báo cáo"),
}


@require_POST
@staff_page
def report_action(request: HttpRequest, report_id: int, action: str) -> HttpResponse:
    """Approve, reopen or lock one report (POST), then back to where the button was."""
    if action not in ACTIONS:
        raise NotFound()
    report = report_for(request.user, report_id)
    service, done = ACTIONS[action]
    kwargs: dict[str, Any] = {"actor": request.user, "report": report}
    if action == "reopen":
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        service(**kwargs)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{done}: {report.org_type.name_at(report.unit.level)} – {report.unit.name}, "
                                  f"{report.period.name}.")
    return redirect(safe_next(request, reverse("orgs:approvals")))
