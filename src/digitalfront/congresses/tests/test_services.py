"""Entering and confirming congresses: who may do what, and validation that changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from digitalfront.congresses.models import Congress, Status, Term
from digitalfront.congresses.services import congresses
from digitalfront.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.models import AuditEvent

RESULTS = {"held_on": "2024-10-05", "delegates_summoned": 120, "delegates_attending": 115, "committee_size": 35,
           "standing_size": 5, "chair": "Nguyễn Thị Hoa", "vice_chairs": "Trần Văn Nam\nLê Thị Mai",
           "standing_members": "  Phạm   Văn Đức\n\nHoàng Thị Lan ", "women": 12, "under_35": 4,
           "ethnic_minority": 1, "religious": 1, "non_party": 6, "re_elected": 20, "new_members": 15,
           "delegates_to_above": 8}



pytestmark = pytest.mark.usefixtures("in_2024")


def test_plan_by_the_units_own_staff(world: Any, term: Term) -> None:
    c = congresses.plan(actor=world.user("here"), unit=world.c11, term=term,
                        values={"planned_on": "2024-10-05", "venue": "Hội trường phường", "delegates_summoned": 120})
    assert (c.level, c.status, c.planned_on) == ("commune", Status.PLANNED, datetime.date(2024, 10, 5))
    assert AuditEvent.objects.filter(action="congress.plan", object_id=str(c.pk)).exists()
    with pytest.raises(InvalidState):
        congresses.plan(actor=world.user("here"), unit=world.c11, term=term)
    for actor, unit, error in [("here", world.p1, PermissionDenied), ("elsewhere", world.c12, PermissionDenied),
                               ("above", world.c12, PermissionDenied), ("here", world.v111, ValidationFailed),
                               ("admin", world.central, ValidationFailed)]:
        with pytest.raises(error):
            congresses.plan(actor=world.user(actor), unit=unit, term=term)
    assert Congress.objects.count() == 1


@pytest.mark.parametrize(("values", "field"), [
    ({"planned_on": "2023-12-31"}, "planned_on"),
    ({"held_on": "2030-01-02"}, "held_on"),
    ({"held_on": "2024-12-01"}, "held_on"),  # not yet
    ({"held_on": "05/10/2024"}, "held_on"),
    ({"delegates_summoned": 100, "delegates_attending": 101}, "delegates_attending"),
    ({"committee_size": 30, "women": 31}, "women"),
    ({"committee_size": 30, "standing_size": 31}, "standing_size"),
    ({"standing_size": 2, "chair": "A", "vice_chairs": ["B", "C"]}, "vice_chairs"),
    ({"standing_size": 3, "chair": "A", "vice_chairs": ["B"], "standing_members": ["C", "D"]}, "standing_members"),
    ({"standing_members": ["Người thứ " + str(i) for i in range(51)]}, "standing_members"),
    ({"standing_members": [1, 2]}, "standing_members"),
    ({"standing_members": "x" * 151}, "standing_members"),
    ({"committee_size": -1}, "committee_size"),
    ({"committee_size": "ba mươi"}, "committee_size"),
    ({"committee_size": True}, "committee_size"),
    ({"committee_size": 10**9}, "committee_size"),
    ({"venue": "x" * 301}, "venue"),
    ({"secret": 1}, "secret"),
])
def test_invalid_values_change_nothing(world: Any, term: Term, values: dict[str, Any], field: str) -> None:
    c = congresses.plan(actor=world.user("here"), unit=world.c11, term=term, values={"delegates_summoned": 120})
    before = (Congress.objects.filter(pk=c.pk).values().get(), AuditEvent.objects.count())
    with pytest.raises(ValidationFailed) as raised:
        congresses.update(actor=world.user("here"), congress_id=c.pk, values=values)
    assert raised.value.field == field and raised.value.status == 422 and raised.value.message
    assert (Congress.objects.filter(pk=c.pk).values().get(), AuditEvent.objects.count()) == before


def test_report_confirm_and_return(world: Any, term: Term) -> None:
    here, above, elsewhere = world.user("here"), world.user("above"), world.user("elsewhere")
    c = congresses.plan(actor=here, unit=world.c11, term=term, values={"planned_on": "2024-10-05"})
    with pytest.raises(ValidationFailed, match="ngày tổ chức"):
        congresses.set_status(actor=here, congress_id=c.pk, status=Status.HELD)
    congresses.update(actor=here, congress_id=c.pk, values={"held_on": "2024-10-05"})
    with pytest.raises(ValidationFailed):
        congresses.set_status(actor=here, congress_id=c.pk, status=Status.REPORTED)  # no results yet
    congresses.update(actor=here, congress_id=c.pk, values=RESULTS)
    c = congresses.set_status(actor=here, congress_id=c.pk, status=Status.REPORTED)
    assert c.reported_by == here and c.vice_chairs == ["Trần Văn Nam", "Lê Thị Mai"]
    assert c.standing_members == ["Phạm Văn Đức", "Hoàng Thị Lan"]  # typed one per line, spaces tidied
    # the unit does not confirm itself; another province does not even see it
    with pytest.raises(PermissionDenied):
        congresses.confirm(actor=here, congress_id=c.pk)
    with pytest.raises(NotFound):
        congresses.confirm(actor=elsewhere, congress_id=c.pk)
    with pytest.raises(ValidationFailed):
        congresses.set_status(actor=here, congress_id=c.pk, status=Status.CONFIRMED)
    c = congresses.confirm(actor=above, congress_id=c.pk)
    assert c.status == Status.CONFIRMED and c.confirmed_by == above
    with pytest.raises(InvalidState):
        congresses.update(actor=here, congress_id=c.pk, values={"women": 13})
    with pytest.raises(ValidationFailed):
        congresses.return_for_correction(actor=above, congress_id=c.pk, reason="")
    c = congresses.return_for_correction(actor=above, congress_id=c.pk, reason="Sai số ủy viên nữ")
    assert c.status == Status.HELD and c.confirmed_at is None
    assert congresses.update(actor=here, congress_id=c.pk, values={"women": 13}).women == 13
    assert list(AuditEvent.objects.filter(object_id=str(c.pk), action__startswith="congress.")
                .values_list("action", flat=True).order_by("pk")) == [
        "congress.plan", "congress.update", "congress.update", "congress.status", "congress.confirm",
        "congress.return", "congress.update"]
