"""Staff pages about units: home, the unit tree with search, a unit's page, completeness, Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from digitalfront.accounts.models import Role, UnitRole
from digitalfront.core.errors import NotFound
from digitalfront.core.scoping import scope_for
from digitalfront.core.views import domain_error_page
from digitalfront.orgs import charts, exports
from digitalfront.orgs.access import period_by_id, unit_for
from digitalfront.orgs.models import COUNT_MEASURES, Report, ReportStatus, Unit, UnitChange
from digitalfront.orgs.selectors import (
    Completeness,
    children_of,
    completeness,
    expected_reports,
    measure_labels,
    org_types_at,
    search_units,
    subtree_totals,
    sum_orgs,
)
from digitalfront.orgs.views.common import (
    attach_places,
    breadcrumb,
    chosen_period,
    default_period,
    indicator_orgs,
    offer_period,
    page_query,
    paginate,
    percent,
    recent_periods,
    reporting_orgs,
    staff_page,
)

SEARCH_LIMIT = 200
COMPLETENESS_PAGE = 20


@dataclass
class HomeEntry:
    unit: Unit
    roles: list[str]
    can_edit: bool


@staff_page
def home(request: HttpRequest) -> HttpResponse:
    """The user's units (from their roles) as entry points; a superuser starts at the root."""
    user = request.user
    entries: dict[int, HomeEntry] = {}
    edit_scope = scope_for(user, "edit")
    if user.is_superuser:
        for unit in Unit.objects.filter(parent__isnull=True, valid_to__isnull=True):
            entries[unit.pk] = HomeEntry(unit, ["Quản trị hệ thống"], True)
    roles = UnitRole.objects.filter(user_id=user.pk, unit__valid_to__isnull=True).select_related("unit")
    labels = dict(Role.choices)
    for role in roles.order_by("unit__path", "role"):
        entry = entries.setdefault(role.unit_id, HomeEntry(role.unit, [], edit_scope.covers(role.unit.path)))
        entry.roles.append(labels.get(role.role, role.role))
    approve_scope = scope_for(user, "approve")
    pending = None
    if not approve_scope.nothing:
        pending = Report.objects.for_user(user, "approve").filter(status=ReportStatus.SUBMITTED).count()
    periods = recent_periods()
    return render(request, "orgs/home.html", {
        "entries": list(entries.values()), "pending": pending, "period": default_period(periods),
    })


@staff_page
def unit_tree(request: HttpRequest) -> HttpResponse:
    """Search (diacritic-insensitive, within the user's scope) and browsing the tree (``?cha=``)."""
    user = request.user
    query = (request.GET.get("q") or "").strip()[:100]
    node: Unit | None = None
    roots: list[Unit] = []
    if query:
        results = list(search_units(query, user=user, limit=SEARCH_LIMIT))
        page = paginate(request, results)
        attach_places(page.object_list)
    else:
        if request.GET.get("cha"):
            node = unit_for(user, request.GET["cha"])
        else:
            roots = _root_units(user)
            if len(roots) == 1:
                node = roots[0]
        if node is not None:
            children = children_of(node).select_related("successor").annotate(n_children=Count("children"))
            page = paginate(request, children)
        else:
            page = paginate(request, roots)
    context = {
        "query": query, "node": node, "page": page, "page_query": page_query(request),
        "crumbs": breadcrumb(user, node) if node is not None else [],
        "limited": bool(query) and page.paginator.count >= SEARCH_LIMIT, "nav": "units",
    }
    if request.htmx and request.htmx.target == "ket-qua":
        response = render(request, "orgs/_unit_results.html", context)
    else:
        response = render(request, "orgs/units.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _root_units(user: Any) -> list[Unit]:
    """The highest units the user may view (a superuser: the root)."""
    scope = scope_for(user, "view")
    if scope.everything:
        return list(Unit.objects.filter(parent__isnull=True, valid_to__isnull=True))
    if not scope.paths:
        return []
    return list(Unit.objects.filter(path__in=scope.paths).order_by("name"))


@dataclass
class FigureRow:
    label: str
    cells: list[int | None]  # per organisation column; None: does not apply
    total: int
    count: bool = False  # a count of reports, not a figure


@dataclass
class ChildRow:
    unit: Unit
    members: int
    reports: int


@dataclass
class OrgEntry:
    org: Any
    name: str
    report: Report | None
    can_report: bool


@staff_page
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = request.user
    unit = unit_for(user, unit_id)
    periods = recent_periods()
    period = chosen_period(request, periods)
    context: dict[str, Any] = {
        "unit": unit, "crumbs": breadcrumb(user, unit), "periods": periods, "period": period,
        "changes_out": list(UnitChange.objects.filter(sources=unit).prefetch_related("targets")),
        "changes_in": list(UnitChange.objects.filter(targets=unit).prefetch_related("sources")),
        "can_edit": scope_for(user, "edit").covers(unit.path), "nav": "units",
    }
    orgs_here = org_types_at(unit)
    if period is None:
        context["org_entries"] = [OrgEntry(o, o.name_at(unit.level), None, False) for o in orgs_here]
        return render(request, "orgs/unit.html", context)

    orgs = reporting_orgs(unit, period)
    totals = subtree_totals([unit.pk], period)[unit.pk]
    applies = indicator_orgs(period)
    rows = []
    for measure, label in [*measure_labels(period), *COUNT_MEASURES.items()]:
        allowed = applies.get(measure)
        cells = [
            None if allowed is not None and o.pk not in allowed else totals.get(o.pk, {}).get(measure, 0)
            for o in orgs
        ]
        rows.append(FigureRow(label, cells, sum(c or 0 for c in cells), count=measure in COUNT_MEASURES))

    reportable_here = not period.dataset.levels or unit.level in period.dataset.levels
    dataset_orgs = {o.pk for o in orgs}
    own = {r.org_type_id: r for r in Report.objects.filter(unit=unit, period=period).only(
        "id", "org_type_id", "status", "submitted_on_time", "unit_id", "period_id")}
    context["org_entries"] = [
        OrgEntry(o, o.name_at(unit.level), own.get(o.pk), reportable_here and o.pk in dataset_orgs)
        for o in orgs_here
    ]

    children = children_of(unit, period).select_related("successor")
    page = paginate(request, children)
    child_totals = subtree_totals([c.pk for c in page.object_list], period)
    child_rows = []
    for child in page.object_list:
        cell = sum_orgs(child_totals[child.pk])
        child_rows.append(ChildRow(child, cell.get("members", 0), cell.get("reports", 0)))
    own = sum_orgs(totals)
    own_completeness = Completeness(unit, expected_reports(unit, period), own.get("reports", 0),
                                    own.get("reports_on_time", 0))
    context.update({
        "orgs": orgs,
        "rows": rows, "page": page, "page_query": page_query(request), "child_rows": child_rows,
        "completeness": own_completeness,
        "completeness_pct": percent(own_completeness.completeness),
        "timeliness_pct": percent(own_completeness.timeliness),
    })
    return render(request, "orgs/unit.html", context)


@dataclass
class ProgressRow:
    unit: Unit
    expected: int
    submitted: int
    on_time: int
    completeness: str
    timeliness: str
    share: float


def _progress_row(c: Any) -> ProgressRow:
    return ProgressRow(c.unit, c.expected, c.submitted, c.on_time, percent(c.completeness), percent(c.timeliness),
                       c.completeness)


@staff_page
def completeness_pick(request: HttpRequest, unit_id: int) -> HttpResponse:
    """``/don-vi/<id>/tien-do/`` (``?ky=``): to the completeness of the chosen or default period."""
    unit = unit_for(request.user, unit_id)
    periods = recent_periods()
    period = chosen_period(request, periods)
    if period is None:
        return domain_error_page(request, NotFound("Chưa có kỳ báo cáo nào."), title="Chưa có kỳ báo cáo")
    return redirect("orgs:completeness", unit_id=unit.pk, period_id=period.pk)


@staff_page
def completeness_view(request: HttpRequest, unit_id: int, period_id: int) -> HttpResponse:
    """Completeness and timeliness of the unit and each child, worst first, as charts and a table."""
    user = request.user
    unit = unit_for(user, unit_id)
    period = period_by_id(period_id)
    periods = recent_periods()
    offer_period(periods, period)
    own = completeness([unit], period)[0]
    children = list(children_of(unit, period))
    rows = completeness(list(children), period)
    rows.sort(key=lambda c: (c.completeness, c.timeliness, c.unit.name))
    page = paginate(request, rows, COMPLETENESS_PAGE)
    shown = list(page.object_list)
    chart = None
    if shown:
        chart = charts.hbar_chart(
            [c.unit.name for c in shown], [c.completeness for c in shown], max_value=1,
            second=[c.timeliness for c in shown], title="Tỷ lệ đầy đủ và tỷ lệ đúng hạn",
        )
    context = {
        "unit": unit, "period": period, "periods": periods, "crumbs": breadcrumb(user, unit),
        "own": _progress_row(own), "rows": [_progress_row(c) for c in shown], "page": page,
        "page_query": page_query(request), "chart": chart, "n_children": len(children),
        "late": sum(1 for c in rows if c.completeness < 1), "nav": "units",
    }
    return render(request, "orgs/completeness.html", context)


@staff_page
def export_excel(request: HttpRequest, unit_id: int, period_id: int) -> HttpResponse:
    """The roll-up of the unit and every child (all of them, not a page) as an Excel workbook."""
    user = request.user
    unit = unit_for(user, unit_id)
    period = period_by_id(period_id)
    children = list(children_of(unit, period))
    units = [unit, *children]
    totals = subtree_totals([u.pk for u in units], period)
    progress = completeness([unit], period) + completeness(list(children), period)
    wb = exports.build_rollup_workbook(
        unit=unit, period=period, orgs=reporting_orgs(unit, period), measures=measure_labels(period),
        figures=[exports.UnitFigures(u, totals[u.pk]) for u in units], completeness=progress,
        generated_at=timezone.localtime(),
    )
    response = HttpResponse(
        exports.workbook_bytes(wb),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(unit, period)}"'
    return response

