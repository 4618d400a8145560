"""Citizen registration, password reset by a one-time code, password change."""

import datetime
import json
import re

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from digitalfront.accounts import people, verification
from digitalfront.accounts.models import AccountKind, CodePurpose, OneTimeCode, User, UserSession
from digitalfront.accounts.people_forms import parse_contact
from digitalfront.core import notifications
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import PASSWORD

REGISTER = "/tai-khoan/dang-ky/"
REGISTER_VERIFY = "/tai-khoan/dang-ky/xac-minh/"
RESET = "/tai-khoan/quen-mat-khau/"
RESET_VERIFY = "/tai-khoan/quen-mat-khau/xac-minh/"
CHANGE = "/tai-khoan/doi-mat-khau/"
NEW_PASSWORD = "Lang-sen-que-Bac-2026"
PHONE = "0912345678"


@pytest.fixture(autouse=True)
def _messages_in_memory(outboxes):
    """Every test here reads the codes it was sent from memory (the root ``outboxes`` fixture)."""


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST with the request's on-commit callbacks run (the test's transaction never commits)."""

    def do(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return do


def last_code(channel="sms"):
    body = notifications.outbox[-1].body if channel == "sms" else mail.outbox[-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)


def registration(contact=PHONE, name="Nguyễn Thị Hoa", password=NEW_PASSWORD):
    return {"contact": contact, "full_name": name, "password1": password, "password2": password}


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def audit_text():
    return json.dumps(list(AuditEvent.objects.values("action", "data")), ensure_ascii=False)


# --- phone and e-mail -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "expected"), [
    ("0912345678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("+84 91 234 5678", "0912345678"),
    ("84912345678", "0912345678"),
    ("0387.654.321", "0387654321"),
    ("091234567", None),  # 9 digits
    ("09123456789", None),  # 11 digits
    ("0212345678", None),  # not a mobile prefix
    ("+8512345678", None),
    ("số điện thoại", None),
])
def test_normalise_phone(typed, expected):
    assert people.normalise_phone(typed) == expected


def test_parse_contact():
    assert parse_contact("  Nguoi.Dan@Example.VN ") == people.Contact("email", "nguoi.dan@example.vn")
    assert parse_contact("+84 912 345 678") == people.Contact("sms", PHONE)


# --- registration -----------------------------------------------------------------------------------


def test_register_by_phone_end_to_end(world, post):
    client = Client()
    page = client.get(REGISTER)
    assert page.status_code == 200
    assert "Bạn không cần tài khoản để gửi phản ánh" in page.content.decode()

    response = post(client, REGISTER, registration(contact="+84 912 345 678"))
    assert response.status_code == 302 and response["Location"] == REGISTER_VERIFY
    user = User.objects.get(username=PHONE)
    assert (user.kind, user.is_active, user.phone, user.full_name) == (AccountKind.CITIZEN, False, PHONE,
                                                                       "Nguyễn Thị Hoa")
    assert [m.to for m in notifications.outbox] == [PHONE] and mail.outbox == []
    code = last_code()
    stored = OneTimeCode.objects.get(destination=PHONE)
    assert code not in stored.code_hash and stored.purpose == CodePurpose.REGISTER and stored.user == user
    assert not client.login(username=PHONE, password=NEW_PASSWORD)  # inactive until verified

    page = client.get(REGISTER_VERIFY)
    assert PHONE in page.content.decode()
    response = post(client, REGISTER_VERIFY, {"code": code})
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    assert user.is_active and user.phone_verified_at is not None and user.email_verified_at is None
    assert signed_in_as(client) == str(user.pk)
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="account_registered", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(action="login", object_id=str(user.pk)).exists()
    assert code not in audit_text() and NEW_PASSWORD not in audit_text()
    assert OneTimeCode.objects.get(pk=stored.pk).used_at is not None


def test_register_by_email_end_to_end(world, post):
    client = Client()
    response = post(client, REGISTER, registration(contact="Hoa.Nguyen@Example.VN"))
    assert response.status_code == 302
    user = User.objects.get(username="hoa.nguyen@example.vn")
    assert user.email == "hoa.nguyen@example.vn" and not user.is_active
    (message,) = mail.outbox
    assert message.to == ["hoa.nguyen@example.vn"] and "Mã xác minh" in message.subject
    assert notifications.outbox == []
    response = post(client, REGISTER_VERIFY, {"code": last_code("email")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at is not None and user.phone_verified_at is None
    assert signed_in_as(client) == str(user.pk)


@pytest.mark.parametrize(("data", "message"), [
    (registration(contact="012345"), "Số điện thoại di động không hợp lệ"),
    (registration(contact="0212345678"), "Số điện thoại di động không hợp lệ"),
    (registration(contact="hoa@"), "Địa chỉ e-mail không hợp lệ"),
    (registration(contact=""), "Vui lòng nhập số điện thoại hoặc e-mail."),
    (registration(name=""), "Vui lòng nhập họ và tên."),
    (registration(password="ngan"), "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 10 ký tự."),
    (registration(password="73918264501"), "Mật khẩu này hoàn toàn là số."),
    (registration(password="password123"), "Mật khẩu này quá phổ biến."),
    (registration(contact="nguyenvanan1@example.vn", password="nguyenvanan1"), "quá giống với"),
    ({**registration(), "password2": "Khac-mat-khau-2026"}, "Hai mật khẩu không giống nhau."),
])
def test_bad_registration_changes_nothing(world, post, data, message):
    users = User.objects.count()
    response = post(Client(), REGISTER, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == users
    assert not OneTimeCode.objects.exists()
    assert notifications.outbox == [] and mail.outbox == []


def test_wrong_then_right_code(world, post):
    client = Client()
    post(client, REGISTER, registration())
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    response = post(client, REGISTER_VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác minh không đúng. Bạn còn 4 lần thử." in response.content.decode()
    response = post(client, REGISTER_VERIFY, {"code": "12ab"})
    assert "Mã xác minh gồm 6 chữ số." in response.content.decode()
    assert OneTimeCode.objects.get().attempts == 1  # a malformed code is not an attempt
    assert post(client, REGISTER_VERIFY, {"code": code[:3] + " " + code[3:]}).status_code == 302
    assert User.objects.get(username=PHONE).is_active


def test_five_wrong_codes_exhaust_the_code(world, post):
    client = Client()
    post(client, REGISTER, registration())
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        assert post(client, REGISTER_VERIFY, {"code": wrong}).status_code == 200
    response = post(client, REGISTER_VERIFY, {"code": wrong})
    assert response.status_code == 429
    assert "Bạn đã nhập sai mã quá nhiều lần" in response.content.decode()
    response = post(client, REGISTER_VERIFY, {"code": code})  # even the right one
    assert response.status_code == 429
    assert not User.objects.get(username=PHONE).is_active
    assert signed_in_as(client) is None


def test_expired_code_refused_and_new_code_replaces_old(world, post, start):
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        post(client, REGISTER, registration())
        first = last_code()
        clock.shift(datetime.timedelta(minutes=10, seconds=1))
        response = post(client, REGISTER_VERIFY, {"code": first})
        assert "Mã xác minh đã hết hạn" in response.content.decode()

        response = post(client, REGISTER_VERIFY, {"resend": "1"})
        assert response.status_code == 302
        second = last_code()
        clock.shift(datetime.timedelta(seconds=61))
        post(client, REGISTER_VERIFY, {"resend": "1"})
        third = last_code()
        if second != third:  # the older code no longer works
            assert "Mã xác minh không đúng" in post(client, REGISTER_VERIFY, {"code": second}).content.decode()
            assert not User.objects.get(username=PHONE).is_active
        assert post(client, REGISTER_VERIFY, {"code": third}).status_code == 302


def test_code_is_single_use(world):
    user = world.users["citizen"]
    with transaction.atomic():
        code = verification.issue(purpose=CodePurpose.RESET, channel="sms", destination=PHONE, user=user)
    outcome = verification.check(purpose=CodePurpose.RESET, destination=PHONE, code=code)
    assert outcome.error is None
    verification.consume(outcome.record)
    again = verification.check(purpose=CodePurpose.RESET, destination=PHONE, code=code)
    assert again.record is None and again.error.code == "code_expired"
    # a code is bound to its purpose
    assert verification.check(purpose=CodePurpose.REGISTER, destination=PHONE, code=code).record is None


def test_send_cooldown_and_hourly_limit(world, post, start):
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        assert post(client, REGISTER, registration()).status_code == 302
        response = post(client, REGISTER_VERIFY, {"resend": "1"})
        assert response.status_code == 429
        assert "Vui lòng đợi 60 giây" in response.content.decode()
        assert response["Retry-After"] == "60"
        assert len(notifications.outbox) == 1

        clock.shift(datetime.timedelta(seconds=61))
        assert post(client, REGISTER_VERIFY, {"resend": "1"}).status_code == 302
        clock.shift(datetime.timedelta(seconds=61))
        assert post(client, REGISTER, registration()).status_code == 302  # the third send
        clock.shift(datetime.timedelta(seconds=61))
        response = post(client, REGISTER, registration(name="Người khác"))
        assert response.status_code == 429
        assert "Đã gửi quá nhiều mã xác minh" in response.content.decode()
        assert len(notifications.outbox) == 3
        assert User.objects.get(username=PHONE).full_name == "Nguyễn Thị Hoa"  # refused: nothing changed

        clock.shift(datetime.timedelta(hours=1))
        assert post(client, REGISTER, registration()).status_code == 302
        assert len(notifications.outbox) == 4


def test_reregistering_replaces_the_pending_account(world, post, start):
    with time_machine.travel(start, tick=False) as clock:
        post(Client(), REGISTER, registration(name="Người thứ nhất", password="Mat-khau-dau-tien-1"))
        first = last_code()
        clock.shift(datetime.timedelta(seconds=61))
        client = Client()
        post(client, REGISTER, registration(name="Người thứ hai"))
        second = last_code()
        assert User.objects.filter(username=PHONE).count() == 1
        user = User.objects.get(username=PHONE)
        assert user.full_name == "Người thứ hai" and user.check_password(NEW_PASSWORD)
        if first != second:
            assert post(client, REGISTER_VERIFY, {"code": first}).status_code == 200
        assert post(client, REGISTER_VERIFY, {"code": second}).status_code == 302


def test_already_verified_destination_refused(world, post, start):
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        post(client, REGISTER, registration())
        post(client, REGISTER_VERIFY, {"code": last_code()})
        clock.shift(datetime.timedelta(minutes=5))
        users, sent = User.objects.count(), len(notifications.outbox)
        response = post(Client(), REGISTER, registration(contact="+84912345678", name="Kẻ mạo danh"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Số điện thoại này đã được dùng cho một tài khoản" in body
        assert RESET in body  # suggests password recovery
        assert User.objects.count() == users and len(notifications.outbox) == sent
        assert User.objects.get(username=PHONE).full_name == "Nguyễn Thị Hoa"

    # an e-mail set on a staff account counts as taken
    staff = world.users["here"]
    staff.email = "canbo@mattran.vn"
    staff.save(update_fields=["email"])
    response = post(Client(), REGISTER, registration(contact="CanBo@mattran.vn"))
    assert "Địa chỉ e-mail này đã được dùng cho một tài khoản" in response.content.decode()
    assert not User.objects.filter(username="canbo@mattran.vn").exists()


def test_codes_sent_only_after_commit(world, django_capture_on_commit_callbacks):
    contact = people.Contact("sms", PHONE)
    def register_then_fail():
        with transaction.atomic():
            people.start_registration(contact=contact, full_name="Hoa", password=NEW_PASSWORD)
            assert notifications.outbox == []
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        register_then_fail()
    assert notifications.outbox == [] and not User.objects.filter(username=PHONE).exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        people.start_registration(contact=contact, full_name="Hoa", password=NEW_PASSWORD)
    assert notifications.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in notifications.outbox] == [PHONE]


def test_signed_in_user_sent_home_from_register(client_for):
    assert client_for("here").get(REGISTER).status_code == 302


# --- password reset ---------------------------------------------------------------------------------


def make_token(user):
    app = Application.objects.create(name="Mô-đun", client_type=Application.CLIENT_CONFIDENTIAL,
                                     authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                                     redirect_uris="https://app.example.vn/cb", algorithm="RS256")
    access = AccessToken.objects.create(user=user, application=app, token="access-1", scope="openid",
                                        expires=timezone.now() + datetime.timedelta(hours=1))
    RefreshToken.objects.create(user=user, application=app, token="refresh-1", access_token=access)


def test_reset_by_username_for_staff_email_ends_sessions_and_tokens(world, client_for, post):
    staff = world.users["here"]
    other = client_for("here")
    assert other.get("/").status_code == 200
    staff.email = "canbo.badinh@mattran.vn"
    staff.must_change_password = True
    staff.save(update_fields=["email", "must_change_password"])
    make_token(staff)

    client = Client()
    response = post(client, RESET, {"identifier": "Canbo.BaDinh"})
    assert response.status_code == 302 and response["Location"] == RESET_VERIFY
    (message,) = mail.outbox
    assert message.to == ["canbo.badinh@mattran.vn"]
    code = last_code("email")
    response = post(client, RESET_VERIFY, {"code": code, "new_password1": NEW_PASSWORD,
                                           "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD) and not staff.must_change_password
    assert other.get("/")["Location"].startswith("/dang-nhap/")  # the other session ended
    assert not UserSession.objects.filter(user=staff).exists()
    assert not AccessToken.objects.filter(user=staff).exists()
    assert RefreshToken.objects.get(user=staff).revoked is not None
    event = AuditEvent.objects.get(action="password_reset", object_id=str(staff.pk))
    assert event.data["sessions"] == 1 and event.data["tokens"] == 2
    assert code not in audit_text() and NEW_PASSWORD not in audit_text()
    login = Client().post("/dang-nhap/", {"username": staff.username, "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_reset_by_phone_for_verified_citizen(world, post):
    citizen = world.users["citizen"]
    citizen.phone, citizen.phone_verified_at = PHONE, timezone.now()
    citizen.save(update_fields=["phone", "phone_verified_at"])
    client = Client()
    post(client, RESET, {"identifier": "+84 912 345 678"})
    assert [m.to for m in notifications.outbox] == [PHONE]
    response = post(client, RESET_VERIFY, {"code": last_code(), "new_password1": NEW_PASSWORD,
                                           "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)


def page_text(response):
    """The page without what differs on every request anyway (CSRF token, CSP nonce)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", text)


def test_reset_never_reveals_whether_an_account_exists(world, post):
    citizen = world.users["citizen"]
    citizen.email = "nguoidan@example.vn"  # not verified: no code goes there
    citizen.save(update_fields=["email"])
    staff = world.users["here"]
    staff.email = "canbo@mattran.vn"
    staff.save(update_fields=["email"])

    answers = []
    for identifier in ["canbo.badinh", "khong-ai-co-ten-nay", "nguoidan", "nobody@example.vn", "0987654321"]:
        client = Client()
        response = post(client, RESET, {"identifier": identifier})
        page = client.get(RESET_VERIFY)
        wrong = post(client, RESET_VERIFY, {"code": "000000", "new_password1": NEW_PASSWORD,
                                            "new_password2": NEW_PASSWORD})
        answers.append((response.status_code, response["Location"], page.status_code, page_text(page),
                        wrong.status_code, page_text(wrong)))
    # the first one was sent a real code; "000000" could be it
    assert all(answer[:4] == answers[0][:4] for answer in answers)
    assert all(answer[4:] == answers[1][4:] for answer in answers[2:])
    assert [m.to for m in mail.outbox] == [["canbo@mattran.vn"]] and notifications.outbox == []


def test_reset_wrong_codes_and_send_limits(world, post, start):
    staff = world.users["here"]
    staff.email = "canbo@mattran.vn"
    staff.save(update_fields=["email"])
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        post(client, RESET, {"identifier": "canbo.badinh"})
        code = last_code("email")
        wrong = "000000" if code != "000000" else "111111"
        data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        for _ in range(4):
            assert post(client, RESET_VERIFY, {**data, "code": wrong}).status_code == 200
        assert post(client, RESET_VERIFY, {**data, "code": wrong}).status_code == 429
        assert post(client, RESET_VERIFY, {**data, "code": code}).status_code == 429
        staff.refresh_from_db()
        assert staff.check_password(PASSWORD)

        # 60 s between sends, 3 an hour: the same for an unknown name
        for identifier in ["canbo.badinh", "khong-ai-co-ten-nay"]:
            response = post(Client(), RESET, {"identifier": identifier})
            if identifier == "canbo.badinh":
                assert response.status_code == 429
            clock.shift(datetime.timedelta(seconds=61))
        statuses = []
        for _ in range(3):
            statuses.append(post(Client(), RESET, {"identifier": "khong-ai-co-ten-nay"}).status_code)
            clock.shift(datetime.timedelta(seconds=61))
        assert statuses == [302, 302, 429]
        response = post(Client(), RESET, {"identifier": "canbo.badinh"})
        assert response.status_code == 302
        response = post(Client(), RESET, {"identifier": "canbo.badinh"})
        assert response.status_code == 429 and "Vui lòng đợi" in response.content.decode()


def test_reset_password_refused_keeps_the_code(world, post):
    staff = world.users["here"]
    staff.email = "canbo@mattran.vn"
    staff.save(update_fields=["email"])
    client = Client()
    post(client, RESET, {"identifier": "canbo@mattran.vn"})
    code = last_code("email")
    response = post(client, RESET_VERIFY, {"code": code, "new_password1": "canbo.badinh1",
                                           "new_password2": "canbo.badinh1"})
    assert response.status_code == 200 and "quá giống với" in response.content.decode()
    response = post(client, RESET_VERIFY, {"code": code, "new_password1": "ngan", "new_password2": "ngan"})
    assert "Mật khẩu này quá ngắn" in response.content.decode()
    assert post(client, RESET_VERIFY, {"code": code, "new_password1": NEW_PASSWORD,
                                       "new_password2": NEW_PASSWORD}).status_code == 302


def test_reset_pages_need_step_one(world):
    assert Client().get(RESET_VERIFY)["Location"] == RESET
    assert Client().get(REGISTER_VERIFY)["Location"] == REGISTER


# --- password change --------------------------------------------------------------------------------


def test_password_change_keeps_this_session_and_ends_others(world, client_for):
    staff = world.users["here"]
    staff.must_change_password = True
    staff.save(update_fields=["must_change_password"])
    client, other = client_for("here"), client_for("here")
    make_token(staff)
    page = client.get(CHANGE)
    assert page.status_code == 200 and "Bạn cần đặt mật khẩu mới" in page.content.decode()

    response = client.post(CHANGE, {"old_password": "sai-mat-khau", "new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    assert "Mật khẩu hiện tại không đúng" in response.content.decode()
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "1234567890",
                                    "new_password2": "1234567890"})
    assert "Mật khẩu này hoàn toàn là số." in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)

    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD) and not staff.must_change_password
    assert client.get("/").status_code == 200  # still signed in
    assert other.get("/")["Location"].startswith("/dang-nhap/")  # signed out
    assert list(UserSession.objects.filter(user=staff).values_list("session_key", flat=True)) == [
        client.session.session_key]
    assert not AccessToken.objects.filter(user=staff).exists()
    event = AuditEvent.objects.get(action="password_changed")
    assert event.object_id == str(staff.pk) and event.data["sessions"] == 1
    assert NEW_PASSWORD not in audit_text() and PASSWORD not in audit_text()


def test_password_change_needs_sign_in(world):
    response = Client().get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_login_page_links(world):
    body = Client().get("/dang-nhap/").content.decode()
    assert f'href="{RESET}">Quên mật khẩu?' in body
    assert f'href="{REGISTER}">Đăng ký tài khoản người dân' in body
