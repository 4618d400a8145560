"""Open311 GeoReport v2 (``/open311/v2/``): discovery, services, sending with an API key, reading only
what is public, both formats, and the ``feedback api-key`` command."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from io import StringIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from digitalfront.core.models import AuditEvent
from digitalfront.feedback import access, apikeys
from digitalfront.feedback.models import ApiKey, Case, Channel, Kind, Topic
from digitalfront.feedback.services import handling, intake, review

from .conftest import submission

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"
CONTENT = "Rác thải ùn ứ nhiều ngày ở đầu ngõ 12 phố Đội Cấn, bốc mùi hôi, đề nghị thu gom."
VIETNAMESE = "ăâđêôơưàảãáạếệộ"


def get(path: str, **params: Any) -> Any:
    return Client().get(BASE + path, params)


def post(fmt: str = "json", **data: Any) -> Any:
    # enforce_csrf_checks: the endpoint must work for clients that never saw a CSRF cookie
    return Client(enforce_csrf_checks=True).post(f"{BASE}requests.{fmt}", data)


def form(key: str | None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service_code": "moi-truong",
        "description": CONTENT,
        "attribute[province]": "01",
        "attribute[commune]": "00004",
        "first_name": "Trần Thị",
        "last_name": "Bình",
        "phone": "0912 345 678",
        "email": "binh@example.vn",
        "lat": "21.035",
        "long": "105.83",
    }
    if key is not None:
        data["api_key"] = key
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own response, in a test


def js(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def key(fw) -> str:
    return apikeys.create(name="Ứng dụng thử nghiệm").key


def published(fw) -> Case:
    """A feedback case, answered and published with consent, as the public page would show it."""
    case = intake.submit(
        submission(fw, consent_publish=True, topic="moi-truong", latitude="21.03", longitude="105.84")
    ).case
    handling.accept(actor=fw.user("here"), case=case)
    handling.answer(actor=fw.user("here"), case=case, text="Công ty môi trường đã thu gom rác ngày 20/11.")
    return review.publish(
        actor=fw.user("here"),
        case=case,
        title="Rác ở một ngõ",
        content="Rác thải ùn ứ ở một ngõ trong phường, đề nghị thu gom.",
    )


# --- discovery and services ---------------------------------------------------------------------------


def test_discovery_in_json_and_xml(fw):
    data = js(get("discovery.json"))
    assert data["contact"] and data["key_service"] and data["changeset"]
    (endpoint,) = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    root = xml(get("discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_the_topic_taxonomy_is_listed_as_services_after_a_bare_migrate(fw):
    data = js(get("services.json"))
    codes = [s["service_code"] for s in data]
    assert len(codes) == 10 and "dat-dai" in codes and "khac" in codes
    land = next(s for s in data if s["service_code"] == "dat-dai")
    assert land["service_name"] == "Đất đai" and land["group"] == "Mặt trận Tổ quốc"
    assert land["metadata"] is True and land["type"] == "realtime" and "sổ đỏ" in land["keywords"]
    root = xml(get("services.xml"))
    assert root.tag == "services" and len(root.findall("service")) == 10
    assert root.find("service[service_code='dat-dai']/service_name").text == "Đất đai"
    assert root.find("service[service_code='dat-dai']/metadata").text == "true"
    Topic.objects.filter(code="khac").update(active=False)
    assert "khac" not in [s["service_code"] for s in js(get("services.json"))]


def test_service_definition_lists_the_attributes_in_both_formats(fw):
    data = js(get("services/dat-dai.json"))
    assert data["service_code"] == "dat-dai"
    attributes = {a["code"]: a for a in data["attributes"]}
    assert list(attributes) == ["province", "commune", "kind", "level", "anonymous", "consent_publish"]
    assert attributes["province"]["required"] is True and attributes["province"]["datatype"] == "string"
    assert attributes["kind"]["datatype"] == "singlevaluelist"
    assert {v["key"]: v["name"] for v in attributes["kind"]["values"]}["denunciation"] == "Tố cáo"
    assert [v["key"] for v in attributes["level"]["values"]] == ["commune", "province", "central"]
    assert [v["key"] for v in attributes["anonymous"]["values"]] == ["true", "false"]
    root = xml(get("services/dat-dai.xml"))
    assert root.tag == "service_definition"
    kind = root.find("attributes/attribute[code='kind']")
    assert kind.findtext("variable") == "true" and kind.findtext("order") == "3"
    assert [v.findtext("key") for v in kind.findall("values/value")] == ["feedback", "complaint", "denunciation"]


def test_unknown_service_and_unknown_format_are_404_in_open311_format(fw):
    response = get("services/khong-co.json")
    assert response.status_code == 404
    assert js(response)[0]["code"] == 404 and "lĩnh vực" in js(response)[0]["description"]
    response = get("services/khong-co.xml")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors" and root.findtext("error/code") == "404"
    assert get("services.html").status_code == 404
    assert get("requests.yaml").status_code == 404


# --- sending --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("api_key", [None, "", "khoa-sai", "x" * 300])
def test_post_without_a_valid_key_is_403_and_creates_nothing(fw, key, api_key):
    response = post(**form(api_key))
    assert response.status_code == 403
    (error,) = js(response)
    assert error["code"] == 403 and "khoá api" in error["description"].lower()
    assert not Case.objects.exists()


def test_post_with_a_key_creates_an_open311_case_that_can_be_followed(fw, key):
    response = post(**form(key, media_url="https://example.com/anh.jpg"))
    assert response.status_code == 201, response.content
    (answer,) = js(response)
    case = Case.objects.get()
    assert answer["service_request_id"] == case.code
    assert answer["token"] == str(case.intake_token)
    assert answer["account_id"] is None
    assert case.code in answer["service_notice"] and "media_url" in answer["service_notice"]
    assert case.channel == Channel.OPEN311 and case.kind == Kind.FEEDBACK
    assert case.topic.code == "moi-truong" and case.unit == fw.c11 and case.content == CONTENT
    assert str(case.latitude) == "21.035000" and not case.anonymous
    assert ApiKey.objects.get().last_used_at is not None
    # the private link: the citizen's own tracking page
    url = urlsplit(answer["tracking_url"])
    assert url.scheme == "http" and url.netloc == "testserver"
    assert url.path == f"/phan-anh/theo-doi/{case.code}/"
    assert access.case_by_link(case.code, parse_qs(url.query)["k"][0]) == case
    # the token leads to the code
    (found,) = js(get(f"tokens/{case.intake_token}.json"))
    assert found == {"token": str(case.intake_token), "service_request_id": case.code}
    assert xml(get(f"tokens/{case.intake_token}.xml")).findtext("request/service_request_id") == case.code
    assert get("tokens/00000000-0000-0000-0000-000000000000.json").status_code == 404
    assert get("tokens/khong-phai-uuid.json").status_code == 404
    # not published: only its status, nothing of its content, place or sender
    (status,) = js(get(f"requests/{case.code}.json"))
    assert status["service_request_id"] == case.code and status["status"] == "open"
    assert status["service_code"] == "moi-truong"
    assert status["requested_datetime"].endswith("+07:00")
    assert not {"description", "address", "lat", "long", "status_notes"} & set(status)
    assert "Bình" not in get(f"requests/{case.code}.xml").content.decode()


def test_post_answers_in_xml_too(fw, key):
    response = post("xml", **form(key))
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == Case.objects.get().code


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"attribute[province]": "99"}, "Không tìm thấy tỉnh, thành phố đã chọn."),
        ({"attribute[province]": None}, "Hãy chọn tỉnh, thành phố."),
        ({"attribute[province]": "15"}, "Xã, phường đã chọn không thuộc tỉnh, thành phố đã chọn."),
        ({"description": None}, "Hãy nhập nội dung."),
        ({"description": "ngắn"}, "Nội dung quá ngắn"),
        ({"service_code": "khong-co"}, "Lĩnh vực không hợp lệ."),
        ({"service_code": None}, "Hãy chọn lĩnh vực."),
        ({"attribute[kind]": "complaint", "first_name": None, "last_name": None}, "Khiếu nại cần họ tên"),
        ({"attribute[kind]": "tin-don"}, "Loại phản ánh không hợp lệ."),
        ({"attribute[anonymous]": "co"}, "attribute[anonymous] chỉ nhận giá trị true hoặc false."),
        ({"lat": "91"}, "Toạ độ nằm ngoài giới hạn cho phép."),
    ],
)
def test_bad_input_is_400_with_the_intake_message_and_nothing_is_written(fw, key, overrides, message):
    response = post(**form(key, **overrides))
    assert response.status_code == 400
    (error,) = js(response)
    assert error["code"] == 400 and message in error["description"]
    assert any(ch in error["description"] for ch in VIETNAMESE)
    assert not Case.objects.exists()


def test_an_error_in_xml_is_well_formed(fw, key):
    response = post("xml", **form(key, description="<b>&</b>"))
    assert response.status_code == 400
    root = xml(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400" and "quá ngắn" in root.findtext("error/description")
    response = post("xml", **form(None))
    assert response.status_code == 403 and xml(response).findtext("error/code") == "403"


def test_an_anonymous_denunciation_is_received_as_feedback(fw, key):
    response = post(**form(key, **{"attribute[kind]": "denunciation", "attribute[anonymous]": "true"}))
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.kind == Kind.FEEDBACK and case.anonymous and case.identity_sealed == ""
    assert "tiếp nhận như phản ánh" in js(response)[0]["service_notice"]


def test_province_level_needs_no_commune(fw, key):
    response = post(**form(key, **{"attribute[level]": "province", "attribute[commune]": None}))
    assert response.status_code == 201
    assert Case.objects.get().unit == fw.p1


def test_bodies_that_are_not_small_utf8_forms_are_refused(fw, key):
    client = Client()
    latin1 = f"api_key={key}&service_code=khac&attribute[province]=01&attribute[commune]=00004&description="
    body = latin1.encode() + "Đường hỏng nặng ở thôn Đông, xe không qua được".encode("cp1258", "replace")
    response = client.post(BASE + "requests.json", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "UTF-8" in js(response)[0]["description"]
    response = client.post(
        BASE + "requests.json", latin1.encode() + b"%C4%90%FFng", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and "UTF-8" in js(response)[0]["description"]
    response = client.post(
        BASE + "requests.json",
        latin1.encode() + b"abc" * 10,
        content_type="application/x-www-form-urlencoded; charset=latin-1",
    )
    assert response.status_code == 400 and "UTF-8" in js(response)[0]["description"]
    response = client.post(BASE + "requests.json", {**form(key), "description": "x" * 300_000})
    assert response.status_code == 413
    response = client.post(BASE + "requests.json", json.dumps(form(key)), content_type="application/json")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_other_methods_are_405(fw, key):
    response = Client().put(BASE + "requests.json", "")
    assert response.status_code == 405 and "GET" in response["Allow"]
    assert Client().post(BASE + "services.json", form(key)).status_code == 405
    assert not Case.objects.exists()


# --- reading --------------------------------------------------------------------------------------------


def test_the_list_shows_published_cases_redacted_and_nothing_else(fw):
    public = published(fw)
    unpublished = intake.submit(submission(fw, consent_publish=True)).case
    denunciation = intake.submit(submission(fw, kind="denunciation")).case
    data = js(get("requests.json"))
    assert [r["service_request_id"] for r in data] == [public.code]
    (row,) = data
    assert row["status"] == "closed"  # answered
    assert row["description"] == "Rác thải ùn ứ ở một ngõ trong phường, đề nghị thu gom."
    assert row["status_notes"] == "Công ty môi trường đã thu gom rác ngày 20/11."
    assert row["service_code"] == "moi-truong" and row["service_name"] == "Môi trường"
    assert row["agency_responsible"] == "Phường Ba Đình"
    assert row["address"] == "" and row["media_url"] == ""
    assert row["lat"] == 21.03 and row["long"] == 105.84
    assert row["requested_datetime"].endswith("+07:00") and row["updated_datetime"].endswith("+07:00")
    for fmt in ("json", "xml"):
        body = get(f"requests.{fmt}").content.decode()
        assert "Đội Cấn" not in body and "Trần Thị Bình" not in body and "0912" not in body
        assert unpublished.code not in body and denunciation.code not in body
    root = xml(get("requests.xml"))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == public.code
    # the single request: in full when public, as a list of one
    (one,) = js(get(f"requests/{public.code}.json"))
    assert one == row
    assert xml(get(f"requests/{public.code.lower()}.xml")).findtext("request/description") == row["description"]
    # a denunciation: its status only
    (status,) = js(get(f"requests/{denunciation.code}.json"))
    assert set(status) == {
        "service_request_id",
        "status",
        "service_code",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    }


def test_list_filters(fw):
    public = published(fw)
    assert [r["service_request_id"] for r in js(get("requests.json", service_code="moi-truong,khac"))] == [public.code]
    assert js(get("requests.json", service_code="dat-dai")) == []
    assert len(js(get("requests.json", status="closed"))) == 1
    assert js(get("requests.json", status="open")) == []
    assert get("requests.json", status="pending").status_code == 400
    assert len(js(get("requests.json", service_request_id=f"XX,{public.code.lower()}", status="open"))) == 1
    received = public.received_at.date()
    assert len(js(get("requests.json", start_date=f"{received}T00:00:00+07:00"))) == 1
    assert js(get("requests.json", end_date="2020-01-01T00:00:00Z")) == []
    # "+" of the offset sent without percent-encoding arrives as a space
    assert len(js(get("requests.json", start_date=f"{received}T00:00:00 07:00"))) == 1
    response = get("requests.json", start_date="hôm qua")
    assert response.status_code == 400 and "ISO 8601" in js(response)[0]["description"]
    assert get("requests.xml", start_date="2026-13-01").status_code == 400
    assert get("requests.json", start_date="2025-01-01", end_date="2025-12-31").status_code == 400


def test_hidden_and_unknown_cases_are_404(fw):
    case = published(fw)
    Case.objects.filter(pk=case.pk).update(hidden=True, hidden_reason="abuse")
    assert get(f"requests/{case.code}.json").status_code == 404
    assert js(get("requests.json")) == []
    response = get("requests/PA-0000-0000.xml")
    assert response.status_code == 404 and xml(response).findtext("error/code") == "404"


# --- keys -----------------------------------------------------------------------------------------------


def command(*args: str) -> str:
    out = StringIO()
    call_command("feedback", *args, stdout=out)
    return out.getvalue()


def test_the_api_key_command_creates_lists_and_revokes(fw):
    created = command("api-key", "create", "Ứng dụng Hà Nội Số")
    secret = created.strip().splitlines()[-1]
    api_key = ApiKey.objects.get()
    assert api_key.key_hash == apikeys.key_hash(secret) and secret not in api_key.key_hash
    assert api_key.prefix == secret[:8]
    assert AuditEvent.objects.filter(action="feedback.api_key.create", object_id=str(api_key.pk)).exists()
    assert post(**form(secret)).status_code == 201
    listing = command("api-key", "list")
    assert api_key.prefix in listing and "Ứng dụng Hà Nội Số" in listing and "đang dùng" in listing
    assert secret not in listing
    assert "Đã thu hồi" in command("api-key", "revoke", api_key.prefix)
    assert AuditEvent.objects.filter(action="feedback.api_key.revoke").exists()
    assert "đã thu hồi" in command("api-key", "list")
    response = post(**form(secret, description=CONTENT + " Lần hai."))
    assert response.status_code == 403 and "thu hồi" in js(response)[0]["description"]
    assert Case.objects.count() == 1
    with pytest.raises(CommandError, match="Không tìm thấy"):
        command("api-key", "revoke", "zzzzzzzz")
    with pytest.raises(CommandError):
        command("api-key", "create", "  ")


def test_keys_are_random_and_only_their_hash_is_kept(fw):
    first, second = apikeys.create(name="A"), apikeys.create(name="B")
    assert first.key != second.key and len(first.key) == 40 and first.key.isalnum()
    assert apikeys.verify(first.key) == first.api_key
    assert apikeys.verify(first.key[:-1]) is None
    apikeys.revoke(prefix=second.key)  # the whole key works as its prefix
    assert apikeys.verify(second.key) is None
