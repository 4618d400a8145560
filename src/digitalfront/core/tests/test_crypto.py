"""core.crypto gives what the standard functions give: the same HMAC, random values of the same form,
Fernet tokens any key ring holding the key opens."""

from __future__ import annotations

import base64
import hmac
import time

import pytest
from cryptography.fernet import Fernet, MultiFernet

from digitalfront.core import crypto


@pytest.mark.parametrize("message", [b"", b"device:bench-1", "liên hệ:0912345678".encode(), b"x" * 5000])
@pytest.mark.parametrize("key", [b"k", b"a longer key of thirty-two bytes", b"\x00" * 100])
def test_hmac_is_the_standard_hmac_sha256(key, message):
    assert crypto.hmac_sha256(key, message) == hmac.digest(key, message, "sha256")


def test_one_key_object_serves_many_messages_and_keys_do_not_mix():
    first = [crypto.hmac_sha256(b"one", f"m{n}".encode()) for n in range(3)]
    assert first == [hmac.digest(b"one", f"m{n}".encode(), "sha256") for n in range(3)]
    assert crypto.hmac_sha256(b"two", b"m0") != first[0]


def test_random_values_have_the_standard_form_and_differ():
    assert len(crypto.random_bytes(5)) == 5
    tokens = {crypto.token_urlsafe(24) for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) == 32 and base64.urlsafe_b64decode(t) for t in tokens)
    ids = {crypto.uuid4() for _ in range(200)}
    assert len(ids) == 200
    assert all(u.version == 4 and u.variant == "specified in RFC 4122" for u in ids)


def test_fernet_tokens_open_with_the_ring_and_carry_the_time():
    first, second = Fernet(Fernet.generate_key()), Fernet(Fernet.generate_key())
    token = crypto.fernet_encrypt(first, "Đỗ Thị Hoa".encode())
    assert MultiFernet([second, first]).decrypt(token).decode() == "Đỗ Thị Hoa"
    assert abs(first.extract_timestamp(token) - time.time()) < 5
    assert crypto.fernet_encrypt(first, b"same") != crypto.fernet_encrypt(first, b"same")  # a fresh IV each


def test_fernet_without_its_inner_builder_still_encrypts():
    """Should a release of ``cryptography`` drop ``_encrypt_from_parts``, ``encrypt`` itself is used."""
    fernet = Fernet(Fernet.generate_key())

    class Later:  # a Fernet of such a release: ``encrypt`` and nothing private
        encrypt = fernet.encrypt

    token = crypto.fernet_encrypt(Later(), b"van con")  # type: ignore[arg-type]
    assert fernet.decrypt(token) == b"van con"
