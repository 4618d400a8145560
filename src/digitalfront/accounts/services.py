"""Writes of the accounts app: sign-in attempts and lockouts, sessions, disabling accounts.

Every write that matters for security leaves an audit event (``core.models.AuditEvent``) in the same
transaction, with the client's ``ip`` and ``user_agent`` in ``data``; never a password or a token.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_grant_model, get_id_token_model, get_refresh_token_model

from digitalfront.accounts.models import LoginAttempt, User, UserSession
from digitalfront.accounts.requests import client_ip, request_data
from digitalfront.core.models import AuditEvent

USERNAME_MAX = 150
# login attempts are kept this long (for lockouts only the last half hour matters)
ATTEMPTS_KEPT = datetime.timedelta(days=1)


def normalise_username(username: str | None) -> str:
    return (username or "").strip().lower()[:USERNAME_MAX]


def _unit_path_of(user: User | None) -> str:
    """The path of ``user``'s shallowest unit role in force (``""`` if none): where an event about the
    user belongs, so that the administrators of that unit see it in the audit log."""
    from digitalfront.accounts.models import UnitRole  # kept local: this change touches only the helper

    if user is None or user.pk is None:
        return ""
    path = (
        UnitRole.objects.filter(user_id=user.pk, unit__valid_to__isnull=True)
        .order_by("unit__depth", "unit__path")
        .values_list("unit__path", flat=True)
        .first()
    )
    return path or ""


def build_event(*, actor: Any, action: str, user: User | None, request: Any, unit_path: str | None = None,
                **data: Any) -> AuditEvent:
    """An unsaved audit event about ``user`` (for ``bulk_create``): the unit is the person's highest role
    unless given; ``data`` gets the client's ``ip`` and ``user_agent``."""
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=User._meta.label_lower,
        object_id=str(user.pk) if user is not None else "",
        unit_path=_unit_path_of(user) if unit_path is None else unit_path,
        data={**data, **request_data(request)},
    )


def record_event(*, actor: Any, action: str, user: User | None, request: Any, **data: Any) -> AuditEvent:
    """Audit something about an account, inside the caller's transaction (every accounts module)."""
    event = build_event(actor=actor, action=action, user=user, request=request, **data)
    event.save()
    return event


# --- lockouts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    scope: str  # "account" or "ip"
    until: datetime.datetime


def _lock_until(times: list[datetime.datetime], threshold: int) -> datetime.datetime | None:
    """When the latest lock ends: a lock starts at the ``threshold``-th failure within the window."""
    window = datetime.timedelta(seconds=settings.DIGITALFRONT_LOCKOUT_WINDOW_SECONDS)
    duration = datetime.timedelta(seconds=settings.DIGITALFRONT_LOCKOUT_SECONDS)
    until = None
    i = threshold - 1
    while i < len(times):
        if times[i] - times[i - threshold + 1] <= window:
            until = times[i] + duration
            # failures during a lock are not stored, so the next lock needs ``threshold`` new ones
            i += threshold
        else:
            i += 1
    return until


def _horizon(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(
        seconds=settings.DIGITALFRONT_LOCKOUT_WINDOW_SECONDS + settings.DIGITALFRONT_LOCKOUT_SECONDS
    )


def current_lock(username: str | None, ip: str | None, now: datetime.datetime | None = None) -> Lock | None:
    """The lock that refuses a sign-in as ``username`` from ``ip`` now, if any (the IP block first)."""
    now = now or timezone.now()
    horizon = _horizon(now)
    if ip:
        times = list(
            LoginAttempt.objects.filter(ip=ip, ok=False, at__gte=horizon).order_by("at").values_list("at", flat=True)
        )
        until = _lock_until(times, settings.DIGITALFRONT_LOCKOUT_IP_FAILURES)
        if until is not None and until > now:
            return Lock("ip", until)
    name = normalise_username(username)
    if name:
        last_ok = (
            LoginAttempt.objects.filter(username=name, ok=True, at__gte=horizon)
            .order_by("-at").values_list("at", flat=True).first()
        )
        failures = LoginAttempt.objects.filter(username=name, ok=False, at__gte=horizon)
        if last_ok is not None:
            failures = failures.filter(at__gt=last_ok)
        times = list(failures.order_by("at").values_list("at", flat=True))
        until = _lock_until(times, settings.DIGITALFRONT_LOCKOUT_ACCOUNT_FAILURES)
        if until is not None and until > now:
            return Lock("account", until)
    return None


@transaction.atomic
def record_login_failure(*, username: str | None, request: Any) -> Lock | None:
    """A wrong username or password: stored, audited; returns the lock it starts, if it starts one."""
    now = timezone.now()
    name = normalise_username(username)
    ip = client_ip(request)
    LoginAttempt.objects.create(username=name, ip=ip, at=now, ok=False)
    user = User.objects.filter(username__iexact=name).first() if name else None
    record_event(actor=None, action="login_failed", user=user, request=request, username=name)
    lock = current_lock(name, ip, now)
    if lock is not None:
        record_event(actor=None, action="login_locked", user=user if lock.scope == "account" else None, request=request,
               username=name, scope=lock.scope, until=lock.until.isoformat())
    return lock


@transaction.atomic
def record_login_success(*, user: User, request: Any, second_factor: str = "") -> None:
    """After ``django.contrib.auth.login``: resets the account's failure count (not the address's),
    registers the session and audits the sign-in."""
    now = timezone.now()
    LoginAttempt.objects.filter(at__lt=now - ATTEMPTS_KEPT).delete()
    LoginAttempt.objects.create(username=normalise_username(user.get_username()), ip=client_ip(request), at=now,
                                ok=True)
    register_session(user=user, session_key=request.session.session_key)
    extra = {"second_factor": second_factor} if second_factor else {}
    record_event(actor=user, action="login", user=user, request=request, **extra)


# --- sessions ---------------------------------------------------------------------------------------


def register_session(*, user: User, session_key: str | None) -> None:
    if not session_key:
        return
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    # forget sessions of this user that no longer exist (logged out, expired, flushed)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in UserSession.objects.filter(user=user).exclude(session_key=session_key).values_list(
        "session_key", flat=True
    ):
        if not store().exists(key):
            UserSession.objects.filter(session_key=key).delete()


@transaction.atomic
def record_logout(*, user: Any, request: Any, **data: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        return
    UserSession.objects.filter(session_key=request.session.session_key or "").delete()
    record_event(actor=user, action="logout", user=user, request=request, **data)


def record_token_event(*, action: str, user: Any, client_id: str, request: Any, **data: Any) -> None:
    """``token_issued`` or ``token_revoked``: the person (none for machine clients) and the client."""
    person = user if getattr(user, "pk", None) else None
    record_event(actor=person, action=action, user=person, request=request, client_id=client_id, **data)


@transaction.atomic
def record_session_expired(*, user: Any, request: Any, reason: str) -> None:
    UserSession.objects.filter(session_key=request.session.session_key or "").delete()
    record_event(actor=user, action="session_expired", user=user, request=request, reason=reason)


def end_sessions(user: User) -> int:
    """Delete every registered web session of ``user``; returns how many existed."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for key in list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)):
        session = store(session_key=key)
        if session.exists(key):
            session.delete(key)
            ended += 1
    UserSession.objects.filter(user=user).delete()
    return ended


def revoke_tokens(user: User) -> int:
    """Revoke every OAuth token and pending authorization code of ``user``; returns the tokens revoked."""
    access = get_access_token_model().objects.filter(user=user)
    id_tokens = get_id_token_model().objects.filter(user=user)
    refresh = get_refresh_token_model().objects.filter(user=user, revoked__isnull=True)
    count = access.count() + refresh.count()
    refresh.update(revoked=timezone.now())
    access.delete()
    id_tokens.delete()
    get_grant_model().objects.filter(user=user).delete()
    return count


@transaction.atomic
def disable_account(*, actor: Any, user: User, reason: str, request: Any = None) -> None:
    """Disable ``user``: no more sign-in, every web session ended, every OAuth token revoked; audited."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = end_sessions(user)
    tokens = revoke_tokens(user)
    record_event(actor=actor, action="account_disabled", user=user, request=request, reason=reason[:500],
           sessions=sessions, tokens=tokens)
