"""The feedback module over HTTP: ``/api/v1/feedback/...``.

Citizens (no account needed) send a case and follow it by its private link; staff list the cases of
their units (scoped like everything else), read one (a denunciation's sender is always redacted) and
act on it through the same dispatcher as the case page (``feedback.actions``).
"""

from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from ninja import Query, Router
from ninja.pagination import paginate

from digitalfront.core.errors import DomainError, NotFound
from digitalfront.orgs.schemas import JsonBody, Pagination

from . import access, actions, guard, selectors
from .intake_batch import submit_batched
from .models import Case, Channel, Topic
from .schemas import (
    TAG_HANDLING,
    TAG_INTAKE,
    ActionIn,
    CaseDetailOut,
    CaseOut,
    ReceiptOut,
    SubmissionIn,
    TopicOut,
    TrackOut,
)
from .services import intake

router = Router()


class TooMany(DomainError):
    """Past a rate limit: solve the challenge (anonymous senders) or come back after ``retry_after_s``."""

    status = 429
    retry_after_s = 0


def _bearer_user(request: HttpRequest) -> Any:
    """A citizen signed in with an access token (``api`` scope); sessions are not used here, so a page
    on another site cannot submit in someone's name."""
    header = request.META.get("HTTP_AUTHORIZATION", "")  # request.headers copies every header first
    if not header.lower().startswith("bearer "):
        return None
    from digitalfront.accounts.oidc import BearerAuth

    user = BearerAuth().authenticate(request, header[7:].strip())
    return user if user is not None and getattr(user, "kind", "") == "citizen" else None


@router.post(
    "/feedback/",
    auth=None,
    response={201: ReceiptOut},
    tags=[TAG_INTAKE],
    summary="Gửi phản ánh, kiến nghị, khiếu nại, tố cáo",
)
def submit(request: HttpRequest, payload: Annotated[SubmissionIn, JsonBody(...)]) -> HttpResponse:
    """Trả 201 chỉ sau khi phản ánh đã được ghi vào cơ sở dữ liệu (không mất khi máy chủ dừng đột ngột)."""
    from digitalfront.core.api import api

    return api.create_response(request, accept(request, payload), status=201)


def accept(request: HttpRequest, payload: SubmissionIn) -> dict[str, Any]:
    """Write a checked submission (:func:`submit`; ``api_direct`` on the lean path) and return its receipt,
    a :class:`ReceiptOut` (rendered as ninja renders one, without validating our own output again: this
    is the busiest endpoint, and the fields are ReceiptOut's, typed by the model); raise a DomainError."""
    citizen = _bearer_user(request)
    # the limits count the account of the token (the lean path, core.lean, has no session user at all)
    request.user = citizen if citizen is not None else AnonymousUser()
    # counted with the batch that writes it (intake_batch: one round trip to the shared cache per batch),
    # after the checks of prepare(): a submission refused as invalid is not counted
    count = guard.counted(request, answer=payload.challenge, device=payload.device_id)
    sub = intake.prepare(
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        province=payload.province,
        commune=payload.commune,
        level=payload.level,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        sender_address=payload.sender_address,
        anonymous=payload.anonymous,
        citizen=citizen,
        consent_publish=payload.consent_publish,
        show_name=payload.show_name,
        topic=payload.topic,
        channel=Channel.API,
        device_id=payload.device_id or guard.device_id(request),
    )
    try:
        receipt = submit_batched(sub, count)
    except guard.Refused as refused:
        verdict = refused.verdict
        error = TooMany(verdict.message, code="challenge_required" if verdict.needs_challenge else "rate_limited")
        error.retry_after_s = verdict.retry_after_s
        raise error from None
    case = receipt.case
    return {
        "code": case.code,
        "token": receipt.token,
        "tracking_url": f"{_origin(request)}{_track_path(case.code)}?k={receipt.token}",
        "kind": case.kind,
        "status": case.status,
        "unit": case.unit.name,
        "due_at": case.due_at,
    }


_ORIGINS: dict[tuple[Any, ...], str] = {}


def _origin(request: HttpRequest) -> str:
    """``request.build_absolute_uri("/")`` without the slash, worked out once per scheme and host headers
    (it costs as much as building the case's row). The host was checked against ``ALLOWED_HOSTS`` by the
    middleware before the view (``CommonMiddleware`` reads it)."""
    meta = request.META
    proxy = settings.SECURE_PROXY_SSL_HEADER
    forwarded_host, forwarded_port = settings.USE_X_FORWARDED_HOST, settings.USE_X_FORWARDED_PORT
    key = (meta.get("wsgi.url_scheme"), proxy, meta.get(proxy[0]) if proxy else None, meta.get("HTTP_HOST"),
           meta.get("SERVER_NAME"), meta.get("SERVER_PORT"), forwarded_host and meta.get("HTTP_X_FORWARDED_HOST"),
           forwarded_port and meta.get("HTTP_X_FORWARDED_PORT"))
    origin = _ORIGINS.get(key)
    if origin is None:
        origin = request.build_absolute_uri("/")[:-1]
        if len(_ORIGINS) >= 256:  # hosts are checked, but keep the table small whatever arrives
            _ORIGINS.clear()
        _ORIGINS[key] = origin
    return origin


_TRACK_PATHS: dict[str, str] = {}
_CODE_MARK = "0CODE0"


def _track_path(code: str) -> str:
    """``reverse("feedback:track", args=[code])``, the URL resolved once per script prefix (the resolver's
    reverse costs more than the rest of building the receipt)."""
    prefix = get_script_prefix()
    template = _TRACK_PATHS.get(prefix)
    if template is None:
        template = _TRACK_PATHS[prefix] = reverse("feedback:track", args=[_CODE_MARK])
    return template.replace(_CODE_MARK, code)


@router.get(
    "/feedback/track/{code}",
    auth=None,
    response=TrackOut,
    tags=[TAG_INTAKE],
    summary="Theo dõi một phản ánh bằng mã và mã bí mật",
)
def track(request: HttpRequest, code: str, k: str = "") -> dict[str, Any]:
    case = access.case_by_link(code, k)
    return {
        "code": case.code,
        "kind": case.kind,
        "status": case.status,
        "status_label": case.get_status_display(),
        "title": case.title,
        "unit": case.unit.name,
        "received_at": case.received_at,
        "due_at": case.due_at,
        "answer": case.answer if case.status in ("answered", "closed") else "",
        "answered_at": case.answered_at,
        "satisfaction": case.satisfaction,
        "events": [{"at": e.at, "note": e.public_note} for e in case.events.all() if e.public_note],
    }


@router.get("/feedback/topics", auth=None, response=list[TopicOut], tags=[TAG_INTAKE], summary="Danh mục lĩnh vực")
def topics(request: HttpRequest) -> Any:
    return Topic.objects.filter(active=True)


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "code": case.code,
        "kind": case.kind,
        "status": case.status,
        "title": case.title,
        "topic": case.topic.code if case.topic_id else None,
        "urgency": case.urgency,
        "unit_id": case.unit_id,
        "unit": case.unit.name,
        "province": case.province.name,
        "commune": case.commune.name if case.commune_id else None,
        "received_at": case.received_at,
        "due_at": case.due_at,
        "escalated": case.escalated,
        "supporters": case.supporters,
        "hidden": case.hidden,
    }


@router.get("/feedback/cases", response=list[CaseOut], tags=[TAG_HANDLING], summary="Hộp thư phản ánh")
@paginate(Pagination)
def cases(
    request: HttpRequest,
    status: str = Query("open"),
    kind: str = Query(""),  # type: ignore[type-arg]
    topic: str = Query(""),
    deadline: str = Query(""),
    q: str = Query(""),
) -> Any:
    """Phản ánh thuộc phạm vi đơn vị của người dùng, khẩn nhất trước. ``status``: open, all hoặc một trạng thái."""
    filters = selectors.InboxFilters.from_query(
        {"trang_thai": status, "loai": kind, "linh_vuc": topic, "han": deadline, "q": q}, unit_paths={}
    )
    if filters.ignored:
        from digitalfront.core.errors import ValidationFailed

        raise ValidationFailed(f"Bộ lọc không hợp lệ: {', '.join(filters.ignored)}.", code="filter")
    return [_case_out(c) for c in selectors.inbox(request.user, filters)]


@router.get("/feedback/cases/{code}", response=CaseDetailOut, tags=[TAG_HANDLING], summary="Một phản ánh")
def case_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    case = access.case_for(request.user, code, "view")
    sender = selectors.sender_for_staff(case)
    identity = (
        {}
        if sender.redacted
        else {
            "name": sender.identity.name,
            "phone": sender.identity.phone,
            "email": sender.identity.email,
            "address": sender.identity.address,
        }
    )
    return {
        **_case_out(case),
        "content": case.content,
        "answer": case.answer,
        "anonymous": case.anonymous,
        "sender": {"redacted": sender.redacted, **identity},
        "suggestion": case.suggestion or {},
        "events": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "public_note": e.public_note,
            }
            for e in case.events.all()
        ],
    }


@router.post(
    "/feedback/cases/{code}/{action}", response=CaseDetailOut, tags=[TAG_HANDLING], summary="Thao tác trên một phản ánh"
)
def case_action(
    request: HttpRequest, code: str, action: str, payload: Annotated[ActionIn, JsonBody(...)]
) -> dict[str, Any]:
    """``action``: accept, refuse, start, forward, authority_answer, answer, close, note, transfer, escalate,
    extend, merge, classify, publish, unpublish, ban, review_abuse."""
    if action not in actions.ACTIONS:
        raise NotFound("Thao tác không tồn tại.")
    case = access.case_for(request.user, code, "edit")
    data = {key: ("" if value is None else value) for key, value in payload.model_dump().items()}
    actions.perform(request.user, case, action, data)
    visible = Case.objects.for_user(request.user, "view").filter(pk=case.pk).exists()
    if not visible:  # transferred away: the answer says where, without the case
        raise NotFound("Phản ánh đã được chuyển ra ngoài phạm vi của bạn.")
    return case_detail(request, case.code)
