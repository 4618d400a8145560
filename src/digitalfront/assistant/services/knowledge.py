"""Writing the Front's own knowledge, and turning reviewed questions into it.

Every write: keyword arguments, one transaction, a new :class:`KnowledgeVersion` with its author, an
audit event, and the knowledge index told on commit (every process rebuilds its copy).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db import transaction
from django.utils import timezone

from digitalfront.core import audit
from digitalfront.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.text import fold, nfc
from digitalfront.orgs.models import Unit

from .. import access, knowledge_index
from ..models import Knowledge, KnowledgeKind, KnowledgeVersion, Message

TITLE_MAX = 300
QUESTION_MAX = 1000
BODY_MAX = 200_000


def _text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{label} phải là văn bản.", field=field)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
    if field != "body":
        value = nfc(value)
    if "\x00" in value or "\ufffd" in value:
        raise ValidationFailed(f"{label} chứa ký tự không hợp lệ (sai bảng mã?).", field=field)
    if required and not value:
        raise ValidationFailed(f"Hãy nhập {label.lower()}.", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"{label} quá dài (tối đa {limit:,} ký tự).".replace(",", "."), field=field)
    return value


def _clean(kind: str, title: Any, question: Any, body: Any) -> tuple[str, str, str]:
    if kind not in KnowledgeKind.values:
        raise ValidationFailed("Loại kiến thức không hợp lệ.", field="kind")
    question_text = _text(question, field="question", label="Câu hỏi", limit=QUESTION_MAX,
                          required=kind == KnowledgeKind.QA)
    title_text = _text(title or question_text[:TITLE_MAX], field="title", label="Tiêu đề", limit=TITLE_MAX)
    body_text = _text(body, field="body", label="Nội dung" if kind == KnowledgeKind.GUIDANCE else "Câu trả lời",
                      limit=BODY_MAX)
    return title_text, question_text if kind == KnowledgeKind.QA else "", body_text


def _changed() -> None:
    knowledge_index.bump()
    transaction.on_commit(knowledge_index.bump)


def create_knowledge(*, actor: Any, kind: str, unit: Unit | None, title: Any = "", question: Any = "",
                     body: Any, note: str = "") -> Knowledge:
    access.check_unit(actor, unit)
    title_text, question_text, body_text = _clean(kind, title, question, body)
    with transaction.atomic():
        entry = Knowledge.objects.create(kind=kind, unit=unit, title=title_text, question=question_text,
                                         body=body_text, created_by=actor, updated_by=actor)
        KnowledgeVersion.objects.create(knowledge=entry, number=1, title=title_text, question=question_text,
                                        body=body_text, note=note[:300], created_by=actor)
        audit.record(actor=actor, action="assistant.knowledge.create", obj=entry,
                     unit_path=unit.path if unit else "", kind=kind, title=title_text)
        _changed()
    return entry


def update_knowledge(*, actor: Any, entry_id: int, title: Any = "", question: Any = "", body: Any,
                     note: str = "") -> Knowledge:
    with transaction.atomic():
        entry = access.editable_entry(actor, entry_id)
        entry = Knowledge.objects.select_for_update().get(pk=entry.pk)
        title_text, question_text, body_text = _clean(entry.kind, title, question, body)
        if (title_text, question_text, body_text) == (entry.title, entry.question, entry.body):
            raise InvalidState("Nội dung không thay đổi so với phiên bản hiện hành.")
        entry.version += 1
        entry.title, entry.question, entry.body, entry.updated_by = title_text, question_text, body_text, actor
        entry.save()
        KnowledgeVersion.objects.create(knowledge=entry, number=entry.version, title=title_text,
                                        question=question_text, body=body_text, note=note[:300], created_by=actor)
        audit.record(actor=actor, action="assistant.knowledge.update", obj=entry,
                     unit_path=entry.unit.path if entry.unit else "", version=entry.version)
        _changed()
    return entry


def set_active(*, actor: Any, entry_id: int, active: bool) -> Knowledge:
    with transaction.atomic():
        entry = access.editable_entry(actor, entry_id)
        if entry.active == active:
            raise InvalidState("Mục kiến thức đang được dùng." if active else "Mục kiến thức đã ngừng dùng.")
        entry.active = active
        entry.updated_by = actor
        entry.save(update_fields=["active", "updated_by", "updated_at"])
        audit.record(actor=actor, action="assistant.knowledge.restore" if active else "assistant.knowledge.archive",
                     obj=entry, unit_path=entry.unit.path if entry.unit else "")
        _changed()
    return entry


# --- the review queue --------------------------------------------------------------------------------


def _reviewable(actor: Any, message_id: int) -> Message:
    if not access.may_review(actor):
        raise PermissionDenied("Chỉ quản trị đơn vị mới xử lý hàng đợi câu hỏi.")
    message = access.review_messages(actor).select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    if message.reviewed_at is not None:
        raise InvalidState("Câu hỏi này đã được xử lý.")
    return message


def _same_question(actor: Any, question: str) -> Any:
    """The other questions waiting in the actor's queue that are the same words (typed with or without
    marks, in another case): one answer settles them all."""
    wanted = fold(question)
    return [pk for pk, text in access.pending_review(actor).values_list("pk", "question") if fold(text) == wanted]


def curate(*, actor: Any, message_id: int, answer: Any, unit: Unit | None, title: Any = "") -> Knowledge:
    """Turn a question and the answer an administrator wrote into a curated question and answer, which the
    next identical or similar question finds first."""
    with transaction.atomic():
        message = _reviewable(actor, message_id)
        entry = create_knowledge(actor=actor, kind=KnowledgeKind.QA, unit=unit,
                                 title=title or message.question[:TITLE_MAX], question=message.question,
                                 body=answer, note="Biên soạn từ hàng đợi câu hỏi")
        ids = [*_same_question(actor, message.question), message.pk]
        Message.objects.filter(pk__in=ids).update(curated=entry, reviewed_at=timezone.now(), reviewed_by=actor)
        audit.record(actor=actor, action="assistant.curate", obj=message,
                     unit_path=message.unit.path if message.unit else "", knowledge=entry.pk, settled=len(set(ids)))
    return entry


def dismiss(*, actor: Any, message_id: int) -> Message:
    """Set a question aside (a test question, a duplicate, nothing to add)."""
    with transaction.atomic():
        message = _reviewable(actor, message_id)
        message.reviewed_at, message.reviewed_by = timezone.now(), actor
        message.save(update_fields=["reviewed_at", "reviewed_by"])
        audit.record(actor=actor, action="assistant.dismiss", obj=message,
                     unit_path=message.unit.path if message.unit else "")
    return message
