"""The hierarchy: loading the real units, and reorganisations that keep history."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from digitalfront.core.errors import ValidationFailed
from digitalfront.orgs.models import Level, OrganisationType, Unit, UnitChange
from digitalfront.orgs.selectors import subtree_totals, sum_orgs
from digitalfront.orgs.services import rollups
from digitalfront.orgs.services.reports import save_report, submit_report
from digitalfront.orgs.services.units import merge_units, split_unit


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip().splitlines()[-1], err.getvalue()


@pytest.mark.django_db
def test_load_units_is_real_idempotent_and_reports_counts():
    line, progress = run("load_units", "--villages", "700")
    assert json.loads(line) == {"central": 1, "province": 34, "commune": 3321, "village": 700}
    assert "thôn" in progress  # progress goes to stderr
    hanoi = Unit.objects.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội" and hanoi.level == Level.PROVINCE
    ba_dinh = Unit.objects.get(code="00004")
    assert ba_dinh.parent == hanoi and ba_dinh.path.startswith(hanoi.path)
    villages = Unit.objects.filter(level=Level.VILLAGE)
    assert villages.filter(is_generated=True).count() == 700
    assert all(v.parent.level == Level.COMMUNE for v in villages.select_related("parent")[:50])
    before = set(Unit.objects.values_list("code", "path"))
    line, _ = run("load_units", "--villages", "700", "--quiet")
    assert json.loads(line)["village"] == 700
    assert set(Unit.objects.values_list("code", "path")) == before  # nothing duplicated or moved


@pytest.mark.django_db
def test_organisations_come_from_configuration(settings, tmp_path):
    config = tmp_path / "orgs.json"
    config.write_text(json.dumps({"organisations": [
        {"code": "mttq", "kind": "front", "name": "Ủy ban MTTQ", "short_name": "MTTQ",
         "levels": ["central", "province"]},
        {"code": "hoi-lam-vuon", "kind": "mass", "name": "Hội Làm vườn", "short_name": "Hội Làm vườn",
         "levels": ["commune", "village"]},
    ]}), encoding="utf-8")
    settings.DIGITALFRONT_ORGANISATIONS_FILE = str(config)
    from digitalfront.orgs.services.units import sync_organisation_types

    sync_organisation_types()
    garden = OrganisationType.objects.get(code="hoi-lam-vuon")
    assert garden.exists_at("village") and not garden.exists_at("province")
    assert not OrganisationType.objects.get(code="mttq").exists_at("village")


def submit(world, unit, members, org="phu-nu"):
    report = save_report(actor=world.user("admin"), unit=unit, org_type=world.orgs[org], period=world.period,
                         data={"members": members})
    return submit_report(actor=world.user("admin"), report=report)


def members(world, unit):
    return sum_orgs(subtree_totals([unit.pk], world.period)[unit.pk]).get("members", 0)


def test_merge_keeps_history_under_the_successor(world):
    submit(world, world.c21, 40)
    submit(world, world.v211, 60)
    submit(world, world.c11, 5)
    assert members(world, world.p2) == 100
    effective = datetime.date(2026, 12, 1)
    merge_units(actor=world.user("admin"), sources=[world.c21], target=world.c11, effective=effective,
                decision="Nghị quyết 1/2026")
    world.c21.refresh_from_db()
    world.v211.refresh_from_db()
    assert world.c21.valid_to == effective - datetime.timedelta(days=1)
    assert world.c21.successor == world.c11
    assert world.v211.parent == world.c11  # its villages now belong to the successor
    # what the merged commune and its village reported now counts under the successor, in every roll-up
    assert members(world, world.c11) == 105
    assert members(world, world.p1) == 105
    assert members(world, world.p2) == 0
    assert members(world, world.central) == 105
    assert rollups.differences() == []
    change = UnitChange.objects.get()
    assert set(change.sources.all()) == {world.c21} and set(change.targets.all()) == {world.c11}


def test_merge_refuses_nonsense(world):
    with pytest.raises(ValidationFailed):
        merge_units(actor=None, sources=[world.v111], target=world.c11, effective=datetime.date(2026, 12, 1))
    with pytest.raises(ValidationFailed):
        merge_units(actor=None, sources=[world.c11], target=world.c11, effective=datetime.date(2026, 12, 1))
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0


def test_split_moves_children_and_keeps_totals_above(world):
    submit(world, world.v111, 10)
    submit(world, world.v112, 20)
    submit(world, world.c11, 3)
    new = split_unit(
        actor=world.user("admin"), source=world.c11, effective=datetime.date(2026, 12, 1),
        parts=[{"code": "00004-A", "name": "Phường Ba Đình A", "children": [world.v111.pk]},
               {"code": "00004-B", "name": "Phường Ba Đình B", "children": [world.v112.pk]}],
    )
    assert [u.level for u in new] == [Level.COMMUNE, Level.COMMUNE]
    assert members(world, new[0]) == 10 and members(world, new[1]) == 20
    assert members(world, world.p1) == 33  # unchanged: the closed commune keeps its own report
    assert rollups.differences() == []
    with pytest.raises(ValidationFailed):
        split_unit(actor=None, source=new[0], effective=datetime.date(2026, 12, 2),
                   parts=[{"code": "x1", "name": "X1", "children": []}, {"code": "x2", "name": "X2", "children": []}])


def test_check_rollups_command_finds_tampering(world):
    submit(world, world.v111, 10)
    line, _ = run("check_rollups", "--quiet")
    assert json.loads(line)["differences"] == 0
    from digitalfront.orgs.models import Rollup

    Rollup.objects.filter(measure="members").update(value=999)
    with pytest.raises(SystemExit):
        run("check_rollups", "--quiet")
