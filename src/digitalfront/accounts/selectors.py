"""Reads about accounts."""

from typing import Any

from digitalfront.accounts.models import UnitRole


def role_paths(user: Any) -> list[tuple[str, str]]:
    """``(role, unit path)`` for each role of ``user`` at a unit that is still in force."""
    return list(
        UnitRole.objects.filter(user_id=user.pk, unit__valid_to__isnull=True).values_list("role", "unit__path")
    )


def unit_claims(user: Any) -> tuple[list[str], list[str]]:
    """The ``units`` and ``roles`` claims of ``user``: codes of units in force where they hold a role,
    and ``role@unit code`` for each assignment, both sorted."""
    rows = list(
        UnitRole.objects.filter(user_id=user.pk, unit__valid_to__isnull=True)
        .order_by("unit__code", "role")
        .values_list("role", "unit__code")
    )
    units = sorted({code for _, code in rows})
    return units, [f"{role}@{code}" for role, code in rows]
