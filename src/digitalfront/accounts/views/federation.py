"""“Đăng nhập bằng VNeID”: the redirect to the provider and the way back (``accounts.federation``)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from authlib.integrations.django_client import OAuth, OAuthError
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from requests import RequestException

from digitalfront.accounts import federation, twofactor
from digitalfront.accounts.views import PENDING, complete_login, safe_next
from digitalfront.core.errors import DomainError

logger = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"
NEXT = "digitalfront_vneid_next"
FAILED = "Không đăng nhập được bằng VNeID. Vui lòng thử lại hoặc đăng nhập bằng tài khoản của nền tảng."
UNAVAILABLE = "Hiện không kết nối được với VNeID. Vui lòng thử lại sau."


@lru_cache(maxsize=4)
def _client(provider: federation.Provider) -> Any:
    """An Authlib client for ``provider`` (its discovery document is fetched once and cached)."""
    oauth = OAuth()
    oauth.register(
        name="vneid",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": provider.scope, "code_challenge_method": "S256", "timeout": 15},
    )
    return oauth.create_client("vneid")


def _provider() -> federation.Provider:
    provider = federation.provider()
    if provider is None:
        raise Http404("Chưa cấu hình đăng nhập bằng VNeID.")
    return provider


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    provider = _provider()
    request.session[NEXT] = safe_next(request, request.GET.get("next"), reverse("orgs:home"))
    try:
        redirect_uri = request.build_absolute_uri(reverse("accounts:vneid_callback"))
        return _client(provider).authorize_redirect(request, redirect_uri)
    except (RequestException, OAuthError, ValueError, KeyError):
        logger.exception("VNeID discovery failed")
        _client.cache_clear()
        messages.error(request, UNAVAILABLE)
        return HttpResponseRedirect(reverse("login"))


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    provider = _provider()
    client = _client(provider)
    try:
        issuer = client.load_server_metadata()["issuer"]
        # RFC 9207: an answer that names another issuer is not from our provider
        if request.GET.get("iss") and request.GET["iss"] != issuer:
            raise OAuthError(error="invalid_issuer")
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if provider.citizen_id_claim not in claims:
            claims.update(client.userinfo(token=token))
        outcome = federation.sign_in(issuer=issuer, claims=claims, citizen_id_claim=provider.citizen_id_claim,
                                     request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("login"))
    except (OAuthError, RequestException, ValueError, KeyError) as exc:
        logger.warning("VNeID sign-in refused: %s", exc)
        messages.error(request, FAILED)
        return HttpResponseRedirect(reverse("login"))
    next_url = safe_next(request, request.session.pop(NEXT, None), reverse("orgs:home"))
    user = outcome.user
    if twofactor.enabled(user):
        request.session.cycle_key()
        request.session[PENDING] = {"user": user.pk, "backend": BACKEND, "at": int(timezone.now().timestamp()),
                                    "next": next_url}
        return HttpResponseRedirect(reverse("accounts:twofactor_verify"))
    complete_login(request, user, backend=BACKEND)
    if outcome.created:
        messages.success(request, "Đã tạo tài khoản người dân từ thông tin VNeID của bạn.")
    return HttpResponseRedirect(next_url)
