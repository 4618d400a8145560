"""The assistant in Django's admin, read-only: knowledge is written through its pages and API (each change
a version, audited, the knowledge index told), and conversations belong to the staff who held them. The
admin is for looking things up."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Conversation, Knowledge, KnowledgeVersion, Message


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(_ReadOnly, admin.TabularInline):
    model = KnowledgeVersion
    extra = 0
    fields = readonly_fields = ("number", "title", "note", "created_by", "created_at")


@admin.register(Knowledge)
class KnowledgeAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("title", "kind", "unit", "active", "version", "updated_by", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("title", "question", "body")
    readonly_fields = ("kind", "unit", "title", "question", "body", "active", "version", "created_by", "updated_by",
                       "created_at", "updated_at")
    inlines = [VersionInline]


class MessageInline(_ReadOnly, admin.StackedInline):
    model = Message
    extra = 0
    fields = readonly_fields = ("question", "answer", "outcome", "mode", "citations", "notes", "took_ms", "rating",
                                "rating_comment", "created_at")


@admin.register(Conversation)
class ConversationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("title", "user", "updated_at")
    search_fields = ("title", "user__username")
    readonly_fields = ("user", "title", "created_at", "updated_at")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("question", "outcome", "mode", "rating", "unit", "created_at")
    list_filter = ("outcome", "mode", "rating")
    search_fields = ("question",)
    readonly_fields = ("conversation", "unit", "question", "answer", "outcome", "mode", "citations", "sources", "notes",
                       "took_ms", "rating", "rating_comment", "rated_at", "curated", "reviewed_at", "reviewed_by",
                       "created_at", "answered_at")
