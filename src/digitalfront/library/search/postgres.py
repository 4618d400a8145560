"""The server search backend: PostgreSQL full-text search in the main database (production).

Passages are stored folded (no diacritics, ``đ`` -> ``d``: the same folding as the embedded backend, done
in Python so that no ``unaccent`` extension is needed) in ``library_search_pg``, with a ``tsvector`` of
the ``simple`` configuration (no stemming: Vietnamese has none) weighted A for the article heading, B
for the body and C for the document title, and a GIN index. A query is an OR of its syllables and of its
bigrams as phrases (``a <-> b``). ``ts_rank`` alone knows nothing of how rare a word is, so each term's
``ts_rank`` is weighted by its BM25 idf, from document frequencies that ``ts_stat`` refreshes after
every change of the index; the shared engine then ranks articles exactly as with the embedded backend.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from .analysis import ParsedQuery, syllables
from .base import Candidate, Filters, IndexRow, ProgressFn

TABLE = "library_search_pg"
_BATCH = 2000

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    level text NOT NULL,
    row_id bigint NOT NULL,
    passage_id bigint NOT NULL,
    document_id bigint NOT NULL,
    article_id bigint NULL,
    grp text NOT NULL, kind text NOT NULL, status text NOT NULL, issuer text NOT NULL, year integer NULL,
    heading text NOT NULL, title text NOT NULL,
    tsv tsvector NOT NULL,
    PRIMARY KEY (level, row_id)
);
CREATE INDEX IF NOT EXISTS {TABLE}_tsv ON {TABLE} USING gin (tsv);
CREATE INDEX IF NOT EXISTS {TABLE}_doc ON {TABLE} (document_id);
CREATE TABLE IF NOT EXISTS {TABLE}_df (term text PRIMARY KEY, df integer NOT NULL);
"""


def folded(text: str) -> str:
    return " ".join(syllables(text))


def _quote(term: str) -> str:
    return " <-> ".join(f"'{w}'" for w in term.split())


COMMON_DF = 0.25
COLUMNS = {"group": "grp", "kind": "kind", "status": "status", "issuing_body": "issuer", "year": "year"}


class PostgresBackend:
    name = "postgres"

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("Backend tìm kiếm postgres cần cơ sở dữ liệu PostgreSQL (DATABASE_URL).")

    def ensure_schema(self) -> None:
        with connection.cursor() as cur:
            cur.execute(SCHEMA)

    def add(self, rows: Iterable[IndexRow], *, progress: ProgressFn | None = None, total: int = 0) -> int:
        self.ensure_schema()
        done = 0
        batch: list[IndexRow] = []

        def flush() -> None:
            nonlocal done
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(
                    f"INSERT INTO {TABLE} (level, row_id, passage_id, document_id, article_id, grp, kind, status,"  # noqa: S608
                    " issuer, year, heading, title, tsv) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                    " setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')"
                    " || setweight(to_tsvector('simple', %s), 'C'))"
                    " ON CONFLICT (level, row_id) DO UPDATE SET passage_id = EXCLUDED.passage_id,"
                    " document_id = EXCLUDED.document_id,"
                    " article_id = EXCLUDED.article_id, grp = EXCLUDED.grp, kind = EXCLUDED.kind,"
                    " status = EXCLUDED.status, issuer = EXCLUDED.issuer, year = EXCLUDED.year,"
                    " heading = EXCLUDED.heading, title = EXCLUDED.title, tsv = EXCLUDED.tsv",
                    [(r.level, r.article_id if r.level == "article" else r.passage_id, r.passage_id, r.document_id,
                      r.article_id, r.group, r.kind, r.status, r.issuing_body, r.year,
                      r.heading, r.title, folded(r.heading), folded(r.body), folded(r.title)) for r in batch])
            done += len(batch)
            batch.clear()
            if progress is not None:
                progress("Lập chỉ mục tìm kiếm", done, max(total, done))

        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                flush()
        if batch:
            flush()
        self.refresh_stats()
        return done

    def refresh_stats(self) -> None:
        """Document frequencies of the passages' words, for the idf weights."""
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f"DELETE FROM {TABLE}_df")  # noqa: S608
            cur.execute(f"INSERT INTO {TABLE}_df (term, df) SELECT word, ndoc FROM ts_stat("  # noqa: S608
                        f"$q$SELECT tsv FROM {TABLE} WHERE level = 'passage'$q$)")

    def remove_documents(self, document_ids: Sequence[int]) -> None:
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)", [list(document_ids)])  # noqa: S608
        self.refresh_stats()

    def clear(self) -> None:
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {TABLE}, {TABLE}_df")

    def count(self) -> int:
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
            return int(cur.fetchone()[0])

    def frequencies(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        self.ensure_schema()
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {TABLE} WHERE level = 'passage'")  # noqa: S608
            total = int(cur.fetchone()[0])
            cur.execute(f"SELECT term, df FROM {TABLE}_df WHERE term = ANY(%s)", [sorted(set(terms))])  # noqa: S608
            return total, dict(cur.fetchall())

    def _weights(self, query: ParsedQuery) -> list[tuple[str, float]]:
        """(tsquery, idf) of the query's terms, bigrams, phrases and expansions."""
        words = set(query.terms)
        for phrase in query.bigrams + query.phrases + query.expansions:
            words.update(phrase.split())
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {TABLE} WHERE level = 'passage'")  # noqa: S608
            total = int(cur.fetchone()[0]) or 1
            cur.execute(f"SELECT term, df FROM {TABLE}_df WHERE term = ANY(%s)", [sorted(words)])  # noqa: S608
            df = dict(cur.fetchall())

        def idf(word: str) -> float:
            n = df.get(word, 0)
            return math.log(1 + (total - n + 0.5) / (n + 0.5))

        terms = [t for t in query.terms if t in df]
        if len(terms) > 1:
            terms = [t for t in terms if df[t] <= COMMON_DF * total] or terms
        out = [(_quote(t), idf(t)) for t in terms]
        for phrase in dict.fromkeys(query.bigrams + query.phrases + query.expansions):
            parts = phrase.split()
            if all(p in df for p in parts):
                out.append((_quote(phrase), sum(idf(p) for p in parts)))
        return out

    def candidates(self, query: ParsedQuery, filters: Filters, limit: int) -> list[Candidate]:
        self.ensure_schema()
        weights = self._weights(query)
        if not weights:
            return []
        where, params = [], []
        for name, value in filters.chosen().items():
            where.append(f" AND {COLUMNS[name]} = %s")
            params.append(value)
        score = " + ".join("%s * ts_rank(tsv, to_tsquery('simple', %s), 1)" for _ in weights)
        score_params: list[Any] = [x for term, w in weights for x in (w, term)]
        match = " | ".join(f"({term})" for term, _ in weights)
        sql = (f"SELECT passage_id, {score} AS score, document_id, article_id, grp, kind, status, issuer, year"  # noqa: S608
               f" FROM {TABLE} WHERE level = %s AND tsv @@ to_tsquery('simple', %s){''.join(where)}"
               " ORDER BY score DESC, passage_id LIMIT %s")
        out: list[Candidate] = []
        with connection.cursor() as cur:
            for level, n in (("passage", limit), ("article", max(1, limit // 3))):
                cur.execute(sql, [*score_params, level, match, *params, n])
                out += [Candidate(passage_id=r[0], score=float(r[1]), document_id=int(r[2]),
                                  article_id=int(r[3]) if r[3] is not None else None, group=r[4], kind=r[5],
                                  status=r[6], issuing_body=r[7], year=r[8], level=level) for r in cur.fetchall()]
        return out

    def suggest(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        words = syllables(prefix)
        if not words:
            return []
        self.ensure_schema()
        # weight A: the words of the article heading (what a suggestion shows)
        expr = " & ".join([f"'{w}':A" for w in words[:-1]] + [f"'{words[-1]}':*A"])
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT heading, document_id FROM (SELECT DISTINCT ON (heading, document_id) heading,"  # noqa: S608
                f" document_id, ts_rank(tsv, q) AS r FROM {TABLE}, to_tsquery('simple', %s) AS q"
                " WHERE level = 'article' AND tsv @@ q ORDER BY heading, document_id, r DESC) AS h"
                " ORDER BY r DESC, heading LIMIT %s", [expr, limit])
            return [(r[0], int(r[1])) for r in cur.fetchall()]
