"""A proof-of-work challenge for anonymous senders who tripped a rate limit, with no outside service.

The server signs a random salt, a difficulty and an expiry (HMAC-SHA256 with ``SECRET_KEY``); the
browser (``core/static/core/challenge.js``) searches a number ``nonce`` such that SHA-256 of
``salt + str(nonce)`` starts with ``difficulty`` zero bits (about 2**difficulty hashes, around a second on
a cheap phone at the default 18 bits) and sends the challenge back with the nonce. Checking costs one
hash. Nothing is stored when a challenge is issued; a solved salt is remembered in the cache until its
expiry so that one solution serves one submission. See docs/abuse.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils.crypto import salted_hmac

ALGORITHM = "SHA-256"
MAX_BITS = 32  # 4 billion hashes: beyond anything a phone can answer; refuse larger to bound the work
PAYLOAD_MAX_CHARS = 2000
MAX_NONCE = 2**53 - 1  # JavaScript's largest exact integer
_KEY_SALT = "digitalfront.core.challenge"
_SALT_RE = re.compile(r"[0-9a-f]{16,64}")
_NONCE_RE = re.compile(r"0|[1-9][0-9]{0,15}")


def default_bits() -> int:
    """Difficulty when none is given (``DIGITALFRONT_CHALLENGE_BITS``, default 18)."""
    return int(getattr(settings, "DIGITALFRONT_CHALLENGE_BITS", 18))


def ttl_seconds() -> int:
    """How long an issued challenge can be answered (``DIGITALFRONT_CHALLENGE_TTL``, default 600 s)."""
    return int(getattr(settings, "DIGITALFRONT_CHALLENGE_TTL", 600))


def _cache() -> BaseCache:
    # The rate limits' cache: it must be shared by all web processes for replays to be caught.
    return caches[getattr(settings, "DIGITALFRONT_RATELIMIT_CACHE", "default")]


def _signature(algorithm: str, salt: str, difficulty: int, expires: int) -> str:
    message = f"{algorithm}|{salt}|{difficulty}|{expires}"
    return salted_hmac(_KEY_SALT, message, algorithm="sha256").hexdigest()


def issue(*, difficulty_bits: int | None = None) -> dict[str, Any]:
    """A new signed challenge: ``{"algorithm", "salt", "difficulty", "expires", "signature"}``, ready for
    ``json.dumps`` and for ``{% include "core/_challenge.html" with challenge=... %}``."""
    bits = default_bits() if difficulty_bits is None else int(difficulty_bits)
    if not 0 <= bits <= MAX_BITS:
        raise ValueError(f"difficulty_bits must be between 0 and {MAX_BITS}")
    salt = secrets.token_hex(16)
    expires = int(time.time()) + ttl_seconds()
    return {
        "algorithm": ALGORITHM,
        "salt": salt,
        "difficulty": bits,
        "expires": expires,
        "signature": _signature(ALGORITHM, salt, bits, expires),
    }


def leading_zero_bits(digest: bytes) -> int:
    """How many zero bits ``digest`` starts with."""
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def meets(salt: str, nonce: int, difficulty: int) -> bool:
    """The rule a solution must meet: SHA-256(salt + decimal nonce) starts with ``difficulty`` zero bits."""
    digest = hashlib.sha256(f"{salt}{nonce}".encode("ascii")).digest()
    return leading_zero_bits(digest) >= difficulty


def solve(challenge: dict[str, Any]) -> dict[str, Any]:
    """The answer to ``challenge`` (its fields plus ``nonce``), found by trying 0, 1, 2, ... For tests and
    for non-browser clients (a mobile app can do the same); browsers use ``challenge.js``."""
    salt, difficulty = str(challenge["salt"]), int(challenge["difficulty"])
    nonce = 0
    while not meets(salt, nonce, difficulty):
        nonce += 1
    return {**challenge, "nonce": nonce}


def _int(value: Any) -> int | None:
    # bool is an int in Python, but "difficulty": true is not a number to accept
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _nonce(value: Any) -> int | None:
    if isinstance(value, str) and _NONCE_RE.fullmatch(value):
        value = int(value)
    number = _int(value)
    return number if number is not None and 0 <= number <= MAX_NONCE else None


def verify(payload: str | dict[str, Any] | None, *, now: float | None = None) -> bool:
    """True when ``payload`` (the answer as a JSON string from the form's ``challenge`` field or the API,
    or already a dict) is a challenge issued here, not expired, correctly solved and not used before.
    A True answer uses the challenge up: the same answer is refused afterwards."""
    if isinstance(payload, str):
        if not payload or len(payload) > PAYLOAD_MAX_CHARS:
            return False
        try:
            payload = json.loads(payload)
        except ValueError:
            return False
    if not isinstance(payload, dict):
        return False

    algorithm, salt, signature = payload.get("algorithm"), payload.get("salt"), payload.get("signature")
    difficulty, expires = _int(payload.get("difficulty")), _int(payload.get("expires"))
    nonce = _nonce(payload.get("nonce"))
    if (
        algorithm != ALGORITHM
        or not isinstance(salt, str)
        or not _SALT_RE.fullmatch(salt)
        or not isinstance(signature, str)
        or difficulty is None
        or not 0 <= difficulty <= MAX_BITS
        or expires is None
        or nonce is None
    ):
        return False
    if not hmac.compare_digest(signature, _signature(algorithm, salt, difficulty, expires)):
        return False
    current = time.time() if now is None else now
    if current > expires:
        return False
    if not meets(salt, nonce, difficulty):
        return False
    # Last, so that a wrong answer does not use the challenge up. ``add`` is atomic on Redis, memcached and
    # the database cache (insert), so two submissions racing with one answer cannot both pass.
    remaining = max(1, int(expires - current) + 1)
    return bool(_cache().add(f"df:challenge:{salt}", 1, remaining))
