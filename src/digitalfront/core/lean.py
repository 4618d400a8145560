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

import functools
import logging
import os
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import caches
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, get_script_name
from django.core.signals import request_finished, request_started
from django.db import connections
from django.http import HttpRequest
from django.urls import set_script_prefix
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

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

    def __call__(  # type: ignore[override]  # a WSGI answer: the body in a list, or a streamed response
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """``WSGIHandler.__call__``, with the request's signals sent only when they have work to do.

        Django's receivers of ``request_started`` and ``request_finished`` act on this thread's database
        connections and caches (health check, closing obsolete ones, the query log) and reset its URL
        configuration (which :meth:`get_response` sets again for every request). A request thread of the
        submission endpoint holds neither most of the time (the batch writer writes), so the signals are
        sent when it holds one, or when anything else listens to them (then always), as Django would.
        A response that is not streamed (every answer of this endpoint) is answered as one body and closed
        before it is returned; a streamed one is left to the server to close, as Django does.
        """
        set_script_prefix(get_script_name(environ))
        signalled = _signals_needed()
        if signalled:
            request_started.send(sender=self.__class__, environ=environ)
        request = self.request_class(environ)
        response = self.get_response(request)
        response._handler_class = self.__class__
        if response.streaming:  # not an answer of this endpoint; closed by the server, as Django does
            start_response(f"{response.status_code} {response.reason_phrase}", _headers(response))
            return response  # type: ignore[no-any-return]
        content = response.content
        start_response(f"{response.status_code} {response.reason_phrase}", _headers(response))
        for closer in response._resource_closers:
            try:
                closer()
            except Exception:  # as HttpResponseBase.close: a closer's failure does not fail the answer
                logger.exception("closing a resource of the response failed")
        response._resource_closers.clear()
        response.closed = True
        if signalled or _signals_needed():
            request_finished.send(sender=self.__class__)
        return [content]


def _headers(response: Any) -> list[tuple[str, str]]:
    return [*response.items(), *(("Set-Cookie", c.OutputString()) for c in response.cookies.values())]


# Django's own receivers of the request signals (django.db, django.core.cache, django.core.handlers.base)
_DJANGO_RECEIVERS = frozenset({
    "django.db.reset_queries", "django.db.close_old_connections", "django.core.cache.close_caches",
    "django.core.handlers.base.reset_urlconf",
})


def _signals_needed() -> bool:
    """Whether ``request_started`` and ``request_finished`` would do anything for this thread: a receiver
    other than Django's own is connected, or the thread holds a database connection or a cache."""
    return _foreign_receivers(_receiver_keys()) or bool(
        connections.all(initialized_only=True) or caches.all(initialized_only=True)
    )


def _receiver_keys() -> tuple[Any, ...]:
    return tuple(entry[0] for signal in (request_started, request_finished) for entry in signal.receivers)


@functools.lru_cache(maxsize=16)
def _foreign_receivers(keys: tuple[Any, ...]) -> bool:
    """Whether the receivers connected now (``keys``, their lookup keys) include one of neither Django's."""
    for signal in (request_started, request_finished):
        for _key, receiver, _sender, _is_async in signal.receivers:
            function = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
            if function is not None and _name(function) not in _DJANGO_RECEIVERS:
                return True
    return False


def _name(function: Any) -> str:
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"


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
