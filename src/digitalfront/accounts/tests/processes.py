"""Other processes for the end-to-end identity tests: another instance of this platform (the VNeID
stand-in), with its own SQLite database in a temporary directory, served by ``digitalfront runserver``."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from oauth2_provider.models import Application

SECRET = "bi-mat-cua-phan-he-rat-dai-2026"
PRELUDE = """
import json, sys
import django
django.setup()
cfg = json.loads(sys.argv[1])
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def platform_instance(directory: Path, *, setup: str, cfg: dict[str, Any], port: int | None = None,
                      host: str = "localhost") -> Iterator[str]:
    """A second platform on 127.0.0.1:``port``, reached as ``http://{host}:{port}`` (``localhost`` by
    default, so that its cookies are not those of the platform under test on 127.0.0.1).

    ``setup`` is Python run once after ``migrate`` with Django set up and ``cfg`` as a dict."""
    port = port or free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DIGITALFRONT_"))}
    env.update(DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}", DIGITALFRONT_DATA_DIR=str(directory),
               DJANGO_SETTINGS_MODULE="digitalfront.settings", DJANGO_DEBUG="0", PYTHONUNBUFFERED="1",
               DJANGO_SECRET_KEY="stand-in-" + os.urandom(16).hex())
    run = {"env": env, "check": True, "stdout": subprocess.DEVNULL, "timeout": 300}
    subprocess.run([sys.executable, "-m", "digitalfront", "migrate", "--skip-checks"], **run)  # type: ignore[call-overload]
    subprocess.run([sys.executable, "-c", PRELUDE + setup, json.dumps(cfg)], **run)  # type: ignore[call-overload]
    process = subprocess.Popen(
        [sys.executable, "-m", "digitalfront", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://{host}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/.well-known/openid-configuration", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or its first request (loading every module) slow on a busy machine
            if process.poll() is not None or time.monotonic() > deadline:
                errors = process.stderr.read() if process.stderr else ""
                raise RuntimeError(f"the second platform did not start: {errors}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# --- relying parties (accounts/tests/relying_party.py) --------------------------------------------


def register(name: str, port: int, *, skip_consent: bool = True) -> Application:
    base = f"http://127.0.0.1:{port}"
    return Application.objects.create(
        name=name, client_id=f"client-{port}", client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{base}/callback", post_logout_redirect_uris=f"{base}/logged-out",
        algorithm=Application.RS256_ALGORITHM, skip_authorization=skip_consent,
    )


class RelyingPartyProcess:
    def __init__(self, issuer: str, app: Application, port: int, name: str) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "digitalfront.accounts.tests.relying_party", "--port", str(port),
             "--issuer", issuer, "--client-id", app.client_id, "--client-secret", SECRET, "--name", name],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline()
        if not line.startswith("READY"):
            self.process.kill()
            raise RuntimeError(f"relying party did not start: {line} {self.process.stderr.read()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def relying_parties(live_server):
    issuer = live_server.url
    assert urlparse(issuer).hostname == "127.0.0.1"
    started = []

    def start(name: str, **kwargs) -> RelyingPartyProcess:
        port = free_port()
        app = register(name, port, **kwargs)
        rp = RelyingPartyProcess(issuer, app, port, name)
        started.append(rp)
        return rp

    yield start
    for rp in started:
        rp.stop()
