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
        login = resolve_url(settings.LOGIN_URL)
        target = f"{login}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
