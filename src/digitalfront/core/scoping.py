"""The one scoping mechanism: ``Model.objects.for_user(user, action)``.

Every object that belongs to a unit is read through a :class:`ScopedQuerySet`. The user's role
assignments are resolved into subtrees of the unit hierarchy (materialised paths, see
``orgs.models.Unit.path``) and turned into one filter. Superusers see everything; anonymous users and
citizens see nothing that is scoped.

Actions:
- ``view``: any role at the unit or an ancestor;
- ``edit``: data entry or unit administrator at the unit or an ancestor;
- ``approve``: approver at a *strict* ancestor (nobody approves their own unit's report);
- ``admin``: unit administrator at the unit or an ancestor;
- ``reveal``: the ``identity`` role at the unit or an ancestor (a denouncer's identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from digitalfront.accounts.models import User

ACTIONS = ("view", "edit", "approve", "admin", "reveal")

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view"}),
    "data_entry": frozenset({"view", "edit"}),
    "approver": frozenset({"view", "approve"}),
    "unit_admin": frozenset({"view", "edit", "admin"}),
    # feedback: may reveal a denouncer's identity (feedback.services.reveal_identity); superusers too
    # need this role, because the law names who may know
    "identity": frozenset({"view", "reveal"}),
}
STRICT_ACTIONS = frozenset({"approve"})


def path_upper_bound(path: str) -> str:
    """The smallest path of the same length that is not in the subtree of ``path``.

    Paths are strings of decimal digits (fixed-width segments), so every descendant of ``path`` sorts in
    ``[path, path_upper_bound(path))`` under any collation: the range uses a plain B-tree index on
    SQLite and PostgreSQL alike, where ``LIKE 'prefix%'`` would not.
    """
    return str(int(path) + 1).zfill(len(path))


def subtree_q(field: str, path: str, *, strict: bool = False) -> Q:
    """A filter for rows whose ``field`` (a unit path) lies in the subtree of ``path``."""
    lower = {f"{field}__gt": path} if strict else {f"{field}__gte": path}
    return Q(**lower, **{f"{field}__lt": path_upper_bound(path)})


@dataclass(frozen=True)
class Scope:
    """The subtrees a user may act in. ``everything`` for superusers."""

    everything: bool
    paths: tuple[str, ...]
    strict: bool = False

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.paths

    def q(self, field: str) -> Q:
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        query = Q()
        for path in self.paths:
            query |= subtree_q(field, path, strict=self.strict)
        return query

    def covers(self, path: str) -> bool:
        if self.everything:
            return True
        return any(path.startswith(p) and (not self.strict or path != p) for p in self.paths)


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths inside another path of the set: the filter stays as short as it can be."""
    kept: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(p) for p in kept):
            kept.append(path)
    return tuple(sorted(kept))


def scope_for(user: User | AnonymousUser | None, action: str) -> Scope:
    """Resolve ``user``'s role assignments into the subtrees where ``action`` is allowed.

    The result is cached on the user object for the length of the request.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope(everything=False, paths=())
    if user.is_superuser:
        return Scope(everything=True, paths=())
    cache: dict[str, Scope] | None = getattr(user, "_scope_cache", None)
    if cache is None:
        cache = {}
        user._scope_cache = cache  # type: ignore[union-attr,attr-defined]
    if action not in cache:
        from digitalfront.accounts.selectors import role_paths  # the assignments live in accounts

        paths = {path for role, path in role_paths(user) if action in ROLE_ACTIONS.get(role, frozenset())}
        cache[action] = Scope(everything=False, paths=_minimal(paths), strict=action in STRICT_ACTIONS)
    return cache[action]


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which field holds the unit path of its rows (``scope_path_field``)."""

    scope_path_field = "unit__path"

    def for_user(self, user: Any, action: str = "view") -> Self:
        """Only the rows ``user`` may ``action``: the one filter every read goes through."""
        return self.filter(scope_for(user, action).q(self.scope_path_field))
