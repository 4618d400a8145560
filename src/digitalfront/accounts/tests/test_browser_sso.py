"""In Chromium: an approver signs in with two-factor, opens two modules (each its own relying-party
process) with one sign-in, and one sign-out signs them out of both."""

import pyotp
import pytest
from django.utils import timezone

from digitalfront.accounts.models import TOTPDevice
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_factor_sign_in_opens_two_modules_and_signs_out_of_both(live_server, browser, relying_parties):
    world = build_world()
    approver = world.user("above")  # approvers must use two-factor
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=approver, secret=secret, confirmed_at=timezone.now())
    reports = relying_parties("Phân hệ Báo cáo")
    feedback = relying_parties("Phân hệ Góp ý")

    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    visited: list[str] = []
    page.on("request", lambda request: visited.append(request.url) if request.is_navigation_request() else None)

    # the first module sends the browser to the platform: password, then the code from the phone
    page.goto(f"{reports.url}/login")
    page.wait_for_url(f"{live_server.url}/dang-nhap/**")
    page.fill("#id_username", approver.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/tai-khoan/xac-thuc-hai-buoc/")
    assert "Xác thực hai bước" in page.content()
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("form button[type=submit]")
    page.wait_for_url(f"{reports.url}/")
    assert page.text_content("#who") == f"Xin chào {approver.full_name}"
    assert page.text_content("#api") == "API: 200"

    # the second module: no password, no code
    visited.clear()
    page.goto(f"{feedback.url}/login")
    page.wait_for_url(f"{feedback.url}/")
    assert page.text_content("#who") == f"Xin chào {approver.full_name}"
    assert not any("/dang-nhap/" in url or "/xac-thuc-hai-buoc/" in url for url in visited)

    # one sign-out, in the first module
    page.goto(f"{reports.url}/")
    page.click("#logout")
    page.wait_for_url(f"{reports.url}/logged-out")
    page.goto(f"{feedback.url}/")
    assert page.text_content("#who") == "Chưa đăng nhập"
    page.goto(f"{reports.url}/")
    assert page.text_content("#who") == "Chưa đăng nhập"
    page.goto(f"{live_server.url}/")
    assert "/dang-nhap/" in page.url

    login = AuditEvent.objects.filter(action="login", object_id=str(approver.pk)).get()
    assert login.data["second_factor"] == "totp"
    assert AuditEvent.objects.filter(action="logout", object_id=str(approver.pk), data__via="oidc").exists()
