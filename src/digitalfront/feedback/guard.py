"""Abuse limits on intake: per IP address, device and account, kept in the shared cache (``core.ratelimit``).

An anonymous sender who trips a limit is asked to solve a proof-of-work challenge (``core.challenge``,
no outside service); past a hard ceiling, or for a signed-in account, the answer is 429 with the time
to wait. Carrier-grade NAT puts many phones behind one address, so the per-address limit is the loosest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from digitalfront.core import challenge, ratelimit

DEVICE_COOKIE = "df_device"
HARD_FACTOR = 4


def limits() -> dict[str, ratelimit.Limit]:
    per_hour = getattr(settings, "DIGITALFRONT_FEEDBACK_LIMITS", {"ip": 60, "device": 6, "account": 12})
    return {
        key: ratelimit.Limit(name=f"feedback-{key}", limit=int(value), window_s=3600) for key, value in per_hour.items()
    }


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    needs_challenge: bool = False
    retry_after_s: int = 0
    message: str = ""


def device_id(request: Any) -> str:
    return str(request.COOKIES.get(DEVICE_COOKIE, ""))[:64]


def check(request: Any, *, answer: str | None = None, device: str | None = None) -> Verdict:
    """Count this submission and decide: go on, ask for the challenge, or refuse for a while.

    ``device`` is the device id an app sends (API); pages use the ``df_device`` cookie. Either can be
    forged, which is why the address and the account are counted too."""
    keys = ratelimit.keys_for(request, device_id=(device or device_id(request))[:64] or None)
    pairs = [(limit, keys[kind]) for kind, limit in limits().items() if keys.get(kind)]
    over: list[ratelimit.Decision] = []
    hard = False
    for (limit, _key), decision in zip(pairs, ratelimit.hit_many(pairs), strict=True):
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
    if hard or getattr(request.user, "is_authenticated", False):
        return refused
    if answer and challenge.verify(answer):
        return Verdict(True)
    return Verdict(
        False,
        needs_challenge=True,
        retry_after_s=wait,
        message="Để chống gửi tự động, trình duyệt của bạn cần giải một phép kiểm tra nhỏ. "
        "Vui lòng chờ vài giây rồi bấm Gửi lại.",
    )
