"""URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from digitalfront.accounts.oidc import OpenIDConfigurationView
from digitalfront.core.api import api, register_routers

register_routers()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("o/", include("digitalfront.accounts.urls")),
    path(".well-known/openid-configuration", OpenIDConfigurationView.as_view(), name="openid-configuration"),
    path("", include("digitalfront.orgs.urls")),
]

handler400 = "digitalfront.core.views.bad_request"
handler403 = "digitalfront.core.views.permission_denied"
handler404 = "digitalfront.core.views.page_not_found"
handler500 = "digitalfront.core.views.server_error"
