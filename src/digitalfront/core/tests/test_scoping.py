"""The one scoping mechanism, on the unit tree of the test world."""

import pytest

from digitalfront.core.scoping import path_upper_bound, scope_for
from digitalfront.orgs.models import Unit


def test_upper_bound_is_next_sibling_prefix():
    assert path_upper_bound("00000010000002") == "00000010000003"
    assert path_upper_bound("0000009") == "0000010"


EXPECTED_VIEW = {
    "anonymous": set(),
    "citizen": set(),
    "elsewhere": {"15", "04700", "04700-001"},
    "here": {"00004", "00004-001", "00004-002"},
    "above": {"01", "00004", "00004-001", "00004-002", "09955"},
    "admin": {"VN", "01", "15", "00004", "09955", "04700", "00004-001", "00004-002", "04700-001"},
}


def test_view_scope_matrix(world, who):
    codes = set(Unit.objects.for_user(world.user(who), "view").values_list("code", flat=True))
    assert codes == EXPECTED_VIEW[who]


def test_approve_scope_is_strictly_below(world):
    above = world.user("above")
    codes = set(Unit.objects.for_user(above, "approve").values_list("code", flat=True))
    assert "01" not in codes  # nobody approves their own unit
    assert codes == {"00004", "00004-001", "00004-002", "09955"}
    assert Unit.objects.for_user(world.user("here"), "approve").count() == 0


def test_edit_scope(world):
    assert set(Unit.objects.for_user(world.user("here"), "edit").values_list("code", flat=True)) == {
        "00004", "00004-001", "00004-002",
    }
    assert Unit.objects.for_user(world.user("above"), "edit").count() == 0


def test_inactive_user_sees_nothing(world):
    user = world.user("here")
    user.is_active = False
    user.save()
    assert not scope_for(user, "view").paths


def test_unknown_action_is_refused(world):
    with pytest.raises(ValueError, match="unknown action"):
        scope_for(world.user("here"), "delete")


def test_roles_at_closed_units_give_nothing(world):
    world.c11.valid_to = world.c11.valid_from
    world.c11.save()
    assert Unit.objects.for_user(world.user("here"), "view").count() == 0
