"""Request and response bodies of the library API (``library.api``).

Values with a fixed list (``kind``, ``status``) and the order of the dates are checked by the services
(``services.documents.validate_meta``), so the API and the pages give the same Vietnamese message.
"""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict, Field

TAG_READ = "Thư viện: tra cứu"
TAG_MANAGE = "Thư viện: quản lý tài liệu"

KIND_HELP = "constitution | code | law | resolution | decree | circular | decision | guide | other"
STATUS_HELP = "in_force | amended | repealed | not_yet"


# --- reading ------------------------------------------------------------------------------------------


class GroupOut(Schema):
    slug: str
    name: str
    description: str
    documents: int = Field(description="Số tài liệu công khai trong nhóm.")


class FacetOut(Schema):
    value: str
    label: str
    count: int


class DocumentRef(Schema):
    slug: str
    title: str
    kind: str
    status: str
    status_label: str
    repealed: bool
    group: str


class ArticleRef(Schema):
    number: str
    label: str
    anchor: str


class HitOut(Schema):
    citation: str = Field(description="Trích dẫn: \"Điều 5. Tên điều – Tên văn bản\".")
    document: DocumentRef
    article: ArticleRef | None
    clause: str = Field(description="Số khoản của đoạn khớp nhất (rỗng nếu không có).")
    heading: str
    snippet: str = Field(description="Đoạn trích (HTML đã thoát ký tự, từ khớp trong <mark>).")
    score: float


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    per_page: int
    semantic: bool = Field(description="Có dùng tín hiệu ngữ nghĩa (véc-tơ) khi xếp hạng không.")
    took_ms: float
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]] = Field(description="group, kind, status, issuing_body, year.")


class DocumentOut(Schema):
    slug: str
    title: str
    group: str
    group_name: str
    kind: str
    kind_label: str
    number: str
    issuing_body: str
    issued_on: dt.date | None
    effective_on: dt.date | None
    status: str
    status_label: str
    repealed: bool
    scope: str = Field(description="Phạm vi áp dụng: \"Toàn quốc\" hoặc tên đơn vị.")
    owner: str | None = Field(description="Đơn vị quản lý; null: tài liệu toàn quốc.")
    summary: str
    published: bool
    version: int
    updated_at: dt.datetime


class DocumentPageOut(Schema):
    items: list[DocumentOut]
    count: int
    page: int
    pages: int
    per_page: int


class ClauseOut(Schema):
    number: str
    text: str


class ArticleOut(Schema):
    number: str
    heading: str
    label: str
    anchor: str
    divisions: list[str] = Field(description="Phần, chương, mục chứa điều này, từ ngoài vào trong.")
    text: str
    clauses: list[ClauseOut]


class PartOut(Schema):
    heading: str
    text: str


class VersionOut(Schema):
    number: int
    created_at: dt.datetime
    source_name: str
    note: str
    characters: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class DocumentDetailOut(DocumentOut):
    source: str
    articles: list[ArticleOut] = Field(description="Các điều (văn bản pháp luật), có khoản.")
    parts: list[PartOut] = Field(description="Các mục của tài liệu không chia theo điều (hướng dẫn thủ tục).")
    versions: list[VersionOut]
    attachments: list[AttachmentOut]


# --- writing ------------------------------------------------------------------------------------------


class _MetaFields(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str | None = Field(None, max_length=20, description=f"Loại văn bản: {KIND_HELP}.")
    number: str | None = Field(None, max_length=60, description="Số, ký hiệu.")
    issuing_body: str | None = Field(None, max_length=200, description="Cơ quan ban hành.")
    issued_on: dt.date | None = Field(None, description="Ngày ban hành (YYYY-MM-DD).")
    effective_on: dt.date | None = Field(None, description="Ngày có hiệu lực (YYYY-MM-DD), không trước ngày ban hành.")
    status: str | None = Field(None, max_length=20, description=f"Tình trạng hiệu lực: {STATUS_HELP}.")
    scope: int | None = Field(None, description="Mã số (id) đơn vị của phạm vi áp dụng; trống: toàn quốc.")
    summary: str | None = Field(None, max_length=5_000)
    source: str | None = Field(None, max_length=300, description="Nguồn (đường dẫn, công báo).")
    published: bool | None = Field(None, description="Công khai cho người dân (mặc định: có).")


class DocumentIn(_MetaFields):
    """Một tài liệu mới: dạng JSON (toàn văn trong ``text``) hoặc multipart (tệp ``file`` và các trường
    này). Tên (``title``) mặc định lấy từ tệp."""

    group: str = Field(max_length=60, description="Mã nhóm tài liệu, ví dụ ``dich-vu-cong``.")
    owner: int | None = Field(
        None, description="Mã số (id) đơn vị quản lý; trống: đơn vị của bạn (quản trị viên: toàn quốc).")
    title: str = Field("", max_length=400, description="Tên tài liệu (tối đa 300 ký tự).")
    text: str = Field("", max_length=2_000_000, description="Toàn văn (khi gửi JSON, không kèm tệp).")


class VersionIn(Schema):
    """Văn bản mới của tài liệu: JSON (``text``) hoặc multipart (tệp ``file``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field("", max_length=2_000_000)
    note: str = Field("", max_length=300, description="Ghi chú (ví dụ: sửa đổi theo Luật số ...).")


class DocumentPatchIn(_MetaFields):
    """Các trường cần đổi (trường không gửi giữ nguyên)."""

    title: str | None = Field(None, max_length=400)
