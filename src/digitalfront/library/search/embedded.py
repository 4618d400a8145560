"""The embedded search backend: SQLite FTS5 in a file on local disk (no server).

Passages are stored with ``đ`` written ``d`` and tokenised by ``unicode61 remove_diacritics 2``, which
folds every other Vietnamese mark (including letters with two marks), so queries match with or without
diacritics. A query is an OR of its syllables, its syllable bigrams as phrases (multi-syllable words)
and the expansions of its abbreviations; FTS5's BM25 ranks, with the article heading weighted above
the body. Syllables that occur in more than a quarter of all passages ("của", "và") are left out of
the expression when the query has others: their weight is small and their postings are what make a
query slow on a million passages.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from .analysis import ParsedQuery, index_form, syllables
from .base import Candidate, Filters, IndexRow, ProgressFn

HEADING_WEIGHT = 3.0
BODY_WEIGHT = 1.0
TITLE_WEIGHT = 0.5
COMMON_DF = 0.25
_BATCH = 2000

_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5(
    heading, body, title,
    document_id UNINDEXED, article_id UNINDEXED, grp UNINDEXED, kind UNINDEXED, status UNINDEXED,
    issuer UNINDEXED, year UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles USING fts5(
    heading, body, title,
    passage_id UNINDEXED, document_id UNINDEXED, grp UNINDEXED, kind UNINDEXED, status UNINDEXED,
    issuer UNINDEXED, year UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS headings USING fts5(
    folded, display UNINDEXED, document_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
"""


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self._db()
        db.executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- writing
    def add(self, rows: Iterable[IndexRow], *, progress: ProgressFn | None = None, total: int = 0) -> int:
        db = self._db()
        done = 0
        batch: list[IndexRow] = []

        def flush() -> None:
            nonlocal done
            passages = [r for r in batch if r.level == "passage"]
            articles = [r for r in batch if r.level == "article"]
            db.execute("BEGIN")
            try:
                db.executemany("DELETE FROM passages WHERE rowid = ?", [(r.passage_id,) for r in passages])
                db.executemany("DELETE FROM articles WHERE rowid = ?", [(r.article_id,) for r in articles])
                db.executemany(
                    "INSERT INTO passages (rowid, heading, body, title, document_id, article_id, grp, kind, status,"
                    " issuer, year) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [(r.passage_id, index_form(r.heading), index_form(r.body), index_form(r.title), r.document_id,
                      r.article_id, r.group, r.kind, r.status, r.issuing_body, r.year) for r in passages])
                db.executemany(
                    "INSERT INTO articles (rowid, heading, body, title, passage_id, document_id, grp, kind, status,"
                    " issuer, year) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    [(r.article_id, index_form(r.heading), index_form(r.body), index_form(r.title), r.passage_id,
                      r.document_id, r.group, r.kind, r.status, r.issuing_body, r.year) for r in articles])
                headings = {(r.heading, r.document_id) for r in passages if r.heading}
                headings |= {(r.title, r.document_id) for r in passages if r.title}
                if headings:
                    db.executemany("DELETE FROM headings WHERE display = ? AND document_id = ?", list(headings))
                    db.executemany("INSERT INTO headings (folded, display, document_id) VALUES (?, ?, ?)",
                                   [(index_form(h), h, d) for h, d in headings])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            done += len(passages)
            batch.clear()
            if progress is not None:
                progress("Lập chỉ mục tìm kiếm", done, max(total, done))

        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                flush()
        if batch:
            flush()
        return done

    def remove_documents(self, document_ids: Sequence[int]) -> None:
        db = self._db()
        db.execute("BEGIN")
        try:
            for doc in document_ids:
                db.execute("DELETE FROM passages WHERE document_id = ?", (doc,))
                db.execute("DELETE FROM articles WHERE document_id = ?", (doc,))
                db.execute("DELETE FROM headings WHERE document_id = ?", (doc,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def clear(self) -> None:
        db = self._db()
        db.execute("DELETE FROM passages")
        db.execute("DELETE FROM articles")
        db.execute("DELETE FROM headings")

    def count(self) -> int:
        return int(self._db().execute("SELECT count(*) FROM passages").fetchone()[0])

    def optimize(self) -> None:
        """Merge the index segments (after a large import)."""
        db = self._db()
        db.execute("INSERT INTO passages(passages) VALUES ('optimize')")
        db.execute("INSERT INTO articles(articles) VALUES ('optimize')")
        db.execute("INSERT INTO headings(headings) VALUES ('optimize')")

    # -- reading
    def expression(self, query: ParsedQuery) -> str:
        """The FTS5 MATCH expression of ``query`` ('' when nothing can match)."""
        db = self._db()
        terms = query.terms
        if len(terms) > 1:
            total = self.count() or 1
            marks = ",".join("?" * len(terms))
            df = dict(db.execute(f"SELECT term, doc FROM passages_vocab WHERE term IN ({marks})",  # noqa: S608
                                 terms).fetchall())
            rare = [t for t in terms if df.get(t, 0) <= COMMON_DF * total]
            terms = rare or terms
        parts = [f'"{t}"' for t in terms]
        parts += [f'"{b}"' for b in query.bigrams]
        parts += [f'"{p}"' for p in query.phrases]
        parts += [f'"{e}"' for e in query.expansions]
        return " OR ".join(dict.fromkeys(parts))

    def candidates(self, query: ParsedQuery, filters: Filters, limit: int) -> list[Candidate]:
        expr = self.expression(query)
        if not expr:
            return []
        where, params = ["passages MATCH ?"], [expr]
        for column, value in (("grp", filters.group), ("kind", filters.kind), ("status", filters.status),
                              ("issuer", filters.issuing_body), ("year", filters.year)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)  # type: ignore[arg-type]
        weights = [HEADING_WEIGHT, BODY_WEIGHT, TITLE_WEIGHT]
        db = self._db()
        clause = " AND ".join(where)
        sql = ("SELECT rowid, -bm25(passages, ?, ?, ?), document_id, article_id, grp, kind, status, issuer, year"  # noqa: S608
               f" FROM passages WHERE {clause} ORDER BY bm25(passages, ?, ?, ?) LIMIT ?")
        rows = db.execute(sql, [*weights, *params, *weights, limit]).fetchall()
        out = [Candidate(passage_id=r[0], score=float(r[1]), document_id=int(r[2]),
                         article_id=int(r[3]) if r[3] is not None else None, group=r[4], kind=r[5], status=r[6],
                         issuing_body=r[7], year=int(r[8]) if r[8] is not None else None) for r in rows]
        sql = ("SELECT passage_id, -bm25(articles, ?, ?, ?), document_id, rowid, grp, kind, status, issuer, year"  # noqa: S608
               f" FROM articles WHERE {clause.replace('passages MATCH', 'articles MATCH')}"
               " ORDER BY bm25(articles, ?, ?, ?) LIMIT ?")
        rows = db.execute(sql, [*weights, *params, *weights, max(1, limit // 3)]).fetchall()
        out += [Candidate(passage_id=int(r[0]), score=float(r[1]), document_id=int(r[2]), article_id=int(r[3]),
                          group=r[4], kind=r[5], status=r[6], issuing_body=r[7],
                          year=int(r[8]) if r[8] is not None else None, level="article") for r in rows]
        return out

    def suggest(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        words = syllables(prefix)
        if not words:
            return []
        expr = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        rows = self._db().execute(
            "SELECT display, document_id FROM headings WHERE headings MATCH ? ORDER BY rank LIMIT ?",
            (expr.strip(), limit),
        ).fetchall()
        return [(r[0], int(r[1])) for r in rows]
