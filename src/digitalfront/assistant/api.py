"""The assistant over HTTP: ``/api/v1/assistant/...`` (signed-in Front staff).

* ``POST ask`` answers at once; ``POST ask/stream`` answers as server-sent events (``start``, ``sources``,
  ``delta``, ``reset``, ``done``: see :mod:`.services.answers`). The question is committed before
  either starts answering; a question refused by validation (empty, too long, bad characters) is a
  Vietnamese 400/413 and records nothing.
* Conversations and their messages are the user's own; ``messages/{id}/rating`` rates an answer.
* Knowledge: read what the user may read (their subtree and the units above it, national), write where
  they enter data; every change is a version.
* The review queue (unit administrators over the questions asked in their subtree, superusers): curate
  a question into knowledge, or set it aside.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from digitalfront.core.errors import NotFound, ValidationFailed
from digitalfront.orgs.models import Unit
from digitalfront.orgs.schemas import JsonBody, Pagination

from . import access
from .models import Conversation, Knowledge, KnowledgeKind, Message
from .schemas import (
    TAG_ASK,
    TAG_KNOWLEDGE,
    TAG_QUEUE,
    AskIn,
    ConversationDetailOut,
    ConversationOut,
    CurateIn,
    KnowledgeIn,
    KnowledgeOut,
    KnowledgeUpdateIn,
    MessageOut,
    QueueItemOut,
    RatingIn,
    VersionOut,
)
from .services import answers, knowledge

router = Router()


class Mapped:
    """A queryset whose page is turned into dicts: the pagination counts and slices in the database."""

    def __init__(self, queryset: QuerySet[Any], out: Callable[[Any], dict[str, Any]]) -> None:
        self.queryset, self.out = queryset, out

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.out(item) for item in self.queryset[window]]


def _staff(request: HttpRequest) -> Any:
    access.require_use(request.user)
    return request.user


def _unit(code: str | None) -> Unit | None:
    if code in (None, ""):
        return None
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
    if unit is None:
        raise ValidationFailed(f"Không có đơn vị mã {code}.", field="unit")
    return unit


# --- asking ------------------------------------------------------------------------------------------


@router.post("/assistant/ask", response={201: MessageOut}, tags=[TAG_ASK], summary="Hỏi trợ lý (chờ trả lời đủ)")
def ask(request: HttpRequest, payload: Annotated[AskIn, JsonBody(...)]) -> Status[dict[str, Any]]:
    user = _staff(request)
    message = answers.ask(user=user, question=payload.question, conversation_id=payload.conversation_id)
    return Status(201, answers.message_out(message))


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n".encode()


@router.post("/assistant/ask/stream", tags=[TAG_ASK], summary="Hỏi trợ lý (trả lời dạng luồng sự kiện)",
             response={200: None}, openapi_extra={"responses": {"200": {
                 "description": "text/event-stream: start, sources, delta, reset, done",
                 "content": {"text/event-stream": {"schema": {"type": "string"}}}}}})
def ask_stream(request: HttpRequest, payload: Annotated[AskIn, JsonBody(...)]) -> StreamingHttpResponse:
    """Sự kiện ``start`` (mã câu hỏi), ``sources`` (nguồn tìm được), ``delta`` (từng đoạn câu trả lời),
    ``reset`` (bỏ phần đã nhận, câu trả lời được làm lại), ``done`` (câu trả lời cuối cùng, kèm trích dẫn)."""
    user = _staff(request)
    message = answers.open_question(user=user, question=payload.question, conversation_id=payload.conversation_id)

    def events() -> Iterator[bytes]:
        yield _sse("start", {"message_id": message.pk, "conversation_id": message.conversation_id})
        for event, data in answers.answer_events(message, user):
            yield _sse(event, data)

    response = StreamingHttpResponse(events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass the events on as they come
    return response


@router.get("/assistant/conversations", response=list[ConversationOut], tags=[TAG_ASK],
            summary="Các cuộc hội thoại của tôi")
@paginate(Pagination)
def conversations(request: HttpRequest) -> QuerySet[Conversation]:
    user = _staff(request)
    return Conversation.objects.filter(user=user).order_by("-updated_at", "-pk")


@router.get("/assistant/conversations/{conversation_id}", response=ConversationDetailOut, tags=[TAG_ASK],
            summary="Một cuộc hội thoại")
def conversation(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    user = _staff(request)
    conv = Conversation.objects.filter(pk=conversation_id, user=user).first()
    if conv is None:
        raise NotFound()
    return {"id": conv.pk, "title": conv.title, "created_at": conv.created_at, "updated_at": conv.updated_at,
            "messages": [answers.message_out(m) for m in conv.messages.order_by("pk")]}


@router.post("/assistant/messages/{message_id}/rating", response=MessageOut, tags=[TAG_ASK],
             summary="Đánh giá câu trả lời")
def rate(request: HttpRequest, message_id: int, payload: Annotated[RatingIn, JsonBody(...)]) -> dict[str, Any]:
    user = _staff(request)
    return answers.message_out(answers.rate(user=user, message_id=message_id, rating=payload.rating,
                                            comment=payload.comment))


# --- knowledge ---------------------------------------------------------------------------------------


def knowledge_out(entry: Knowledge) -> dict[str, Any]:
    return {
        "id": entry.pk, "kind": entry.kind, "kind_label": entry.get_kind_display(),
        "unit": entry.unit.code if entry.unit else None, "unit_name": entry.scope_label, "title": entry.title,
        "question": entry.question, "body": entry.body, "active": entry.active, "version": entry.version,
        "created_by": entry.created_by.get_full_name() if entry.created_by else None,
        "updated_by": entry.updated_by.get_full_name() if entry.updated_by else None,
        "created_at": entry.created_at, "updated_at": entry.updated_at,
    }


def _visible(request: HttpRequest, pk: int) -> Knowledge:
    entry = access.visible_knowledge(_staff(request)).select_related("unit", "created_by", "updated_by") \
        .filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


@router.get("/assistant/knowledge", response=list[KnowledgeOut], tags=[TAG_KNOWLEDGE],
            summary="Kiến thức nghiệp vụ tôi được xem")
@paginate(Pagination)
def knowledge_list(request: HttpRequest, kind: str = Query("", description="guidance hoặc qa"),
                   active: bool | None = Query(None)) -> Mapped:
    qs = access.visible_knowledge(_staff(request)).select_related("unit", "created_by", "updated_by")
    qs = qs.order_by("-updated_at", "-pk")
    if kind:
        if kind not in KnowledgeKind.values:
            raise ValidationFailed("Loại kiến thức không hợp lệ.", field="kind")
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(active=active)
    return Mapped(qs, knowledge_out)


@router.post("/assistant/knowledge", response={201: KnowledgeOut}, tags=[TAG_KNOWLEDGE],
             summary="Thêm kiến thức nghiệp vụ")
def knowledge_create(request: HttpRequest, payload: Annotated[KnowledgeIn, JsonBody(...)]) -> Status[dict[str, Any]]:
    user = _staff(request)
    entry = knowledge.create_knowledge(actor=user, kind=payload.kind, unit=_unit(payload.unit), title=payload.title,
                                       question=payload.question, body=payload.body)
    return Status(201, knowledge_out(entry))


@router.get("/assistant/knowledge/{entry_id}", response=KnowledgeOut, tags=[TAG_KNOWLEDGE],
            summary="Một mục kiến thức")
def knowledge_detail(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    return knowledge_out(_visible(request, entry_id))


@router.put("/assistant/knowledge/{entry_id}", response=KnowledgeOut, tags=[TAG_KNOWLEDGE],
            summary="Sửa kiến thức (tạo phiên bản mới)")
def knowledge_update(request: HttpRequest, entry_id: int,
                     payload: Annotated[KnowledgeUpdateIn, JsonBody(...)]) -> dict[str, Any]:
    user = _staff(request)
    entry = knowledge.update_knowledge(actor=user, entry_id=entry_id, title=payload.title, question=payload.question,
                                       body=payload.body, note=payload.note)
    return knowledge_out(_visible(request, entry.pk))


@router.post("/assistant/knowledge/{entry_id}/archive", response=KnowledgeOut, tags=[TAG_KNOWLEDGE],
             summary="Ngừng dùng một mục kiến thức (giữ lại lịch sử)")
def knowledge_archive(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    knowledge.set_active(actor=_staff(request), entry_id=entry_id, active=False)
    return knowledge_out(_visible(request, entry_id))


@router.post("/assistant/knowledge/{entry_id}/restore", response=KnowledgeOut, tags=[TAG_KNOWLEDGE],
             summary="Dùng lại một mục kiến thức")
def knowledge_restore(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    knowledge.set_active(actor=_staff(request), entry_id=entry_id, active=True)
    return knowledge_out(_visible(request, entry_id))


@router.get("/assistant/knowledge/{entry_id}/versions", response=list[VersionOut], tags=[TAG_KNOWLEDGE],
            summary="Các phiên bản của một mục kiến thức")
def knowledge_versions(request: HttpRequest, entry_id: int) -> list[dict[str, Any]]:
    entry = _visible(request, entry_id)
    return [{"number": v.number, "title": v.title, "question": v.question, "body": v.body, "note": v.note,
             "created_by": v.created_by.get_full_name() if v.created_by else None, "created_at": v.created_at}
            for v in entry.versions.select_related("created_by").order_by("-number")]


# --- the review queue --------------------------------------------------------------------------------


def queue_out(m: Message) -> dict[str, Any]:
    return {"id": m.pk, "question": m.question, "answer": m.answer, "outcome": m.outcome,
            "outcome_label": m.get_outcome_display(), "rating": m.rating or None, "rating_comment": m.rating_comment,
            "unit": m.unit.code if m.unit else None, "unit_name": m.unit.name if m.unit else "",
            "asked_by": m.conversation.user.get_full_name(), "created_at": m.created_at,
            "citations": m.citations, "sources": m.sources}


def _reviewer(request: HttpRequest) -> Any:
    user = _staff(request)
    if not access.may_review(user):
        from digitalfront.core.errors import PermissionDenied

        raise PermissionDenied("Chỉ quản trị đơn vị mới xem hàng đợi câu hỏi.")
    return user


@router.get("/assistant/queue", response=list[QueueItemOut], tags=[TAG_QUEUE],
            summary="Câu hỏi chưa trả lời được hoặc bị đánh giá chưa hữu ích")
@paginate(Pagination)
def queue(request: HttpRequest) -> Mapped:
    return Mapped(access.pending_review(_reviewer(request)), queue_out)


@router.post("/assistant/queue/{message_id}/curate", response={201: KnowledgeOut}, tags=[TAG_QUEUE],
             summary="Biên soạn câu trả lời thành kiến thức")
def curate(request: HttpRequest, message_id: int,
           payload: Annotated[CurateIn, JsonBody(...)]) -> Status[dict[str, Any]]:
    user = _reviewer(request)
    entry = knowledge.curate(actor=user, message_id=message_id, answer=payload.answer, unit=_unit(payload.unit),
                             title=payload.title)
    return Status(201, knowledge_out(entry))


@router.post("/assistant/queue/{message_id}/dismiss", response=QueueItemOut, tags=[TAG_QUEUE],
             summary="Bỏ qua câu hỏi")
def dismiss(request: HttpRequest, message_id: int) -> dict[str, Any]:
    user = _reviewer(request)
    knowledge.dismiss(actor=user, message_id=message_id)
    m = Message.objects.select_related("unit", "conversation__user").get(pk=message_id)
    return queue_out(m)
