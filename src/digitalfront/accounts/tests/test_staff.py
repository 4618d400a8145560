"""Staff account management by unit administrators (``accounts.staff``, ``/tai-khoan/can-bo/``).

Who is who (``core.testing``): ``here`` enters data at commune C11 (00004), ``above`` views and
approves at province P1 (01), ``elsewhere`` works in province P2 (15); nobody but the superuser
``admin`` administers units until a test gives a ``unit_admin`` role.
"""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken
from openpyxl import Workbook, load_workbook

from digitalfront.accounts import staff, staff_excel
from digitalfront.accounts.models import AccountKind, LoginAttempt, Role, UnitRole, User, UserSession
from digitalfront.accounts.tests.test_oidc import make_app
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import make_user, sign_in

HEADERS = ["Tên đăng nhập", "Họ và tên", "E-mail", "Số điện thoại", "Mã đơn vị", "Vai trò"]
HOME_URL = "/"


def url(name: str, *args) -> str:
    return reverse(f"accounts:{name}", args=args)


def make_admin(world, username: str = "quantri.hanoi", unit=None) -> User:
    """A unit administrator of P1 (Hà Nội) by default."""
    return make_user(username, roles=[(unit or world.p1, Role.UNIT_ADMIN)])


def client_of(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def xlsx(rows, headers=HEADERS, name="can-bo.xlsx") -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = name
    return out


def upload(client: Client, file) -> object:
    return client.post(url("staff_import"), {"tep": file})


def staff_count() -> int:
    return User.objects.count()


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def give_tokens(user: User) -> None:
    app = make_app("Phân hệ thử", skip=True)
    expires = timezone.now() + datetime.timedelta(hours=1)
    access = AccessToken.objects.create(user=user, application=app, token=f"at-{user.pk}", expires=expires,
                                        scope="openid")
    RefreshToken.objects.create(user=user, application=app, token=f"rt-{user.pk}", access_token=access)


# --- authorization matrix ---------------------------------------------------------------------------

# (name, method, needs the "here" user's id, status for the superuser)
ENDPOINTS = [
    ("staff_list", "get", False, 200),
    ("staff_create", "get", False, 200),
    ("staff_import", "get", False, 200),
    ("staff_import_template", "get", False, 200),
    ("staff_import_errors", "get", False, 404),  # nothing uploaded yet
    ("staff_import_result", "get", False, 404),  # nothing imported yet
    ("staff_detail", "get", True, 200),
    ("staff_role_add", "post", True, 302),
    ("staff_role_remove", "post", True, 302),
    ("staff_password_reset", "post", True, 200),
]


def _call(world, client: Client, name: str, method: str, with_user: bool):
    here = world.users["here"]
    if name == "staff_role_remove":
        role = UnitRole.objects.get(user=here, unit=world.c11, role="data_entry")
        target = url(name, here.pk, role.pk)
    else:
        target = url(name, here.pk) if with_user else url(name)
    if method == "post":
        return client.post(target, {"unit_code": world.v111.code, "role": "viewer"})
    return client.get(target)


@pytest.mark.parametrize(("name", "method", "with_user", "admin_status"), ENDPOINTS)
def test_authorization_matrix(world, client_for, who, name, method, with_user, admin_status):
    count = UnitRole.objects.count()
    response = _call(world, client_for(who), name, method, with_user)
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    elif who == "admin":
        assert response.status_code == admin_status
    else:
        assert response.status_code == 403
        assert "quản trị" in response.content.decode()
        assert UnitRole.objects.count() == count  # nothing changed


@pytest.mark.parametrize(("name", "method", "with_user", "status"), ENDPOINTS)
def test_unit_admin_may_use_every_page(world, name, method, with_user, status):
    client = client_of(make_admin(world))
    assert _call(world, client, name, method, with_user).status_code == status


@pytest.mark.parametrize("role", ["viewer", "data_entry", "approver"])
def test_other_roles_are_refused(world, role):
    user = make_user("canbo.khac", roles=[(world.p1, role)])
    assert client_of(user).get(url("staff_list")).status_code == 403


# --- list and scope ---------------------------------------------------------------------------------


def test_list_shows_only_the_subtree(world):
    admin = make_admin(world)
    mixed = make_user("canbo.hai.noi", roles=[(world.c21, "viewer"), (world.v111, "data_entry")])
    page = client_of(admin).get(url("staff_list")).content.decode()
    for name in ("canbo.badinh", "canbo.hanoi", "canbo.hai.noi", "quantri.hanoi"):
        assert name in page
    for name in ("canbo.laocai", "nguoidan", ">quantri<"):
        assert name not in page
    assert "Phường Ba Đình" in page and "Nhập liệu" in page
    assert "Xã Bắc Hà" not in page  # the out-of-scope role of the mixed user is not shown
    assert "+1 vai trò ở đơn vị khác" in page
    assert mixed.pk in {u.pk for u in staff.manageable_users(admin)}


def test_commune_admin_does_not_see_the_province(world):
    admin = make_admin(world, "quantri.badinh", world.c11)
    users = {u.username for u in staff.manageable_users(admin)}
    assert users == {"canbo.badinh", "quantri.badinh"}


def test_superusers_see_all_staff(world):
    users = {u.username for u in staff.manageable_users(world.users["admin"])}
    assert {"canbo.badinh", "canbo.hanoi", "canbo.laocai", "quantri"} <= users
    assert "nguoidan" not in users  # a citizen without roles


def test_superusers_and_admin_site_staff_are_not_manageable_by_unit_admins(world):
    admin = make_admin(world)
    UnitRole.objects.create(user=world.users["admin"], unit=world.c11, role="viewer")
    boss = make_user("nhanvien.quantri", roles=[(world.c11, "viewer")])
    boss.is_staff = True
    boss.save()
    users = {u.username for u in staff.manageable_users(admin)}
    assert "quantri" not in users and "nhanvien.quantri" not in users
    client = client_of(admin)
    assert client.get(url("staff_detail", world.users["admin"].pk)).status_code == 404
    assert client.post(url("staff_password_reset", boss.pk)).status_code == 404


def test_search_and_pagination(world):
    admin = make_admin(world)
    for i in range(30):
        make_user(f"canbo.duonglam{i:02d}", roles=[(world.c12, "viewer")])
    client = client_of(admin)
    page1 = client.get(url("staff_list")).content.decode()
    assert "Trang 1/2" in page1
    page2 = client.get(url("staff_list"), {"trang": 2}).content.decode()
    assert "Trang 2/2" in page2
    found = client.get(url("staff_list"), {"q": "duonglam07"}).content.decode()
    assert "canbo.duonglam07" in found and "canbo.duonglam08" not in found
    User.objects.filter(username="canbo.badinh").update(full_name="Trần Thị Bình")
    found = client.get(url("staff_list"), {"q": "Thị Bình"}).content.decode()
    assert "canbo.badinh" in found and "canbo.duonglam" not in found
    none = client.get(url("staff_list"), {"q": "khongcoai"}).content.decode()
    assert "Không có cán bộ nào khớp" in none


def test_out_of_scope_accounts_answer_404(world):
    client = client_of(make_admin(world))
    elsewhere = world.users["elsewhere"]
    role = UnitRole.objects.filter(user=elsewhere).first()
    assert client.get(url("staff_detail", elsewhere.pk)).status_code == 404
    assert client.get(url("staff_detail", 999999)).status_code == 404
    assert client.post(url("staff_role_add", elsewhere.pk), {"unit_code": "00004", "role": "viewer"}).status_code == 404
    assert client.post(url("staff_role_remove", elsewhere.pk, role.pk)).status_code == 404
    assert client.post(url("staff_password_reset", elsewhere.pk)).status_code == 404
    assert not UnitRole.objects.filter(user=elsewhere, unit=world.c11).exists()
    assert UnitRole.objects.filter(pk=role.pk).exists()
    assert not AuditEvent.objects.filter(action__in=["role_added", "role_removed", "password_reset_by_admin"]).exists()


def test_roles_outside_the_subtree_cannot_be_changed(world):
    admin = make_admin(world, "quantri.badinh", world.c11)
    mixed = make_user("canbo.hai.noi", roles=[(world.c11, "viewer"), (world.c12, "data_entry")])
    outside = UnitRole.objects.get(user=mixed, unit=world.c12)
    client = client_of(admin)
    page = client.get(url("staff_detail", mixed.pk)).content.decode()
    assert "Xã Đường Lâm" not in page and "1 vai trò ở đơn vị ngoài phạm vi" in page
    assert client.post(url("staff_role_remove", mixed.pk, outside.pk)).status_code == 404
    assert UnitRole.objects.filter(pk=outside.pk).exists()
    response = client.post(url("staff_role_add", mixed.pk), {"unit_code": world.c12.code, "role": "approver"})
    assert response.status_code == 422
    assert "nằm ngoài phạm vi bạn quản trị" in response.content.decode()
    assert not UnitRole.objects.filter(user=mixed, role="approver").exists()
    # a temporary password would open the wider account: only a higher administrator may reset it
    response = client.post(url("staff_password_reset", mixed.pk))
    assert response.status_code == 403
    mixed.refresh_from_db()
    assert not mixed.must_change_password
    with pytest.raises(staff.PermissionDenied):
        staff.reset_password(actor=admin, user=mixed)


# --- creating one account ---------------------------------------------------------------------------


def _create(client: Client, **overrides):
    data = {"username": "Le.Van.C", "full_name": "Lê Văn C", "email": "levanc@example.vn",
            "phone": "+84 912 345 678", "unit_code": "00004-001", "role": "data_entry"} | overrides
    return client.post(url("staff_create"), data)


def test_create_staff(world):
    admin = make_admin(world)
    response = _create(client_of(admin))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(username="le.van.c")
    assert user.full_name == "Lê Văn C" and user.phone == "0912345678" and user.email == "levanc@example.vn"
    assert user.kind == AccountKind.STAFF and user.must_change_password and user.is_active
    assert list(user.unit_roles.values_list("unit__code", "role")) == [("00004-001", "data_entry")]
    page = response.content.decode()
    password = page.split("<code>")[1].split("</code>")[0]
    assert user.check_password(password) and len(password) >= 12
    event = events("staff_created").get()
    assert event.actor == admin and event.object_id == str(user.pk) and event.unit_path == world.v111.path
    assert event.data["role"] == "data_entry" and event.data["unit"] == "00004-001"
    assert password not in json.dumps(event.data)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"username": ""}, "Thiếu tên đăng nhập."),
    ({"full_name": ""}, "Thiếu họ và tên."),
    ({"unit_code": ""}, "Thiếu mã đơn vị."),
    ({"role": ""}, "Thiếu vai trò."),
    ({"username": "canbo.badinh"}, "đã có người dùng"),
    ({"username": "CANBO.BADINH"}, "đã có người dùng"),
    ({"username": "nguyễn"}, "chữ cái không dấu"),
    ({"email": "khong-phai-email"}, "không hợp lệ"),
    ({"email": "", "phone": ""}, "Cần ít nhất e-mail hoặc số điện thoại"),
    ({"phone": "12345"}, "Số điện thoại"),
    ({"phone": "09123456789"}, "Số điện thoại"),
    ({"unit_code": "XX"}, "Không có đơn vị mã"),
    ({"unit_code": "04700"}, "nằm ngoài phạm vi bạn quản trị"),
    ({"role": "sieu_quan_tri"}, "không hợp lệ"),
])
def test_create_refuses_bad_input(world, overrides, message):
    client = client_of(make_admin(world))
    before = staff_count()
    response = _create(client, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa tạo được tài khoản" in page and message in page
    assert staff_count() == before
    assert not events("staff_created").exists()


def test_create_in_closed_unit_is_refused(world):
    world.c12.valid_to = datetime.date(2026, 1, 1)
    world.c12.save()
    client = client_of(make_admin(world))
    page = _create(client, unit_code=world.c12.code).content.decode()
    assert "không còn hiệu lực" in page
    assert not User.objects.filter(username="le.van.c").exists()


# --- roles ------------------------------------------------------------------------------------------


def test_add_and_remove_roles(world):
    admin = make_admin(world)
    here = world.users["here"]
    client = client_of(admin)
    response = client.post(url("staff_role_add", here.pk), {"unit_code": world.c12.code, "role": "approver"})
    assert response.status_code == 302
    role = UnitRole.objects.get(user=here, unit=world.c12, role="approver")
    added = events("role_added").get()
    assert added.actor == admin and added.object_id == str(here.pk)
    assert added.data["unit"] == world.c12.code and added.data["role"] == "approver" and added.data["source"] == "staff"
    # the same role twice is refused
    again = client.post(url("staff_role_add", here.pk), {"unit_code": world.c12.code, "role": "approver"})
    assert again.status_code == 422 and "đã có vai trò" in again.content.decode()
    bad_role = client.post(url("staff_role_add", here.pk), {"unit_code": world.c12.code, "role": "chua_co"})
    assert bad_role.status_code == 422
    assert events("role_added").count() == 1

    response = client.post(url("staff_role_remove", here.pk, role.pk))
    assert response.status_code == 302 and response["Location"] == url("staff_detail", here.pk)
    assert not UnitRole.objects.filter(pk=role.pk).exists()
    removed = events("role_removed").get()
    assert removed.data["role"] == "approver" and removed.unit_path == world.c12.path
    # removing the last in-scope role: the account leaves the administrator's list
    last = UnitRole.objects.get(user=here)
    response = client.post(url("staff_role_remove", here.pk, last.pk))
    assert response.status_code == 302 and response["Location"] == url("staff_list")
    assert client.get(url("staff_detail", here.pk)).status_code == 404


def test_unit_admin_cannot_drop_own_admin_role(world):
    admin = make_admin(world)
    own = UnitRole.objects.get(user=admin)
    response = client_of(admin).post(url("staff_role_remove", admin.pk, own.pk))
    assert response.status_code == 403
    assert UnitRole.objects.filter(pk=own.pk).exists()


def test_role_services_check_scope(world):
    admin = make_admin(world, "quantri.badinh", world.c11)
    with pytest.raises(staff.ValidationFailed):
        staff.add_role(actor=admin, user=world.users["here"], unit_code=world.p1.code, role="viewer")
    with pytest.raises(staff.NotFound):
        staff.add_role(actor=admin, user=world.users["above"], unit_code=world.c11.code, role="viewer")
    with pytest.raises(staff.PermissionDenied):
        staff.add_role(actor=world.users["here"], user=world.users["here"], unit_code=world.c11.code, role="viewer")


# --- password reset by an administrator -------------------------------------------------------------


def test_reset_password_ends_sessions_and_revokes_tokens(world):
    admin = make_admin(world)
    here = world.users["here"]
    theirs = client_of(here)
    assert theirs.get(HOME_URL).status_code == 200
    give_tokens(here)
    response = client_of(admin).post(url("staff_password_reset", here.pk))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.content.decode().split("<code>")[1].split("</code>")[0]
    here.refresh_from_db()
    assert here.check_password(password) and here.must_change_password
    assert not UserSession.objects.filter(user=here).exists()
    response = theirs.get(HOME_URL)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert not AccessToken.objects.filter(user=here).exists()
    assert not RefreshToken.objects.filter(user=here, revoked__isnull=True).exists()
    event = events("password_reset_by_admin").get()
    assert event.actor == admin and event.object_id == str(here.pk)
    assert event.data["sessions"] == 1 and event.data["tokens"] == 2
    assert password not in json.dumps(event.data)


def test_reset_own_password_is_refused(world):
    admin = make_admin(world)
    assert client_of(admin).post(url("staff_password_reset", admin.pk)).status_code == 403
    assert not events("password_reset_by_admin").exists()


def test_reset_password_needs_post(world):
    client = client_of(make_admin(world))
    assert client.get(url("staff_password_reset", world.users["here"].pk)).status_code == 405


# --- Excel import -----------------------------------------------------------------------------------

GOOD_ROWS = [
    ("nguyen.van.a", "Nguyễn Văn A", "a@example.vn", "0912345678", "00004", "Nhập liệu"),
    ("Tran.Thi.B", "Trần Thị B", "", "+84987654321", "00004-001", "phe duyet"),
    ("le.c", "Lê C", "c@example.vn", 912000111, "09955", "viewer"),  # a number: Excel dropped the 0
    ("pham.d", "Phạm D", "d@example.vn", "", "01", "Quản trị đơn vị"),
]


def test_template_download(world):
    response = client_of(make_admin(world)).get(url("staff_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == staff_excel.XLSX_TYPE
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["Cán bộ"]
    assert [c.value for c in ws[1]] == HEADERS
    assert "Hướng dẫn" in wb.sheetnames


def test_import_creates_everything_and_hands_the_passwords_over_once(world):
    admin = make_admin(world)
    client = client_of(admin)
    response = upload(client, xlsx(GOOD_ROWS))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã tạo 4 tài khoản cán bộ" in page
    assert "no-store" in response["Cache-Control"]
    users = {u.username: u for u in User.objects.filter(username__in=["nguyen.van.a", "tran.thi.b", "le.c", "pham.d"])}
    assert len(users) == 4
    assert all(u.must_change_password and u.kind == AccountKind.STAFF for u in users.values())
    assert users["le.c"].phone == "0912000111" and users["tran.thi.b"].phone == "0987654321"
    roles = set(UnitRole.objects.filter(user__in=users.values()).values_list("user__username", "unit__code", "role"))
    assert roles == {("nguyen.van.a", "00004", "data_entry"), ("tran.thi.b", "00004-001", "approver"),
                     ("le.c", "09955", "viewer"), ("pham.d", "01", "unit_admin")}

    download = client.get(url("staff_import_result"))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    ws = load_workbook(io.BytesIO(download.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Tên đăng nhập" and rows[0][-1] == "Mật khẩu tạm thời"
    passwords = {r[0]: r[-1] for r in rows[1:]}
    assert set(passwords) == set(users)
    for username, password in passwords.items():
        assert check_password(password, users[username].password)
    # once only
    assert client.get(url("staff_import_result")).status_code == 404
    # audited, one event per account, never a password
    imported = events("staff_imported")
    assert imported.count() == 4
    assert {e.object_id for e in imported} == {str(u.pk) for u in users.values()}
    assert all(e.actor == admin for e in imported)
    dump = json.dumps([e.data for e in AuditEvent.objects.all()])
    assert not any(p in dump for p in passwords.values())
    assert len({e.data["batch"] for e in imported}) == 1


def test_import_is_htmx_friendly(world):
    client = client_of(make_admin(world))
    response = client.post(url("staff_import"), {"tep": xlsx(GOOD_ROWS[:1])}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="nhap-excel"' in response.content.decode()


BAD_ROWS = [
    # (the bad row, column header, part of the message)
    (("", "Không Tên", "x@example.vn", "", "00004", "Xem"), "Tên đăng nhập", "Thiếu tên đăng nhập"),
    (("khong.ten", "", "x@example.vn", "", "00004", "Xem"), "Họ và tên", "Thiếu họ và tên"),
    (("khong.donvi", "Không Đơn Vị", "x@example.vn", "", "", "Xem"), "Mã đơn vị", "Thiếu mã đơn vị"),
    (("khong.vaitro", "Không Vai Trò", "x@example.vn", "", "00004", ""), "Vai trò", "Thiếu vai trò"),
    (("canbo.badinh", "Đã Có", "x@example.vn", "", "00004", "Xem"), "Tên đăng nhập", "đã có người dùng"),
    (("nguyen.van.a", "Trùng Dòng", "x@example.vn", "", "00004", "Xem"), "Tên đăng nhập", "trùng với dòng 2"),
    (("email.sai", "E-mail Sai", "email@", "", "00004", "Xem"), "E-mail", "không hợp lệ"),
    (("dt.sai", "Điện Thoại Sai", "", "0812-34", "00004", "Xem"), "Số điện thoại", "không hợp lệ"),
    (("dt.sai2", "Điện Thoại Sai", "", "+8491234567", "00004", "Xem"), "Số điện thoại", "không hợp lệ"),
    (("donvi.la", "Đơn Vị Lạ", "x@example.vn", "", "99999", "Xem"), "Mã đơn vị", "Không có đơn vị mã"),
    (("ngoai.pv", "Ngoài Phạm Vi", "x@example.vn", "", "04700", "Xem"), "Mã đơn vị", "nằm ngoài phạm vi"),
    (("vaitro.la", "Vai Trò Lạ", "x@example.vn", "", "00004", "Chủ tịch"), "Vai trò", "không hợp lệ"),
    (("lienhe", "Không Liên Hệ", "", "", "00004", "Xem"), "E-mail", "Cần ít nhất e-mail hoặc số điện thoại"),
]


@pytest.mark.parametrize(("bad", "column", "message"), BAD_ROWS)
def test_import_with_a_bad_row_creates_nothing(world, bad, column, message):
    client = client_of(make_admin(world))
    before_users, before_roles = staff_count(), UnitRole.objects.count()
    rows = [GOOD_ROWS[0], GOOD_ROWS[1], bad]  # the bad row is row 4 of the sheet
    response = upload(client, xlsx(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa tài khoản nào được tạo" in page
    assert message in page
    assert staff_count() == before_users and UnitRole.objects.count() == before_roles
    assert not events("staff_imported").exists()
    assert client.get(url("staff_import_result")).status_code == 404
    report = client.get(url("staff_import_errors"))
    assert report.status_code == 200
    lines = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert lines[0] == ("Dòng", "Cột", "Lỗi")
    assert any(line[0] == 4 and line[1] == column and message in line[2] for line in lines[1:]), lines


def test_every_error_of_every_row_is_reported(world):
    client = client_of(make_admin(world))
    rows = [GOOD_ROWS[0], ("", "", "sai", "123", "04700", "?"), GOOD_ROWS[1], ("nguyen.van.a", "A", "", "", "", "")]
    page = upload(client, xlsx(rows)).content.decode()
    assert "Tệp có 10 lỗi ở 2 dòng" in page
    errors = staff.validate_rows(actor=make_admin(world, "quantri.hanoi2"), rows=[
        staff.StaffRow(row=i + 2, **dict(zip(["username", "full_name", "email", "phone", "unit_code", "role"],
                                             [staff.clean_text(v) for v in r], strict=True)))
        for i, r in enumerate(rows)
    ])
    assert [(e.row, e.column) for e in errors] == [
        (3, "username"), (3, "full_name"), (3, "email"), (3, "phone"), (3, "unit_code"), (3, "role"),
        (5, "username"), (5, "email"), (5, "unit_code"), (5, "role"),
    ]


def _big_file(size: int) -> io.BytesIO:
    data = io.BytesIO(b"PK\x03\x04" + b"0" * size)
    data.name = "lon.xlsx"
    return data


def _not_xlsx() -> io.BytesIO:
    data = io.BytesIO("Tên đăng nhập;Họ và tên\nabc;Nguyễn Văn A\n".encode())
    data.name = "can-bo.xlsx"
    return data


def _csv() -> io.BytesIO:
    data = io.BytesIO(b"a,b\n")
    data.name = "can-bo.csv"
    return data


def _broken_zip() -> io.BytesIO:
    data = io.BytesIO(b"PK\x03\x04 this is not really a zip archive")
    data.name = "hong.xlsx"
    return data


@pytest.mark.parametrize(("make_file", "message"), [
    (_not_xlsx, "không phải bảng tính Excel .xlsx"),
    (_csv, "không phải bảng tính Excel .xlsx"),
    (_broken_zip, "không phải bảng tính Excel .xlsx"),
    (lambda: _big_file(2 * 1024 * 1024), "lớn hơn 2 MB"),
    (lambda: xlsx([GOOD_ROWS[0]], headers=["Tên", "Họ và tên"]), "thiếu cột"),
    (lambda: xlsx([]), "không có dòng dữ liệu"),
])
def test_bad_files_are_refused(world, make_file, message):
    client = client_of(make_admin(world))
    before = staff_count()
    response = upload(client, make_file())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert staff_count() == before


def test_no_file(world):
    page = client_of(make_admin(world)).post(url("staff_import"), {}).content.decode()
    assert "Chưa chọn tệp Excel" in page


def test_too_many_rows(world):
    client = client_of(make_admin(world))
    rows = [(f"cb{i:05d}", f"Cán bộ {i}", "", "0912345678", "00004", "Xem") for i in range(staff_excel.MAX_ROWS + 1)]
    before = staff_count()
    page = upload(client, xlsx(rows)).content.decode()
    assert "hơn 5.000 dòng" in page
    assert staff_count() == before


def test_import_columns_in_any_order_and_blank_rows_skipped(world):
    client = client_of(make_admin(world))
    headers = ["Vai trò", "Mã đơn vị", "Tên đăng nhập", "Họ và tên", "Số điện thoại", "E-mail"]
    rows = [("Xem", "00004", "dao.e", "Đào E", "0911111111", ""), (None,) * 6,
            ("Xem", "00004", "do.f", "Đỗ F", "", "f@x.vn")]
    page = upload(client, xlsx(rows, headers=headers)).content.decode()
    assert "Đã tạo 2 tài khoản cán bộ" in page
    assert User.objects.filter(username__in=["dao.e", "do.f"]).count() == 2


def test_import_outside_the_commune_admins_subtree(world):
    client = client_of(make_admin(world, "quantri.badinh", world.c11))
    page = upload(client, xlsx([GOOD_ROWS[0], GOOD_ROWS[2]])).content.decode()  # 09955 is in P1, not in C11
    assert "nằm ngoài phạm vi" in page
    assert not User.objects.filter(username="nguyen.van.a").exists()


def test_hashing_many_passwords_in_threads():
    hashes = staff.hash_passwords(["mot-hai-ba-4", "bon-nam-sau-7", "tam-chin-muoi"])
    assert check_password("bon-nam-sau-7", hashes[1]) and not check_password("bon-nam-sau-7", hashes[0])


def test_role_labels_are_understood():
    assert staff.parse_role("Quản trị đơn vị") == "unit_admin"
    assert staff.parse_role("  PHÊ DUYỆT ") == "approver"
    assert staff.parse_role("nhap lieu") == "data_entry"
    assert staff.parse_role("viewer") == "viewer"
    assert staff.parse_role("Chủ tịch") is None


# --- Django admin -----------------------------------------------------------------------------------


def _admin_user_form(user: User, roles: list[UnitRole], extra: list[tuple[int, str]] = (), delete=()) -> dict:
    data = {
        "username": user.username, "first_name": "", "last_name": "", "email": user.email,
        "is_active": "on" if user.is_active else "", "full_name": user.full_name, "phone": user.phone,
        "kind": user.kind, "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "last_login_0": "", "last_login_1": "",
        "unit_roles-TOTAL_FORMS": str(len(roles) + len(extra)), "unit_roles-INITIAL_FORMS": str(len(roles)),
        "unit_roles-MIN_NUM_FORMS": "0", "unit_roles-MAX_NUM_FORMS": "1000",
    }
    for i, role in enumerate(roles):
        data |= {f"unit_roles-{i}-id": str(role.pk), f"unit_roles-{i}-user": str(user.pk),
                 f"unit_roles-{i}-unit": str(role.unit_id), f"unit_roles-{i}-role": role.role}
        if role.pk in delete:
            data[f"unit_roles-{i}-DELETE"] = "on"
    for j, (unit_id, role_code) in enumerate(extra, start=len(roles)):
        data |= {f"unit_roles-{j}-user": str(user.pk), f"unit_roles-{j}-unit": str(unit_id),
                 f"unit_roles-{j}-role": role_code}
    return data


def _post_admin_form(client: Client, user: User, data: dict):
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    if response.status_code != 302:  # show the form's errors
        context = response.context
        errors = context["adminform"].form.errors if context else response.content[:2000]
        formsets = [f.formset.errors for f in context["inline_admin_formsets"]] if context else []
        raise AssertionError((errors, formsets))
    return response


def test_admin_role_changes_are_audited(world, client_for):
    here = world.users["here"]
    roles = list(UnitRole.objects.filter(user=here))
    client = client_for("admin")
    _post_admin_form(client, here, _admin_user_form(here, roles, extra=[(world.c12.pk, "approver")]))
    assert UnitRole.objects.filter(user=here, unit=world.c12, role="approver").exists()
    added = events("role_added").get()
    assert added.actor == world.users["admin"] and added.object_id == str(here.pk)
    assert added.data["source"] == "admin" and added.data["unit"] == world.c12.code and added.data["role"] == "approver"

    roles = list(UnitRole.objects.filter(user=here).order_by("pk"))
    _post_admin_form(client, here, _admin_user_form(here, roles, delete={roles[0].pk}))
    removed = events("role_removed").get()
    assert removed.data == removed.data | {"source": "admin", "unit": world.c11.code, "role": "data_entry"}
    assert not UnitRole.objects.filter(user=here, unit=world.c11).exists()

    # changing a row's role: a removal and an addition
    roles = list(UnitRole.objects.filter(user=here))
    data = _admin_user_form(here, roles)
    data["unit_roles-0-role"] = "viewer"
    _post_admin_form(client, here, data)
    assert events("role_removed").count() == 2 and events("role_added").count() == 2


def test_admin_untick_active_disables_for_real(world, client_for):
    here = world.users["here"]
    theirs = client_of(here)
    give_tokens(here)
    data = _admin_user_form(here, list(UnitRole.objects.filter(user=here)))
    data["is_active"] = ""
    _post_admin_form(client_for("admin"), here, data)
    here.refresh_from_db()
    assert not here.is_active
    assert not UserSession.objects.filter(user=here).exists()
    assert theirs.get(HOME_URL).status_code == 302
    assert not AccessToken.objects.filter(user=here).exists()
    assert not RefreshToken.objects.filter(user=here, revoked__isnull=True).exists()
    event = events("account_disabled").get()
    assert event.actor == world.users["admin"] and event.data["tokens"] == 2 and event.data["sessions"] >= 1


def test_admin_saving_without_unticking_does_not_disable(world, client_for):
    here = world.users["here"]
    _post_admin_form(client_for("admin"), here, _admin_user_form(here, list(UnitRole.objects.filter(user=here))))
    here.refresh_from_db()
    assert here.is_active and not events("account_disabled").exists()


def test_admin_cannot_untick_themself(world, client_for):
    me = world.users["admin"]
    data = _admin_user_form(me, [])
    data["is_active"] = ""
    data["is_superuser"] = "on"
    data["is_staff"] = "on"
    _post_admin_form(client_for("admin"), me, data)
    me.refresh_from_db()
    assert me.is_active and not events("account_disabled").exists()


def test_login_attempts_admin_is_read_only(world, client_for):
    LoginAttempt.objects.create(username="canbo.badinh", ip="10.0.0.9", at=timezone.now(), ok=False)
    client = client_for("admin")
    page = client.get("/admin/accounts/loginattempt/")
    assert page.status_code == 200 and "10.0.0.9" in page.content.decode()
    assert client.get("/admin/accounts/loginattempt/add/").status_code == 403
    attempt = LoginAttempt.objects.get()
    detail = client.get(f"/admin/accounts/loginattempt/{attempt.pk}/change/")
    assert detail.status_code == 200
    assert client.post(f"/admin/accounts/loginattempt/{attempt.pk}/change/", {"username": "x"}).status_code == 403
    assert client.get(f"/admin/accounts/loginattempt/{attempt.pk}/delete/").status_code == 403
