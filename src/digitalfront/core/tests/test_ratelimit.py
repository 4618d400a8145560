"""Rate limits in the cache: counts, windows, keys, and the two backends the project uses."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from digitalfront.core import ratelimit
from digitalfront.core.ratelimit import Limit, hit, keys_for, peek, reset

T0 = dt.datetime(2026, 3, 2, 8, 0, 0, tzinfo=dt.UTC)  # a window boundary for every window below
CACHE_TABLE = "df_test_ratelimit_cache"


@pytest.fixture
def locmem(settings, request):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.name}
    }
    caches["default"].clear()
    return caches["default"]


@pytest.fixture
def dbcache(settings, db):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}
    call_command("createcachetable", verbosity=0)  # rolled back with the test's transaction
    return caches["default"]


@pytest.fixture(params=["locmem", "dbcache"])
def cache(request):
    return request.getfixturevalue(request.param)


def test_allowed_up_to_the_limit_then_refused_with_retry_after(cache):
    limit = Limit("test.form", limit=3, window_s=60)
    with time_machine.travel(T0 + dt.timedelta(seconds=15), tick=False):
        decisions = [hit(limit, "k") for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.count for d in decisions] == [1, 2, 3, 4, 5]
    assert decisions[0].retry_after_s == 0
    assert decisions[3].retry_after_s == 45  # the window ends at T0 + 60 s


def test_a_new_window_starts_from_zero(cache):
    limit = Limit("test.form", limit=2, window_s=60)
    with time_machine.travel(T0 + dt.timedelta(seconds=59), tick=False):
        assert hit(limit, "k").allowed
        assert hit(limit, "k").allowed
        refused = hit(limit, "k")
        assert not refused.allowed and refused.retry_after_s == 1
    with time_machine.travel(T0 + dt.timedelta(seconds=60), tick=False):
        assert peek(limit, "k") == 0
        decision = hit(limit, "k")
        assert decision.allowed and decision.count == 1


def test_keys_and_limits_are_independent(cache):
    a = Limit("test.a", limit=1, window_s=60)
    b = Limit("test.b", limit=1, window_s=60)
    with time_machine.travel(T0, tick=False):
        assert hit(a, "one").allowed
        assert not hit(a, "one").allowed
        assert hit(a, "two").allowed
        assert hit(b, "one").allowed


def test_cost_peek_and_reset(cache):
    limit = Limit("test.cost", limit=10, window_s=3600)
    with time_machine.travel(T0, tick=False):
        assert hit(limit, "k", cost=4).count == 4
        assert hit(limit, "k", cost=6).allowed
        assert peek(limit, "k") == 10
        assert not hit(limit, "k").allowed
        reset(limit, "k")
        assert peek(limit, "k") == 0
        assert hit(limit, "k").count == 1


def test_database_cache_keeps_long_windows_beyond_its_default_timeout(dbcache):
    """Django's database cache increments with get + set, and that set would expire the counter after
    the cache's default 300 s: an hour-long limit must still count after 10 minutes."""
    limit = Limit("test.hourly", limit=3, window_s=3600)
    with time_machine.travel(T0, tick=False):
        hit(limit, "k")
        hit(limit, "k")
    with time_machine.travel(T0 + dt.timedelta(seconds=600), tick=False):
        assert peek(limit, "k") == 2
        hit(limit, "k")
    with time_machine.travel(T0 + dt.timedelta(seconds=1500), tick=False):
        assert not hit(limit, "k").allowed
    with time_machine.travel(T0 + dt.timedelta(seconds=3600), tick=False):
        assert hit(limit, "k").allowed


def test_counters_live_in_the_database_table(dbcache):
    limit = Limit("test.shared", limit=5, window_s=60)
    with time_machine.travel(T0, tick=False):
        hit(limit, "k")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {CACHE_TABLE}")
        assert cursor.fetchone()[0] == 1


def test_counter_that_expires_between_add_and_incr_starts_again(locmem, monkeypatch):
    limit = Limit("test.race", limit=5, window_s=60)
    real_incr = locmem.incr
    calls = []

    def incr_after_expiry(key, delta=1, version=None):
        calls.append(key)
        if len(calls) == 1:
            locmem.delete(key)  # the key expired just now
        return real_incr(key, delta, version)

    monkeypatch.setattr(locmem, "incr", incr_after_expiry)
    with time_machine.travel(T0, tick=False):
        assert hit(limit, "k").count == 1
        decision = hit(limit, "k")  # add fails, incr finds nothing, add again
        assert decision.allowed and decision.count == 1
        assert peek(limit, "k") == 1  # the counter exists again
        assert hit(limit, "k").count == 2
    assert len(calls) == 2


def test_cache_alias_comes_from_settings(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl-default"},
        "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl-limits"},
    }
    settings.DIGITALFRONT_RATELIMIT_CACHE = "limits"
    caches["default"].clear()
    caches["limits"].clear()
    hit(Limit("test.alias", limit=1, window_s=60), "k")
    assert len(caches["limits"]._cache) == 1
    assert len(caches["default"]._cache) == 0


# --- keys ------------------------------------------------------------------------------------------------

rf = RequestFactory()


def request_from(address: str, user=None):
    request = rf.post("/gop-y/", REMOTE_ADDR=address)
    request.user = user or SimpleNamespace(is_authenticated=False, pk=None)
    return request


def test_ipv6_addresses_in_the_same_64_share_a_key(settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = []
    one = keys_for(request_from("2001:db8:aa:bb:1::1"))["ip"]
    assert keys_for(request_from("2001:db8:aa:bb:ffff:ffff:ffff:ffff"))["ip"] == one
    assert keys_for(request_from("2001:db8:aa:bc::1"))["ip"] != one


def test_ipv4_addresses_are_counted_alone_and_mapped_ipv6_is_ipv4(settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = []
    one = keys_for(request_from("203.0.113.7"))["ip"]
    assert keys_for(request_from("203.0.113.8"))["ip"] != one
    assert keys_for(request_from("::ffff:203.0.113.7"))["ip"] == one


def test_forwarded_address_is_used_behind_a_trusted_proxy(settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = ["10.0.0.0/8"]
    behind = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert keys_for(behind)["ip"] == keys_for(request_from("203.0.113.7"))["ip"]


def test_device_and_account_keys(settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = []
    anonymous = keys_for(request_from("203.0.113.7"))
    assert set(anonymous) == {"ip"}
    user = SimpleNamespace(is_authenticated=True, pk=42)
    keys = keys_for(request_from("203.0.113.7", user), device_id="phone-abc")
    assert set(keys) == {"ip", "device", "account"}
    assert (
        keys["account"]
        != keys_for(request_from("203.0.113.7", SimpleNamespace(is_authenticated=True, pk=43)))["account"]
    )
    assert len({keys["ip"], keys["device"], keys["account"]}) == 3


def test_keys_depend_on_the_secret_key(settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = []
    before = keys_for(request_from("203.0.113.7"))["ip"]
    settings.SECRET_KEY = "another-secret-for-this-test"
    assert keys_for(request_from("203.0.113.7"))["ip"] != before


def test_raw_addresses_never_reach_the_cache(locmem, settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = []
    limit = Limit("test.ip", limit=5, window_s=60)
    for address in ("203.0.113.7", "2001:db8:aa:bb::1"):
        keys = keys_for(request_from(address))
        hit(limit, keys["ip"])
        hit(limit, address)  # even a caller that passes the raw address
    stored = " ".join(locmem._cache)
    assert stored.count("df:rl:") == 4
    for raw in ("203.0.113", "2001:db8", "2001:0db8", "203_0_113"):
        assert raw not in stored
    assert all(len(key) < 120 for key in locmem._cache)


def test_raw_addresses_never_reach_the_database_cache(dbcache, settings):
    settings.DIGITALFRONT_TRUSTED_PROXIES = []
    hit(Limit("test.ip", limit=5, window_s=60), "203.0.113.7")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {CACHE_TABLE}")
        keys = [row[0] for row in cursor.fetchall()]
    assert len(keys) == 1 and "203.0.113.7" not in keys[0]


def test_window_start_is_in_the_key():
    limit = Limit("test.w", limit=1, window_s=60)
    assert ratelimit._window(limit, 120.0) == (120, 180)
    assert ratelimit._window(limit, 179.9) == (120, 180)
    assert ratelimit._cache_key(limit, "k", 120) != ratelimit._cache_key(limit, "k", 180)


def test_hit_many_on_redis_counts_in_one_script(settings, request):
    """On Redis (production's cache) the counters of a request are one server-side script, sent by its
    digest: counts, refusal past the limit, the window's expiry, and a server that forgot the script."""
    import os
    import time
    import uuid

    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as exc:  # any failure means "no Redis here"
        if os.environ.get("CI"):
            raise RuntimeError(f"Redis is required for this test in CI: {exc}") from exc
        # a developer's machine without Redis still runs the other caches' tests; CI (above) never skips
        pytest.skip(f"no Redis server answers at {url} ({exc}); CI runs this test against one")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                                   "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    per_hour, per_minute = Limit("ip", 3, 3600), Limit("device", 100, 60)
    hits = [(per_hour, "10.0.0.1"), (per_minute, "dev-1")]
    first = ratelimit.hit_many(hits)
    assert [d.count for d in first] == [1, 1] and all(d.allowed for d in first)
    client = redis.Redis.from_url(url)
    client.script_flush()  # the server forgets the script: redis-py loads it again
    assert [d.count for d in ratelimit.hit_many(hits, cost=2)] == [3, 3]
    refused = ratelimit.hit_many(hits)
    assert not refused[0].allowed and refused[0].retry_after_s >= 1 and refused[1].allowed
    assert peek(per_hour, "10.0.0.1") == 4
    start, _end = ratelimit._window(per_hour, time.time())
    key = caches["default"].make_and_validate_key(ratelimit._cache_key(per_hour, "10.0.0.1", start))
    assert 0 < client.ttl(key) <= 3601
