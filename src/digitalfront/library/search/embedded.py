"""The embedded search backend: an index in a SQLite file on local disk (no server).

Lexical scoring is :mod:`.postings` (BM25 over folded syllables and bigrams, scored with numpy), which
serves a million passages in tens of milliseconds where FTS5's own OR-query ranking takes seconds.
FTS5 (``unicode61 remove_diacritics 2`` over text with ``đ`` written ``d``) keeps the article headings
for suggestions as you type, where its prefix queries are what is needed.

A query's syllables, its bigrams (multi-syllable words), its quoted phrases (as bigrams) and the
expansions of its abbreviations are the terms. In an index of more than 20,000 passages, syllables
that occur in more than a quarter of them ("của", "và") are left out when the query has others: their
weight is small and their postings are the longest.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from .analysis import ParsedQuery, index_form, syllables
from .base import Candidate, Filters, IndexRow, ProgressFn
from .postings import LEVELS, Postings

COMMON_DF = 0.25
PRUNE_FROM = 20000  # passages: below that, every term is scored (it is fast anyway)
BIGRAM_BOOST = 1.0
EXPANSION_BOOST = 0.8
_BATCH = 20000
_GUIDE_ROWIDS = 1 << 40

_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS headings USING fts5(
    folded, display UNINDEXED, document_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
"""


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Path | str, *, database: str = "") -> None:
        self.path = Path(path)
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.postings = Postings(self._db)
        db = self._db()
        db.executescript(_SCHEMA)
        self.postings.create()
        if database:
            self._bind(database)

    def _bind(self, database: str) -> None:
        """The index belongs to one database: opened for another one (a new database file, a restored
        copy under another name), it is emptied rather than answering with rows that do not exist there;
        ``digitalfront library reindex`` fills it again."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'database'").fetchone()
            if row is not None and row[0] == database:
                return
            if row is not None:
                self.postings.clear()
                db.execute("DELETE FROM headings")
            db.execute("INSERT INTO meta (key, value) VALUES ('database', ?) ON CONFLICT (key)"
                       " DO UPDATE SET value = excluded.value", (database,))

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA cache_size=-131072")  # 128 MB of pages: postings of common terms stay in memory
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db())

    # -- writing
    def add(self, rows: Iterable[IndexRow], *, progress: ProgressFn | None = None, total: int = 0) -> int:
        done = 0
        for chunk in itertools.batched(rows, _BATCH):
            with self._transaction() as db:
                self.postings.write([(LEVELS[r.level], r.passage_id, r.article_id, r.document_id, r.group, r.kind,
                                      r.status, r.issuing_body, r.year, r.heading, r.body, r.title) for r in chunk])
                # one row per article heading (rowid: the article), per heading of a passage outside any
                # article (a guide's section; rowid: 2^40 + the passage) and per document title (rowid:
                # minus the document): re-indexing replaces by rowid instead of scanning the table
                headings: dict[int, tuple[str, int]] = {}
                for r in chunk:
                    if r.heading and r.level == "article" and r.article_id:
                        headings[r.article_id] = (r.heading, r.document_id)
                    elif r.heading and r.level == "passage" and not r.article_id:
                        headings[_GUIDE_ROWIDS + r.passage_id] = (r.heading, r.document_id)
                    if r.title:
                        headings[-r.document_id] = (r.title, r.document_id)
                if headings:
                    db.executemany("DELETE FROM headings WHERE rowid = ?", [(k,) for k in headings])
                    db.executemany("INSERT INTO headings (rowid, folded, display, document_id) VALUES (?, ?, ?, ?)",
                                   [(k, index_form(h), h, d) for k, (h, d) in headings.items()])
            done += sum(1 for r in chunk if r.level == "passage")
            if progress is not None:
                progress("Lập chỉ mục tìm kiếm", done, max(total, done))
        with self._transaction():
            self.postings.merge_if_needed()
        return done

    def remove_documents(self, document_ids: Sequence[int]) -> None:
        with self._transaction() as db:
            self.postings.delete_documents(document_ids)
            db.executemany("DELETE FROM headings WHERE document_id = ?", [(d,) for d in document_ids])

    def clear(self) -> None:
        with self._transaction() as db:
            self.postings.clear()
            db.execute("DELETE FROM headings")

    def count(self) -> int:
        return int(self._db().execute("SELECT count(*) FROM rows WHERE level = 0 AND deleted = 0").fetchone()[0])

    def optimize(self) -> None:
        """Merge the index segments (after a large import)."""
        with self._transaction() as db:
            self.postings.optimize()
            db.execute("INSERT INTO headings(headings) VALUES ('optimize')")

    # -- reading
    def weighted_terms(self, query: ParsedQuery) -> list[tuple[str, float]]:
        terms = query.terms
        n = self.postings.state().n[0]
        if len(terms) > 1 and n >= PRUNE_FROM:
            df = self.postings.df(0, terms)
            terms = [t for t in terms if df.get(t, 0) <= COMMON_DF * n] or terms
        weighted = [(t, 1.0) for t in terms]
        weighted += [(b, BIGRAM_BOOST) for b in query.bigrams]
        for phrase in query.phrases:
            words = phrase.split()
            weighted += [(f"{a} {b}", BIGRAM_BOOST) for a, b in itertools.pairwise(words)]
        for expansion in query.expansions:
            words = expansion.split()
            if len(words) == 1:
                weighted.append((words[0], EXPANSION_BOOST))
            weighted += [(f"{a} {b}", EXPANSION_BOOST) for a, b in itertools.pairwise(words)]
        seen: dict[str, float] = {}
        for term, boost in weighted:
            seen[term] = max(seen.get(term, 0.0), boost)
        return list(seen.items())

    def frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        return int(self.postings.state().n[0]), self.postings.df(0, list(dict.fromkeys(terms)))

    def candidates(self, query: ParsedQuery, filters: Filters, limit: int) -> list[Candidate]:
        weighted = self.weighted_terms(query)
        if not weighted:
            return []
        wanted = filters.chosen()
        out: list[Candidate] = []
        for level, name, n in ((0, "passage", limit), (1, "article", max(1, limit // 3))):
            state, ids, scores = self.postings.top(level, weighted, wanted, n)
            names = {f: {code: value for value, code in state.codes[f].items()} for f in state.codes}
            for row, score in zip(ids.tolist(), scores.tolist(), strict=True):
                year = int(state.year[row])
                article = int(state.article_id[row])
                out.append(Candidate(
                    passage_id=int(state.passage_id[row]), document_id=int(state.document_id[row]),
                    article_id=article or None, score=float(score),
                    group=names["group"][int(state.facets["group"][row])],
                    kind=names["kind"][int(state.facets["kind"][row])],
                    status=names["status"][int(state.facets["status"][row])],
                    issuing_body=names["issuing_body"][int(state.facets["issuing_body"][row])],
                    year=year or None, level=name))
        return out

    def suggest(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        words = syllables(prefix)
        if not words:
            return []
        expr = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        rows = self._db().execute(
            "SELECT display, document_id FROM headings WHERE headings MATCH ? LIMIT ?", (expr.strip(), limit),
        ).fetchall()
        return [(r[0], int(r[1])) for r in rows]


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
