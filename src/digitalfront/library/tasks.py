"""Background work of the library: the semantic vectors of imported documents (the slow part)."""

from __future__ import annotations

from django.tasks import task

from . import indexing


@task(queue_name="ai")
def embed_documents(document_ids: list[int] | None = None) -> int:
    """Compute the missing vectors of these documents (all when ``None``); idempotent."""
    return indexing.embed_missing(document_ids=document_ids)


@task()
def index_documents(document_ids: list[int]) -> int:
    """Re-index documents whose indexing after commit failed."""
    return indexing.index_documents(document_ids)
