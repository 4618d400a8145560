"""Request and response shapes of the assistant's API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt

TAG_ASK = "Trợ lý ảo: hỏi đáp"
TAG_KNOWLEDGE = "Trợ lý ảo: kiến thức nghiệp vụ"
TAG_QUEUE = "Trợ lý ảo: hàng đợi câu hỏi"


class AskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="Câu hỏi (tối đa 1.000 ký tự).")
    conversation_id: StrictInt | None = Field(None, description="Hỏi tiếp trong cuộc hội thoại này.")


class SourceOut(Schema):
    n: int | None = None
    key: str
    kind: str = Field(description="law (thư viện), guidance (hướng dẫn nghiệp vụ), qa (hỏi đáp nghiệp vụ)")
    title: str
    label: str
    url: str
    text: str
    repealed: bool = False
    status: str = ""


class MessageOut(Schema):
    id: int | None
    conversation_id: int | None
    question: str
    answer: str
    outcome: str = Field(description="answered, abstained (chưa đủ căn cứ), refused, failed")
    outcome_label: str
    mode: str = Field(description="curated, extractive, generative (rỗng khi không trả lời)")
    citations: list[SourceOut]
    sources: list[SourceOut] = Field(description="Nguồn gần nhất không được trích dẫn")
    notes: list[str]
    took_ms: float | None
    rating: str | None
    created_at: str | None


class ConversationOut(Schema):
    id: int
    title: str
    created_at: Any
    updated_at: Any


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rating: str = Field(description="helpful hoặc unhelpful")
    comment: str = Field("", max_length=500)


class KnowledgeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="guidance (hướng dẫn nghiệp vụ) hoặc qa (hỏi đáp)")
    unit: str | None = Field(None, description="Mã đơn vị; bỏ trống: dùng chung toàn quốc (quản trị hệ thống)")
    title: str = Field("", max_length=300)
    question: str = Field("", max_length=1000)
    body: str = Field(description="Nội dung hướng dẫn, hoặc câu trả lời")


class KnowledgeUpdateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=300)
    question: str = Field("", max_length=1000)
    body: str
    note: str = Field("", max_length=300, description="Ghi chú thay đổi")


class KnowledgeOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit: str | None
    unit_name: str
    title: str
    question: str
    body: str
    active: bool
    version: int
    created_by: str | None
    updated_by: str | None
    created_at: Any
    updated_at: Any


class VersionOut(Schema):
    number: int
    title: str
    question: str
    body: str
    note: str
    created_by: str | None
    created_at: Any


class QueueItemOut(Schema):
    id: int
    question: str
    answer: str
    outcome: str
    outcome_label: str
    rating: str | None
    rating_comment: str
    unit: str | None
    unit_name: str
    asked_by: str
    created_at: Any
    citations: list[SourceOut]
    sources: list[SourceOut]


class CurateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(description="Câu trả lời đã biên soạn")
    title: str = Field("", max_length=300)
    unit: str | None = Field(None, description="Mã đơn vị được dùng; bỏ trống: toàn quốc (quản trị hệ thống)")
