"""Test helpers: a small but complete world (units on every level, organisations, a data set with
indicators, two periods) and one user for each row of the authorization matrix.

    anonymous      nobody signed in
    citizen        a citizen account, no unit role
    elsewhere      staff of another province (data entry, approver there)
    here           data entry staff of commune C11 (the unit under test)
    above          viewer and approver at province P1, above C11
    admin          superuser
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from digitalfront.accounts.models import AccountKind, UnitRole, User
from digitalfront.core.text import fold
from digitalfront.orgs.demo import ensure_dataset
from digitalfront.orgs.models import DataSet, Level, OrganisationType, Period, Unit, make_path
from digitalfront.orgs.services.periods import ensure_periods
from digitalfront.orgs.services.units import sync_organisation_types

MATRIX = ("anonymous", "citizen", "elsewhere", "here", "above", "admin")
PASSWORD = "mat-khau-kiem-thu-2026"  # noqa: S105 - tests only


def make_unit(code: str, name: str, level: str, parent: Unit | None, kind: str = "") -> Unit:
    unit = Unit.objects.create(
        code=code, name=name, name_folded=fold(name),
        level=level, kind=kind, parent=parent, path=f"tmp{code}", depth=(parent.depth + 1) if parent else 0,
        valid_from=datetime.date(2025, 7, 1),
    )
    unit.path = make_path(parent.path if parent else "", unit.pk)
    unit.save(update_fields=["path"])
    return unit


@dataclass
class World:
    central: Unit
    p1: Unit
    p2: Unit
    c11: Unit
    c12: Unit
    c21: Unit
    v111: Unit
    v112: Unit
    v211: Unit
    dataset: DataSet
    period: Period  # the latest closed period
    open_period: Period  # the current period (deadline not passed)
    orgs: dict[str, OrganisationType]
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, who: str) -> Any:
        return self.users[who]


def build_world(today: datetime.date | None = None) -> World:
    sync_organisation_types()
    central = make_unit("VN", "Trung ương", Level.CENTRAL, None)
    p1 = make_unit("01", "Thành phố Hà Nội", Level.PROVINCE, central, "thành phố trung ương")
    p2 = make_unit("15", "Tỉnh Lào Cai", Level.PROVINCE, central, "tỉnh")
    c11 = make_unit("00004", "Phường Ba Đình", Level.COMMUNE, p1, "phường")
    c12 = make_unit("09955", "Xã Đường Lâm", Level.COMMUNE, p1, "xã")
    c21 = make_unit("04700", "Xã Bắc Hà", Level.COMMUNE, p2, "xã")
    v111 = make_unit("00004-001", "Tổ dân phố 1", Level.VILLAGE, c11, "tổ dân phố")
    v112 = make_unit("00004-002", "Tổ dân phố 2", Level.VILLAGE, c11, "tổ dân phố")
    v211 = make_unit("04700-001", "Bản Phố", Level.VILLAGE, c21, "bản")
    dataset = ensure_dataset()
    today = today or datetime.date(2026, 11, 22)
    periods = ensure_periods(dataset, count=3, today=today)
    orgs = {o.code: o for o in OrganisationType.objects.all()}
    world = World(central, p1, p2, c11, c12, c21, v111, v112, v211, dataset, periods[1], periods[0], orgs)
    world.users = {
        "anonymous": None,
        "citizen": make_user("nguoidan", kind=AccountKind.CITIZEN),
        "elsewhere": make_user("canbo.laocai", roles=[(p2, "data_entry"), (p2, "approver")]),
        "here": make_user("canbo.badinh", roles=[(c11, "data_entry")]),
        "above": make_user("canbo.hanoi", roles=[(p1, "viewer"), (p1, "approver")]),
        "admin": make_user("quantri", superuser=True),
    }
    return world


def sign_in(client: Any, user: Any) -> None:
    """Sign ``user`` in on a test client as the login page does: a timed session, registered for the
    user (``accounts.services``), having passed two-factor, without going through the forms."""
    from django.utils import timezone

    from digitalfront.accounts.middleware import LOGIN_AT, SECOND_FACTOR_DONE, SEEN_AT
    from digitalfront.accounts.models import UserSession

    client.force_login(user)
    session = client.session
    now = int(timezone.now().timestamp())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    # as after the second step of signing in (approvers and administrators must use two-factor)
    session[SECOND_FACTOR_DONE] = "totp"
    session.save()
    UserSession.objects.create(user=user, session_key=session.session_key)


def make_user(username: str, *, roles: list[tuple[Unit, str]] | None = None, superuser: bool = False,
              kind: str = AccountKind.STAFF) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=username, kind=kind,
                                    is_superuser=superuser, is_staff=superuser)
    for unit, role in roles or []:
        UnitRole.objects.create(user=user, unit=unit, role=role)
    return user
