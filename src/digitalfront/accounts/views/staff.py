"""Staff account management by unit administrators (``/tai-khoan/can-bo/``).

Only unit administrators (in their subtree) and superusers may open these pages: everybody else gets
403, anonymous users the login page. Accounts outside the administrator's scope answer 404, exactly
like missing ones. Temporary passwords are shown once: in the answer to the POST that made them (never
cached), and for an import in a workbook kept in the session until it is downloaded once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfront.accounts import staff, staff_excel
from digitalfront.accounts.models import Role
from digitalfront.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.views import domain_error_page
from digitalfront.orgs.models import Unit

PAGE_SIZE = 25
UNIT_SUGGESTIONS = 200
ERRORS_KEPT = 5000  # errors kept in the session for the report download
ERRORS_SHOWN = 300  # errors listed on the page
SESSION_ERRORS = "staff_import_errors"
SESSION_RESULT = "staff_import_result"
NOT_MANAGER = "Chỉ quản trị đơn vị hoặc quản trị hệ thống mới được quản lý tài khoản cán bộ."


def manager_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; 403 for anybody who administers no unit; :class:`NotFound` 404 and
    :class:`PermissionDenied` 403 as a Vietnamese page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not staff.can_manage_staff(request.user):
            return error_page(request, PermissionDenied(NOT_MANAGER))
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied) as exc:
            return error_page(request, exc)

    return login_required(wrapper)


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if exc.status == 404:
        return domain_error_page(request, exc, back_url=reverse("accounts:staff_list"), back_label="Danh sách cán bộ")
    return domain_error_page(request, exc)


def _secret(response: HttpResponse) -> HttpResponse:
    """A page or file with a temporary password: never cached, never kept in history by proxies."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
    return response


def _unit_suggestions(user: Any) -> list[Unit]:
    return list(
        Unit.objects.for_user(user, "admin").filter(valid_to__isnull=True).only("code", "name", "path")
        .order_by("path")[:UNIT_SUGGESTIONS]
    )


def _base(request: HttpRequest, **context: Any) -> dict[str, Any]:
    return {"nav": "staff", "roles": Role.choices, **context}


# --- list -------------------------------------------------------------------------------------------


@require_GET
@manager_page
def staff_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    query = (request.GET.get("q") or "").strip()[:100]
    users = staff.search_staff(user, query)
    scope = staff.admin_scope(user)
    if not scope.everything:
        users = users.annotate(n_other=Count("unit_roles", filter=~scope.q("unit_roles__unit__path"), distinct=True))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return render(request, "accounts/staff_list.html", _base(
        request, page=page, query=query, page_query=params.urlencode(), everything=scope.everything,
    ))


# --- one account ------------------------------------------------------------------------------------


def _form_values(request: HttpRequest) -> dict[str, str]:
    return {name: (request.POST.get(name) or "").strip()[:300] for name, _ in staff.COLUMNS}


@require_http_methods(["GET", "POST"])
@manager_page
def staff_create(request: HttpRequest) -> HttpResponse:
    values = {name: "" for name, _ in staff.COLUMNS}
    errors: dict[str, str] = {}
    general = ""
    if request.method == "POST":
        values = _form_values(request)
        try:
            created = staff.create_staff(actor=request.user, request=request, **values)
        except staff.RowsInvalid as exc:
            for error in exc.errors:
                errors.setdefault(error.column, error.message)
        except ValidationFailed as exc:
            general = exc.message
        else:
            return _secret(render(request, "accounts/staff_created.html", _base(
                request, person=created.user, password=created.password,
                unit_roles=list(created.user.unit_roles.select_related("unit")),
            )))
    return render(request, "accounts/staff_create.html", _base(
        request, values=values, errors=errors, general=general, units=_unit_suggestions(request.user),
        fields=[(name, label, errors.get(name, ""), values.get(name, "")) for name, label in staff.COLUMNS],
    ))


def _detail_context(request: HttpRequest, person: Any, **extra: Any) -> dict[str, Any]:
    return _base(
        request, person=person, scoped_roles=person.scoped_roles,
        other_roles=staff.other_roles_count(request.user, person),
        may_reset=staff.may_reset_password(request.user, person), units=_unit_suggestions(request.user),
        **extra,
    )


@require_GET
@manager_page
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = staff.staff_for(request.user, pk)
    return render(request, "accounts/staff_detail.html", _detail_context(request, person))


@require_POST
@manager_page
def staff_role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = staff.staff_for(request.user, pk)
    unit_code = (request.POST.get("unit_code") or "").strip()[:64]
    role = (request.POST.get("role") or "").strip()[:40]
    try:
        unit_role = staff.add_role(actor=request.user, user=person, unit_code=unit_code, role=role, request=request)
    except ValidationFailed as exc:
        person = staff.staff_for(request.user, pk)
        return render(request, "accounts/staff_detail.html", _detail_context(
            request, person, role_error=exc.message, role_values={"unit_code": unit_code, "role": role},
        ), status=exc.status)
    messages.success(request, f"Đã thêm vai trò {unit_role.get_role_display()} tại {unit_role.unit.name}.")
    return redirect("accounts:staff_detail", pk=person.pk)


@require_POST
@manager_page
def staff_role_remove(request: HttpRequest, pk: int, role_id: int) -> HttpResponse:
    person = staff.staff_for(request.user, pk)
    staff.remove_role(actor=request.user, user=person, role_id=role_id, request=request)
    messages.success(request, "Đã bỏ vai trò.")
    if staff.manageable_users(request.user).filter(pk=person.pk).exists():
        return redirect("accounts:staff_detail", pk=person.pk)
    messages.info(request, f"{person} không còn vai trò nào trong phạm vi bạn quản trị.")
    return redirect("accounts:staff_list")


@require_POST
@manager_page
def staff_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = staff.staff_for(request.user, pk)
    password = staff.reset_password(actor=request.user, user=person, request=request)
    return _secret(render(request, "accounts/staff_password.html", _base(request, person=person, password=password)))


# --- Excel import -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manager_page
def staff_import(request: HttpRequest) -> HttpResponse:
    context = _base(request, max_rows=staff_excel.MAX_ROWS, errors=[], done=None)
    if request.method == "POST":
        request.session.pop(SESSION_ERRORS, None)
        upload = request.FILES.get("tep")
        try:
            if upload is None:
                raise staff_excel.file_error("Chưa chọn tệp Excel để tải lên.")
            rows = staff_excel.read_rows(upload)
            accounts = staff.import_staff(actor=request.user, rows=rows, request=request)
        except staff.RowsInvalid as exc:
            kept = [e.as_dict() for e in exc.errors[:ERRORS_KEPT]]
            request.session[SESSION_ERRORS] = kept
            context.update(
                errors=exc.errors[:ERRORS_SHOWN], n_errors=len(exc.errors), file_error=exc.errors[0].row == 0,
                error_rows=len({e.row for e in exc.errors if e.row}), more=max(0, len(exc.errors) - ERRORS_SHOWN),
                truncated=len(exc.errors) > ERRORS_KEPT,
            )
        else:
            request.session[SESSION_RESULT] = staff_excel.result_rows(accounts)
            context["done"] = {"count": len(accounts), "sample": accounts[:20]}
            return _secret(render(request, "accounts/staff_import.html", context))
    return render(request, "accounts/staff_import.html", context)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=staff_excel.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@manager_page
def staff_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(staff_excel.template_workbook(), "mau-nhap-can-bo.xlsx")


@require_GET
@manager_page
def staff_import_errors(request: HttpRequest) -> HttpResponse:
    errors = request.session.get(SESSION_ERRORS)
    if not errors:
        raise NotFound("Không có báo cáo lỗi: hãy tải tệp lên lại.")
    return _xlsx(staff_excel.errors_workbook(errors), "bao-cao-loi-nhap-can-bo.xlsx")


@require_GET
@manager_page
def staff_import_result(request: HttpRequest) -> HttpResponse:
    """The usernames and temporary passwords of the last import: once, then gone from the session."""
    rows = request.session.pop(SESSION_RESULT, None)
    if not rows:
        raise NotFound("Tệp mật khẩu tạm thời đã được tải về (chỉ tải được một lần) hoặc đã hết hạn.")
    return _secret(_xlsx(staff_excel.result_workbook(rows), "tai-khoan-can-bo-moi.xlsx"))
