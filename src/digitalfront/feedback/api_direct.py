"""``POST /api/v1/feedback/`` on the lean path (``core.lean``) without django-ninja's request machinery.

The submission endpoint is the one request that arrives in bursts; ninja's parameter resolution, view
wrapper and response handling cost about a sixth of its CPU. :func:`submit` stands in front of the
ninja view: it reads the JSON body and validates it with the same schema (:class:`SubmissionIn`), writes
it with the same function (:func:`feedback.api.accept`) and renders the receipt with the API's own
``create_response``. Whatever is not a plain valid submission (no body, not JSON, too large, not an
object, a field out of its bounds) is handed to the ninja view unchanged, which answers it exactly as
everywhere else in the API; an error raised while writing is rendered by the API's exception handlers.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .schemas import SubmissionIn


def direct(endpoint: Callable[..., HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """The view of the lean path: :func:`submit` for a valid submission, ``endpoint`` (ninja's view of the
    same URL) for everything else."""
    from digitalfront.core.api import api

    from .api import accept

    def submit(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return endpoint(request)
        try:
            data = json.loads(request.body)
            payload = SubmissionIn.model_validate(data) if isinstance(data, dict) else None
        except Exception:  # too large, not UTF-8, not JSON, invalid: ninja reads it again and answers it
            payload = None
        if payload is None:
            return endpoint(request)
        try:
            receipt = accept(request, payload)
        except Exception as error:  # as ninja's operation does: the API's handlers answer (429, 422, 500)
            return api.on_exception(request, error)
        return api.create_response(request, receipt, status=201)

    submit.csrf_exempt = True  # type: ignore[attr-defined]  # as the API's views (a token, never a session)
    return submit
