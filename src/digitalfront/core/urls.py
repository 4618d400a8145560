"""Pages of the core app: the audit log (``/nhat-ky/``)."""

from django.urls import path

from digitalfront.core import audit_views

app_name = "core"

urlpatterns: list = [
    path("", audit_views.audit_list, name="audit_list"),
    path("xuat-excel/", audit_views.audit_export, name="audit_export"),
]
