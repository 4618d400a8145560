"""Single sign-on for real: two relying parties, each its own process using Authlib, sign a staff user
in through the platform over HTTP on 127.0.0.1, read the claims, call the API with the access token,
and are both signed out by one RP-initiated logout.

The browser is a ``requests`` session that follows redirects and keeps cookies, as a browser would.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from digitalfront.accounts.tests.processes import SECRET
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_on_platform(browser: requests.Session, page: requests.Response, username: str) -> requests.Response:
    """Fill the platform's sign-in page that ``page`` is, as a person would."""
    assert "/dang-nhap/" in page.url, page.url
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = parse_qs(urlparse(page.url).query)["next"][0]
    return browser.post(page.url.split("?")[0], data={
        "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": next_url,
    }, timeout=30)


def test_two_relying_parties_share_one_sign_in_and_one_sign_out(live_server, relying_parties):
    world = build_world()
    staff = world.user("here")
    module_a = relying_parties("Phân hệ A")
    module_b = relying_parties("Phân hệ B")
    browser = requests.Session()

    # 1. module A sends the browser to the platform, which asks for the password once
    page = browser.get(f"{module_a.url}/login", timeout=30)
    landed = sign_in_on_platform(browser, page, staff.username)
    assert landed.status_code == 200
    assert landed.url == f"{module_a.url}/"
    assert f"Xin chào {staff.full_name}" in landed.text

    me = browser.get(f"{module_a.url}/me", timeout=30).json()
    assert me["claims"]["iss"] == live_server.url
    assert me["claims"]["name"] == staff.full_name
    assert me["claims"]["units"] == [world.c11.code]
    assert me["claims"]["roles"] == [f"data_entry@{world.c11.code}"]
    assert me["userinfo"]["sub"] == str(staff.pk)
    assert me["userinfo"]["units"] == [world.c11.code]
    # the API answered the access token, within the person's scope
    assert me["api_status"] == 200
    assert me["refresh_token"]

    # 2. module B gets the person without a second password prompt
    second = browser.get(f"{module_b.url}/login", timeout=30)
    assert second.url == f"{module_b.url}/"
    assert f"Xin chào {staff.full_name}" in second.text
    assert not any("/dang-nhap/" in hop.url for hop in second.history)

    # 3. one sign-out at module A ends the platform session and both modules' tokens
    out = browser.get(f"{module_a.url}/logout", timeout=30)
    assert out.url == f"{module_a.url}/logged-out"
    assert browser.get(f"{module_b.url}/me", timeout=30).status_code == 401
    assert browser.get(f"{module_a.url}/me", timeout=30).status_code == 401
    again = browser.get(f"{module_b.url}/login", timeout=30)
    assert "/dang-nhap/" in again.url

    actions = list(AuditEvent.objects.filter(object_id=str(staff.pk)).values_list("action", "data"))
    issued = [d for a, d in actions if a == "token_issued"]
    assert {d["client_id"] for d in issued} == {f"client-{urlparse(m.url).port}" for m in (module_a, module_b)}
    assert any(a == "logout" and d.get("via") == "oidc" for a, d in actions)
    assert all("access_token" not in str(d) and SECRET not in str(d) for _, d in actions)


def test_outside_application_asks_for_consent(live_server, relying_parties):
    world = build_world()
    portal = relying_parties("Cổng thông tin tỉnh", skip_consent=False)
    browser = requests.Session()
    page = browser.get(f"{portal.url}/login", timeout=30)
    consent = sign_in_on_platform(browser, page, world.user("here").username)
    assert consent.url.startswith(f"{live_server.url}/o/authorize/")
    assert "Cổng thông tin tỉnh" in consent.text
    assert "Dùng dữ liệu của nền tảng thay mặt bạn" in consent.text
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text))
    form["allow"] = "Đồng ý"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', consent.text).group(1)
    form["csrfmiddlewaretoken"] = token
    done = browser.post(f"{live_server.url}/o/authorize/", data=form, timeout=30)
    assert done.url == f"{portal.url}/"
    assert browser.get(f"{portal.url}/me", timeout=30).json()["api_status"] == 200


def test_api_refuses_tokens_without_the_api_scope_and_of_disabled_people(live_server, relying_parties):
    from digitalfront.accounts import services

    world = build_world()
    module = relying_parties("Phân hệ C")
    browser = requests.Session()
    sign_in_on_platform(browser, browser.get(f"{module.url}/login", timeout=30), world.user("here").username)
    token = browser.get(f"{module.url}/me", timeout=30).json()
    assert token["api_status"] == 200
    services.disable_account(actor=world.user("admin"), user=world.user("here"), reason="nghỉ việc")
    assert browser.get(f"{module.url}/me", timeout=30).status_code == 401
    # a made-up token and a token in the query string are refused with the Vietnamese 401
    bad = requests.get(f"{live_server.url}/api/v1/units/", headers={"Authorization": "Bearer abc"}, timeout=30)
    assert bad.status_code == 401
    assert bad.json()["detail"] == "Bạn cần đăng nhập."
