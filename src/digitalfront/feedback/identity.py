"""The sender's identity, sealed at rest.

Name, phone, e-mail and address of whoever sent a case are encrypted together (Fernet: AES-128-CBC with
HMAC-SHA256) with the keys of ``DIGITALFRONT_IDENTITY_KEYS``: a comma-separated list of Fernet keys, the
first encrypts, all decrypt, so keys rotate by putting a new one first and running
``digitalfront feedback rotate-keys``. Without the setting (the embedded default) a key is derived from
``SECRET_KEY``; production sets its own (see docs/feedback.md).

For a denunciation the identity leaves this module only through ``services.reveal_identity`` (a named
role, a written reason, an audit event). Nothing here logs.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from digitalfront.core import crypto


@dataclass(frozen=True)
class Identity:
    """Who sent a case. Every field may be empty (anonymous feedback has none)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.phone or self.email or self.address)


def _derived_key(purpose: str) -> bytes:
    return _derive(purpose, settings.SECRET_KEY)


@lru_cache(maxsize=16)
def _derive(purpose: str, secret: str) -> bytes:
    digest = hashlib.sha256(f"digitalfront:{purpose}:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...], fallback: bytes) -> tuple[Fernet, MultiFernet]:
    ring = [Fernet(key.encode()) for key in keys] or [Fernet(fallback)]
    return ring[0], MultiFernet(ring)


def _keys() -> tuple[Fernet, MultiFernet]:
    raw = getattr(settings, "DIGITALFRONT_IDENTITY_KEYS", "") or ""
    keys = tuple(k.strip() for k in (raw.split(",") if isinstance(raw, str) else raw) if k.strip())
    return _fernets(keys, _derived_key("identity"))


def cipher() -> MultiFernet:
    """The current key ring (cached per set of keys, so a settings change in tests takes effect)."""
    return _keys()[1]


def _encrypt(data: bytes) -> str:
    """A token of ``data`` under the first key of the ring (``core.crypto``: no pause for the GIL)."""
    return crypto.fernet_encrypt(_keys()[0], data).decode()


def seal(identity: Identity) -> str:
    """The encrypted form of ``identity`` (empty string for an empty identity)."""
    if identity.empty:
        return ""
    fields = {"name": identity.name, "phone": identity.phone, "email": identity.email, "address": identity.address}
    return _encrypt(json.dumps(fields, ensure_ascii=False).encode())


def unseal(sealed: str) -> Identity:
    """Decrypt a sealed identity; an unreadable one (lost key) gives an empty identity, never an error page."""
    if not sealed:
        return Identity()
    try:
        data = json.loads(cipher().decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return Identity()
    return Identity(**{k: str(v) for k, v in data.items() if k in Identity.__dataclass_fields__})


def seal_text(text: str) -> str:
    """Encrypt a short secret (the private link's token) with the same key ring."""
    return _encrypt(text.encode()) if text else ""


def unseal_text(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return cipher().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def rotate(sealed: str) -> str:
    """Re-encrypt ``sealed`` with the first key of the ring."""
    return cipher().rotate(sealed.encode()).decode() if sealed else ""


def normalise_phone(phone: str) -> str:
    """Digits only, with the Vietnamese country code turned into a leading 0: ``+84 912…`` -> ``0912…``."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def keyed_hash(purpose: str, value: str) -> str:
    """A keyed hash of ``value`` (contacts, devices, reporters): comparable, not reversible."""
    if not value:
        return ""
    return crypto.hmac_sha256(_derived_key(purpose), value.encode()).hex()


def contact_hash(identity: Identity) -> str:
    """The hash that links the cases of one phone number or e-mail address (history, bans)."""
    key = normalise_phone(identity.phone) or identity.email.strip().lower()
    return keyed_hash("contact", key)
