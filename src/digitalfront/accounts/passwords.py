"""Password validators with Vietnamese messages where Django's "vi" catalogue has none."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule; its Vietnamese translation is missing from Django's catalogue."""

    def get_error_message(self) -> str:
        return f"Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu của bạn phải có ít nhất {self.min_length} ký tự."
