"""Fixtures shared by every app's tests."""

import pytest
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


@pytest.fixture(params=MATRIX)
def who(request):
    return request.param


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs a third of a second per user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
