"""The state machine of a case: which status may follow which, and the timestamp each one sets.

```
received ──► accepted ──► forwarded ◄──► in_progress ──► answered ──► closed
   │  │          │  └──────────────────────┘  ▲              │  ▲         │
   │  │          └───────────────────────────────────────────┘  │         │
   │  └──► refused ──► closed                   reopened (once, by the citizen, within the window)
   └─────► merged (also from accepted, forwarded, in_progress)
```
"""

from __future__ import annotations

from digitalfront.core.errors import InvalidState

from .models import Case, Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.ACCEPTED, Status.REFUSED, Status.MERGED}),
    Status.ACCEPTED: frozenset({Status.FORWARDED, Status.IN_PROGRESS, Status.ANSWERED, Status.MERGED}),
    Status.FORWARDED: frozenset({Status.IN_PROGRESS, Status.FORWARDED, Status.ANSWERED, Status.MERGED}),
    Status.IN_PROGRESS: frozenset({Status.FORWARDED, Status.ANSWERED, Status.MERGED}),
    Status.ANSWERED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.REFUSED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.MERGED: frozenset(),
}

TIMESTAMP: dict[str, str] = {
    Status.ACCEPTED: "accepted_at",
    Status.REFUSED: "refused_at",
    Status.FORWARDED: "forwarded_at",
    Status.IN_PROGRESS: "in_progress_at",
    Status.ANSWERED: "answered_at",
    Status.CLOSED: "closed_at",
    Status.MERGED: "merged_at",
}

_VERBS = {
    Status.ACCEPTED: "thụ lý",
    Status.REFUSED: "từ chối thụ lý",
    Status.FORWARDED: "chuyển cơ quan có thẩm quyền",
    Status.IN_PROGRESS: "chuyển sang đang giải quyết",
    Status.ANSWERED: "trả lời",
    Status.CLOSED: "đóng",
    Status.MERGED: "gộp",
}


def can_move(case: Case, to: str) -> bool:
    return to in TRANSITIONS.get(case.status, frozenset())


def check_move(case: Case, to: str) -> None:
    """Raise :class:`InvalidState` (409, Vietnamese) unless ``case`` may move to ``to``."""
    if not can_move(case, to):
        current = Status(case.status).label
        raise InvalidState(
            f"Không thể {_VERBS.get(Status(to), 'thay đổi')} phản ánh đang ở trạng thái “{current}”.",
            code="invalid_state",
        )
