"""The staff sign-in form, with lockouts per account and per client address."""

import math
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from digitalfront.accounts import services
from digitalfront.accounts.requests import client_ip


def lock_message(lock: services.Lock) -> str:
    now = timezone.now()
    minutes = max(1, math.ceil((lock.until - now).total_seconds() / 60))
    when = timezone.localtime(lock.until).strftime("%H:%M")
    if lock.scope == "ip":
        reason = "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng của bạn nên việc đăng nhập tạm thời bị chặn."
    else:
        reason = "Tài khoản này tạm thời bị khóa do nhập sai mật khẩu nhiều lần."
    return f"{reason} Vui lòng thử lại sau {when} (khoảng {minutes} phút nữa)."


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's sign-in form; refuses without checking the password while a lock holds, and counts
    failures (``accounts.services``)."""

    lock: services.Lock | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        lock = services.current_lock(username, client_ip(self.request))
        if lock is not None:
            self.lock = lock
            raise forms.ValidationError(lock_message(lock), code="locked")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "invalid_login" and self.cleaned_data.get("password"):
                lock = services.record_login_failure(username=username, request=self.request)
                if lock is not None:
                    self.lock = lock
                    raise forms.ValidationError(
                        [error, forms.ValidationError(lock_message(lock), code="locked")]
                    ) from None
            raise
