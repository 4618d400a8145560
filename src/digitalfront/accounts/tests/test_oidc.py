"""The OpenID Connect provider, end to end through Django's test client."""

import base64
import datetime
import hashlib
import io
import json
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from jwcrypto import jwk, jwt
from oauth2_provider.models import AccessToken, Application, RefreshToken

from digitalfront.core.models import AuditEvent

REDIRECT = "https://module.example.vn/callback"


@pytest.fixture
def app(world):
    return make_app("Phân hệ góp ý", skip=True)


def make_app(name, *, skip=True, grant=Application.GRANT_AUTHORIZATION_CODE):
    return Application.objects.create(
        name=name, client_id=f"client-{secrets.token_hex(4)}", client_secret="bi-mat-cua-ung-dung",
        hash_client_secret=False, client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=grant,
        redirect_uris=REDIRECT, algorithm=Application.RS256_ALGORITHM, skip_authorization=skip,
    )


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(client, app, challenge, **extra):
    params = {
        "response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT,
        "scope": "openid profile units", "state": "s1", "nonce": "n-123",
        "code_challenge": challenge, "code_challenge_method": "S256", **extra,
    }
    return client.get("/o/authorize/", {k: v for k, v in params.items() if v is not None})


def code_from(response):
    assert response.status_code == 302, response.content
    query = parse_qs(urlparse(response["Location"]).query)
    assert "error" not in query, query
    return query["code"][0]


def token(app, **data):
    return Client().post("/o/token/", {"client_id": app.client_id, "client_secret": "bi-mat-cua-ung-dung", **data})


def full_flow(client_for, app):
    verifier, challenge = pkce()
    code = code_from(authorize(client_for("here"), app, challenge))
    response = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT, code_verifier=verifier)
    assert response.status_code == 200, response.content
    return response.json()


def jwks():
    return jwk.JWKSet.from_json(Client().get("/o/.well-known/jwks.json").content)


def header(id_token):
    return json.loads(base64.urlsafe_b64decode(id_token.split(".")[0] + "=="))


def test_discovery_at_root_advertises_only_what_is_accepted(world):
    data = Client().get("/.well-known/openid-configuration").json()
    assert data["issuer"] == "http://testserver"
    assert data["response_types_supported"] == ["code"]
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "password" not in data["grant_types_supported"]
    assert "implicit" not in data["grant_types_supported"]
    assert data["authorization_endpoint"] == "http://testserver/o/authorize/"
    assert data["jwks_uri"] == "http://testserver/o/.well-known/jwks.json"
    assert data["end_session_endpoint"] == "http://testserver/o/logout/"
    assert {"name", "preferred_username", "units", "roles", "account_kind"} <= set(data["claims_supported"])
    assert Client().get("/o/.well-known/openid-configuration").json() == data


def test_full_code_flow_with_pkce(world, client_for, app):
    tokens = full_flow(client_for, app)
    assert {"access_token", "id_token", "refresh_token"} <= set(tokens)
    keys = jwks()
    kid = header(tokens["id_token"])["kid"]
    assert keys.get_key(kid) is not None
    claims = json.loads(jwt.JWT(key=keys, jwt=tokens["id_token"]).claims)
    assert claims["iss"] == "http://testserver"
    assert claims["aud"] == app.client_id
    assert claims["nonce"] == "n-123"
    assert claims["sub"] == str(world.users["here"].pk)
    assert claims["units"] == ["00004"]

    info = Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert info["name"] == "canbo.badinh"
    assert info["preferred_username"] == "canbo.badinh"
    assert info["account_kind"] == "staff"
    assert info["units"] == ["00004"]
    assert info["roles"] == ["data_entry@00004"]


def test_userinfo_lists_only_units_in_force(world, client_for, app):
    world.c11.valid_to = datetime.date(2026, 1, 1)
    world.c11.save(update_fields=["valid_to"])
    tokens = full_flow(client_for, app)
    info = Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert info["units"] == [] and info["roles"] == []


def refused(response):
    """An authorization request refused: an error page (400) or a redirect carrying an error, no code."""
    if response.status_code == 302:
        query = parse_qs(urlparse(response["Location"]).query)
        return "code" not in query and "error" in query and "#" not in response["Location"]
    return response.status_code == 400


def test_plain_pkce_refused(world, client_for, app):
    verifier, _ = pkce()
    response = authorize(client_for("here"), app, verifier, code_challenge_method="plain")
    assert refused(response)
    response = authorize(client_for("here"), app, verifier, code_challenge_method=None)  # defaults to plain
    assert refused(response)


def test_missing_code_challenge_refused(world, client_for, app):
    response = authorize(client_for("here"), app, None, code_challenge_method=None)
    assert refused(response)


def test_implicit_and_hybrid_refused(world, client_for, app):
    _, challenge = pkce()
    for response_type in ("token", "id_token", "id_token token", "code id_token"):
        response = authorize(client_for("here"), app, challenge, response_type=response_type)
        assert refused(response), response_type
    implicit_app = make_app("Ứng dụng cũ", grant=Application.GRANT_IMPLICIT)
    assert refused(authorize(client_for("here"), implicit_app, challenge, response_type="token"))


def test_password_grant_refused(world, app):
    password_app = make_app("Ứng dụng mật khẩu", grant=Application.GRANT_PASSWORD)
    for client_app in (app, password_app):
        response = token(client_app, grant_type="password", username="canbo.badinh",
                         password="mat-khau-kiem-thu-2026", scope="openid")
        assert response.status_code in (400, 401)
        assert "access_token" not in response.json()


def test_redirect_uri_must_match_exactly(world, client_for, app):
    _, challenge = pkce()
    for uri in (REDIRECT + "/", REDIRECT + "?x=1", "https://evil.example.com/callback"):
        response = authorize(client_for("here"), app, challenge, redirect_uri=uri)
        assert response.status_code == 400, uri
    verifier, challenge = pkce()
    code = code_from(authorize(client_for("here"), app, challenge))
    response = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "/",
                     code_verifier=verifier)
    assert response.status_code == 400


def test_code_is_single_use(world, client_for, app):
    verifier, challenge = pkce()
    code = code_from(authorize(client_for("here"), app, challenge))
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    assert token(app, **data).status_code == 200
    assert token(app, **data).status_code == 400


def test_wrong_code_verifier_refused(world, client_for, app):
    _, challenge = pkce()
    code = code_from(authorize(client_for("here"), app, challenge))
    response = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                     code_verifier=pkce()[0])
    assert response.status_code == 400


def test_code_expires_after_ten_minutes(world, client_for, app):
    now = timezone.now()
    verifier, challenge = pkce()
    with time_machine.travel(now, tick=False):
        code = code_from(authorize(client_for("here"), app, challenge))
    with time_machine.travel(now + datetime.timedelta(minutes=10, seconds=1), tick=False):
        response = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"

    verifier, challenge = pkce()
    with time_machine.travel(now, tick=False):
        code = code_from(authorize(client_for("here"), app, challenge))
    with time_machine.travel(now + datetime.timedelta(minutes=9, seconds=50), tick=False):
        response = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                         code_verifier=verifier)
    assert response.status_code == 200


def test_refresh_rotates_and_reuse_revokes_the_family(world, client_for, app):
    first = full_flow(client_for, app)
    second = token(app, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]

    reused = token(app, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.status_code == 400
    # the whole family is revoked: the newer refresh token no longer works either
    newer = token(app, grant_type="refresh_token", refresh_token=second["refresh_token"])
    assert newer.status_code == 400
    assert not RefreshToken.objects.filter(revoked__isnull=True, user=world.users["here"]).exists()


def test_rotated_key_stays_published_and_signs_new_tokens(world, client_for, app):
    old = full_flow(client_for, app)["id_token"]
    old_kid = header(old)["kid"]
    call_command("rotate_oidc_key", stdout=io.StringIO())
    new = full_flow(client_for, app)["id_token"]
    new_kid = header(new)["kid"]
    assert new_kid != old_kid
    keys = jwks()
    assert keys.get_key(old_kid) is not None and keys.get_key(new_kid) is not None
    jwt.JWT(key=keys, jwt=old)
    jwt.JWT(key=keys, jwt=new)
    assert json.loads(Client().get("/o/.well-known/jwks.json").content)["keys"][0]["kid"] == new_kid


def test_anonymous_authorize_redirects_to_login(world, app):
    _, challenge = pkce()
    response = authorize(Client(), app, challenge)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_client_credentials_for_machines(world):
    machine = make_app("Máy chủ thống kê", grant=Application.GRANT_CLIENT_CREDENTIALS)
    assert token(machine, grant_type="client_credentials").status_code == 200
    # not an interactive client: no authorization code for it
    assert refused(authorize(client_for_here(world), machine, pkce()[1]))


def client_for_here(world):
    client = Client()
    client.force_login(world.users["here"])
    return client


def test_rp_initiated_logout_with_id_token_hint(world, client_for, app):
    tokens = full_flow(client_for, app)
    client = client_for("here")
    # without a hint the provider cannot tell who asks: it asks the person to confirm
    response = client.get("/o/logout/", {"client_id": app.client_id})
    assert response.status_code == 200
    assert "Đăng xuất theo yêu cầu của Phân hệ góp ý?" in response.content.decode()
    forged = tokens["id_token"][:-4] + ("AAAA" if not tokens["id_token"].endswith("AAAA") else "BBBB")
    response = client.get("/o/logout/", {"id_token_hint": forged, "client_id": app.client_id})
    assert response.status_code == 400
    # with the ID token of the signed-in person: signed out at once, tokens deleted, audited
    response = client.get("/o/logout/", {"id_token_hint": tokens["id_token"], "client_id": app.client_id})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert not AccessToken.objects.filter(user=world.users["here"]).exists()
    assert AuditEvent.objects.filter(action="logout", data__via="oidc").exists()


def test_admin_registers_only_accepted_clients(world, client_for):
    admin = client_for("admin")
    assert admin.get("/admin/oauth2_provider/application/add/").status_code == 200
    base = {"name": "Phân hệ mới", "client_id": "phan-he-moi", "client_secret": "bi-mat-rat-dai-cua-phan-he",
            "client_type": "confidential", "redirect_uris": REDIRECT, "post_logout_redirect_uris": "",
            "allowed_origins": "", "algorithm": "RS256", "hash_client_secret": "on", "user": ""}
    response = admin.post("/admin/oauth2_provider/application/add/", {**base, "authorization_grant_type": "password"})
    assert response.status_code == 200
    assert "Chỉ cho phép luồng mã cấp quyền" in response.content.decode()
    response = admin.post("/admin/oauth2_provider/application/add/",
                          {**base, "authorization_grant_type": "authorization-code", "algorithm": "HS256"})
    assert "ID token chỉ được ký bằng RS256" in response.content.decode()
    assert not Application.objects.filter(client_id="phan-he-moi").exists()
    response = admin.post("/admin/oauth2_provider/application/add/",
                          {**base, "authorization_grant_type": "authorization-code"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Application.objects.filter(client_id="phan-he-moi").exists()
    assert admin.get("/admin/accounts/signingkey/").status_code == 200


def test_outside_application_asks_for_consent_in_vietnamese(world, client_for):
    outside = make_app("Ứng dụng đối tác", skip=False)
    client = client_for("here")
    verifier, challenge = pkce()
    response = authorize(client, outside, challenge)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cho phép Ứng dụng đối tác?" in page and "Các đơn vị và vai trò của bạn" in page
    form = response.context["form"].initial
    response = client.post("/o/authorize/", {**{k: v for k, v in form.items() if v is not None}, "allow": "Cho phép"})
    code = code_from(response)
    response = token(outside, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                     code_verifier=verifier)
    assert response.status_code == 200


def test_request_without_nonce_and_client_secret_basic(world, client_for, app):
    verifier, challenge = pkce()
    code = code_from(authorize(client_for("here"), app, challenge, nonce=None))
    basic = base64.b64encode(f"{app.client_id}:bi-mat-cua-ung-dung".encode()).decode()
    response = Client().post("/o/token/", {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                           "code_verifier": verifier}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    claims = json.loads(jwt.JWT(key=jwks(), jwt=response.json()["id_token"]).claims)
    assert "nonce" not in claims
    wrong = base64.b64encode(f"{app.client_id}:sai".encode()).decode()
    refresh = {"grant_type": "refresh_token", "refresh_token": response.json()["refresh_token"]}
    assert Client().post("/o/token/", refresh, HTTP_AUTHORIZATION=f"Basic {wrong}").status_code == 401


def test_claims_follow_the_scopes(world, client_for, app):
    world.users["citizen"].citizen_id = "001199012345"
    world.users["citizen"].save(update_fields=["citizen_id"])
    verifier, challenge = pkce()
    code = code_from(authorize(client_for("citizen"), app, challenge, scope="openid"))
    tokens = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                   code_verifier=verifier).json()
    info = Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert set(info) == {"sub"}
    # without the "api" scope the token does not open the API
    api = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert api.status_code == 401
    verifier, challenge = pkce()
    code = code_from(authorize(client_for("citizen"), app, challenge, scope="openid citizen profile"))
    tokens = token(app, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                   code_verifier=verifier).json()
    info = Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert info["citizen_id"] == "001199012345"
    assert info["account_kind"] == "citizen"
    assert "units" not in info


def test_token_issue_and_revocation_are_audited(world, client_for, app):
    tokens = full_flow(client_for, app)
    issued = AuditEvent.objects.get(action="token_issued")
    assert issued.data["client_id"] == app.client_id and issued.data["grant_type"] == "authorization_code"
    assert issued.actor == world.users["here"]
    response = Client().post("/o/revoke_token/", {"token": tokens["access_token"], "client_id": app.client_id,
                                                  "client_secret": "bi-mat-cua-ung-dung"})
    assert response.status_code == 200
    revoked = AuditEvent.objects.get(action="token_revoked")
    assert revoked.object_id == str(world.users["here"].pk)
    assert all(tokens["access_token"] not in str(e.data) for e in AuditEvent.objects.all())
