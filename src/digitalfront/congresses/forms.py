"""Forms of the congress entry pages. They only carry what was typed: the services check it
(``services.congresses.clean``/``check``, ``services.news``), so the pages and the API refuse the same
input with the same Vietnamese message on the same field."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import COMPOSITION, Congress
from .services.congresses import LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _count(name: str) -> forms.CharField:
    return forms.CharField(label=LABELS[name], required=False, max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class CongressForm(forms.Form):
    """Dates, venue, delegates and the results of the personnel work (every field optional here)."""

    planned_on = forms.CharField(label=LABELS["planned_on"], required=False, widget=DATE)
    held_on = forms.CharField(label=LABELS["held_on"], required=False, widget=DATE)
    venue = forms.CharField(label=LABELS["venue"], required=False, max_length=400)
    delegates_summoned = _count("delegates_summoned")
    delegates_attending = _count("delegates_attending")
    committee_size = _count("committee_size")
    standing_size = _count("standing_size")
    chair = forms.CharField(label=LABELS["chair"], required=False, max_length=200)
    vice_chairs = forms.CharField(label=LABELS["vice_chairs"], required=False, max_length=4000,
                                  help_text="Mỗi dòng một người.", widget=forms.Textarea(attrs={"rows": 3}))
    standing_members = forms.CharField(label=LABELS["standing_members"], required=False, max_length=10000,
                                       help_text="Ngoài chủ tịch và các phó chủ tịch; mỗi dòng một người.",
                                       widget=forms.Textarea(attrs={"rows": 3}))
    women = _count("women")
    under_35 = _count("under_35")
    ethnic_minority = _count("ethnic_minority")
    religious = _count("religious")
    non_party = _count("non_party")
    re_elected = _count("re_elected")
    new_members = _count("new_members")
    delegates_to_above = _count("delegates_to_above")

    PLAN_FIELDS = ("planned_on", "venue", "delegates_summoned")
    RESULT_FIELDS = ("committee_size", "standing_size", "chair", "vice_chairs", "standing_members",
                     *(n for n, _ in COMPOSITION),
                     "delegates_to_above")

    @staticmethod
    def initial_for(congress: Congress) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in CongressForm.base_fields:
            value = getattr(congress, name)
            if name in ("vice_chairs", "standing_members"):
                value = "\n".join(value or [])
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[name] = "" if value is None else value
        return out

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}

    def group(self, names: tuple[str, ...]) -> list[Any]:
        return [self[name] for name in names]

    def dates_and_delegates(self) -> list[Any]:
        return self.group(("planned_on", "held_on", "venue", "delegates_summoned", "delegates_attending"))

    def results(self) -> list[Any]:
        return self.group(self.RESULT_FIELDS)


class PlanForm(forms.Form):
    """A congress for one of the user's units that has none yet in the term."""

    unit = forms.ChoiceField(label="Đơn vị", choices=())
    planned_on = forms.CharField(label=LABELS["planned_on"], required=False, widget=DATE)
    venue = forms.CharField(label=LABELS["venue"], required=False, max_length=400)
    delegates_summoned = _count("delegates_summoned")

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer(units)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.error_messages["invalid_choice"] = "Đơn vị không có trong danh sách được chọn."
        unit.error_messages["required"] = "Hãy chọn đơn vị."

    def offer(self, units: list[Any]) -> None:
        """The units listed (validation accepts only these: offer the one chosen before validating)."""
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [("", "— Chọn đơn vị —"), *((u.code, u.name) for u in units)]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name, "") for name in ("planned_on", "venue", "delegates_summoned")}


class StatusForm(forms.Form):
    status = forms.CharField(max_length=20)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="Lý do trả lại", max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class NewsForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", required=False, max_length=400)
    body = forms.CharField(label="Nội dung", required=False, max_length=20_000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label="Ảnh (JPEG, PNG, WebP)", required=False,
                            help_text="Thông tin vị trí (GPS) và thiết bị trong ảnh được xóa khi lưu.",
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    published = forms.BooleanField(label="Công khai trên trang đại hội", required=False, initial=True)
