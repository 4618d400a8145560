"""Public pages of the library (``/thu-vien/...``)."""

from django.urls import path

from . import views_public as views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("goi-y/", views.suggest, name="suggest"),
    path("nhom/<slug:slug>/", views.group, name="group"),
    path("van-ban/<slug:slug>/", views.document, name="document"),
]
