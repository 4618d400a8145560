"""Staff security: lockouts, session timeouts, disabling accounts, audit, password policy."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken

from digitalfront.accounts import services
from digitalfront.accounts.models import LoginAttempt, UserSession
from digitalfront.accounts.requests import client_ip
from digitalfront.accounts.tests.test_oidc import full_flow as oidc_full_flow
from digitalfront.accounts.tests.test_oidc import make_app
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import PASSWORD

LOGIN = "/dang-nhap/"
HOME = "/"
UA = "Trinh-duyet-kiem-thu/1.0"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_USER_AGENT=UA)


def signed_in(client):
    response = client.get(HOME)
    return response.status_code == 200


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


def test_account_locked_after_five_failures_then_released(world, start):
    username = world.users["here"].username
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        for _ in range(4):
            response = attempt(client, username, "sai-mat-khau")
            assert response.status_code == 200
            assert "tạm thời bị khóa" not in response.content.decode()
        response = attempt(client, username, "sai-mat-khau")
        assert response.status_code == 429
        assert "Tài khoản này tạm thời bị khóa" in response.content.decode()

        clock.shift(datetime.timedelta(minutes=5))
        response = attempt(client, username, PASSWORD)  # the right password, refused while locked
        assert response.status_code == 429
        body = response.content.decode()
        assert "Vui lòng thử lại sau" in body and "khoảng 10 phút nữa" in body
        assert not signed_in(client)
        # from another address too: the account is locked, not the address
        assert attempt(client, username, PASSWORD, ip="10.0.0.2").status_code == 429

        clock.shift(datetime.timedelta(minutes=10, seconds=1))
        response = attempt(client, username, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_success_resets_the_account_count(world, start):
    username = world.users["here"].username
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            attempt(Client(), username, "sai-mat-khau")
        assert attempt(Client(), username, PASSWORD).status_code == 302
        for _ in range(4):
            assert attempt(Client(), username, "sai-mat-khau").status_code == 200
        assert attempt(Client(), username, PASSWORD).status_code == 302


def test_ip_blocked_across_usernames(world, start):
    with time_machine.travel(start, tick=False) as clock:
        for i in range(19):
            assert attempt(Client(), f"khong-co-{i}", "sai-mat-khau", ip="203.0.113.9").status_code == 200
        # a success from the same address does not clear the address's count
        assert attempt(Client(), world.users["above"].username, PASSWORD, ip="203.0.113.9").status_code == 302
        response = attempt(Client(), "khong-co-19", "sai-mat-khau", ip="203.0.113.9")
        assert response.status_code == 429
        assert "địa chỉ mạng" in response.content.decode()
        # blocked for every account from that address, even with the right password
        assert attempt(Client(), world.users["here"].username, PASSWORD, ip="203.0.113.9").status_code == 429
        # other addresses are not affected
        assert attempt(Client(), world.users["here"].username, PASSWORD, ip="203.0.113.10").status_code == 302
        clock.shift(datetime.timedelta(minutes=15, seconds=1))
        assert attempt(Client(), world.users["here"].username, PASSWORD, ip="203.0.113.9").status_code == 302


def test_forwarded_for_only_from_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.1.1.2")
    assert client_ip(request) == "10.1.1.1"
    settings.DIGITALFRONT_TRUSTED_PROXIES = ["10.1.1.0/24"]
    assert client_ip(request) == "198.51.100.7"
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "10.9.9.9"


def test_idle_timeout(world, start):
    username = world.users["here"].username
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        assert attempt(client, username, PASSWORD).status_code == 302
        clock.shift(datetime.timedelta(minutes=29))
        assert signed_in(client)
        clock.shift(datetime.timedelta(minutes=29))
        assert signed_in(client)
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        page = client.get(response["Location"])
        assert "Phiên làm việc đã hết hạn" in page.content.decode()
        assert not signed_in(client)
    event = AuditEvent.objects.get(action="session_expired")
    assert event.data["reason"] == "idle"
    assert event.actor == world.users["here"]


def test_absolute_timeout_despite_activity(world, start):
    username = world.users["here"].username
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        assert attempt(client, username, PASSWORD).status_code == 302
        for _ in range(35):  # up to 11 h 40 min
            clock.shift(datetime.timedelta(minutes=20))
            assert signed_in(client)
        clock.shift(datetime.timedelta(minutes=20))  # 12 h
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.get(action="session_expired").data["reason"] == "absolute"


def test_api_gets_401_json_when_the_session_expired(world, client_for, start):
    with time_machine.travel(start, tick=False) as clock:
        client = client_for("here")
        assert client.get(HOME).status_code == 200  # the session starts being timed
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/api/v1/units/")
        assert response.status_code == 401
        assert response.json()["code"] == "session_expired"
        assert "Phiên làm việc đã hết hạn" in response.json()["detail"]


def test_disabling_ends_sessions_and_revokes_tokens(world, client_for):
    user = world.users["here"]
    app = make_app("Phân hệ góp ý", skip=True)
    tokens = oidc_full_flow(client_for, app)
    assert Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").status_code == 200

    browser = Client()
    assert attempt(browser, user.username, PASSWORD).status_code == 302
    assert signed_in(browser)
    other = Client()
    other.force_login(user)  # a session made without the login page is registered on its first request
    assert signed_in(other)
    assert UserSession.objects.filter(user=user).count() >= 2

    services.disable_account(actor=world.users["admin"], user=user, reason="Nghỉ việc")

    for client in (browser, other):
        response = client.get(HOME)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not UserSession.objects.filter(user=user).exists()
    keys = [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    assert keys == []
    assert Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").status_code == 401
    assert not AccessToken.objects.filter(user=user).exists()
    assert not RefreshToken.objects.filter(user=user, revoked__isnull=True).exists()
    refreshed = Client().post("/o/token/", {"client_id": app.client_id, "client_secret": "bi-mat-cua-ung-dung",
                                            "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 400
    event = AuditEvent.objects.get(action="account_disabled")
    assert event.actor == world.users["admin"] and event.object_id == str(user.pk)
    assert event.data["reason"] == "Nghỉ việc" and event.data["sessions"] >= 2 and event.data["tokens"] >= 1
    assert attempt(Client(), user.username, PASSWORD).status_code == 200  # can no longer sign in


def test_admin_action_disables(world, client_for):
    user = world.users["here"]
    admin = client_for("admin")
    response = admin.post("/admin/accounts/user/", {"action": "disable_accounts", "_selected_action": [user.pk]})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEvent.objects.filter(action="account_disabled", object_id=str(user.pk)).exists()


def test_admin_login_is_the_common_login(world):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/admin/"


def test_audit_events_with_ip_and_no_password(world, start):
    username = world.users["here"].username
    with time_machine.travel(start, tick=False):
        client = Client()
        attempt(client, username, "sai-mat-khau-bi-mat")
        for _ in range(4):
            attempt(Client(), username, "sai-mat-khau-bi-mat")
        assert attempt(client, username, PASSWORD, ip="10.0.0.3").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert attempt(client, username, PASSWORD).status_code == 302
        client.post("/dang-xuat/", REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT=UA)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["login_failed"] * 5 + ["login_locked", "login", "logout"]
    for event in AuditEvent.objects.all():
        assert event.data["ip"] == "10.0.0.1"
        assert event.data["user_agent"] == UA
        text = str(event.data)
        assert "sai-mat-khau-bi-mat" not in text and PASSWORD not in text
    failed = AuditEvent.objects.filter(action="login_failed").first()
    assert failed.data["username"] == username and failed.object_id == str(world.users["here"].pk)
    assert AuditEvent.objects.get(action="login_locked").data["scope"] == "account"
    assert LoginAttempt.objects.filter(ok=True).count() == 1


def test_password_policy_in_vietnamese(world):
    with pytest.raises(ValidationError) as error:
        validate_password("123")
    messages = error.value.messages
    assert any("ít nhất 10 ký tự" in m for m in messages)
    for message in messages:
        assert "password" not in message.lower()
        assert "Mật khẩu" in message
    with pytest.raises(ValidationError) as error:
        validate_password(world.users["here"].username + "1", world.users["here"])
    assert all("Mật khẩu" in m for m in error.value.messages)
    for text in password_validators_help_texts():
        assert "Mật khẩu" in text and "password" not in text.lower()
    validate_password("mot-cau-dai-kho-doan-2026", world.users["here"])
