"""The staff actions on a case, by name: one dispatcher shared by the case page and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from digitalfront.core.errors import NotFound
from digitalfront.orgs.models import Unit

from . import access, selectors
from .models import Case, Topic
from .services import handling, review


def unit_for_transfer(value: Any) -> Unit:
    unit = Unit.objects.filter(pk=int(value) if str(value).isdigit() else -1, valid_to__isnull=True).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị nhận.")
    return unit


def perform(user: Any, case: Case, action: str, data: Mapping[str, Any]) -> str:
    """Run ``action`` on ``case`` (loaded for ``user`` with ``edit``) with ``data``; returns the success message.

    Pages and the API both come here, so an action means the same everywhere."""
    if action == "accept":
        handling.accept(actor=user, case=case, note=data.get("note", ""))
        return "Đã thụ lý phản ánh."
    if action == "refuse":
        handling.refuse(actor=user, case=case, reason=data.get("reason", ""))
        return "Đã ghi quyết định không thụ lý."
    if action == "start":
        handling.start(actor=user, case=case, note=data.get("note", ""))
        return "Đã chuyển sang đang giải quyết."
    if action == "forward":
        authority = selectors.authorities_for(case).filter(pk=int(data.get("authority") or 0)).first()
        if authority is None:
            raise NotFound("Không tìm thấy cơ quan trong danh bạ.")
        handling.forward(actor=user, case=case, authority=authority, note=data.get("note", ""))
        return f"Đã chuyển tới {authority.name}."
    if action == "authority_answer":
        forwarding = case.forwardings.filter(pk=int(data.get("forwarding") or 0)).first()
        if forwarding is None:
            raise NotFound("Không tìm thấy lần chuyển.")
        handling.record_authority_answer(actor=user, forwarding=forwarding, answer=data.get("answer", ""))
        return "Đã ghi trả lời của cơ quan."
    if action == "answer":
        handling.answer(actor=user, case=case, text=data.get("answer", ""))
        return "Đã trả lời người gửi."
    if action == "close":
        handling.close(actor=user, case=case, note=data.get("note", ""))
        return "Đã đóng phản ánh."
    if action == "note":
        handling.add_note(actor=user, case=case, note=data.get("note", ""))
        return "Đã thêm ghi chú."
    if action == "transfer":
        unit = unit_for_transfer(data.get("unit"))
        handling.transfer(actor=user, case=case, unit=unit, reason=data.get("reason", ""))
        return f"Đã chuyển phản ánh tới {unit.name}."
    if action == "escalate":
        handling.escalate(actor=user, case=case, reason=data.get("reason", ""))
        return "Đã chuyển phản ánh lên cấp trên."
    if action == "extend":
        handling.extend(
            actor=user,
            case=case,
            complexity=data.get("complexity", ""),
            decision_number=data.get("decision_number", ""),
            reason=data.get("reason", ""),
        )
        return "Đã ghi quyết định gia hạn."
    if action == "merge":
        into = access.case_for(user, data.get("into", ""), "edit")
        handling.merge(actor=user, case=case, into=into)
        return f"Đã gộp vào phản ánh {into.code}."
    if action == "classify":
        topic = Topic.objects.filter(code=data.get("topic", "")[:40]).first()
        review.classify(
            actor=user, case=case, topic=topic, urgency=data.get("urgency", ""), sentiment=data.get("sentiment", "")
        )
        return "Đã xác nhận phân loại."
    if action == "publish":
        review.publish(
            actor=user, case=case, title=data.get("public_title", ""), content=data.get("public_content", "")
        )
        return "Đã công khai phản ánh và câu trả lời."
    if action == "unpublish":
        review.unpublish(actor=user, case=case, reason=data.get("reason", ""))
        return "Đã thôi công khai."
    if action == "ban":
        review.ban_sender(actor=user, case=case, reason=data.get("reason", ""))
        return "Đã chặn người gửi: các phản ánh sau của họ sẽ bị ẩn và không được chuyển."
    if action == "review_abuse":
        review.review_abuse(
            actor=user, case=case, keep_hidden=data.get("keep_hidden") == "1", note=data.get("note", "")
        )
        return "Đã xem xét báo cáo vi phạm."
    raise NotFound("Thao tác không tồn tại.")


ACTIONS = frozenset(
    {
        "accept",
        "refuse",
        "start",
        "forward",
        "authority_answer",
        "answer",
        "close",
        "note",
        "transfer",
        "escalate",
        "extend",
        "merge",
        "classify",
        "publish",
        "unpublish",
        "ban",
        "review_abuse",
    }
)
