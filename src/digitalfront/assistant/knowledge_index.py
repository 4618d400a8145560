"""Lexical search over the Front's own knowledge (guidance and curated questions and answers).

The knowledge base is small beside the library (hundreds to a few thousand entries), so each process
keeps every active entry split into chunks of folded syllables, and rebuilds that when an entry changes
anywhere (a generation number in the shared cache, bumped by the services). A query scores only the
chunks of the entries the user may read: their ids come from :func:`access.visible_knowledge`, the
scoped queryset, on every question.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from digitalfront.library.search.analysis import syllables

GENERATION_KEY = "assistant:knowledge:generation"
CHUNK_CHARS = 900
K1, B = 1.2, 0.75


@dataclass
class Chunk:
    knowledge_id: int
    kind: str
    title: str
    text: str
    terms: Counter[str]
    length: int
    question_terms: frozenset[str]  # a curated question's content words and pairs (empty for guidance)


def grams(words: list[str]) -> list[str]:
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def split_body(text: str) -> list[str]:
    """Paragraphs grouped into chunks of about ``CHUNK_CHARS`` characters."""
    chunks: list[str] = []
    current = ""
    for para in (p.strip() for p in text.replace("\r\n", "\n").split("\n")):
        if not para:
            continue
        if current and len(current) + len(para) > CHUNK_CHARS:
            chunks.append(current)
            current = para
        else:
            current = f"{current}\n{para}" if current else para
    if current:
        chunks.append(current)
    return chunks


class Index:
    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self.by_entry: dict[int, list[int]] = {}
        df: Counter[str] = Counter()
        for i, c in enumerate(chunks):
            self.by_entry.setdefault(c.knowledge_id, []).append(i)
            df.update(c.terms.keys())
        n = max(1, len(chunks))
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.avg = sum(c.length for c in chunks) / n if chunks else 1.0

    def score(self, query: list[str], allowed: set[int]) -> list[tuple[int, float]]:
        """(chunk index, BM25) of the chunks of ``allowed`` entries that share a term with ``query``."""
        out = []
        for kid in allowed:
            for i in self.by_entry.get(kid, ()):
                c = self.chunks[i]
                s = 0.0
                for t in query:
                    f = c.terms.get(t)
                    if f:
                        s += self.idf.get(t, 0.0) * f * (K1 + 1) / (f + K1 * (1 - B + B * c.length / self.avg))
                if s > 0:
                    out.append((i, s))
        out.sort(key=lambda x: -x[1])
        return out


_lock = threading.Lock()
_state: dict[str, object] = {}


def bump() -> None:
    """Tell every process that the knowledge changed (called by the services on commit)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def build() -> Index:
    from .models import Knowledge, KnowledgeKind

    chunks = []
    for kid, kind, title, question, body in Knowledge.objects.filter(active=True).values_list(
            "pk", "kind", "title", "question", "body"):
        if kind == KnowledgeKind.QA:
            from .retrieval import content_words

            q_words = content_words(question or title)
            parts = [f"{question or title}\n{body}"]
        else:
            q_words = []
            parts = split_body(body) or [title]
        for part in parts:
            words = syllables(f"{title}\n{part}") if kind != KnowledgeKind.QA else syllables(part)
            g = grams(words)
            chunks.append(Chunk(kid, kind, title, part, Counter(g), len(words) or 1, frozenset(grams(q_words))))
    return Index(chunks)


def index() -> Index:
    generation = cache.get(GENERATION_KEY, 0)
    with _lock:
        if _state.get("generation") != generation or "index" not in _state:
            _state["index"] = build()
            _state["generation"] = generation
        return _state["index"]  # type: ignore[return-value]


def reset() -> None:
    with _lock:
        _state.clear()
