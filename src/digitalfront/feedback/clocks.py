"""The legal clocks of each kind of case, as data (``../shared/docs/DOMAIN.md``, "Feedback types").

Days are working days of ``core.workdays`` (weekends and the holiday calendar excluded).

| kind | accept or refuse | resolve after acceptance | extensions |
|---|---|---|---|
| feedback | the unit's ``ServiceLevel.accept_days`` (default 3) | ``answer_days`` (default 15) | none |
| complaint | 10 (Law on Complaints 2011, art. 27) | 30; 45 complex; remote 45 / 60 (art. 28) | 1: complex |
| denunciation | 7 (Law on Denunciations 2018, art. 24) | 30 (art. 30) | 1 if complex, 2 if very complex, 30 each |

Extensions are recorded decisions (``feedback.models.Extension``) and ``allowed_extension`` refuses what
the law does not allow.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from digitalfront.core.errors import InvalidState
from digitalfront.core.workdays import add_working_days
from digitalfront.orgs.models import PATH_SEGMENT, Unit

from .models import Case, Complexity, Kind, ServiceLevel

DEFAULT_ACCEPT_DAYS = 3
DEFAULT_ANSWER_DAYS = 15

COMPLAINT_ACCEPT_DAYS = 10
COMPLAINT_RESOLVE = {  # (remote area, complexity) -> working days from acceptance
    (False, Complexity.NORMAL): 30,
    (False, Complexity.COMPLEX): 45,
    (True, Complexity.NORMAL): 45,
    (True, Complexity.COMPLEX): 60,
}
DENUNCIATION_ACCEPT_DAYS = 7
DENUNCIATION_RESOLVE_DAYS = 30
DENUNCIATION_EXTENSION_DAYS = 30
DENUNCIATION_MAX_EXTENSIONS = {Complexity.NORMAL: 0, Complexity.COMPLEX: 1, Complexity.VERY_COMPLEX: 2}

# alerts: this many working days before the deadline
WARN_DAYS_BEFORE = 5


# Service levels are read on every intake; each process keeps them for CACHE_SECONDS.
CACHE_SECONDS = 60.0
_levels: dict[str, Any] = {}


def clear_cache() -> None:
    _levels.clear()


def _all_levels() -> dict[str, tuple[int, int]]:
    if "at" not in _levels or time.monotonic() - _levels["at"] > CACHE_SECONDS:
        _levels["rows"] = {
            path: (accept, answer)
            for path, accept, answer in ServiceLevel.objects.values_list("unit__path", "accept_days", "answer_days")
        }
        _levels["at"] = time.monotonic()
    rows: dict[str, tuple[int, int]] = _levels["rows"]
    return rows


def service_level(unit: Unit) -> tuple[int, int]:
    """The feedback clock of ``unit``: its own service level, else the nearest ancestor's, else the default."""
    levels = _all_levels()
    for end in range(len(unit.path), 0, -PATH_SEGMENT):
        if unit.path[:end] in levels:
            return levels[unit.path[:end]]
    return DEFAULT_ACCEPT_DAYS, DEFAULT_ANSWER_DAYS


def accept_days(case: Case) -> int:
    """Working days, from receipt, to accept or refuse ``case``."""
    if case.kind == Kind.COMPLAINT:
        return COMPLAINT_ACCEPT_DAYS
    if case.kind == Kind.DENUNCIATION:
        return DENUNCIATION_ACCEPT_DAYS
    return service_level(case.unit)[0]


def resolve_days(case: Case) -> int:
    """Working days, from acceptance, to resolve and answer ``case`` (extensions not included)."""
    if case.kind == Kind.COMPLAINT:
        complexity = Complexity.NORMAL if case.complexity == Complexity.NORMAL else Complexity.COMPLEX
        return COMPLAINT_RESOLVE[(case.remote_area, complexity)]
    if case.kind == Kind.DENUNCIATION:
        return DENUNCIATION_RESOLVE_DAYS
    return service_level(case.unit)[1]


def accept_deadline(case: Case) -> dt.datetime:
    return add_working_days(case.received_at, accept_days(case))


def resolve_deadline(case: Case, accepted_at: dt.datetime) -> dt.datetime:
    return add_working_days(accepted_at, resolve_days(case))


@dataclass(frozen=True)
class ExtensionRule:
    """What one more extension of ``case`` would be: the complexity it needs and its length."""

    complexity: str
    days: int


def allowed_extension(case: Case, complexity: str) -> ExtensionRule:
    """The extension the law allows for ``case`` declared ``complexity``; raises :class:`InvalidState`
    when there is none left (feedback has none; a complaint one, by being complex; a denunciation one
    when complex, two when especially complex)."""
    if complexity not in Complexity.values or complexity == Complexity.NORMAL:
        raise InvalidState("Chỉ gia hạn được khi vụ việc phức tạp hoặc đặc biệt phức tạp.", code="no_extension")
    if case.kind == Kind.FEEDBACK:
        raise InvalidState(
            "Góp ý, phản ánh không được gia hạn theo luật; hãy trả lời trong thời hạn.", code="no_extension"
        )
    if case.kind == Kind.COMPLAINT:
        if case.extensions >= 1:
            raise InvalidState(
                "Khiếu nại chỉ được kéo dài thời hạn giải quyết một lần (Điều 28 Luật Khiếu nại).", code="no_extension"
            )
        remote = case.remote_area
        days = COMPLAINT_RESOLVE[(remote, Complexity.COMPLEX)] - COMPLAINT_RESOLVE[(remote, Complexity.NORMAL)]
        return ExtensionRule(Complexity.COMPLEX, days)
    allowed = DENUNCIATION_MAX_EXTENSIONS[Complexity(complexity)]
    if case.extensions >= allowed:
        if complexity == Complexity.COMPLEX:
            message = "Vụ việc phức tạp chỉ được gia hạn một lần (Điều 30 Luật Tố cáo)."
        else:
            message = "Vụ việc đặc biệt phức tạp chỉ được gia hạn hai lần (Điều 30 Luật Tố cáo)."
        raise InvalidState(message, code="no_extension")
    return ExtensionRule(complexity, DENUNCIATION_EXTENSION_DAYS)
