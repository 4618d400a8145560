"""Two-factor sign-in: enrolment, the second step, backup codes, replay, lockout, who must use it."""

import datetime
import re

import pyotp
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from digitalfront.accounts import twofactor
from digitalfront.accounts.middleware import LOGIN_AT, SEEN_AT
from digitalfront.accounts.models import BackupCode, LoginAttempt, TOTPDevice
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import PASSWORD

START = datetime.datetime(2026, 11, 23, 9, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at START unless a test moves it (codes, sessions and lockouts follow)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def password_step(client: Client, user, next_url: str = "") -> object:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def plain_session(user) -> Client:
    """Signed in by password only (a session from before two-factor was required)."""
    client = Client()
    client.force_login(user)
    session = client.session
    now = int(timezone.now().timestamp())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session.save()
    return client


def enrol(user) -> tuple[str, list[str]]:
    device = twofactor.start_enrolment(user=user)
    codes = twofactor.confirm_enrolment(user=user, code=pyotp.TOTP(device.secret).now())
    return device.secret, codes


def actions(user) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(user.pk)).order_by("id").values_list("action", flat=True))


@pytest.mark.django_db
def test_who_must_use_two_factor(world):
    assert twofactor.required(world.user("above"))  # approver
    assert twofactor.required(world.user("admin"))  # superuser
    assert twofactor.required(world.user("elsewhere"))  # approver in P2
    assert not twofactor.required(world.user("here"))  # data entry
    assert not twofactor.required(world.user("citizen"))


@pytest.mark.django_db
def test_approver_without_two_factor_can_only_enrol(world):
    above = world.user("above")
    client = plain_session(above)
    response = client.get(reverse("orgs:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:twofactor_setup"))
    api = client.get("/api/v1/units/")
    assert api.status_code == 403
    assert api.json()["code"] == "twofactor_required"
    assert "xác thực hai bước" in api.json()["detail"]

    page = client.get(reverse("accounts:twofactor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    secret = TOTPDevice.objects.get(user=above).secret
    wrong = client.post(reverse("accounts:twofactor_setup"), {"code": "000000"})
    assert wrong.status_code == 422
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert not twofactor.enabled(above)
    done = client.post(reverse("accounts:twofactor_setup"), {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert done["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4})</code>", done.content.decode())
    assert len(codes) == 10
    assert twofactor.enabled(above)
    assert BackupCode.objects.filter(user=above, used_at__isnull=True).count() == 10
    assert client.get(reverse("orgs:home")).status_code == 200
    assert {"twofactor_enabled", "backup_codes_generated"} <= set(actions(above))
    # nothing secret in the audit log
    assert not any(secret in str(e.data) or codes[0] in str(e.data) for e in AuditEvent.objects.all())


@pytest.mark.django_db
def test_sign_in_with_code_replay_refused_and_backup_code_single_use(world, clock):
    above = world.user("above")
    secret, codes = enrol(above)
    totp = pyotp.TOTP(secret)
    client = Client()
    clock.shift(60)
    response = password_step(client, above, next_url="/don-vi/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:twofactor_verify")
    # the password alone signs nobody in
    assert client.get(reverse("orgs:home")).status_code == 302
    code = totp.now()
    ok = client.post(reverse("accounts:twofactor_verify"), {"code": code})
    assert ok.status_code == 302
    assert ok["Location"] == "/don-vi/"
    assert client.get(reverse("orgs:home")).status_code == 200
    login = AuditEvent.objects.filter(action="login", object_id=str(above.pk)).latest("id")
    assert login.data["second_factor"] == "totp"

    # the same code again, in a new sign-in within its 30 seconds: refused
    other = Client()
    password_step(other, above)
    replay = other.post(reverse("accounts:twofactor_verify"), {"code": code})
    assert replay.status_code == 200
    assert "Mã xác thực không đúng" in replay.content.decode()
    assert "twofactor_failed" in actions(above)

    # a backup code works once, with dashes and spaces or without
    used = other.post(reverse("accounts:twofactor_verify"), {"code": f" {codes[0].upper()} "})
    assert used.status_code == 302
    third = Client()
    password_step(third, above)
    again = third.post(reverse("accounts:twofactor_verify"), {"code": codes[0].replace("-", "")})
    assert again.status_code == 200
    assert twofactor.unused_backup_codes(above) == 9
    assert "backup_code_used" in actions(above)


@pytest.mark.django_db
def test_wrong_codes_lock_the_account(world, settings):
    settings.DIGITALFRONT_LOCKOUT_ACCOUNT_FAILURES = 3
    above = world.user("above")
    enrol(above)
    client = Client()
    password_step(client, above)
    for _ in range(2):
        assert client.post(reverse("accounts:twofactor_verify"), {"code": "123456"}).status_code == 200
    locked = client.post(reverse("accounts:twofactor_verify"), {"code": "123456"})
    assert locked.status_code == 429
    assert "tạm thời bị khóa" in locked.content.decode()
    # the right code does not help while the lock holds, nor does the password
    fresh = Client()
    assert password_step(fresh, above).status_code == 429
    assert LoginAttempt.objects.filter(username=above.username, ok=False).count() == 3
    assert "login_locked" in actions(above)


@pytest.mark.django_db
def test_pending_step_expires_and_cannot_be_skipped(world, clock):
    above = world.user("above")
    secret, _ = enrol(above)
    client = Client()
    password_step(client, above)
    clock.shift(360)
    late = client.post(reverse("accounts:twofactor_verify"), {"code": pyotp.TOTP(secret).now()})
    assert late.status_code == 302
    assert late["Location"] == reverse("login")
    assert client.get(reverse("orgs:home")).status_code == 302
    # no pending sign-in at all
    assert Client().get(reverse("accounts:twofactor_verify")).status_code == 302


@pytest.mark.django_db
def test_bad_codes_get_clear_messages(world):
    here = world.user("here")
    enrol(here)
    client = Client()
    password_step(client, here)
    for bad in ("", "abc", "1" * 5000, "１２３４５６", "<script>"):
        response = client.post(reverse("accounts:twofactor_verify"), {"code": bad})
        assert response.status_code in (200, 429)
        body = response.content.decode()
        assert "Mã xác thực" in body
        assert "<script>" not in body.split("<main", 1)[1].split("</main>")[0] or bad != "<script>"


@pytest.mark.django_db
def test_optional_for_data_entry_and_required_roles_cannot_turn_it_off(world, client_for):
    here_client = client_for("here")
    assert here_client.get(reverse("accounts:security")).status_code == 200
    assert here_client.get(reverse("orgs:home")).status_code == 200
    here_client.get(reverse("accounts:twofactor_setup"))
    secret = TOTPDevice.objects.get(user=world.user("here")).secret
    here_client.post(reverse("accounts:twofactor_setup"), {"code": pyotp.TOTP(secret).now()})
    assert twofactor.enabled(world.user("here"))
    here_client.post(reverse("accounts:twofactor_off"))
    assert not twofactor.enabled(world.user("here"))
    assert "twofactor_disabled" in actions(world.user("here"))

    above = world.user("above")
    enrol(above)
    response = client_for("above").post(reverse("accounts:twofactor_off"), follow=True)
    assert "bắt buộc dùng xác thực hai bước" in response.content.decode()
    assert twofactor.enabled(above)
    # an administrator resets it (lost phone): audited, and the next sign-in asks to enrol again
    twofactor.disable(actor=world.user("admin"), user=above, reason="Mất điện thoại")
    assert not twofactor.enabled(above)
    event = AuditEvent.objects.filter(action="twofactor_disabled", object_id=str(above.pk)).get()
    assert event.actor == world.user("admin")


@pytest.mark.django_db
def test_new_backup_codes_replace_old_ones(world, client_for):
    above = world.user("above")
    _, old = enrol(above)
    response = client_for("above").post(reverse("accounts:backup_codes"))
    new = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4})</code>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert BackupCode.objects.filter(user=above).count() == 10
    assert client_for("anonymous").post(reverse("accounts:backup_codes")).status_code == 302
