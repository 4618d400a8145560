"""Finding a case that says the same as a new one: an open case of the same commune (or, without a
commune, of the same handling unit) received within the window, whose text is similar.

Similarity is the Jaccard index of the two texts' word bigrams and trigrams on the folded text
(no diacritics, lower case): robust to typing with or without accents and to small rewordings, and
cheap enough to compare a new case with every open case of its commune.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from digitalfront.core.text import fold

from .models import OPEN_STATUSES, Case

THRESHOLD = 0.35
WINDOW_DAYS = 30
MAX_CANDIDATES = 2000


def shingles(text: str) -> frozenset[str]:
    words = [w for w in fold(text).split() if w.isalnum()]
    grams = {" ".join(words[i : i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
    return frozenset(grams or set(words))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def find_duplicate(case: Case) -> tuple[Case | None, float]:
    """The most similar earlier open case, if it passes the threshold."""
    window = dt.timedelta(days=int(getattr(settings, "DIGITALFRONT_FEEDBACK_DUPLICATE_DAYS", WINDOW_DAYS)))
    candidates = Case.objects.filter(
        status__in=OPEN_STATUSES,
        received_at__gte=timezone.now() - window,
        received_at__lte=case.received_at,
        hidden=False,
    ).exclude(pk=case.pk)
    candidates = candidates.filter(commune=case.commune) if case.commune_id else candidates.filter(unit=case.unit)
    mine = shingles(f"{case.title} {case.content}")
    best, best_score = None, 0.0
    for other in candidates.only("pk", "title", "content", "code").order_by("-received_at")[:MAX_CANDIDATES]:
        score = similarity(mine, shingles(f"{other.title} {other.content}"))
        if score > best_score:
            best, best_score = other, score
    if best is None or best_score < THRESHOLD:
        return None, best_score
    return best, best_score
