"""Concurrent submissions keep the roll-ups exact (row locks taken in one order, upserts in SQL)."""

import threading

import pytest
from django.db import close_old_connections, connection

from digitalfront.core.testing import build_world
from digitalfront.orgs.models import Report
from digitalfront.orgs.services import rollups
from digitalfront.orgs.services.reports import reopen_report, save_report, submit_report


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot take concurrent writers; CI runs this on PostgreSQL",
)
def test_parallel_submissions_and_reopens_leave_no_difference():
    world = build_world()
    admin = world.user("admin")
    units = [world.v111, world.v112, world.c11, world.c12, world.v211, world.c21]
    drafts = [
        save_report(actor=admin, unit=unit, org_type=world.orgs[org], period=world.period,
                    data={"members": 10 + i, "values": {}})
        for i, (unit, org) in enumerate((u, o) for u in units for o in ("mttq", "phu-nu", "nong-dan"))
    ]
    errors: list[BaseException] = []

    def work(chunk: list[Report]) -> None:
        try:
            for report in chunk:
                submitted = submit_report(actor=admin, report=report)
                if submitted.pk % 3 == 0:
                    reopen_report(actor=admin, report=submitted)
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(drafts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert rollups.differences() == []
    assert Report.objects.filter(status="submitted").count() == sum(1 for d in drafts if d.pk % 3 != 0)
