"""Writes for people's own accounts: citizen self-registration, password reset by a one-time code,
password change (docs/accounts-people.md).

Every service runs in one transaction with its audit event (object ``accounts.user``, ``ip`` and
``user_agent`` in ``data``); codes are sent only after commit (``core.notifications``). Neither codes
nor passwords ever reach the audit data or the logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from digitalfront.accounts import verification
from digitalfront.accounts.models import AccountKind, Channel, CodePurpose, User, UserSession
from digitalfront.accounts.services import end_sessions, record_event, register_session, revoke_tokens
from digitalfront.core import notifications
from digitalfront.core.errors import DomainError, InvalidState, ValidationFailed

# Vietnamese mobile numbers: 0 and 9 digits, the first of them 3, 5, 7, 8 or 9 (03x, 05x, 07x, 08x, 09x)
MOBILE = re.compile(r"0[35789]\d{8}")
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
DESTINATION_MAX = 254

ALREADY_REGISTERED = (
    "{what} này đã được dùng cho một tài khoản. Nếu đó là tài khoản của bạn, hãy đăng nhập hoặc dùng "
    "chức năng “Quên mật khẩu” để đặt lại mật khẩu."
)
REGISTRATION_GONE = "Yêu cầu đăng ký không còn hiệu lực. Vui lòng đăng ký lại."


def normalise_phone(value: str | None) -> str | None:
    """``0xxxxxxxxx`` for a Vietnamese mobile number typed as 0…, +84… or 84…; ``None`` otherwise."""
    digits = PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if MOBILE.fullmatch(digits) else None


@dataclass(frozen=True)
class Contact:
    """Where codes go: ``channel`` "email" or "sms", ``destination`` normalised (lower-cased e-mail or
    ``0xxxxxxxxx``)."""

    channel: str
    destination: str

    @property
    def what(self) -> str:
        return "Địa chỉ e-mail" if self.channel == Channel.EMAIL else "Số điện thoại"


class PasswordRejected(ValidationFailed):
    """The new password breaks a rule; ``messages`` are Django's validators' (Vietnamese)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages), field="new_password1", code="password")
        self.messages = messages


def _send_code(*, contact: Contact, code: str, purpose: str) -> None:
    minutes = int(verification.CODE_TTL.total_seconds() // 60)
    if purpose == CodePurpose.REGISTER:
        subject = "Mã xác minh đăng ký tài khoản Mặt trận số"
        what = "đăng ký tài khoản"
    else:
        subject = "Mã đặt lại mật khẩu Mặt trận số"
        what = "đặt lại mật khẩu"
    if contact.channel == Channel.SMS:
        # at most 70 characters: one SMS segment even with Vietnamese diacritics (UCS-2)
        body = f"Mặt trận số: mã xác minh {code} ({minutes} phút). Không chia sẻ mã này."
    else:
        body = (
            f"Xin chào,\n\nMã xác minh để {what} trên Mặt trận số là: {code}\n\n"
            f"Mã có hiệu lực trong {minutes} phút và chỉ dùng được một lần. Không chia sẻ mã này với bất kỳ ai, "
            f"kể cả người tự xưng là cán bộ.\n\nNếu bạn không yêu cầu mã này, hãy bỏ qua thư này.\n\nMặt trận số"
        )
    notifications.send(channel=contact.channel, to=contact.destination, subject=subject, body=body)


# --- registration -----------------------------------------------------------------------------------


def _is_pending(user: User) -> bool:
    """A self-registered account whose code was never confirmed: a new registration replaces it."""
    return (
        user.kind == AccountKind.CITIZEN and not user.is_active and user.last_login is None
        and user.phone_verified_at is None and user.email_verified_at is None
    )


def _holders(contact: Contact) -> Q:
    """Accounts that hold ``contact``: as username, or as a verified e-mail/phone (for accounts made by
    administrators, an e-mail or phone set on the account counts)."""
    trusted = ~Q(kind=AccountKind.CITIZEN)
    if contact.channel == Channel.SMS:
        return Q(username=contact.destination) | (
            Q(phone=contact.destination) & (Q(phone_verified_at__isnull=False) | trusted)
        )
    return Q(username__iexact=contact.destination) | (
        Q(email__iexact=contact.destination) & (Q(email_verified_at__isnull=False) | trusted)
    )


@transaction.atomic
def start_registration(*, contact: Contact, full_name: str, password: str, request: Any = None) -> User:
    """Step 1: an inactive citizen account named by ``contact`` and a code sent there.

    A pending (never confirmed) account for the same destination is replaced; an account that already
    holds it refuses with :class:`InvalidState`. :class:`verification.Throttled` when too many codes.
    """
    pending = None
    for holder in User.objects.select_for_update().filter(_holders(contact)):
        if holder.username.lower() == contact.destination and _is_pending(holder):
            pending = holder
        else:
            raise InvalidState(ALREADY_REGISTERED.format(what=contact.what), field="contact",
                               code="already_registered")
    user = pending or User(username=contact.destination, kind=AccountKind.CITIZEN, is_active=False)
    user.full_name = full_name.strip()
    if contact.channel == Channel.EMAIL:
        user.email, user.phone = contact.destination, ""
    else:
        user.phone, user.email = contact.destination, ""
    user.set_password(password)
    user.save()
    code = verification.issue(purpose=CodePurpose.REGISTER, channel=contact.channel,
                              destination=contact.destination, user=user)
    _send_code(contact=contact, code=code, purpose=CodePurpose.REGISTER)
    record_event(actor=None, action="registration_started", user=user, request=request, channel=contact.channel,
                 replaced=pending is not None)
    return user


def _pending_user(user_id: int, *, lock: bool = False) -> User:
    users = User.objects.select_for_update() if lock else User.objects.all()
    user = users.filter(pk=user_id).first()
    if user is None or not _is_pending(user):
        raise InvalidState(REGISTRATION_GONE, code="registration_gone")
    return user


def _contact_of(user: User) -> Contact:
    return Contact(Channel.EMAIL, user.email) if user.email else Contact(Channel.SMS, user.phone)


@transaction.atomic
def resend_registration_code(*, user_id: int, request: Any = None) -> None:
    """A new code for a pending registration (the older one stops working)."""
    user = _pending_user(user_id, lock=True)
    contact = _contact_of(user)
    code = verification.issue(purpose=CodePurpose.REGISTER, channel=contact.channel,
                              destination=contact.destination, user=user)
    _send_code(contact=contact, code=code, purpose=CodePurpose.REGISTER)


def confirm_registration(*, user_id: int, code: str, request: Any = None) -> User:
    """Step 2: the right code activates the account and marks the e-mail or phone verified; audited
    ``account_registered``. A wrong code is counted (kept even though the error is raised)."""
    error: DomainError | None = None
    with transaction.atomic():
        user = _pending_user(user_id, lock=True)
        contact = _contact_of(user)
        outcome = verification.check(purpose=CodePurpose.REGISTER, destination=contact.destination, code=code)
        if outcome.record is None or outcome.record.user_id != user.pk:
            error = outcome.error or verification.CodeRejected(verification.EXPIRED, code="code_expired")
        else:
            verification.consume(outcome.record)
            now = timezone.now()
            user.is_active = True
            fields = ["is_active"]
            if contact.channel == Channel.EMAIL:
                user.email_verified_at = now
                fields.append("email_verified_at")
            else:
                user.phone_verified_at = now
                fields.append("phone_verified_at")
            user.save(update_fields=fields)
            record_event(actor=user, action="account_registered", user=user, request=request, channel=contact.channel)
    if error is not None:
        raise error
    return user


# --- password reset ---------------------------------------------------------------------------------


def _email_usable(user: User) -> bool:
    return bool(user.email) and (user.email_verified_at is not None or user.kind != AccountKind.CITIZEN)


def _phone_usable(user: User) -> str | None:
    phone = normalise_phone(user.phone)
    if phone and (user.phone_verified_at is not None or user.kind != AccountKind.CITIZEN):
        return phone
    return None


def _contact_for(user: User, prefer: str) -> Contact | None:
    email = Contact(Channel.EMAIL, user.email.strip().lower()) if _email_usable(user) else None
    phone_number = _phone_usable(user)
    phone = Contact(Channel.SMS, phone_number) if phone_number else None
    return (phone or email) if prefer == Channel.SMS else (email or phone)


def reset_key(identifier: str) -> tuple[str, str]:
    """What the person typed, normalised: (kind "sms", "email" or "username", value)."""
    text = (identifier or "").strip()
    phone = normalise_phone(text)
    if phone:
        return Channel.SMS, phone
    if "@" in text:
        return Channel.EMAIL, text.lower()[:DESTINATION_MAX]
    return "username", text.lower()[:DESTINATION_MAX]


def _reset_target(identifier: str) -> tuple[User | None, Contact | None]:
    kind, value = reset_key(identifier)
    active = User.objects.filter(is_active=True)
    user = active.filter(username__iexact=value).first()
    if user is not None:
        return user, _contact_for(user, prefer=kind)
    if kind == Channel.EMAIL:
        matches = [u for u in active.filter(email__iexact=value) if _email_usable(u)]
        if len(matches) == 1:
            return matches[0], Contact(Channel.EMAIL, value)
    elif kind == Channel.SMS:
        matches = [u for u in active.exclude(phone="") if _phone_usable(u) == value]
        if len(matches) == 1:
            return matches[0], Contact(Channel.SMS, value)
    # nobody, or several accounts share that e-mail/phone: the username is needed
    return None, None


@transaction.atomic
def start_reset(*, identifier: str, request: Any = None) -> str:
    """Step 1: a code to the verified e-mail or phone of the active account that ``identifier`` (username,
    e-mail or phone) names, if there is one. Returns the key to confirm with.

    Whether an account exists never shows: without one, a row that no code matches is stored in its
    place (so the send limits, and then the wrong-code answers, are the same) and nothing is sent.
    """
    user, contact = _reset_target(identifier)
    if user is None or contact is None:
        kind, value = reset_key(identifier)
        channel = Channel.SMS if kind == Channel.SMS else Channel.EMAIL
        verification.issue(purpose=CodePurpose.RESET, channel=channel, destination=value, user=None, send=False)
        return value
    code = verification.issue(purpose=CodePurpose.RESET, channel=contact.channel, destination=contact.destination,
                              user=user)
    _send_code(contact=contact, code=code, purpose=CodePurpose.RESET)
    record_event(actor=None, action="password_reset_requested", user=user, request=request, channel=contact.channel)
    return contact.destination


def confirm_reset(*, destination: str, code: str, new_password: str, request: Any = None) -> User:
    """Step 2: the right code sets the new password, clears ``must_change_password``, ends every web
    session and revokes every OAuth token of the account; audited ``password_reset``.

    A wrong code is counted; a right code with a refused password is not used up.
    """
    error: DomainError | None = None
    with transaction.atomic():
        outcome = verification.check(purpose=CodePurpose.RESET, destination=destination, code=code)
        record = outcome.record
        user = None
        if record is not None and record.user_id is not None:
            user = User.objects.select_for_update().filter(pk=record.user_id, is_active=True).first()
        if record is None or user is None:
            error = outcome.error or verification.CodeRejected(verification.EXPIRED, code="code_expired")
        else:
            try:
                password_validation.validate_password(new_password, user)
            except ValidationError as exc:
                error = PasswordRejected(list(exc.messages))
            else:
                verification.consume(record)
                user.set_password(new_password)
                user.must_change_password = False
                user.save(update_fields=["password", "must_change_password"])
                sessions = end_sessions(user)
                tokens = revoke_tokens(user)
                record_event(actor=None, action="password_reset", user=user, request=request, channel=record.channel,
                             sessions=sessions, tokens=tokens)
    if error is not None:
        raise error
    assert user is not None  # for the type checker: no error means the user was found
    return user


# --- password change --------------------------------------------------------------------------------


def _end_other_sessions(user: User, keep: str | None) -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    others = UserSession.objects.filter(user=user).exclude(session_key=keep or "")
    for key in list(others.values_list("session_key", flat=True)):
        session = store(session_key=key)
        if session.exists(key):
            session.delete(key)
            ended += 1
    others.delete()
    return ended


@transaction.atomic
def change_password(*, user: User, new_password: str, request: Any) -> None:
    """A signed-in user's new password (the old one checked by the form): clears
    ``must_change_password``, keeps this session (with a new key), ends the user's other web sessions
    and revokes their OAuth tokens; audited ``password_changed``."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    sessions = _end_other_sessions(user, request.session.session_key)
    tokens = revoke_tokens(user)
    update_session_auth_hash(request, user)
    register_session(user=user, session_key=request.session.session_key)
    record_event(actor=user, action="password_changed", user=user, request=request, sessions=sessions, tokens=tokens)
