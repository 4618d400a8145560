"""Password validators with Vietnamese messages where Django's "vi" catalogue has none, and the hasher
of temporary passwords."""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length rule; its Vietnamese translation is missing from Django's catalogue."""

    def get_error_message(self) -> str:
        return f"Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Mật khẩu của bạn phải có ít nhất {self.min_length} ký tự."


TEMPORARY_HASHER = "pbkdf2_sha256_temporary"


class TemporaryPasswordHasher(PBKDF2PasswordHasher):
    """For temporary passwords that the platform makes (random, about 70 bits, changed at the first
    sign-in; see ``accounts.staff``): brute force is hopeless whatever the cost, so the cost is low enough
    to make thousands at once. Never the default hasher: a password a person chooses gets the full cost,
    and Django re-hashes a temporary one with the default when it is used."""

    algorithm = TEMPORARY_HASHER
    iterations = 5_000
