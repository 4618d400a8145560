"""The one search interface of the library, implemented by two backends.

* :mod:`.embedded` (default, no server): SQLite FTS5 in a file on local disk;
* :mod:`.postgres` (production): PostgreSQL full-text search in the main database.

A backend stores :class:`IndexRow` (one per passage, with the facets of its document) and answers
:meth:`Backend.candidates` with passages and a lexical score. Everything above that (grouping passages
into articles, the semantic signal, snippets, facets, paging) is shared, in :mod:`.engine`, so both
backends rank and present results the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from .analysis import ParsedQuery

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IndexRow:
    """What the index keeps of a passage: folded or not is the backend's business."""

    passage_id: int
    document_id: int
    article_id: int | None
    heading: str
    body: str
    title: str
    group: str
    kind: str
    status: str
    issuing_body: str
    year: int | None
    # "passage" (a clause: what snippets show) or "article" (a whole article, for the article-level score;
    # ``passage_id`` is then the article's first passage)
    level: str = "passage"


@dataclass(frozen=True)
class Filters:
    """Facet filters; ``None`` means any."""

    group: str | None = None
    kind: str | None = None
    status: str | None = None
    issuing_body: str | None = None
    year: int | None = None

    def chosen(self) -> dict[str, str | int]:
        """The facets that are set, by name (``group``, ``kind``, ``status``, ``issuing_body``, ``year``)."""
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class Candidate:
    """A passage that matched, with its lexical score (higher is better, backend-specific scale)."""

    passage_id: int
    document_id: int
    article_id: int | None
    score: float
    group: str
    kind: str
    status: str
    issuing_body: str
    year: int | None
    level: str = "passage"


class Backend(Protocol):
    name: str

    def add(self, rows: Iterable[IndexRow], *, progress: ProgressFn | None = None) -> int:
        """Index (or re-index) passages; returns how many."""

    def remove_documents(self, document_ids: Sequence[int]) -> None:
        """Drop every passage of these documents."""

    def clear(self) -> None:
        """Drop everything."""

    def count(self) -> int:
        """How many passages are indexed."""

    def candidates(self, query: ParsedQuery, filters: Filters, limit: int) -> list[Candidate]:
        """The best ``limit`` passages for ``query`` under ``filters``, best first, followed by the best
        ``limit // 3`` articles (``level="article"``)."""

    def suggest(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """(heading, document id) of headings whose words start with the words of ``prefix``."""

    def frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many passages are indexed, and in how many of them each (folded) syllable occurs."""
