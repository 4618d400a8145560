"""Live events: a small broker that services publish to (on commit) and pages listen on (Server-Sent
Events), shared by every web process.

    publish("congresses", {...})
    for event_id, data in listen("congresses", after_id, timeout_s=15): ...

Two backends, chosen by ``settings.LIVE_BACKEND`` (environment ``DIGITALFRONT_LIVE_BACKEND``):

* ``database`` (the default, embedded column): a :class:`~digitalfront.core.models.LiveEvent` row per
  event; ``listen`` polls every ~200 ms for ids after ``after_id``. Works across processes on SQLite and
  PostgreSQL. Rows older than an hour, and all but the last 10,000, are pruned now and then on publish.
* ``redis`` (production, the default when ``REDIS_URL`` is set): one Redis Stream per channel,
  ``XADD ... MAXLEN ~ 10000`` and ``XREAD BLOCK``.

Event ids are opaque strings, increasing within a channel: pass the last one seen as ``after_id`` (an
``EventSource`` sends it back as ``Last-Event-ID``). ``after_id=None`` means "from now on";
:func:`last_id` gives the current position, to start from without missing what comes in between.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Iterator
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone

KEEP_EVENTS = 10_000
KEEP_FOR = datetime.timedelta(hours=1)
POLL_S = 0.2
PRUNE_EVERY = 100  # database: prune on every 100th event
REDIS_PREFIX = "digitalfront:live:"


class Broker(Protocol):
    def publish(self, channel: str, data: dict[str, Any]) -> str: ...

    def listen(self, channel: str, after_id: str | None, timeout_s: float) -> Iterator[tuple[str, dict[str, Any]]]:
        ...

    def last_id(self, channel: str) -> str | None: ...


class DatabaseBroker:
    """Events in the ``core_liveevent`` table, polled."""

    def publish(self, channel: str, data: dict[str, Any]) -> str:
        from .models import LiveEvent

        event = LiveEvent.objects.create(channel=channel, data=data)
        if event.pk % PRUNE_EVERY == 0:
            self.prune(event.pk)
        return str(event.pk)

    def prune(self, newest: int) -> None:
        from django.db.models import Q

        from .models import LiveEvent

        LiveEvent.objects.filter(Q(created_at__lt=timezone.now() - KEEP_FOR) | Q(pk__lte=newest - KEEP_EVENTS)).delete()

    def last_id(self, channel: str) -> str | None:
        from .models import LiveEvent

        pk = LiveEvent.objects.filter(channel=channel).order_by("-pk").values_list("pk", flat=True).first()
        return str(pk) if pk is not None else "0"

    def listen(self, channel: str, after_id: str | None, timeout_s: float) -> Iterator[tuple[str, dict[str, Any]]]:
        from .models import LiveEvent

        after = _int_id(after_id)
        if after is None:
            after = int(self.last_id(channel) or 0)
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while True:
            rows = list(LiveEvent.objects.filter(channel=channel, pk__gt=after).order_by("pk")
                        .values_list("pk", "data")[:500])
            for pk, data in rows:
                after = pk
                yield str(pk), data
            remaining = deadline - time.monotonic()
            if rows and remaining > 0:
                continue
            if remaining <= 0:
                return
            time.sleep(min(POLL_S, remaining))


def _int_id(event_id: str | None) -> int | None:
    if event_id is None:
        return None
    text = str(event_id).strip()
    return int(text) if text.isdigit() else None  # an id of another backend: from now on


class RedisBroker:
    """One Redis Stream per channel (``digitalfront:live:<channel>``), trimmed to about 10,000 events."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
        self.prefix = prefix

    def key(self, channel: str) -> str:
        return self.prefix + channel

    def publish(self, channel: str, data: dict[str, Any]) -> str:
        event_id = self.client.xadd(self.key(channel), {"data": json.dumps(data, ensure_ascii=False, default=str)},
                                    maxlen=KEEP_EVENTS, approximate=True)
        return _text(event_id)

    def last_id(self, channel: str) -> str | None:
        newest = self.client.xrevrange(self.key(channel), count=1)
        return _text(newest[0][0]) if newest else "0-0"

    def listen(self, channel: str, after_id: str | None, timeout_s: float) -> Iterator[tuple[str, dict[str, Any]]]:
        key = self.key(channel)
        after = after_id if after_id and _redis_id(after_id) else None
        if after is None:
            after = self.last_id(channel) or "0-0"
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while True:
            remaining = deadline - time.monotonic()
            block_ms = int(remaining * 1000)
            if block_ms <= 0:
                return
            answer: Any = self.client.xread({key: after}, count=500, block=block_ms)
            for _stream, entries in answer or []:
                for entry_id, fields in entries:
                    after = _text(entry_id)
                    raw = fields.get(b"data") or fields.get("data") or "{}"
                    yield after, json.loads(raw)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _redis_id(event_id: str) -> bool:
    ms, _, seq = str(event_id).partition("-")
    return ms.isdigit() and (seq == "" or seq.isdigit())


def backend_name() -> str:
    name = getattr(settings, "LIVE_BACKEND", "") or os.environ.get("DIGITALFRONT_LIVE_BACKEND", "")
    if not name:
        name = "redis" if redis_url(explicit=True) else "database"
    if name not in ("database", "redis"):
        raise ValueError(f"LIVE_BACKEND must be 'database' or 'redis', not {name!r}")
    return name


def redis_url(*, explicit: bool = False) -> str:
    url = getattr(settings, "LIVE_REDIS_URL", "") or os.environ.get("REDIS_URL", "")
    return url if url or explicit else "redis://127.0.0.1:6379/0"


@cache
def _broker(name: str, url: str, prefix: str) -> Broker:
    return RedisBroker(url, prefix) if name == "redis" else DatabaseBroker()


def broker(name: str | None = None) -> Broker:
    """The configured broker (or the one named); one instance per process and configuration
    (``LIVE_REDIS_PREFIX`` names the keys, so that several sites or test runs can share a Redis)."""
    name = name or backend_name()
    if name != "redis":
        return _broker(name, "", "")
    return _broker(name, redis_url(), getattr(settings, "LIVE_REDIS_PREFIX", "") or REDIS_PREFIX)


def publish(channel: str, data: dict[str, Any]) -> None:
    """Send ``data`` (JSON-serialisable) to whoever listens on ``channel``. Call it on commit."""
    broker().publish(channel, data)


def listen(channel: str, after_id: str | None, timeout_s: float) -> Iterator[tuple[str, dict[str, Any]]]:
    """The events of ``channel`` after ``after_id`` (``None``: from now on) as ``(id, data)``, as they come,
    for ``timeout_s`` seconds."""
    return broker().listen(channel, after_id, timeout_s)


def last_id(channel: str) -> str | None:
    """The id of the newest event of ``channel`` (a value that means "none yet" when it has none)."""
    return broker().last_id(channel)
