"""Reference data and side records of the feedback module: competent authorities and forwardings,
extensions, service levels, answer templates, abuse reports and bans, Open311 API keys, training labels
and staff alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from digitalfront.core.scoping import ScopedQuerySet

from .case import Case


class AuthorityKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", "Ủy ban nhân dân"
    POLICE = "police", "Công an"
    DEPARTMENT = "department", "Sở, ban, ngành, phòng chuyên môn"
    JUDICIAL = "judicial", "Tòa án, Viện kiểm sát"
    INSPECTORATE = "inspectorate", "Thanh tra"
    OTHER = "other", "Cơ quan khác"


class AuthorityQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Authority(models.Model):
    """A competent authority in a unit's directory, to which that unit forwards cases.

    Accounts in ``accounts`` (``kind=authority``) answer the cases forwarded to it, and see nothing else.
    """

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="authorities", verbose_name="thuộc danh bạ của"
    )
    name = models.CharField("tên cơ quan", max_length=200)
    kind = models.CharField("loại", max_length=20, choices=AuthorityKind.choices)
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    active = models.BooleanField("đang dùng", default=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authorities", verbose_name="tài khoản trả lời"
    )

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = "cơ quan có thẩm quyền"
        verbose_name_plural = "danh bạ cơ quan có thẩm quyền"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="feedback_authority_unique_name")]

    def __str__(self) -> str:
        return self.name


class Forwarding(models.Model):
    """A case sent to a competent authority, and the authority's answer when it comes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="forwardings")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="forwardings")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("nội dung chuyển", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField("trả lời của cơ quan", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = "chuyển cơ quan có thẩm quyền"
        verbose_name_plural = "chuyển cơ quan có thẩm quyền"

    def __str__(self) -> str:
        return f"{self.case_id} → {self.authority_id}"


class Extension(models.Model):
    """A recorded decision to extend a case's deadline (limited as the law limits them: ``feedback.clocks``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_decisions")
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision_number = models.CharField("số quyết định", max_length=60)
    reason = models.TextField("lý do")
    complexity = models.CharField(max_length=14)
    days = models.PositiveSmallIntegerField("số ngày làm việc gia hạn")
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = "quyết định gia hạn"
        verbose_name_plural = "quyết định gia hạn"

    def __str__(self) -> str:
        return self.decision_number


class ServiceLevel(models.Model):
    """The Front's own clock for feedback at a unit (and, unless overridden, its subtree)."""

    unit = models.OneToOneField("orgs.Unit", on_delete=models.CASCADE, related_name="feedback_service_level")
    accept_days = models.PositiveSmallIntegerField("hạn tiếp nhận, phân loại (ngày làm việc)", default=3)
    answer_days = models.PositiveSmallIntegerField("hạn trả lời (ngày làm việc)", default=15)

    class Meta:
        verbose_name = "thời hạn xử lý góp ý, phản ánh"
        verbose_name_plural = "thời hạn xử lý góp ý, phản ánh"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.accept_days}/{self.answer_days}"


class AnswerTemplate(models.Model):
    """A reusable answer text; ``unit`` empty means every unit may use it."""

    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField("tên mẫu", max_length=120)
    body = models.TextField("nội dung")

    class Meta:
        ordering = ["title"]
        verbose_name = "mẫu trả lời"
        verbose_name_plural = "mẫu trả lời"

    def __str__(self) -> str:
        return self.title


class AbuseReport(models.Model):
    """ "Report abuse" on a public case; one per reporter (a hashed account, device or address)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="abuse_report_rows")
    reporter_hash = models.CharField(max_length=64)
    reason = models.CharField("lý do", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "reporter_hash"], name="feedback_abuse_once")]
        verbose_name = "báo cáo vi phạm"
        verbose_name_plural = "báo cáo vi phạm"

    def __str__(self) -> str:
        return f"{self.case_id} #{self.pk}"


class SenderBan(models.Model):
    """A banned sender: their new cases are kept but hidden and never forwarded."""

    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField("mô tả", max_length=120)
    reason = models.CharField("lý do", max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "người gửi bị chặn"
        verbose_name_plural = "người gửi bị chặn"

    def __str__(self) -> str:
        return self.label


class ApiKey(models.Model):
    """A key that lets an outside Open311 client POST requests. Only its hash is kept."""

    name = models.CharField("tên ứng dụng", max_length=120)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField("đang dùng", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "khoá API Open311"
        verbose_name_plural = "khoá API Open311"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TrainingLabel(models.Model):
    """A label confirmed or corrected by staff: what `digitalfront feedback retrain` learns from."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    field = models.CharField(max_length=12)  # topic | urgency | sentiment
    text = models.TextField()
    value = models.CharField(max_length=40)
    suggested = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["field", "created_at"], name="feedback_label_field")]
        verbose_name = "nhãn huấn luyện"
        verbose_name_plural = "nhãn huấn luyện"

    def __str__(self) -> str:
        return f"{self.field}={self.value}"


class AlertKind(models.TextChoices):
    DUE_SOON = "due_soon", "Sắp đến hạn"
    OVERDUE = "overdue", "Quá hạn"
    ESCALATED = "escalated", "Quá hạn, báo cấp trên"
    ABUSE = "abuse", "Bị báo cáo vi phạm"


class AlertQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Alert(models.Model):
    """A warning shown in a unit's inbox (and sent to its staff)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=AlertKind.choices)
    created_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "unit", "due_at"], name="feedback_alert_once")]
        verbose_name = "cảnh báo"
        verbose_name_plural = "cảnh báo"

    def __str__(self) -> str:
        return f"{self.kind} {self.case_id}"
