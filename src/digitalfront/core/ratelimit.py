"""Rate limits kept in Django's cache, so that every web process sees the same counts when the cache is
shared (the database cache on the embedded default, Redis in production). See docs/abuse.md.

Fixed windows: the window's start is part of the cache key, so a counter is created with ``add`` (which
sets its expiry once) and then only incremented; a new window is a new key. A burst of twice the limit
across a window boundary is possible; for complaint forms and sign-in codes that is acceptable, and it
keeps one hit to one or two cache operations.

Keys are never stored raw: ``keys_for`` returns HMACs of the address, device and account, and ``hit``
hashes whatever key it is given again, so a phone number or an IP address never sits in the cache.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.redis import RedisCache

from digitalfront.accounts.requests import client_ip
from digitalfront.core import crypto

_KEY_SALT = "digitalfront.core.ratelimit"
_DIGEST_CHARS = 32  # 128 bits: no collisions in practice, short enough for memcached's 250-byte keys
DEVICE_ID_MAX = 200


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``window_s`` seconds; ``name`` separates counters (``"feedback.ip"``)."""

    name: str
    limit: int
    window_s: int


@dataclass(frozen=True)
class Decision:
    """The answer of :func:`hit`: ``count`` includes this hit; ``retry_after_s`` is 0 when allowed,
    otherwise the seconds until the window ends (for a ``Retry-After`` header)."""

    allowed: bool
    count: int
    retry_after_s: int


def _cache() -> BaseCache:
    return caches[getattr(settings, "DIGITALFRONT_RATELIMIT_CACHE", "default")]


@lru_cache(maxsize=4)
def _hmac_key(secret: str) -> bytes:
    # what salted_hmac derives on every call; derived once per secret key here (intake counts three keys
    # per request)
    return hashlib.sha256((_KEY_SALT + secret).encode()).digest()


def _digest(value: str) -> str:
    key = _hmac_key(settings.SECRET_KEY)
    return crypto.hmac_sha256(key, value.encode()).hex()[:_DIGEST_CHARS]  # see core.crypto


@lru_cache(maxsize=256)
def _name_digest(name: str, secret: str) -> str:
    return _digest("name:" + name)[:12]


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """Start and end (Unix seconds) of the window ``now`` falls in."""
    size = max(1, int(limit.window_s))
    start = int(now) // size * size
    return start, start + size


def _cache_key(limit: Limit, key: str, start: int) -> str:
    # The limit's name is hashed too: callers may build names from user input.
    return f"df:rl:{_name_digest(limit.name, settings.SECRET_KEY)}:{start}:{_digest('key:' + key)}"


def hit(limit: Limit, key: str, *, cost: int = 1) -> Decision:
    """Count ``cost`` hits for ``key`` under ``limit`` and say whether this one is allowed. Refused hits
    are counted too (a client that keeps trying stays refused until the window ends)."""
    now = time.time()
    start, end = _window(limit, now)
    cache_key = _cache_key(limit, key, start)
    # Kept one second beyond the window so the key cannot vanish in the middle of its last second.
    timeout = max(1, math.ceil(end - now) + 1)
    cache = _cache()
    count = _add_or_incr(cache, cache_key, cost, timeout)
    allowed = count <= limit.limit
    return Decision(allowed=allowed, count=count, retry_after_s=0 if allowed else max(1, math.ceil(end - now)))


# One round trip for several counters on Redis: increment each key and give a new key its window's expiry.
_REDIS_HIT_MANY = """
local counts = {}
for i, key in ipairs(KEYS) do
  local cost = tonumber(ARGV[2 * i - 1])
  local count = redis.call('INCRBY', key, cost)
  if count == cost then redis.call('EXPIRE', key, tonumber(ARGV[2 * i])) end
  counts[i] = count
end
return counts
"""


_scripts: dict[str, Any] = {}
_clients: dict[int, Any] = {}


def _redis_client(cache: RedisCache) -> Any:
    """One Redis client per connection pool, kept (Django's cache makes a new client object for every call,
    which costs more than the round trip; a client is safe to share between threads)."""
    pool = cache._cache._get_connection_pool(write=True)  # type: ignore[attr-defined]
    client = _clients.get(id(pool))
    if client is None or client.connection_pool is not pool:
        client = _clients[id(pool)] = cache._cache._client(connection_pool=pool)  # type: ignore[attr-defined]
    return client


def _hit_many_script(client: Any) -> Any:
    """The script, registered once per process: later calls send EVALSHA with its digest rather than its
    text (redis-py loads it again if the server has forgotten it). Called with the client of the moment."""
    script = _scripts.get("hit_many")
    if script is None:
        script = _scripts["hit_many"] = client.register_script(_REDIS_HIT_MANY)
    return script


def hit_many(hits: list[tuple[Limit, str]], *, cost: int = 1) -> list[Decision]:
    """:func:`hit` for several (limit, key) pairs at once: on Redis one round trip (a server-side script,
    atomic), elsewhere one :func:`hit` after the other. Intake counts three keys per request."""
    cache = _cache()
    if not hits:
        return []
    if not isinstance(cache, RedisCache):
        return [hit(limit, key, cost=cost) for limit, key in hits]
    now = time.time()
    keys, args, ends = [], [], []
    for limit, key in hits:
        start, end = _window(limit, now)
        keys.append(cache.make_and_validate_key(_cache_key(limit, key, start)))
        args += [cost, max(1, math.ceil(end - now) + 1)]
        ends.append(end)
    client = _redis_client(cache)
    counts = _hit_many_script(client)(keys=keys, args=args, client=client)
    decisions = []
    for (limit, _key), count, end in zip(hits, counts, ends, strict=True):
        allowed = int(count) <= limit.limit
        decisions.append(Decision(allowed=allowed, count=int(count),
                                  retry_after_s=0 if allowed else max(1, math.ceil(end - now))))
    return decisions


def _add_or_incr(cache: BaseCache, cache_key: str, cost: int, timeout: int) -> int:
    for _attempt in range(3):
        if cache.add(cache_key, cost, timeout):
            return cost
        try:
            count = int(cache.incr(cache_key, cost))
        except ValueError:
            continue  # expired (or evicted) between add and incr: start the counter again
        if type(cache).incr is BaseCache.incr:
            # The generic incr (database and file caches) is get + set, and that set resets the expiry to
            # the cache's default TIMEOUT (300 s): a 1-hour window would forget its count after 5 minutes.
            # Put the window's expiry back. Redis, memcached and locmem keep the expiry on incr.
            cache.touch(cache_key, timeout)
        return count
    # The key keeps disappearing (a cache that stores nothing): count this hit alone rather than fail.
    return cost


def peek(limit: Limit, key: str) -> int:
    """Hits counted so far for ``key`` in the current window (0 when none), without counting one."""
    start, _end = _window(limit, time.time())
    value = _cache().get(_cache_key(limit, key, start), 0)
    return int(value) if isinstance(value, int) else 0


def reset(limit: Limit, key: str) -> None:
    """Forget the current window's count for ``key`` (after a successful sign-in, by staff, in tests)."""
    start, _end = _window(limit, time.time())
    _cache().delete(_cache_key(limit, key, start))


def _address_group(address: str) -> str:
    """The unit that one client controls: an IPv4 address, or an IPv6 /64 (one home or phone usually gets
    a whole /64 and can pick any address in it, so counting single IPv6 addresses would limit nothing)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def keys_for(request: Any, *, device_id: str | None = None) -> dict[str, str]:
    """The keys to count a request under: ``"ip"`` (the client's address from ``client_ip``, IPv6 grouped by
    /64), ``"device"`` (when ``device_id`` is given) and ``"account"`` (the user's id when signed in).
    A key is missing when its fact is unknown. Values are HMACs keyed with ``SECRET_KEY``: the same client
    gives the same value, and the raw address cannot be read back from the cache."""
    keys: dict[str, str] = {}
    address = client_ip(request)
    if address:
        keys["ip"] = _digest("ip:" + _address_group(address))
    if device_id:
        keys["device"] = _digest("device:" + str(device_id)[:DEVICE_ID_MAX])
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False) and user.pk is not None:
        keys["account"] = _digest(f"account:{user.pk}")
    return keys
