"""Models shared by every app: the audit log."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing somebody did: who, what, to which object, with a small JSON of details.

    Written by services in the same transaction as the change, so the log and the data agree.
    Personal data never goes into ``data``.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    unit_path = models.CharField(max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Holiday(models.Model):
    """A day that breaks the Monday-to-Friday rule of the working-day calendar.

    Most rows are public holidays (``is_working_day=False``). Vietnam also moves days: a Saturday can be
    made a working day to pay for a bridge day off; such a row has ``is_working_day=True``. The table is
    seeded from the ``holidays`` package and edited by administrators when the government announces
    the year's Tết schedule. Every legal clock is computed from it (``core.workdays``).
    """

    date = models.DateField("ngày", unique=True)
    name = models.CharField("tên", max_length=200)
    is_working_day = models.BooleanField("là ngày làm việc (làm bù)", default=False)

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày nghỉ, ngày làm bù"
        verbose_name_plural = "lịch ngày nghỉ, ngày làm bù"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class ScheduledJob(models.Model):
    """The persisted state of one periodic job registered in code (``core.scheduler.register``).

    The registry says *what* runs and how often; this row says *when* it last ran and when it is next
    due, so that a scheduler started after a stop (or a second scheduler on another machine) knows what
    was missed. Administrators may switch a job off (``enabled``) without a release.
    """

    name = models.CharField("tên", max_length=100, unique=True)
    task_path = models.CharField("tác vụ", max_length=255, blank=True)
    every_seconds = models.PositiveIntegerField("chu kỳ (giây)")
    enabled = models.BooleanField("đang bật", default=True)
    last_enqueued_at = models.DateTimeField("lần chạy gần nhất", null=True, blank=True)
    next_run_at = models.DateTimeField("lần chạy tiếp theo", db_index=True)
    last_task_id = models.CharField("mã tác vụ gần nhất", max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tác vụ định kỳ"
        verbose_name_plural = "tác vụ định kỳ"

    def __str__(self) -> str:
        return self.name


class ProcessHeartbeat(models.Model):
    """A background process saying it is alive: written at start, every few seconds while it runs
    (``core.scheduler.HEARTBEAT_SECONDS``) and once more, with ``stopped_at``, when it exits cleanly.

    A row whose ``last_seen_at`` is old and that has no ``stopped_at`` belongs to a process that died
    or hung; the health page (``/he-thong/suc-khoe/``) says so.
    """

    class Kind(models.TextChoices):
        WORKER = "worker", "Bộ xử lý tác vụ"
        SCHEDULER = "scheduler", "Bộ lập lịch"

    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    hostname = models.CharField("máy", max_length=255)
    pid = models.PositiveIntegerField("mã tiến trình")
    started_at = models.DateTimeField("khởi động lúc")
    last_seen_at = models.DateTimeField("báo gần nhất lúc", db_index=True)
    stopped_at = models.DateTimeField("dừng lúc", null=True, blank=True)

    class Meta:
        ordering = ["kind", "-last_seen_at"]
        verbose_name = "tín hiệu tiến trình nền"
        verbose_name_plural = "tín hiệu tiến trình nền"
        constraints = [
            models.UniqueConstraint(fields=["kind", "hostname", "pid"], name="core_heartbeat_process_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.hostname}:{self.pid}"


class LiveEvent(models.Model):
    """One live event on the database broker (``core.live``): what a page listening on ``channel`` is
    pushed. Web processes poll for ids after the last one they sent; old rows are pruned on publish."""

    channel = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["channel", "id"], name="core_live_channel_id")]
        verbose_name = "sự kiện trực tiếp"
        verbose_name_plural = "sự kiện trực tiếp"

    def __str__(self) -> str:
        return f"{self.channel}#{self.pk}"
