"""The lean WSGI path of the submission endpoint (``core.lean``), called as the web server calls it: the
same answers as the API through the full stack (201 with the tracking link, Vietnamese errors that change
nothing, the challenge past the limit), the security headers, and every other request left to the full
stack."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest

from digitalfront.feedback.models import Case


def call(method: str, path: str, body: Any = None, **headers: str) -> tuple[int, dict[str, str], bytes]:
    from digitalfront.wsgi import application

    raw = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "HTTP_HOST": "testserver", "REMOTE_ADDR": "10.1.2.3", "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(raw), "CONTENT_LENGTH": str(len(raw)), "CONTENT_TYPE": "application/json",
               "wsgi.errors": sys.stderr, **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)

    content = b"".join(application(environ, start_response))
    return seen["status"], seen["headers"], content


def body(world: Any, **overrides: Any) -> dict[str, Any]:
    return {"content": "Cống thoát nước tắc gây ngập tổ dân phố 3 mỗi khi mưa.", "province": world.p1.pk,
            "commune": "00004", "phone": "0912345678", "name": "Đỗ Thị Hoa", **overrides}


@pytest.fixture(autouse=True)
def _as_the_test_client_does(settings: Any, request: Any) -> Any:
    """Written in the request's thread inside the test's transaction, whose connection must outlive the
    request (Django's test client also unhooks the closing of connections at each request's end)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from digitalfront.feedback.services import intake

    intake._UNITS.clear()  # the units of another test's world (per-process lookups)
    intake._ROOT.clear()
    settings.DIGITALFRONT_INTAKE_BATCH = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"lean-{request.node.name}"}}
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_submission_through_the_lean_path(world: Any) -> None:
    from digitalfront.core import lean

    assert "/api/v1/feedback/" in lean.LEAN_PATHS
    status, headers, content = call("POST", "/api/v1/feedback/", body(world))
    assert status == 201, content
    data = json.loads(content)
    case = Case.objects.get(code=data["code"])
    assert case.commune == world.c11 and data["status"] == "received"
    assert data["tracking_url"] == f"http://testserver/phan-anh/theo-doi/{case.code}/?k={data['token']}"
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert "Set-Cookie" not in headers  # no session, no CSRF cookie


BAD = [(b"kh\xc3\xb4ng ph\xe1\xba\xa3i json", None), (b"\xff\xfe not utf-8", None), ({"province": 1}, "content"),
       ({"content": "Nội dung đủ dài để gửi đi", "province": 1, "x": 1}, "x")]


@pytest.mark.parametrize(("payload", "field"), BAD)
def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(world: Any, payload: Any, field: Any) -> None:
    status, _headers, content = call("POST", "/api/v1/feedback/", payload)
    assert status == 422, content
    data = json.loads(content)
    assert data["field"] == field and data["detail"]
    assert not Case.objects.exists()


def test_past_the_limit_the_lean_path_asks_for_the_challenge(world: Any, settings: Any) -> None:
    settings.DIGITALFRONT_FEEDBACK_LIMITS = {"ip": 100, "device": 1, "account": 5}
    first = call("POST", "/api/v1/feedback/", body(world, device_id="phone-1"))
    assert first[0] == 201, first[2].decode()
    status, headers, content = call("POST", "/api/v1/feedback/", body(world, device_id="phone-1"))
    assert status == 429 and int(headers["Retry-After"]) > 0
    assert json.loads(content)["code"] == "challenge_required" and Case.objects.count() == 1


def test_other_requests_go_through_the_full_stack(world: Any) -> None:
    assert call("GET", "/api/v1/feedback/topics")[0] == 200
    status, headers, _content = call("GET", "/phan-anh/gui/")
    assert status == 200 and "csrftoken" in headers.get("Set-Cookie", "")  # the page's middleware ran
    status, _headers, _content = call("GET", "/api/v1/feedback/")  # not a POST: the full stack answers
    assert status in (401, 405)


def test_a_citizen_with_a_token_is_counted_by_account(world: Any, settings: Any) -> None:
    """The API knows a citizen by the bearer token (the lean path has no session): the case is theirs,
    and the per-account limit counts them whatever device or address they use."""
    import datetime as dt

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    from digitalfront.accounts.tests.test_oidc import make_app

    settings.DIGITALFRONT_FEEDBACK_LIMITS = {"ip": 100, "device": 100, "account": 1}
    citizen = world.users["citizen"]
    AccessToken.objects.create(user=citizen, application=make_app("Ứng dụng công dân"), token="at-citizen",
                               expires=timezone.now() + dt.timedelta(hours=1), scope="openid api")
    status, _headers, content = call("POST", "/api/v1/feedback/", body(world, device_id="phone-a"),
                                     authorization="Bearer at-citizen")
    assert status == 201, content
    assert Case.objects.get(code=json.loads(content)["code"]).citizen == citizen
    status, headers, content = call("POST", "/api/v1/feedback/", body(world, device_id="phone-b"),
                                    authorization="Bearer at-citizen")
    assert status == 429 and json.loads(content)["code"] == "rate_limited" and int(headers["Retry-After"]) > 0
    assert Case.objects.count() == 1
    # without the token the same device and address are not refused (the account was the limit)
    assert call("POST", "/api/v1/feedback/", body(world, device_id="phone-b"))[0] == 201


def test_an_oversized_body_is_refused_with_413(world: Any) -> None:
    status, _headers, content = call("POST", "/api/v1/feedback/", body(world, content="x" * 3_000_000))
    assert status == 413 and json.loads(content)["code"] == "too_large"
    assert "quá lớn" in json.loads(content)["detail"] and not Case.objects.exists()


def test_a_valid_submission_skips_ninja_and_answers_as_the_api_does(world: Any, monkeypatch: Any) -> None:
    """``feedback.api_direct`` writes a valid submission without ninja's operation; its receipt is the
    API's (the schema of ReceiptOut, ninja's renderer), and the same request through the full stack
    (ninja) answers the same fields."""
    from ninja.operation import Operation

    from digitalfront.feedback.schemas import ReceiptOut

    runs: list[Any] = []
    original = Operation.run

    def run(self: Any, request: Any, **kw: Any) -> Any:
        runs.append(self)
        return original(self, request, **kw)

    monkeypatch.setattr(Operation, "run", run)
    status, headers, content = call("POST", "/api/v1/feedback/", body(world, device_id="phone-direct"))
    assert status == 201 and not runs, content
    receipt = ReceiptOut.model_validate_json(content)
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"  # the lean middleware still answers
    # the full stack (ninja) answers the same fields, of the same types
    from django.test import Client

    full = Client().post("/api/v1/feedback/", body(world, device_id="phone-full"), content_type="application/json")
    assert full.status_code == 201 and runs
    assert set(full.json()) == set(json.loads(content)) and full["Content-Type"] == headers["Content-Type"]
    assert ReceiptOut.model_validate_json(full.content).unit == receipt.unit


@pytest.mark.parametrize(("overrides", "status", "field"), [
    ({"commune": "99999"}, 422, "commune"),  # valid for the schema, refused by the service
    ({"level": "thon"}, 422, "level"),
    ({"content": "ngắn"}, 422, "content"),  # refused by the schema: ninja's own answer
])
def test_what_the_direct_view_refuses_is_answered_by_the_apis_handlers(
    world: Any, overrides: dict[str, Any], status: int, field: Any
) -> None:
    answer, _headers, content = call("POST", "/api/v1/feedback/", body(world, **overrides))
    data = json.loads(content)
    assert answer == status and data["detail"] and not Case.objects.exists(), content
    if field:
        assert data["field"] == field


def test_the_tracking_link_follows_the_host_and_scheme_of_each_request(world: Any, settings: Any) -> None:
    """The origin of the tracking link is worked out once per host headers (``feedback.api._origin``): a
    request from another host, or behind a proxy that says HTTPS, gets its own."""
    settings.ALLOWED_HOSTS = ["testserver", "mattranso.vn"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    hosts = [{}, {"host": "mattranso.vn"}, {"host": "mattranso.vn", "x_forwarded_proto": "https"}, {}]
    links = [json.loads(call("POST", "/api/v1/feedback/", body(world, device_id=f"d{n}"), **extra)[2])["tracking_url"]
             for n, extra in enumerate(hosts)]
    assert [link.split("/phan-anh/")[0] for link in links] == [
        "http://testserver", "http://mattranso.vn", "https://mattranso.vn", "http://testserver"]
    status, _headers, _content = call("POST", "/api/v1/feedback/", body(world), host="evil.example")
    assert status == 400 and Case.objects.count() == 4  # the host is still checked, before the view
