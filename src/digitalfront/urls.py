"""URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from digitalfront.accounts.oidc import OpenIDConfigurationView
from digitalfront.accounts.views import LoginView, LogoutView
from digitalfront.core.api import api, register_routers

register_routers()

urlpatterns = [
    # one sign-in page for everybody (lockouts, audit): the admin's own login form is not served
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True), name="admin-login"),
    path("admin/logout/", LogoutView.as_view(), name="admin-logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", LogoutView.as_view(), name="logout"),
    path("o/", include("digitalfront.accounts.urls")),
    path("tai-khoan/", include("digitalfront.accounts.site_urls")),
    path("nhat-ky/", include("digitalfront.core.urls")),
    path("he-thong/", include("digitalfront.core.health_urls")),
    path("phan-anh/", include("digitalfront.feedback.urls")),
    path("phan-anh/", include("digitalfront.feedback.urls_public")),
    path("xu-ly/", include("digitalfront.feedback.urls_reports")),
    path("xu-ly/", include("digitalfront.feedback.urls_staff")),
    path("open311/v2/", include("digitalfront.feedback.urls_open311")),
    path(".well-known/openid-configuration", OpenIDConfigurationView.as_view(), name="openid-configuration"),
    path("thu-vien/quan-ly/", include("digitalfront.library.urls_staff")),
    path("thu-vien/", include("digitalfront.library.urls")),
    path("tro-ly/", include("digitalfront.assistant.urls")),
    path("dai-hoi/", include("digitalfront.congresses.urls")),
    path("", include("digitalfront.orgs.urls")),
]

handler400 = "digitalfront.core.views.bad_request"
handler403 = "digitalfront.core.views.permission_denied"
handler404 = "digitalfront.core.views.page_not_found"
handler500 = "digitalfront.core.views.server_error"
