"""Ranking and presenting library search results, the same for every backend.

1. The query is parsed (:mod:`.analysis`), with the editable synonym list.
2. The backend returns the best passages with a lexical score.
3. Passages are grouped by article: an article scores as its best passage (normalised by the best
   passage of the query), plus ``ARTICLE_WEIGHT`` times the score of the whole article as one text
   (normalised likewise): a clause that answers, inside an article about the subject. A repealed text
   loses ``REPEALED_PENALTY``, so that the text in force comes first.
4. When the query carries diacritics and vectors exist, the cosine between the query's e5 vector and
   each candidate article's vector, standardised over the candidates, is added with weight
   ``SEMANTIC_WEIGHT``. Unaccented queries stay lexical: the bundled model fails on them.
5. The page of results is loaded from the database (unpublished documents are dropped), with a
   highlighted snippet of the best passage; facets are counted over every candidate article.
"""

from __future__ import annotations

import bisect
import functools
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import analysis
from .base import Candidate, Filters

CANDIDATES = 300
SEMANTIC_WEIGHT = 0.2
ARTICLE_WEIGHT = 0.4
# all else equal, the text in force comes first (a repealed one is still found, and marked)
REPEALED_PENALTY = 0.15
SNIPPET_CHARS = 260
# the model's time grows with the query's length; the first 24 syllables carry the subject of nearly every
# question (on the ALQAC questions: MRR@10 0.909 with a cap of 24 or 32, 0.912 without, the embedding's
# p95 about 40 % lower)
QUERY_EMBED_WORDS = 24
SYNONYMS_KEY = "library:synonyms:v1"


@dataclass
class Hit:
    document: Any
    article: Any
    passage: Any
    score: float
    snippet: SafeString
    repealed: bool

    @property
    def citation(self) -> str:
        label = self.article.label if self.article is not None else self.passage.heading
        return f"{label} – {self.document.title}" if label else self.document.title


@dataclass
class Page:
    query: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    took_ms: float = 0.0
    semantic: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


_memo: dict[str, tuple[float, Any]] = {}
MEMO_SECONDS = 5.0


def synonyms() -> dict[str, list[str]]:
    """The active synonym list, folded both ways (term -> expansions, each expansion -> term).

    Kept in the shared cache (a change made in one process reaches the others) and, for five seconds,
    in this process: a search then costs no round trip for it."""
    now = time.monotonic()
    memo = _memo.get(SYNONYMS_KEY)
    if memo is not None and now - memo[0] < MEMO_SECONDS:
        return memo[1]  # type: ignore[no-any-return]
    found = cache.get(SYNONYMS_KEY)
    if found is None:
        from ..models import Synonym

        found = {}
        for s in Synonym.objects.filter(active=True):
            term = " ".join(analysis.syllables(s.term))
            alts = [" ".join(analysis.syllables(e)) for e in s.expansion_list()]
            alts = [a for a in alts if a]
            if not term or not alts:
                continue
            found.setdefault(term, []).extend(alts)
            for alt in alts:
                found.setdefault(alt, []).append(term)
        cache.set(SYNONYMS_KEY, found, 300)
    _memo[SYNONYMS_KEY] = (now, found)
    return found


def forget_synonyms() -> None:
    cache.delete(SYNONYMS_KEY)
    _memo.pop(SYNONYMS_KEY, None)


def unit_key(c: Candidate) -> tuple[str, int]:
    return ("a", c.article_id) if c.article_id else ("p", c.passage_id)


@dataclass
class Ranked:
    key: tuple[str, int]
    best: Candidate
    lexical: float
    score: float


def rank(query: analysis.ParsedQuery, candidates: list[Candidate], *,
         semantic: bool = True) -> tuple[list[Ranked], bool]:
    """Articles (or passages without article) in order, and whether the semantic signal was used."""
    grouped: dict[tuple[str, int], list[Candidate]] = {}
    whole: dict[tuple[str, int], Candidate] = {}
    for c in candidates:
        if c.level == "article":
            whole[unit_key(c)] = c
        else:
            grouped.setdefault(unit_key(c), []).append(c)
    if not grouped and not whole:
        return [], False
    top = max((c.score for items in grouped.values() for c in items), default=0.0) or 1.0
    top_whole = max((c.score for c in whole.values()), default=0.0) or 1.0
    ranked = []
    for key in list(grouped) + [k for k in whole if k not in grouped]:
        items = sorted(grouped.get(key, []), key=lambda c: -c.score)
        lexical = items[0].score / top if items else 0.0
        if key in whole:
            lexical += ARTICLE_WEIGHT * whole[key].score / top_whole
        elif key[0] == "p" and items:
            # a passage outside any article (a guide's section) is its own whole: same bonus, fair ranking
            lexical += ARTICLE_WEIGHT * items[0].score / top
        best = items[0] if items else whole[key]
        if best.status == "repealed":
            lexical -= REPEALED_PENALTY
        ranked.append(Ranked(key=key, best=best, lexical=lexical, score=lexical))
    used = False
    if semantic and query.marked:
        used = _add_semantic(query, ranked)
    ranked.sort(key=lambda r: (-r.score, r.best.passage_id))
    return ranked, used


def _add_semantic(query: analysis.ParsedQuery, ranked: list[Ranked]) -> bool:
    from .. import indexing

    store = indexing.vector_store()
    rows = [store.index.get(r.key) for r in ranked]
    if not store.index or sum(r is not None for r in rows) < 2:
        return False
    # measured: embedding in a thread while the lexical candidates are fetched is slower on two cores
    # (the model's two threads and the interpreter compete), so it runs here, in order
    qv = query_vector(query.text)
    present = [i for i, r in enumerate(rows) if r is not None]
    sims = store.matrix[[int(rows[i] or 0) for i in present]] @ qv
    mean, std = float(sims.mean()), float(sims.std()) or 1.0
    for i, sim in zip(present, sims, strict=True):
        ranked[i].score += SEMANTIC_WEIGHT * (float(sim) - mean) / std
    return True


@functools.lru_cache(maxsize=256)
def query_vector(text: str) -> Any:
    """The e5 vector of a query's first ``QUERY_EMBED_WORDS`` words (kept for the questions asked again
    soon, as the assistant does right after its search)."""
    from digitalfront.ai import embeddings

    return embeddings.embed([" ".join(text.split()[:QUERY_EMBED_WORDS])], prefix="query")[0]


def _snippet(text: str, terms: list[str]) -> SafeString:
    spans = analysis.highlight_spans(text, terms)
    if len(text) <= SNIPPET_CHARS:
        start, end = 0, len(text)
    else:
        # the window with the most highlighted words
        best, start = -1, 0
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        for a in starts or [0]:
            lo = max(0, a - 60)
            # spans are in order: those inside [lo, lo + SNIPPET_CHARS]
            count = bisect.bisect_right(ends, lo + SNIPPET_CHARS) - bisect.bisect_left(starts, lo)
            if count > best:
                best, start = count, lo
        end = min(len(text), start + SNIPPET_CHARS)
    out: list[str] = []
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece is escaped above


FACET_FIELDS = ("group", "kind", "status", "issuing_body", "year")


def _facets(ranked: list[Ranked]) -> dict[str, list[tuple[str, str, int]]]:
    from ..models import Group, Kind, Status

    counts: dict[str, Counter[str]] = {f: Counter() for f in FACET_FIELDS}
    for r in ranked:
        for f in FACET_FIELDS:
            value = getattr(r.best, f)
            if value not in (None, ""):
                counts[f][str(value)] += 1
    groups = dict(Group.objects.values_list("slug", "name"))
    labels: dict[str, dict[str, str]] = {"group": groups, "kind": dict(Kind.choices), "status": dict(Status.choices)}
    out: dict[str, list[tuple[str, str, int]]] = {}
    for f, counter in counts.items():
        names = labels.get(f, {})
        items = [(value, names.get(value, value), n) for value, n in counter.items()]
        if f == "year":
            items.sort(key=lambda x: x[0], reverse=True)
        else:
            items.sort(key=lambda x: (-x[2], x[1]))
        out[f] = items[:20]
    return out


def search(text: str, *, filters: Filters | None = None, page: int = 1, per_page: int = 10,
           semantic: bool = True, published_only: bool = True, with_facets: bool = True) -> Page:
    """One page of results for ``text``. Raises :class:`analysis.QueryError` for a bad query."""
    from .. import indexing
    from ..models import Document, Passage, Status

    started = time.perf_counter()
    filters = filters or Filters()
    if page < 1 or per_page < 1 or per_page > 100:
        raise analysis.QueryError("Số trang không hợp lệ.")
    query = analysis.parse(text, synonyms())
    candidates = indexing.get_backend().candidates(query, filters, CANDIDATES)
    ranked, used = rank(query, candidates, semantic=semantic)
    if published_only and ranked:
        visible = indexing.published_ids(list({r.best.document_id for r in ranked}))
        ranked = [r for r in ranked if r.best.document_id in visible]
    window = ranked[(page - 1) * per_page: page * per_page]
    passages = Passage.objects.select_related("article", "document", "document__group").in_bulk(
        [r.best.passage_id for r in window])
    terms = query.all_terms()
    # an article found only as a whole text stands for its first clause: show the clause that shows the
    # most of the query instead
    siblings: dict[int, list[Passage]] = {}
    article_ids = [r.best.article_id for r in window if r.best.article_id and r.best.level == "article"]
    for sibling in Passage.objects.filter(article_id__in=article_ids).only("pk", "article_id", "text", "clause"):
        siblings.setdefault(sibling.article_id or 0, []).append(sibling)
    hits = []
    for r in window:
        p = passages.get(r.best.passage_id)
        if p is None:  # deleted since it was indexed
            continue
        shown = p
        if p.article_id and siblings.get(p.article_id):
            def matched(x: Passage) -> int:
                return len(set(analysis.highlight_words(x.text, terms)))

            best = max(siblings[p.article_id], key=matched)
            if matched(best) > matched(p):
                shown = best
                shown.article, shown.document = p.article, p.document
        doc: Document = p.document
        hits.append(Hit(document=doc, article=p.article, passage=shown, score=r.score,
                        snippet=_snippet(shown.text, terms), repealed=doc.status == Status.REPEALED))
    return Page(query=query.text, hits=hits, total=len(ranked), page=page, per_page=per_page,
                facets=_facets(ranked) if with_facets else {}, took_ms=(time.perf_counter() - started) * 1000,
                semantic=used)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    from .. import indexing

    prefix = (prefix or "").strip()
    if not prefix or len(prefix) > 100:
        return []
    found = indexing.get_backend().suggest(analysis.clean(prefix), limit * 4)
    visible = indexing.published_ids(list({doc for _, doc in found}))
    return list(dict.fromkeys(text for text, doc in found if doc in visible))[:limit]


def article_scores(text: str, *, limit: int = 10, semantic: bool = True) -> list[tuple[tuple[str, int], float]]:
    """The ranked unit keys for ``text`` (evaluation and the assistant's retriever)."""
    from .. import indexing

    query = analysis.parse(text, synonyms())
    ranked, _ = rank(query, indexing.get_backend().candidates(query, Filters(), CANDIDATES), semantic=semantic)
    return [(r.key, r.score) for r in ranked[:limit]]

