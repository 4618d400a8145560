"""A relying party (an outside module) for the single sign-on tests, run as its own process:

    python -m digitalfront.accounts.tests.relying_party --port 0 --issuer http://127.0.0.1:8000 \\
        --client-id ID --client-secret SECRET --name "Phân hệ A" [--api-path /api/v1/units/]

It prints ``READY <port>`` when it listens. It uses Authlib's OAuth 2.0 client (authorization code with
PKCE S256, client secret at the token endpoint), and checks the ID token with joserfc (Authlib's JOSE
library) against the provider's JWKS: signature, ``iss``, ``aud``, ``exp``, ``nonce``.

Pages:
  /login       starts a sign-in (redirect to the provider)
  /callback    finishes it: code exchange, ID token checks, userinfo, one API call with the access token
  /            the signed-in person's name (a page a browser test can read), or a "Đăng nhập" link
  /me          JSON: claims of the ID token, userinfo, the API call's status; 401 when signed out
  /logout      RP-initiated logout at the provider (id_token_hint, post_logout_redirect_uri)
  /logged-out  where the provider sends the browser back

The session of this module is checked against the provider on every page (userinfo with the access
token): when the person signs out anywhere, the provider deletes their tokens and this module forgets
them too.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import sys
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

SESSIONS: dict[str, dict[str, Any]] = {}


class RelyingParty:
    def __init__(self, issuer: str, client_id: str, client_secret: str, name: str, api_path: str) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.name = name
        self.api_path = api_path
        self.cookie = "rp_" + secrets.token_hex(4)
        self.base = ""
        self.metadata: dict[str, Any] = {}

    def discover(self) -> None:
        self.metadata = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()
        assert self.metadata["issuer"] == self.issuer, self.metadata["issuer"]

    def client(self, **kwargs: Any) -> OAuth2Session:
        return OAuth2Session(
            self.client_id, self.client_secret, scope="openid profile units api",
            redirect_uri=f"{self.base}/callback", code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_post", **kwargs,
        )

    def check_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        jwks = requests.get(self.metadata["jwks_uri"], timeout=10).json()
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        )
        registry.validate(token.claims)
        return dict(token.claims)


def make_handler(rp: RelyingParty) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        # --- helpers --------------------------------------------------------------------------------
        def session(self) -> tuple[str, dict[str, Any]]:
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            key = cookie[rp.cookie].value if rp.cookie in cookie else ""
            if key not in SESSIONS:
                key = secrets.token_urlsafe(16)
                SESSIONS[key] = {}
            return key, SESSIONS[key]

        def send(self, status: int, body: str, *, key: str = "", content_type: str = "text/html",
                 location: str = "") -> None:
            data = body.encode()
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            if key:
                self.send_header("Set-Cookie", f"{rp.cookie}={key}; Path=/; HttpOnly; SameSite=Lax")
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def still_signed_in(self, state: dict[str, Any]) -> bool:
            """Ask the provider whether the access token still holds (it is deleted at logout)."""
            if "access_token" not in state:
                return False
            answer = requests.get(rp.metadata["userinfo_endpoint"], timeout=10,
                                  headers={"Authorization": f"Bearer {state['access_token']}"})
            if answer.status_code != 200:
                state.clear()
                return False
            state["userinfo"] = answer.json()
            return True

        # --- pages ----------------------------------------------------------------------------------
        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            key, state = self.session()
            route = getattr(self, "page_" + (url.path.strip("/").replace("-", "_") or "home"), None)
            if route is None:
                self.send(404, "Không tìm thấy", key=key)
                return
            route(key, state, query)

        def page_home(self, key: str, state: dict[str, Any], query: dict[str, str]) -> None:
            if self.still_signed_in(state):
                name = html.escape(state["claims"].get("name", ""))
                body = (f"<h1>{html.escape(rp.name)}</h1><p id='who'>Xin chào {name}</p>"
                        f"<p id='api'>API: {state['api_status']}</p><a id='logout' href='/logout'>Đăng xuất</a>")
            else:
                body = (f"<h1>{html.escape(rp.name)}</h1><p id='who'>Chưa đăng nhập</p>"
                        "<a id='login' href='/login'>Đăng nhập</a>")
            self.send(200, f"<!doctype html><html lang='vi'><meta charset='utf-8'><body>{body}</body></html>", key=key)

        def page_login(self, key: str, state: dict[str, Any], query: dict[str, str]) -> None:
            verifier, nonce = generate_token(64), generate_token(24)
            uri, oauth_state = rp.client().create_authorization_url(
                rp.metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
            )
            state.update(pending={"state": oauth_state, "verifier": verifier, "nonce": nonce})
            self.send(302, "", key=key, location=uri)

        def page_callback(self, key: str, state: dict[str, Any], query: dict[str, str]) -> None:
            pending = state.pop("pending", None)
            if not pending or query.get("state") != pending["state"]:
                self.send(400, "state không khớp", key=key)
                return
            if "error" in query:
                self.send(400, f"Lỗi: {html.escape(query['error'])}", key=key)
                return
            if query.get("iss") != rp.issuer:  # RFC 9207: the answer comes from the expected provider
                self.send(400, "iss không khớp", key=key)
                return
            token = rp.client(state=pending["state"]).fetch_token(
                rp.metadata["token_endpoint"], code=query["code"], code_verifier=pending["verifier"]
            )
            claims = rp.check_id_token(token["id_token"], pending["nonce"])
            api = requests.get(f"{rp.issuer}{rp.api_path}", timeout=10,
                               headers={"Authorization": f"Bearer {token['access_token']}"})
            state.update(claims=claims, access_token=token["access_token"], id_token=token["id_token"],
                         refresh_token=token.get("refresh_token"), api_status=api.status_code,
                         api_body=api.json() if api.headers.get("Content-Type", "").startswith("application/json")
                         else None)
            self.send(302, "", key=key, location="/")

        def page_me(self, key: str, state: dict[str, Any], query: dict[str, str]) -> None:
            if not self.still_signed_in(state):
                self.send(401, json.dumps({"signed_in": False}), key=key, content_type="application/json")
                return
            data = {k: state[k] for k in ("claims", "userinfo", "api_status", "api_body", "refresh_token")}
            self.send(200, json.dumps({"signed_in": True, **data}), key=key, content_type="application/json")

        def page_logout(self, key: str, state: dict[str, Any], query: dict[str, str]) -> None:
            id_token = state.get("id_token", "")
            state.clear()
            params = {"client_id": rp.client_id, "post_logout_redirect_uri": f"{rp.base}/logged-out"}
            if id_token:
                params["id_token_hint"] = id_token
            self.send(302, "", key=key, location=f"{rp.metadata['end_session_endpoint']}?{urlencode(params)}")

        def page_logged_out(self, key: str, state: dict[str, Any], query: dict[str, str]) -> None:
            self.send(200, "<!doctype html><meta charset='utf-8'><p id='who'>Đã đăng xuất</p>", key=key)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--name", default="Phân hệ thử nghiệm")
    parser.add_argument("--api-path", default="/api/v1/units/")
    args = parser.parse_args()
    rp = RelyingParty(args.issuer, args.client_id, args.client_secret, args.name, args.api_path)
    rp.discover()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(rp))
    rp.base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
