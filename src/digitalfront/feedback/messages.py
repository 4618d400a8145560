"""What the citizen is told, by e-mail and SMS, when their case moves (Vietnamese, short for SMS)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .identity import unseal_text
from .models import Case

SUBJECTS = {
    "received": "Đã tiếp nhận phản ánh {code}",
    "accepted": "Phản ánh {code} đã được thụ lý",
    "refused": "Phản ánh {code} không được thụ lý",
    "forwarded": "Phản ánh {code} đã được chuyển cơ quan có thẩm quyền",
    "transferred": "Phản ánh {code} đã được chuyển đơn vị xử lý",
    "extended": "Phản ánh {code} được gia hạn giải quyết",
    "answered": "Phản ánh {code} đã có trả lời",
}


def tracking_url(case: Case) -> str:
    """The private tracking link (absolute when ``DIGITALFRONT_PUBLIC_URL`` is set)."""
    token = unseal_text(case.link_sealed)
    path = reverse("feedback:track", args=[case.code]) + (f"?k={token}" if token else "")
    return getattr(settings, "DIGITALFRONT_PUBLIC_URL", "").rstrip("/") + path


def compose(case: Case, event: str) -> tuple[str, str]:
    """Subject and body for ``event``; never the sender's identity, never staff notes."""
    subject = SUBJECTS.get(event, "Cập nhật phản ánh {code}").format(code=case.code)
    lines = [subject + "."]
    if event == "received" and case.due_at:
        lines.append(f"Hạn thụ lý: {timezone.localtime(case.due_at):%d/%m/%Y}.")
    if event == "accepted" and case.due_at:
        lines.append(f"Hạn giải quyết: {timezone.localtime(case.due_at):%d/%m/%Y}.")
    if event == "extended" and case.due_at:
        lines.append(f"Hạn mới: {timezone.localtime(case.due_at):%d/%m/%Y}.")
    if event == "transferred":
        lines.append(f"Đơn vị xử lý: {case.unit.name}.")
    if event == "refused":
        last = case.events.filter(action="refuse").order_by("-at").first()
        if last is not None and last.note:
            lines.append(f"Lý do: {last.note[:300]}")
    lines.append(f"Theo dõi: {tracking_url(case)}")
    return subject, "\n".join(lines)
