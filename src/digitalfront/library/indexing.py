"""Keeping the search index and the semantic vectors in step with the database.

The database is the truth; the index is rebuilt from it at any time (``digitalfront library reindex``).
Services index a document after their transaction commits. Vectors (the bundled e5 model) are computed
per article (or per passage for texts without articles) and stored on the passages; computing them is the
slow part of an import (a few articles per second on two cores), cached by text in
``DATA_DIR/cache/embeddings.sqlite3`` so that a re-import is quick.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.cache import cache as django_cache

from .models import Document, Passage
from .search.base import Backend, IndexRow, ProgressFn

VECTOR_GENERATION_KEY = "library:vectors:generation"
EMBED_CHARS = 1200  # the model reads 512 tokens; the start of an article carries its subject


@cache
def _backend(name: str, location: str) -> Backend:
    if name == "postgres":
        from .search.postgres import PostgresBackend

        return PostgresBackend()
    if name != "embedded":
        raise ValueError(f"DIGITALFRONT_SEARCH_BACKEND không hợp lệ: {name!r} (embedded hoặc postgres)")
    from django.db import connection

    from .search.embedded import EmbeddedBackend

    # which database the index belongs to: its engine and name (the file of a SQLite database)
    return EmbeddedBackend(Path(location), database=f"{connection.vendor}:{connection.settings_dict['NAME']}")


def get_backend() -> Backend:
    """The configured backend (``DIGITALFRONT_SEARCH_BACKEND``: ``embedded`` or ``postgres``)."""
    return _backend(settings.LIBRARY_SEARCH_BACKEND, str(settings.LIBRARY_SEARCH_PATH))


def reset_backend() -> None:
    """Forget the cached backend and vectors (tests that change the settings)."""
    _backend.cache_clear()
    _vectors.clear()
    _checked.clear()


def rows(document_ids: Sequence[int] | None = None) -> Iterator[IndexRow]:
    """The index rows of these documents' passages (all documents when ``None``)."""
    qs = Passage.objects.select_related("document", "document__group").order_by("pk")
    if document_ids is not None:
        qs = qs.filter(document_id__in=list(document_ids))
    article_ids: set[int] = set()
    for p in qs.select_related("article").iterator(chunk_size=2000):
        d = p.document
        year = d.issued_on.year if d.issued_on else None
        yield IndexRow(passage_id=p.pk, document_id=d.pk, article_id=p.article_id, heading=p.heading,
                       body=p.text, title=d.title, group=d.group.slug, kind=d.kind, status=d.status,
                       issuing_body=d.issuing_body, year=year)
        if p.article_id and p.article_id not in article_ids:
            # the whole article, once (its first passage stands for it in results)
            article_ids.add(p.article_id)
            article = p.article
            assert article is not None
            yield IndexRow(passage_id=p.pk, document_id=d.pk, article_id=p.article_id, heading=p.heading,
                           body=article.text, title=d.title, group=d.group.slug, kind=d.kind, status=d.status,
                           issuing_body=d.issuing_body, year=year, level="article")


def index_documents(document_ids: Sequence[int], *, progress: ProgressFn | None = None) -> int:
    backend = get_backend()
    backend.remove_documents(document_ids)
    total = Passage.objects.filter(document_id__in=list(document_ids)).count()
    return backend.add(rows(document_ids), progress=progress, total=total)  # type: ignore[call-arg]


def rebuild(*, progress: ProgressFn | None = None) -> int:
    backend = get_backend()
    backend.clear()
    return backend.add(rows(), progress=progress, total=Passage.objects.count())  # type: ignore[call-arg]


# -- semantic vectors

def _unit_key(p: Passage) -> tuple[str, int]:
    return ("a", p.article_id) if p.article_id else ("p", p.pk)


def embed_text(p: Passage) -> str:
    """What the model reads for an article (or a passage without article)."""
    if p.article_id:
        article = p.article
        assert article is not None
        return f"{article.label}\n{article.text}"[:EMBED_CHARS]
    return f"{p.heading}\n{p.text}"[:EMBED_CHARS]


def embed_missing(*, document_ids: Sequence[int] | None = None, progress: ProgressFn | None = None) -> int:
    """Compute the vectors that are missing; returns how many articles or passages were embedded."""
    from digitalfront.ai import embeddings

    qs = Passage.objects.filter(vector__isnull=True).select_related("article").order_by("pk")
    if document_ids is not None:
        qs = qs.filter(document_id__in=list(document_ids))
    units: dict[tuple[str, int], list[int]] = {}
    texts: dict[tuple[str, int], str] = {}
    for p in qs.iterator(chunk_size=2000):
        key = _unit_key(p)
        units.setdefault(key, []).append(p.pk)
        if key not in texts:
            texts[key] = embed_text(p)
    keys = list(units)
    cache_file = embeddings.default_cache()
    step = 64
    for start in range(0, len(keys), step):
        chunk = keys[start:start + step]
        vecs = embeddings.embed([texts[k] for k in chunk], prefix="passage", cache=cache_file)
        for key, vec in zip(chunk, vecs, strict=True):
            Passage.objects.filter(pk__in=units[key]).update(vector=np.asarray(vec, dtype=np.float32).tobytes())
        if progress is not None:
            progress("Tính véc-tơ ngữ nghĩa", min(start + step, len(keys)), len(keys))
    if keys:
        bump_vectors()
    return len(keys)


def bump_vectors() -> None:
    """Tell every process that the vectors changed (they reload them within five seconds)."""
    django_cache.set(VECTOR_GENERATION_KEY, uuid.uuid4().hex, None)
    _checked.clear()


class VectorStore:
    """All unit vectors in one matrix, for the semantic signal of a query."""

    def __init__(self) -> None:
        index: dict[tuple[str, int], int] = {}
        vectors: list[bytes] = []
        for pk, article_id, blob in Passage.objects.filter(vector__isnull=False).values_list(
                "pk", "article_id", "vector").order_by("pk").iterator(chunk_size=5000):
            key = ("a", article_id) if article_id else ("p", pk)
            if key not in index:
                index[key] = len(vectors)
                vectors.append(bytes(blob or b""))
        self.index = index
        self.matrix = (np.frombuffer(b"".join(vectors), dtype=np.float32).reshape(len(vectors), -1)
                       if vectors else np.zeros((0, 384), dtype=np.float32))


_vectors_lock = threading.Lock()
_vectors: dict[str, tuple[str, VectorStore]] = {}
_checked: dict[str, float] = {}


def vector_store() -> VectorStore:
    """The vectors, reloaded when another process changed them (checked at most every 5 seconds)."""
    now = time.monotonic()
    with _vectors_lock:
        current = _vectors.get("store")
        if current is not None and now - _checked.get("at", -1e9) < 5.0:
            return current[1]
    generation = django_cache.get(VECTOR_GENERATION_KEY, "")
    _checked["at"] = now
    with _vectors_lock:
        current = _vectors.get("store")
        if current is None or current[0] != generation:
            current = (generation, VectorStore())
            _vectors["store"] = current
        return current[1]


def published_ids(document_ids: Sequence[int]) -> set[int]:
    return set(Document.objects.filter(pk__in=list(document_ids), published=True).values_list("pk", flat=True))
