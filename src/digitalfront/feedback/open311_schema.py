"""What the Open311 endpoints say: services (the active topics), their definition, and service requests
(cases) as the public may see them.

A request is described from the *public* fields of a case only: the redacted ``public_content``, never
``content``; never the sender's name, contact or address. A case that is not public shows only its
status and dates (:func:`minimal_request`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from .models import Case, Kind, Level, Status, Topic

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# the date this implementation of the API last changed (discovery's "changeset")
CHANGESET = "2026-01-15T00:00:00+07:00"
GROUP = "Mặt trận Tổ quốc"
STATUS_NOTES_MAX = 500

# Open311 knows two statuses; a case is "closed" once it has an outcome, whatever the outcome
CLOSED_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.REFUSED, Status.MERGED)
OPEN311_STATUSES = ("open", "closed")


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset (``2026-01-31T09:00:00+07:00``), in the site's time zone."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def status_of(case: Case) -> str:
    """``open`` or ``closed``."""
    return "closed" if case.status in CLOSED_STATUSES else "open"


def service(topic: Topic) -> dict[str, Any]:
    """One entry of ``services``."""
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": topic.description,
        "metadata": True,
        "type": "realtime",
        "keywords": topic.keywords,
        "group": GROUP,
    }


def _flag_values(yes: str, no: str) -> list[dict[str, str]]:
    return [{"key": "true", "name": yes}, {"key": "false", "name": no}]


def _attribute(
    order: int,
    code: str,
    datatype: str,
    required: bool,
    description: str,
    datatype_description: str = "",
    values: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description or None,
        "order": order,
        "description": description,
    }
    if values is not None:
        attribute["values"] = values
    return attribute


def service_definition(topic: Topic) -> dict[str, Any]:
    """``services/{service_code}``: the attributes a client sends as ``attribute[code]``."""
    return {
        "service_code": topic.code,
        "attributes": [
            _attribute(
                1,
                "province",
                "string",
                True,
                "Tỉnh, thành phố nơi xảy ra sự việc.",
                "Mã tỉnh, thành phố (ví dụ 01 là Hà Nội) hoặc số hiệu đơn vị trong hệ thống.",
            ),
            _attribute(
                2,
                "commune",
                "string",
                False,
                "Xã, phường nơi xảy ra sự việc. Bắt buộc khi gửi tới Mặt trận cấp xã (mặc định).",
                "Mã xã, phường (ví dụ 00004) hoặc số hiệu đơn vị; phải thuộc tỉnh, thành phố đã chọn.",
            ),
            _attribute(
                3,
                "kind",
                "singlevaluelist",
                False,
                "Loại nội dung (mặc định: góp ý, kiến nghị, phản ánh). Khiếu nại và tố cáo cần họ tên và "
                "số điện thoại hoặc thư điện tử của người gửi; gửi ẩn danh thì được tiếp nhận như "
                "phản ánh.",
                values=[{"key": value, "name": label} for value, label in Kind.choices],
            ),
            _attribute(
                4,
                "level",
                "singlevaluelist",
                False,
                "Cấp Mặt trận nhận nội dung (mặc định: cấp xã).",
                values=[{"key": value, "name": label} for value, label in Level.choices],
            ),
            _attribute(
                5,
                "anonymous",
                "singlevaluelist",
                False,
                "Gửi ẩn danh: không lưu họ tên, số điện thoại, thư điện tử (mặc định: không).",
                values=_flag_values("Có, gửi ẩn danh", "Không"),
            ),
            _attribute(
                6,
                "consent_publish",
                "singlevaluelist",
                False,
                "Đồng ý công khai nội dung (đã che thông tin cá nhân) cùng câu trả lời (mặc định: không).",
                values=_flag_values("Đồng ý công khai", "Không đồng ý"),
            ),
        ],
    }


def _excerpt(text: str, limit: int = STATUS_NOTES_MAX) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def public_request(case: Case) -> dict[str, Any]:
    """A public case (``Case.objects.public()``) as an Open311 service request.

    ``address`` stays empty: the address the citizen typed is not redacted, only the public text is.
    """
    data: dict[str, Any] = {
        "service_request_id": case.code,
        "status": status_of(case),
        "status_notes": _excerpt(case.answer),
        "service_name": case.topic.name if case.topic else "",
        "service_code": case.topic.code if case.topic else "",
        "description": case.public_content,
        "agency_responsible": case.unit.name,
        "service_notice": "",
        "requested_datetime": iso(case.received_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(case.due_at),
        "address": "",
        "address_id": "",
        "zipcode": "",
    }
    if case.latitude is not None and case.longitude is not None:
        # rounded to about a hundred metres: the point the sender gave may be their own door
        data["lat"] = round(float(case.latitude), 3)
        data["long"] = round(float(case.longitude), 3)
    data["media_url"] = ""
    return data


def minimal_request(case: Case) -> dict[str, Any]:
    """A case that is not public: its status and dates, nothing of its content, place or sender."""
    return {
        "service_request_id": case.code,
        "status": status_of(case),
        "service_code": case.topic.code if case.topic else "",
        "requested_datetime": iso(case.received_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(case.due_at),
    }
