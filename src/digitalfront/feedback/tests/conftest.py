"""Fixtures of the feedback tests: the shared world plus a handler at each level and an authority."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from digitalfront.core import workdays
from digitalfront.core.testing import make_user
from digitalfront.feedback import clocks
from digitalfront.feedback.models import Authority, AuthorityKind
from digitalfront.feedback.services import intake


@pytest.fixture(autouse=True)
def _fresh_caches():
    workdays.clear_cache()
    clocks.clear_cache()
    intake._UNITS.clear()
    intake._ROOT.clear()
    yield
    workdays.clear_cache()
    clocks.clear_cache()


@pytest.fixture
def fw(world):
    """The world, with a provincial handler, an identity officer and an authority of Ba Đình."""
    world.users["province_handler"] = make_user("xuly.hanoi", roles=[(world.p1, "data_entry")])
    world.users["identity_officer"] = make_user("baomat.hanoi", roles=[(world.p1, "identity")])
    authority = Authority.objects.create(
        unit=world.c11, name="UBND phường Ba Đình", kind=AuthorityKind.PEOPLES_COMMITTEE, email="ubnd@badinh.example"
    )
    world.users["authority"] = make_user("ubnd.badinh", kind="authority")
    authority.accounts.add(world.users["authority"])
    world.authority = authority
    return world


def submission(world: Any, **overrides: Any) -> intake.Submission:
    fields: dict[str, Any] = {
        "kind": "feedback",
        "title": "Rác thải ùn ứ ở ngõ 12",
        "content": "Rác thải ùn ứ nhiều ngày ở đầu ngõ 12 phố Đội Cấn, bốc mùi hôi, đề nghị thu gom.",
        "province": world.p1.pk,
        "commune": world.c11.pk,
        "name": "Trần Thị Bình",
        "phone": "0912 345 678",
        "email": "binh@example.vn",
    }
    fields.update(overrides)
    return intake.prepare(**fields)


def received_on(day: dt.date) -> dt.datetime:
    """09:00 local time on ``day``."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@pytest.fixture(autouse=True)
def _write_in_the_request_thread(settings):
    """The test's data lives in its transaction: the writer thread's own connection would not see it."""
    settings.DIGITALFRONT_INTAKE_BATCH = False
