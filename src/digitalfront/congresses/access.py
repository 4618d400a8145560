"""Loading one congress for a user: "missing" and "not yours" are the same 404 (``core.scoping``).

Entry is for the unit's own staff (``edit`` at the unit or above: data entry, unit administrators);
confirmation for the level above (``approve``, a strict ancestor).
"""

from __future__ import annotations

from typing import Any

from digitalfront.core.errors import NotFound

from .models import Congress


def congress_for(user: Any, pk: int, action: str = "view") -> Congress:
    congress = Congress.objects.for_user(user, action).select_related("unit", "term").filter(pk=pk).first()
    if congress is None:
        raise NotFound()
    return congress
