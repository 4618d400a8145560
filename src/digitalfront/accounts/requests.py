"""What the accounts services need to know about an HTTP request: the client's address and browser."""

import functools
import ipaddress
from typing import Any

from django.conf import settings

USER_AGENT_MAX = 300


def _trusted(address: str, proxies: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(proxies))


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """The trusted proxies' networks, parsed once per setting (entries that are not a network are skipped)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return tuple(networks)


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
    meta = request.META
    return _client_ip(meta.get("REMOTE_ADDR", "") or "", meta.get("HTTP_X_FORWARDED_FOR", ""),
                      tuple(settings.DIGITALFRONT_TRUSTED_PROXIES))


@functools.lru_cache(maxsize=4096)
def _client_ip(remote_addr: str, forwarded_for: str, proxies: tuple[str, ...]) -> str | None:
    """:func:`client_ip` of these headers under these proxies (cached: parsing addresses costs more than
    the rest of a rate-limit check, and the same clients come back)."""
    remote = _valid(remote_addr)
    if remote is None or not _trusted(remote, proxies):
        return remote
    forwarded = [a.strip() for a in forwarded_for.split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address, proxies):
            return _valid(address)
    return remote


def user_agent(request: Any) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]


def request_data(request: Any) -> dict[str, Any]:
    """``ip`` and ``user_agent`` for an audit event's ``data``."""
    return {"ip": client_ip(request), "user_agent": user_agent(request)}
