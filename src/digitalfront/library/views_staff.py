"""The library's staff pages (``/thu-vien/quan-ly/``): the documents a user may edit, uploading a file
with its metadata, a document's page (metadata and status, a new version, deletion).

Every document is loaded through ``access`` (scoped: "missing" and "not yours" are the same 404
page), every write goes through the services, and a refused input shows the form again with the same
Vietnamese message as the API and its status (400, 413; 422 for a field the form itself cannot read).
Groups and the synonym list are in ``views_staff_lists``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digitalfront.core.errors import DomainError, NotFound
from digitalfront.core.views import domain_error_page

from . import access
from .forms import MetaForm, UploadForm, VersionForm
from .models import Group, Kind, Status
from .services import documents, files
from .services.imports import SERVICES_GROUP, kind_of

PAGE_SIZE = 25


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; 404 for accounts that manage no documents, and for documents out of scope."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        back = reverse("library_staff:documents")
        if not access.may_manage(request.user):
            return domain_error_page(request, NotFound(access.NO_LIBRARY_ROLE))
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return domain_error_page(request, exc, back_url=back, back_label="Về danh sách tài liệu")

    return login_required(wrapper)


def refuse(form: forms.Form, exc: DomainError) -> int:
    """Show a service's refusal on the form (on its field when the form has it); the HTTP status."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc.status


def _base(tab: str = "documents", **context: Any) -> dict[str, Any]:
    return {"nav": "library", "tab": tab, **context}


@require_GET
@staff_page
def document_list(request: HttpRequest) -> HttpResponse:
    """The documents the user may edit, newest change first, by group and title words."""
    qs = access.editable_documents(request.user).select_related("group", "owner")
    group = request.GET.get("nhom", "")[:60]
    query = " ".join(request.GET.get("q", "").split())[:100]
    if group:
        qs = qs.filter(group__slug=group)
    if query:
        qs = qs.filter(title__icontains=query)
    page = Paginator(qs.order_by("-updated_at", "pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return render(request, "library/staff/documents.html", _base(
        page=page, groups=Group.objects.all(), selected_group=group, query=query, page_query=params.urlencode(),
        national=access.is_national_manager(request.user)))


def _default_kind(title: str, group: Group | None) -> str:
    kind = kind_of(title)
    return Kind.GUIDE if kind == Kind.OTHER and group is not None and group.slug == SERVICES_GROUP else kind


@require_http_methods(["GET", "POST"])
@staff_page
def document_upload(request: HttpRequest) -> HttpResponse:
    """A new document from a file, with its metadata, into a group, managed by one of the user's units."""
    user = request.user
    owners = access.owner_units(user)
    national = access.is_national_manager(user)
    form = UploadForm(request.POST or None, request.FILES or None, owners=owners, national=national,
                      initial={"group": request.GET.get("nhom", SERVICES_GROUP)})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                document = _create(request, form)
            except NotFound:
                raise
            except DomainError as exc:
                status = refuse(form, exc)
            else:
                messages.success(request, f"Đã thêm tài liệu “{document.title}”.")
                return redirect("library_staff:document", slug=document.slug)
    return render(request, "library/staff/upload.html", _base("upload", form=form), status=status)


def _create(request: HttpRequest, form: UploadForm) -> Any:
    data = form.cleaned_data
    owner = access.owner_for(request.user, data["owner"])
    group = Group.objects.filter(slug=data["group"][:60]).first()
    if group is None:
        raise documents.LibraryError(f"Không có nhóm tài liệu mã {data['group'][:60]}.", field="group")
    name, content, read = access.read_file(data["file"])
    title = (data["title"] or "").strip() or (read.title or Path(name).stem)[:300]
    meta = form.meta(title=title, kind=_default_kind(title, group))
    return files.add_file_document(group=group, title=meta.title, name=name, data=content, read=read,
                                   actor=request.user, owner=owner, meta=meta)


def _document_page(request: HttpRequest, document: Any, *, meta_form: MetaForm | None = None,
                   version_form: VersionForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "library/staff/document.html", _base(
        document=document,
        meta_form=meta_form or MetaForm(initial=MetaForm.initial_for(document), prefix="meta"),
        version_form=version_form or VersionForm(prefix="version"),
        versions=document.versions.defer("text").select_related("created_by"),
        attachments=document.attachments.all(),
        statuses=Status.choices,
    ), status=status)


@require_http_methods(["GET", "POST"])
@staff_page
def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A document's page; a POST changes its metadata (the status: amended, repealed ...)."""
    document = access.editable_document(request.user, slug)
    if request.method != "POST":
        return _document_page(request, document)
    form = MetaForm(request.POST, prefix="meta")
    status = 422
    if form.is_valid():
        try:
            documents.update_meta(actor=request.user, document=document,
                                  meta=form.meta(title=document.title, kind=document.kind, scope_id=document.scope_id))
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin tài liệu.")
            return redirect("library_staff:document", slug=document.slug)
    document.refresh_from_db()
    return _document_page(request, document, meta_form=form, status=status)


@require_POST
@staff_page
def version_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A new text (a file, or the text pasted); the older texts are kept."""
    document = access.editable_document(request.user, slug)
    form = VersionForm(request.POST, request.FILES, prefix="version")
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"] is not None and data["text"].strip():
                raise documents.LibraryError("Hãy gửi tệp hoặc toàn văn, không gửi cả hai.", field="text")
            if data["file"] is not None:
                name, content, read = access.read_file(data["file"])
                with transaction.atomic():
                    documents.add_version(actor=request.user, document=document, text=read.text, source_name=name,
                                          note=data["note"])
                    files.attach(document=document, name=name, data=content, fmt=read.format)
            elif data["text"].strip():
                documents.add_version(actor=request.user, document=document, text=data["text"], note=data["note"])
            else:
                raise documents.LibraryError("Hãy gửi tệp hoặc toàn văn của phiên bản mới.", field="file")
        except DomainError as exc:
            status = refuse(form, exc)
        else:
            messages.success(request, f"Đã thêm phiên bản {document.version}.")
            return redirect("library_staff:document", slug=document.slug)
    return _document_page(request, document, version_form=form, status=status)


@require_POST
@staff_page
def document_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a document (with its versions and files), after the confirmation on its page."""
    document = access.editable_document(request.user, slug)
    if request.POST.get("confirm") != "1":
        messages.error(request, "Hãy đánh dấu ô xác nhận trước khi xóa tài liệu.")
        return redirect("library_staff:document", slug=document.slug)
    title = document.title
    documents.delete_document(actor=request.user, document=document)
    messages.success(request, f"Đã xóa tài liệu “{title}”.")
    return redirect("library_staff:documents")
