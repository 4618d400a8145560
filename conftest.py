"""Fixtures shared by every app's tests."""

import os
import shutil

import pytest
from django.db import connections
from django.test import Client

from digitalfront.core.testing import MATRIX, build_world, sign_in


@pytest.fixture
def world(db):
    """A small hierarchy on every level with the matrix users (see ``core.testing``)."""
    return build_world()


@pytest.fixture
def client_for(world):
    """``client_for("here")``: a test client signed in as that row of the matrix (anonymous: none)."""

    def make(who: str) -> Client:
        client = Client()
        user = world.users[who]
        if user is not None:
            sign_in(client, user)
        return client

    return make


@pytest.fixture
def outboxes(settings):
    """E-mail and SMS kept in memory (``django.core.mail.outbox``, ``core.notifications.outbox``), empty."""
    from django.core import mail

    from digitalfront.core import notifications

    settings.DIGITALFRONT_SMS_BACKEND = "digitalfront.core.notifications.MemorySMSBackend"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    notifications.outbox.clear()
    mail.outbox = []
    yield
    notifications.outbox.clear()


@pytest.fixture(params=MATRIX)
def who(request):
    return request.param


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs a third of a second per user; tests create many users."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "digitalfront.accounts.passwords.TemporaryPasswordHasher",
    ]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright (no browser download). CI must have it (scripts/test.sh
    installs it); elsewhere the test is skipped without it."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            raise RuntimeError("Chromium is required for the browser tests in CI (scripts/test.sh installs it)")
        pytest.skip("Chromium is not installed (scripts/test.sh installs it as root)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
        # Queries made while Playwright's loop runs hold their own connection (Django keeps connections
        # per context); close it, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()
