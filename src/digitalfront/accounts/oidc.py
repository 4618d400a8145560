"""The platform as its own OpenID Connect provider, on django-oauth-toolkit (see docs/accounts.md).

What this module adds to the toolkit:
- the policy: only the authorization code flow (PKCE S256, enforced by the ``COMPLIANT_BCP_RFC9700_*``
  settings and again here), refresh tokens, and client credentials for machines; applications of any
  other grant type are refused at run time even if one was stored;
- the claims: ``name``, ``preferred_username``, ``account_kind`` (scope ``profile``), ``units`` and
  ``roles`` (scope ``units``);
- the issuer is the site root (``https://host``), so discovery lives at ``/.well-known/openid-configuration``;
- ID tokens are checked against every published key (active and inactive), chosen by ``kid``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from jwcrypto import jwk, jws
from ninja.security import HttpBearer
from oauth2_provider import views as dot_views
from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem
from oauth2_provider.views import ConnectDiscoveryInfoView

from digitalfront.accounts.selectors import unit_claims

# Grant types an application may be registered with, and what each allows at the token endpoint.
APPLICATION_GRANT_TYPES = {
    AbstractApplication.GRANT_AUTHORIZATION_CODE: {"authorization_code", "refresh_token"},
    AbstractApplication.GRANT_CLIENT_CREDENTIALS: {"client_credentials"},
}
APPLICATION_ALGORITHMS = {AbstractApplication.NO_ALGORITHM, AbstractApplication.RS256_ALGORITHM}
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"


class _HostRequest(HttpRequest):
    """Enough of a Django request to build an absolute URL from an oauthlib request's headers."""

    def __init__(self, headers: Any, secure: bool) -> None:
        super().__init__()
        self.META = dict(headers)
        self._secure = secure

    def _get_scheme(self) -> str:
        return "https" if self._secure else "http"


def issuer(request: Any) -> str:
    """The issuer: ``DIGITALFRONT_OIDC_ISSUER`` if set, otherwise the site root the request came to."""
    if oauth2_settings.OIDC_ISS_ENDPOINT:
        return str(oauth2_settings.OIDC_ISS_ENDPOINT)
    if not isinstance(request, HttpRequest):
        headers = request.headers
        request = _HostRequest(headers, bool(headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE", False)))
    return request.build_absolute_uri(reverse("openid-configuration")).removesuffix(DISCOVERY_SUFFIX)


def published_keys() -> dict[str, jwk.JWK]:
    """The keys in the JWKS by ``kid``: the active one first, then those replaced by rotations."""
    pems = [str(oauth2_settings.OIDC_RSA_PRIVATE_KEY), *oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE]
    # the toolkit's jwk_from_pem caches by PEM text: parsing an RSA key costs tens of milliseconds
    keys = [jwk_from_pem(str(pem)) for pem in pems if pem]
    return {key.thumbprint(): key for key in keys}


class Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "account_kind": "profile",
        "units": "units",
        "roles": "units",
        "citizen_id": "citizen",
    }

    def get_additional_claims(self) -> dict[str, Any]:  # type: ignore[override]
        """Claims as functions of the request: the toolkit then lists them in discovery too."""
        return {
            "name": lambda r: r.user.get_full_name(),
            "preferred_username": lambda r: r.user.get_username(),
            "account_kind": lambda r: r.user.kind,
            "units": lambda r: unit_claims(r.user)[0],
            "roles": lambda r: unit_claims(r.user)[1],
            "citizen_id": lambda r: r.user.citizen_id or "",
        }

    def get_oidc_issuer_endpoint(self, request: Any) -> str:
        return issuer(request)

    def validate_response_type(self, client_id: str, response_type: str, client: Any, request: Any,
                               *args: Any, **kwargs: Any) -> bool:
        # Only "code": no implicit, no hybrid, whatever the application was registered with.
        return bool(
            response_type == "code"
            and client.authorization_grant_type == AbstractApplication.GRANT_AUTHORIZATION_CODE
        )

    def validate_grant_type(self, client_id: str, grant_type: str, client: Any, request: Any,
                            *args: Any, **kwargs: Any) -> bool:
        if grant_type not in APPLICATION_GRANT_TYPES.get(request.client.authorization_grant_type, set()):
            return False
        return bool(super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs))

    def validate_code_challenge_method(self, method: str | None) -> bool:
        return method == "S256"

    def _create_authorization_code(self, request: Any, code: Any, expires: Any = None) -> Any:
        if not self.validate_code_challenge_method(request.code_challenge_method):
            from oauthlib.oauth2.rfc6749 import errors

            raise errors.InvalidRequestError(
                description='Only the "S256" code_challenge_method is accepted.', request=request
            )
        return super()._create_authorization_code(request, code, expires)

    def save_bearer_token(self, token: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Store the tokens, and audit the issue (who, which client, which grant; never the token)."""
        from django.db import transaction

        from digitalfront.accounts import services

        with transaction.atomic():
            result = super().save_bearer_token(token, request, *args, **kwargs)
            services.record_token_event(
                action="token_issued", user=request.user, client_id=request.client.client_id,
                request=_HostRequest(request.headers, bool(request.headers.get("X_DJANGO_OAUTH_TOOLKIT_SECURE"))),
                grant_type=request.grant_type, scope=token.get("scope", ""),
            )
        return result

    def revoke_token(self, token: str, token_type_hint: str | None, request: Any, *args: Any, **kwargs: Any) -> None:
        from django.db import transaction
        from oauth2_provider.models import get_access_token_model, get_refresh_token_model

        from digitalfront.accounts import services

        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        client = getattr(request.client, "pk", None)
        owner = None
        for model in (get_access_token_model(), get_refresh_token_model()):
            found = model.objects.filter(token_checksum=checksum, application_id=client).select_related("user").first()
            if found is not None:
                owner = found.user
                break
        with transaction.atomic():
            super().revoke_token(token, token_type_hint, request, *args, **kwargs)
            if owner is not None:
                services.record_token_event(
                    action="token_revoked", user=owner, client_id=request.client.client_id,
                    request=_HostRequest(request.headers, False), token_type_hint=token_type_hint or "",
                )

    def _get_key_for_token(self, token: str) -> jwk.JWK | None:
        """The published key named by the token's ``kid`` (tokens signed before a rotation still verify)."""
        unverified = jws.JWS()
        unverified.deserialize(token)
        claims = json.loads(unverified.objects["payload"].decode("utf-8"))
        if "aud" not in claims or self._get_client_by_audience(claims["aud"]) is None:
            return None
        header = unverified.jose_header
        kid = header.get("kid") if isinstance(header, dict) else None
        return published_keys().get(kid) if kid else None


class OpenIDConfigurationView(ConnectDiscoveryInfoView):
    """Discovery, at the site root (and under ``/o/``), advertising exactly what the provider accepts."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = json.loads(super().get(request, *args, **kwargs).content)
        data.update(
            issuer=issuer(request),
            response_types_supported=["code"],
            response_modes_supported=["query"],
            grant_types_supported=["authorization_code", "refresh_token", "client_credentials"],
            code_challenge_methods_supported=["S256"],
            id_token_signing_alg_values_supported=["RS256"],
            scopes_supported=sorted(oauth2_settings.SCOPES),
        )
        data["claims_supported"] = sorted(data.get("claims_supported", []))
        response = JsonResponse(data)
        response["Access-Control-Allow-Origin"] = "*"
        return response


# The scope an access token needs to call the platform's API on the person's behalf.
API_SCOPE = "api"


class BearerAuth(HttpBearer):
    """API authentication by an access token of this provider (``Authorization: Bearer ...``).

    The token must be valid, carry the ``api`` scope and belong to an active person; what that person
    may see is then decided by their roles as for a signed-in session. Machine tokens (client
    credentials, no person) are not accepted here.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[API_SCOPE])
        user = getattr(oauth_request, "user", None) if valid else None
        if user is None or not user.is_active:
            return None
        request.user = user
        return user


class RPInitiatedLogoutView(dot_views.RPInitiatedLogoutView):
    """RP-initiated logout, audited (``logout`` with ``via: oidc`` and the client)."""

    def do_logout(self, application: Any = None, post_logout_redirect_uri: Any = None, state: Any = None,
                  token_user: Any = None) -> Any:
        from digitalfront.accounts import services

        user = token_user or self.request.user
        services.record_logout(user=user, request=self.request, via="oidc",
                               client_id=getattr(application, "client_id", ""))
        return super().do_logout(application=application, post_logout_redirect_uri=post_logout_redirect_uri,
                                 state=state, token_user=token_user)
