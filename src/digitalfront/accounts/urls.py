"""The OpenID Connect provider's endpoints, mounted at ``/o/`` under the toolkit's namespace.

Only what the provider offers is routed: no application management pages (administrators register
clients in the admin), no device flow, no dynamic client registration. Discovery is also served at the
site root (``digitalfront.urls``), which is where the issuer points.
"""

from django.urls import path
from oauth2_provider import views as dot

from digitalfront.accounts.oidc import OpenIDConfigurationView, RPInitiatedLogoutView

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", dot.AuthorizationView.as_view(), name="authorize"),
    path("token/", dot.TokenView.as_view(), name="token"),
    path("revoke_token/", dot.RevokeTokenView.as_view(), name="revoke-token"),
    path("userinfo/", dot.UserInfoView.as_view(), name="user-info"),
    path("logout/", RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
    path(".well-known/jwks.json", dot.JwksInfoView.as_view(), name="jwks-info"),
    path(".well-known/openid-configuration", OpenIDConfigurationView.as_view(), name="oidc-connect-discovery-info"),
]
