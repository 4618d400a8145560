"""Staff decisions about a case beyond its state: classification (kept as training labels), publication,
the audited reveal of a denouncer's identity, and bans of abusive senders."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from digitalfront.core import audit
from digitalfront.core.errors import InvalidState, PermissionDenied, ValidationFailed
from digitalfront.core.text import fold

from ..identity import Identity, keyed_hash, unseal
from ..models import AbuseReport, Case, Kind, SenderBan, Sentiment, Status, Topic, TrainingLabel, Urgency
from . import intake
from .common import add_event, lock


@transaction.atomic
def classify(*, actor: Any, case: Case, topic: Topic | None, urgency: str, sentiment: str) -> Case:
    """Confirm or correct the suggested topic, urgency and sentiment.

    Each confirmed value becomes a training label (with what the model had suggested), which
    ``digitalfront feedback retrain`` learns from.
    """
    if urgency not in Urgency.values:
        raise ValidationFailed("Mức độ khẩn không hợp lệ.", field="urgency", code="urgency")
    if sentiment not in Sentiment.values:
        raise ValidationFailed("Sắc thái không hợp lệ.", field="sentiment", code="sentiment")
    if topic is None or not topic.active:
        raise ValidationFailed("Hãy chọn lĩnh vực.", field="topic", code="topic")
    case = lock(case)
    suggestion = case.suggestion or {}
    text = f"{case.title}\n{case.content}"
    labels = []
    for field, value in (("topic", topic.code), ("urgency", urgency), ("sentiment", sentiment)):
        suggested = str((suggestion.get(field) or {}).get("label", ""))
        labels.append(
            TrainingLabel(case=case, field=field, text=text, value=value, suggested=suggested, created_by=actor)
        )
    TrainingLabel.objects.filter(case=case).delete()  # the latest decision is the label
    TrainingLabel.objects.bulk_create(labels)
    case.topic, case.urgency, case.sentiment = topic, urgency, sentiment
    case.classified_by, case.classified_at = actor, timezone.now()
    case.save(update_fields=["topic", "urgency", "sentiment", "classified_by", "classified_at", "updated_at"])
    corrected = [label.field for label in labels if label.suggested and label.suggested != label.value]
    add_event(
        case,
        action="classify",
        actor=actor,
        topic=topic.code,
        urgency=urgency,
        sentiment=sentiment,
        corrected=corrected,
    )
    return case


@transaction.atomic
def publish(*, actor: Any, case: Case, title: str, content: str) -> Case:
    """Put an answered case on the public page, as redacted by staff (``title``, ``content``).

    Only with the citizen's consent, never a denunciation; the name only if the citizen chose so.
    """
    case = lock(case)
    if case.kind == Kind.DENUNCIATION:
        raise InvalidState("Không công khai tố cáo.", code="denunciation")
    if not case.consent_publish:
        raise InvalidState("Người gửi không đồng ý công khai phản ánh này.", code="no_consent")
    if case.status not in (Status.ANSWERED, Status.CLOSED) or not case.answer:
        raise InvalidState("Chỉ công khai phản ánh đã có trả lời.", code="not_answered")
    title, content = (title or "").strip(), (content or "").strip()
    if not title or not content:
        raise ValidationFailed(
            "Hãy nhập tiêu đề và nội dung công khai (đã che thông tin cá nhân).",
            field="public_content",
            code="required",
        )
    if len(title) > 200 or len(content) > 10_000:
        raise ValidationFailed("Tiêu đề hoặc nội dung công khai quá dài.", field="public_content", code="too_long")
    case.public_title, case.public_content = title, content
    case.public_name = unseal(case.identity_sealed).name if case.show_name and not case.anonymous else ""
    case.published, case.published_at = True, timezone.now()
    case.public_folded = fold(f"{title} {content} {case.answer}")
    case.save(
        update_fields=[
            "public_title",
            "public_content",
            "public_name",
            "published",
            "published_at",
            "public_folded",
            "updated_at",
        ]
    )
    add_event(case, action="publish", actor=actor, public_note="Đã công khai trên trang phản ánh đã trả lời.")
    audit.record(actor=actor, action="feedback.publish", obj=case, unit_path=case.unit_path, code=case.code)
    return case


@transaction.atomic
def unpublish(*, actor: Any, case: Case, reason: str = "") -> Case:
    case = lock(case)
    case.published = False
    case.public_name = ""
    case.save(update_fields=["published", "public_name", "updated_at"])
    add_event(case, action="unpublish", actor=actor, note=(reason or "").strip()[:500])
    audit.record(actor=actor, action="feedback.unpublish", obj=case, unit_path=case.unit_path, code=case.code)
    return case


def may_reveal(user: Any, case: Case) -> bool:
    """Whether ``user`` holds the named ``identity`` role over ``case``'s unit (superusers included: the law
    names who may know, so the role is required of everybody)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    from digitalfront.accounts.selectors import role_paths

    return any(role == "identity" and case.unit_path.startswith(path) for role, path in role_paths(user))


@transaction.atomic
def reveal_identity(*, actor: Any, case: Case, reason: str) -> Identity:
    """The sender's identity of a denunciation, for someone with the ``identity`` role and a written reason.

    The reveal is audited (who, when, why: never what was revealed) and noted on the staff timeline.
    """
    if not may_reveal(actor, case):
        raise PermissionDenied("Chỉ cán bộ được giao quyền xem danh tính người tố cáo mới được xem.")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationFailed(
            "Hãy ghi rõ lý do cần xem danh tính (ít nhất 10 ký tự).", field="reason", code="reason_required"
        )
    if len(reason) > 1000:
        raise ValidationFailed("Lý do dài quá 1000 ký tự.", field="reason", code="too_long")
    case = lock(case)
    add_event(case, action="reveal_identity", actor=actor, note=f"Xem danh tính người gửi. Lý do: {reason}")
    audit.record(
        actor=actor,
        action="feedback.reveal_identity",
        obj=case,
        unit_path=case.unit_path,
        code=case.code,
        reason=reason,
    )
    return unseal(case.identity_sealed)


def sender_key(case: Case) -> str:
    """The strongest key that identifies ``case``'s sender for a ban: account, else contact, else device."""
    if case.citizen_id:
        return keyed_hash("account", str(case.citizen_id))
    return case.contact_hash or case.device_hash


@transaction.atomic
def ban_sender(*, actor: Any, case: Case, reason: str) -> SenderBan:
    """Ban the sender of ``case``: their later cases are kept, hidden and never forwarded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Hãy nhập lý do chặn.", field="reason", code="required")
    key = sender_key(case)
    if not key:
        raise InvalidState("Không xác định được người gửi để chặn (ẩn danh, không có thiết bị).", code="no_key")
    ban, _ = SenderBan.objects.update_or_create(
        key_hash=key,
        defaults={
            "label": f"Người gửi phản ánh {case.code}",
            "reason": reason[:300],
            "created_by": actor,
            "active": True,
        },
    )
    # this process's intake reads the bans again: now (this transaction's own later writes) and after the
    # commit (a batch written meanwhile must not keep the list without the ban)
    intake.forget_bans()
    transaction.on_commit(intake.forget_bans)
    case = lock(case)
    case.hidden, case.hidden_reason, case.from_banned_sender = True, "banned", True
    case.save(update_fields=["hidden", "hidden_reason", "from_banned_sender", "updated_at"])
    add_event(case, action="ban_sender", actor=actor, note=reason)
    audit.record(actor=actor, action="feedback.ban_sender", obj=case, unit_path=case.unit_path, code=case.code)
    return ban


@transaction.atomic
def review_abuse(*, actor: Any, case: Case, keep_hidden: bool, note: str = "") -> Case:
    """Staff decide on a case hidden after abuse reports: show it again, or keep it hidden."""
    case = lock(case)
    if case.hidden_reason != "abuse":
        raise InvalidState("Phản ánh này không chờ xem xét vi phạm.", code="not_pending")
    AbuseReport.objects.filter(case=case, reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    if keep_hidden:
        case.hidden_reason = "abuse_confirmed"
    else:
        case.hidden, case.hidden_reason = False, ""
    case.save(update_fields=["hidden", "hidden_reason", "updated_at"])
    add_event(case, action="review_abuse", actor=actor, note=(note or "").strip()[:1000], keep_hidden=keep_hidden)
    audit.record(
        actor=actor,
        action="feedback.review_abuse",
        obj=case,
        unit_path=case.unit_path,
        code=case.code,
        keep_hidden=keep_hidden,
    )
    return case
