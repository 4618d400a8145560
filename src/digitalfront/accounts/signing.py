"""The keys that sign ID tokens.

Production gives the key in ``DIGITALFRONT_OIDC_PRIVATE_KEY`` (PEM); it is passed to
django-oauth-toolkit as is. Without it (the embedded default), an RSA key is generated on first use and
kept in the database (:class:`~digitalfront.accounts.models.SigningKey`), so that every web process signs
with the same key and discovery and JWKS work right after ``migrate``. ``rotate-oidc-key`` makes a new
active key; the old ones stay published in the JWKS as inactive.

``settings.OAUTH2_PROVIDER`` holds lazy values over :func:`active_private_key` and
:func:`inactive_private_keys`: they are read on every use, so a rotation done by one process is seen
by all of them at once.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from jwcrypto import jwk

from digitalfront.accounts.models import SigningKey
from digitalfront.core import audit

KEY_SIZE = 2048


def generate_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


def key_id(pem: str) -> str:
    """The ``kid`` that django-oauth-toolkit puts in token headers: the key's RFC 7638 thumbprint."""
    return jwk.JWK.from_pem(pem.encode("utf-8")).thumbprint()


def _new_key() -> SigningKey:
    pem = generate_private_key_pem()
    return SigningKey.objects.create(kid=key_id(pem), private_pem=pem, active=True)


def active_private_key() -> str:
    """The PEM of the active key, generated and stored on first use."""
    pem = SigningKey.objects.filter(active=True).values_list("private_pem", flat=True).first()
    if pem is not None:
        return pem
    try:
        with transaction.atomic():
            return _new_key().private_pem
    except IntegrityError:  # another process stored one first: use theirs
        return SigningKey.objects.filter(active=True).values_list("private_pem", flat=True).get()


def inactive_private_keys() -> list[str]:
    """PEMs of the keys replaced by a rotation, newest first: still published for verification."""
    return list(SigningKey.objects.filter(active=False).values_list("private_pem", flat=True))


def rotate(*, actor: Any = None) -> SigningKey:
    """Make a new active key; the previous one becomes inactive (and stays in the JWKS)."""
    with transaction.atomic():
        old = list(SigningKey.objects.select_for_update().filter(active=True).values_list("kid", flat=True))
        SigningKey.objects.filter(active=True).update(active=False)
        key = _new_key()
        audit.record(actor=actor, action="oidc.rotate_key", obj=key, kid=key.kid, replaced=old)
        return key
