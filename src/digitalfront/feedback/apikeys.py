"""Open311 API keys: issue, check and revoke the keys that let outside clients POST service requests.

Only a key's SHA-256 is stored (``ApiKey.key_hash``) with its first characters (``prefix``) so operators
can tell keys apart; the key itself is shown once, when it is made. A plain hash is enough here, unlike
for passwords: a key has about 238 random bits, so nobody can guess it back from its hash.
Issuing and revoking are audited; checking is not (it runs on every request).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import string
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from digitalfront.core import audit
from digitalfront.core.errors import NotFound, ValidationFailed

from .models import ApiKey

# letters and digits only: a key (or its prefix) never starts with "-", which a shell command would
# read as an option, and never needs quoting in a URL or a form
KEY_ALPHABET = string.ascii_letters + string.digits
KEY_LENGTH = 40
PREFIX_LENGTH = 8
NAME_MAX = 120
# last_used_at is written back at most this often: one write per request would be one write per case
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedKey:
    """A key just made: ``key`` is the secret, to be shown once and never again."""

    api_key: ApiKey
    key: str


def key_hash(key: str) -> str:
    """The stored form of ``key``."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create(*, name: str, actor: Any = None) -> IssuedKey:
    """Make a key for the client application ``name`` and record who made it."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationFailed("Hãy nhập tên ứng dụng được cấp khoá.", field="name", code="required")
    if len(name) > NAME_MAX:
        raise ValidationFailed(f"Tên ứng dụng dài quá {NAME_MAX} ký tự.", field="name", code="too_long")
    key = get_random_string(KEY_LENGTH, KEY_ALPHABET)
    api_key = ApiKey.objects.create(
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action="feedback.api_key.create", obj=api_key, name=name, prefix=api_key.prefix)
    return IssuedKey(api_key=api_key, key=key)


def verify(key: Any) -> ApiKey | None:
    """The active key whose secret is ``key``, or ``None``; marks it used (at most once a minute)."""
    if not isinstance(key, str) or not key or len(key) > 200:
        return None
    api_key = ApiKey.objects.filter(key_hash=key_hash(key.strip()), active=True).first()
    if api_key is None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        # an UPDATE without reading back: concurrent requests may both write, which is harmless
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def find(prefix: str) -> ApiKey:
    """The one key (active or not) whose prefix starts with ``prefix``, or whose whole secret is ``prefix``."""
    prefix = str(prefix or "").strip()
    if not prefix:
        raise ValidationFailed("Hãy nhập tiền tố của khoá.", field="prefix", code="required")
    if len(prefix) > PREFIX_LENGTH:
        # more than a prefix: the whole key, which must match exactly
        matches = list(ApiKey.objects.filter(key_hash=key_hash(prefix)))
    else:
        # filtered again in Python: SQLite's LIKE ignores case, and keys are case-sensitive
        candidates = ApiKey.objects.filter(prefix__startswith=prefix).order_by("pk")[:50]
        matches = [candidate for candidate in candidates if candidate.prefix.startswith(prefix)]
    if not matches:
        raise NotFound("Không tìm thấy khoá API có tiền tố này.")
    if len(matches) > 1:
        raise ValidationFailed(
            "Có nhiều khoá cùng tiền tố này: hãy nhập đủ 8 ký tự đầu của khoá.", field="prefix", code="ambiguous"
        )
    return matches[0]


@transaction.atomic
def revoke(*, prefix: str, actor: Any = None) -> ApiKey:
    """Deactivate the key starting with ``prefix``; from now on it is refused (403)."""
    api_key = find(prefix)
    if not api_key.active:
        return api_key
    api_key.active = False
    api_key.save(update_fields=["active"])
    audit.record(actor=actor, action="feedback.api_key.revoke", obj=api_key, name=api_key.name, prefix=api_key.prefix)
    return api_key


def listing() -> list[ApiKey]:
    """Every key, newest first (for the ``feedback api-key list`` command and the admin)."""
    return list(ApiKey.objects.order_by("-created_at", "-pk"))
