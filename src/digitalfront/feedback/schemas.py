"""Request and response bodies of the feedback API (``feedback.api``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field

TAG_INTAKE = "Phản ánh: gửi và theo dõi"
TAG_HANDLING = "Phản ánh: xử lý"


class SubmissionIn(BaseModel):
    """Một phản ánh, kiến nghị, khiếu nại hoặc tố cáo gửi tới Mặt trận."""

    # a plain pydantic model, not ninja's Schema: a request body is never read from ORM objects, and
    # Schema's root validator (from attributes, validating twice when extra fields are forbidden) costs
    # more than the rest of the validation on the busiest endpoint

    model_config = ConfigDict(extra="forbid")

    kind: str = Field("feedback", description="feedback | complaint | denunciation")
    title: str = Field("", max_length=400)
    content: str = Field(max_length=20_000)
    province: str | int = Field(description="Mã số (id) hoặc mã hành chính của tỉnh, thành phố.")
    commune: str | int | None = Field(None, description="Mã số (id) hoặc mã hành chính của xã, phường.")
    level: str = Field("commune", description="commune | province | central")
    address: str = Field("", max_length=600)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    topic: str | None = Field(None, max_length=40)
    name: str = Field("", max_length=240)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    sender_address: str = Field("", max_length=600)
    anonymous: bool = False
    consent_publish: bool = False
    show_name: bool = False
    device_id: str = Field("", max_length=100)
    challenge: str | None = Field(None, max_length=2000, description="Lời giải phép kiểm tra chống gửi tự động.")


class ReceiptOut(Schema):
    code: str
    token: str = Field(description="Mã bí mật của đường dẫn theo dõi riêng: chỉ trả về một lần.")
    tracking_url: str
    kind: str
    status: str
    unit: str
    due_at: dt.datetime | None


class EventOut(Schema):
    at: dt.datetime
    note: str


class TrackOut(Schema):
    code: str
    kind: str
    status: str
    status_label: str
    title: str
    unit: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    answer: str
    answered_at: dt.datetime | None
    satisfaction: int | None
    events: list[EventOut]


class CaseOut(Schema):
    code: str
    kind: str
    status: str
    title: str
    topic: str | None
    urgency: str
    unit_id: int
    unit: str
    province: str
    commune: str | None
    received_at: dt.datetime
    due_at: dt.datetime | None
    escalated: bool
    supporters: int
    hidden: bool


class CaseDetailOut(CaseOut):
    content: str
    answer: str
    anonymous: bool
    sender: dict[str, Any] = Field(description="Thông tin người gửi; với tố cáo luôn được che (redacted).")
    suggestion: dict[str, Any]
    events: list[dict[str, Any]]


class ActionIn(Schema):
    """Các trường của một thao tác (tuỳ thao tác): note, reason, answer, authority, unit, into, complexity,
    decision_number, topic, urgency, sentiment, public_title, public_content."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=5_000)
    reason: str = Field("", max_length=5_000)
    answer: str = Field("", max_length=20_000)
    authority: int | None = None
    unit: int | None = None
    into: str = Field("", max_length=16)
    complexity: str = Field("", max_length=14)
    decision_number: str = Field("", max_length=60)
    topic: str = Field("", max_length=40)
    urgency: str = Field("", max_length=8)
    sentiment: str = Field("", max_length=10)
    public_title: str = Field("", max_length=200)
    public_content: str = Field("", max_length=10_000)


class TopicOut(Schema):
    code: str
    name: str
    description: str
