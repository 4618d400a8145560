"""People's account pages: citizen registration, password reset by a code, password change.

Thin views: the forms validate, ``accounts.people`` writes. While the send or attempt limits hold, the
pages answer HTTP 429 with the reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from digitalfront.accounts import people, services, verification
from digitalfront.accounts.middleware import mark_session_start
from digitalfront.accounts.people_forms import (
    CodeForm,
    PasswordChangeForm,
    RegisterForm,
    ResetConfirmForm,
    ResetRequestForm,
)
from digitalfront.core.errors import DomainError

REGISTER_SESSION = "digitalfront_register"
RESET_SESSION = "digitalfront_reset"
BACKEND = "django.contrib.auth.backends.ModelBackend"
RESET_SENT = (
    "Nếu thông tin bạn nhập khớp với một tài khoản có e-mail hoặc số điện thoại đã xác minh, chúng tôi đã "
    "gửi mã xác minh tới đó. Mã có hiệu lực trong 10 phút."
)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return ""


def _status(error: DomainError) -> int:
    if isinstance(error, verification.Throttled) or error.code == "code_attempts":
        return 429
    return 200


def _render(request: HttpRequest, template: str, context: dict[str, Any], error: DomainError | None = None,
            status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=_status(error) if error is not None else status)
    if isinstance(error, verification.Throttled):
        response["Retry-After"] = str(error.retry_after)
    return response


def _show(form: Any, error: DomainError, field: str | None = None) -> None:
    form.add_error(field if field in form.fields else None, error.message)


# --- registration -----------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Step 1: phone or e-mail, name, password → an inactive account and a code sent."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = RegisterForm(request.POST or None)
    context = {"form": form, "next": next_url, "already": False}
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            user = people.start_registration(contact=contact, full_name=form.cleaned_data["full_name"],
                                             password=form.cleaned_data["password1"], request=request)
        except DomainError as error:
            _show(form, error, "contact")
            context["already"] = error.code == "already_registered"
            return _render(request, "accounts/register.html", context, error)
        request.session[REGISTER_SESSION] = {"user": user.pk, "channel": contact.channel,
                                             "destination": contact.destination, "next": next_url}
        return redirect("accounts:register_verify")
    return _render(request, "accounts/register.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def register_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code → the account is active, verified and signed in."""
    state = request.session.get(REGISTER_SESSION)
    if not isinstance(state, dict) or "user" not in state:
        return redirect("accounts:register")
    form = CodeForm(request.POST or None) if "resend" not in request.POST else CodeForm()
    context = {"form": form, "state": state}
    if request.method == "POST" and "resend" in request.POST:
        try:
            people.resend_registration_code(user_id=state["user"], request=request)
        except DomainError as error:
            context["resend_error"] = error.message
            return _render(request, "accounts/register_verify.html", context, error)
        messages.success(request, "Đã gửi mã xác minh mới.")
        return redirect("accounts:register_verify")
    if request.method == "POST" and form.is_valid():
        try:
            user = people.confirm_registration(user_id=state["user"], code=form.cleaned_data["code"],
                                               request=request)
        except DomainError as error:
            _show(form, error, "code")
            return _render(request, "accounts/register_verify.html", context, error)
        login(request, user, backend=BACKEND)
        mark_session_start(request, timezone.now())
        request.session.pop(REGISTER_SESSION, None)
        request.session.save()
        services.record_login_success(user=user, request=request)
        messages.success(request, "Đăng ký thành công. Chào mừng bạn đến với Mặt trận số!")
        return HttpResponseRedirect(state.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
    return _render(request, "accounts/register_verify.html", context)


# --- password reset ---------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Step 1: username, e-mail or phone → a code, if an account matches (the answer never says)."""
    form = ResetRequestForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        try:
            key = people.start_reset(identifier=identifier, request=request)
        except DomainError as error:
            _show(form, error)
            return _render(request, "accounts/reset.html", context, error)
        request.session[RESET_SESSION] = {"key": key, "identifier": identifier}
        return redirect("accounts:password_reset_verify")
    return _render(request, "accounts/reset.html", context)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code and a new password → the password is set, every session and token ended."""
    state = request.session.get(RESET_SESSION)
    if not isinstance(state, dict) or "key" not in state:
        return redirect("accounts:password_reset")
    form = ResetConfirmForm(request.POST or None) if "resend" not in request.POST else ResetConfirmForm()
    context = {"form": form, "sent": RESET_SENT}
    if request.method == "POST" and "resend" in request.POST:
        try:
            key = people.start_reset(identifier=state.get("identifier", ""), request=request)
        except DomainError as error:
            context["resend_error"] = error.message
            return _render(request, "accounts/reset_verify.html", context, error)
        request.session[RESET_SESSION] = {**state, "key": key}
        messages.success(request, "Nếu tài khoản tồn tại, một mã xác minh mới đã được gửi.")
        return redirect("accounts:password_reset_verify")
    if request.method == "POST" and form.is_valid():
        try:
            people.confirm_reset(destination=state["key"], code=form.cleaned_data["code"],
                                 new_password=form.cleaned_data["new_password1"], request=request)
        except people.PasswordRejected as error:
            for message in error.messages:
                form.add_error("new_password1", message)
            return _render(request, "accounts/reset_verify.html", context)
        except DomainError as error:
            _show(form, error, "code")
            return _render(request, "accounts/reset_verify.html", context, error)
        request.session.pop(RESET_SESSION, None)
        messages.success(request, "Mật khẩu đã được đặt lại. Vui lòng đăng nhập bằng mật khẩu mới.")
        return redirect(settings.LOGIN_URL)
    return _render(request, "accounts/reset_verify.html", context)


# --- password change --------------------------------------------------------------------------------


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Old password, new password twice; this session stays, the others end."""
    form = PasswordChangeForm(request.user, request.POST or None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        people.change_password(user=form.user, new_password=form.cleaned_data["new_password1"], request=request)
        messages.success(request, "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được kết thúc.")
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/password_change.html", {"form": form, "next": next_url})
