"""What the staff pages share: the login-and-errors wrapper, the period picker, breadcrumbs, ancestor
names for lists, pagination, and completeness for a page of child units in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from digitalfront.core.errors import DomainError, NotFound, PermissionDenied
from digitalfront.core.scoping import scope_for
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.access import period_by_id
from digitalfront.orgs.models import (
    Indicator,
    Level,
    OrganisationType,
    Period,
    Unit,
    path_ids,
)

PAGE_SIZE = 25
PERIOD_CHOICES = 16  # how many recent periods the pickers offer


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; :class:`NotFound` (missing or outside the user's scope) answers 404 and
    :class:`PermissionDenied` 403, both as a Vietnamese page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied) as exc:
            return error_page(request, exc)

    return login_required(wrapper)


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return domain_error_page(request, exc)


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    """A page of ``items`` (``?trang=``); an invalid or too large page number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("trang"))


def page_query(request: HttpRequest) -> str:
    """The query string without the page number, to build the pagination links on."""
    params = request.GET.copy()
    params.pop("trang", None)
    return params.urlencode()


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# Periods -------------------------------------------------------------------------------------------


def recent_periods() -> list[Period]:
    """The latest periods of the active data sets, newest first, each with a ``label`` for pickers
    (the data set is named only when there are several)."""
    periods = list(
        Period.objects.filter(dataset__active=True).select_related("dataset").order_by("-start", "dataset__code")[
            :PERIOD_CHOICES
        ]
    )
    several = len({p.dataset_id for p in periods}) > 1
    for period in periods:
        label_period(period, several)
    return periods


def label_period(period: Period, with_dataset: bool = False) -> Period:
    period.label = f"{period.name} – {period.dataset.name}" if with_dataset else period.name
    return period


def offer_period(periods: list[Period], period: Period) -> None:
    """Add ``period`` (chosen by id, maybe older than the recent ones) to the picker's choices."""
    if period.pk not in {p.pk for p in periods}:
        several = any(p.dataset_id != period.dataset_id for p in periods)
        periods.append(label_period(period, several))


def default_period(periods: Sequence[Period], today: datetime.date | None = None) -> Period | None:
    """The most recent period that has ended (the one being reported now), else the newest."""
    today = today or timezone.localdate()
    for period in periods:
        if period.end < today:
            return period
    return periods[0] if periods else None


def chosen_period(request: HttpRequest, periods: list[Period]) -> Period | None:
    """The period of ``?ky=`` (404 if it does not exist), else the default one."""
    raw = request.GET.get("ky")
    if not raw:
        return default_period(periods)
    for period in periods:
        if str(period.pk) == raw:
            return period
    period = period_by_id(raw)
    offer_period(periods, period)
    return period


# Units ---------------------------------------------------------------------------------------------


@dataclass
class Crumb:
    unit: Unit
    visible: bool  # inside the user's view scope: shown as a link


def breadcrumb(user: Any, unit: Unit) -> list[Crumb]:
    """The ancestors of ``unit`` from the root, read from its path in one query."""
    ids = unit.ancestor_ids()
    if not ids:
        return []
    found = Unit.objects.only("id", "name", "path", "level").in_bulk(ids)
    scope = scope_for(user, "view")
    return [Crumb(found[i], scope.covers(found[i].path)) for i in ids if i in found]


def attach_places(units: Iterable[Unit], *, skip_depth: int = 1) -> None:
    """Set ``unit.place``: the names of its ancestors below the root (``"Thành phố Hà Nội"`` for a
    commune), nearest first, for every unit of a list in one query."""
    units = list(units)
    wanted: set[int] = set()
    for unit in units:
        wanted.update(path_ids(unit.path)[skip_depth:-1])
    names = dict(Unit.objects.filter(pk__in=wanted).values_list("id", "name")) if wanted else {}
    for unit in units:
        ids = path_ids(unit.path)[skip_depth:-1]
        unit.place = " · ".join(names[i] for i in reversed(ids) if i in names)


def reporting_orgs(unit: Unit, period: Period) -> list[OrganisationType]:
    """The organisations of the period's data set that exist at ``unit``'s level or below (the columns
    of its figures), in display order."""
    levels = list(Level.values)
    below = levels[levels.index(unit.level):] if unit.level in levels else levels
    if period.dataset.levels:
        below = [lv for lv in below if lv in period.dataset.levels]
    orgs = OrganisationType.objects.filter(active=True, datasets=period.dataset).order_by("order", "code")
    return [o for o in orgs if any(o.exists_at(lv) for lv in below)]


def indicator_orgs(period: Period) -> dict[str, set[int] | None]:
    """``{measure: org type ids it applies to}`` for the data set's indicators (``None``: all)."""
    out: dict[str, set[int] | None] = {}
    for ind in Indicator.objects.filter(dataset_id=period.dataset_id).prefetch_related("org_types"):
        ids = {o.pk for o in ind.org_types.all()}
        out[ind.measure] = ids or None
    return out


# Completeness --------------------------------------------------------------------------------------


def percent(value: float) -> str:
    """``0.853`` -> ``"85,3%"`` (Vietnamese decimal comma)."""
    return f"{value * 100:.1f}".replace(".", ",") + "%"
