"""Two-factor pages: the second sign-in step, and the security page where people enrol an
authenticator app, see and renew backup codes, or turn two-factor off (when their roles allow)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from digitalfront.accounts import services, twofactor
from digitalfront.accounts.forms import lock_message
from digitalfront.accounts.middleware import SECOND_FACTOR_DONE
from digitalfront.accounts.models import TOTPDevice
from digitalfront.accounts.requests import client_ip
from digitalfront.accounts.views import PENDING, PENDING_SECONDS, complete_login, safe_next
from digitalfront.core.errors import DomainError

EXPIRED = "Phiên đăng nhập đã quá hạn. Vui lòng nhập lại mật khẩu."
CODE_MAX = 20


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if int(timezone.now().timestamp()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a backup code."""
    found = _pending_user(request)
    if found is None:
        messages.warning(request, EXPIRED)
        return HttpResponseRedirect(reverse("login"))
    user, pending = found
    error, status = "", 200
    if request.method == "POST":
        code = str(request.POST.get("code", ""))[:CODE_MAX]
        lock = services.current_lock(user.get_username(), client_ip(request))
        if lock is not None:
            error, status = lock_message(lock), 429
        else:
            try:
                method = twofactor.verify(user=user, code=code, request=request)
            except DomainError as exc:
                error, status = exc.message, 200
                lock = services.current_lock(user.get_username(), client_ip(request))
                if lock is not None:
                    request.session.pop(PENDING, None)
                    error, status = f"{exc.message} {lock_message(lock)}", 429
            else:
                request.session.pop(PENDING, None)
                complete_login(request, user, backend=pending["backend"], second_factor=method)
                if method == "backup":
                    left = twofactor.unused_backup_codes(user)
                    messages.warning(request, f"Bạn vừa dùng một mã dự phòng; còn {left} mã chưa dùng.")
                return HttpResponseRedirect(safe_next(request, pending.get("next"), reverse("orgs:home")))
    return render(request, "accounts/twofactor_verify.html", {"error": error, "person": user}, status=status)


@login_required
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "accounts/security.html", {
        "enabled": twofactor.enabled(user),
        "required": twofactor.required(user),
        "backup_left": twofactor.unused_backup_codes(user),
        "nav": "security",
    })


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm with a first code."""
    user: Any = request.user
    if twofactor.enabled(user):
        return HttpResponseRedirect(reverse("accounts:security"))
    device = TOTPDevice.objects.filter(user=user).first()
    error = ""
    if request.method == "POST" and device is not None:
        try:
            codes = twofactor.confirm_enrolment(user=user, code=str(request.POST.get("code", ""))[:CODE_MAX],
                                                request=request)
        except DomainError as exc:
            error = exc.message
        else:
            request.session[SECOND_FACTOR_DONE] = "totp"
            return _show_codes(request, codes, enrolled=True)
    else:
        device = twofactor.start_enrolment(user=user)
    return render(request, "accounts/twofactor_setup.html", {
        "qr": twofactor.qr_svg(device),
        "secret": " ".join(device.secret[i:i + 4] for i in range(0, len(device.secret), 4)),
        "error": error,
        "next": safe_next(request, request.GET.get("next") or request.POST.get("next"), ""),
        "nav": "security",
    }, status=422 if error else 200)


def _show_codes(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    response = render(request, "accounts/backup_codes.html", {
        "codes": codes, "enrolled": enrolled,
        "next": safe_next(request, request.POST.get("next"), reverse("accounts:security")),
        "nav": "security",
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["POST"])
def new_backup_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = twofactor.regenerate_backup_codes(user=request.user, request=request)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("accounts:security"))
    return _show_codes(request, codes, enrolled=False)


@login_required
@require_http_methods(["POST"])
def turn_off(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    try:
        twofactor.disable(actor=user, user=user, request=request, reason="Người dùng tự tắt")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session.pop(SECOND_FACTOR_DONE, None)
        messages.success(request, "Đã tắt xác thực hai bước.")
    return HttpResponseRedirect(reverse("accounts:security"))
