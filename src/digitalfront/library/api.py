"""The community digital library over HTTP: ``/api/v1/library/...``.

Reading is public (published documents only): search with facets, suggestions, groups, the list of
documents and one document with its articles and clauses. Managing needs an account: a document is
created in a unit the user may edit (national documents: superusers), and every change loads the document
through ``access`` (scoped; "missing" and "not yours" are the same 404). Writes go through the
services, which split the text before writing anything: a file that cannot be read changes nothing.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema, Status

from digitalfront.core.bodies import UnsupportedBody, body_doc, json_or_form
from digitalfront.core.errors import NotFound

from . import access
from .models import Attachment, Document, Group, Kind, Passage, SectionKind
from .models import Status as DocStatus
from .schemas import (
    TAG_MANAGE,
    TAG_READ,
    DocumentDetailOut,
    DocumentIn,
    DocumentPageOut,
    DocumentPatchIn,
    GroupOut,
    SearchOut,
    VersionIn,
)
from .search import engine
from .search.base import Filters
from .services import documents, files
from .services.documents import DocumentMeta, LibraryError
from .services.imports import SERVICES_GROUP, kind_of

router = Router()

PER_PAGE = 20


# --- turning documents into answers -------------------------------------------------------------------


def document_out(doc: Document) -> dict[str, Any]:
    return {
        "slug": doc.slug, "title": doc.title, "group": doc.group.slug, "group_name": doc.group.name,
        "kind": doc.kind, "kind_label": doc.get_kind_display(), "number": doc.number,
        "issuing_body": doc.issuing_body, "issued_on": doc.issued_on, "effective_on": doc.effective_on,
        "status": doc.status, "status_label": doc.get_status_display(), "repealed": doc.status == DocStatus.REPEALED,
        "scope": doc.scope_label, "owner": doc.owner.name if doc.owner is not None else None, "summary": doc.summary,
        "published": doc.published, "version": doc.version, "updated_at": doc.updated_at,
    }


def document_detail(doc: Document) -> dict[str, Any]:
    """The document with its structure, versions and attachments, in five queries whatever its size."""
    sections = list(doc.sections.all())
    by_id = {s.pk: s for s in sections}
    clauses: dict[int, list[dict[str, str]]] = {}
    parts: list[dict[str, str]] = []
    for p in Passage.objects.filter(document=doc).defer("vector").order_by("position"):
        if p.article_id is None:
            parts.append({"heading": p.heading, "text": p.text})
        elif p.clause:
            items = clauses.setdefault(p.article_id, [])
            if items and items[-1]["number"] == p.clause:  # a long clause is stored in pieces
                items[-1]["text"] += "\n" + p.text
            else:
                items.append({"number": p.clause, "text": p.text})
    articles = []
    for s in sections:
        if s.kind != SectionKind.ARTICLE:
            continue
        divisions: list[str] = []
        parent = by_id.get(s.parent_id) if s.parent_id else None
        while parent is not None:
            divisions.insert(0, parent.label)
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        articles.append({"number": s.number, "heading": s.heading, "label": s.label, "anchor": s.anchor,
                         "divisions": divisions, "text": s.text, "clauses": clauses.get(s.pk, [])})
    versions = [
        {"number": v.number, "created_at": v.created_at, "source_name": v.source_name, "note": v.note,
         "characters": v.characters}
        for v in doc.versions.defer("text").annotate(characters=Length("text"))
    ]
    attachments = [
        {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size,
         "url": reverse("api:library_attachment", kwargs={"slug": doc.slug, "attachment_id": a.pk})}
        for a in doc.attachments.all()
    ]
    return {**document_out(doc), "source": doc.source, "articles": articles, "parts": parts,
            "versions": versions, "attachments": attachments}


def _readable(request: HttpRequest, slug: str) -> Document:
    """A published document, or one the signed-in user may edit; otherwise 404."""
    doc = Document.objects.select_related("group", "owner", "scope").filter(slug=str(slug)[:120]).first()
    if doc is None or not (doc.published or access.editable_documents(request.user).filter(pk=doc.pk).exists()):
        raise NotFound("Không tìm thấy tài liệu.")
    return doc


# --- reading ------------------------------------------------------------------------------------------


@router.get("/library/search", auth=None, response=SearchOut, tags=[TAG_READ], summary="Tìm trong thư viện")
def search(
    request: HttpRequest,
    q: str = "",
    group: str = Query("", max_length=60),
    kind: str = Query("", max_length=20),
    status: str = Query("", max_length=20),
    issuing_body: str = Query("", max_length=200),
    year: int | None = Query(None, ge=1800, le=2200),
    page: int = Query(1, ge=1, le=1000),
    per_page: int = Query(10, ge=1, le=50),
) -> dict[str, Any]:
    """Các điều luật, đoạn hướng dẫn khớp nhất với câu hỏi, có trích dẫn và đoạn trích; văn bản hết hiệu lực
    được đánh dấu ``repealed``."""
    filters = Filters(group=group or None, kind=kind or None, status=status or None,
                      issuing_body=issuing_body or None, year=year)
    result = engine.search(q, filters=filters, page=page, per_page=per_page)
    hits = []
    for hit in result.hits:
        doc, article = hit.document, hit.article
        hits.append({
            "citation": hit.citation,
            "document": {"slug": doc.slug, "title": doc.title, "kind": doc.kind, "status": doc.status,
                         "status_label": doc.get_status_display(), "repealed": hit.repealed, "group": doc.group.slug},
            "article": ({"number": article.number, "label": article.label, "anchor": article.anchor}
                        if article is not None else None),
            "clause": hit.passage.clause, "heading": hit.passage.heading, "snippet": str(hit.snippet),
            "score": round(hit.score, 4),
        })
    facets = {name: [{"value": v, "label": str(label), "count": n} for v, label, n in items]
              for name, items in result.facets.items()}
    return {"query": result.query, "total": result.total, "page": result.page, "pages": result.pages,
            "per_page": result.per_page, "semantic": result.semantic, "took_ms": round(result.took_ms, 1),
            "hits": hits, "facets": facets}


class SuggestOut(Schema):
    suggestions: list[str]


@router.get("/library/suggest", auth=None, response=SuggestOut, tags=[TAG_READ], summary="Gợi ý khi gõ")
def suggest(request: HttpRequest, q: str = Query("", max_length=100)) -> dict[str, Any]:
    return {"suggestions": engine.suggest(q)}


@router.get("/library/groups", auth=None, response=list[GroupOut], tags=[TAG_READ], summary="Nhóm tài liệu")
def groups(request: HttpRequest) -> list[dict[str, Any]]:
    rows = Group.objects.annotate(published=Count("documents", filter=Q(documents__published=True)))
    return [{"slug": g.slug, "name": g.name, "description": g.description, "documents": g.published} for g in rows]


def _choice(value: str, choices: Any, message: str, field: str) -> str:
    if value and value not in choices.values:
        raise LibraryError(f"{message}: {value}.", field=field)
    return value


@router.get("/library/documents", auth=None, response=DocumentPageOut, tags=[TAG_READ],
            summary="Danh sách tài liệu công khai")
def document_list(
    request: HttpRequest,
    group: str = Query("", max_length=60),
    kind: str = Query("", max_length=20),
    status: str = Query("", max_length=20),
    page: int = Query(1, ge=1, le=100_000),
) -> dict[str, Any]:
    qs = Document.objects.published().select_related("group", "owner", "scope")
    if group:
        if not Group.objects.filter(slug=group).exists():
            raise LibraryError(f"Không có nhóm tài liệu mã {group}.", field="group")
        qs = qs.filter(group__slug=group)
    if _choice(kind, Kind, "Loại văn bản không hợp lệ", "kind"):
        qs = qs.filter(kind=kind)
    if _choice(status, DocStatus, "Tình trạng hiệu lực không hợp lệ", "status"):
        qs = qs.filter(status=status)
    count = qs.count()
    start = (page - 1) * PER_PAGE
    items = [document_out(d) for d in qs.order_by("group__position", "title", "pk")[start:start + PER_PAGE]]
    return {"items": items, "count": count, "page": page, "pages": max(1, math.ceil(count / PER_PAGE)),
            "per_page": PER_PAGE}


@router.get("/library/documents/{slug}", auth=None, response=DocumentDetailOut, tags=[TAG_READ],
            summary="Một tài liệu: các điều, khoản, phiên bản, tệp")
def document_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    return document_detail(_readable(request, slug))


@router.get("/library/documents/{slug}/attachments/{attachment_id}", auth=None, tags=[TAG_READ],
            url_name="library_attachment", summary="Tải tệp đính kèm")
def attachment_get(request: HttpRequest, slug: str, attachment_id: int) -> FileResponse:
    doc = _readable(request, slug)
    attachment = Attachment.objects.filter(document=doc, pk=attachment_id).first()
    if attachment is None:
        raise NotFound("Không tìm thấy tệp đính kèm.")
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


# --- managing -----------------------------------------------------------------------------------------


def _body_doc(schema: type[Schema], *, with_file: bool = True) -> dict[str, Any]:
    """OpenAPI for a body sent as JSON or as multipart/form-data with a ``file`` (the text goes as the file)."""
    return body_doc(schema, file_field="file" if with_file else None, leave_out=("text",))


def parse_body[SchemaT: Schema](request: HttpRequest, schema: type[SchemaT]) -> tuple[SchemaT, UploadedFile | None]:
    """The body as ``schema``, from JSON or from a multipart form (with its ``file``), and the file."""
    return json_or_form(request, schema, file_field="file", file_label="tệp", one_file="Mỗi lần chỉ gửi một tệp.")


def meta_for(payload: DocumentIn | DocumentPatchIn, base: DocumentMeta) -> DocumentMeta:
    """``base`` with the fields that ``payload`` carries."""
    sent = payload.model_fields_set
    for name in ("title", "kind", "status", "published"):
        value = getattr(payload, name, None)
        if name in sent and value is not None:
            setattr(base, name, value)
    for name in ("number", "issuing_body", "summary", "source"):
        if name in sent:
            setattr(base, name, getattr(payload, name) or "")
    for name in ("issued_on", "effective_on"):
        if name in sent:
            setattr(base, name, getattr(payload, name))
    if "scope" in sent:
        base.scope_id = access.scope_unit_id(payload.scope)
    return base


def _default_kind(title: str, group: Group) -> str:
    kind = kind_of(title)
    return Kind.GUIDE if kind == Kind.OTHER and group.slug == SERVICES_GROUP else kind


@router.post("/library/documents", response={201: DocumentDetailOut}, tags=[TAG_MANAGE],
             summary="Thêm tài liệu (tệp PDF, DOCX, HTML, TXT hoặc toàn văn)", openapi_extra=_body_doc(DocumentIn))
def document_create(request: HttpRequest) -> Status[dict[str, Any]]:
    """Đơn vị quản lý (``owner``) phải là đơn vị bạn có quyền nhập liệu; tài liệu toàn quốc: quản trị viên."""
    payload, upload = parse_body(request, DocumentIn)
    owner = access.owner_for(request.user, payload.owner)
    group = Group.objects.filter(slug=payload.group).first()
    if group is None:
        raise LibraryError(f"Không có nhóm tài liệu mã {payload.group}.", field="group")
    if upload is not None and payload.text:
        raise LibraryError("Hãy gửi tệp hoặc toàn văn, không gửi cả hai.", field="text")
    if upload is None:
        if not payload.text.strip():
            raise LibraryError("Hãy gửi tệp tài liệu (PDF, DOCX, HTML, TXT) hoặc toàn văn.", field="file")
        meta = meta_for(payload, DocumentMeta(title=payload.title, kind=_default_kind(payload.title, group)))
        doc = documents.create_document(actor=request.user, group=group, meta=meta, text=payload.text, owner=owner)
    else:
        name, data, read = access.read_file(upload)
        title = payload.title.strip() or (read.title or Path(name).stem)[:300]
        meta = meta_for(payload, DocumentMeta(title=title, kind=_default_kind(title, group)))
        meta.title = title
        doc = files.add_file_document(group=group, title=meta.title, name=name, data=data, read=read,
                                      actor=request.user, owner=owner, meta=meta)
    return Status(201, document_detail(access.editable_document(request.user, doc.slug)))


@router.post("/library/documents/{slug}/versions", response={201: DocumentDetailOut}, tags=[TAG_MANAGE],
             summary="Thêm phiên bản mới (tệp hoặc toàn văn)", openapi_extra=_body_doc(VersionIn))
def version_create(request: HttpRequest, slug: str) -> Status[dict[str, Any]]:
    """Văn bản mới thay cho văn bản hiện hành (các phiên bản cũ vẫn được lưu)."""
    doc = access.editable_document(request.user, slug)
    payload, upload = parse_body(request, VersionIn)
    if upload is not None and payload.text:
        raise LibraryError("Hãy gửi tệp hoặc toàn văn, không gửi cả hai.", field="text")
    if upload is None:
        if not payload.text.strip():
            raise LibraryError("Hãy gửi tệp hoặc toàn văn của phiên bản mới.", field="file")
        documents.add_version(actor=request.user, document=doc, text=payload.text, note=payload.note)
    else:
        name, data, read = access.read_file(upload)
        with transaction.atomic():
            documents.add_version(actor=request.user, document=doc, text=read.text, source_name=name,
                                  note=payload.note)
            files.attach(document=doc, name=name, data=data, fmt=read.format)
    return Status(201, document_detail(access.editable_document(request.user, doc.slug)))


@router.patch("/library/documents/{slug}", response=DocumentDetailOut, tags=[TAG_MANAGE],
              summary="Sửa thông tin tài liệu (tình trạng hiệu lực...)",
              openapi_extra=_body_doc(DocumentPatchIn, with_file=False))
def document_update(request: HttpRequest, slug: str) -> dict[str, Any]:
    doc = access.editable_document(request.user, slug)
    if request.content_type == "multipart/form-data":
        raise UnsupportedBody("Hãy gửi JSON (application/json).", code="unsupported_media_type")
    payload, _ = parse_body(request, DocumentPatchIn)
    base = DocumentMeta(title=doc.title, kind=doc.kind, number=doc.number, issuing_body=doc.issuing_body,
                        issued_on=doc.issued_on, effective_on=doc.effective_on, status=doc.status,
                        scope_id=doc.scope_id, summary=doc.summary, source=doc.source, published=doc.published)
    documents.update_meta(actor=request.user, document=doc, meta=meta_for(payload, base))
    return document_detail(access.editable_document(request.user, slug))


@router.delete("/library/documents/{slug}", response={204: None}, tags=[TAG_MANAGE], summary="Xóa tài liệu")
def document_delete(request: HttpRequest, slug: str) -> Status[None]:
    doc = access.editable_document(request.user, slug)
    documents.delete_document(actor=request.user, document=doc)
    return Status(204, None)
