"""Reads about accounts."""

from typing import Any

from digitalfront.accounts.models import UnitRole


def role_paths(user: Any) -> list[tuple[str, str]]:
    """``(role, unit path)`` for each role of ``user`` at a unit that is still in force."""
    return list(
        UnitRole.objects.filter(user_id=user.pk, unit__valid_to__isnull=True).values_list("role", "unit__path")
    )
