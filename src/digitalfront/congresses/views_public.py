"""The public page of the congresses (``/dai-hoi/cong-khai/``), no sign-in: national progress in numbers,
the provinces with their progress, congresses held recently with their results and the published news.

Only the non-sensitive subset is shown (the same as the public API, ``api.public_*``): no delegate counts,
nobody but the chair and vice-chairs, no reporter or confirmer, results only once reported.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .api import HELD, public_congresses, public_progress
from .models import COMPOSITION
from .schemas import public_results

RECENT = 12
NEWS = 10


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    term = selectors.current_term()
    if term is None:
        return render(request, "congresses/public.html", {"nav": "congresses", "term": None})
    recent = [{"congress": c, "results": public_results(c)}
              for c in public_congresses(term).filter(status__in=HELD)[:RECENT]]
    return render(request, "congresses/public.html", {
        "nav": "congresses", "term": term, "progress": public_progress(term), "recent": recent,
        "composition": COMPOSITION, "news": selectors.news_feed(term, limit=NEWS),
    })
