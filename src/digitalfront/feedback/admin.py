"""The Django admin for the feedback module's reference data. Cases are handled in the staff pages
(``/xu-ly/``), which apply scoping and redaction; the admin shows them read-only and without identity."""

from django.contrib import admin

from . import clocks
from .models import AnswerTemplate, ApiKey, Case, SenderBan, ServiceLevel, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name", "active")
    list_display_links = ("code",)
    list_editable = ("order", "active")
    search_fields = ("code", "name", "keywords")


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ("unit", "accept_days", "answer_days")
    autocomplete_fields = ("unit",)
    search_fields = ("unit__name",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        clocks.clear_cache()


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "unit")
    search_fields = ("title", "body")
    autocomplete_fields = ("unit",)


@admin.register(SenderBan)
class SenderBanAdmin(admin.ModelAdmin):
    list_display = ("label", "reason", "created_by", "created_at", "active")
    list_filter = ("active",)
    readonly_fields = ("key_hash", "label", "created_by", "created_at")

    def has_add_permission(self, request):  # bans are made from a case (the key is the sender's hash)
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "active", "created_at", "last_used_at")
    list_filter = ("active",)
    readonly_fields = ("prefix", "key_hash", "created_by", "created_at", "last_used_at")

    def has_add_permission(self, request):  # keys are issued by `digitalfront feedback api-key create`
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "status", "unit", "received_at", "due_at")
    list_filter = ("kind", "status", "escalated", "hidden")
    search_fields = ("code",)
    fields = ("code", "kind", "status", "channel", "unit", "received_at", "due_at", "escalated", "hidden",
              "published")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
