"""Request and response shapes of the organisational database API (``orgs.api``): pagination,
Vietnamese JSON bodies, schemas, and the small helpers that turn domain objects into them."""


import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.params.models import Body, BodyModel
from pydantic import ConfigDict, StrictInt, field_validator

from digitalfront.core.errors import ValidationFailed
from digitalfront.orgs.models import (
    OrganisationType,
    Period,
    Report,
    ReportStatus,
    Unit,
)

TAG_UNITS = "Đơn vị"
TAG_PERIODS = "Kỳ báo cáo"
TAG_FIGURES = "Số liệu tổng hợp"
TAG_REPORTS = "Báo cáo"

MAX_PAGE = 200


class Pagination(LimitOffsetPagination):
    """``limit`` (1–200, mặc định 50) và ``offset``; trả về ``{"items": [...], "count": n}``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE, description="Số mục mỗi trang (tối đa 200).")
        offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu mục đầu.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


# --- request bodies -------------------------------------------------------------------------------


class _JsonBodyModel(BodyModel):
    """Like ninja's body, but a body that is empty or not JSON is a Vietnamese 422, not an English 400."""

    @classmethod
    def get_request_data(cls, request: HttpRequest, api: Any, path_params: Any) -> dict[str, Any] | None:
        if not request.body:
            raise ValidationFailed("Thiếu nội dung yêu cầu (JSON).", code="invalid")
        try:
            data = api.parser.parse_body(request)
        except (ValueError, UnicodeDecodeError):
            raise ValidationFailed("Nội dung gửi lên không phải JSON hợp lệ.", code="invalid") from None
        if not isinstance(data, dict):
            raise ValidationFailed("Nội dung gửi lên phải là một đối tượng JSON.", code="invalid")
        varname = getattr(cls, "__read_from_single_attr__", None)
        return {varname: data} if varname else data


class JsonBody(Body):  # type: ignore[misc]
    _model = _JsonBodyModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"


class ReportIn(Schema):
    """Toàn bộ nội dung một báo cáo (PUT thay thế toàn bộ bản nháp)."""

    model_config = ConfigDict(extra="forbid")

    unit_id: StrictInt = Field(description="Mã số (id) của đơn vị báo cáo.")
    org_type: str = Field(max_length=40, description="Mã tổ chức, ví dụ ``mttq``, ``phu-nu``.")
    period_id: StrictInt = Field(description="Mã số (id) của kỳ báo cáo.")
    members: StrictInt = Field(0, description="Số hội viên, đoàn viên.")
    staff_fulltime: StrictInt = Field(0, description="Cán bộ chuyên trách.")
    staff_front_committee: StrictInt = Field(0, description="Ủy viên Ủy ban MTTQ.")
    staff_executive_committee: StrictInt = Field(0, description="Ủy viên Ban Chấp hành.")
    activities: str = Field("", description="Hoạt động tiêu biểu.")
    difficulties: str = Field("", description="Khó khăn, hạn chế.")
    recommendations: str = Field("", description="Kiến nghị, đề xuất.")
    values: dict[str, Any] = Field(
        default_factory=dict, description="Giá trị các chỉ tiêu bổ sung của bộ dữ liệu, theo mã chỉ tiêu."
    )

    @field_validator("values", mode="before")
    @classmethod
    def _values_is_object(cls, value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValueError("values must be an object")  # described in Vietnamese by core.api
        return value


class ReopenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, description="Lý do mở lại báo cáo (bắt buộc).")


# --- responses --------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str
    level: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    level: str
    level_label: str
    kind: str
    parent_id: int | None
    depth: int
    valid_from: datetime.date
    valid_to: datetime.date | None
    successor_id: int | None
    is_active: bool

    @staticmethod
    def resolve_level_label(obj: Unit) -> str:
        return obj.get_level_display()


class OrgTypeOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str


class UnitDetailOut(UnitOut):
    org_types: list[OrgTypeOut]
    children_count: int = Field(description="Số đơn vị trực thuộc đang có hiệu lực.")


class PeriodRef(Schema):
    id: int
    code: str
    name: str


class PeriodOut(Schema):
    id: int
    dataset: str
    dataset_name: str
    code: str
    name: str
    start: datetime.date
    end: datetime.date
    deadline: datetime.date

    @staticmethod
    def resolve_dataset(obj: Period) -> str:
        return obj.dataset.code

    @staticmethod
    def resolve_dataset_name(obj: Period) -> str:
        return obj.dataset.name


class ReportOut(Schema):
    id: int
    unit: UnitRef
    org_type: OrgTypeOut
    period: PeriodRef
    status: str
    status_label: str
    members: int
    staff_fulltime: int
    staff_front_committee: int
    staff_executive_committee: int
    activities: str
    difficulties: str
    recommendations: str
    values: dict[str, Any]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None
    first_submitted_at: datetime.datetime | None
    submitted_on_time: bool
    approved_at: datetime.datetime | None
    locked_at: datetime.datetime | None

    @staticmethod
    def resolve_org_type(obj: Report) -> dict[str, str]:
        return org_dict(obj.org_type, obj.unit.level)

    @staticmethod
    def resolve_status_label(obj: Report) -> str:
        return ReportStatus(obj.status).label


class MeasureOut(Schema):
    code: str
    label: str


class OrgTotalsOut(Schema):
    org_type: OrgTypeOut
    values: dict[str, int]


class UnitTotalsOut(Schema):
    unit: UnitRef
    organisations: list[OrgTotalsOut]
    total: dict[str, int] = Field(description="Tổng của mọi tổ chức.")


class RollupOut(UnitTotalsOut):
    period: PeriodRef
    measures: list[MeasureOut]
    children: list[UnitTotalsOut] | None = Field(description="Chỉ có khi ``children=true``.")


class CompletenessRow(Schema):
    unit_id: int
    unit_code: str
    unit_name: str
    expected: int
    submitted: int
    on_time: int
    completeness: float
    timeliness: float


class CompletenessOut(Schema):
    period: PeriodRef
    unit: CompletenessRow
    children: list[CompletenessRow]


def org_dict(org: OrganisationType, level: str) -> dict[str, str]:
    return {"code": org.code, "name": org.name_at(level), "short_name": org.short_name, "kind": org.kind}


def unit_ref(unit: Unit) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level}


def period_ref(period: Period) -> dict[str, Any]:
    return {"id": period.pk, "code": period.code, "name": period.name}
