from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from oauth2_provider.admin import ApplicationAdmin as BaseApplicationAdmin
from oauth2_provider.forms import ApplicationForm as BaseApplicationForm
from oauth2_provider.models import Application

from digitalfront.accounts import services, staff
from digitalfront.accounts.models import LoginAttempt, SigningKey, UnitRole, User
from digitalfront.accounts.oidc import APPLICATION_ALGORITHMS, APPLICATION_GRANT_TYPES


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
    actions = ["disable_accounts"]

    @admin.action(description="Vô hiệu hóa tài khoản (kết thúc mọi phiên, thu hồi token)", permissions=["change"])
    def disable_accounts(self, request: Any, queryset: Any) -> None:
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(request, "Không thể tự vô hiệu hóa tài khoản của chính mình.", messages.ERROR)
                continue
            services.disable_account(actor=request.user, user=user, reason="Vô hiệu hóa từ trang quản trị",
                                     request=request)
            done += 1
        if done:
            self.message_user(request, f"Đã vô hiệu hóa {done} tài khoản.", messages.SUCCESS)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk == request.user.pk and "is_active" in form.base_fields:
            # an administrator cannot disable themself (as with the action)
            form.base_fields["is_active"].disabled = True
        return form

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Unticking "active" disables the account for real: sessions ended, tokens revoked, audited."""
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active and obj.pk != request.user.pk:
            services.disable_account(actor=request.user, user=obj, request=request,
                                     reason="Bỏ chọn “Đang hoạt động” trong trang quản trị")

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Role changes in the inline are audited like those of the staff pages (``role_added`` /
        ``role_removed``, ``source`` ``admin``); a changed row is a removal and an addition. The admin's
        change view runs in one transaction, so the events and the roles agree."""
        if formset.model is not UnitRole:
            super().save_formset(request, form, formset, change)
            return
        user = form.instance
        before = _role_set(user)
        super().save_formset(request, form, formset, change)
        after = _role_set(user)
        for unit, role in sorted(before.keys() - after.keys()):
            staff.record_role_change(actor=request.user, action="role_removed", user=user, unit=before[(unit, role)],
                                     role=role, request=request, source="admin")
        for unit, role in sorted(after.keys() - before.keys()):
            staff.record_role_change(actor=request.user, action="role_added", user=user, unit=after[(unit, role)],
                                     role=role, request=request, source="admin")


def _role_set(user: User) -> dict[tuple[int, str], Any]:
    if user.pk is None:
        return {}
    return {(r.unit_id, r.role): r.unit for r in UnitRole.objects.filter(user=user).select_related("unit")}


class ApplicationForm(BaseApplicationForm):
    """Clients of the OpenID Connect provider: only the flows the provider accepts can be chosen."""

    def clean_authorization_grant_type(self) -> str:
        value = self.cleaned_data["authorization_grant_type"]
        if value not in APPLICATION_GRANT_TYPES:
            raise forms.ValidationError(
                "Chỉ cho phép luồng mã cấp quyền (authorization code) hoặc thông tin xác thực máy (client credentials)."
            )
        return value

    def clean_algorithm(self) -> str:
        value = self.cleaned_data["algorithm"]
        if value not in APPLICATION_ALGORITHMS:
            raise forms.ValidationError("ID token chỉ được ký bằng RS256 (khóa của nền tảng).")
        return value


class ApplicationAdmin(BaseApplicationAdmin):
    form = ApplicationForm

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "skip_authorization" and field is not None:
            field.help_text = (
                "Chỉ bật cho các phân hệ của chính nền tảng Mặt trận số. "
                "Ứng dụng bên ngoài luôn phải hỏi người dùng đồng ý."
            )
        return field


admin.site.unregister(Application)
admin.site.register(Application, ApplicationAdmin)


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    """Read only: keys are made on first use and by ``digitalfront rotate-oidc-key``."""

    list_display = ("kid", "active", "created_at")
    fields = ("kid", "active", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """Read only: attempts are written by the login page (``services.record_login_*``) for lockouts."""

    list_display = ("at", "username", "ip", "ok")
    list_filter = ("ok",)
    search_fields = ("username", "ip")
    date_hierarchy = "at"
    ordering = ("-at",)
    fields = ("username", "ip", "at", "ok")
    readonly_fields = fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
