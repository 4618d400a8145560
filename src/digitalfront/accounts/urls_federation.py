"""Signing in through VNeID (``accounts.federation``)."""

from django.urls import path

from digitalfront.accounts.views import federation

urlpatterns = [
    path("", federation.start, name="vneid_start"),
    path("callback/", federation.callback, name="vneid_callback"),
]
