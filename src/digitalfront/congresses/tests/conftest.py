"""Fixtures of the congress tests: a term, a frozen clock inside it, results that keep every rule."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from digitalfront.congresses.models import Term

RESULTS = {"held_on": "2024-10-05", "delegates_summoned": 120, "delegates_attending": 115, "committee_size": 35,
           "standing_size": 5, "chair": "Nguyễn Thị Hoa", "vice_chairs": ["Trần Văn Nam", "Lê Thị Mai"],
           "standing_members": ["Phạm Văn Đức"],
           "women": 12, "under_35": 4, "ethnic_minority": 1, "religious": 1, "non_party": 6, "re_elected": 20,
           "new_members": 15, "delegates_to_above": 8}


@pytest.fixture
def term(db: Any) -> Term:
    return Term.objects.create(name="2024–2029", starts_on=datetime.date(2024, 1, 1),
                               ends_on=datetime.date(2029, 12, 31))


@pytest.fixture
def in_2024() -> Iterator[None]:
    """09:00 in Hà Nội on 1 November 2024, inside the term, after the congresses of the tests."""
    with time_machine.travel(datetime.datetime(2024, 11, 1, 2, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, request: pytest.FixtureRequest) -> None:
    """A cache of each test's own: the dashboard's figures are cached under their data's version, and a
    table flushed between tests (with the clock frozen) could otherwise meet an earlier test's entry."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"congresses-{request.node.nodeid}"}}
