"""The reference pages of feedback staff (``/xu-ly/danh-ba/``): each unit's directory of competent
authorities, with the accounts that answer for them, and the answer templates.

Reading needs any role at the unit or above; changing needs ``edit`` (data entry, unit administrators),
creating an authority account ``admin``. The checks are in ``services.directory``; these views only
turn their refusals into pages: out of scope 404, visible but not allowed 403, bad input the form again
with the Vietnamese errors (status 422).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfront.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.scoping import scope_for
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.models import Unit

from .. import selectors_reports as reports
from ..models import AnswerTemplate, Authority, AuthorityKind
from ..services import directory as service

PAGE_SIZE = 50
NO_STAFF_ROLE = "Danh bạ và mẫu trả lời dành cho cán bộ Mặt trận được phân công xử lý phản ánh."
AUTHORITY_FIELDS = ("name", "kind", "email", "phone", "address")


def directory_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; 404 for accounts with no unit role; a refused action as its error page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reports.has_staff_scope(request.user):
            return domain_error_page(request, NotFound(NO_STAFF_ROLE))
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied) as exc:
            return domain_error_page(
                request, exc, back_url=reverse("feedback_reports:authorities"), back_label="Về danh bạ"
            )

    return login_required(wrapper)


def _authority(user: Any, pk: int) -> Authority:
    """An authority of a directory ``user`` sees; missing and out of scope give the same 404."""
    authority = Authority.objects.for_user(user, "view").select_related("unit").filter(pk=pk).first()
    if authority is None:
        raise NotFound("Không tìm thấy cơ quan trong danh bạ hoặc bạn không có quyền xem.")
    return authority


def _unit_from_post(value: Any) -> Unit:
    """The posted unit (the service then checks the right on it); junk gives 404 like a foreign unit."""
    text = str(value or "")
    unit = Unit.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền với đơn vị này.")
    return unit


def _base(**context: Any) -> dict[str, Any]:
    return {"nav": "feedback", "kinds": AuthorityKind.choices, **context}


# --- authorities --------------------------------------------------------------------------------------


@require_GET
@directory_page
def authority_list(request: HttpRequest) -> HttpResponse:
    """The directories the user sees, unit by unit, with each authority's accounts."""
    user = request.user
    units = reports.directory_units(user)
    selected = request.GET.get("don_vi", "")
    unit = next((u for u in units if str(u.pk) == selected), None)
    query = (request.GET.get("q") or "").strip()[:100]
    authorities = reports.authorities_for(user, unit=unit, query=query)
    page = Paginator(authorities, PAGE_SIZE).get_page(request.GET.get("trang"))
    edit_scope = scope_for(user, "edit")
    rows = [(a, edit_scope.covers(a.unit.path)) for a in page.object_list]
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "feedback/directory_list.html",
        _base(
            page=page,
            rows=rows,
            units=units,
            selected_unit=selected,
            query=query,
            page_query=params.urlencode(),
            may_create=not edit_scope.nothing,
        ),
    )


def _authority_values(request: HttpRequest) -> dict[str, Any]:
    values: dict[str, Any] = {name: (request.POST.get(name) or "")[:400] for name in AUTHORITY_FIELDS}
    values["active"] = request.POST.get("active") == "1"
    return values


@require_http_methods(["GET", "POST"])
@directory_page
def authority_create(request: HttpRequest) -> HttpResponse:
    """Add an authority to the directory of a unit the user may edit."""
    user = request.user
    units = reports.editable_units(user)
    if not units:
        raise PermissionDenied("Bạn chỉ được xem danh bạ, không được thêm cơ quan.")
    values: dict[str, Any] = {"unit": request.GET.get("don_vi", str(units[0].pk)), "kind": "", "active": True}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {**_authority_values(request), "unit": request.POST.get("unit", "")}
        unit = _unit_from_post(values["unit"])
        try:
            authority = service.create_authority(
                actor=user, unit=unit, **{k: values[k] for k in (*AUTHORITY_FIELDS, "active")}
            )
        except service.FormInvalid as exc:
            errors, status = exc.errors, exc.status
        except ValidationFailed as exc:
            errors, status = {exc.field or "name": exc.message}, exc.status
        else:
            messages.success(request, f"Đã thêm {authority.name} vào danh bạ của {unit.name}.")
            return redirect("feedback_reports:authority", pk=authority.pk)
    return render(
        request,
        "feedback/directory_form.html",
        _base(
            values=values,
            errors=errors,
            units=units,
            authority=None,
        ),
        status=status,
    )


def _detail_context(request: HttpRequest, authority: Authority, **extra: Any) -> dict[str, Any]:
    user = request.user
    editable = scope_for(user, "edit").covers(authority.unit.path)
    values = {name: getattr(authority, name) for name in (*AUTHORITY_FIELDS, "active")}
    context = _base(
        authority=authority,
        editable=editable,
        may_create_account=scope_for(user, "admin").covers(authority.unit.path),
        accounts=list(
            authority.accounts.only("id", "username", "full_name", "email", "is_active", "last_login").order_by(
                "username"
            )
        ),
        values=values,
        errors={},
        attach_value="",
        attach_error="",
    )
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
@directory_page
def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An authority: its details, accounts and, for those who may edit, the forms to change them."""
    authority = _authority(request.user, pk)
    if request.method == "POST":
        values = _authority_values(request)
        try:
            authority = service.update_authority(actor=request.user, authority=authority, **values)
        except service.FormInvalid as exc:
            context = _detail_context(request, authority)
            context.update(values=values, errors=exc.errors)
            return render(request, "feedback/directory_detail.html", context, status=exc.status)
        messages.success(request, f"Đã lưu thông tin {authority.name}.")
        return redirect("feedback_reports:authority", pk=authority.pk)
    return render(request, "feedback/directory_detail.html", _detail_context(request, authority))


@require_POST
@directory_page
def authority_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop offering an authority for forwarding (it can be used again from its edit form)."""
    authority = _authority(request.user, pk)
    try:
        service.deactivate_authority(actor=request.user, authority=authority)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Đã ngừng dùng {authority.name}: cơ quan không còn trong danh sách để chuyển phản ánh."
        )
    return redirect("feedback_reports:authority", pk=authority.pk)


@require_POST
@directory_page
def account_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach an existing authority account, picked by username."""
    authority = _authority(request.user, pk)
    username = (request.POST.get("username") or "")[:150]
    try:
        user = service.attach_account(actor=request.user, authority=authority, username=username)
    except service.FormInvalid as exc:
        context = _detail_context(request, authority, attach_value=username, attach_error=exc.message)
        return render(request, "feedback/directory_detail.html", context, status=exc.status)
    messages.success(request, f"Đã gắn tài khoản {user.username} với {authority.name}.")
    return redirect("feedback_reports:authority", pk=authority.pk)


@require_POST
@directory_page
def account_detach(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """Detach an account from the authority (the account itself stays)."""
    authority = _authority(request.user, pk)
    user = service.detach_account(actor=request.user, authority=authority, user_id=user_id)
    messages.success(request, f"Đã gỡ tài khoản {user.username} khỏi {authority.name}.")
    return redirect("feedback_reports:authority", pk=authority.pk)


@require_http_methods(["GET", "POST"])
@directory_page
def account_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit administrator creates an account for an authority; its temporary password is shown once."""
    authority = _authority(request.user, pk)
    service.check_unit_action(request.user, authority.unit, "admin")
    values = {"username": "", "full_name": "", "email": authority.email}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {name: (request.POST.get(name) or "")[:300] for name in values}
        try:
            created = service.create_authority_account(actor=request.user, authority=authority, **values)
        except service.FormInvalid as exc:
            errors, status = exc.errors, exc.status
        else:
            response = render(
                request,
                "feedback/directory_account_created.html",
                _base(authority=authority, person=created.user, password=created.password),
            )
            # the password is on this page only: never cached, never kept by a proxy
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
            return response
    return render(
        request,
        "feedback/directory_account_form.html",
        _base(authority=authority, values=values, errors=errors),
        status=status,
    )


# --- answer templates -----------------------------------------------------------------------------------


def _template(user: Any, pk: int) -> AnswerTemplate:
    template = reports.templates_for(user).filter(pk=pk).first()
    if template is None:
        raise NotFound("Không tìm thấy mẫu trả lời hoặc bạn không có quyền xem.")
    return template


def _may_edit_template(user: Any, template: AnswerTemplate) -> bool:
    if template.unit is None:
        return bool(user.is_superuser)
    return scope_for(user, "edit").covers(template.unit.path)


@require_GET
@directory_page
def template_list(request: HttpRequest) -> HttpResponse:
    """The answer templates the user may use: global ones first, then those of their units."""
    user = request.user
    page = Paginator(reports.templates_for(user), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [(t, _may_edit_template(user, t)) for t in page.object_list]
    return render(
        request,
        "feedback/directory_templates.html",
        _base(
            page=page,
            rows=rows,
            may_create=bool(reports.editable_units(user, limit=1)) or user.is_superuser,
            page_query="",
        ),
    )


def _template_unit(user: Any, value: str) -> Unit | None:
    if value == "chung":
        if not user.is_superuser:
            raise PermissionDenied("Chỉ quản trị hệ thống mới được tạo mẫu trả lời dùng chung.")
        return None
    return _unit_from_post(value)


@require_http_methods(["GET", "POST"])
@directory_page
def template_create(request: HttpRequest) -> HttpResponse:
    """Add a template for one of the user's units (or, for a superuser, a global one)."""
    user = request.user
    units = reports.editable_units(user)
    if not units and not user.is_superuser:
        raise PermissionDenied("Bạn chỉ được dùng mẫu trả lời, không được thêm mẫu.")
    values = {"unit": str(units[0].pk) if units and not user.is_superuser else "chung", "title": "", "body": ""}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {
            "unit": (request.POST.get("unit") or "")[:20],
            "title": (request.POST.get("title") or "")[:400],
            "body": (request.POST.get("body") or "")[:25_000],
        }
        unit = _template_unit(user, values["unit"])
        try:
            template = service.create_template(actor=user, unit=unit, title=values["title"], body=values["body"])
        except service.FormInvalid as exc:
            errors, status = exc.errors, exc.status
        except ValidationFailed as exc:
            errors, status = {exc.field or "title": exc.message}, exc.status
        else:
            messages.success(request, f"Đã thêm mẫu trả lời “{template.title}”.")
            return redirect("feedback_reports:templates")
    return render(
        request,
        "feedback/directory_template_form.html",
        _base(
            template=None,
            values=values,
            errors=errors,
            units=units,
            editable=True,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@directory_page
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A template: read-only for those who may only use it, a form for those who may change it."""
    user = request.user
    template = _template(user, pk)
    editable = _may_edit_template(user, template)
    values = {"title": template.title, "body": template.body}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {"title": (request.POST.get("title") or "")[:400], "body": (request.POST.get("body") or "")[:25_000]}
        try:
            template = service.update_template(actor=user, template=template, **values)
        except service.FormInvalid as exc:
            errors, status = exc.errors, exc.status
        else:
            messages.success(request, f"Đã lưu mẫu trả lời “{template.title}”.")
            return redirect("feedback_reports:templates")
    return render(
        request,
        "feedback/directory_template_form.html",
        _base(
            template=template,
            values=values,
            errors=errors,
            units=[],
            editable=editable,
        ),
        status=status,
    )


@require_POST
@directory_page
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a template the user may edit."""
    template = _template(request.user, pk)
    title = template.title
    try:
        service.delete_template(actor=request.user, template=template)
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect("feedback_reports:template", pk=pk)
    messages.success(request, f"Đã xoá mẫu trả lời “{title}”.")
    return redirect("feedback_reports:templates")
