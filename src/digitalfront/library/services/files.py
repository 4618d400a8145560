"""Importing files (PDF, DOCX, HTML, plain text) as documents: every file of a batch is read and
split before anything is written, so a batch with one unreadable file imports nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from ..ingest.readers import ReadResult, read_document
from ..models import Attachment, Document, Group
from .documents import DocumentMeta, LibraryError, build_structure, create_document
from .imports import kind_of

ProgressFn = Callable[[str, int, int], None]
CONTENT_TYPES = {"pdf": "application/pdf", "html": "text/html", "txt": "text/plain",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def read_upload(name: str, data: bytes) -> ReadResult:
    """Read one uploaded file (IngestError with a Vietnamese message when it cannot be used)."""
    return read_document(name, data)


def import_files(paths: Sequence[Path], *, group_slug: str, actor: Any = None, owner: Any = None,
                 progress: ProgressFn | None = None) -> list[Document]:
    group = Group.objects.filter(slug=group_slug).first()
    if group is None:
        raise LibraryError(f"Không có nhóm tài liệu mã {group_slug}.", field="group")
    prepared = []
    for i, path in enumerate(paths, start=1):
        if not path.is_file():
            raise LibraryError(f"Không tìm thấy tệp {path}.")
        data = path.read_bytes()
        read = read_document(path.name, data)
        prepared.append((path.name, data, read, build_structure(read.text)))
        if progress is not None:
            progress("Đọc tệp", i, len(paths))
    documents = []
    with transaction.atomic():
        for i, (name, data, read, structure) in enumerate(prepared, start=1):
            title = (read.title or Path(name).stem).strip()[:300]
            documents.append(add_file_document(group=group, title=title, name=name, data=data, read=read,
                                               structure=structure, actor=actor, owner=owner))
            if progress is not None:
                progress("Ghi văn bản", i, len(prepared))
    return documents


def add_file_document(*, group: Group, title: str, name: str, data: bytes, read: ReadResult, actor: Any,
                      owner: Any, meta: DocumentMeta | None = None, structure: Any = None) -> Document:
    meta = meta or DocumentMeta(title=title, kind=kind_of(title))
    with transaction.atomic():
        document = create_document(actor=actor, group=group, meta=meta, text=read.text, owner=owner,
                                   source_name=name, structure=structure or build_structure(read.text))
        attach(document=document, name=name, data=data, fmt=read.format)
    return document


def attach(*, document: Document, name: str, data: bytes, fmt: str) -> Attachment:
    attachment = Attachment(document=document, name=Path(name).name[:255],
                            content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"), size=len(data),
                            sha256=hashlib.sha256(data).hexdigest())
    attachment.file.save(Path(name).name, ContentFile(data), save=False)
    attachment.save()
    return attachment
