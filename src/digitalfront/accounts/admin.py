from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from digitalfront.accounts.models import UnitRole, User


class UnitRoleInline(admin.TabularInline):
    model = UnitRole
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Digital Front", {"fields": ("full_name", "phone", "kind")}),
    )
    list_display = ("username", "full_name", "kind", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email", "phone")
    inlines = [UnitRoleInline]
