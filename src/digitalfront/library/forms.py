"""The forms of the library's staff pages. They only render and type the input: the rules (and their
Vietnamese messages) are those of the services (``services.documents.validate_meta``, the file readers),
shared with the API. Values with a fixed list are plain text fields shown as a select, so that a forged
value meets the service's message, not a second one.

Groups and synonyms are small national lists without a service module: their forms write in one
transaction with an audit event (and the synonym cache is dropped after commit).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.text import slugify

from digitalfront.core.text import fold

from .models import Document, Group, Kind, Status, Synonym
from .services import lists
from .services.documents import DocumentMeta

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.docx,.html,.htm,.txt,application/pdf,text/html,text/plain"


def _select(choices: Any, blank: str | None = None) -> forms.Select:
    options = ([("", blank)] if blank is not None else []) + list(choices)
    return forms.Select(choices=options)


class MetaForm(forms.Form):
    """A document's metadata: the same fields on the upload form and on the document's page."""

    title = forms.CharField(label="Tên tài liệu", max_length=400, required=False)
    kind = forms.CharField(label="Loại văn bản", required=False, widget=_select(Kind.choices))
    number = forms.CharField(label="Số, ký hiệu", max_length=60, required=False)
    issuing_body = forms.CharField(label="Cơ quan ban hành", max_length=200, required=False)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DATE)
    effective_on = forms.DateField(label="Ngày có hiệu lực", required=False, widget=DATE)
    status = forms.CharField(label="Tình trạng hiệu lực", initial=Status.IN_FORCE, widget=_select(Status.choices))
    summary = forms.CharField(label="Tóm tắt", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Nguồn (đường dẫn, công báo)", max_length=300, required=False)
    published = forms.BooleanField(label="Công khai cho người dân", required=False, initial=True)

    def meta(self, *, title: str = "", kind: str = "", scope_id: int | None = None) -> DocumentMeta:
        """The cleaned values as :class:`DocumentMeta` (checked by the service that receives it)."""
        data = self.cleaned_data
        return DocumentMeta(
            title=(data["title"] or "").strip() or title, kind=data["kind"] or kind or Kind.OTHER,
            number=data["number"], issuing_body=data["issuing_body"], issued_on=data["issued_on"],
            effective_on=data["effective_on"], status=data["status"], scope_id=scope_id,
            summary=data["summary"], source=data["source"], published=data["published"],
        )

    @staticmethod
    def initial_for(document: Document) -> dict[str, Any]:
        return {name: getattr(document, name) for name in (
            "title", "kind", "number", "issuing_body", "issued_on", "effective_on", "status", "summary", "source",
            "published")}


class UploadForm(MetaForm):
    """A new document from a file (PDF, DOCX, HTML, TXT), into a group, managed by a unit."""

    file = forms.FileField(label="Tệp tài liệu (PDF, DOCX, HTML, TXT)", allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    group = forms.CharField(label="Nhóm tài liệu")
    owner = forms.CharField(label="Đơn vị quản lý", required=False)

    field_order = ["file", "group", "owner", "title", "kind"]

    def __init__(self, *args: Any, owners: list[Any], national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = "Để trống: lấy tên từ tệp."
        self.fields["kind"].widget = _select(Kind.choices, blank="— Tự nhận biết theo tên —")
        self.fields["group"].widget = _select((g.slug, g.name) for g in Group.objects.all())
        options = [(str(u.pk), u.name) for u in owners]
        if national:
            options.insert(0, ("", "Toàn quốc (quản trị viên hệ thống)"))
        self.fields["owner"].widget = forms.Select(choices=options)


class VersionForm(forms.Form):
    """A new text for a document: a file, or the text pasted."""

    file = forms.FileField(label="Tệp văn bản mới", required=False, allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    text = forms.CharField(label="Hoặc dán toàn văn", required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    note = forms.CharField(label="Ghi chú (ví dụ: sửa đổi theo văn bản số ...)", max_length=300, required=False)


# --- groups and synonyms (national lists) -----------------------------------------------------------------


class GroupForm(forms.ModelForm):
    """A content group. The code (``slug``) of an existing group is fixed: the search index files
    passages under it."""

    class Meta:
        model = Group
        fields = ["name", "slug", "description", "position"]
        help_texts = {"slug": "Chữ thường không dấu, nối bằng gạch ngang; để trống: tạo từ tên nhóm."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            del self.fields["slug"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.pk and not data.get("slug") and data.get("name"):
            slug = slugify(fold(data["name"]))[:60]
            if not slug:
                self.add_error("name", "Tên nhóm cần có chữ cái hoặc chữ số.")
            elif Group.objects.filter(slug=slug).exists():
                self.add_error("name", "Đã có nhóm với mã này: hãy đặt tên khác hoặc tự nhập mã nhóm.")
            data["slug"] = slug
            self.instance.slug = slug
        return data

    def save_as(self, actor: Any) -> Group:
        """Save in one transaction with an audit event."""
        return lists.save_group(actor=actor, group=self.save(commit=False))


class SynonymForm(forms.ModelForm):
    """An entry of the synonym and abbreviation list; unticking "đang dùng" deactivates it."""

    class Meta:
        model = Synonym
        fields = ["term", "expansions", "active"]

    def clean_term(self) -> str:
        term = unicodedata.normalize("NFC", " ".join(str(self.cleaned_data.get("term") or "").split()))
        if not any(c.isalnum() for c in term):
            raise forms.ValidationError("Hãy nhập từ hoặc chữ viết tắt.")
        # case-insensitive in Python: SQLite's iexact ignores the case of ASCII letters only ("Ơ" != "ơ")
        others = Synonym.objects.exclude(pk=self.instance.pk).values_list("term", flat=True)
        if any(unicodedata.normalize("NFC", t).casefold() == term.casefold() for t in others):
            raise forms.ValidationError("Từ này đã có trong danh sách.")
        return term

    def clean_expansions(self) -> str:
        parts = [p.strip() for p in str(self.cleaned_data.get("expansions") or "").split(";") if p.strip()]
        if not parts:
            raise forms.ValidationError("Hãy nhập ít nhất một nghĩa đầy đủ hoặc từ đồng nghĩa.")
        return "; ".join(dict.fromkeys(parts))

    def save_as(self, actor: Any) -> Synonym:
        """Save in one transaction with an audit event; searches use the new list after commit."""
        return lists.save_synonym(actor=actor, synonym=self.save(commit=False))
