"""Abuse limits on intake: per IP address, device and account, kept in the shared cache (``core.ratelimit``).

An anonymous sender who trips a limit is asked to solve a proof-of-work challenge (``core.challenge``,
no outside service); past a hard ceiling, or for a signed-in account, the answer is 429 with the time
to wait. Carrier-grade NAT puts many phones behind one address, so the per-address limit is the loosest.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

from digitalfront.core import challenge, ratelimit

DEVICE_COOKIE = "df_device"
HARD_FACTOR = 4


def limits() -> dict[str, ratelimit.Limit]:
    per_hour = getattr(settings, "DIGITALFRONT_FEEDBACK_LIMITS", {"ip": 60, "device": 6, "account": 12})
    return _limits(tuple(per_hour.items()))


@lru_cache(maxsize=8)
def _limits(per_hour: tuple[tuple[str, int], ...]) -> dict[str, ratelimit.Limit]:
    return {key: ratelimit.Limit(name=f"feedback-{key}", limit=int(value), window_s=3600) for key, value in per_hour}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    needs_challenge: bool = False
    retry_after_s: int = 0
    message: str = ""


def device_id(request: Any) -> str:
    return str(request.COOKIES.get(DEVICE_COOKIE, ""))[:64]


@dataclass(frozen=True)
class Count:
    """What to count one submission under, and what its sender can show when a limit is reached: the
    (limit, key) pairs of :func:`counted`, the challenge's answer, whether the sender is signed in."""

    pairs: list[tuple[ratelimit.Limit, str]]
    answer: str | None = None
    authenticated: bool = False


class Refused(Exception):
    """A submission past a limit (raised by the intake's writer, which counts a whole batch at once)."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.message)
        self.verdict = verdict


def counted(request: Any, *, answer: str | None = None, device: str | None = None) -> Count:
    """The counters of this submission (per address, device, account), not counted yet.

    ``device`` is the device id an app sends (API); pages use the ``df_device`` cookie. Either can be
    forged, which is why the address and the account are counted too."""
    keys = ratelimit.keys_for(request, device_id=(device or device_id(request))[:64] or None)
    pairs = [(limit, keys[kind]) for kind, limit in limits().items() if keys.get(kind)]
    return Count(pairs, answer, bool(getattr(getattr(request, "user", None), "is_authenticated", False)))


def check(request: Any, *, answer: str | None = None, device: str | None = None) -> Verdict:
    """Count this submission and decide: go on, ask for the challenge, or refuse for a while."""
    count = counted(request, answer=answer, device=device)
    return decide(count, ratelimit.hit_many(count.pairs))


def check_many(counts: list[Count]) -> list[Verdict]:
    """:func:`check` for several submissions with one round trip to the shared cache (the intake's writer
    counts its whole batch at once)."""
    decisions = ratelimit.hit_many([pair for count in counts for pair in count.pairs])
    verdicts, start = [], 0
    for count in counts:
        verdicts.append(decide(count, decisions[start:start + len(count.pairs)]))
        start += len(count.pairs)
    return verdicts


def decide(count: Count, decisions: list[ratelimit.Decision]) -> Verdict:
    over: list[ratelimit.Decision] = []
    hard = False
    for (limit, _key), decision in zip(count.pairs, decisions, strict=True):
        if not decision.allowed:
            over.append(decision)
            if decision.count > limit.limit * HARD_FACTOR:
                hard = True
    if not over:
        return Verdict(True)
    wait = max(d.retry_after_s for d in over)
    minutes = max(1, (wait + 59) // 60)
    refused = Verdict(
        False,
        retry_after_s=wait,
        message=f"Bạn đã gửi quá nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau {minutes} phút.",
    )
    if hard or count.authenticated:
        return refused
    if count.answer and challenge.verify(count.answer):
        return Verdict(True)
    return Verdict(
        False,
        needs_challenge=True,
        retry_after_s=wait,
        message="Để chống gửi tự động, trình duyệt của bạn cần giải một phép kiểm tra nhỏ. "
        "Vui lòng chờ vài giây rồi bấm Gửi lại.",
    )
