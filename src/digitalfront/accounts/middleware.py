"""Session timeouts: a session ends after ``DIGITALFRONT_SESSION_IDLE_SECONDS`` without a request and
``DIGITALFRONT_SESSION_MAX_SECONDS`` after sign-in, whatever the activity."""

import datetime
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.utils import timezone

LOGIN_AT = "digitalfront_login_at"
SEEN_AT = "digitalfront_seen_at"
# last activity is written back at most this often (every request would mean a write per request)
SEEN_RESOLUTION = 60
EXPIRED = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."


def mark_session_start(request: HttpRequest, now: datetime.datetime) -> None:
    request.session[LOGIN_AT] = int(now.timestamp())
    request.session[SEEN_AT] = int(now.timestamp())


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self.check(request, user)
            if expired:
                return expired
        return self.get_response(request)

    def check(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        from digitalfront.accounts import services

        now = int(timezone.now().timestamp())
        session = request.session
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if not isinstance(login_at, int) or not isinstance(seen_at, int):
            # a session made without the login page (admin tools, tests): it starts now
            mark_session_start(request, timezone.now())
            session.save()
            services.register_session(user=user, session_key=session.session_key)
            return None
        reason = ""
        if now - login_at >= settings.DIGITALFRONT_SESSION_MAX_SECONDS:
            reason = "absolute"
        elif now - seen_at >= settings.DIGITALFRONT_SESSION_IDLE_SECONDS:
            reason = "idle"
        if not reason:
            if now - seen_at >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
            return None
        services.record_session_expired(user=user, request=request, reason=reason)
        logout(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": EXPIRED, "field": None, "code": "session_expired"}, status=401)
        messages.warning(request, EXPIRED)
        return redirect_back_later(request, resolve_url(settings.LOGIN_URL))


def redirect_back_later(request: HttpRequest, target: str) -> HttpResponse:
    """Send the browser to ``target`` with ``?next=`` the page it asked for (an ``HX-Redirect`` for htmx,
    which would otherwise swap the target page into the current one)."""
    target = f"{target}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


# set in the session once the person has passed the second factor (or does not need one)
SECOND_FACTOR_DONE = "digitalfront_2fa"
ENROL_FIRST = "Tài khoản của bạn phải bật xác thực hai bước trước khi tiếp tục."
CHANGE_FIRST = "Bạn cần đổi mật khẩu tạm thời trước khi tiếp tục."


class AccountRequirementsMiddleware:
    """Until a signed-in person has done what their account requires, they can reach nothing else:

    - an approver, unit administrator or superuser without two-factor enrols an authenticator app;
    - an account with a temporary password (``must_change_password``) chooses a new one.

    Pages redirect to the page that fixes it; the API answers 403 with the reason.
    """

    # URL prefixes that stay reachable: the pages that fix it, signing out, static files
    always_open = ("/tai-khoan/bao-mat/", "/tai-khoan/doi-mat-khau/", "/dang-xuat/", "/admin/logout/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.always_open):
            blocked = self.check(request, user)
            if blocked is not None:
                return blocked
        return self.get_response(request)

    def check(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        from django.urls import reverse

        from digitalfront.accounts import twofactor

        if user.must_change_password:
            return self.refuse(request, CHANGE_FIRST, reverse("accounts:password_change"), "password_change_required")
        if request.session.get(SECOND_FACTOR_DONE):
            return None
        if twofactor.required(user) and not twofactor.enabled(user):
            return self.refuse(request, ENROL_FIRST, reverse("accounts:twofactor_setup"), "twofactor_required")
        return None

    def refuse(self, request: HttpRequest, message: str, target: str, code: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "field": None, "code": code}, status=403)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            messages.warning(request, message)
        return redirect_back_later(request, target)
