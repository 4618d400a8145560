"""The health of the background work, for superusers (``core.health``); included at ``/he-thong/``."""

from django.urls import path

from digitalfront.core import health

app_name = "system"

urlpatterns: list = [
    path("suc-khoe/", health.health_page, name="health"),
    path("suc-khoe.json", health.health_json, name="health_json"),
]
