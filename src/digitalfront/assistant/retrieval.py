"""Finding what answers a question, among what the user may read.

Two sources: the library (published laws and public-service guides, through
:func:`digitalfront.library.selectors.evidence`, the library search's ranking) and the Front's own
knowledge (:mod:`.knowledge_index`, restricted to :func:`.access.visible_knowledge`). Each source gets
a ``support``: how much of the question's content it covers (syllables and adjacent pairs, the words
that only make a sentence a question left out). The answer is built only when the best support reaches
``SUPPORT_MIN``; otherwise the assistant says it found nothing and shows the closest sources.

A curated question and answer whose question is close to the one asked (``CURATED_MATCH``, a Dice
coefficient over syllables and pairs) comes first: staff wrote it for exactly that question.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from digitalfront.library import selectors as library
from digitalfront.library.search import analysis

from . import access, knowledge_index
from .models import KnowledgeKind

LIBRARY_LIMIT = 5
KNOWLEDGE_LIMIT = 3
# Whether the sources support an answer (chosen on the 210 ALQAC development questions, all answerable,
# and 25 everyday questions outside the knowledge: docs/assistant.md). With the e5 signal (a question
# with diacritics, articles with vectors): relevance = support + COSINE_WEIGHT * (cosine - COSINE_CENTER)
# of the best articles, at least RELEVANCE_MIN; without it, or for the Front's own knowledge (no vectors):
# support at least SUPPORT_MIN.
SUPPORT_MIN = 0.42
COSINE_WEIGHT = 10.0
COSINE_CENTER = 0.85
RELEVANCE_MIN = 0.6
CLOSENESS_DEPTH = 3
CURATED_MATCH = 0.6
# a word the library never uses weighs at most this (a name or a typo must not outweigh the subject)
WEIGHT_CAP = 5.0

# Words that carry no subject (grammar words), recognised with their marks: folded, "đang" would take
# "đăng ký" and "bạn" the "Ban Công tác" with it. In text typed without marks only the words that fold to
# nothing else that matters are dropped.
STOPWORDS = frozenset([
    "và", "của", "là", "có", "được", "các", "những", "cho", "với", "trong", "thì", "khi", "này", "đó",
    "để", "tại", "theo", "về", "một", "như", "hoặc", "bị", "sẽ", "đã", "đang", "nếu", "mà", "nào", "gì",
    "không", "phải", "từ", "đến", "ra", "vào", "lên", "hay", "còn", "nữa", "cũng", "rất", "lại", "chỉ",
    "mới", "trên", "dưới", "sau", "trước", "bởi", "vì", "cả", "hơn", "ít", "nhiều", "ai", "đâu", "sao",
    "bao", "tôi", "bạn", "chúng", "ta", "mình", "họ", "nó", "đây", "kia", "thuộc",
])
FOLDED_STOPWORDS = frozenset([
    "va", "cua", "la", "duoc", "cac", "nhung", "voi", "nay", "theo", "mot", "hoac", "neu", "nao", "gi",
    "phai", "hay", "nhu",
])
_WORD = re.compile(r"\w+")


def content_words(text: str) -> list[str]:
    """The folded words of ``text`` without its grammar words (see ``STOPWORDS``)."""
    lowered = unicodedata.normalize("NFC", text).lower()
    marked = _WORD.findall(lowered)
    folded = _WORD.findall(analysis.fold_keep_length(lowered))
    if len(marked) != len(folded):  # a letter outside the Latin tables: fold word by word
        folded = ["".join(analysis.syllables(w)) or w for w in marked]
    if any(m != f for m, f in zip(marked, folded, strict=True)):
        return [f for m, f in zip(marked, folded, strict=True) if m not in STOPWORDS]
    return [f for f in folded if f not in FOLDED_STOPWORDS]


@dataclass
class Source:
    key: str  # "article:12", "passage:5", "knowledge:3"
    kind: str  # "law" (the library), "guidance", "qa"
    title: str  # the document's or the entry's title
    label: str  # "Điều 5. Thời hạn giải quyết", or the entry's kind
    text: str
    url: str
    score: float
    support: float = 0.0
    repealed: bool = False
    status_label: str = ""
    match: float = 0.0  # a curated question's closeness to the question asked

    def public(self, n: int | None = None, *, excerpt: str | None = None) -> dict[str, Any]:
        """What an answer stores and shows of the source."""
        out: dict[str, Any] = {"key": self.key, "kind": self.kind, "title": self.title, "label": self.label,
                               "url": self.url, "repealed": self.repealed, "status": self.status_label,
                               "text": excerpt if excerpt is not None else _shorten(self.text, 400)}
        if n is not None:
            out["n"] = n
        return out

    @property
    def citation(self) -> str:
        return f"{self.label} – {self.title}" if self.label and self.label != self.title else self.title


@dataclass
class Retrieval:
    question: str
    terms: list[str]  # the question's content syllables
    sources: list[Source] = field(default_factory=list)
    curated: Source | None = None
    closeness: float | None = None  # the best cosine between the question and the first articles

    @property
    def support(self) -> float:
        return max((s.support for s in self.sources), default=0.0)

    @property
    def relevance(self) -> float | None:
        laws = [s.support for s in self.sources if s.kind == "law"]
        if self.closeness is None or not laws:
            return None
        return max(laws) + COSINE_WEIGHT * (self.closeness - COSINE_CENTER)

    @property
    def supported(self) -> bool:
        if self.curated is not None:
            return True
        if any(s.support >= SUPPORT_MIN for s in self.sources if s.kind != "law"):
            return True
        relevance = self.relevance
        if relevance is not None:
            return relevance >= RELEVANCE_MIN
        return any(s.support >= SUPPORT_MIN for s in self.sources if s.kind == "law")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def content_terms(question: str) -> list[str]:
    """The question's syllables that carry its subject (question frames and grammar words left out)."""
    parsed = analysis.parse(question)
    keep = set(content_words(question))
    # numbers, dates and one-letter names ("ông A", "ngày 03/10/2023") are the particulars of a case,
    # not its subject
    terms = [t for t in parsed.terms if t in keep and len(t) > 1 and not t.isdigit()]
    return terms or parsed.terms


def support(terms: list[str], weights: dict[str, float], text: str) -> float:
    """How much of the question ``terms`` covers ``text``: the mean of the share of its syllables found
    there, each weighted by its rarity in the library (``weights``), and the share of its adjacent pairs
    found there (pairs say that the words stand together)."""
    if not terms:
        return 0.0
    present = set(analysis.syllables(text))
    pairs = {f"{a} {b}" for a, b in itertools.pairwise(content_words(text))}
    weight = {t: min(weights.get(t, 1.0), WEIGHT_CAP) for t in terms}
    total = sum(weight.values()) or 1.0
    uni = sum(w for t, w in weight.items() if t in present) / total
    wanted = [f"{a} {b}" for a, b in itertools.pairwise(terms)]
    if not wanted:
        return uni
    bi = sum(1 for p in wanted if p in pairs) / len(wanted)
    return 0.5 * uni + 0.5 * bi


def dice(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _knowledge(user: Any, question: str, terms: list[str], weights: dict[str, float]) -> list[Source]:
    idx = knowledge_index.index()
    if not idx.chunks:
        return []
    allowed = set(access.visible_knowledge(user).filter(active=True).values_list("pk", flat=True))
    if not allowed:
        return []
    words = analysis.syllables(question)
    asked = frozenset(knowledge_index.grams(content_words(question)))
    scored = idx.score(knowledge_index.grams(words), allowed)
    out: list[Source] = []
    seen: set[int] = set()
    for i, score in scored:
        chunk = idx.chunks[i]
        if chunk.knowledge_id in seen:
            continue
        seen.add(chunk.knowledge_id)
        q_terms = chunk.question_terms
        kind = "qa" if chunk.kind == KnowledgeKind.QA else "guidance"
        out.append(Source(
            key=f"knowledge:{chunk.knowledge_id}", kind=kind, title=chunk.title,
            label=KnowledgeKind(chunk.kind).label, text=chunk.text,
            url=reverse("assistant:knowledge_detail", args=[chunk.knowledge_id]), score=score,
            support=support(terms, weights, f"{chunk.title}\n{chunk.text}"), match=dice(asked, q_terms)))
        if len(out) >= KNOWLEDGE_LIMIT * 3:
            break
    out.sort(key=lambda s: (-s.match, -s.support, -s.score))
    return out[:KNOWLEDGE_LIMIT]


def retrieve(user: Any, question: str, *, semantic: bool = True, library_limit: int = LIBRARY_LIMIT) -> Retrieval:
    """The sources for ``question`` that ``user`` may read, best first. Raises ``QueryError``."""
    terms = content_terms(question)
    result = Retrieval(question=question, terms=terms)
    weights = library.term_weights(terms)
    laws = []
    for ev in library.evidence(question, limit=library_limit, semantic=semantic):
        laws.append(Source(key=ev.key, kind="law", title=ev.document_title, label=ev.label, text=ev.text,
                           url=ev.url, score=ev.score, support=support(terms, weights, f"{ev.label}\n{ev.text}"),
                           repealed=ev.repealed, status_label=ev.status_label))
    if laws:
        close = library.closeness(question, [s.key for s in laws[:CLOSENESS_DEPTH]])
        result.closeness = max(close.values()) if close else None
    own = _knowledge(user, question, terms, weights)
    if own and own[0].kind == "qa" and own[0].match >= CURATED_MATCH:
        result.curated = own[0]
    # the library's order is kept (its ranking is measured); the Front's own knowledge goes before it
    # when it covers the question at least as well as the best article
    best_law = laws[0].support if laws else 0.0
    first = [s for s in own if s is result.curated or s.support >= max(SUPPORT_MIN, best_law)]
    rest = [s for s in own if s not in first and s.support >= SUPPORT_MIN]
    result.sources = first + laws + rest
    return result
