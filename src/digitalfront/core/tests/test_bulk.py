"""``core.bulk.create_objects``: the intake's batch insert, on the database of the run (one statement of
arrays on PostgreSQL, ``bulk_create`` elsewhere)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from digitalfront.core.bulk import create_objects
from digitalfront.feedback.models import Case, CaseEvent
from digitalfront.feedback.services.intake import new_code


def _case(world, n: int, **fields) -> Case:
    values = {
        "code": new_code(), "access_hash": f"{n:064d}", "intake_token": uuid.uuid4(), "kind": "feedback",
        "channel": "api", "title": f"Phản ánh số {n}", "content": "Nội dung có dấu: đường, rác thải, “ngoặc”.",
        "level": "commune", "province": world.p1, "commune": world.c11, "unit": world.c11,
        "unit_path": world.c11.path, "received_at": timezone.now(),
        "accept_due_at": timezone.now() + dt.timedelta(days=10),
    }
    return Case(**(values | fields))


def test_rows_keys_and_values_come_back_in_order(world):
    cases = [_case(world, 1, latitude=Decimal("21.028511"), longitude=Decimal("105.804817")),
             _case(world, 2, commune=None, suggestion={"topic": {"label": "môi trường", "p": 0.91}}),
             _case(world, 3, title="")]
    create_objects(cases)
    assert all(c.pk is not None and not c._state.adding for c in cases)
    assert len({c.pk for c in cases}) == 3
    for case in cases:  # each key is the row of that instance, not of another one
        stored = Case.objects.get(pk=case.pk)
        assert (stored.code, stored.title, stored.commune_id) == (case.code, case.title, case.commune_id)
    first = Case.objects.get(pk=cases[0].pk)
    assert (first.latitude, first.longitude) == (Decimal("21.028511"), Decimal("105.804817"))
    assert first.content == "Nội dung có dấu: đường, rác thải, “ngoặc”."
    assert Case.objects.get(pk=cases[1].pk).suggestion == {"topic": {"label": "môi trường", "p": 0.91}}
    events = create_objects([CaseEvent(case=c, at=c.received_at, action="received", unit_id=c.unit_id,
                                       to_status=c.status, data={"channel": "api", "n": i})
                             for i, c in enumerate(cases)])
    assert [CaseEvent.objects.get(pk=e.pk).data["n"] for e in events] == [0, 1, 2]
    assert create_objects([]) == []


def test_batches_of_different_sizes_use_the_same_statement(world):
    for size in (1, 7, 40):
        batch = create_objects([_case(world, 100 * size + i) for i in range(size)])
        assert Case.objects.filter(pk__in=[c.pk for c in batch]).count() == size


def test_every_column_is_stored_as_bulk_create_stores_it(world):
    """Values taken straight from the instance (plain scalars, aware datetimes, UUIDs, JSON, None) and
    those prepared by their field (choices members, decimals, ``auto_now``) read back as the ORM's own
    insert stores them."""
    from digitalfront.feedback.models import Kind

    now = timezone.now()

    def pair(n: int) -> tuple[Case, Case]:
        extra = {"kind": Kind.COMPLAINT, "latitude": Decimal("21.028511"), "answered_on_time": None,
                 "suggestion": {"topic": {"label": "đất đai", "p": 0.5}}, "duplicate_score": 0.25,
                 "supporters": 3, "anonymous": False, "closed_at": None, "received_at": now,
                 "accept_due_at": now + dt.timedelta(days=10)}
        token = uuid.uuid4()
        return (_case(world, n, intake_token=token, **extra),
                _case(world, n, intake_token=uuid.uuid4(), code=new_code(), **extra))

    ours, theirs = zip(*(pair(n) for n in range(3)), strict=True)
    create_objects(list(ours))
    Case.objects.bulk_create(list(theirs))
    skip = {"id", "code", "intake_token", "updated_at"}
    names = [f.attname for f in Case._meta.concrete_fields if f.attname not in skip]
    for mine, other in zip(ours, theirs, strict=True):
        stored = Case.objects.filter(code=mine.code).values(*names).get()
        expected = Case.objects.filter(code=other.code).values(*names).get()
        assert stored == expected
    assert Case.objects.get(code=ours[0].code).updated_at is not None


def test_new_object_is_the_instance_init_makes(world):
    """``new_object`` sets what ``Model(**values)`` sets: every field's default (a fresh one where the
    default is callable), the values given, related objects through their descriptors."""
    from digitalfront.core.bulk import new_object

    now = timezone.now()
    values = {"code": "PA-TEST-0001", "access_hash": "a" * 64, "intake_token": uuid.uuid4(), "kind": "complaint",
              "title": "Tiêu đề", "content": "Nội dung", "province": world.p1, "commune": None, "unit": world.c11,
              "unit_path": world.c11.path, "received_at": now, "latitude": Decimal("21.000001")}
    ours, theirs = new_object(Case, **values), Case(**values)
    state = {"_state"}
    assert {k: v for k, v in ours.__dict__.items() if k not in state} == \
        {k: v for k, v in theirs.__dict__.items() if k not in state}
    assert ours._state.adding and ours._state.db == theirs._state.db and ours.unit is world.c11
    assert ours.suggestion == {} and ours.suggestion is not new_object(Case, **values).suggestion
    create_objects([ours])
    assert Case.objects.get(pk=ours.pk).unit_id == world.c11.pk


def test_pairs_of_parent_and_child_are_written_together(world):
    """``create_pairs``: each case with its own event (one statement on PostgreSQL), every key set and
    each event pointing at its own case, whatever order the database returns the rows in."""
    from digitalfront.core.bulk import create_pairs

    for size in (1, 5):
        cases = [_case(world, 1000 * size + i, title=f"Cặp số {i}") for i in range(size)]
        events = [CaseEvent(at=c.received_at, action="received", unit_id=c.unit_id, to_status=c.status,
                            data={"n": i}) for i, c in enumerate(cases)]
        create_pairs(cases, events, link="case", match="code")
        for i, (case, event) in enumerate(zip(cases, events, strict=True)):
            assert case.pk is not None and event.pk is not None and event.case_id == case.pk
            stored = CaseEvent.objects.select_related("case").get(pk=event.pk)
            assert stored.case.title == f"Cặp số {i}" and stored.data == {"n": i}
    create_pairs([], [], link="case", match="code")
