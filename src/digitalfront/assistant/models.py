"""The virtual assistant: the Front's own knowledge, and the conversations held with staff.

:class:`Knowledge` is what staff add beside the library: guidance documents (``guidance``) and curated
questions with their answers (``qa``). An entry belongs to a unit (``None``: national, for every
staff member) and is read by the staff of that unit's subtree and of the units above it; every change
is kept as a :class:`KnowledgeVersion` with who made it. :class:`Conversation` and :class:`Message`
keep what each user asked and what they were answered, with the cited sources and the rating.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from digitalfront.core.scoping import ScopedQuerySet


class KnowledgeKind(models.TextChoices):
    GUIDANCE = "guidance", "Hướng dẫn nghiệp vụ"
    QA = "qa", "Hỏi đáp nghiệp vụ"


class KnowledgeQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"

    def active(self) -> KnowledgeQuerySet:
        return self.filter(active=True)


class Knowledge(models.Model):
    """A guidance document or a curated question and answer, as it is now (history in versions)."""

    kind = models.CharField("loại", max_length=10, choices=KnowledgeKind.choices)
    # null: national knowledge, read by all staff; otherwise the unit whose subtree (and the units above
    # it) read it
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="assistant_knowledge",
        verbose_name="đơn vị",
    )
    title = models.CharField("tiêu đề", max_length=300)
    # for a question and answer: the question, as staff ask it
    question = models.TextField("câu hỏi", blank=True)
    body = models.TextField("nội dung")
    active = models.BooleanField("đang dùng", default=True)
    version = models.PositiveIntegerField("phiên bản", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người thêm",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người sửa gần nhất",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KnowledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "kiến thức nghiệp vụ"
        verbose_name_plural = "kiến thức nghiệp vụ"
        indexes = [models.Index(fields=["active", "kind"])]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_label(self) -> str:
        return self.unit.name if self.unit is not None else "Toàn quốc"


class KnowledgeVersion(models.Model):
    """One state of an entry: its text and who wrote it."""

    knowledge = models.ForeignKey(Knowledge, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    title = models.CharField("tiêu đề", max_length=300)
    question = models.TextField("câu hỏi", blank=True)
    body = models.TextField("nội dung")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người viết",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["knowledge", "-number"]
        constraints = [models.UniqueConstraint(fields=["knowledge", "number"], name="assistant_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} – phiên bản {self.number}"


class Conversation(models.Model):
    """A user's conversation with the assistant."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_conversations")
    title = models.CharField("tiêu đề", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    def __str__(self) -> str:
        return self.title


class Outcome(models.TextChoices):
    PENDING = "pending", "Đang trả lời"
    ANSWERED = "answered", "Đã trả lời"
    ABSTAINED = "abstained", "Chưa tìm thấy căn cứ"
    REFUSED = "refused", "Từ chối"
    FAILED = "failed", "Lỗi"


class Mode(models.TextChoices):
    CURATED = "curated", "Hỏi đáp đã biên soạn"
    EXTRACTIVE = "extractive", "Trích dẫn nguyên văn"
    GENERATIVE = "generative", "Mô hình ngôn ngữ"


class Rating(models.TextChoices):
    HELPFUL = "helpful", "Hữu ích"
    UNHELPFUL = "unhelpful", "Chưa hữu ích"


class Message(models.Model):
    """A question and its answer. The question is saved (committed) before the answer is made: nothing
    a user asked is lost, even when the answer fails."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    # the asker's unit when they asked (the administrators' queue is scoped by it); null for superusers
    # without a unit
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question = models.TextField("câu hỏi")
    answer = models.TextField("trả lời", blank=True)
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    mode = models.CharField("cách trả lời", max_length=10, choices=Mode.choices, blank=True)
    # [{"n", "kind", "id", "label", "title", "url", "text"}]: the sources the answer cites, in order
    citations = models.JSONField(default=list, blank=True)
    # the closest sources shown when the knowledge does not support an answer (or besides the citations)
    sources = models.JSONField(default=list, blank=True)
    # why a generated answer fell back to the extractive one, a dropped citation, ...
    notes = models.JSONField(default=list, blank=True)
    took_ms = models.FloatField(null=True, blank=True)
    rating = models.CharField("đánh giá", max_length=10, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("góp ý", max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # set when an administrator turned the question into curated knowledge, or set it aside
    curated = models.ForeignKey(Knowledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["conversation", "pk"]
        indexes = [models.Index(fields=["outcome", "rating"]), models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def needs_review(self) -> bool:
        return self.reviewed_at is None and (
            self.outcome in (Outcome.ABSTAINED, Outcome.FAILED) or self.rating == Rating.UNHELPFUL)
