"""Sending a message to a person by e-mail or SMS: one interface for every module (docs/notifications.md).

    notifications.send(channel="sms", to="0912345678", subject="...", body="...")

The message leaves only after the current transaction commits (``transaction.on_commit``), so a
rolled-back write never sends anything. E-mail goes through Django's e-mail framework
(the ``default`` of ``MAILERS``: SMTP in production, files under ``DATA_DIR/outbox/email`` in the embedded
default);
SMS through the class named by ``DIGITALFRONT_SMS_BACKEND`` (:class:`FileSMSBackend`,
:class:`MemorySMSBackend`, :class:`GatewaySMSBackend`).

Message bodies may carry one-time codes: they are never logged, and a failed delivery is logged with
the destination masked.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

EMAIL = "email"
SMS = "sms"
CHANNELS = (EMAIL, SMS)


class NotificationError(Exception):
    """A message could not be handed over (bad configuration, gateway refused or unreachable)."""


@dataclass(frozen=True)
class SentSMS:
    to: str
    body: str
    sent_at: datetime.datetime


class SMSBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


# --- SMS backends -----------------------------------------------------------------------------------


class FileSMSBackend:
    """Writes each SMS to a text file in ``DATA_DIR/outbox/sms`` (the embedded default): a developer
    reads the codes there."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory else Path(settings.DATA_DIR) / "outbox" / "sms"

    def send(self, *, to: str, body: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        name = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.txt"
        text = f"To: {to}\nDate: {now.isoformat()}\n\n{body}\n"
        (self.directory / name).write_text(text, encoding="utf-8")


# what MemorySMSBackend sent, like ``django.core.mail.outbox``; tests clear it
outbox: list[SentSMS] = []


class MemorySMSBackend:
    """Keeps messages in :data:`outbox` (tests)."""

    def send(self, *, to: str, body: str) -> None:
        outbox.append(SentSMS(to=to, body=body, sent_at=timezone.now()))


class GatewaySMSBackend:
    """POSTs ``{"to": ..., "message": ...}`` as JSON to ``DIGITALFRONT_SMS_GATEWAY_URL`` with
    ``Authorization: Bearer DIGITALFRONT_SMS_GATEWAY_TOKEN``; any answer other than 2xx is an error."""

    timeout = 10.0

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else settings.DIGITALFRONT_SMS_GATEWAY_URL
        self.token = token if token is not None else settings.DIGITALFRONT_SMS_GATEWAY_TOKEN
        if timeout is not None:
            self.timeout = timeout

    def send(self, *, to: str, body: str) -> None:
        if not self.url:
            raise NotificationError("DIGITALFRONT_SMS_GATEWAY_URL is not set: the SMS gateway cannot be reached")
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = requests.post(self.url, json={"to": to, "message": body}, headers=headers,
                                     timeout=self.timeout)
        except requests.RequestException as exc:
            # the exception's text names the URL, never the message
            raise NotificationError(f"SMS gateway unreachable: {type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise NotificationError(f"SMS gateway refused the message: HTTP {response.status_code}")


def sms_backend() -> SMSBackend:
    try:
        backend_class = import_string(settings.DIGITALFRONT_SMS_BACKEND)
    except ImportError as exc:
        raise NotificationError(f"DIGITALFRONT_SMS_BACKEND: cannot import {settings.DIGITALFRONT_SMS_BACKEND}") from exc
    backend: SMSBackend = backend_class()
    return backend


# --- the interface ----------------------------------------------------------------------------------


def mask(destination: str) -> str:
    """A destination for logs: enough to tell two apart, not enough to contact the person."""
    if "@" in destination:
        name, _, domain = destination.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{destination[:3]}****{destination[-3:]}" if len(destination) > 6 else "***"


def deliver(*, channel: str, to: str, subject: str, body: str) -> None:
    """Send now (no transaction involved); raises :class:`NotificationError` when it fails."""
    if channel == EMAIL:
        message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
        try:
            message.send()
        except Exception as exc:  # SMTP, socket, file errors
            raise NotificationError(f"e-mail not sent: {type(exc).__name__}") from exc
    elif channel == SMS:
        sms_backend().send(to=to, body=body)
    else:
        raise NotificationError(f"unknown channel {channel!r}")


def _deliver_logged(channel: str, to: str, subject: str, body: str) -> None:
    try:
        deliver(channel=channel, to=to, subject=subject, body=body)
    except NotificationError as exc:
        # after commit nobody can be told: log (without the body) so that operators see it
        logger.error("notification not sent (%s to %s): %s", channel, mask(to), exc)
    except Exception as exc:  # a backend's own failure (disk full, ...): the request has committed anyway
        logger.error("notification not sent (%s to %s): %s", channel, mask(to), type(exc).__name__)


def send(*, channel: str, to: str, subject: str, body: str) -> None:
    """Send ``body`` to ``to`` by ``channel`` ("email" or "sms") once the current transaction commits
    (at once outside a transaction). ``subject`` is used for e-mail only. A delivery failure is
    logged, never raised into the request that caused it."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if not to:
        raise ValueError("no destination")
    transaction.on_commit(lambda: _deliver_logged(channel, to, subject, body))
