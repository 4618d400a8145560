"""A lean WSGI path for the citizens' submission endpoint, the one request that arrives in bursts.

``POST /api/v1/feedback/`` (JSON, no cookies: the API identifies a citizen by a bearer token, never by a
session) does not need the page middleware: sessions, authentication from the session, messages, the
session timeout and account requirements, htmx, static files. :func:`dispatch` sends that one request
to a Django handler of its own, with the response-header middleware only (security headers, common,
frame options, content security policy) and a URL configuration that finds the endpoint first; the view,
its validation, errors and response are exactly those of the API (django-ninja). Every other request
goes to the normal handler.

``DIGITALFRONT_LEAN_INTAKE=0`` turns it off (every request through the full stack).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest
from django.utils.module_loading import import_string

LEAN_PATHS = frozenset({"/api/v1/feedback/"})
LEAN_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
LEAN_URLCONF = "digitalfront.core.lean_urls"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LeanHandler(WSGIHandler):
    """A WSGI handler with :data:`LEAN_MIDDLEWARE` only (all of them synchronous, response headers)."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for path in reversed(LEAN_MIDDLEWARE):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def get_response(self, request: HttpRequest) -> Any:
        request.urlconf = LEAN_URLCONF  # the endpoint first, then every other route (for reverse())
        return super().get_response(request)


def dispatch(full: WSGIApp) -> WSGIApp:
    """The WSGI application: the lean handler for :data:`LEAN_PATHS` posted, ``full`` for the rest."""
    if os.environ.get("DIGITALFRONT_LEAN_INTAKE", "1") == "0":
        return full
    lean = LeanHandler()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") in LEAN_PATHS:
            return lean(environ, start_response)
        return full(environ, start_response)

    return application
