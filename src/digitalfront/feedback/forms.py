"""The citizen's form. Rendering and types only: the rules (and their Vietnamese messages) are those of
``services.intake.prepare``, shared with the REST API and Open311."""

from __future__ import annotations

from typing import Any

from django import forms

from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .models import Kind, Level, Topic

KIND_HELP = {
    Kind.FEEDBACK: "Góp ý, kiến nghị, phản ánh về đời sống, chính quyền, dịch vụ công.",
    Kind.COMPLAINT: "Đề nghị xem xét lại quyết định, hành vi hành chính xâm phạm quyền lợi của bạn.",
    Kind.DENUNCIATION: "Báo cho cơ quan có thẩm quyền hành vi vi phạm pháp luật. "
    "Danh tính người tố cáo được giữ bí mật.",
}


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(
        label="Bạn muốn gửi", choices=Kind.choices, initial=Kind.FEEDBACK, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label="Tiêu đề (không bắt buộc)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    content = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 6, "maxlength": 10000}))
    province = forms.ChoiceField(label="Tỉnh, thành phố", choices=())
    commune = forms.ChoiceField(label="Xã, phường, đặc khu", choices=(), required=False)
    level = forms.ChoiceField(label="Gửi tới", choices=Level.choices, initial=Level.COMMUNE, widget=forms.RadioSelect)
    address = forms.CharField(label="Địa điểm cụ thể (số nhà, thôn, tổ dân phố)", required=False, max_length=300)
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    topic = forms.ChoiceField(label="Lĩnh vực (nếu biết)", choices=(), required=False)
    name = forms.CharField(
        label="Họ và tên", required=False, max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label="Số điện thoại",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label="Thư điện tử", required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    sender_address = forms.CharField(label="Địa chỉ liên hệ", required=False, max_length=300)
    anonymous = forms.BooleanField(label="Gửi ẩn danh (không để lại thông tin cá nhân)", required=False)
    consent_publish = forms.BooleanField(
        label="Tôi đồng ý công khai nội dung (đã che thông tin cá nhân) và câu trả lời trên trang Mặt trận số",
        required=False,
    )
    show_name = forms.BooleanField(label="Hiện tên của tôi khi công khai", required=False)

    def __init__(self, *args: Any, province: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Unit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True).order_by("name")
        self.fields["province"].choices = [("", "— Chọn tỉnh, thành phố —")] + [
            (str(u.pk), u.name) for u in provinces.only("pk", "name")
        ]
        self.fields["commune"].choices = commune_choices(province)
        self.fields["topic"].choices = [("", "— Chưa rõ —")] + [
            (t.code, t.name) for t in Topic.objects.filter(active=True)
        ]


def commune_choices(province: Unit | None) -> list[tuple[str, str]]:
    """The communes of ``province`` for the select (an empty prompt when no province is chosen)."""
    if province is None:
        return [("", "— Chọn tỉnh, thành phố trước —")]
    communes = Unit.objects.filter(parent=province, level=UnitLevel.COMMUNE, valid_to__isnull=True).order_by("name")
    return [("", "— Chọn xã, phường —")] + [(str(u.pk), u.name) for u in communes.only("pk", "name")]
