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
* ``segments``: ``(seg, term) -> ids, tfs``; a write appends a segment (its terms in order, so the
  B-tree only grows at its end); more than ``MAX_SEGMENTS`` are merged into one (a k-way merge of
  the segments, each already in term order), which also drops deleted rows; ``optimize`` merges all.
  Terms are keyed by level (``p:`` passages, ``a:`` articles) so that each level has its own
  statistics.

Fields are weighted before BM25 (BM25F): a term's frequency is ``3 x`` its count in the article heading
plus its count in the body plus ``0.5 x`` its count in the document title, and the length likewise.
"""

from __future__ import annotations

import heapq
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
MAX_SEGMENTS = 12
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
CREATE TABLE IF NOT EXISTS segments (
    seg INTEGER NOT NULL, term TEXT NOT NULL, ids BLOB NOT NULL, tfs BLOB NOT NULL, PRIMARY KEY (seg, term)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segment_list (seg INTEGER PRIMARY KEY, rows INTEGER NOT NULL);
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
    segments: list[int]


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
        seg = (db.execute("SELECT max(seg) FROM segment_list").fetchone()[0] or 0) + 1
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
        # one sort groups the postings by term, in the order of the terms' text, so that the segment is
        # appended to the (seg, term) B-tree in key order (rows stay in increasing order within a term)
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
        db.execute("INSERT INTO segment_list (seg, rows) VALUES (?, ?)", (seg, len(rows)))
        db.executemany("INSERT INTO segments (term, seg, ids, tfs) VALUES (?,?,?,?)",
                       ((by_name[int(terms[a])], seg, ids[a:b].tobytes(), tfs[a:b].tobytes())
                        for a, b in zip(starts, ends, strict=True)) if len(terms) else [])
        self._bump()

    def delete_documents(self, document_ids: Sequence[int]) -> None:
        self.db.executemany("UPDATE rows SET deleted = 1 WHERE document_id = ?", [(d,) for d in document_ids])
        self._bump()

    def clear(self) -> None:
        self.db.execute("DELETE FROM rows")
        self.db.execute("DELETE FROM segments")
        self.db.execute("DELETE FROM segment_list")
        self._bump()

    def segment_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT seg FROM segment_list ORDER BY seg")]

    def merge_if_needed(self) -> None:
        if len(self.segment_ids()) > MAX_SEGMENTS:
            self.optimize()

    def optimize(self) -> None:
        """Merge every segment into one and drop deleted rows' postings (after a large import)."""
        db = self.db
        old = self.segment_ids()
        if len(old) <= 1 and not self.db.execute("SELECT 1 FROM rows WHERE deleted = 1 LIMIT 1").fetchone():
            return
        alive = self.state(force=True).alive
        new = (old[-1] if old else 0) + 1
        reader = self._connect_reader()
        cursors = [reader.execute("SELECT term, ?, ids, tfs FROM segments WHERE seg = ? ORDER BY term", (seg, seg))
                   for seg in old]
        out: list[tuple[int, str, bytes, bytes]] = []
        for term, group in itertools.groupby(heapq.merge(*cursors, key=lambda r: r[0]), key=lambda r: r[0]):
            parts = list(group)  # in segment order: row ids stay increasing
            all_ids = np.concatenate([np.frombuffer(p[2], dtype=np.uint32) for p in parts])
            all_tfs = np.concatenate([np.frombuffer(p[3], dtype=np.float32) for p in parts])
            keep = alive[all_ids]
            if keep.any():
                out.append((new, term, all_ids[keep].tobytes(), all_tfs[keep].tobytes()))
            if len(out) >= 20000:
                db.executemany("INSERT INTO segments (seg, term, ids, tfs) VALUES (?,?,?,?)", out)
                out.clear()
        if out:
            db.executemany("INSERT INTO segments (seg, term, ids, tfs) VALUES (?,?,?,?)", out)
        reader.close()
        db.executemany("DELETE FROM segments WHERE seg = ?", [(seg,) for seg in old])
        db.execute("DELETE FROM segment_list")
        db.execute("INSERT INTO segment_list (seg, rows) VALUES (?, (SELECT count(*) FROM rows WHERE deleted = 0))",
                   (new,))
        self._bump()

    def _connect_reader(self) -> sqlite3.Connection:
        """A second connection that reads the segments while this one writes the merged one (it sees
        the database as it was when the merge started, which is what is merged)."""
        path = self.db.execute("PRAGMA database_list").fetchone()[2]
        reader = sqlite3.connect(path, timeout=30)
        reader.execute("PRAGMA cache_size=-65536")
        return reader

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
                                year=column(9, np.int32), n=(n[0], n[1]), avg=(avg[0], avg[1]),
                                segments=self.segment_ids())
            return self._state

    def _lookup(self, columns: str) -> str:
        segs = ",".join(str(int(seg)) for seg in self.state().segments) or "0"
        return f"SELECT {columns} FROM segments WHERE seg IN ({segs}) AND term = ? ORDER BY seg"  # noqa: S608

    def df(self, level: int, terms: Iterable[str]) -> dict[str, int]:
        """How many rows of ``level`` contain each term (deleted rows included until the next merge)."""
        out: dict[str, int] = {}
        for term in terms:
            total = 0
            for (blob,) in self.db.execute(self._lookup("ids"), (_PREFIX[level] + term,)):
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
            rows = self.db.execute(self._lookup("ids, tfs"), (_PREFIX[level] + term,)).fetchall()
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

