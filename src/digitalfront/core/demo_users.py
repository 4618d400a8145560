"""Demo accounts for the embedded default: one per kind of user, printed by ``digitalfront demo``."""

import os

from django.contrib.auth.hashers import make_password
from django.db import transaction

DEMO_PASSWORD_DEFAULT = "matran-demo-2026"  # noqa: S105 - demo data only, printed on purpose

# (username, full name, unit code or None, roles, is superuser, kind, description)
DEMO_ACCOUNTS = [
    ("quantri", "Quản trị hệ thống", None, [], True, "staff", "quản trị toàn hệ thống"),
    ("trunguong", "Nguyễn Văn Trung", "VN", ["viewer", "approver"], False, "staff",
     "cán bộ Trung ương: xem, duyệt báo cáo cấp tỉnh"),
    ("hanoi", "Trần Thị Hà", "01", ["data_entry", "approver", "unit_admin"], False, "staff",
     "cán bộ TP Hà Nội: nhập liệu, duyệt cấp xã, quản trị đơn vị"),
    ("badinh", "Lê Văn Đình", "00004", ["data_entry"], False, "staff",
     "cán bộ Phường Ba Đình: nhập liệu, xử lý phản ánh"),
    ("baomat", "Đặng Thu Mật", "01", ["viewer", "identity"], False, "staff",
     "cán bộ TP Hà Nội được xem danh tính người tố cáo (có ghi nhật ký)"),
    ("nguoidan", "Phạm Thị Dân", None, [], False, "citizen", "người dân"),
]


def demo_password() -> str:
    return os.environ.get("DIGITALFRONT_DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)


def ensure_demo_users() -> dict:
    """Create the demo accounts if missing (idempotent); returns what to print."""
    from digitalfront.accounts.models import UnitRole, User
    from digitalfront.orgs.models import Unit

    password = demo_password()
    hashed = make_password(password)  # hashed once: the same demo password for every account
    with transaction.atomic():
        for username, full_name, unit_code, roles, superuser, kind, _ in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "kind": kind, "is_superuser": superuser, "is_staff": superuser},
            )
            if created:
                user.password = hashed
                user.save(update_fields=["password"])
            unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
            for role in roles:
                if unit is not None:
                    UnitRole.objects.get_or_create(user=user, unit=unit, role=role)
    return {"password": password, "accounts": [(a[0], a[6]) for a in DEMO_ACCOUNTS]}
