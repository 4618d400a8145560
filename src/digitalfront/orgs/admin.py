"""Django admin for administrators: units (with merge and split actions), organisations, data sets,
indicators, periods and reports. Merge and split go through the same services as everything else."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render

from digitalfront.core.errors import DomainError
from digitalfront.core.text import fold, nfc
from digitalfront.orgs.models import DataSet, Indicator, OrganisationType, Period, Report, Unit, UnitChange
from digitalfront.orgs.services import units as unit_services


class MergeForm(forms.Form):
    target_code = forms.CharField(label="Mã đơn vị tiếp nhận", max_length=32)
    effective = forms.DateField(label="Ngày hiệu lực", initial=datetime.date.today)
    decision = forms.CharField(label="Căn cứ (nghị quyết, quyết định)", max_length=200, required=False)


class SplitForm(forms.Form):
    parts = forms.CharField(
        label="Các đơn vị mới",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="Mỗi dòng: mã | tên | mã các đơn vị cấp dưới chuyển sang, cách nhau bởi dấu phẩy.",
    )
    effective = forms.DateField(label="Ngày hiệu lực", initial=datetime.date.today)
    decision = forms.CharField(label="Căn cứ (nghị quyết, quyết định)", max_length=200, required=False)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "kind", "valid_from", "valid_to", "is_generated")
    list_filter = ("level", "is_generated")
    search_fields = ("code", "name")
    readonly_fields = ("path", "depth", "parent", "successor", "valid_to")
    fields = ("code", "name", "kind", "level", "parent", "path", "depth", "is_generated", "valid_from",
              "valid_to", "successor")
    actions = ["merge_action", "split_action"]
    list_per_page = 50
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # diacritic-insensitive: "ha noi" finds "Hà Nội"
        if search_term:
            folded = fold(search_term)
            return queryset.filter(name_folded__contains=folded) | queryset.filter(code=nfc(search_term)), False
        return queryset, False

    def has_add_permission(self, request):
        return False  # units are created by load-units, split, or create_unit

    def save_model(self, request, obj, form, change):
        obj.name = nfc(obj.name)
        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)

    @admin.action(description="Sáp nhập các đơn vị đã chọn vào một đơn vị")
    def merge_action(self, request, queryset):
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            target = Unit.objects.filter(code=form.cleaned_data["target_code"].strip()).first()
            if target is None:
                self.message_user(request, "Không tìm thấy đơn vị tiếp nhận.", messages.ERROR)
                return None
            try:
                unit_services.merge_units(
                    actor=request.user, sources=[u for u in queryset if u.pk != target.pk], target=target,
                    effective=form.cleaned_data["effective"], decision=form.cleaned_data["decision"],
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return None
            self.message_user(request, f"Đã sáp nhập {queryset.count()} đơn vị vào {target.name}.")
            return None
        return render(request, "admin/orgs/unit_change_form.html", {
            "title": "Sáp nhập đơn vị", "form": form, "units": queryset, "action": "merge_action",
            "opts": self.model._meta,
        })

    @admin.action(description="Chia tách đơn vị đã chọn")
    def split_action(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Chọn đúng một đơn vị để chia tách.", messages.ERROR)
            return None
        source = queryset.get()
        form = SplitForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            parts = []
            try:
                for line in form.cleaned_data["parts"].splitlines():
                    if not line.strip():
                        continue
                    code, name, *rest = [p.strip() for p in line.split("|")]
                    codes = [c.strip() for c in (rest[0] if rest else "").split(",") if c.strip()]
                    ids = list(Unit.objects.filter(code__in=codes, parent=source).values_list("id", flat=True))
                    if len(ids) != len(codes):
                        raise DomainError(f"Dòng “{line}”: có mã đơn vị cấp dưới không thuộc {source.name}.")
                    parts.append({"code": code, "name": name, "children": ids})
                unit_services.split_unit(
                    actor=request.user, source=source, parts=parts, effective=form.cleaned_data["effective"],
                    decision=form.cleaned_data["decision"],
                )
            except ValueError:
                self.message_user(request, "Mỗi dòng phải có dạng: mã | tên | mã đơn vị cấp dưới.", messages.ERROR)
                return None
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return None
            self.message_user(request, f"Đã chia tách {source.name} thành {len(parts)} đơn vị.")
            return None
        return render(request, "admin/orgs/unit_change_form.html", {
            "title": f"Chia tách {source.name}", "form": form, "units": queryset, "action": "split_action",
            "opts": self.model._meta,
        })


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ("short_name", "code", "kind", "levels", "order", "active")
    list_editable = ("order", "active")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 1
    fields = ("code", "name", "value_type", "order", "active", "help_text")


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0
    fields = ("code", "name", "start", "end", "deadline")


@admin.register(DataSet)
class DataSetAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "periodicity", "deadline_days", "require_children_approved", "active")
    filter_horizontal = ("org_types",)
    inlines = [IndicatorInline, PeriodInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "dataset", "value_type", "order", "active")
    list_filter = ("dataset", "value_type")
    filter_horizontal = ("org_types",)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only here: reports change through the data entry pages and the workflow services only,
    so that the roll-ups stay right."""

    list_display = ("unit", "org_type", "period", "status", "members", "first_submitted_at")
    list_filter = ("status", "org_type", "period__dataset")
    list_select_related = ("unit", "org_type", "period", "period__dataset")
    raw_id_fields = ("unit",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ("kind", "effective", "decision", "created_by")
    readonly_fields = ("kind", "effective", "decision", "sources", "targets", "created_by")

    def has_add_permission(self, request):
        return False
