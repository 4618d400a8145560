"""What the accounts services need to know about an HTTP request: the client's address and browser."""

import ipaddress
from typing import Any

from django.conf import settings

USER_AGENT_MAX = 300


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.DIGITALFRONT_TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that peer is a trusted proxy
    (``DIGITALFRONT_TRUSTED_PROXIES``); then the right-most ``X-Forwarded-For`` entry that is not one."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None or not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address):
            return _valid(address)
    return remote


def user_agent(request: Any) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]


def request_data(request: Any) -> dict[str, Any]:
    """``ip`` and ``user_agent`` for an audit event's ``data``."""
    return {"ip": client_ip(request), "user_agent": user_agent(request)}
