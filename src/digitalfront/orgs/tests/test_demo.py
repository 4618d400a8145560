"""The national demo loader writes reports and roll-ups directly; check-rollups must agree."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from digitalfront.accounts.models import User
from digitalfront.orgs.models import Report, ReportStatus, Rollup
from digitalfront.orgs.services import rollups


@pytest.mark.django_db
def test_demo_loads_reports_and_exact_rollups():
    out = io.StringIO()
    call_command("demo", "--villages", "400", "--quiet", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["village"] == 400 and result["province"] == 34
    assert result["reports"] == Report.objects.count() > 4 * (3321 * 9)
    assert Report.objects.values("period").distinct().count() == 4
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in ReportStatus}  # a realistic spread of states
    assert Rollup.objects.exists()
    assert rollups.differences() == []
    assert User.objects.filter(username="quantri", is_superuser=True).exists()
    # the loader drops and rebuilds the secondary indexes on SQLite: they must all be back
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Report._meta.db_table)
    assert {"report_period_status", "report_unit_period"} <= set(constraints)
    # idempotent: a second run adds nothing
    again = io.StringIO()
    call_command("demo", "--villages", "400", "--quiet", stdout=again)
    assert json.loads(again.getvalue().strip().splitlines()[-1])["reports"] == 0


def test_console_command_accepts_hyphenated_names():
    done = subprocess.run(
        [sys.executable, "-m", "digitalfront", "check-rollups", "--help"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "check-rollups" in done.stdout or "check_rollups" in done.stdout
