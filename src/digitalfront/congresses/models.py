"""Front congresses: one per unit (province or commune) and term, with its dates, delegates and the
results of its personnel work, and the news of it.

A :class:`Congress` moves through ``planned`` → ``preparing`` → ``held`` → ``reported`` (results entered
by the unit's own staff) → ``confirmed`` (by the level above). The composition of the committee elected is
kept as counts (women, under 35, ethnic minorities, ...), each at most the committee's size; the services
check it (``services.congresses``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from digitalfront.core.scoping import ScopedQuerySet


class Term(models.Model):
    """A term of the Front's committees, e.g. 2024–2029: every congress of that round belongs to it."""

    name = models.CharField("nhiệm kỳ", max_length=40, unique=True)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = "nhiệm kỳ"
        verbose_name_plural = "nhiệm kỳ"
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")),
                                              name="congress_term_ends_after_start")]

    def __str__(self) -> str:
        return f"Nhiệm kỳ {self.name}"


class Status(models.TextChoices):
    PLANNED = "planned", "Dự kiến"
    PREPARING = "preparing", "Đang chuẩn bị"
    HELD = "held", "Đã tổ chức"
    REPORTED = "reported", "Đã báo cáo kết quả"
    CONFIRMED = "confirmed", "Cấp trên đã xác nhận"


STATUS_ORDER = [Status.PLANNED, Status.PREPARING, Status.HELD, Status.REPORTED, Status.CONFIRMED]

# the composition of the committee elected: (field, label)
COMPOSITION = [
    ("women", "Nữ"),
    ("under_35", "Dưới 35 tuổi"),
    ("ethnic_minority", "Dân tộc thiểu số"),
    ("religious", "Tôn giáo"),
    ("non_party", "Ngoài Đảng"),
    ("re_elected", "Tái cử"),
    ("new_members", "Tham gia lần đầu"),
]


class CongressQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Congress(models.Model):
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="congresses", verbose_name="nhiệm kỳ")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="congresses", verbose_name="đơn vị")
    level = models.CharField("cấp", max_length=16, db_index=True)  # the unit's level, for the dashboard's counts
    status = models.CharField("tình trạng", max_length=10, choices=Status.choices, default=Status.PLANNED)
    planned_on = models.DateField("ngày dự kiến", null=True, blank=True)
    held_on = models.DateField("ngày tổ chức", null=True, blank=True)
    venue = models.CharField("địa điểm", max_length=300, blank=True)
    delegates_summoned = models.PositiveIntegerField("đại biểu được triệu tập", null=True, blank=True)
    delegates_attending = models.PositiveIntegerField("đại biểu có mặt", null=True, blank=True)
    # the results of the personnel work
    committee_size = models.PositiveIntegerField("số ủy viên Ủy ban", null=True, blank=True)
    standing_size = models.PositiveIntegerField("số ủy viên Ban Thường trực", null=True, blank=True)
    chair = models.CharField("chủ tịch", max_length=150, blank=True)
    vice_chairs = models.JSONField("phó chủ tịch", default=list, blank=True)
    standing_members = models.JSONField("ủy viên Ban Thường trực khác", default=list, blank=True)
    women = models.PositiveIntegerField("nữ", null=True, blank=True)
    under_35 = models.PositiveIntegerField("dưới 35 tuổi", null=True, blank=True)
    ethnic_minority = models.PositiveIntegerField("dân tộc thiểu số", null=True, blank=True)
    religious = models.PositiveIntegerField("tôn giáo", null=True, blank=True)
    non_party = models.PositiveIntegerField("ngoài Đảng", null=True, blank=True)
    re_elected = models.PositiveIntegerField("tái cử", null=True, blank=True)
    new_members = models.PositiveIntegerField("tham gia lần đầu", null=True, blank=True)
    delegates_to_above = models.PositiveIntegerField("đại biểu dự đại hội cấp trên", null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CongressQuerySet.as_manager()

    class Meta:
        ordering = ["term", "unit__path"]
        verbose_name = "đại hội"
        verbose_name_plural = "đại hội"
        constraints = [models.UniqueConstraint(fields=["term", "unit"], name="congress_one_per_unit_and_term")]
        indexes = [models.Index(fields=["term", "level", "status"]), models.Index(fields=["term", "planned_on"])]

    def __str__(self) -> str:
        return f"Đại hội {self.unit} – {self.term}"


class NewsItem(models.Model):
    """News of a congress, with an optional photo (re-encoded, metadata dropped)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="news")
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    photo = models.ImageField("ảnh", upload_to="congresses/%Y/%m/", blank=True)
    published = models.BooleanField("công khai", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "tin đại hội"
        verbose_name_plural = "tin đại hội"

    def __str__(self) -> str:
        return self.title
