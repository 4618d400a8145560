"""Reading the audit log: who may see which events, the filters of the log page and its export, and
the rows as they are shown (labels, local time, unit names, details without anything secret).

Who sees what:
- a superuser: every event;
- a unit administrator (role ``unit_admin``): events whose ``unit_path`` lies in the subtree of a unit
  where they hold that role (``core.scoping``, action ``admin``);
- anybody else: nothing (the pages answer 403). Events without a unit are for superusers only.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import batched
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from digitalfront.core.audit_labels import ACTION_LABELS, OBJECT_TYPE_LABELS, action_label, object_type_label
from digitalfront.core.models import AuditEvent
from digitalfront.core.scoping import Scope, scope_for

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# the columns read for a row of the page or the export (values, not model instances: cheaper in bulk)
FIELDS = ("id", "created_at", "actor__username", "action", "object_type", "object_id", "unit_path", "data")
# keys of ``data`` that are never shown nor exported, whatever their value: anything that looks like a
# credential (``password``, ``token``, ``secret``, ``code``, ...), matched anywhere in the key
SECRET_KEY_RE = re.compile(r"pass|pwd|token|secret|code|otp|key|credential|cookie|csrf|authori[sz]ation|hash|pin$",
                           re.IGNORECASE)
SHOWN_APART = ("ip", "user_agent")  # their own columns
DETAIL_VALUE_MAX = 200
FILTER_TEXT_MAX = 150
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
BAD_DATE = "Ngày “{value}” không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/11/2026."
BAD_RANGE = "“Từ ngày” phải trước hoặc trùng “Đến ngày”."
BAD_ACTION = "Hãy chọn một thao tác trong danh sách."


# --- who may ------------------------------------------------------------------------------------------


def audit_scope(user: Any) -> Scope:
    """The subtrees whose events ``user`` may read: unit administrators' units; everything for a
    superuser; nothing for anybody else."""
    return scope_for(user, "admin")


def can_browse_audit(user: Any) -> bool:
    return not audit_scope(user).nothing


def home_unit_path(user: Any) -> str:
    """Where an event about ``user``'s own audit-log reading belongs: their highest administered unit
    (``""`` for a superuser, whose scope is everything)."""
    scope = audit_scope(user)
    if scope.everything or not scope.paths:
        return ""
    return min(scope.paths, key=lambda p: (len(p), p))


# --- filters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""  # username, case-insensitive, exact
    object_type: str = ""  # e.g. ``accounts.user``
    date_from: datetime.date | None = None  # local dates, both inclusive
    date_to: datetime.date | None = None
    ip: str = ""  # any part of the client address

    def as_data(self) -> dict[str, str]:
        """The filters that are set, as strings (for the audit event of an export)."""
        out = {
            "action": self.action, "actor": self.actor, "object_type": self.object_type, "ip": self.ip,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in out.items() if v}


@dataclass
class ParsedFilters:
    filters: AuditFilters
    errors: dict[str, str] = field(default_factory=dict)  # field name -> Vietnamese message
    values: dict[str, str] = field(default_factory=dict)  # what was typed, to show it again


def parse_date(text: str) -> datetime.date:
    """``25/11/2026`` (also with ``-`` or ``.``, one-digit day and month) or ISO ``2026-11-25``."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time of day
        except ValueError:
            continue
    raise ValueError(text)


def parse_filters(params: Mapping[str, str]) -> ParsedFilters:
    """The filters of the query string. A bad value gives a Vietnamese message for its field and is
    left out (the other filters still apply)."""
    def text(name: str) -> str:
        return (params.get(name) or "").strip()[:FILTER_TEXT_MAX]

    values = {name: text(name) for name in ("action", "actor", "object_type", "from", "to", "ip")}
    errors: dict[str, str] = {}
    action = values["action"]
    if action and action not in ACTION_LABELS:
        errors["action"] = BAD_ACTION
        action = ""
    dates: dict[str, datetime.date | None] = {}
    for name in ("from", "to"):
        dates[name] = None
        if values[name]:
            try:
                dates[name] = parse_date(values[name])
            except ValueError:
                errors[name] = BAD_DATE.format(value=values[name])
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        errors["to"] = BAD_RANGE
        dates["to"] = None
    filters = AuditFilters(
        action=action, actor=values["actor"], object_type=values["object_type"].lower(),
        date_from=dates["from"], date_to=dates["to"], ip=values["ip"],
    )
    return ParsedFilters(filters, errors, values)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL_TZ)


def events_for(user: Any, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    """The events ``user`` may read, filtered, newest first: the one queryset of the page and the
    export."""
    events = AuditEvent.objects.filter(audit_scope(user).q("unit_path"))
    f = filters or AuditFilters()
    if f.action:
        events = events.filter(action=f.action)
    if f.actor:
        events = events.filter(actor__username__iexact=f.actor)
    if f.object_type:
        events = events.filter(object_type=f.object_type)
    if f.date_from:
        events = events.filter(created_at__gte=_local_midnight(f.date_from))
    if f.date_to:
        events = events.filter(created_at__lt=_local_midnight(f.date_to + datetime.timedelta(days=1)))
    if f.ip:
        events = events.filter(data__ip__icontains=f.ip)
    return events.order_by("-created_at", "-id")


def object_type_choices() -> list[tuple[str, str]]:
    """Object types for the filter's suggestions: those with a label (no query over the big table)."""
    return sorted(OBJECT_TYPE_LABELS.items(), key=lambda item: item[1])


# --- rows ---------------------------------------------------------------------------------------------


def is_secret_key(key: Any) -> bool:
    return bool(SECRET_KEY_RE.search(str(key)))


def public_data(value: Any) -> Any:
    """``value`` (an event's ``data``) without any key that looks like a secret, at any depth."""
    if isinstance(value, dict):
        return {k: public_data(v) for k, v in value.items() if not is_secret_key(k)}
    if isinstance(value, list):
        return [public_data(v) for v in value]
    return value


def _short(value: Any) -> str:
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_short(v) for v in value) + "]"
    elif value is None:
        text = "–"
    elif isinstance(value, bool):
        text = "có" if value else "không"
    else:
        text = str(value)
    return text if len(text) <= DETAIL_VALUE_MAX else text[: DETAIL_VALUE_MAX - 1] + "…"


def details_text(data: Any) -> str:
    """The rest of ``data`` (not the address and browser, never a secret) on one line:
    ``reason: nghỉ việc · sessions: 2``."""
    if not isinstance(data, dict):
        return _short(public_data(data)) if data else ""
    shown = public_data({k: v for k, v in data.items() if k not in SHOWN_APART})
    return " · ".join(f"{k}: {_short(v)}" for k, v in shown.items())


@dataclass
class EventRow:
    id: int
    at: datetime.datetime  # local time (Asia/Ho_Chi_Minh), aware
    actor: str
    action: str
    action_label: str
    object_type: str
    object_type_label: str
    object_id: str
    object_name: str  # e.g. the username of an account, when known
    unit_path: str
    unit_name: str
    ip: str
    user_agent: str
    details: str

    @property
    def at_text(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M:%S}"


class RowBuilder:
    """Turns event values (``FIELDS``) into :class:`EventRow`, looking up unit names and account
    usernames once per batch (the names already seen are kept, up to a bound)."""

    CACHE_MAX = 20_000

    def __init__(self) -> None:
        self.units: dict[str, str] = {}
        self.users: dict[str, str] = {}

    def _fill(self, batch: list[Mapping[str, Any]]) -> None:
        from digitalfront.orgs.models import Unit  # the unit hierarchy lives in orgs

        if len(self.units) > self.CACHE_MAX:
            self.units.clear()
        if len(self.users) > self.CACHE_MAX:
            self.users.clear()
        paths = {e["unit_path"] for e in batch if e["unit_path"]} - self.units.keys()
        if paths:
            found = dict(Unit.objects.filter(path__in=paths).values_list("path", "name"))
            self.units.update({p: found.get(p, "") for p in paths})
        ids = {e["object_id"] for e in batch if e["object_type"] == "accounts.user" and e["object_id"].isdigit()}
        ids -= self.users.keys()
        if ids:
            found_users = {
                str(pk): name
                for pk, name in get_user_model().objects.filter(pk__in=[int(i) for i in ids]).values_list(
                    "pk", "username")
            }
            self.users.update({i: found_users.get(i, "") for i in ids})

    def rows(self, batch: Iterable[Mapping[str, Any]]) -> list[EventRow]:
        batch = list(batch)
        self._fill(batch)
        out = []
        for e in batch:
            data = e["data"] if isinstance(e["data"], dict) else {}
            name = self.users.get(e["object_id"], "") if e["object_type"] == "accounts.user" else ""
            out.append(EventRow(
                id=e["id"],
                at=e["created_at"].astimezone(LOCAL_TZ),
                actor=e["actor__username"] or "",
                action=e["action"],
                action_label=action_label(e["action"]),
                object_type=e["object_type"],
                object_type_label=object_type_label(e["object_type"]),
                object_id=e["object_id"],
                object_name=name,
                unit_path=e["unit_path"],
                unit_name=self.units.get(e["unit_path"], ""),
                ip=str(data.get("ip") or ""),
                user_agent=str(data.get("user_agent") or ""),
                details=details_text(e["data"]),
            ))
        return out


def event_rows(events: QuerySet[AuditEvent], *, limit: int | None = None,
               chunk_size: int = 2000) -> Iterator[EventRow]:
    """The rows of ``events`` (the first ``limit``), read ``chunk_size`` at a time: constant memory for
    the export."""
    builder = RowBuilder()
    values = events.values(*FIELDS)
    if limit is not None:
        values = values[:limit]
    for batch in batched(values.iterator(chunk_size=chunk_size), chunk_size):
        yield from builder.rows(batch)
