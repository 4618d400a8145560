"""Congresses over HTTP: ``/api/v1/congresses...``.

Staff read the congresses of their subtree (``Congress.objects.for_user``); entry is by the unit's own
staff and confirmation by the level above, through the services. A congress the user cannot see is a 404
whatever the request; one they can see but not change is a 403. The public endpoints (``/public...``,
no sign-in) carry a non-sensitive subset: no delegate counts, nobody but the chair and vice-chairs, no
reporter or confirmer, results only once reported, published news only.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import F, QuerySet
from django.http import FileResponse, HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from digitalfront.core.bodies import body_doc, json_or_form
from digitalfront.core.errors import NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.scoping import subtree_q
from digitalfront.orgs.models import Level, Unit
from digitalfront.orgs.schemas import JsonBody, Pagination

from . import selectors
from .access import congress_for
from .models import Congress, NewsItem, Term
from .models import Status as CongressStatus
from .schemas import (
    TAG_PUBLIC,
    TAG_STAFF,
    CongressOut,
    NewsIn,
    NewsOut,
    PlanIn,
    PublicCongressOut,
    PublicNewsOut,
    PublicProgressOut,
    ReasonIn,
    StatusIn,
    TermOut,
    ValuesIn,
)
from .services import congresses as service
from .services import news as news_service

router = Router()

LEVEL_LABELS = {Level.PROVINCE: "Cấp tỉnh", Level.COMMUNE: "Cấp xã"}
HELD = (CongressStatus.HELD, CongressStatus.REPORTED, CongressStatus.CONFIRMED)


# --- helpers ------------------------------------------------------------------------------------------


def term_or_current(term_id: int | None) -> Term:
    if term_id is not None:
        term = Term.objects.filter(pk=term_id).first()
        if term is None:
            raise ValidationFailed(f"Không có nhiệm kỳ mã {term_id}.", field="term")
        return term
    term = selectors.current_term()
    if term is None:
        raise NotFound("Chưa có nhiệm kỳ nào.")
    return term


def filtered(qs: QuerySet[Congress], *, level: str, status: str, province: str) -> QuerySet[Congress]:
    """``qs`` narrowed by level, status and province code (an unknown value is a 422 on its field)."""
    if level:
        if level not in LEVEL_LABELS:
            raise ValidationFailed(f"Cấp không hợp lệ: {level} (province hoặc commune).", field="level")
        qs = qs.filter(level=level)
    if status:
        if status not in CongressStatus.values:
            raise ValidationFailed(f"Tình trạng không hợp lệ: {status}.", field="status")
        qs = qs.filter(status=status)
    if province:
        unit = Unit.objects.filter(code=province, level=Level.PROVINCE).first()
        if unit is None:
            raise ValidationFailed(f"Không có tỉnh, thành phố mã {province}.", field="province")
        qs = qs.filter(subtree_q("unit__path", unit.path))
    return qs


def _visible(request: HttpRequest, congress_id: int) -> Congress:
    """The congress if the user may see it (404 otherwise, before anything else is checked)."""
    return congress_for(request.user, congress_id, "view")


def _editing(request: HttpRequest, congress_id: int) -> Congress:
    """The congress if the user may enter its data: 404 when invisible, 403 when only visible."""
    _visible(request, congress_id)
    try:
        return congress_for(request.user, congress_id, "edit")
    except NotFound:
        raise PermissionDenied("Bạn không được nhập thông tin đại hội này: việc nhập liệu là của cán bộ "
                               "đơn vị tổ chức đại hội.") from None


def _reload(congress_id: int) -> Congress:
    return Congress.objects.select_related("term", "unit__parent").get(pk=congress_id)


# --- staff --------------------------------------------------------------------------------------------


@router.get("/congresses/terms", response=list[TermOut], tags=[TAG_STAFF], summary="Các nhiệm kỳ")
def terms(request: HttpRequest) -> list[dict[str, Any]]:
    current = selectors.current_term()
    return [{"id": t.pk, "name": t.name, "starts_on": t.starts_on, "ends_on": t.ends_on,
             "current": current is not None and t.pk == current.pk} for t in Term.objects.all()]


@router.get("/congresses", response=list[CongressOut], tags=[TAG_STAFF],
            summary="Các đại hội trong phạm vi của bạn")
@paginate(Pagination)
def congress_list(
    request: HttpRequest,
    term: int | None = Query(None, description="Mã số (id) nhiệm kỳ; trống: nhiệm kỳ hiện tại."),
    level: str = Query("", max_length=20, description="province | commune"),
    status: str = Query("", max_length=20),
    province: str = Query("", max_length=20, description="Mã tỉnh, thành phố, ví dụ ``01``."),
) -> QuerySet[Congress]:
    """Đại hội của các đơn vị bạn được xem (đơn vị của bạn và cấp dưới), theo thứ tự cây đơn vị."""
    chosen = term_or_current(term)
    qs: QuerySet[Congress] = Congress.objects.for_user(request.user, "view").filter(term=chosen)
    qs = filtered(qs, level=level, status=status, province=province)
    return qs.select_related("term", "unit__parent").order_by("unit__path", "pk")


@router.get("/congresses/{int:congress_id}", response=CongressOut, tags=[TAG_STAFF], summary="Một đại hội")
def congress_get(request: HttpRequest, congress_id: int) -> Congress:
    _visible(request, congress_id)
    return _reload(congress_id)


@router.post("/congresses", response={201: CongressOut}, tags=[TAG_STAFF], summary="Dự kiến đại hội của đơn vị")
def congress_plan(request: HttpRequest, payload: Annotated[PlanIn, JsonBody(...)]) -> Status[Congress]:
    """Cán bộ nhập liệu của đơn vị (hoặc cấp trên có quyền nhập liệu) ghi đại hội của đơn vị trong nhiệm kỳ."""
    unit = Unit.objects.for_user(request.user, "view").filter(code=payload.unit.strip(), valid_to__isnull=True).first()
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị mã {payload.unit.strip()[:20]}.")
    term = term_or_current(payload.term)
    congress = service.plan(actor=request.user, unit=unit, term=term, values=payload.values)
    return Status(201, _reload(congress.pk))


@router.patch("/congresses/{int:congress_id}", response=CongressOut, tags=[TAG_STAFF],
              summary="Sửa thông tin, kết quả đại hội")
def congress_update(request: HttpRequest, congress_id: int, payload: Annotated[ValuesIn, JsonBody(...)]) -> Congress:
    _editing(request, congress_id)
    service.update(actor=request.user, congress_id=congress_id, values=payload.values)
    return _reload(congress_id)


@router.post("/congresses/{int:congress_id}/status", response=CongressOut, tags=[TAG_STAFF],
             summary="Đổi tình trạng (dự kiến, chuẩn bị, đã tổ chức, đã báo cáo)")
def congress_status(request: HttpRequest, congress_id: int, payload: Annotated[StatusIn, JsonBody(...)]) -> Congress:
    _editing(request, congress_id)
    service.set_status(actor=request.user, congress_id=congress_id, status=payload.status)
    return _reload(congress_id)


@router.post("/congresses/{int:congress_id}/confirm", response=CongressOut, tags=[TAG_STAFF],
             summary="Cấp trên xác nhận kết quả")
def congress_confirm(request: HttpRequest, congress_id: int) -> Congress:
    _visible(request, congress_id)
    service.confirm(actor=request.user, congress_id=congress_id)
    return _reload(congress_id)


@router.post("/congresses/{int:congress_id}/return", response=CongressOut, tags=[TAG_STAFF],
             summary="Cấp trên trả lại để sửa (có lý do)")
def congress_return(request: HttpRequest, congress_id: int, payload: Annotated[ReasonIn, JsonBody(...)]) -> Congress:
    _visible(request, congress_id)
    service.return_for_correction(actor=request.user, congress_id=congress_id, reason=payload.reason)
    return _reload(congress_id)


@router.get("/congresses/{int:congress_id}/news", response=list[NewsOut], tags=[TAG_STAFF],
            summary="Tin của đại hội (kể cả tin không công khai)")
@paginate(Pagination)
def news_list(request: HttpRequest, congress_id: int) -> QuerySet[NewsItem]:
    congress = _visible(request, congress_id)
    return NewsItem.objects.filter(congress=congress).select_related("congress__unit")


_NEWS_DOC = body_doc(NewsIn, file_field="photo")


@router.post("/congresses/{int:congress_id}/news", response={201: NewsOut}, tags=[TAG_STAFF],
             summary="Đăng tin đại hội (có thể kèm ảnh)", openapi_extra=_NEWS_DOC)
def news_add(request: HttpRequest, congress_id: int) -> Status[NewsItem]:
    _editing(request, congress_id)
    payload, photo = json_or_form(request, NewsIn, file_field="photo", file_label="ảnh",
                                  one_file="Mỗi tin chỉ kèm một ảnh.", keep_blank=True)
    item = news_service.add(actor=request.user, congress_id=congress_id, title=payload.title, body=payload.body,
                            published=payload.published, photo=photo)
    return Status(201, NewsItem.objects.select_related("congress__unit").get(pk=item.pk))


@router.get("/congresses/news/{int:news_id}/photo", auth=None, tags=[TAG_PUBLIC], url_name="congress_news_photo",
            summary="Ảnh của một tin")
def news_photo(request: HttpRequest, news_id: int) -> FileResponse:
    item = NewsItem.objects.filter(pk=news_id).exclude(photo="").select_related("congress").first()
    if item is None or not (item.published or Congress.objects.for_user(request.user, "view")
                            .filter(pk=item.congress_id).exists()):
        raise NotFound("Không tìm thấy ảnh.")
    name = str(item.photo.name)
    content_type = "image/png" if name.endswith(".png") else "image/webp" if name.endswith(".webp") else "image/jpeg"
    return FileResponse(item.photo.open("rb"), content_type=content_type)


# --- public -------------------------------------------------------------------------------------------


def public_progress(term: Term) -> dict[str, Any]:
    progress = selectors.progress(term)
    levels = []
    for level, label in LEVEL_LABELS.items():
        by_status = progress.counts.get(level, {})
        expected = progress.expected.get(level, 0)
        held = sum(by_status.get(s, 0) for s in HELD)
        levels.append({"level": level, "label": label, "expected": expected, "by_status": by_status,
                       "held": held, "held_share": round(held / expected, 4) if expected else 0.0})
    provinces = []
    for row in selectors.province_grid(term):
        held = sum(row.by_status.get(s, 0) for s in HELD)
        provinces.append({"code": row.unit.code, "name": row.unit.name,
                          "own_status": row.own.status if row.own is not None else None,
                          "communes": row.communes, "communes_held": held, "held_share": round(row.held_share, 4)})
    return {"term": term.name, "levels": levels, "provinces": provinces}


@router.get("/congresses/public/progress", auth=None, response=PublicProgressOut, tags=[TAG_PUBLIC],
            summary="Tiến độ đại hội toàn quốc")
def public_progress_get(request: HttpRequest, term: int | None = Query(None)) -> dict[str, Any]:
    """Số đại hội theo cấp và tình trạng, và tiến độ của từng tỉnh, thành phố."""
    return public_progress(term_or_current(term))


def public_congresses(term: Term) -> QuerySet[Congress]:
    return (Congress.objects.filter(term=term).select_related("unit__parent")
            .order_by(F("held_on").desc(nulls_last=True), "unit__path", "pk"))


@router.get("/congresses/public", auth=None, response=list[PublicCongressOut], tags=[TAG_PUBLIC],
            summary="Các đại hội (thông tin công khai)")
@paginate(Pagination)
def public_list(
    request: HttpRequest,
    term: int | None = Query(None),
    level: str = Query("", max_length=20, description="province | commune"),
    status: str = Query("", max_length=20),
    province: str = Query("", max_length=20, description="Mã tỉnh, thành phố."),
) -> QuerySet[Congress]:
    """Đại hội mới tổ chức trước; kết quả (Ủy ban, cơ cấu, chủ tịch, phó chủ tịch) khi đã báo cáo."""
    return filtered(public_congresses(term_or_current(term)), level=level, status=status, province=province)


@router.get("/congresses/public/news", auth=None, response=list[PublicNewsOut], tags=[TAG_PUBLIC],
            summary="Tin đại hội đã công khai")
@paginate(Pagination)
def public_news(request: HttpRequest, term: int | None = Query(None)) -> QuerySet[NewsItem]:
    return (NewsItem.objects.filter(congress__term=term_or_current(term), published=True)
            .select_related("congress__unit").order_by("-created_at", "-pk"))
