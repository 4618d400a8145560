"""Writing the library: documents, their versions and their structure, in one transaction each.

The text of a new version is split before anything is written (a legal text into articles and
clauses, any other text into headed sections), so a text that cannot be read or split changes nothing.
The search index follows the database after commit (:mod:`digitalfront.library.indexing`).
"""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from digitalfront.core import audit
from digitalfront.core.errors import DomainError
from digitalfront.core.text import fold

from ..ingest.structure import Article, looks_legal, split_guide, split_legal
from ..models import Document, Group, Kind, Passage, Section, SectionKind, Status, Version

MAX_PASSAGE_CHARS = 1500
logger = logging.getLogger(__name__)


class LibraryError(DomainError):
    status = 400


@dataclass
class DocumentMeta:
    """The metadata of a document, validated by :func:`validate_meta`."""

    title: str
    kind: str = Kind.OTHER
    number: str = ""
    issuing_body: str = ""
    issued_on: datetime.date | None = None
    effective_on: datetime.date | None = None
    status: str = Status.IN_FORCE
    scope_id: int | None = None
    summary: str = ""
    source: str = ""
    published: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def validate_meta(meta: DocumentMeta) -> None:
    title = (meta.title or "").strip()
    if not title:
        raise LibraryError("Tài liệu cần có tên.", field="title")
    if len(title) > 300:
        raise LibraryError("Tên tài liệu dài quá 300 ký tự.", field="title")
    if meta.kind not in Kind.values:
        raise LibraryError(f"Loại văn bản không hợp lệ: {meta.kind}.", field="kind")
    if meta.status not in Status.values:
        raise LibraryError(f"Tình trạng hiệu lực không hợp lệ: {meta.status}.", field="status")
    if meta.issued_on and meta.effective_on and meta.effective_on < meta.issued_on:
        raise LibraryError("Ngày có hiệu lực không thể trước ngày ban hành.", field="effective_on")


def _unique_slug(title: str) -> str:
    base = slugify(fold(title))[:100] or "tai-lieu"
    slug, n = base, 1
    while Document.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@dataclass
class Structure:
    """Sections and passages to write for one version (unsaved, without their document)."""

    sections: list[tuple[Section, int | None]]  # (section, index of its parent in this list)
    passages: list[tuple[Passage, int | None]]  # (passage, index of its article in ``sections``)


def _chunks(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """Paragraph-aligned pieces of at most about ``limit`` characters."""
    out: list[str] = []
    current = ""
    for para in [p.strip() for p in re.split(r"\n+", text) if p.strip()]:
        if current and len(current) + len(para) + 1 > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{para}" if current else para
    if current:
        out.append(current)
    return out or ([text.strip()] if text.strip() else [])


def article_passages(article: Article, label: str) -> list[tuple[str, str]]:
    """(clause number, text) of the passages of one article: its clauses, or its paragraphs."""
    if article.clauses:
        out = []
        # the words before clause 1 ("các từ ngữ dưới đây được hiểu như sau:") are a passage of their own
        first = re.search(rf"(?m)^\s*{re.escape(article.clauses[0].number)}\.", article.text)
        intro = article.text[:first.start()].strip() if first else ""
        if intro:
            out += [("", piece) for piece in _chunks(intro)]
        return out + [(c.number, piece) for c in article.clauses for piece in _chunks(c.text)]
    return [("", piece) for piece in _chunks(article.text)]


def build_structure(text: str, *, articles: Sequence[Article] | None = None) -> Structure:
    """Split ``text`` (or take already split ``articles``) into sections and passages."""
    sections: list[tuple[Section, int | None]] = []
    passages: list[tuple[Passage, int | None]] = []
    if articles is None and looks_legal(text):
        articles = split_legal(text).articles
    if articles:
        divisions: dict[str, int] = {}
        for article in articles:
            parent: int | None = None
            for kind, label in ((SectionKind.CHAPTER, article.chapter), (SectionKind.SECTION, article.section)):
                if label:
                    key = f"{kind}:{label}"
                    if key not in divisions:
                        number, _, heading = label.partition(":")
                        number = re.sub(r"^(Chương|Mục|Phần)\s*", "", number.strip(), flags=re.IGNORECASE)
                        sections.append((Section(kind=kind, number=number[:20], heading=heading.strip()[:500],
                                                 position=len(sections)), parent))
                        divisions[key] = len(sections) - 1
                    parent = divisions[key]
            sec = Section(kind=SectionKind.ARTICLE, number=article.number[:20], heading=article.heading[:500],
                          text=article.text, position=len(sections))
            sections.append((sec, parent))
            index = len(sections) - 1
            for clause, piece in article_passages(article, sec.label):
                passages.append((Passage(clause=clause[:10], heading=sec.label[:500], text=piece,
                                         position=len(passages)), index))
        return Structure(sections, passages)
    for part in split_guide(text):
        passages.append((Passage(heading=part.heading[:500], text=part.text, position=len(passages)), None))
    if not passages:
        raise LibraryError("Văn bản không có nội dung để đưa vào thư viện.", field="text")
    return Structure(sections, passages)


def _write_structure(document: Document, structure: Structure) -> None:
    Passage.objects.filter(document=document).delete()
    Section.objects.filter(document=document).delete()
    saved: list[Section] = []
    for section, parent in structure.sections:
        section.heading = unicodedata.normalize("NFC", section.heading)
        section.text = unicodedata.normalize("NFC", section.text)
        section.document = document
        section.parent = saved[parent] if parent is not None else None
        section.save()
        saved.append(section)
    rows = []
    for passage, article in structure.passages:
        passage.document = document
        passage.heading = unicodedata.normalize("NFC", passage.heading)
        passage.text = unicodedata.normalize("NFC", passage.text)
        passage.article = saved[article] if article is not None else None
        rows.append(passage)
    Passage.objects.bulk_create(rows, batch_size=500)


def _after_commit(document_ids: list[int]) -> None:
    transaction.on_commit(lambda: reindex_or_retry(document_ids))


def reindex_or_retry(document_ids: list[int]) -> None:
    """Index after commit; if the index cannot be written now (locked, disk full), the saved documents
    stay saved and the worker tries again (``library.tasks.index_documents``)."""
    from .. import indexing, tasks

    try:
        indexing.index_documents(document_ids)
    except Exception:
        logger.exception("library: indexing documents %s failed; queued for the worker", document_ids)
        tasks.index_documents.enqueue(document_ids=document_ids)


def create_document(*, actor: Any, group: Group, meta: DocumentMeta, text: str, owner: Any = None,
                    source_name: str = "", articles: Sequence[Article] | None = None,
                    structure: Structure | None = None) -> Document:
    """A new document with its first version, split and indexed."""
    validate_meta(meta)
    structure = structure or build_structure(text, articles=articles)
    with transaction.atomic():
        document = Document.objects.create(
            group=group, owner=owner, title=meta.title.strip(), slug=_unique_slug(meta.title), kind=meta.kind,
            number=meta.number.strip(), issuing_body=meta.issuing_body.strip(), issued_on=meta.issued_on,
            effective_on=meta.effective_on, status=meta.status, scope_id=meta.scope_id, summary=meta.summary,
            source=meta.source[:300], published=meta.published, version=1,
        )
        Version.objects.create(document=document, number=1, text=unicodedata.normalize("NFC", text),
                               source_name=source_name[:255],
                               created_by=actor if getattr(actor, "is_authenticated", False) else None)
        _write_structure(document, structure)
        audit.record(actor=actor, action="library.document.create", obj=document,
                     unit_path=owner.path if owner is not None else "", title=document.title,
                     group=group.slug)
        _after_commit([document.pk])
    return document


def add_version(*, actor: Any, document: Document, text: str, source_name: str = "", note: str = "") -> Version:
    """A new text for ``document``: the structure and the index follow it; older texts are kept."""
    structure = build_structure(text)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        version = Version.objects.create(document=locked, number=locked.version,
                                         text=unicodedata.normalize("NFC", text),
                                         source_name=source_name[:255], note=note[:300],
                                         created_by=actor if getattr(actor, "is_authenticated", False) else None)
        _write_structure(locked, structure)
        audit.record(actor=actor, action="library.document.version", obj=locked,
                     unit_path=locked.owner.path if locked.owner is not None else "", version=locked.version)
        _after_commit([locked.pk])
    document.version = locked.version
    return version


def update_meta(*, actor: Any, document: Document, meta: DocumentMeta) -> Document:
    """Change a document's metadata (status: in force, amended, repealed...)."""
    validate_meta(meta)
    with transaction.atomic():
        # two editors at once: the second waits and writes over a fresh row
        document = Document.objects.select_for_update().get(pk=document.pk)
        before = {"status": document.status, "title": document.title}
        for name in ("kind", "number", "issuing_body", "issued_on", "effective_on", "status", "summary",
                     "source", "published"):
            setattr(document, name, getattr(meta, name))
        document.title = meta.title.strip()
        document.scope_id = meta.scope_id
        document.save()
        audit.record(actor=actor, action="library.document.update", obj=document,
                     unit_path=document.owner.path if document.owner is not None else "", before=before,
                     status=document.status)
        _after_commit([document.pk])
    return document


def delete_document(*, actor: Any, document: Document) -> None:
    from .. import indexing

    with transaction.atomic():
        pk = document.pk
        audit.record(actor=actor, action="library.document.delete", obj=document,
                     unit_path=document.owner.path if document.owner is not None else "", title=document.title)
        document.delete()
        transaction.on_commit(lambda: indexing.get_backend().remove_documents([pk]))
