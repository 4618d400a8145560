"""The inverted index of the embedded backend: BM25 over folded syllables and syllable bigrams, stored in
SQLite and scored with numpy.

Why not FTS5's own ranking: FTS5 scores *every* row that matches an OR query before it sorts, which is
fine for thousands of passages and takes seconds for a million (measured here: p50 2.7 s, p95 7.9 s on
1,000,000 passages for the ALQAC questions). Here a query reads the postings of its terms (one blob of
row ids and one of weighted term frequencies per term and segment), computes BM25 for those rows only,
sums them with ``numpy.bincount`` and keeps the best with ``argpartition``.

Layout (tables in the index file):

* ``rows``: one row per indexed passage or whole article (``level`` 0 or 1), with its facets, its length
  and a ``deleted`` flag; row ids only grow;
* ``postings``: ``(term, seg) -> ids, tfs``; a write adds a segment; ``optimize`` merges them and drops
  deleted rows. Terms are keyed by level (``p:`` passages, ``a:`` articles) so that each level has its
  own statistics.

Fields are weighted before BM25 (BM25F): a term's frequency is ``3 x`` its count in the article heading
plus its count in the body plus ``0.5 x`` its count in the document title, and the length likewise.
"""

from __future__ import annotations

import itertools
import math
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .analysis import syllables

K1, B = 1.2, 0.75
FIELD_WEIGHTS = (3.0, 1.0, 0.5)  # heading, body, title
LEVELS = {"passage": 0, "article": 1}
_PREFIX = ("p:", "a:")

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    id INTEGER PRIMARY KEY, level INTEGER NOT NULL, passage_id INTEGER NOT NULL, article_id INTEGER,
    document_id INTEGER NOT NULL, grp TEXT, kind TEXT, status TEXT, issuer TEXT, year INTEGER,
    length REAL NOT NULL, deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS rows_passage ON rows (level, passage_id);
CREATE INDEX IF NOT EXISTS rows_article ON rows (level, article_id);
CREATE INDEX IF NOT EXISTS rows_document ON rows (document_id);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL, seg INTEGER NOT NULL, ids BLOB NOT NULL, tfs BLOB NOT NULL, PRIMARY KEY (term, seg)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


def analyse(heading: str, body: str, title: str) -> tuple[dict[str, float], float]:
    """Weighted term frequencies (syllables and bigrams) and the weighted length of one row."""
    tf: dict[str, float] = {}
    length = 0.0
    for weight, text in zip(FIELD_WEIGHTS, (heading, body, title), strict=True):
        if not text:
            continue
        words = syllables(text)
        length += weight * len(words)
        counts = Counter(words)
        counts.update(map(" ".join, itertools.pairwise(words)))
        for term, n in counts.items():
            tf[term] = tf.get(term, 0.0) + weight * n
    return tf, length


Row = tuple[int, int, int | None, int, str, str, str, str, int | None, str, str, str]


@dataclass
class State:
    """What a query needs in memory, for one generation of the index."""

    generation: int
    length: np.ndarray
    level: np.ndarray
    alive: np.ndarray
    passage_id: np.ndarray
    article_id: np.ndarray
    document_id: np.ndarray
    facets: dict[str, np.ndarray]
    codes: dict[str, dict[str, int]]
    year: np.ndarray
    n: tuple[int, int]
    avg: tuple[float, float]


class Postings:
    def __init__(self, connect: object) -> None:
        self._connect = connect  # a callable returning this thread's sqlite3 connection
        self._state: State | None = None
        self._lock = threading.Lock()

    @property
    def db(self) -> sqlite3.Connection:
        return self._connect()  # type: ignore[operator,no-any-return]

    def create(self) -> None:
        self.db.executescript(SCHEMA)

    # -- writing (the caller holds a transaction)
    def _bump(self) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES ('generation', 1) ON CONFLICT (key)"
                        " DO UPDATE SET value = value + 1")

    def write(self, rows: Sequence[Row]) -> None:
        """Add rows ``(level, passage_id, article_id, document_id, grp, kind, status, issuer, year, heading,
        body, title)`` as one new segment (rows already indexed are replaced)."""
        db = self.db
        for level in (0, 1):
            key = [(level, r[2] if level == 1 else r[1]) for r in rows if r[0] == level]
            if key:
                column = "article_id" if level == 1 else "passage_id"
                db.executemany(f"UPDATE rows SET deleted = 1 WHERE level = ? AND {column} = ?", key)  # noqa: S608
        start = (db.execute("SELECT max(id) FROM rows").fetchone()[0] or 0) + 1
        seg = (db.execute("SELECT max(seg) FROM postings").fetchone()[0] or 0) + 1
        vocab: dict[str, int] = {}
        term_ids: list[int] = []
        row_ids: list[int] = []
        freqs: list[float] = []
        records = []
        for i, r in enumerate(rows):
            row_id = start + i
            level = r[0]
            tf, length = analyse(r[9], r[10], r[11])
            prefix = _PREFIX[level]
            term_ids.extend([vocab.setdefault(prefix + term, len(vocab)) for term in tf])
            freqs.extend(tf.values())
            row_ids.extend([row_id] * len(tf))
            records.append((row_id, level, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], length))
        db.executemany("INSERT INTO rows (id, level, passage_id, article_id, document_id, grp, kind, status, issuer,"
                       " year, length) VALUES (?,?,?,?,?,?,?,?,?,?,?)", records)
        # one sort groups the postings by term, in the order of the terms' text, so that the inserts into
        # the (term, seg) B-tree are sequential (rows stay in increasing order within a term)
        names = list(vocab)
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(np.asarray(names, dtype=object), kind="stable")] = np.arange(len(names))
        by_name = sorted(names)
        terms = rank[np.asarray(term_ids, dtype=np.int64)] if term_ids else np.zeros(0, dtype=np.int64)
        order = np.argsort(terms, kind="stable")
        terms = terms[order]
        ids = np.asarray(row_ids, dtype=np.uint32)[order]
        tfs = np.asarray(freqs, dtype=np.float32)[order]
        bounds = np.flatnonzero(np.diff(terms)) + 1
        starts = np.concatenate(([0], bounds)).tolist()
        ends = np.concatenate((bounds, [len(terms)])).tolist()
        db.executemany("INSERT INTO postings (term, seg, ids, tfs) VALUES (?,?,?,?)",
                       ((by_name[int(terms[a])], seg, ids[a:b].tobytes(), tfs[a:b].tobytes())
                        for a, b in zip(starts, ends, strict=True)) if len(terms) else [])
        self._bump()

    def delete_documents(self, document_ids: Sequence[int]) -> None:
        self.db.executemany("UPDATE rows SET deleted = 1 WHERE document_id = ?", [(d,) for d in document_ids])
        self._bump()

    def clear(self) -> None:
        self.db.execute("DELETE FROM rows")
        self.db.execute("DELETE FROM postings")
        self._bump()

    def optimize(self) -> None:
        """Merge every segment into one and drop deleted rows' postings (after a large import)."""
        db = self.db
        alive = self.state(force=True).alive
        db.execute("CREATE TEMP TABLE IF NOT EXISTS merged (term TEXT PRIMARY KEY, ids BLOB, tfs BLOB) WITHOUT ROWID")
        db.execute("DELETE FROM merged")
        current: str | None = None
        ids: list[np.ndarray] = []
        tfs: list[np.ndarray] = []
        out: list[tuple[str, bytes, bytes]] = []

        def flush() -> None:
            if current is None:
                return
            all_ids = np.concatenate(ids)
            all_tfs = np.concatenate(tfs)
            keep = alive[all_ids]
            if keep.any():
                out.append((current, all_ids[keep].tobytes(), all_tfs[keep].tobytes()))
            if len(out) >= 20000:
                db.executemany("INSERT INTO merged VALUES (?,?,?)", out)
                out.clear()

        for term, blob_ids, blob_tfs in db.execute("SELECT term, ids, tfs FROM postings ORDER BY term, seg"):
            if term != current:
                flush()
                current, ids, tfs = term, [], []
            ids.append(np.frombuffer(blob_ids, dtype=np.uint32))
            tfs.append(np.frombuffer(blob_tfs, dtype=np.float32))
        flush()
        if out:
            db.executemany("INSERT INTO merged VALUES (?,?,?)", out)
        db.execute("DELETE FROM postings")
        db.execute("INSERT INTO postings (term, seg, ids, tfs) SELECT term, 1, ids, tfs FROM merged")
        db.execute("DELETE FROM merged")
        self._bump()

    # -- reading
    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def state(self, *, force: bool = False) -> State:
        generation = self.generation()
        with self._lock:
            if self._state is not None and self._state.generation == generation and not force:
                return self._state
            cols = self.db.execute(
                "SELECT id, level, passage_id, coalesce(article_id, 0), document_id, grp, kind, status, issuer,"
                " coalesce(year, 0), length, deleted FROM rows ORDER BY id").fetchall()
            size = (cols[-1][0] + 1) if cols else 1
            ids = np.fromiter((c[0] for c in cols), dtype=np.int64, count=len(cols))

            def column(i: int, dtype: type) -> np.ndarray:
                arr = np.zeros(size, dtype=dtype)
                arr[ids] = np.fromiter((c[i] for c in cols), dtype=dtype, count=len(cols))
                return arr

            codes: dict[str, dict[str, int]] = {}
            facets: dict[str, np.ndarray] = {}
            for name, i in (("group", 5), ("kind", 6), ("status", 7), ("issuing_body", 8)):
                table = codes.setdefault(name, {})
                arr = np.full(size, -1, dtype=np.int32)
                arr[ids] = np.fromiter((table.setdefault(c[i] or "", len(table)) for c in cols), dtype=np.int32,
                                       count=len(cols))
                facets[name] = arr
            alive = np.zeros(size, dtype=bool)
            alive[ids] = np.fromiter((not c[11] for c in cols), dtype=bool, count=len(cols))
            level = column(1, np.int8)
            length = column(10, np.float32)
            n = tuple(int((alive & (level == lv)).sum()) for lv in (0, 1))
            avg = tuple(float(length[alive & (level == lv)].mean()) if n[lv] else 1.0 for lv in (0, 1))
            self._state = State(generation=generation, length=length, level=level, alive=alive,
                                passage_id=column(2, np.int64), article_id=column(3, np.int64),
                                document_id=column(4, np.int64), facets=facets, codes=codes,
                                year=column(9, np.int32), n=(n[0], n[1]), avg=(avg[0], avg[1]))
            return self._state

    def df(self, level: int, terms: Iterable[str]) -> dict[str, int]:
        """How many rows of ``level`` contain each term (deleted rows included until the next merge)."""
        out: dict[str, int] = {}
        for term in terms:
            total = 0
            for (blob,) in self.db.execute("SELECT ids FROM postings WHERE term = ?", (_PREFIX[level] + term,)):
                total += len(blob) // 4
            out[term] = total
        return out

    def top(self, level: int, weighted_terms: Sequence[tuple[str, float]], filters: Mapping[str, object],
            limit: int) -> tuple[State, np.ndarray, np.ndarray]:
        """Row ids and BM25 scores of the best ``limit`` rows of ``level`` (best first)."""
        state = self.state()
        n, avg = state.n[level], state.avg[level]
        all_ids: list[np.ndarray] = []
        all_w: list[np.ndarray] = []
        for term, boost in weighted_terms:
            rows = self.db.execute("SELECT ids, tfs FROM postings WHERE term = ?", (_PREFIX[level] + term,)).fetchall()
            if not rows:
                continue
            ids = np.concatenate([np.frombuffer(r[0], dtype=np.uint32) for r in rows])
            tf = np.concatenate([np.frombuffer(r[1], dtype=np.float32) for r in rows])
            df = min(len(ids), n)  # deleted rows stay in the postings until the next merge
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            norm = K1 * (1 - B + B * state.length[ids] / avg)
            all_ids.append(ids)
            all_w.append(boost * idf * tf * (K1 + 1) / (tf + norm))
        empty = np.zeros(0, dtype=np.int64)
        if not all_ids:
            return state, empty, np.zeros(0)
        scores = np.bincount(np.concatenate(all_ids), weights=np.concatenate(all_w), minlength=len(state.alive))
        mask = state.alive & (state.level == level)
        for name, value in filters.items():
            if value is None:
                continue
            if name == "year":
                mask &= state.year == int(value)  # type: ignore[call-overload]
            else:
                code = state.codes[name].get(str(value))
                if code is None:
                    return state, empty, np.zeros(0)
                mask &= state.facets[name] == code
        scores[~mask[: len(scores)]] = 0
        found = int(np.count_nonzero(scores > 0))
        if not found:
            return state, empty, np.zeros(0)
        k = min(limit, found)
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return state, best, scores[best]

