"""Benchmark of password login and of the OpenID Connect authorization code flow, over real HTTP.

On a fresh database of its own, the bench migrates, creates a staff user and two OIDC applications
(``skip_authorization=True``, grant authorization code, RS256, redirect URI
``http://127.0.0.1:<port>/callback``), starts its own server (``digitalfront runserver``, threaded, no
reloader, ``DJANGO_DEBUG=0``) on a free loopback port and measures with ``urllib`` (standard library):

- ``login_p50_ms`` / ``login_p95_ms``: a full password login with a fresh cookie jar (GET ``/dang-nhap/``
  for the CSRF cookie and token, POST the credentials, follow the redirect to the home page), ``LOGINS``
  times. Django's password hasher (PBKDF2, ``password_hasher``) is most of it.
- ``token_per_s``, ``token_p50_ms``, ``token_p95_ms``: authorization code exchanges with PKCE S256, end
  to end, sequential, by a public client (PKCE only, no client secret), with one logged-in session: GET
  ``/o/authorize/`` (redirect not followed, the code read from ``Location``), then POST ``/o/token/``;
  every answer must carry an ``access_token`` and an ``id_token`` (whose ``nonce`` and ``aud`` are
  checked). ``EXCHANGES`` exchanges after a few warm-up ones (the first one also creates the signing key).
  ``authorize_p50_ms`` is the part spent at ``/o/authorize/``; the rest is the token endpoint.
- ``token_per_s_2_clients``: the same with 2 client threads (each its own session) at once.
- ``confidential_token_per_s`` / ``confidential_token_p50_ms``: a smaller run with a confidential client
  whose secret is stored hashed, as docs/accounts.md asks of confidential clients: the token endpoint then
  checks the secret with the password hasher on every exchange.

Run from the repository root (about 1 minute)::

    .venv/bin/python bench/tokens.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/tokens.py

Without ``DATABASE_URL`` (or with a ``sqlite://`` one) the database is a SQLite file in a temporary
directory; with a PostgreSQL URL, a new database ``df_bench_<pid>`` is created on that server (the URL's
database is only used to create and drop it) and dropped at the end. Progress goes to standard error;
standard output gets exactly one JSON line.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from common import fresh_database, log, p95

LOGINS = 30
EXCHANGES, WARMUP = 200, 5
CONCURRENT_CLIENTS = 2
CONFIDENTIAL_EXCHANGES = 10
SERVER_START_TIMEOUT_S = 60
HTTP_TIMEOUT_S = 30

USERNAME = "bench.canbo"
PASSWORD = "mat-khau-bench-" + secrets.token_hex(6)
PUBLIC_CLIENT_ID = "bench-public"
CONFIDENTIAL_CLIENT_ID = "bench-confidential"
CONFIDENTIAL_SECRET = secrets.token_urlsafe(32)

SETUP_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from oauth2_provider.models import Application
cfg = json.loads(sys.argv[1])
get_user_model().objects.create_user(cfg["username"], password=cfg["password"], is_staff=True)
common = dict(authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE, redirect_uris=cfg["redirect_uri"],
              algorithm=Application.RS256_ALGORITHM, skip_authorization=True)
Application.objects.create(name="Bench public", client_id=cfg["public_id"], client_secret="",
                           client_type=Application.CLIENT_PUBLIC, **common)
Application.objects.create(name="Bench confidential", client_id=cfg["confidential_id"],
                           client_secret=cfg["secret"], hash_client_secret=True,
                           client_type=Application.CLIENT_CONFIDENTIAL, **common)
hasher = get_hasher()
print(json.dumps({"password_hasher": f"{hasher.algorithm}, {getattr(hasher, 'iterations', '?')} iterations"}))
"""


def digitalfront(*args: str) -> None:
    """Run ``digitalfront <args> --skip-checks`` in a subprocess (environment already set)."""
    command = [sys.executable, "-m", "digitalfront", *args, "--skip-checks"]
    result = subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    if result.returncode != 0:
        sys.exit(f"digitalfront {' '.join(args)} failed with exit code {result.returncode}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(port: int, log_path: str) -> Iterator[str]:
    """``digitalfront runserver`` on 127.0.0.1:<port> in its own process group, for the length of the block."""
    env = {**os.environ, "DJANGO_DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "digitalfront", "runserver", f"127.0.0.1:{port}", "--noreload",
               "--skip-checks"]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                sys.exit(f"the server exited with code {proc.returncode}: {tail(log_path)}")
            try:
                with urllib.request.urlopen(f"{base}/dang-nhap/", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                sys.exit(f"the server did not answer within {SERVER_START_TIMEOUT_S} s: {tail(log_path)}")
            time.sleep(0.2)
        log(f"server up at {base} (pid {proc.pid})")
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log("server stopped")


def tail(path: str, chars: int = 2000) -> str:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read()[-chars:]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def opener(jar: http.cookiejar.CookieJar, follow: bool = True) -> urllib.request.OpenerDirector:
    handlers: list[Any] = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers)


def call(op: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    """Status, headers and body of a request; HTTP errors (and unfollowed redirects) are answers too."""
    body = urlencode(data).encode() if data is not None else None
    try:
        with op.open(url, data=body, timeout=HTTP_TIMEOUT_S) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


FORM_RE = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
ATTR_RE = re.compile(r'([a-zA-Z_:-]+)\s*=\s*"([^"]*)"')


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of the login form (CSRF token, ``next`` and whatever else it carries)."""
    forms = [f for f in FORM_RE.findall(page) if 'name="password"' in f] or FORM_RE.findall(page)
    fields: dict[str, str] = {}
    for tag in INPUT_RE.findall(forms[0] if forms else page):
        attrs = dict(ATTR_RE.findall(tag))
        if attrs.get("type", "").lower() == "hidden" and attrs.get("name"):
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def login(base: str) -> tuple[http.cookiejar.CookieJar, float]:
    """A full password login with a fresh cookie jar; the jar (now holding the session) and milliseconds."""
    jar = http.cookiejar.CookieJar()
    op = opener(jar)
    started = time.perf_counter()
    status, _, page = call(op, f"{base}/dang-nhap/")
    if status != 200:
        sys.exit(f"GET /dang-nhap/ answered {status}")
    form = hidden_fields(page.decode("utf-8", "replace"))
    if "csrfmiddlewaretoken" not in form:
        sys.exit("no CSRF token in the login form")
    form.update(username=USERNAME, password=PASSWORD)
    with contextlib.suppress(KeyError):
        if not form["next"]:
            del form["next"]
    req = urllib.request.Request(f"{base}/dang-nhap/", data=urlencode(form).encode(),  # noqa: S310 - loopback
                                 headers={"Referer": f"{base}/dang-nhap/"})
    try:
        with op.open(req, timeout=HTTP_TIMEOUT_S) as response:
            status, final_url, _ = response.status, response.url, response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"login POST answered {error.code}: {error.read()[:500]!r}")
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200 or urlsplit(final_url).path.startswith("/dang-nhap/"):
        sys.exit(f"login did not reach the home page (status {status}, at {final_url})")
    if not any(c.name == "sessionid" for c in jar):
        sys.exit("no session cookie after login")
    return jar, elapsed


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def exchange(base: str, op: urllib.request.OpenerDirector, redirect_uri: str, client_id: str,
             secret: str | None = None) -> tuple[float, float]:
    """One authorization code exchange with PKCE S256, end to end: milliseconds in all, and at /o/authorize/."""
    verifier, challenge = pkce()
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": "openid",
              "code_challenge": challenge, "code_challenge_method": "S256", "state": state, "nonce": nonce}
    started = time.perf_counter()
    status, headers, body = call(op, f"{base}/o/authorize/?{urlencode(params)}")
    location = headers.get("Location", "") if headers else ""
    if status != 302 or not location.startswith(redirect_uri):
        sys.exit(f"authorize answered {status}, Location {location!r}: {body[:300]!r}")
    authorized = time.perf_counter()
    query = parse_qs(urlsplit(location).query)
    if "code" not in query or query.get("state") != [state]:
        sys.exit(f"authorize redirect without a code or with the wrong state: {location}")
    data = {"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": redirect_uri,
            "client_id": client_id, "code_verifier": verifier}
    if secret is not None:
        data["client_secret"] = secret
    status, _, body = call(op, f"{base}/o/token/", data)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        sys.exit(f"token endpoint answered {status}: {body[:300]!r}")
    tokens = json.loads(body)
    if not tokens.get("access_token") or not tokens.get("id_token"):
        sys.exit(f"no access_token or id_token in {sorted(tokens)}")
    claims = jwt_claims(tokens["id_token"])
    if claims.get("nonce") != nonce or claims.get("aud") != client_id:
        sys.exit(f"unexpected ID token claims: {claims}")
    return elapsed, (authorized - started) * 1000


def measure(base: str, redirect_uri: str) -> dict[str, Any]:
    log(f"{LOGINS} password logins, each with a fresh cookie jar")
    login_ms = [login(base)[1] for _ in range(LOGINS)]

    jar, _ = login(base)
    op = opener(jar, follow=False)
    for _ in range(WARMUP):
        exchange(base, op, redirect_uri, PUBLIC_CLIENT_ID)
    log(f"{EXCHANGES} sequential code exchanges (public client, PKCE S256)")
    started = time.perf_counter()
    timings = [exchange(base, op, redirect_uri, PUBLIC_CLIENT_ID) for _ in range(EXCHANGES)]
    token_ms, authorize_ms = [t[0] for t in timings], [t[1] for t in timings]
    sequential_s = time.perf_counter() - started

    log(f"{EXCHANGES} code exchanges by {CONCURRENT_CLIENTS} client threads at once")
    openers = [opener(login(base)[0], follow=False) for _ in range(CONCURRENT_CLIENTS)]
    errors: list[BaseException] = []

    def worker(client_op: urllib.request.OpenerDirector, count: int) -> None:
        try:
            for _ in range(count):
                exchange(base, client_op, redirect_uri, PUBLIC_CLIENT_ID)
        except BaseException as error:  # SystemExit from a failed check included
            errors.append(error)

    share = EXCHANGES // CONCURRENT_CLIENTS
    threads = [threading.Thread(target=worker, args=(o, share)) for o in openers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    concurrent_s = time.perf_counter() - started
    if errors:
        sys.exit(f"a client thread failed: {errors[0]}")

    log(f"{CONFIDENTIAL_EXCHANGES} sequential code exchanges (confidential client, hashed secret)")
    exchange(base, op, redirect_uri, CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_SECRET)
    started = time.perf_counter()
    confidential_ms = [exchange(base, op, redirect_uri, CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_SECRET)[0]
                       for _ in range(CONFIDENTIAL_EXCHANGES)]
    confidential_s = time.perf_counter() - started
    return {
        "logins": LOGINS,
        "login_p50_ms": round(statistics.median(login_ms), 1), "login_p95_ms": round(p95(login_ms), 1),
        "exchanges": EXCHANGES, "client": "public (PKCE S256, no secret)",
        "token_per_s": round(EXCHANGES / sequential_s, 1),
        "token_p50_ms": round(statistics.median(token_ms), 1), "token_p95_ms": round(p95(token_ms), 1),
        "authorize_p50_ms": round(statistics.median(authorize_ms), 1),
        f"token_per_s_{CONCURRENT_CLIENTS}_clients": round(share * CONCURRENT_CLIENTS / concurrent_s, 1),
        "confidential_exchanges": CONFIDENTIAL_EXCHANGES,
        "confidential_token_per_s": round(CONFIDENTIAL_EXCHANGES / confidential_s, 2),
        "confidential_token_p50_ms": round(statistics.median(confidential_ms), 1),
    }


def run(backend: str) -> dict[str, Any]:
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    log("migrating")
    digitalfront("migrate", "--noinput", "-v", "0")
    log("creating the staff user and the OIDC applications")
    cfg = {"username": USERNAME, "password": PASSWORD, "redirect_uri": redirect_uri, "public_id": PUBLIC_CLIENT_ID,
           "confidential_id": CONFIDENTIAL_CLIENT_ID, "secret": CONFIDENTIAL_SECRET}
    setup = subprocess.run([sys.executable, "-c", SETUP_SCRIPT, json.dumps(cfg)], stdout=subprocess.PIPE,
                           text=True, check=False)
    if setup.returncode != 0:
        sys.exit(f"setup failed with exit code {setup.returncode}")
    info = json.loads(setup.stdout.strip().splitlines()[-1])
    result: dict[str, Any] = {"backend": backend, "password_hasher": info["password_hasher"]}
    log_path = os.path.join(os.environ["DIGITALFRONT_DATA_DIR"], "server.log")
    with server(port, log_path) as base:
        result["server"] = "digitalfront runserver (threaded, --noreload, DEBUG off)"
        result |= measure(base, redirect_uri)
    return result


def main() -> int:
    with fresh_database() as backend:
        result = run(backend)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
