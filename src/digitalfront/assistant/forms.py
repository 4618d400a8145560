"""The forms of the assistant's pages. They only render and type the input: the rules and their
Vietnamese messages are the services' (``guard.clean`` for a question, ``services.knowledge`` for an
entry), shared with the API, so a field is not required here when the service says why it is missing.
A unit is a plain text field shown as a select: a forged value meets the service's refusal."""

from __future__ import annotations

from typing import Any

from django import forms

from digitalfront.orgs.models import Level, Unit

from . import access
from .guard import MAX_QUESTION_CHARS
from .models import KnowledgeKind

NATIONAL = "Toàn quốc (mọi cán bộ)"
UNIT_CHOICES_MAX = 400


def unit_choices(user: Any, extra: Unit | None = None) -> list[tuple[str, str]]:
    """Where the user may add knowledge, indented by level: their units and the ones below (villages only
    when they have nothing else; superusers: the central unit and the provinces, after "Toàn quốc"), and
    ``extra`` (a question's unit) when they may write there."""
    writable = access.writable_units(user)
    units = writable.exclude(level=Level.VILLAGE)
    if user.is_superuser:
        units = units.filter(level__in=[Level.CENTRAL, Level.PROVINCE])
    rows: list[Unit] = list((units if units.exists() else writable)[:UNIT_CHOICES_MAX])
    if extra is not None and extra.pk not in {u.pk for u in rows} and writable.filter(pk=extra.pk).exists():
        rows = sorted([*rows, extra], key=lambda u: u.path)
    top = min((u.depth for u in rows), default=0)
    options = [(str(u.pk), "\u00a0\u00a0" * (u.depth - top) + u.name) for u in rows]
    if access.may_write_national(user):
        options.insert(0, ("", NATIONAL))
    return options


def chosen_unit(user: Any, value: str) -> Unit | None:
    """The unit picked on a form (``None``: national; the service decides who may write that)."""
    if not value:
        return None
    unit = access.writable_units(user).filter(pk=value).first() if value.isdigit() else None
    if unit is None:
        from digitalfront.core.errors import PermissionDenied

        raise PermissionDenied("Bạn không được thêm kiến thức cho đơn vị này.")
    return unit


class AskForm(forms.Form):
    question = forms.CharField(
        label="Câu hỏi", required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_QUESTION_CHARS,
                                     "placeholder": "Ví dụ: Hồ sơ đăng ký thường trú gồm những gì?"}))
    conversation_id = forms.IntegerField(required=False, min_value=1, max_value=2**62, widget=forms.HiddenInput)


class KnowledgeForm(forms.Form):
    """A new entry: its kind and unit, then the same fields as an edit."""

    kind = forms.CharField(label="Loại", widget=forms.Select(choices=KnowledgeKind.choices),
                           initial=KnowledgeKind.QA)
    unit = forms.CharField(label="Dùng cho", required=False,
                           help_text="Cán bộ của đơn vị này, các đơn vị trực thuộc và các đơn vị cấp trên đọc được.")
    title = forms.CharField(label="Tiêu đề", required=False, max_length=1000,
                            help_text="Để trống với hỏi đáp: lấy theo câu hỏi.")
    question = forms.CharField(label="Câu hỏi (với hỏi đáp)", required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label="Nội dung, câu trả lời", required=False, widget=forms.Textarea(attrs={"rows": 10}))
    file = forms.FileField(label="Hoặc tải lên tệp hướng dẫn", required=False,
                           help_text="PDF, DOCX, HTML hoặc văn bản thuần: nội dung được lấy từ tệp khi ô nội dung "
                                     "để trống.")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = unit_choices(user)
        self.fields["unit"].widget = forms.Select(choices=self.choices)


class KnowledgeEditForm(forms.Form):
    """A new version of an entry (the kind and the unit stay)."""

    title = forms.CharField(label="Tiêu đề", required=False, max_length=1000)
    question = forms.CharField(label="Câu hỏi", required=False, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label="Nội dung, câu trả lời", required=False, widget=forms.Textarea(attrs={"rows": 12}))
    note = forms.CharField(label="Ghi chú phiên bản", required=False, max_length=300,
                           help_text="Sửa gì, vì sao (hiện trong lịch sử phiên bản).")

    def __init__(self, *args: Any, with_question: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_question:
            del self.fields["question"]
            self.fields["body"].label = "Nội dung"


class CurateForm(forms.Form):
    """An administrator's answer to a question of the queue, saved as a curated question and answer."""

    answer = forms.CharField(label="Câu trả lời", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                             help_text="Lần sau, câu hỏi giống hoặc gần giống sẽ được trả lời bằng nội dung này.")
    unit = forms.CharField(label="Dùng cho", required=False)
    title = forms.CharField(label="Tiêu đề", required=False, max_length=1000, help_text="Để trống: lấy theo câu hỏi.")

    def __init__(self, *args: Any, user: Any, asked_at: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = unit_choices(user, asked_at)
        self.fields["unit"].widget = forms.Select(choices=self.choices)
