"""The account pages under ``/tai-khoan/``: each group of pages keeps its own URL list."""

from django.urls import include, path

app_name = "accounts"

urlpatterns = [
    path("", include("digitalfront.accounts.urls_twofactor")),
    path("", include("digitalfront.accounts.urls_people")),
    path("can-bo/", include("digitalfront.accounts.urls_staff")),
    path("vneid/", include("digitalfront.accounts.urls_federation")),
]
