"""“Đăng nhập bằng VNeID” against a real provider process: a second instance of this platform plays
VNeID (its accounts carry the ``citizen_id`` claim). The platform under test is the live server on
127.0.0.1; the stand-in is reached as ``localhost`` so the two keep separate cookies."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from digitalfront.accounts.models import AccountKind, FederatedIdentity, User
from digitalfront.accounts.tests.processes import platform_instance
from digitalfront.core.models import AuditEvent
from digitalfront.core.testing import build_world

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT_ID = "mat-tran-so"
CLIENT_SECRET = "bi-mat-lien-ket-vneid-2026"
PASSWORD = "mat-khau-vneid-2026"
PEOPLE = {
    "hoa": ("Nguyễn Thị Hoa", "001199012345"),
    "binh": ("Trần Văn Bình", "001088054321"),
    "khong.so": ("Lê Văn Không Số", ""),
}

SETUP = """
from django.contrib.auth import get_user_model
from oauth2_provider.models import Application
User = get_user_model()
for username, (name, citizen_id) in cfg["people"].items():
    User.objects.create_user(username, password=cfg["password"], full_name=name, kind="citizen",
                             citizen_id=citizen_id or None)
Application.objects.create(
    name="Mặt trận số", client_id=cfg["client_id"], client_secret=cfg["secret"],
    client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
    redirect_uris=cfg["redirect_uri"], algorithm=Application.RS256_ALGORITHM, skip_authorization=True)
"""


@pytest.fixture
def vneid(live_server, tmp_path, settings):
    cfg = {"people": PEOPLE, "password": PASSWORD, "client_id": CLIENT_ID, "secret": CLIENT_SECRET,
           "redirect_uri": f"{live_server.url}/tai-khoan/vneid/callback/"}
    with platform_instance(tmp_path, setup=SETUP, cfg=cfg) as issuer:
        settings.DIGITALFRONT_VNEID_ISSUER = issuer
        settings.DIGITALFRONT_VNEID_CLIENT_ID = CLIENT_ID
        settings.DIGITALFRONT_VNEID_CLIENT_SECRET = CLIENT_SECRET
        yield issuer


def sign_in_at_provider(browser, page, username):
    assert urlparse(page.url).hostname == "localhost", page.url
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(page.url.split("?")[0], timeout=30, data={
        "csrfmiddlewaretoken": token, "username": username, "password": PASSWORD,
        "next": parse_qs(urlparse(page.url).query)["next"][0],
    })


def vneid_login(live_server, browser, username=None):
    page = browser.get(f"{live_server.url}/tai-khoan/vneid/?next=/tai-khoan/bao-mat/", timeout=30)
    if username:
        page = sign_in_at_provider(browser, page, username)
    return page


def test_first_login_creates_a_citizen_and_later_logins_find_it(live_server, vneid):
    build_world()
    browser = requests.Session()
    login_page = browser.get(f"{live_server.url}/dang-nhap/", timeout=30)
    assert "Đăng nhập bằng VNeID" in login_page.text

    landed = vneid_login(live_server, browser, "hoa")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/tai-khoan/bao-mat/"
    user = User.objects.get(citizen_id="001199012345")
    assert user.kind == AccountKind.CITIZEN
    assert user.full_name == "Nguyễn Thị Hoa"
    assert not user.has_usable_password()
    identity = FederatedIdentity.objects.get(user=user)
    assert identity.issuer == vneid
    actions = list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
    assert {"account_registered", "federated_login", "login"} <= set(actions)

    # signed out here, still signed in at VNeID: back without a password, the same account
    csrf = browser.cookies.get("csrftoken", domain="127.0.0.1")
    browser.post(f"{live_server.url}/dang-xuat/", data={"csrfmiddlewaretoken": csrf}, timeout=30)
    again = vneid_login(live_server, browser)
    assert again.url == f"{live_server.url}/tai-khoan/bao-mat/"
    assert User.objects.filter(citizen_id="001199012345").count() == 1
    assert FederatedIdentity.objects.filter(user=user).count() == 1


def test_existing_account_is_linked_by_citizen_id(live_server, vneid):
    build_world()
    existing = User.objects.create_user("0912000111", full_name="Trần Văn Bình", kind=AccountKind.CITIZEN,
                                        citizen_id="001088054321")
    browser = requests.Session()
    landed = vneid_login(live_server, browser, "binh")
    assert landed.url == f"{live_server.url}/tai-khoan/bao-mat/"
    assert FederatedIdentity.objects.get().user == existing
    assert User.objects.filter(citizen_id="001088054321").count() == 1
    event = AuditEvent.objects.get(action="federated_login", object_id=str(existing.pk))
    assert event.data["linked"] is True and event.data["created"] is False


def test_provider_without_citizen_id_or_disabled_account_is_refused(live_server, vneid):
    build_world()
    users_before = User.objects.count()
    browser = requests.Session()
    refused = vneid_login(live_server, browser, "khong.so")
    assert refused.url.startswith(f"{live_server.url}/dang-nhap/")
    assert "số định danh cá nhân (12 chữ số)" in refused.text
    assert User.objects.count() == users_before
    assert not FederatedIdentity.objects.exists()

    User.objects.create_user("bi.khoa", kind=AccountKind.CITIZEN, citizen_id="001088054321", is_active=False)
    refused = vneid_login(live_server, requests.Session(), "binh")
    assert "đã bị vô hiệu hóa" in refused.text
    assert browser.get(f"{live_server.url}/tai-khoan/bao-mat/", timeout=30).url.startswith(
        f"{live_server.url}/dang-nhap/"
    )


def test_forged_callbacks_are_refused(live_server, vneid):
    build_world()
    browser = requests.Session()
    # no sign-in started: a code and state made up by someone else
    forged = browser.get(f"{live_server.url}/tai-khoan/vneid/callback/?code=abc&state=xyz", timeout=30)
    assert forged.url.startswith(f"{live_server.url}/dang-nhap/")
    assert "Không đăng nhập được bằng VNeID" in forged.text
    # another issuer named in the answer (RFC 9207)
    page = browser.get(f"{live_server.url}/tai-khoan/vneid/", timeout=30, allow_redirects=False)
    state = parse_qs(urlparse(page.headers["Location"]).query)["state"][0]
    mixed = browser.get(f"{live_server.url}/tai-khoan/vneid/callback/?code=abc&state={state}"
                        "&iss=https://ke-gia-mao.example", timeout=30)
    assert "Không đăng nhập được bằng VNeID" in mixed.text
    assert not FederatedIdentity.objects.exists()


def test_without_configuration_there_is_no_vneid(live_server, settings):
    settings.DIGITALFRONT_VNEID_ISSUER = ""
    build_world()
    assert requests.get(f"{live_server.url}/tai-khoan/vneid/", timeout=30).status_code == 404
    assert "VNeID" not in requests.get(f"{live_server.url}/dang-nhap/", timeout=30).text
