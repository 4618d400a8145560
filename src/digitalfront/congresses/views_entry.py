"""Entry pages of congresses (``/dai-hoi/nhap/``) for the unit's own staff, and confirmation
(``/dai-hoi/xac-nhan/``) for the level above.

Every congress is loaded through ``access.congress_for`` (scoped: "missing" and "not yours" are the same
404 page) and every write goes through the services; a refused input shows the page again with the form
as typed, the Vietnamese message on the field at fault and the error's status (422, 409, 403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfront.core.errors import DomainError, NotFound, PermissionDenied
from digitalfront.core.scoping import scope_for
from digitalfront.core.text import fold
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.models import Unit

from . import selectors
from .access import congress_for
from .forms import CongressForm, NewsForm, PlanForm, ReturnForm, StatusForm
from .models import STATUS_ORDER, Congress, Status, Term
from .services import congresses as service
from .services import news as news_service

NO_ENTRY = "Tài khoản của bạn không nhập thông tin đại hội (chỉ cán bộ nhập liệu của đơn vị)."
NO_CONFIRM = "Tài khoản của bạn không xác nhận kết quả đại hội (chỉ người duyệt của cấp trên)."
NO_TERM = "Chưa có nhiệm kỳ đại hội nào."
PLAN_UNITS_MAX = 200  # units offered in the plan form's list (a search narrows it)
ENTRY_PAGE = 50
QUERY_MAX = 100


def _page(action: str, refusal: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Sign-in required; a 403 page for accounts without ``action`` anywhere; a 404 page for congresses
    out of scope."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if scope_for(request.user, action).nothing:
                return domain_error_page(request, PermissionDenied(refusal))
            back = reverse("congresses:entry_list" if action == "edit" else "congresses:confirm_list")
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                return domain_error_page(request, exc, back_url=back, back_label="Về danh sách đại hội")

        return login_required(wrapper)

    return decorate


def refuse(form: forms.Form, exc: DomainError) -> int:
    """Show a service's refusal on the form (on its field when the form has it); the HTTP status."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc.status


def _base(request: HttpRequest, tab: str, **context: Any) -> dict[str, Any]:
    return {"nav": "congresses", "tab": tab, "may_enter": not scope_for(request.user, "edit").nothing,
            "may_confirm": not scope_for(request.user, "approve").nothing, **context}


def _unit_filter(query: str, prefix: str = "") -> Q:
    """Units whose name (accents and case ignored) or code contains ``query``."""
    return Q(**{f"{prefix}name_folded__contains": fold(query)}) | Q(**{f"{prefix}code": query.strip()})


def _plannable(user: Any, term: Term) -> QuerySet[Unit]:
    """The user's units (province or commune) without a congress in the term."""
    return (Unit.objects.filter(scope_for(user, "edit").q("path"), level__in=service.LEVELS, valid_to__isnull=True)
            .exclude(pk__in=Congress.objects.filter(term=term).values("unit_id")).order_by("path"))


def _plan_units(user: Any, term: Term, query: str = "") -> list[Unit]:
    units = _plannable(user, term)
    if query:
        units = units.filter(_unit_filter(query))
    return list(units[:PLAN_UNITS_MAX])


# --- entry --------------------------------------------------------------------------------------------


def _query(request: HttpRequest) -> str:
    return (request.GET.get("q") or "").strip()[:QUERY_MAX]


def _entry_list(request: HttpRequest, term: Term | None, *, plan_form: PlanForm | None = None,
                status: int = 200) -> HttpResponse:
    if term is None:
        return render(request, "congresses/entry_list.html", _base(request, "entry", term=None), status=status)
    query = _query(request)
    rows = (Congress.objects.for_user(request.user, "edit").filter(term=term)
            .select_related("unit").order_by("unit__path"))
    if query:
        rows = rows.filter(_unit_filter(query, "unit__"))
    page = Paginator(rows, ENTRY_PAGE).get_page(request.GET.get("trang"))
    units = _plan_units(request.user, term, query)
    plannable = _plannable(request.user, term).count() if len(units) >= PLAN_UNITS_MAX else len(units)
    return render(request, "congresses/entry_list.html", _base(
        request, "entry", term=term, congresses=page.object_list, page=page, query=query,
        page_query=urlencode({"q": query}) if query else "", plan_units=units, plannable=plannable,
        plan_units_max=PLAN_UNITS_MAX, plan_form=plan_form or PlanForm(units=units)), status=status)


@require_GET
@_page("edit", NO_ENTRY)
def entry_list(request: HttpRequest) -> HttpResponse:
    """The congresses the user may edit in the current term, and a form to plan one."""
    return _entry_list(request, selectors.current_term())


@require_POST
@_page("edit", NO_ENTRY)
def entry_plan(request: HttpRequest) -> HttpResponse:
    term = selectors.current_term()
    if term is None:
        return _entry_list(request, None, status=409)
    # the chosen unit is checked against all the user's units without a congress, not only those listed
    chosen = (request.POST.get("unit") or "").strip()[:32]
    form = PlanForm(request.POST, units=list(_plannable(request.user, term).filter(code=chosen)))
    status = 422
    if form.is_valid():
        unit = Unit.objects.get(code=form.cleaned_data["unit"], valid_to__isnull=True)
        try:
            congress = service.plan(actor=request.user, unit=unit, term=term, values=form.values())
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, f"Đã ghi đại hội của {unit.name}.")
            return redirect("congresses:entry_detail", pk=congress.pk)
    listed = _plan_units(request.user, term)
    form.offer([*(u for u in _plannable(request.user, term).filter(code=chosen) if u not in listed), *listed])
    return _entry_list(request, term, plan_form=form, status=status)


def _detail(request: HttpRequest, congress: Congress, *, form: CongressForm | None = None,
            status_form: StatusForm | None = None, news_form: NewsForm | None = None,
            status: int = 200) -> HttpResponse:
    locked = congress.status == Status.CONFIRMED
    moves = [(s.value, s.label) for s in STATUS_ORDER if s not in (Status.CONFIRMED, congress.status)]
    return render(request, "congresses/entry_detail.html", _base(
        request, "entry", congress=congress, locked=locked, moves=[] if locked else moves,
        form=form or CongressForm(initial=CongressForm.initial_for(congress)),
        status_form=status_form or StatusForm(), news_form=news_form or NewsForm(),
        news=congress.news.all()), status=status)


@require_http_methods(["GET", "POST"])
@_page("edit", NO_ENTRY)
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A congress's dates, venue, delegates and results; a POST saves them."""
    congress = congress_for(request.user, pk, "edit")
    if request.method != "POST":
        return _detail(request, congress)
    form = CongressForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            service.update(actor=request.user, congress_id=congress.pk, values=form.values())
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin đại hội.")
            return redirect("congresses:entry_detail", pk=congress.pk)
    return _detail(request, congress, form=form, status=status)


@require_POST
@_page("edit", NO_ENTRY)
def entry_status(request: HttpRequest, pk: int) -> HttpResponse:
    congress = congress_for(request.user, pk, "edit")
    form = StatusForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            congress = service.set_status(actor=request.user, congress_id=congress.pk,
                                          status=form.cleaned_data["status"])
        except DomainError as exc:
            status = exc.status
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Đại hội chuyển sang “{congress.get_status_display()}”.")
            return redirect("congresses:entry_detail", pk=congress.pk)
    else:
        form.add_error(None, "Tình trạng không hợp lệ.")
    return _detail(request, congress, status_form=form, status=status)


@require_POST
@_page("edit", NO_ENTRY)
def news_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A news item on the congress, with an optional photo (re-encoded without its metadata)."""
    congress = congress_for(request.user, pk, "edit")
    form = NewsForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            news_service.add(actor=request.user, congress_id=congress.pk, title=data["title"], body=data["body"],
                             published=data["published"], photo=data["photo"])
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, "Đã đăng tin.")
            return redirect("congresses:entry_detail", pk=congress.pk)
    return _detail(request, congress, news_form=form, status=status)


# --- confirmation by the level above ------------------------------------------------------------------


def _confirm_list(request: HttpRequest, *, failed: int | None = None, form: ReturnForm | None = None,
                  status: int = 200) -> HttpResponse:
    term = selectors.current_term()
    rows = Congress.objects.for_user(request.user, "approve").filter(status=Status.REPORTED)
    rows = (rows.filter(term=term) if term is not None else rows.none()).select_related("unit").order_by(
        "reported_at", "unit__path")
    page = Paginator(rows, ENTRY_PAGE).get_page(request.GET.get("trang"))
    return render(request, "congresses/entry_confirm.html", _base(
        request, "confirm", term=term, congresses=page.object_list, page=page, page_query="", failed=failed,
        failed_form=form), status=status)


@require_GET
@_page("approve", NO_CONFIRM)
def confirm_list(request: HttpRequest) -> HttpResponse:
    """The reported congresses of the user's subtree awaiting confirmation (their own unit's excluded)."""
    return _confirm_list(request)


@require_POST
@_page("approve", NO_CONFIRM)
def confirm_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    congress = congress_for(request.user, pk, "view")
    try:
        service.confirm(actor=request.user, congress_id=congress.pk)
    except PermissionDenied as exc:
        return domain_error_page(request, exc, back_url=reverse("congresses:confirm_list"),
                                 back_label="Về danh sách chờ xác nhận")
    except DomainError as exc:
        form = ReturnForm({"reason": ""})
        form.is_valid()
        form.add_error(None, exc.message)
        return _confirm_list(request, failed=congress.pk, form=form, status=exc.status)
    messages.success(request, f"Đã xác nhận kết quả đại hội {congress.unit.name}.")
    return redirect("congresses:confirm_list")


@require_POST
@_page("approve", NO_CONFIRM)
def confirm_return(request: HttpRequest, pk: int) -> HttpResponse:
    congress = congress_for(request.user, pk, "view")
    form = ReturnForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            service.return_for_correction(actor=request.user, congress_id=congress.pk,
                                          reason=form.cleaned_data["reason"])
        except PermissionDenied as exc:
            return domain_error_page(request, exc, back_url=reverse("congresses:confirm_list"),
                                     back_label="Về danh sách chờ xác nhận")
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, f"Đã trả lại kết quả đại hội {congress.unit.name} để sửa.")
            return redirect("congresses:confirm_list")
    return _confirm_list(request, failed=congress.pk, form=form, status=status)
