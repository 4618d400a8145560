"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and single-use backup codes.

Required for approvers, unit administrators and superusers (:func:`required`): they can do nothing but
enrol until they have a confirmed device (``accounts.middleware.AccountRequirementsMiddleware``).
Anyone else may enrol. Wrong codes count as failed sign-ins for the account's lockout
(``accounts.services.current_lock``), so guessing six digits is as slow as guessing a password.

Every write is audited: ``twofactor_enabled``, ``twofactor_disabled``, ``twofactor_failed``,
``backup_codes_generated``, ``backup_code_used`` (never a code or the secret).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from digitalfront.accounts import services
from digitalfront.accounts.models import BackupCode, LoginAttempt, Role, TOTPDevice, UnitRole, User
from digitalfront.accounts.requests import client_ip
from digitalfront.core.errors import InvalidState, ValidationFailed

ISSUER_NAME = "Mặt trận số"
BACKUP_CODES = 10
# a code is accepted one 30-second step early or late (clocks of phones drift)
VALID_WINDOW = 1
ROLES_REQUIRING = (Role.APPROVER, Role.UNIT_ADMIN)

WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã mới trên ứng dụng xác thực."
CODE_FORMAT = "Mã xác thực gồm 6 chữ số, hoặc một mã dự phòng dạng xxxx-xxxx."


def required(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor: superusers, approvers and unit admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return UnitRole.objects.filter(user_id=user.pk, role__in=ROLES_REQUIRING, unit__valid_to__isnull=True).exists()


def enabled(user: Any) -> bool:
    return bool(getattr(user, "pk", None)) and TOTPDevice.objects.filter(
        user_id=user.pk, confirmed_at__isnull=False
    ).exists()


def _hash_backup(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER_NAME)


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no image request, nothing leaves the page)."""
    return str(segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, dark="#1c1c1f"))


@transaction.atomic
def start_enrolment(*, user: User) -> TOTPDevice:
    """A new unconfirmed device with a fresh secret (replacing an unconfirmed one); refused if one is
    already confirmed (disable it first)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise InvalidState("Tài khoản đã bật xác thực hai bước.")
    if device is None:
        device = TOTPDevice(user=user)
    device.secret = pyotp.random_base32()
    device.last_step = 0
    device.save()
    return device


def _totp_step(device: TOTPDevice, code: str) -> int | None:
    """The time step that ``code`` belongs to, if it is valid now (within the window) and not replayed."""
    if not re.fullmatch(r"[0-9]{6}", code):
        return None
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if step > device.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_backup_codes(user: User) -> list[str]:
    BackupCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(BACKUP_CODES)]
    BackupCode.objects.bulk_create([BackupCode(user=user, code_hash=_hash_backup(_normalise(c))) for c in codes])
    return codes


@transaction.atomic
def confirm_enrolment(*, user: User, code: str, request: Any = None) -> list[str]:
    """Turn the pending device on with a first valid code; returns new backup codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise InvalidState("Chưa bắt đầu cài đặt ứng dụng xác thực.")
    if device.confirmed_at is not None:
        raise InvalidState("Tài khoản đã bật xác thực hai bước.")
    step = _totp_step(device, _normalise(code))
    if step is None:
        raise ValidationFailed(WRONG_CODE, field="code")
    device.last_step = step
    device.confirmed_at = timezone.now()
    device.save(update_fields=["last_step", "confirmed_at"])
    codes = _new_backup_codes(user)
    services.record_event(actor=user, action="twofactor_enabled", user=user, request=request)
    services.record_event(actor=user, action="backup_codes_generated", user=user, request=request, count=len(codes))
    return codes


@transaction.atomic
def regenerate_backup_codes(*, user: User, request: Any = None) -> list[str]:
    if not enabled(user):
        raise InvalidState("Cần bật xác thực hai bước trước khi tạo mã dự phòng.")
    codes = _new_backup_codes(user)
    services.record_event(actor=user, action="backup_codes_generated", user=user, request=request, count=len(codes))
    return codes


def unused_backup_codes(user: Any) -> int:
    return BackupCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()


def verify(*, user: User, code: str, request: Any = None) -> str:
    """Check a code typed at sign-in: ``"totp"`` or ``"backup"`` if it is good (a backup code is used up),
    otherwise :class:`ValidationFailed`, with the failure stored (committed) for the account's lockout."""
    normalised = _normalise(code)
    with transaction.atomic():
        result = _accept(user=user, code=normalised, request=request)
    if result:
        return result
    with transaction.atomic():
        record_failure(user=user, request=request)
    raise ValidationFailed(WRONG_CODE if re.fullmatch(r"[0-9]{6}|[0-9a-f]{8}", normalised) else CODE_FORMAT,
                           field="code")


def _accept(*, user: User, code: str, request: Any) -> str:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise InvalidState("Tài khoản chưa bật xác thực hai bước.")
    step = _totp_step(device, code)
    if step is not None:
        device.last_step = step
        device.save(update_fields=["last_step"])
        return "totp"
    if re.fullmatch(r"[0-9a-f]{8}", code):
        backup = BackupCode.objects.select_for_update().filter(
            user=user, used_at__isnull=True, code_hash=_hash_backup(code)
        ).first()
        if backup is not None:
            backup.used_at = timezone.now()
            backup.save(update_fields=["used_at"])
            services.record_event(actor=user, action="backup_code_used", user=user, request=request,
                            left=unused_backup_codes(user))
            return "backup"
    return ""


def record_failure(*, user: User, request: Any) -> services.Lock | None:
    """A wrong second-factor code: counted with the account's failed sign-ins, audited."""
    now = timezone.now()
    name = services.normalise_username(user.get_username())
    ip = client_ip(request)
    LoginAttempt.objects.create(username=name, ip=ip, at=now, ok=False)
    services.record_event(actor=None, action="twofactor_failed", user=user, request=request)
    lock = services.current_lock(name, ip, now)
    if lock is not None:
        services.record_event(actor=None, action="login_locked", user=user, request=request, username=name,
                        scope=lock.scope, until=lock.until.isoformat())
    return lock


@transaction.atomic
def disable(*, actor: Any, user: User, request: Any = None, reason: str = "") -> None:
    """Remove the device and backup codes. Users who must use two-factor cannot remove their own (they
    enrol a new phone by asking an administrator, who resets it with this function)."""
    if actor.pk == user.pk and required(user):
        raise InvalidState("Tài khoản của bạn bắt buộc dùng xác thực hai bước nên không thể tự tắt.")
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    BackupCode.objects.filter(user=user).delete()
    if deleted:
        services.record_event(actor=actor, action="twofactor_disabled", user=user, request=request, reason=reason[:300])
