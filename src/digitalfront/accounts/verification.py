"""One-time codes sent by e-mail or SMS (``OneTimeCode``): registration and password reset.

- 6 digits from :mod:`secrets`, stored as an HMAC-SHA256 keyed with ``SECRET_KEY`` (bound to the
  purpose and destination), compared in constant time;
- valid :data:`CODE_TTL`, single use, at most :data:`MAX_ATTEMPTS` wrong entries per code;
- at most :data:`MAX_SENDS_PER_HOUR` codes per destination per hour (all purposes together) and
  :data:`COOLDOWN` between two sends;
- a new code ends the older unused codes of the same destination and purpose.

Called from the services in ``accounts.people`` inside their transaction; the code itself is only
returned to the caller that sends it, never logged or audited.
"""

from __future__ import annotations

import datetime
import math
import secrets
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from digitalfront.accounts.models import OneTimeCode, User
from digitalfront.core.errors import DomainError

CODE_DIGITS = 6
CODE_TTL = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_SENDS_PER_HOUR = 3
COOLDOWN = datetime.timedelta(seconds=60)
# a code_hash that no code matches: rows that only count towards the send limits
UNUSABLE = "!"

WRONG = "Mã xác minh không đúng."
EXPIRED = "Mã xác minh đã hết hạn hoặc không còn hiệu lực. Vui lòng yêu cầu gửi mã mới."
TOO_MANY = "Bạn đã nhập sai mã quá nhiều lần. Vui lòng yêu cầu gửi mã mới."


class Throttled(DomainError):
    """Too many codes asked for one destination; ``retry_after`` in seconds."""

    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, code="throttled")
        self.retry_after = retry_after


class CodeRejected(DomainError):
    """A wrong, expired, used or exhausted code."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, field="code", code=code)


def _hash(*, purpose: str, destination: str, code: str) -> str:
    return salted_hmac("digitalfront.accounts.verification", f"{purpose}:{destination}:{code}",
                       algorithm="sha256").hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _wait_text(seconds: int) -> str:
    if seconds <= 60:
        return f"{seconds} giây"
    return f"{math.ceil(seconds / 60)} phút"


def check_send_allowed(destination: str, now: datetime.datetime | None = None) -> None:
    """Raise :class:`Throttled` if a code for ``destination`` may not be sent now."""
    now = now or timezone.now()
    recent = list(
        OneTimeCode.objects.filter(destination=destination, created_at__gt=now - datetime.timedelta(hours=1))
        .order_by("-created_at").values_list("created_at", flat=True)
    )
    if recent and now - recent[0] < COOLDOWN:
        wait = math.ceil((recent[0] + COOLDOWN - now).total_seconds())
        raise Throttled(f"Mã xác minh vừa được gửi. Vui lòng đợi {_wait_text(wait)} rồi thử lại.",
                        retry_after=wait)
    if len(recent) >= MAX_SENDS_PER_HOUR:
        oldest = recent[MAX_SENDS_PER_HOUR - 1]
        wait = max(1, math.ceil((oldest + datetime.timedelta(hours=1) - now).total_seconds()))
        raise Throttled(
            f"Đã gửi quá nhiều mã xác minh tới địa chỉ này trong một giờ. Vui lòng thử lại sau khoảng "
            f"{_wait_text(wait)}.",
            retry_after=wait,
        )


def issue(*, purpose: str, channel: str, destination: str, user: User | None, send: bool = True) -> str:
    """Create a code for ``destination`` (after the send limits) and return it for sending.

    With ``send=False`` the row only counts towards the limits and no code can match it (password
    reset for an unknown account, so that the answer is the same). Call inside a transaction.
    """
    now = timezone.now()
    check_send_allowed(destination, now)
    OneTimeCode.objects.filter(destination=destination, purpose=purpose, used_at__isnull=True,
                               expires_at__gt=now).update(expires_at=now)
    code = new_code()
    OneTimeCode.objects.create(
        purpose=purpose, channel=channel, destination=destination, user=user,
        code_hash=_hash(purpose=purpose, destination=destination, code=code) if send else UNUSABLE,
        expires_at=now + CODE_TTL,
    )
    return code


@dataclass(frozen=True)
class Outcome:
    """What :func:`check` found: the code row when right, else the error to show."""

    record: OneTimeCode | None
    error: CodeRejected | None


def check(*, purpose: str, destination: str, code: str) -> Outcome:
    """Check ``code`` against the live code of ``destination``; a wrong entry is counted.

    Does not mark the code used (see :func:`consume`) and does not raise, so that the caller's
    transaction keeps the counted attempt: raise ``outcome.error`` after committing.
    """
    now = timezone.now()
    record = (
        OneTimeCode.objects.select_for_update()
        .filter(destination=destination, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at", "-pk").first()
    )
    if record is None or record.expires_at <= now:
        return Outcome(None, CodeRejected(EXPIRED, code="code_expired"))
    if record.attempts >= MAX_ATTEMPTS:
        return Outcome(None, CodeRejected(TOO_MANY, code="code_attempts"))
    typed = "".join(ch for ch in (code or "") if not ch.isspace())
    expected = _hash(purpose=purpose, destination=destination, code=typed)
    if record.code_hash != UNUSABLE and constant_time_compare(expected, record.code_hash):
        return Outcome(record, None)
    OneTimeCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
    left = MAX_ATTEMPTS - record.attempts - 1
    if left <= 0:
        return Outcome(None, CodeRejected(TOO_MANY, code="code_attempts"))
    return Outcome(None, CodeRejected(f"{WRONG} Bạn còn {left} lần thử.", code="code_wrong"))


def consume(record: OneTimeCode) -> None:
    record.used_at = timezone.now()
    record.save(update_fields=["used_at"])
