"""The citizen is told, by e-mail and SMS through the worker, when the case is received, accepted or
refused, forwarded, transferred, extended and answered; nothing is sent if the transaction rolls back."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from digitalfront.core import notifications
from digitalfront.feedback.services import handling, intake

from .conftest import submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """The worker's tasks run as they are enqueued (after the commit), so the messages are in the outboxes."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default", "ai", "notifications"]}}


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_each_step_reaches_the_citizen_by_email_and_sms(fw, outboxes, django_capture_on_commit_callbacks):
    staff = fw.user("here")
    with django_capture_on_commit_callbacks(execute=True):
        case = intake.submit(submission(fw, kind="complaint")).case
    with django_capture_on_commit_callbacks(execute=True):
        handling.accept(actor=staff, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        handling.forward(actor=staff, case=case, authority=fw.authority)
    with django_capture_on_commit_callbacks(execute=True):
        handling.extend(actor=staff, case=case, complexity="complex", decision_number="7/QĐ", reason="Phức tạp")
    with django_capture_on_commit_callbacks(execute=True):
        handling.transfer(actor=fw.user("province_handler"), case=case, unit=fw.p1, reason="Cấp tỉnh giải quyết")
    with django_capture_on_commit_callbacks(execute=True):
        handling.answer(actor=fw.user("province_handler"), case=case, text="Đã giải quyết khiếu nại.")
    code = case.code
    assert subjects() == [
        f"Đã tiếp nhận phản ánh {code}", f"Phản ánh {code} đã được thụ lý",
        f"Phản ánh {code} đã được chuyển cơ quan có thẩm quyền", f"Phản ánh {code} được gia hạn giải quyết",
        f"Phản ánh {code} đã được chuyển đơn vị xử lý", f"Phản ánh {code} đã có trả lời",
    ]
    assert [sms.to for sms in notifications.outbox] == ["0912345678"] * 6
    assert all(f"/phan-anh/theo-doi/{code}/?k=" in m.body for m in mail.outbox)
    assert "Hạn mới:" in mail.outbox[3].body and "Thành phố Hà Nội" in mail.outbox[4].body
    assert mail.outbox[0].to == ["binh@example.vn"]


def test_a_refusal_carries_its_reason(fw, outboxes, django_capture_on_commit_callbacks):
    case = intake.submit(submission(fw, phone="")).case
    with django_capture_on_commit_callbacks(execute=True):
        handling.refuse(actor=fw.user("here"), case=case, reason="Nội dung không thuộc thẩm quyền của Mặt trận.")
    assert subjects() == [f"Phản ánh {case.code} không được thụ lý"]
    assert "không thuộc thẩm quyền" in mail.outbox[0].body
    assert notifications.outbox == []  # no phone number, no SMS


def test_nothing_is_sent_when_the_change_rolls_back(fw, outboxes, django_capture_on_commit_callbacks):
    case = intake.submit(submission(fw)).case
    def accept_then_fail() -> None:
        with transaction.atomic():
            handling.accept(actor=fw.user("here"), case=case)
            raise RuntimeError("something failed after the acceptance")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        accept_then_fail()
    assert mail.outbox == [] and notifications.outbox == []


def test_anonymous_senders_get_nothing(fw, outboxes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = intake.submit(submission(fw, anonymous=True)).case
    with django_capture_on_commit_callbacks(execute=True):
        handling.accept(actor=fw.user("here"), case=case)
    assert mail.outbox == [] and notifications.outbox == []
