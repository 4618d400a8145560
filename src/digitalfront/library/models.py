"""The community digital library: groups of documents, their versions, structure and search passages.

A :class:`Document` belongs to a :class:`Group` ("Dịch vụ công", "Thư viện pháp luật", and groups that
administrators add) and is managed by a unit (the central Front for national content, a province for its
own). Its text is kept per :class:`Version`; the current version is split into :class:`Section` rows
(chapters, sections, articles) and :class:`Passage` rows (clauses, or an article's paragraphs when it
has no numbered clauses): passages are what the search ranks, articles are what results and citations
point at. Reading is public for published documents; writing is scoped to the managing unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from digitalfront.core.scoping import ScopedQuerySet


class Group(models.Model):
    """A content group of the library, e.g. public services or the law library."""

    slug = models.SlugField("mã nhóm", max_length=60, unique=True)
    name = models.CharField("tên nhóm", max_length=120, unique=True)
    description = models.TextField("giới thiệu", blank=True)
    position = models.PositiveSmallIntegerField("thứ tự", default=100)
    builtin = models.BooleanField("nhóm có sẵn", default=False, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "nhóm tài liệu"
        verbose_name_plural = "nhóm tài liệu"

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    CONSTITUTION = "constitution", "Hiến pháp"
    CODE = "code", "Bộ luật"
    LAW = "law", "Luật"
    RESOLUTION = "resolution", "Nghị quyết"
    DECREE = "decree", "Nghị định"
    CIRCULAR = "circular", "Thông tư"
    DECISION = "decision", "Quyết định"
    GUIDE = "guide", "Hướng dẫn thủ tục"
    OTHER = "other", "Tài liệu khác"


class Status(models.TextChoices):
    IN_FORCE = "in_force", "Còn hiệu lực"
    AMENDED = "amended", "Đã được sửa đổi, bổ sung"
    REPEALED = "repealed", "Hết hiệu lực"
    NOT_YET = "not_yet", "Chưa có hiệu lực"


class DocumentQuerySet(ScopedQuerySet):
    scope_path_field = "owner__path"

    def published(self) -> DocumentQuerySet:
        return self.filter(published=True)


class Document(models.Model):
    """A document of the library with its metadata; its text lives in versions."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="documents", verbose_name="nhóm")
    # null: national content managed by the platform's administrators; otherwise the unit whose staff
    # (unit administrators and data entry there or above) edit it
    owner = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="library_documents",
        verbose_name="đơn vị quản lý",
    )
    title = models.CharField("tên tài liệu", max_length=300)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True)
    kind = models.CharField("loại văn bản", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issuing_body = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    effective_on = models.DateField("ngày có hiệu lực", null=True, blank=True)
    status = models.CharField("tình trạng", max_length=12, choices=Status.choices, default=Status.IN_FORCE)
    # null: national; otherwise the province (or commune) whose residents the document concerns
    scope = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="phạm vi áp dụng",
    )
    summary = models.TextField("tóm tắt", blank=True)
    source = models.CharField("nguồn", max_length=300, blank=True)
    published = models.BooleanField("công khai", default=True)
    version = models.PositiveIntegerField("phiên bản hiện hành", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["group", "title"]
        verbose_name = "tài liệu"
        verbose_name_plural = "tài liệu"
        indexes = [models.Index(fields=["group", "kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_on__isnull=True) | models.Q(issued_on__isnull=True)
                | models.Q(effective_on__gte=models.F("issued_on")),
                name="library_document_effective_after_issued",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_label(self) -> str:
        return self.scope.name if self.scope is not None else "Toàn quốc"


class Version(models.Model):
    """One text of a document: the whole text as imported, and where it came from."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    text = models.TextField("toàn văn")
    source_name = models.CharField("tệp nguồn", max_length=255, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = "phiên bản"
        verbose_name_plural = "phiên bản"
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="library_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} – phiên bản {self.number}"


class Attachment(models.Model):
    """A file kept with a document (the original PDF or DOCX, forms to fill in)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="library/%Y/%m/")
    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "name"]
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"

    def __str__(self) -> str:
        return self.name


class SectionKind(models.TextChoices):
    PART = "part", "Phần"
    CHAPTER = "chapter", "Chương"
    SECTION = "section", "Mục"
    ARTICLE = "article", "Điều"


class Section(models.Model):
    """A part, chapter, section or article of a document's current version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(max_length=10, choices=SectionKind.choices)
    number = models.CharField("số", max_length=20, blank=True)
    heading = models.CharField("tiêu đề", max_length=500, blank=True)
    text = models.TextField("nội dung", blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["document", "position"]
        indexes = [models.Index(fields=["document", "kind", "number"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """"Điều 5. Phạm vi điều chỉnh", "Chương II"."""
        name = f"{self.get_kind_display()} {self.number}".strip()
        return f"{name}. {self.heading}" if self.heading and self.kind == SectionKind.ARTICLE else (
            f"{name}: {self.heading}" if self.heading else name)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.number or self.position}"


class Passage(models.Model):
    """The unit of search: a clause of an article (or the article itself when it has no clauses, or a
    paragraph of a guide). ``heading`` is the article's label, repeated so that each passage is
    understood on its own."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    article = models.ForeignKey(Section, null=True, blank=True, on_delete=models.CASCADE, related_name="passages")
    clause = models.CharField("khoản", max_length=10, blank=True)
    heading = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    position = models.PositiveIntegerField()
    # the e5 vector of the article this passage belongs to (float32, 384), shared by its passages
    vector = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.heading} {self.clause}".strip()


class Synonym(models.Model):
    """An entry of the editable synonym and abbreviation list: a query containing ``term`` also
    matches each of ``expansions`` (and the other way round for full forms)."""

    term = models.CharField("từ hoặc chữ viết tắt", max_length=60, unique=True)
    expansions = models.CharField("nghĩa đầy đủ, đồng nghĩa (cách nhau bởi dấu ;)", max_length=500)
    active = models.BooleanField("đang dùng", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = "từ đồng nghĩa, viết tắt"
        verbose_name_plural = "từ đồng nghĩa, viết tắt"

    def __str__(self) -> str:
        return f"{self.term} = {self.expansions}"

    def expansion_list(self) -> list[str]:
        return [e.strip() for e in self.expansions.split(";") if e.strip()]
