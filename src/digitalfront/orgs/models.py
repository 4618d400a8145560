"""The unit hierarchy, the organisations at each unit, and the organisational database.

Figures roll up the hierarchy through :class:`Rollup`, a maintained aggregate (see
``services/rollups.py``), never by summing raw rows per request.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from digitalfront.core.scoping import ScopedQuerySet

PATH_SEGMENT = 7  # digits per level in Unit.path: ids up to 9,999,999


class Level(models.TextChoices):
    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Tỉnh, thành phố"
    COMMUNE = "commune", "Xã, phường, đặc khu"
    VILLAGE = "village", "Thôn, ấp, bản, tổ dân phố"


LEVEL_DEPTH = {Level.CENTRAL: 0, Level.PROVINCE: 1, Level.COMMUNE: 2, Level.VILLAGE: 3}


class UnitQuerySet(ScopedQuerySet):
    scope_path_field = "path"

    def active_on(self, day: datetime.date) -> UnitQuerySet:
        """Units in force on ``day`` (not yet merged away or split)."""
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def active_between(self, start: datetime.date, end: datetime.date) -> UnitQuerySet:
        """Units in force at some time in ``[start, end]``."""
        return self.filter(Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start))


class Unit(models.Model):
    """A place where the Front is organised: central, a province, a commune, a village.

    ``path`` is the materialised path: the ids of the ancestors and of the unit itself, each
    zero-padded to ``PATH_SEGMENT`` digits. A subtree is a range of paths (``core.scoping``).
    A merged or split unit keeps its rows and is closed by ``valid_to``; a merged unit moves under its
    successor, so what it reported keeps counting there.
    """

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    level = models.CharField("cấp", max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField("loại", max_length=40, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=64, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_generated = models.BooleanField("dữ liệu sinh tự động", default=False)
    valid_from = models.DateField("hiệu lực từ", default=datetime.date(2025, 7, 1))
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors",
        verbose_name="đơn vị kế thừa",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        indexes = [models.Index(fields=["level", "path"], name="unit_level_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.valid_to is None

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path (no query)."""
        return path_ids(self.path)[:-1]


def path_ids(path: str) -> list[int]:
    return [int(path[i : i + PATH_SEGMENT]) for i in range(0, len(path), PATH_SEGMENT)]


def make_path(parent_path: str, unit_id: int) -> str:
    return parent_path + str(unit_id).zfill(PATH_SEGMENT)


class OrganisationKind(models.TextChoices):
    FRONT = "front", "Mặt trận Tổ quốc"
    SOCIO_POLITICAL = "socio_political", "Tổ chức chính trị - xã hội"
    MASS = "mass", "Hội quần chúng"


class OrganisationType(models.Model):
    """An organisation that exists at units of some levels: the Front committee, the five
    socio-political organisations, mass associations. Which exists where is data (``levels``),
    loaded from configuration (``orgs/config/organisations.json`` or the file named by
    ``DIGITALFRONT_ORGANISATIONS_FILE``) and editable in the admin.
    """

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=200)
    short_name = models.CharField("tên ngắn", max_length=60)
    kind = models.CharField("loại", max_length=20, choices=OrganisationKind.choices)
    levels = models.JSONField("các cấp có tổ chức", default=list)
    level_names = models.JSONField("tên gọi theo cấp", default=dict, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "tổ chức"
        verbose_name_plural = "tổ chức"

    def __str__(self) -> str:
        return self.short_name

    def exists_at(self, level: str) -> bool:
        return self.active and level in self.levels

    def name_at(self, level: str) -> str:
        return self.level_names.get(level) or self.name


class Periodicity(models.TextChoices):
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    YEARLY = "yearly", "Hằng năm"


class DataSet(models.Model):
    """A periodic report that units file: which organisations, how often, by when."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=200)
    periodicity = models.CharField("kỳ báo cáo", max_length=12, choices=Periodicity.choices)
    deadline_days = models.PositiveSmallIntegerField("hạn nộp (ngày sau cuối kỳ)", default=10)
    org_types = models.ManyToManyField(OrganisationType, verbose_name="tổ chức báo cáo", related_name="datasets")
    levels = models.JSONField("các cấp báo cáo", default=list)
    require_children_approved = models.BooleanField(
        "chỉ nộp khi mọi đơn vị cấp dưới đã được duyệt", default=False
    )
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "bộ dữ liệu báo cáo"
        verbose_name_plural = "bộ dữ liệu báo cáo"

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """One reporting period of a data set, with its submission deadline."""

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="periods")
    code = models.CharField("mã kỳ", max_length=16)
    name = models.CharField("tên kỳ", max_length=60)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    deadline = models.DateField("hạn nộp")

    class Meta:
        ordering = ["dataset", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="period_unique_code"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
        ]
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"

    def __str__(self) -> str:
        return f"{self.dataset.name} – {self.name}"


class ValueType(models.TextChoices):
    NUMBER = "number", "Số"
    MONEY = "money", "Tiền (đồng)"
    TEXT = "text", "Văn bản"
    BOOLEAN = "boolean", "Có/Không"


ROLLING_TYPES = (ValueType.NUMBER, ValueType.MONEY, ValueType.BOOLEAN)


class Indicator(models.Model):
    """An indicator added to a data set by administrators, without code (like a DHIS2 data element).

    Numbers and money roll up as sums; yes/no rolls up as the count of "yes"; text does not roll up.
    """

    dataset = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField("mã", max_length=40)
    name = models.CharField("tên chỉ tiêu", max_length=200)
    value_type = models.CharField("kiểu", max_length=10, choices=ValueType.choices)
    org_types = models.ManyToManyField(
        OrganisationType, blank=True, verbose_name="áp dụng cho tổ chức (để trống: tất cả)"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    active = models.BooleanField("đang dùng", default=True)
    help_text = models.CharField("hướng dẫn", max_length=300, blank=True)

    class Meta:
        ordering = ["dataset", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["dataset", "code"], name="indicator_unique_code")]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"

    def __str__(self) -> str:
        return self.name

    @property
    def measure(self) -> str:
        return f"i:{self.code}"

    @property
    def rolls_up(self) -> bool:
        return self.value_type in ROLLING_TYPES


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã nộp"
    APPROVED = "approved", "Đã duyệt"
    LOCKED = "locked", "Đã khóa"


COUNTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.LOCKED)

# The fixed numeric fields of a report, in the order they are shown. Each is also a roll-up measure.
CORE_MEASURES = {
    "members": "Số hội viên, đoàn viên",
    "staff_fulltime": "Cán bộ chuyên trách",
    "staff_front_committee": "Ủy viên Ủy ban MTTQ",
    "staff_executive_committee": "Ủy viên Ban Chấp hành",
}
COUNT_MEASURES = {"reports": "Số báo cáo đã nộp", "reports_on_time": "Số báo cáo nộp đúng hạn"}


class ReportQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Report(models.Model):
    """What one organisation at one unit reports for one period."""

    # Foreign keys without their own index: the composite indexes below cover the lookups, and nine
    # B-trees per row would make the national load several times slower.
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports", db_index=False)
    org_type = models.ForeignKey(OrganisationType, on_delete=models.PROTECT, related_name="reports", db_index=False)
    status = models.CharField("trạng thái", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    members = models.BigIntegerField("số hội viên, đoàn viên", default=0)
    staff_fulltime = models.IntegerField("cán bộ chuyên trách", default=0)
    staff_front_committee = models.IntegerField("ủy viên Ủy ban MTTQ", default=0)
    staff_executive_committee = models.IntegerField("ủy viên Ban Chấp hành", default=0)
    activities = models.TextField("hoạt động tiêu biểu", blank=True)
    difficulties = models.TextField("khó khăn, hạn chế", blank=True)
    recommendations = models.TextField("kiến nghị, đề xuất", blank=True)
    # Values of the data set's administrator-defined indicators, by indicator code.
    values = models.JSONField("chỉ tiêu bổ sung", default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    # Decided once, at the first submission (local date of first_submitted_at <= the period deadline):
    # timeliness does not change when an approver reopens a report for correction.
    submitted_on_time = models.BooleanField("nộp đúng hạn", default=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "org_type"], name="report_unique_per_period"),
            models.CheckConstraint(condition=Q(members__gte=0), name="report_members_nonnegative"),
            models.CheckConstraint(
                condition=Q(staff_fulltime__gte=0, staff_front_committee__gte=0, staff_executive_committee__gte=0),
                name="report_staff_nonnegative",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="report_period_status"),
            models.Index(fields=["unit", "period"], name="report_unit_period"),
        ]
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"

    def __str__(self) -> str:
        return f"{self.org_type} – {self.unit} – {self.period.name}"

    @property
    def counted(self) -> bool:
        return self.status in COUNTED_STATUSES

    @property
    def on_time(self) -> bool:
        return self.submitted_on_time


class RollupQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Rollup(models.Model):
    """Maintained aggregate: the total of one measure over the *strict descendants* of ``unit``, for
    one organisation and period, over reports that are submitted, approved or locked.

    The total over a unit's whole subtree is this plus the unit's own report (``selectors``). Leaves
    (most villages) have no rows at all, which keeps the table about 30 times smaller than the reports.
    Rows are changed only by ``services.rollups`` in the transaction of the change that moves them.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    org_type = models.ForeignKey(OrganisationType, on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", db_index=False)
    measure = models.CharField(max_length=48)
    value = models.BigIntegerField(default=0)

    objects = RollupQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "org_type", "measure"], name="rollup_unique_cell")
        ]


    def __str__(self) -> str:
        return f"{self.unit_id}/{self.org_type_id}/{self.period_id}/{self.measure}={self.value}"


class UnitChangeKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"


class UnitChange(models.Model):
    """A recorded reorganisation: which units were merged into or split from which, when, by what decision."""

    kind = models.CharField(max_length=8, choices=UnitChangeKind.choices)
    effective = models.DateField("ngày hiệu lực")
    decision = models.CharField("căn cứ (nghị quyết, quyết định)", max_length=200, blank=True)
    sources = models.ManyToManyField(Unit, related_name="changes_out")
    targets = models.ManyToManyField(Unit, related_name="changes_in")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-effective", "-id"]
        verbose_name = "thay đổi địa giới"
        verbose_name_plural = "thay đổi địa giới"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective}"
