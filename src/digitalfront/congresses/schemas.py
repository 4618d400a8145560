"""Request and response bodies of the congresses API (``congresses.api``).

The values of a congress (dates, counts, names) are sent as one ``values`` object and checked by the
services (``services.congresses.clean`` and ``check``), so the API and the entry pages give the same
Vietnamese message on the same field. The public shapes (``Public*``) carry a non-sensitive subset only:
no delegate counts, no reporter or confirmer, no audit data, no unpublished news.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict, Field

from .models import COMPOSITION, Status

TAG_STAFF = "Đại hội: nhập liệu và xác nhận"
TAG_PUBLIC = "Đại hội: công khai"

STATUS_HELP = "planned | preparing | held | reported | confirmed"
VALUES_HELP = (
    "Các trường: planned_on, held_on (YYYY-MM-DD), venue, delegates_summoned, delegates_attending, committee_size, "
    "standing_size, chair, vice_chairs, standing_members (danh sách họ tên), women, under_35, ethnic_minority, "
    "religious, non_party, re_elected, new_members, delegates_to_above. Trường không gửi giữ nguyên."
)


class TermOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    current: bool


def unit_ref(unit: Any) -> dict[str, Any]:
    """The unit, with the code of its province (``unit.parent`` selected for communes)."""
    province = unit.code if unit.level == "province" else (unit.parent.code if unit.parent_id else None)
    return {"code": unit.code, "name": unit.name, "level": unit.level, "province": province}


def photo_url(item: Any) -> str | None:
    return reverse("api:congress_news_photo", kwargs={"news_id": item.pk}) if item.photo else None


class UnitRef(Schema):
    code: str
    name: str
    level: str
    province: str | None = Field(description="Mã tỉnh, thành phố của đơn vị (của chính nó nếu là cấp tỉnh).")


class CongressBaseOut(Schema):
    """What the public and the staff both see of a congress."""

    id: int
    unit: UnitRef
    level: str
    status: str
    status_label: str
    planned_on: dt.date | None
    held_on: dt.date | None
    venue: str

    @staticmethod
    def resolve_unit(obj: Any) -> dict[str, Any]:
        return unit_ref(obj.unit)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class CongressOut(CongressBaseOut):
    term: str
    delegates_summoned: int | None
    delegates_attending: int | None
    committee_size: int | None
    standing_size: int | None
    chair: str
    vice_chairs: list[str]
    standing_members: list[str]
    women: int | None
    under_35: int | None
    ethnic_minority: int | None
    religious: int | None
    non_party: int | None
    re_elected: int | None
    new_members: int | None
    delegates_to_above: int | None
    reported_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_term(obj: Any) -> str:
        return str(obj.term.name)


class PlanIn(Schema):
    """Đại hội mới của một đơn vị (cấp tỉnh hoặc cấp xã) trong nhiệm kỳ."""

    model_config = ConfigDict(extra="forbid")

    unit: str = Field(max_length=20, description="Mã đơn vị, ví dụ ``00004``.")
    term: int | None = Field(None, description="Mã số (id) nhiệm kỳ; trống: nhiệm kỳ hiện tại.")
    values: dict[str, Any] = Field(default_factory=dict, description=VALUES_HELP)


class ValuesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, Any] = Field(description=VALUES_HELP)


class StatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(max_length=20, description=f"Tình trạng mới: {STATUS_HELP} (trừ confirmed).")


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=2000, description="Lý do trả lại (ít nhất 5 ký tự).")


class NewsIn(Schema):
    """Một tin: JSON, hoặc multipart/form-data có ảnh ``photo`` (JPEG, PNG, WebP; thông tin EXIF, GPS bị bỏ)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=400)
    body: str = Field("", max_length=20_000)
    published: bool = Field(True, description="Công khai trên trang đại hội (mặc định: có).")


class PublicNewsOut(Schema):
    id: int
    unit: str
    title: str
    body: str
    photo_url: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.congress.unit.name)

    @staticmethod
    def resolve_photo_url(obj: Any) -> str | None:
        return photo_url(obj)


class NewsOut(PublicNewsOut):
    """A news item as its unit's staff see it: also its congress and whether it is public."""

    congress: int
    published: bool

    @staticmethod
    def resolve_congress(obj: Any) -> int:
        return int(obj.congress_id)


# --- public -------------------------------------------------------------------------------------------


class CompositionOut(Schema):
    women: int | None
    under_35: int | None
    ethnic_minority: int | None
    religious: int | None
    non_party: int | None
    re_elected: int | None
    new_members: int | None


class PublicResultsOut(Schema):
    committee_size: int | None
    standing_size: int | None
    chair: str
    vice_chairs: list[str]
    standing_members: list[str]
    composition: CompositionOut


class PublicCongressOut(CongressBaseOut):
    results: PublicResultsOut | None = Field(description="Kết quả (khi đơn vị đã báo cáo); null nếu chưa.")

    @staticmethod
    def resolve_results(obj: Any) -> dict[str, Any] | None:
        return public_results(obj)


RESULTS_PUBLIC = (Status.REPORTED, Status.CONFIRMED)


def public_results(congress: Any) -> dict[str, Any] | None:
    """The results the public may see, once the unit has reported them (drafts stay inside)."""
    if congress.status not in RESULTS_PUBLIC:
        return None
    return {"committee_size": congress.committee_size, "standing_size": congress.standing_size,
            "chair": congress.chair, "vice_chairs": list(congress.vice_chairs or []),
            "standing_members": list(congress.standing_members or []),
            "composition": {name: getattr(congress, name) for name, _ in COMPOSITION}}


class LevelProgressOut(Schema):
    level: str
    label: str
    expected: int = Field(description="Số đơn vị tổ chức đại hội.")
    by_status: dict[str, int]
    held: int = Field(description="Đã tổ chức (kể cả đã báo cáo, đã xác nhận).")
    held_share: float


class ProvinceProgressOut(Schema):
    code: str
    name: str
    own_status: str | None
    communes: int
    communes_held: int
    held_share: float


class PublicProgressOut(Schema):
    term: str
    levels: list[LevelProgressOut]
    provinces: list[ProvinceProgressOut]
