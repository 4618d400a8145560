"""Notification senders: file, memory and HTTP gateway backends; e-mail; sending only after commit."""

import json
import logging
import runpy
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from digitalfront.core import notifications

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(notifications.__file__).resolve().parent.parent / "settings.py"
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
BODY = "Mặt trận số: mã xác minh 123456 (10 phút). Không chia sẻ mã này."


@pytest.fixture
def sms(settings):
    settings.DIGITALFRONT_SMS_BACKEND = "digitalfront.core.notifications.MemorySMSBackend"
    notifications.outbox.clear()
    yield notifications.outbox
    notifications.outbox.clear()


class Gateway:
    """A tiny SMS gateway on 127.0.0.1: records each request, answers ``status``."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                gateway.requests.append({
                    "path": self.path,
                    "authorization": self.headers.get("Authorization"),
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(self.rfile.read(length).decode()),
                })
                if gateway.delay:
                    time.sleep(gateway.delay)
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Gateway":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_file_backend_writes_one_file_per_message(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    notifications.FileSMSBackend().send(to="0912345678", body=BODY)
    notifications.FileSMSBackend().send(to="0987654321", body="thứ hai")
    files = sorted((tmp_path / "outbox" / "sms").iterdir())
    assert len(files) == 2
    texts = [f.read_text(encoding="utf-8") for f in files]
    first = next(t for t in texts if "0912345678" in t)
    assert first.startswith("To: 0912345678\n")
    assert BODY in first


def test_file_backend_is_the_embedded_default_through_send(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.DATA_DIR = tmp_path
    settings.DIGITALFRONT_SMS_BACKEND = "digitalfront.core.notifications.FileSMSBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send(channel="sms", to="0912345678", subject="", body=BODY)
    (file,) = (tmp_path / "outbox" / "sms").iterdir()
    assert BODY in file.read_text(encoding="utf-8")


def test_memory_backend_keeps_messages(sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send(channel="sms", to="0912345678", subject="bỏ qua", body=BODY)
    assert [(m.to, m.body) for m in sms] == [("0912345678", BODY)]


def test_email_goes_through_django_mail(settings, django_capture_on_commit_callbacks):
    settings.MAILERS = LOCMEM
    settings.DEFAULT_FROM_EMAIL = "Mặt trận số <khong-tra-loi@mattran.vn>"
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send(channel="email", to="nguoidan@example.com", subject="Mã xác minh", body=BODY)
    (message,) = mail.outbox
    assert message.to == ["nguoidan@example.com"]
    assert message.subject == "Mã xác minh"
    assert message.body == BODY
    assert message.from_email == "Mặt trận số <khong-tra-loi@mattran.vn>"


def test_file_email_backend_writes_into_the_outbox(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                                    "OPTIONS": {"file_path": str(tmp_path / "outbox" / "email")}}}
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send(channel="email", to="nguoidan@example.com", subject="Mã xác minh", body="mã 654321")
    (file,) = (tmp_path / "outbox" / "email").iterdir()
    assert "nguoidan@example.com" in file.read_text(encoding="utf-8")


def test_nothing_is_sent_before_commit_or_after_rollback(sms, settings, django_capture_on_commit_callbacks):
    settings.MAILERS = LOCMEM
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.send(channel="sms", to="0912345678", subject="", body=BODY)
        assert sms == []
    assert len(callbacks) == 1 and sms == []

    def send_then_fail():
        with transaction.atomic():
            notifications.send(channel="sms", to="0912345678", subject="", body=BODY)
            notifications.send(channel="email", to="a@example.com", subject="s", body=BODY)
            raise RuntimeError("rollback")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        send_then_fail()
    assert sms == [] and mail.outbox == []


def test_unknown_channel_refused():
    with pytest.raises(ValueError, match="unknown channel"):
        notifications.send(channel="fax", to="0912345678", subject="", body=BODY)


def test_gateway_posts_json_with_bearer_token(settings):
    with Gateway() as gateway:
        settings.DIGITALFRONT_SMS_GATEWAY_URL = gateway.url
        settings.DIGITALFRONT_SMS_GATEWAY_TOKEN = "bi-mat-cua-cong"
        notifications.GatewaySMSBackend().send(to="0912345678", body=BODY)
    (request,) = gateway.requests
    assert request["path"] == "/sms/send"
    assert request["authorization"] == "Bearer bi-mat-cua-cong"
    assert request["content_type"] == "application/json"
    assert request["json"] == {"to": "0912345678", "message": BODY}


def test_gateway_through_send_after_commit(settings, django_capture_on_commit_callbacks):
    with Gateway() as gateway:
        settings.DIGITALFRONT_SMS_BACKEND = "digitalfront.core.notifications.GatewaySMSBackend"
        settings.DIGITALFRONT_SMS_GATEWAY_URL = gateway.url
        settings.DIGITALFRONT_SMS_GATEWAY_TOKEN = "t"
        with django_capture_on_commit_callbacks(execute=True):
            notifications.send(channel="sms", to="0912345678", subject="", body=BODY)
            assert gateway.requests == []
    assert [r["json"]["to"] for r in gateway.requests] == ["0912345678"]


def test_gateway_error_status_raises_a_clear_error():
    with Gateway(status=503) as gateway:
        backend = notifications.GatewaySMSBackend(url=gateway.url, token="t")
        with pytest.raises(notifications.NotificationError, match="HTTP 503") as info:
            backend.send(to="0912345678", body=BODY)
    assert "123456" not in str(info.value)


def test_gateway_unreachable_or_slow_raises():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = notifications.GatewaySMSBackend(url=f"http://127.0.0.1:{port}/", token="t")
    with pytest.raises(notifications.NotificationError, match="unreachable"):
        backend.send(to="0912345678", body=BODY)

    with Gateway(delay=1.0) as gateway:
        slow = notifications.GatewaySMSBackend(url=gateway.url, token="t", timeout=0.2)
        started = time.monotonic()
        with pytest.raises(notifications.NotificationError, match="Timeout"):
            slow.send(to="0912345678", body=BODY)
        assert time.monotonic() - started < 0.9


def test_gateway_without_url_refuses(settings):
    settings.DIGITALFRONT_SMS_GATEWAY_URL = ""
    with pytest.raises(notifications.NotificationError, match="DIGITALFRONT_SMS_GATEWAY_URL"):
        notifications.GatewaySMSBackend().send(to="0912345678", body=BODY)


def test_failure_after_commit_is_logged_without_the_message(settings, caplog, django_capture_on_commit_callbacks):
    with Gateway(status=500) as gateway:
        settings.DIGITALFRONT_SMS_BACKEND = "digitalfront.core.notifications.GatewaySMSBackend"
        settings.DIGITALFRONT_SMS_GATEWAY_URL = gateway.url
        with caplog.at_level(logging.ERROR, logger="digitalfront.core.notifications"), \
                django_capture_on_commit_callbacks(execute=True):
            notifications.send(channel="sms", to="0912345678", subject="", body=BODY)
    assert "HTTP 500" in caplog.text
    assert "123456" not in caplog.text and "0912345678" not in caplog.text
    assert "091****678" in caplog.text


def test_settings_pick_smtp_when_email_host_is_set(monkeypatch, tmp_path):
    monkeypatch.setenv("DIGITALFRONT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EMAIL_HOST", raising=False)
    monkeypatch.delenv("DIGITALFRONT_SMS_BACKEND", raising=False)
    embedded = runpy.run_path(str(SETTINGS_FILE))
    assert embedded["MAILERS"] == {"default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(tmp_path.resolve() / "outbox" / "email")},
    }}
    assert embedded["DIGITALFRONT_SMS_BACKEND"] == "digitalfront.core.notifications.FileSMSBackend"

    monkeypatch.setenv("EMAIL_HOST", "smtp.example.vn")
    monkeypatch.setenv("EMAIL_PORT", "465")
    monkeypatch.setenv("EMAIL_USE_TLS", "false")
    monkeypatch.setenv("DIGITALFRONT_EMAIL_FROM", "MTTQ <no-reply@example.vn>")
    monkeypatch.setenv("DIGITALFRONT_SMS_BACKEND", "digitalfront.core.notifications.GatewaySMSBackend")
    production = runpy.run_path(str(SETTINGS_FILE))
    smtp = production["MAILERS"]["default"]
    assert smtp["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (smtp["OPTIONS"]["host"], smtp["OPTIONS"]["port"], smtp["OPTIONS"]["use_tls"]) == (
        "smtp.example.vn", 465, False)
    assert production["DEFAULT_FROM_EMAIL"] == "MTTQ <no-reply@example.vn>"
    assert production["DIGITALFRONT_SMS_BACKEND"] == "digitalfront.core.notifications.GatewaySMSBackend"
