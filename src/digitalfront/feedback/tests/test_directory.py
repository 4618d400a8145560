"""The directory of competent authorities and the answer templates: who may read and change what, the
validation, the authority accounts (attach, detach, create with a temporary password), audit events,
and the list's queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from digitalfront.accounts.models import AccountKind, User
from digitalfront.core.errors import NotFound, PermissionDenied
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import make_user, sign_in
from digitalfront.feedback import selectors
from digitalfront.feedback.models import AnswerTemplate, Authority, AuthorityKind
from digitalfront.feedback.services import directory, intake

from .conftest import submission

pytestmark = pytest.mark.django_db

LIST = reverse("feedback_reports:authorities")
CREATE = reverse("feedback_reports:authority_create")
TEMPLATES = reverse("feedback_reports:templates")
TEMPLATE_CREATE = reverse("feedback_reports:template_create")
MATRIX_READ = [("anonymous", 302), ("citizen", 404), ("elsewhere", 200), ("here", 200), ("above", 200), ("admin", 200)]


def _form(**overrides):
    data = {"name": "Công an phường Ba Đình", "kind": AuthorityKind.POLICE, "email": "congan@badinh.example",
            "phone": "024 3823 4567", "address": "Số 1 Đội Cấn", "active": "1"}
    data.update(overrides)
    return data


@pytest.fixture
def unit_admin(fw):
    return make_user("quantri.badinh", roles=[(fw.c11, "unit_admin")])


@pytest.fixture
def client_of(fw):
    def make(user):
        client = Client()
        sign_in(client, user)
        return client

    return make


# --- the permission matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), MATRIX_READ)
def test_directory_list_permissions(fw, client_for, who, status):
    Authority.objects.create(unit=fw.c21, name="Công an xã Bắc Hà", kind=AuthorityKind.POLICE)
    response = client_for(who).get(LIST)
    assert response.status_code == status
    html = response.content.decode()
    if who in ("here", "above", "admin"):
        assert "UBND phường Ba Đình" in html and "ubnd.badinh" in html
    if who == "elsewhere":
        assert "UBND phường Ba Đình" not in html and "Công an xã Bắc Hà" in html
    if who in ("here", "above"):
        assert "Công an xã Bắc Hà" not in html


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 200), ("above", 200), ("admin", 200),
])
def test_authority_page_permissions(fw, client_for, who, status):
    response = client_for(who).get(reverse("feedback_reports:authority", args=[fw.authority.pk]))
    assert response.status_code == status
    if who == "above":  # sees it, may not change it: no form
        assert 'name="name"' not in response.content.decode()
    if who == "here":
        assert 'name="name"' in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 302), ("above", 403), ("admin", 302),
])
def test_authority_edit_permissions(fw, client_for, who, status):
    url = reverse("feedback_reports:authority", args=[fw.authority.pk])
    response = client_for(who).post(url, _form(name="UBND phường Ba Đình (đổi tên)"))
    assert response.status_code == status
    fw.authority.refresh_from_db()
    changed = fw.authority.name == "UBND phường Ba Đình (đổi tên)"
    assert changed is (status == 302 and who != "anonymous")


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 302), ("above", 403), ("admin", 302),
])
def test_authority_create_permissions_for_ba_dinh(fw, client_for, who, status):
    response = client_for(who).post(CREATE, {**_form(), "unit": fw.c11.pk})
    assert response.status_code == status
    created = Authority.objects.filter(unit=fw.c11, name="Công an phường Ba Đình").exists()
    assert created is (who in ("here", "admin"))


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 302), ("above", 403), ("admin", 302),
])
def test_authority_deactivate_permissions(fw, client_for, who, status):
    response = client_for(who).post(reverse("feedback_reports:authority_deactivate", args=[fw.authority.pk]))
    assert response.status_code == status
    fw.authority.refresh_from_db()
    assert fw.authority.active is not (who in ("here", "admin"))


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 403), ("above", 403), ("admin", 200),
])
def test_account_create_page_permissions(fw, client_for, who, status):
    response = client_for(who).get(reverse("feedback_reports:account_create", args=[fw.authority.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), MATRIX_READ)
def test_templates_list_permissions(fw, client_for, who, status):
    AnswerTemplate.objects.create(title="Mẫu chung: đã tiếp nhận", body="Cảm ơn ông/bà đã phản ánh.")
    AnswerTemplate.objects.create(unit=fw.c11, title="Mẫu Ba Đình: thu gom rác", body="Đã thu gom.")
    AnswerTemplate.objects.create(unit=fw.c21, title="Mẫu Bắc Hà: sạt lở", body="Đã kiểm tra.")
    response = client_for(who).get(TEMPLATES)
    assert response.status_code == status
    html = response.content.decode()
    if status == 200:
        assert "Mẫu chung: đã tiếp nhận" in html
        assert ("Mẫu Ba Đình: thu gom rác" in html) is (who in ("here", "above", "admin"))
        assert ("Mẫu Bắc Hà: sạt lở" in html) is (who in ("elsewhere", "admin"))


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 302), ("above", 403), ("admin", 302),
])
def test_template_create_permissions_for_ba_dinh(fw, client_for, who, status):
    response = client_for(who).post(TEMPLATE_CREATE, {"unit": fw.c11.pk, "title": "Mẫu mới", "body": "Nội dung."})
    assert response.status_code == status
    assert AnswerTemplate.objects.filter(title="Mẫu mới").exists() is (who in ("here", "admin"))


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 403), ("here", 403), ("above", 403), ("admin", 302),
])
def test_global_template_edit_and_delete_permissions(fw, client_for, who, status):
    template = AnswerTemplate.objects.create(title="Mẫu chung", body="Nội dung chung.")
    url = reverse("feedback_reports:template", args=[template.pk])
    expected_get = {"anonymous": 302, "citizen": 404}.get(who, 200)  # everybody with a role may use it
    assert client_for(who).get(url).status_code == expected_get
    assert client_for(who).post(url, {"title": "Mẫu chung (sửa)", "body": "Nội dung mới."}).status_code == status
    template.refresh_from_db()
    assert (template.title == "Mẫu chung (sửa)") is (who == "admin")
    delete = client_for(who).post(reverse("feedback_reports:template_delete", args=[template.pk]))
    assert delete.status_code == status
    assert AnswerTemplate.objects.filter(pk=template.pk).exists() is (who != "admin")


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("citizen", 404), ("elsewhere", 404), ("here", 302), ("above", 403), ("admin", 302),
])
def test_ba_dinh_template_edit_permissions(fw, client_for, who, status):
    template = AnswerTemplate.objects.create(unit=fw.c11, title="Mẫu Ba Đình", body="Nội dung.")
    url = reverse("feedback_reports:template", args=[template.pk])
    assert client_for(who).post(url, {"title": "Mẫu Ba Đình (sửa)", "body": "Mới."}).status_code == status
    template.refresh_from_db()
    assert (template.title == "Mẫu Ba Đình (sửa)") is (who in ("here", "admin"))


def test_elsewhere_gets_404_on_every_ba_dinh_endpoint(fw, client_for):
    """Lào Cai's staff cannot even learn that Ba Đình's authority or template exists."""
    template = AnswerTemplate.objects.create(unit=fw.c11, title="Mẫu Ba Đình", body="Nội dung.")
    client = client_for("elsewhere")
    pk = fw.authority.pk
    for method, name, args, data in [
        ("get", "authority", [pk], None),
        ("post", "authority", [pk], _form(name="Đổi tên")),
        ("post", "authority_deactivate", [pk], {}),
        ("post", "account_attach", [pk], {"username": "canbo.laocai"}),
        ("post", "account_detach", [pk, fw.user("authority").pk], {}),
        ("get", "account_create", [pk], None),
        ("get", "template", [template.pk], None),
        ("post", "template", [template.pk], {"title": "x", "body": "y"}),
        ("post", "template_delete", [template.pk], {}),
    ]:
        response = getattr(client, method)(reverse(f"feedback_reports:{name}", args=args), data)
        assert response.status_code == 404, (method, name)
    fw.authority.refresh_from_db()
    assert fw.authority.name == "UBND phường Ba Đình" and fw.authority.active
    assert list(fw.authority.accounts.all()) == [fw.user("authority")]
    assert AnswerTemplate.objects.filter(pk=template.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="feedback.").exists()


# --- authorities: create, edit, deactivate ------------------------------------------------------------


def test_create_edit_and_deactivate_an_authority(fw, client_for):
    client = client_for("here")
    response = client.post(CREATE, {**_form(), "unit": fw.c11.pk})
    authority = Authority.objects.get(unit=fw.c11, name="Công an phường Ba Đình")
    assert response["Location"] == reverse("feedback_reports:authority", args=[authority.pk])
    assert (authority.kind, authority.email, authority.phone, authority.active) == (
        AuthorityKind.POLICE, "congan@badinh.example", "024 3823 4567", True)
    created = AuditEvent.objects.get(action="feedback.authority_create")
    assert created.object_id == str(authority.pk) and created.unit_path == fw.c11.path
    assert created.actor == fw.user("here")

    url = reverse("feedback_reports:authority", args=[authority.pk])
    client.post(url, _form(phone="0243 999 888", email="ca.badinh@example.vn"))
    authority.refresh_from_db()
    assert authority.phone == "0243 999 888" and authority.email == "ca.badinh@example.vn"
    assert sorted(AuditEvent.objects.get(action="feedback.authority_update").data["changed"]) == ["email", "phone"]

    case = intake.submit(submission(fw)).case
    assert authority in selectors.authorities_for(case)
    client.post(reverse("feedback_reports:authority_deactivate", args=[authority.pk]))
    authority.refresh_from_db()
    assert not authority.active and authority not in selectors.authorities_for(case)
    assert AuditEvent.objects.filter(action="feedback.authority_deactivate", object_id=str(authority.pk)).exists()
    again = client.post(reverse("feedback_reports:authority_deactivate", args=[authority.pk]), follow=True)
    assert "đã ngừng dùng từ trước" in again.content.decode()
    client.post(url, _form(phone="0243 999 888", email="ca.badinh@example.vn"))  # "active" ticked again
    authority.refresh_from_db()
    assert authority.active


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": "ubnd  PHƯỜNG ba đình"}, "name", "đã có cơ quan tên"),  # same name, other case and spacing
    ({"name": "  "}, "name", "Hãy nhập tên cơ quan."),
    ({"email": "congan@@badinh"}, "email", "không hợp lệ"),
    ({"email": "khong-phai-email"}, "email", "không hợp lệ"),
    ({"phone": "gọi 113"}, "phone", "không hợp lệ"),
    ({"phone": "123"}, "phone", "không hợp lệ"),
    ({"kind": "bogus"}, "kind", "Hãy chọn loại cơ quan."),
])
def test_invalid_authority_is_refused_with_a_vietnamese_message(fw, client_for, overrides, field, message):
    response = client_for("here").post(CREATE, {**_form(**overrides), "unit": fw.c11.pk})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and f'id="e-{field}"' in html
    assert Authority.objects.filter(unit=fw.c11).count() == 1  # only the fixture's
    assert not AuditEvent.objects.filter(action="feedback.authority_create").exists()


def test_the_same_name_is_allowed_in_another_units_directory(fw):
    other = directory.create_authority(actor=fw.user("province_handler"), unit=fw.c12, name="UBND phường Ba Đình",
                                       kind=AuthorityKind.OTHER)
    assert other.unit == fw.c12


def test_renaming_onto_an_existing_name_is_refused(fw):
    other = directory.create_authority(actor=fw.user("here"), unit=fw.c11, name="Công an phường",
                                       kind=AuthorityKind.POLICE)
    with pytest.raises(directory.FormInvalid) as error:
        directory.update_authority(actor=fw.user("here"), authority=other, name="UBND Phường Ba Đình",
                                   kind=AuthorityKind.POLICE)
    assert "đã có cơ quan tên" in error.value.errors["name"]


def test_service_refusals_not_found_outside_forbidden_when_only_seen(fw):
    with pytest.raises(NotFound):
        directory.update_authority(actor=fw.user("elsewhere"), authority=fw.authority, name="X",
                                   kind=AuthorityKind.OTHER)
    with pytest.raises(PermissionDenied):
        directory.update_authority(actor=fw.user("above"), authority=fw.authority, name="X",
                                   kind=AuthorityKind.OTHER)
    with pytest.raises(NotFound):
        directory.create_authority(actor=fw.user("elsewhere"), unit=fw.c11, name="X", kind=AuthorityKind.OTHER)


# --- authority accounts ---------------------------------------------------------------------------------


def test_attach_and_detach_an_existing_authority_account(fw, client_for):
    other = make_user("tnmt.badinh", kind=AccountKind.AUTHORITY)
    client = client_for("here")
    url = reverse("feedback_reports:account_attach", args=[fw.authority.pk])
    assert client.post(url, {"username": " TNMT.badinh "}).status_code == 302
    assert set(fw.authority.accounts.all()) == {fw.user("authority"), other}
    event = AuditEvent.objects.get(action="feedback.authority_account_attach")
    assert event.data["username"] == "tnmt.badinh"
    again = client.post(url, {"username": "tnmt.badinh"})
    assert again.status_code == 422 and "đã gắn với" in again.content.decode()
    detach = reverse("feedback_reports:account_detach", args=[fw.authority.pk, other.pk])
    assert client.post(detach).status_code == 302
    assert list(fw.authority.accounts.all()) == [fw.user("authority")]
    assert User.objects.filter(pk=other.pk, is_active=True).exists()  # the account itself stays
    assert AuditEvent.objects.filter(action="feedback.authority_account_detach").exists()


@pytest.mark.parametrize("username", ["canbo.badinh", "nguoidan", "khong.ton.tai", "congan.baccha"])
def test_only_free_or_own_authority_accounts_may_be_attached(fw, client_for, username):
    """A staff or citizen account, a missing one, or another province's authority account: the same
    refusal, so the form tells nothing about accounts elsewhere."""
    lao_cai = Authority.objects.create(unit=fw.c21, name="Công an xã Bắc Hà", kind=AuthorityKind.POLICE)
    lao_cai.accounts.add(make_user("congan.baccha", kind=AccountKind.AUTHORITY))
    response = client_for("here").post(reverse("feedback_reports:account_attach", args=[fw.authority.pk]),
                                       {"username": username})
    assert response.status_code == 422
    assert "Không có tài khoản cơ quan có thẩm quyền" in response.content.decode()
    assert list(fw.authority.accounts.all()) == [fw.user("authority")]


def test_a_unit_admin_creates_an_authority_account_with_a_temporary_password(fw, unit_admin, client_of):
    client = client_of(unit_admin)
    url = reverse("feedback_reports:account_create", args=[fw.authority.pk])
    form = client.get(url)
    assert form.status_code == 200 and "ubnd@badinh.example" in form.content.decode()  # the e-mail is suggested
    response = client.post(url, {"username": "VanThu.BaDinh", "full_name": "Văn thư UBND phường",
                                 "email": "vanthu@badinh.example"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(username="vanthu.badinh")
    password = response.context["password"]
    assert password in response.content.decode()
    assert user.kind == AccountKind.AUTHORITY and user.must_change_password and user.is_active
    assert user.full_name == "Văn thư UBND phường" and user.email == "vanthu@badinh.example"
    assert user.password.startswith("pbkdf2_sha256_temporary$") and check_password(password, user.password)
    assert not user.unit_roles.exists() and not user.is_staff
    assert set(fw.authority.accounts.all()) == {fw.user("authority"), user}
    event = AuditEvent.objects.get(action="feedback.authority_account_create")
    assert event.actor == unit_admin and event.data["username"] == "vanthu.badinh"
    assert password not in str(event.data) and "vanthu@badinh.example" not in str(event.data)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"username": "canbo.badinh"}, "username", "đã có người dùng"),
    ({"username": "CANBO.BADINH"}, "username", "đã có người dùng"),
    ({"username": "có dấu"}, "username", "chữ cái không dấu"),
    ({"email": "vanthu@"}, "email", "không hợp lệ"),
    ({"email": ""}, "email", "Hãy nhập thư điện tử"),
    ({"full_name": " "}, "full_name", "Hãy nhập họ tên"),
])
def test_authority_account_errors(fw, unit_admin, client_of, data, field, message):
    form = {"username": "vanthu.badinh", "full_name": "Văn thư", "email": "vanthu@badinh.example", **data}
    before = User.objects.count()
    response = client_of(unit_admin).post(reverse("feedback_reports:account_create", args=[fw.authority.pk]), form)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and f'id="e-{field}"' in html
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="feedback.authority_account_create").exists()


def test_data_entry_staff_cannot_create_an_account(fw, client_for):
    response = client_for("here").post(reverse("feedback_reports:account_create", args=[fw.authority.pk]),
                                       {"username": "vanthu.badinh", "full_name": "Văn thư", "email": "a@b.vn"})
    assert response.status_code == 403
    assert "quản trị đơn vị" in response.content.decode()
    assert not User.objects.filter(username="vanthu.badinh").exists()


def test_a_unit_admin_of_ba_dinh_cannot_create_accounts_for_lao_cai(fw, unit_admin, client_of):
    lao_cai = Authority.objects.create(unit=fw.c21, name="Công an xã Bắc Hà", kind=AuthorityKind.POLICE)
    response = client_of(unit_admin).post(reverse("feedback_reports:account_create", args=[lao_cai.pk]),
                                          {"username": "x.baccha", "full_name": "X", "email": "x@b.vn"})
    assert response.status_code == 404


# --- answer templates --------------------------------------------------------------------------------


def test_template_crud_by_the_units_data_entry_staff(fw, client_for):
    client = client_for("here")
    response = client.post(TEMPLATE_CREATE, {"unit": fw.c11.pk, "title": "Đã thu gom rác",
                                             "body": "UBND phường đã thu gom rác tại địa điểm ông/bà phản ánh."})
    assert response.status_code == 302
    template = AnswerTemplate.objects.get(title="Đã thu gom rác")
    assert template.unit == fw.c11
    url = reverse("feedback_reports:template", args=[template.pk])
    duplicate = client.post(TEMPLATE_CREATE, {"unit": fw.c11.pk, "title": "đã thu gom  RÁC", "body": "Khác."})
    assert duplicate.status_code == 422 and "Đã có mẫu trả lời" in duplicate.content.decode()
    empty = client.post(url, {"title": "Đã thu gom rác", "body": "   "})
    assert empty.status_code == 422 and "Hãy nhập nội dung mẫu trả lời." in empty.content.decode()
    assert client.post(url, {"title": "Đã thu gom rác", "body": "Nội dung mới."}).status_code == 302
    template.refresh_from_db()
    assert template.body == "Nội dung mới."
    assert client.post(reverse("feedback_reports:template_delete", args=[template.pk])).status_code == 302
    assert not AnswerTemplate.objects.filter(pk=template.pk).exists()
    actions = list(AuditEvent.objects.filter(action__startswith="feedback.template_").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["feedback.template_create", "feedback.template_update", "feedback.template_delete"]


def test_global_templates_are_for_superusers_only(fw, client_for):
    refused = client_for("here").post(TEMPLATE_CREATE, {"unit": "chung", "title": "Mẫu chung", "body": "x"})
    assert refused.status_code == 403
    assert client_for("admin").post(TEMPLATE_CREATE, {"unit": "chung", "title": "Mẫu chung",
                                                      "body": "Cảm ơn."}).status_code == 302
    template = AnswerTemplate.objects.get(title="Mẫu chung")
    assert template.unit is None
    page = client_for("here").get(reverse("feedback_reports:template", args=[template.pk]))
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()  # read only


# --- queries ------------------------------------------------------------------------------------------


def _fill_directory(fw, n: int) -> None:
    for i in range(n):
        authority = Authority.objects.create(unit=fw.c11 if i % 2 else fw.c12, name=f"Cơ quan số {i}",
                                             kind=AuthorityKind.DEPARTMENT)
        authority.accounts.add(make_user(f"coquan{i}", kind=AccountKind.AUTHORITY))


@pytest.mark.parametrize("who", ["above", "admin"])
def test_directory_list_queries_do_not_grow_with_the_rows(fw, client_for, who, django_assert_max_num_queries):
    client = client_for(who)
    _fill_directory(fw, 4)
    with django_assert_max_num_queries(10) as few:
        assert client.get(LIST).status_code == 200
    for i in range(4, 34):
        authority = Authority.objects.create(unit=fw.c11, name=f"Cơ quan thêm {i}", kind=AuthorityKind.OTHER)
        authority.accounts.add(make_user(f"them{i}", kind=AccountKind.AUTHORITY))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert response.status_code == 200 and "Cơ quan thêm 33" in response.content.decode()


def test_templates_list_queries_do_not_grow_with_the_rows(fw, client_for, django_assert_max_num_queries):
    client = client_for("above")
    for i in range(30):
        AnswerTemplate.objects.create(unit=fw.c11 if i % 2 else fw.c12, title=f"Mẫu {i}", body="Nội dung.")
    with django_assert_max_num_queries(9):
        assert client.get(TEMPLATES).status_code == 200
