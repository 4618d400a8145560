"""Forms of the people's account pages: registration, password reset, password change.

Every message is Vietnamese; password rules are Django's validators (``AUTH_PASSWORD_VALIDATORS``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from digitalfront.accounts.models import AccountKind, Channel, User
from digitalfront.accounts.people import DESTINATION_MAX, Contact, normalise_phone

BAD_PHONE = (
    "Số điện thoại di động không hợp lệ. Vui lòng nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678) "
    "hoặc dạng +84912345678."
)
BAD_EMAIL = "Địa chỉ e-mail không hợp lệ. Ví dụ: ten@example.com."
MISMATCH = "Hai mật khẩu không giống nhau."
BAD_CODE = "Mã xác minh gồm 6 chữ số."


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def parse_contact(value: str) -> Contact:
    """A phone number or e-mail address as typed → :class:`Contact`; ``ValidationError`` otherwise."""
    text = (value or "").strip()
    if "@" in text:
        email = text.lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(BAD_EMAIL, code="email") from None
        if len(email) > DESTINATION_MAX:
            raise ValidationError(BAD_EMAIL, code="email")
        return Contact(Channel.EMAIL, email)
    phone = normalise_phone(text)
    if phone is None:
        raise ValidationError(BAD_PHONE, code="phone")
    return Contact(Channel.SMS, phone)


def _password_widget(autocomplete: str) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": autocomplete})


class CodeField(forms.CharField):
    """Six digits (spaces allowed while typing)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Mã xác minh")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("error_messages", _required("Vui lòng nhập mã xác minh."))
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"[0-9 ]*", "autofocus": True,
        }))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = "".join(str(super().clean(value)).split())
        if len(text) != 6 or not text.isdigit():
            raise ValidationError(BAD_CODE, code="code_format")
        return text


class RegisterForm(forms.Form):
    contact = forms.CharField(
        label="Số điện thoại hoặc e-mail", max_length=DESTINATION_MAX,
        help_text="Chúng tôi sẽ gửi mã xác minh tới số điện thoại hoặc e-mail này.",
        error_messages=_required("Vui lòng nhập số điện thoại hoặc e-mail."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    full_name = forms.CharField(
        label="Họ và tên", max_length=150, error_messages=_required("Vui lòng nhập họ và tên."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Mật khẩu", strip=False, widget=_password_widget("new-password"),
        help_text="Ít nhất 10 ký tự, không chỉ gồm chữ số, không quá giống tên hay số điện thoại của bạn.",
        error_messages=_required("Vui lòng nhập mật khẩu."),
    )
    password2 = forms.CharField(
        label="Nhập lại mật khẩu", strip=False, widget=_password_widget("new-password"),
        error_messages=_required("Vui lòng nhập lại mật khẩu."),
    )

    def clean_contact(self) -> Contact:
        return parse_contact(self.cleaned_data["contact"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(MISMATCH, code="password_mismatch"))
        elif password1:
            contact: Contact | None = data.get("contact")
            user = User(
                username=contact.destination if contact else "", kind=AccountKind.CITIZEN,
                full_name=data.get("full_name") or "",
                email=contact.destination if contact and contact.channel == Channel.EMAIL else "",
            )
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CodeForm(forms.Form):
    code = CodeField()


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label="Tên đăng nhập, e-mail hoặc số điện thoại", max_length=DESTINATION_MAX,
        error_messages=_required("Vui lòng nhập tên đăng nhập, e-mail hoặc số điện thoại."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false",
                                      "autofocus": True}),
    )


class ResetConfirmForm(forms.Form):
    code = CodeField()
    new_password1 = forms.CharField(
        label="Mật khẩu mới", strip=False, widget=_password_widget("new-password"),
        help_text="Ít nhất 10 ký tự, không chỉ gồm chữ số, không quá giống tên đăng nhập của bạn.",
        error_messages=_required("Vui lòng nhập mật khẩu mới."),
    )
    new_password2 = forms.CharField(
        label="Nhập lại mật khẩu mới", strip=False, widget=_password_widget("new-password"),
        error_messages=_required("Vui lòng nhập lại mật khẩu mới."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        password1, password2 = data.get("new_password1"), data.get("new_password2")
        if password1 and password2 and password1 != password2:
            self.add_error("new_password2", ValidationError(MISMATCH, code="password_mismatch"))
        elif password1:
            # the rules that do not need the account; the service checks the rest once the code is right
            try:
                password_validation.validate_password(password1, None)
            except ValidationError as exc:
                self.add_error("new_password1", exc)
        return data


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (old password checked, the new one validated against the user) in Vietnamese."""

    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu hiện tại không đúng. Vui lòng nhập lại.",
        "password_mismatch": MISMATCH,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "old_password": "Mật khẩu hiện tại",
            "new_password1": "Mật khẩu mới",
            "new_password2": "Nhập lại mật khẩu mới",
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = f"Vui lòng nhập {label[0].lower()}{label[1:]}."
        self.fields["new_password1"].help_text = (
            "Ít nhất 10 ký tự, không chỉ gồm chữ số, không quá giống tên đăng nhập của bạn."
        )
        self.fields["new_password2"].help_text = ""
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
