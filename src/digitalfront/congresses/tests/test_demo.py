"""The simulated term of ``digitalfront demo``: every province and commune, various states, the services'
rules kept, and a second run that adds nothing."""

from __future__ import annotations

import datetime
from typing import Any

from digitalfront.congresses.demo import load_congress_demo
from digitalfront.congresses.models import Congress, NewsItem, Status
from digitalfront.congresses.services.congresses import EDITABLE, check
from digitalfront.orgs.models import Level, Unit


def test_a_whole_term_in_various_states(world: Any) -> None:
    today = datetime.date(2026, 11, 23)
    first = load_congress_demo(today=today, seed=7)
    units = Unit.objects.filter(level__in=[Level.PROVINCE, Level.COMMUNE], valid_to__isnull=True).count()
    assert first["congresses"] == first["added"] == units == Congress.objects.count()
    for c in Congress.objects.select_related("term"):
        check(c.term, {name: getattr(c, name) for name in EDITABLE}, today=today)
        assert (c.held_on is not None) == (c.status in (Status.HELD, Status.REPORTED, Status.CONFIRMED))
        assert c.status in Status.values and c.level == c.unit.level
    assert NewsItem.objects.count() == Congress.objects.filter(level=Level.PROVINCE, held_on__isnull=False).count()
    again = load_congress_demo(today=today, seed=7)
    assert again["added"] == 0 and Congress.objects.count() == units


def test_states_spread_over_a_larger_country(world: Any) -> None:
    """Many communes (made here): every state appears."""
    from digitalfront.core.testing import make_unit

    for i in range(60):
        make_unit(f"9{i:04d}", f"Xã Thử {i}", Level.COMMUNE, world.p1 if i % 2 else world.p2, "xã")
    result = load_congress_demo(today=datetime.date(2026, 11, 23), seed=3)
    assert all(result["by_status"][s] > 0 for s in Status.values), result["by_status"]
