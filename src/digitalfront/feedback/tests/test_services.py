"""The feedback services: intake rules, clocks, the state machine, extensions, merges, citizens' actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from digitalfront.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.models import AuditEvent, Holiday
from digitalfront.feedback import access
from digitalfront.feedback.identity import unseal
from digitalfront.feedback.models import Case, Kind, Status
from digitalfront.feedback.services import citizen, handling, intake, review

from .conftest import received_on, submission

pytestmark = pytest.mark.django_db


def test_a_submission_is_stored_with_a_code_a_private_link_and_a_sealed_identity(fw):
    receipt = intake.submit(submission(fw))
    case = Case.objects.get(pk=receipt.case.pk)
    assert case.code.startswith("PA-") and len(case.code) == 12
    assert case.unit == fw.c11 and case.unit_path == fw.c11.path and case.status == Status.RECEIVED
    assert access.case_by_link(case.code, receipt.token) == case
    wrong = receipt.token[:-1] + ("x" if receipt.token[-1] != "x" else "y")
    with pytest.raises(NotFound):  # the same answer as for a missing case
        access.case_by_link(case.code, wrong)
    # the identity is only in the sealed column: not in any column in clear
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_case WHERE id = %s", [case.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "Trần Thị Bình" not in row and "0912345678" not in row and "binh@example.vn" not in row
    assert unseal(case.identity_sealed).name == "Trần Thị Bình"
    assert unseal(case.identity_sealed).phone == "0912345678"
    assert case.events.get().action == "received"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"content": "ngắn"}, "content"),
        ({"content": "x" * 10_001}, "content"),
        ({"content": "Nội dung có ký tự lạ \ufffd do sai mã hoá ký tự"}, "content"),
        ({"province": 999_999}, "province"),
        ({"commune": None}, "commune"),
        ({"province": "15"}, "commune"),  # Ba Đình is not in Lào Cai
        ({"kind": "tin-don"}, "kind"),
        ({"phone": "12"}, "phone"),
        ({"latitude": "91"}, "latitude"),
        ({"kind": "denunciation", "name": ""}, "name"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_written(fw, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        intake.submit(submission(fw, **overrides))
    assert error.value.field == field
    assert any(ch in error.value.message for ch in "ăâđêôơưàảãáạ")  # a Vietnamese sentence
    assert not Case.objects.exists()


def test_anonymous_denunciation_is_received_as_feedback(fw):
    receipt = intake.submit(submission(fw, kind="denunciation", anonymous=True))
    case = receipt.case
    assert case.kind == Kind.FEEDBACK and case.anonymous and case.identity_sealed == ""
    assert "tiếp nhận như phản ánh" in case.events.get().note


def test_province_and_central_levels_route_to_their_front(fw):
    to_province = intake.submit(submission(fw, level="province", commune=None)).case
    to_central = intake.submit(submission(fw, level="central")).case
    assert to_province.unit == fw.p1 and to_central.unit == fw.central


def test_clocks_count_working_days_and_skip_the_holiday_calendar(fw):
    # Friday 13 February 2026; Tết holidays 16-20 February are in the seeded calendar
    assert Holiday.objects.filter(date=dt.date(2026, 2, 17)).exists()
    with time_machine.travel(received_on(dt.date(2026, 2, 13)), tick=False):
        complaint = intake.submit(submission(fw, kind="complaint")).case
        feedback = intake.submit(submission(fw)).case
    # complaint: 10 working days -> 6 March; feedback: the default 3 -> 25 February
    assert timezone.localtime(complaint.accept_due_at).date() == dt.date(2026, 3, 6)
    assert timezone.localtime(feedback.accept_due_at).date() == dt.date(2026, 2, 25)


def test_state_machine_with_a_timestamp_per_state(fw):
    case = intake.submit(submission(fw)).case
    actor = fw.user("here")
    with pytest.raises(InvalidState):
        handling.answer(actor=actor, case=case, text="Trả lời trước khi thụ lý")
    handling.accept(actor=actor, case=case)
    forwarding = handling.forward(actor=actor, case=case, authority=fw.authority, note="Đề nghị xử lý")
    handling.record_authority_answer(actor=fw.user("authority"), forwarding=forwarding, answer="Đã thu gom rác.")
    handling.answer(actor=actor, case=case, text="UBND phường đã thu gom rác ngày 20/11.")
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.answered_on_time is True
    assert case.received_at <= case.accepted_at <= case.forwarded_at <= case.answered_at
    assert list(case.events.values_list("action", flat=True)) == [
        "received",
        "accept",
        "forward",
        "authority_answer",
        "answer",
    ]
    assert AuditEvent.objects.filter(action="feedback.answer", object_id=str(case.pk)).exists()
    with pytest.raises(InvalidState):
        handling.accept(actor=actor, case=case)


def test_refusal_needs_a_reason(fw):
    case = intake.submit(submission(fw)).case
    with pytest.raises(ValidationFailed):
        handling.refuse(actor=fw.user("here"), case=case, reason="  ")
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_denunciation_extensions_are_limited_as_the_law_limits_them(fw):
    case = intake.submit(submission(fw, kind="denunciation")).case
    actor = fw.user("here")
    handling.accept(actor=actor, case=case)
    case.refresh_from_db()
    first_due = case.due_at
    ext = handling.extend(actor=actor, case=case, complexity="complex", decision_number="12/QĐ", reason="Phức tạp")
    assert ext.days == 30 and ext.new_due_at > first_due
    with pytest.raises(InvalidState, match="một lần"):
        handling.extend(actor=actor, case=case, complexity="complex", decision_number="13/QĐ", reason="Lần hai")
    handling.extend(actor=actor, case=case, complexity="very_complex", decision_number="14/QĐ", reason="Rất phức tạp")
    with pytest.raises(InvalidState, match="hai lần"):
        handling.extend(actor=actor, case=case, complexity="very_complex", decision_number="15/QĐ", reason="Ba")
    case.refresh_from_db()
    assert case.extensions == 2 and case.extension_decisions.count() == 2


def test_feedback_cannot_be_extended_and_complaints_only_once(fw):
    actor = fw.user("here")
    feedback = intake.submit(submission(fw)).case
    handling.accept(actor=actor, case=feedback)
    with pytest.raises(InvalidState):
        handling.extend(actor=actor, case=feedback, complexity="complex", decision_number="1", reason="x")
    complaint = intake.submit(submission(fw, kind="complaint")).case
    handling.accept(actor=actor, case=complaint)
    handling.extend(actor=actor, case=complaint, complexity="complex", decision_number="2/QĐ", reason="Phức tạp")
    with pytest.raises(InvalidState):
        handling.extend(actor=actor, case=complaint, complexity="very_complex", decision_number="3", reason="y")


def test_transfer_and_escalation_move_the_case_and_keep_its_clock(fw):
    case = intake.submit(submission(fw)).case
    due = case.due_at
    handling.transfer(actor=fw.user("here"), case=case, unit=fw.c12, reason="Địa bàn của xã Đường Lâm")
    case.refresh_from_db()
    assert case.unit == fw.c12 and case.due_at == due
    with pytest.raises(ValidationFailed):
        handling.transfer(actor=fw.user("here"), case=case, unit=fw.v111, reason="Thôn không có Mặt trận xử lý")
    handling.escalate(actor=fw.user("province_handler"), case=case, reason="Vượt thẩm quyền cấp xã")
    case.refresh_from_db()
    assert case.unit == fw.p1 and case.escalated
    # Ba Đình staff no longer see it; Hà Nội staff do
    assert not Case.objects.for_user(fw.user("here")).filter(pk=case.pk).exists()
    assert Case.objects.for_user(fw.user("province_handler")).filter(pk=case.pk).exists()


def test_merge_counts_the_people_who_raised_it(fw):
    first = intake.submit(submission(fw)).case
    second = intake.submit(submission(fw)).case
    third = intake.submit(submission(fw)).case
    handling.merge(actor=fw.user("here"), case=second, into=first)
    handling.merge(actor=fw.user("here"), case=third, into=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.supporters == 3 and second.status == Status.MERGED and second.merged_into == first
    with pytest.raises(InvalidState):
        handling.merge(actor=fw.user("here"), case=first, into=second)


def _answered(fw):
    case = intake.submit(submission(fw, consent_publish=True, show_name=True)).case
    handling.accept(actor=fw.user("here"), case=case)
    return handling.answer(actor=fw.user("here"), case=case, text="Đã xử lý xong.")


def test_reopen_once_within_the_window(fw):
    case = _answered(fw)
    with pytest.raises(ValidationFailed):
        citizen.reopen(case=case, reason="ngắn")
    citizen.reopen(case=case, reason="Rác vẫn chưa được thu gom hết.")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1 and case.due_at > timezone.now()
    handling.answer(actor=fw.user("here"), case=case, text="Đã thu gom lần hai.")
    with pytest.raises(InvalidState, match="một lần"):
        citizen.reopen(case=case, reason="Vẫn chưa hài lòng với kết quả.")


def test_reopen_refused_after_the_window(fw):
    case = _answered(fw)
    with time_machine.travel(timezone.now() + dt.timedelta(days=31), tick=False), pytest.raises(InvalidState):
        citizen.reopen(case=case, reason="Rác vẫn chưa được thu gom hết.")


def test_rating_once_after_the_answer(fw):
    case = intake.submit(submission(fw)).case
    with pytest.raises(InvalidState):
        citizen.rate(case=case, score=5)
    case = _answered(fw)
    with pytest.raises(ValidationFailed):
        citizen.rate(case=case, score=9)
    citizen.rate(case=case, score=4, comment="Khá nhanh")
    with pytest.raises(InvalidState):
        citizen.rate(case=case, score=5)
    case.refresh_from_db()
    assert case.satisfaction == 4


def test_publication_needs_consent_an_answer_and_shows_the_name_only_if_chosen(fw):
    case = _answered(fw)
    review.publish(actor=fw.user("here"), case=case, title="Rác ở ngõ 12", content="Rác ùn ứ ở một ngõ.")
    case.refresh_from_db()
    assert case.published and case.public_name == "Trần Thị Bình"
    assert Case.objects.public().filter(pk=case.pk).exists()
    no_consent = intake.submit(submission(fw)).case
    handling.accept(actor=fw.user("here"), case=no_consent)
    handling.answer(actor=fw.user("here"), case=no_consent, text="Đã xử lý.")
    with pytest.raises(InvalidState, match="không đồng ý"):
        review.publish(actor=fw.user("here"), case=no_consent, title="a", content="b")


def test_three_distinct_abuse_reports_hide_a_case_pending_review(fw):
    case = _answered(fw)
    review.publish(actor=fw.user("here"), case=case, title="Rác", content="Rác ùn ứ.")
    assert citizen.report_abuse(case=case, reporter_hash="a")
    assert not citizen.report_abuse(case=case, reporter_hash="a")  # the same reporter counts once
    citizen.report_abuse(case=case, reporter_hash="b")
    case.refresh_from_db()
    assert not case.hidden
    citizen.report_abuse(case=case, reporter_hash="c")
    case.refresh_from_db()
    assert case.hidden and case.hidden_reason == "abuse"
    assert not Case.objects.public().filter(pk=case.pk).exists()
    review.review_abuse(actor=fw.user("here"), case=case, keep_hidden=False)
    assert Case.objects.public().filter(pk=case.pk).exists()


def test_banned_senders_are_kept_hidden_and_never_forwarded(fw):
    first = intake.submit(submission(fw)).case
    review.ban_sender(actor=fw.user("here"), case=first, reason="Gửi tin rác liên tục")
    later = intake.submit(submission(fw, content="Lại một tin nhắn rác nữa từ cùng số điện thoại")).case
    assert later.hidden and later.from_banned_sender and Case.objects.filter(pk=later.pk).exists()
    handling.accept(actor=fw.user("here"), case=later)
    with pytest.raises(InvalidState, match="chặn"):
        handling.forward(actor=fw.user("here"), case=later, authority=fw.authority)


def test_revealing_a_denouncer_needs_the_named_role_and_a_reason_and_is_audited(fw):
    case = intake.submit(submission(fw, kind="denunciation", name="Lê Văn Tố")).case
    with pytest.raises(PermissionDenied):
        review.reveal_identity(actor=fw.user("admin"), case=case, reason="Cần xác minh nội dung tố cáo")
    with pytest.raises(PermissionDenied):
        review.reveal_identity(actor=fw.user("province_handler"), case=case, reason="Cần xác minh nội dung")
    with pytest.raises(ValidationFailed):
        review.reveal_identity(actor=fw.user("identity_officer"), case=case, reason="xem")
    identity = review.reveal_identity(
        actor=fw.user("identity_officer"), case=case, reason="Cần liên hệ người tố cáo để bổ sung chứng cứ"
    )
    assert identity.name == "Lê Văn Tố"
    event = AuditEvent.objects.get(action="feedback.reveal_identity")
    assert event.actor == fw.user("identity_officer") and "bổ sung chứng cứ" in event.data["reason"]
    assert "Lê Văn Tố" not in str(event.data)


def test_classification_keeps_corrections_as_training_labels(fw):
    from digitalfront.feedback.models import Topic, TrainingLabel

    case = intake.submit(submission(fw)).case
    case.suggestion = {"topic": {"label": "ha-tang", "confidence": 0.5}}
    case.save(update_fields=["suggestion"])
    review.classify(
        actor=fw.user("here"),
        case=case,
        topic=Topic.objects.get(code="moi-truong"),
        urgency="high",
        sentiment="negative",
    )
    label = TrainingLabel.objects.get(case=case, field="topic")
    assert label.value == "moi-truong" and label.suggested == "ha-tang" and "Rác thải" in label.text
    with pytest.raises(ValidationFailed):
        review.classify(actor=fw.user("here"), case=case, topic=None, urgency="high", sentiment="negative")
