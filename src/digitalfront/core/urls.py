"""Pages of the core app: the audit log."""

from django.urls import path  # noqa: F401

app_name = "core"

urlpatterns: list = []
