from django.contrib import admin

from digitalfront.core import workdays
from digitalfront.core.models import AuditEvent, Holiday, ProcessHeartbeat, ScheduledJob


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action")
    readonly_fields = ("created_at", "actor", "action", "object_type", "object_id", "unit_path", "data")

    def has_add_permission(self, request):  # the log is written by services only
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The working-day calendar: days off, and weekend days made working days (Tết schedules)."""

    list_display = ("date", "name", "is_working_day")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.clear_cache()  # this process at once; the others within workdays.CACHE_SECONDS

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.clear_cache()


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Periodic jobs (registered in code); an administrator may switch one off or move its next run."""

    list_display = ("name", "enabled", "every_seconds", "last_enqueued_at", "next_run_at")
    list_editable = ("enabled",)
    readonly_fields = ("name", "every_seconds", "last_enqueued_at", "last_task_id")

    def has_add_permission(self, request):
        return False


@admin.register(ProcessHeartbeat)
class ProcessHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("kind", "hostname", "pid", "started_at", "last_seen_at", "stopped_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
