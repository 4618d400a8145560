"""Signing in through an outside OpenID Connect provider: VNeID, the national electronic identity.

The provider is whatever the settings name (``DIGITALFRONT_VNEID_ISSUER``, ``..._CLIENT_ID``,
``..._CLIENT_SECRET``; see docs/accounts.md): the real VNeID in production, a stand-in in tests (a
second instance of this platform). The client is Authlib's (authorization code, PKCE S256, the ID
token's signature, issuer, audience, expiry and nonce checked against the provider's discovery and JWKS).

Who the person is, in this order:
1. an account already linked to the provider's ``sub`` (:class:`FederatedIdentity`);
2. otherwise the account with the same personal identification number (the citizen-ID claim,
   ``DIGITALFRONT_VNEID_CITIZEN_ID_CLAIM``, 12 digits), which is then linked;
3. otherwise a new citizen account, linked, with the name from the provider and no password.

Accounts with two-factor still pass it after VNeID (``accounts.views.federation``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from digitalfront.accounts import services
from digitalfront.accounts.models import AccountKind, FederatedIdentity, User
from digitalfront.core.errors import PermissionDenied, ValidationFailed

CITIZEN_ID = re.compile(r"[0-9]{12}")
NAME_MAX = 150


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    scope: str
    citizen_id_claim: str
    label: str


def provider() -> Provider | None:
    """The configured provider, or ``None`` when federation is off (no issuer or client id)."""
    issuer = settings.DIGITALFRONT_VNEID_ISSUER
    client_id = settings.DIGITALFRONT_VNEID_CLIENT_ID
    if not issuer or not client_id:
        return None
    return Provider(
        issuer=issuer.rstrip("/"), client_id=client_id, client_secret=settings.DIGITALFRONT_VNEID_CLIENT_SECRET,
        scope=settings.DIGITALFRONT_VNEID_SCOPE, citizen_id_claim=settings.DIGITALFRONT_VNEID_CITIZEN_ID_CLAIM,
        label=settings.DIGITALFRONT_VNEID_LABEL,
    )


@dataclass(frozen=True)
class Outcome:
    user: User
    created: bool
    linked: bool


def _username_for(citizen_id: str) -> str:
    return f"vneid-{citizen_id}"


@transaction.atomic
def sign_in(*, issuer: str, claims: dict[str, Any], citizen_id_claim: str, request: Any = None) -> Outcome:
    """The local account for verified ``claims`` of ``issuer`` (found, linked or created); audited
    ``federated_login`` (and ``account_registered`` when created)."""
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255:
        raise ValidationFailed("Nhà cung cấp định danh không trả về mã người dùng hợp lệ.")
    citizen_id = str(claims.get(citizen_id_claim) or "").strip()
    if not CITIZEN_ID.fullmatch(citizen_id):
        raise ValidationFailed("Nhà cung cấp định danh không trả về số định danh cá nhân (12 chữ số) hợp lệ.")
    name = str(claims.get("name") or "").strip()[:NAME_MAX]
    now = timezone.now()

    identity = FederatedIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    created = linked = False
    if identity is not None:
        user = identity.user
        if user.citizen_id and user.citizen_id != citizen_id:
            raise PermissionDenied("Số định danh cá nhân không khớp với tài khoản đã liên kết.")
    else:
        found = User.objects.filter(citizen_id=citizen_id).first()
        if found is None:
            try:
                with transaction.atomic():
                    found = User.objects.create_user(
                        username=_username_for(citizen_id), full_name=name, citizen_id=citizen_id,
                        kind=AccountKind.CITIZEN,
                    )
            except IntegrityError:
                # the same person signing in twice at once: the other request made the account
                found = User.objects.get(citizen_id=citizen_id)
            else:
                created = True
        user = found
        identity = FederatedIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        linked = True
    if not user.is_active:
        raise PermissionDenied("Tài khoản này đã bị vô hiệu hóa. Vui lòng liên hệ Mặt trận nơi bạn sinh sống.")
    if not user.citizen_id:
        user.citizen_id = citizen_id
        user.save(update_fields=["citizen_id"])
    identity.last_login_at = now
    identity.save(update_fields=["last_login_at"])
    if created:
        services.record_event(actor=user, action="account_registered", user=user, request=request, via="vneid")
    services.record_event(actor=user, action="federated_login", user=user, request=request, issuer=issuer,
                    linked=linked, created=created)
    return Outcome(user=user, created=created, linked=linked)
