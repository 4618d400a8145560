"""People's feedback, complaints and denunciations: the case, its timeline and its files.

A :class:`Case` belongs to the Front unit that handles it (``unit``; scoping reads ``unit_path``). The
sender's identity is never stored in clear: name, phone, e-mail and address are sealed together in
``identity_sealed`` (``feedback.identity``); for a denunciation only an audited reveal opens it.
Every change of state is a :class:`CaseEvent` written by ``feedback.services`` in the same transaction.
The directory of competent authorities, service levels, templates and the other reference data are in
``feedback.models.directory``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from digitalfront.core.scoping import ScopedQuerySet


class Kind(models.TextChoices):
    """The three kinds of what citizens send, each with its own legal clock (``feedback.clocks``)."""

    FEEDBACK = "feedback", "Góp ý, kiến nghị, phản ánh"
    COMPLAINT = "complaint", "Khiếu nại"
    DENUNCIATION = "denunciation", "Tố cáo"


class Status(models.TextChoices):
    """Where a case stands. ``feedback.states`` holds the allowed transitions."""

    RECEIVED = "received", "Mới tiếp nhận"
    ACCEPTED = "accepted", "Đã thụ lý"
    REFUSED = "refused", "Không thụ lý"
    FORWARDED = "forwarded", "Đã chuyển cơ quan có thẩm quyền"
    IN_PROGRESS = "in_progress", "Đang giải quyết"
    ANSWERED = "answered", "Đã trả lời"
    CLOSED = "closed", "Đã đóng"
    MERGED = "merged", "Đã gộp vào phản ánh trùng"


OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.FORWARDED, Status.IN_PROGRESS)


class Level(models.TextChoices):
    """The level of the Front the citizen sends to."""

    COMMUNE = "commune", "Mặt trận cấp xã"
    PROVINCE = "province", "Mặt trận cấp tỉnh"
    CENTRAL = "central", "Mặt trận Trung ương"


class Urgency(models.TextChoices):
    LOW = "low", "Thấp"
    NORMAL = "normal", "Bình thường"
    HIGH = "high", "Cao"
    URGENT = "urgent", "Khẩn cấp"


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Tiêu cực"
    NEUTRAL = "neutral", "Trung tính"
    POSITIVE = "positive", "Tích cực"


class Complexity(models.TextChoices):
    NORMAL = "normal", "Thông thường"
    COMPLEX = "complex", "Phức tạp"
    VERY_COMPLEX = "very_complex", "Đặc biệt phức tạp"


class Channel(models.TextChoices):
    WEB = "web", "Trang web"
    API = "api", "API"
    OPEN311 = "open311", "Open311"
    STAFF = "staff", "Cán bộ nhập hộ"


class Topic(models.Model):
    """A topic of the configurable taxonomy; listed as an Open311 service (``code`` is service_code)."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=120)
    description = models.CharField("mô tả", max_length=300, blank=True)
    keywords = models.CharField("từ khoá", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def public(self) -> CaseQuerySet:
        """What the public page and Open311 list: published, visible, never a denunciation."""
        return self.filter(published=True, hidden=False).exclude(kind=Kind.DENUNCIATION)


class Case(models.Model):
    """One piece of feedback, complaint or denunciation, from the moment it is received to its closing."""

    code = models.CharField("mã theo dõi", max_length=16, unique=True)
    access_hash = models.CharField(max_length=64, editable=False)
    # the private link's secret, sealed like the identity, so that later notifications can carry the link
    link_sealed = models.TextField(blank=True, editable=False)
    intake_token = models.UUIDField(unique=True, editable=False)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices, default=Kind.FEEDBACK)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField("kênh", max_length=10, choices=Channel.choices, default=Channel.WEB)
    title = models.CharField("tiêu đề", max_length=200)
    content = models.TextField("nội dung")
    # where: the commune the matter is about, and the Front unit that handles it now
    level = models.CharField("gửi tới cấp", max_length=10, choices=Level.choices, default=Level.COMMUNE)
    province = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    # indexed by feedback_commune_open, whose first column it is
    commune = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="xã",
        db_index=False,
    )
    address = models.CharField("địa điểm cụ thể", max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="feedback_cases", verbose_name="đơn vị xử lý"
    )
    unit_path = models.CharField(max_length=64, editable=False)
    escalated = models.BooleanField("đã báo cấp trên", default=False)
    # who: an account (for the citizen's history), or nobody; the details are sealed
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_cases",
        db_index=False,
    )
    anonymous = models.BooleanField("ẩn danh", default=False)
    identity_sealed = models.TextField(blank=True, editable=False)
    # never looked up: bans are kept by key in their own table (not indexed, one index less per insert)
    contact_hash = models.CharField(max_length=64, blank=True, editable=False)
    device_hash = models.CharField(max_length=64, blank=True, editable=False)
    wants_email = models.BooleanField(default=False)
    wants_sms = models.BooleanField(default=False)
    # classification: what the AI suggested and what staff confirmed
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.PROTECT, verbose_name="lĩnh vực", db_index=False
    )
    urgency = models.CharField("mức độ khẩn", max_length=8, choices=Urgency.choices, blank=True)
    sentiment = models.CharField("sắc thái", max_length=10, choices=Sentiment.choices, blank=True)
    suggestion = models.JSONField("gợi ý phân loại", default=dict, blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    classified_at = models.DateTimeField(null=True, blank=True)
    # when the worker took the new case up (suggestion, duplicate, the sender's acknowledgement): empty
    # until then, so that the follow-up finds the cases waiting for it (feedback.tasks.process_new_cases)
    followed_up_at = models.DateTimeField(null=True, blank=True, editable=False)
    # clocks (feedback.clocks)
    complexity = models.CharField("tính chất", max_length=14, choices=Complexity.choices, default=Complexity.NORMAL)
    remote_area = models.BooleanField("vùng sâu, vùng xa", default=False)
    accept_due_at = models.DateTimeField("hạn thụ lý", null=True, blank=True)
    resolve_due_at = models.DateTimeField("hạn giải quyết", null=True, blank=True)
    due_at = models.DateTimeField("hạn hiện tại", null=True, blank=True, db_index=True)
    extensions = models.PositiveSmallIntegerField("số lần gia hạn", default=0)
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_at = models.DateTimeField(null=True, blank=True, editable=False)
    # a timestamp per state
    received_at = models.DateTimeField("tiếp nhận lúc", db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    in_progress_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    merged_at = models.DateTimeField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    answered_on_time = models.BooleanField(null=True, blank=True)
    # the answer, duplicates, satisfaction
    answer = models.TextField("nội dung trả lời", blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases", db_index=False
    )
    supporters = models.PositiveIntegerField("số người cùng phản ánh", default=1)
    duplicate_candidate = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    duplicate_score = models.FloatField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField("mức hài lòng", null=True, blank=True)
    satisfaction_comment = models.CharField(max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # publication (consent, redaction) and abuse
    consent_publish = models.BooleanField("đồng ý công khai", default=False)
    show_name = models.BooleanField("hiện tên khi công khai", default=False)
    published = models.BooleanField("đã công khai", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    public_title = models.CharField("tiêu đề công khai", max_length=200, blank=True)
    public_content = models.TextField("nội dung công khai (đã che thông tin riêng)", blank=True)
    public_name = models.CharField(max_length=120, blank=True)
    # folded (no diacritics, lower case) title, content and answer of the published text: public search
    public_folded = models.TextField(blank=True, editable=False)
    hidden = models.BooleanField("đang ẩn", default=False)
    hidden_reason = models.CharField(max_length=20, blank=True)
    abuse_reports = models.PositiveSmallIntegerField(default=0)
    from_banned_sender = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        indexes = [
            models.Index(fields=["unit_path", "status", "due_at"], name="feedback_inbox"),
            models.Index(fields=["commune", "status", "received_at"], name="feedback_commune_open"),
            models.Index(fields=["published", "answered_at"], name="feedback_public", condition=Q(published=True)),
            models.Index(fields=["id"], name="feedback_follow_up", condition=Q(followed_up_at__isnull=True)),
            # references that most cases do not have (no account, not yet classified, not merged): indexed
            # only where present, so that an insert does not add an entry for a NULL to each of them; a
            # lookup by value (``citizen=user``, a deleted account's SET_NULL) implies NOT NULL and uses them
            *(
                models.Index(fields=[field], name=name, condition=Q(**{f"{field}__isnull": False}))
                for field, name in (
                    ("citizen", "feedback_case_citizen"),
                    ("topic", "feedback_case_topic"),
                    ("classified_by", "feedback_case_classified_by"),
                    ("merged_into", "feedback_case_merged_into"),
                    ("duplicate_candidate", "feedback_case_dup_candidate"),
                )
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="denunciation", anonymous=True), name="feedback_no_anonymous_denunciation"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="feedback_satisfaction_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One entry of a case's timeline: a change of state, a transfer, a forwarding, a note.

    ``public_note`` is what the citizen sees on the tracking page; ``note`` stays with staff.
    """

    # indexed with ``at`` (feedback_event_timeline): a timeline is read by case in time order
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    at = models.DateTimeField()
    action = models.CharField(max_length=32)
    # most entries of a citizen's case have no actor (the intake, the scheduler): indexed only where present
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    public_note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="feedback_event_timeline"),
            models.Index(fields=["actor"], name="feedback_event_actor", condition=Q(actor__isnull=False)),
        ]
        verbose_name = "diễn biến"
        verbose_name_plural = "diễn biến"

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"feedback/{instance.case.received_at:%Y/%m}/{filename}"


class Attachment(models.Model):
    """A photo or PDF, checked by content and re-encoded (``feedback.attachments``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.original_name
