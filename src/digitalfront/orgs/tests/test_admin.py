"""Administrators' pages: units with the merge and split actions, data sets with indicators."""

import pytest
from django.urls import reverse

from digitalfront.orgs.models import Indicator, Unit, ValueType


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("citizen", 302), ("here", 302), ("above", 302), ("admin", 200)],
)
def test_admin_is_for_administrators_only(client_for, who, status):
    response = client_for(who).get(reverse("admin:orgs_unit_changelist"))
    assert response.status_code == status


def test_admin_unit_search_ignores_diacritics(client_for):
    response = client_for("admin").get(reverse("admin:orgs_unit_changelist"), {"q": "duong lam"})
    assert response.status_code == 200
    assert "Xã Đường Lâm" in response.text
    assert "Phường Ba Đình" not in response.text


def test_merge_action_from_admin(world, client_for):
    client = client_for("admin")
    url = reverse("admin:orgs_unit_changelist")
    form = client.post(url, {"action": "merge_action", "_selected_action": [world.c12.pk]})
    assert form.status_code == 200
    assert "Mã đơn vị tiếp nhận" in form.text
    done = client.post(url, {
        "action": "merge_action", "_selected_action": [world.c12.pk], "apply": "1",
        "target_code": world.c11.code, "effective": "2026-12-01", "decision": "Nghị quyết 5/2026",
    })
    assert done.status_code == 302
    world.c12.refresh_from_db()
    assert world.c12.successor == world.c11
    assert world.c12.valid_to is not None
    assert Unit.objects.get(pk=world.c12.pk).parent == world.c11


def test_split_action_from_admin(world, client_for):
    client = client_for("admin")
    url = reverse("admin:orgs_unit_changelist")
    done = client.post(url, {
        "action": "split_action", "_selected_action": [world.c11.pk], "apply": "1", "effective": "2026-12-01",
        "parts": f"00004-A | Phường Ba Đình A | {world.v111.code}\n00004-B | Phường Ba Đình B | {world.v112.code}",
    })
    assert done.status_code == 302
    assert Unit.objects.get(code="00004-A").children.get() == world.v111
    world.c11.refresh_from_db()
    assert world.c11.valid_to is not None


def test_administrators_add_indicators_without_code(world, client_for):
    """An indicator added in the admin is at once part of the data set (entry, validation, roll-up)."""
    client = client_for("admin")
    response = client.post(reverse("admin:orgs_indicator_add"), {
        "dataset": world.dataset.pk, "code": "ho-thoat-ngheo", "name": "Hộ thoát nghèo",
        "value_type": ValueType.NUMBER, "order": 20, "active": "on", "help_text": "",
    })
    assert response.status_code == 302, response.text[:2000]
    assert Indicator.objects.filter(dataset=world.dataset, code="ho-thoat-ngheo").exists()
    from digitalfront.orgs.selectors import subtree_totals, sum_orgs
    from digitalfront.orgs.services.reports import save_report, submit_report

    report = save_report(actor=world.user("here"), unit=world.v111, org_type=world.orgs["phu-nu"],
                         period=world.period, data={"members": 50, "values": {"ho-thoat-ngheo": 3}})
    submit_report(actor=world.user("here"), report=report)
    totals = sum_orgs(subtree_totals([world.p1.pk], world.period)[world.p1.pk])
    assert totals["i:ho-thoat-ngheo"] == 3
