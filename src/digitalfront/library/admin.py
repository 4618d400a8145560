"""The library in Django's admin, for the platform's administrators.

Texts, versions and files are read-only here: a new text must be split into articles and indexed, which
only the services do (``/thu-vien/quan-ly/`` or the API). Metadata changes and deletions go through the
same services (audited, the search index follows).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from .models import Attachment, Document, Group, Synonym, Version
from .search import engine
from .services import documents
from .services.documents import DocumentMeta, LibraryError, validate_meta

META_FIELDS = ("title", "kind", "number", "issuing_body", "issued_on", "effective_on", "status", "summary", "source",
               "published")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(_ReadOnlyInline):
    model = Version
    fields = readonly_fields = ("number", "source_name", "note", "created_at", "created_by")


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = readonly_fields = ("name", "content_type", "size", "sha256", "created_at")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "builtin"]
    search_fields = ["name", "slug"]
    readonly_fields = ["builtin"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # the index files passages under the group's code: an existing group keeps it
        return ["slug", "builtin"] if obj is not None else ["builtin"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or not obj.builtin)


class DocumentAdminForm(forms.ModelForm):
    """The services' checks (and Vietnamese messages) on the metadata."""

    class Meta:
        model = Document
        fields = [*META_FIELDS, "owner", "scope"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            validate_meta(_meta(self.instance, data))
        except LibraryError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data


def _meta(document: Document, data: dict[str, Any] | None = None) -> DocumentMeta:
    values = {name: getattr(document, name) for name in META_FIELDS}
    values.update({name: data[name] for name in META_FIELDS if data and name in data})
    scope = (data or {}).get("scope", document.scope)
    return DocumentMeta(**values, scope_id=scope.pk if scope is not None else None)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Metadata through ``services.documents`` (audited, re-indexed); texts only through the staff pages."""

    form = DocumentAdminForm
    list_display = ["title", "group", "kind", "status", "owner", "published", "version", "updated_at"]
    list_filter = ["group", "kind", "status", "published"]
    search_fields = ["title", "number", "slug"]
    list_select_related = ["group", "owner"]
    raw_id_fields = ["owner", "scope"]
    readonly_fields = ["group", "slug", "version", "created_at", "updated_at"]
    inlines = [VersionInline, AttachmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a document needs its text split and indexed: the staff pages or the API

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stored = Document.objects.get(pk=obj.pk)  # the audit event records the values before the change
        stored.owner_id = obj.owner_id
        documents.update_meta(actor=request.user, document=stored, meta=_meta(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        documents.delete_document(actor=request.user, document=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for document in queryset:
            documents.delete_document(actor=request.user, document=document)


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansions", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["term", "expansions"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        engine.forget_synonyms()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        engine.forget_synonyms()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        engine.forget_synonyms()
