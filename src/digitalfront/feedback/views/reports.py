"""Staff reports on feedback (``/xu-ly/bao-cao/``): the inbox exported to Excel, and charts.

Both read only what the user may see (``Case.objects.for_user``); anonymous users get the sign-in page,
accounts without any unit role (citizens, competent authorities) the "not found" page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from digitalfront.core.errors import NotFound
from digitalfront.core.scoping import scope_for
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.charts import hbar_chart

from .. import charts, exports, selectors
from .. import selectors_reports as reports
from .staff import unit_options

NO_STAFF_ROLE = "Trang này dành cho cán bộ Mặt trận được phân công xử lý phản ánh."


def staff_report(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; 404 (same page as "missing") for an account with no unit role."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reports.has_staff_scope(request.user):
            return domain_error_page(request, NotFound(NO_STAFF_ROLE))
        return view(request, *args, **kwargs)

    return login_required(wrapper)


@require_GET
@staff_report
def export(request: HttpRequest) -> HttpResponse:
    """The inbox with the same filters (same query string) as an .xlsx file, at most 50,000 rows.

    No sender identity and no denunciation content: see ``selectors_reports.export_rows``."""
    user = request.user
    units = unit_options(user)
    filters = selectors.InboxFilters.from_query(request.GET, unit_paths={k: u.path for k, u in units.items()})
    now = timezone.now()
    data = reports.export_rows(user, filters)
    workbook, written = exports.build_cases_workbook(data, generated_at=now)
    content = exports.workbook_bytes(workbook)
    scope = scope_for(user, "view")
    exports.record_export(
        actor=user,
        rows=written,
        total=data.total,
        query={k: str(v)[:100] for k, v in request.GET.items()},
        unit_path=filters.unit_path or (scope.paths[0] if len(scope.paths) == 1 else ""),
    )
    response = HttpResponse(content, content_type=exports.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(now)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _month_labels(months: list[Any]) -> list[tuple[str, str]]:
    return [(f"{m:%m}", f"{m:%Y}") for m in months]


def _percent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",") + "%"


@require_GET
@staff_report
def charts_page(request: HttpRequest) -> HttpResponse:
    """Volume per topic and month, on-time rate per child unit, received against answered: the last
    twelve months of the user's scope, each chart with its figures in a table under it."""
    data = reports.chart_data(request.user)
    labels = _month_labels(data.period.months())
    names = [s.name for s in data.volume.series]
    colours = charts.series_colours(names, greys=(reports.OTHER_TOPICS, reports.NO_TOPIC))
    volume_chart = None
    if data.volume.series:
        volume_chart = charts.stacked_column_chart(
            labels,
            [(s.name, s.counts) for s in data.volume.series],
            colours,
            title="Số phản ánh tiếp nhận theo lĩnh vực và tháng",
        )
    flow_chart = None
    if any(data.flow.received) or any(data.flow.answered):
        flow_chart = charts.line_chart(
            labels,
            [
                ("Tiếp nhận", data.flow.received, charts.RECEIVED_COLOUR),
                ("Đã trả lời", data.flow.answered, charts.ANSWERED_COLOUR),
            ],
            title="Số phản ánh tiếp nhận và đã trả lời theo tháng",
        )
    shown = data.on_time[: reports.ON_TIME_ROWS_MAX]
    on_time_chart = None
    if shown:
        on_time_chart = hbar_chart(
            [f"{r.label} · {r.on_time}/{r.answered}" for r in shown],
            [r.share for r in shown],
            max_value=1,
            title="Tỷ lệ trả lời đúng hạn theo đơn vị",
        )
    context = {
        "nav": "feedback",
        "period": data.period,
        "tops": data.tops,
        "volume_chart": volume_chart,
        "volume": data.volume,
        "legend": [(name, charts.swatch(colour)) for name, colour in zip(names, colours, strict=True)],
        "flow_chart": flow_chart,
        "flow": data.flow,
        "received_swatch": charts.swatch(charts.RECEIVED_COLOUR),
        "answered_swatch": charts.swatch(charts.ANSWERED_COLOUR),
        "on_time_chart": on_time_chart,
        "on_time_rows": [(r, _percent(r.share)) for r in data.on_time],
        "on_time_more": len(data.on_time) - len(shown),
        "on_time_shown": len(shown),
        "total_received": sum(data.flow.received),
        "total_answered": sum(data.flow.answered),
        "inbox_url": reverse("feedback_staff:inbox"),
    }
    return render(request, "feedback/reports_charts.html", context)
