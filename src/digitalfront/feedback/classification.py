"""Suggesting a case's topic, urgency and sentiment, with a confidence, for staff to confirm or correct.

The models live behind ``digitalfront.ai`` (``ai.classifier.get_classifier``): ``feedback-topic``,
``feedback-urgency`` and ``feedback-sentiment``, trained by ``digitalfront feedback retrain`` from the
labels staff confirmed. Until a model exists (a fresh installation), a transparent fallback suggests
from the topics' keywords and small Vietnamese word lists, with a lower confidence: the product keeps
working, at a clearly lower quality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from digitalfront.core.text import fold

from .models import Sentiment, Topic, Urgency

MODEL_NAMES = {"topic": "feedback-topic", "urgency": "feedback-urgency", "sentiment": "feedback-sentiment"}

# Words that signal urgency or sentiment in citizens' messages (folded: no diacritics).
_URGENT = (
    "khan cap",
    "nguy hiem",
    "chay no",
    "dang chay",
    "sap do",
    "sat lo",
    "tinh mang",
    "cap cuu",
    "de doa",
    "ngap sau",
    "dien giat",
    "bao luc",
    "chet nguoi",
    "tai nan",
)
_HIGH = ("nghiem trong", "keo dai", "nhieu ho", "nhieu nguoi", "buc xuc", "lap tuc", "gap", "o nhiem nang")
_NEGATIVE = (
    "khong",
    "chua",
    "cham",
    "kem",
    "buc xuc",
    "o nhiem",
    "sai pham",
    "nhung nhieu",
    "hoi lo",
    "te",
    "xuong cap",
    "hu hong",
    "vi pham",
    "lan chiem",
    "that vong",
    "gay kho",
    "phien ha",
    "tham nhung",
)
_POSITIVE = (
    "cam on",
    "tot",
    "hai long",
    "nhiet tinh",
    "tuyet voi",
    "ghi nhan",
    "bieu duong",
    "kip thoi",
    "tan tinh",
    "chu dao",
)


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float
    source: str  # "model" or "rules"

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "confidence": round(self.confidence, 3), "source": self.source}


@lru_cache(maxsize=256)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation per word list (longest first, whole words)."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b") if ordered else re.compile(r"(?!)")


def _count(folded: str, phrases: tuple[str, ...] | list[str]) -> int:
    return len(_pattern(tuple(phrases)).findall(folded))


def _topic_rules(folded: str, topics: list[Topic]) -> Suggestion:
    scores = {}
    for topic in topics:
        phrases = tuple(fold(k) for k in topic.keywords.split(",") if k.strip())
        # longer phrases say more than single syllables
        scores[topic.code] = sum(len(match.split()) for match in _pattern(phrases).findall(folded))
    best = max(scores, key=lambda code: scores[code]) if scores else "khac"
    total = sum(scores.values())
    if not total or scores[best] == 0:
        return Suggestion("khac", 0.2, "rules")
    return Suggestion(best, min(0.85, 0.35 + 0.5 * scores[best] / total), "rules")


def _urgency_rules(folded: str) -> Suggestion:
    if _count(folded, _URGENT):
        return Suggestion(Urgency.URGENT.value, 0.6, "rules")
    if _count(folded, _HIGH):
        return Suggestion(Urgency.HIGH.value, 0.5, "rules")
    return Suggestion(Urgency.NORMAL.value, 0.4, "rules")


def _sentiment_rules(folded: str) -> Suggestion:
    negative, positive = _count(folded, _NEGATIVE), _count(folded, _POSITIVE)
    if negative > positive:
        return Suggestion(Sentiment.NEGATIVE.value, min(0.8, 0.4 + 0.1 * (negative - positive)), "rules")
    if positive > negative:
        return Suggestion(Sentiment.POSITIVE.value, min(0.8, 0.4 + 0.1 * (positive - negative)), "rules")
    return Suggestion(Sentiment.NEUTRAL.value, 0.34, "rules")


def _model(field: str) -> Any:
    try:
        from digitalfront.ai.classifier import get_classifier
    except ImportError:  # pragma: no cover - the ai app is part of the product
        return None
    return get_classifier(MODEL_NAMES[field])


def suggest(texts: list[str]) -> list[dict[str, dict[str, Any]]]:
    """Suggestions for each text: ``{"topic": {...}, "urgency": {...}, "sentiment": {...}}``, each with
    ``label``, ``confidence`` (0 to 1) and ``source``."""
    if not texts:
        return []
    topics = list(Topic.objects.filter(active=True))
    valid = {"topic": {t.code for t in topics}, "urgency": set(Urgency.values), "sentiment": set(Sentiment.values)}
    folded = [fold(text) for text in texts]
    results: list[dict[str, dict[str, Any]]] = [{} for _ in texts]
    for field in ("topic", "urgency", "sentiment"):
        model = _model(field)
        predictions = model.predict(texts) if model is not None else None
        for i, text_folded in enumerate(folded):
            suggestion = None
            if predictions is not None and predictions[i].label in valid[field]:
                suggestion = Suggestion(predictions[i].label, float(predictions[i].confidence), "model")
            if suggestion is None:
                if field == "topic":
                    suggestion = _topic_rules(text_folded, topics)
                elif field == "urgency":
                    suggestion = _urgency_rules(text_folded)
                else:
                    suggestion = _sentiment_rules(text_folded)
            results[i][field] = suggestion.as_dict()
    return results
