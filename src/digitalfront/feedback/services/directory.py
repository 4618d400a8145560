"""Writes of the reference data staff keep: each unit's directory of competent authorities (with the
accounts that answer for them) and answer templates.

Who may write: the staff with ``edit`` on the unit (data entry, unit administrators, at the unit or
above); a new authority *account* needs ``admin`` (unit administrators), because it is a way into the
platform; global answer templates are for superusers only. Something the actor cannot even see answers
:class:`NotFound` (no existence leak), something they see but may not change :class:`PermissionDenied`.

Every function takes keyword arguments, runs in one transaction and records one audit event
(``feedback.authority_*``, ``feedback.template_*``). Form errors come all at once in :class:`FormInvalid`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from digitalfront.accounts import staff as staff_accounts
from digitalfront.accounts.models import AccountKind, User
from digitalfront.core import audit
from digitalfront.core.errors import NotFound, PermissionDenied, ValidationFailed
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from ..models import AnswerTemplate, Authority, AuthorityKind
from ..selectors_reports import authority_accounts_for

NAME_MAX = 200
ADDRESS_MAX = 300
EMAIL_MAX = 254
TITLE_MAX = 120
BODY_MAX = 20_000  # as long as an answer may be (``services.handling.ANSWER_MAX``)
PHONE_CHARS = re.compile(r"^\+?[\d\s.\-()]+$")
PHONE_DIGITS = (8, 15)  # a landline with its area code (024 3823 4567) up to an international number


class FormInvalid(ValidationFailed):
    """Input with errors; nothing was written. ``errors`` maps each field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, field=first_field, code="form_invalid")
        self.errors = errors


@dataclass
class AuthorityFields:
    """An authority's editable fields, cleaned."""

    name: str
    kind: str
    email: str
    phone: str
    address: str
    active: bool


@dataclass
class CreatedAccount:
    user: User
    password: str  # the temporary password: show it once, never store or log it


# --- permissions ------------------------------------------------------------------------------------


def check_unit_action(actor: Any, unit: Unit, action: str) -> None:
    """Raise unless ``actor`` may ``action`` (``edit`` or ``admin``) at ``unit``: :class:`NotFound` when the
    unit is outside what they see, :class:`PermissionDenied` when they see it but lack the right."""
    if Unit.objects.for_user(actor, action).filter(pk=unit.pk).exists():
        return
    if Unit.objects.for_user(actor, "view").filter(pk=unit.pk).exists():
        if action == "admin":
            raise PermissionDenied("Chỉ quản trị đơn vị mới được tạo tài khoản cho cơ quan có thẩm quyền.")
        raise PermissionDenied("Bạn chỉ được xem, không được sửa danh bạ, mẫu trả lời của đơn vị này.")
    raise NotFound()


def may_edit_unit(actor: Any, unit: Unit | None) -> bool:
    """Whether ``actor`` may change the directory and templates of ``unit`` (``None``: the global templates)."""
    if unit is None:
        return bool(getattr(actor, "is_superuser", False))
    return Unit.objects.for_user(actor, "edit").filter(pk=unit.pk).exists()


def _lock_authority(actor: Any, authority: Authority) -> Authority:
    """The authority re-read with a row lock, after checking ``actor`` may edit its unit."""
    try:
        locked = Authority.objects.select_for_update().select_related("unit").get(pk=authority.pk)
    except Authority.DoesNotExist:
        raise NotFound() from None
    check_unit_action(actor, locked.unit, "edit")
    return locked


# --- cleaning ---------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _folded_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def _name_taken(queryset: Any, field: str, name: str, exclude_pk: int | None) -> bool:
    """Whether another row of ``queryset`` has ``name`` in ``field``, ignoring case and spacing.

    Compared in Python: the database constraint is exact, and case-insensitive LIKE only folds ASCII on
    SQLite ("ủy ban" and "Ủy ban" must clash too)."""
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return any(_folded_name(other) == _folded_name(name) for other in queryset.values_list(field, flat=True))


def clean_authority(
    *,
    unit: Unit,
    name: Any,
    kind: Any,
    email: Any = "",
    phone: Any = "",
    address: Any = "",
    active: Any = True,
    exclude_pk: int | None = None,
) -> AuthorityFields:
    """Check an authority's fields; :class:`FormInvalid` with every error at once."""
    errors: dict[str, str] = {}
    clean_name = _text(name)
    if not clean_name:
        errors["name"] = "Hãy nhập tên cơ quan."
    elif len(clean_name) > NAME_MAX:
        errors["name"] = f"Tên cơ quan dài quá {NAME_MAX} ký tự."
    elif _name_taken(Authority.objects.filter(unit=unit), "name", clean_name, exclude_pk):
        errors["name"] = f"Danh bạ của {unit.name} đã có cơ quan tên “{clean_name}”."
    clean_kind = kind if isinstance(kind, str) and kind in AuthorityKind.values else ""
    if not clean_kind:
        errors["kind"] = "Hãy chọn loại cơ quan."
    clean_email = email.strip() if isinstance(email, str) else ""
    if clean_email:
        try:
            if len(clean_email) > EMAIL_MAX:
                raise DjangoValidationError("too long")
            validate_email(clean_email)
        except DjangoValidationError:
            errors["email"] = f"Thư điện tử “{clean_email[:80]}” không hợp lệ (ví dụ đúng: vanthu@ubnd.gov.vn)."
    clean_phone = _text(phone)
    if clean_phone:
        digits = sum(ch.isdigit() for ch in clean_phone)
        if (
            not PHONE_CHARS.match(clean_phone)
            or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
            or len(clean_phone) > 20
        ):
            errors["phone"] = (
                f"Số điện thoại “{clean_phone[:30]}” không hợp lệ: chỉ gồm chữ số (8–15 số), "
                "dấu cách, dấu chấm, gạch ngang, ví dụ 024 3823 4567."
            )
    clean_address = _text(address)
    if len(clean_address) > ADDRESS_MAX:
        errors["address"] = f"Địa chỉ dài quá {ADDRESS_MAX} ký tự."
    if errors:
        raise FormInvalid(errors)
    return AuthorityFields(clean_name, clean_kind, clean_email, clean_phone, clean_address, bool(active))


# --- authorities ------------------------------------------------------------------------------------


@transaction.atomic
def create_authority(
    *,
    actor: Any,
    unit: Unit,
    name: Any,
    kind: Any,
    email: Any = "",
    phone: Any = "",
    address: Any = "",
    active: Any = True,
) -> Authority:
    """Add an authority to ``unit``'s directory (``actor`` needs ``edit`` on the unit)."""
    check_unit_action(actor, unit, "edit")
    if unit.valid_to is not None or unit.level == UnitLevel.VILLAGE:
        raise ValidationFailed(f"{unit.name} không có danh bạ cơ quan có thẩm quyền.", field="unit")
    fields = clean_authority(unit=unit, name=name, kind=kind, email=email, phone=phone, address=address, active=active)
    try:
        with transaction.atomic():
            authority = Authority.objects.create(unit=unit, **fields.__dict__)
    except IntegrityError:  # the same name written at the same moment by somebody else
        raise FormInvalid({"name": f"Danh bạ của {unit.name} đã có cơ quan tên “{fields.name}”."}) from None
    audit.record(
        actor=actor,
        action="feedback.authority_create",
        obj=authority,
        unit_path=unit.path,
        name=authority.name,
        kind=authority.kind,
    )
    return authority


@transaction.atomic
def update_authority(
    *,
    actor: Any,
    authority: Authority,
    name: Any,
    kind: Any,
    email: Any = "",
    phone: Any = "",
    address: Any = "",
    active: Any = True,
) -> Authority:
    """Change an authority's details (``actor`` needs ``edit`` on its unit); the audit lists what changed."""
    authority = _lock_authority(actor, authority)
    fields = clean_authority(
        unit=authority.unit,
        name=name,
        kind=kind,
        email=email,
        phone=phone,
        address=address,
        active=active,
        exclude_pk=authority.pk,
    )
    changed = [key for key, value in fields.__dict__.items() if getattr(authority, key) != value]
    for key, value in fields.__dict__.items():
        setattr(authority, key, value)
    try:
        with transaction.atomic():
            authority.save()
    except IntegrityError:
        raise FormInvalid({"name": f"Danh bạ của {authority.unit.name} đã có cơ quan tên “{fields.name}”."}) from None
    audit.record(
        actor=actor, action="feedback.authority_update", obj=authority, unit_path=authority.unit.path, changed=changed
    )
    return authority


@transaction.atomic
def deactivate_authority(*, actor: Any, authority: Authority) -> Authority:
    """Stop offering an authority for forwarding; its past forwardings and accounts stay, so its answers
    to cases already sent still come in."""
    authority = _lock_authority(actor, authority)
    if not authority.active:
        raise ValidationFailed(f"{authority.name} đã ngừng dùng từ trước.", field="active")
    authority.active = False
    authority.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action="feedback.authority_deactivate",
        obj=authority,
        unit_path=authority.unit.path,
        name=authority.name,
    )
    return authority


@transaction.atomic
def attach_account(*, actor: Any, authority: Authority, username: Any) -> User:
    """Let an existing authority account (``kind=authority``) answer for ``authority``.

    Only an account not attached anywhere, or attached only inside ``actor``'s directories: never one of
    another province's authorities (that would open this unit's cases to them)."""
    authority = _lock_authority(actor, authority)
    name = username.strip().lower()[:150] if isinstance(username, str) else ""
    if not name:
        raise FormInvalid({"username": "Hãy nhập tên đăng nhập của tài khoản cơ quan."})
    user = authority_accounts_for(actor).filter(username__iexact=name).first()
    if user is None:
        # the same answer for "no such account", "not an authority account" and "another province's"
        raise FormInvalid(
            {
                "username": f"Không có tài khoản cơ quan có thẩm quyền “{name}” mà bạn được gắn. "
                "Tài khoản cơ quan do quản trị đơn vị tạo ở trang này."
            }
        )
    if authority.accounts.filter(pk=user.pk).exists():
        raise FormInvalid({"username": f"Tài khoản “{user.username}” đã gắn với {authority.name}."})
    authority.accounts.add(user)
    audit.record(
        actor=actor,
        action="feedback.authority_account_attach",
        obj=authority,
        unit_path=authority.unit.path,
        user_id=user.pk,
        username=user.username,
    )
    return user


@transaction.atomic
def detach_account(*, actor: Any, authority: Authority, user_id: Any) -> User:
    """Stop an account answering for ``authority``. The account itself stays (it may serve another)."""
    authority = _lock_authority(actor, authority)
    try:
        user = authority.accounts.get(pk=int(user_id))
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound("Tài khoản này không gắn với cơ quan.") from None
    authority.accounts.remove(user)
    audit.record(
        actor=actor,
        action="feedback.authority_account_detach",
        obj=authority,
        unit_path=authority.unit.path,
        user_id=user.pk,
        username=user.username,
    )
    return user


def _clean_account(*, username: Any, full_name: Any, email: Any) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    clean_username = username.strip().lower() if isinstance(username, str) else ""
    clean_name = _text(full_name)
    clean_email = email.strip() if isinstance(email, str) else ""
    if not clean_username:
        errors["username"] = "Hãy nhập tên đăng nhập."
    elif not staff_accounts.USERNAME_RE.match(clean_username):
        errors["username"] = (
            "Tên đăng nhập dài 3–150 ký tự, chỉ gồm chữ cái không dấu, chữ số và . _ - @ +, "
            "bắt đầu bằng chữ cái hoặc chữ số."
        )
    elif User.objects.filter(username__iexact=clean_username).exists():
        errors["username"] = f"Tên đăng nhập “{clean_username}” đã có người dùng."
    if not clean_name:
        errors["full_name"] = "Hãy nhập họ tên người phụ trách hoặc tên bộ phận."
    elif len(clean_name) > staff_accounts.FULL_NAME_MAX:
        errors["full_name"] = f"Họ tên dài quá {staff_accounts.FULL_NAME_MAX} ký tự."
    if not clean_email:
        errors["email"] = "Hãy nhập thư điện tử: cơ quan nhận thông báo khi có phản ánh được chuyển tới."
    else:
        try:
            if len(clean_email) > EMAIL_MAX:
                raise DjangoValidationError("too long")
            validate_email(clean_email)
        except DjangoValidationError:
            errors["email"] = f"Thư điện tử “{clean_email[:80]}” không hợp lệ (ví dụ đúng: vanthu@ubnd.gov.vn)."
    if errors:
        raise FormInvalid(errors)
    return clean_username, clean_name, clean_email


def create_authority_account(
    *, actor: Any, authority: Authority, username: Any, full_name: Any, email: Any
) -> CreatedAccount:
    """A new account (``kind=authority``) answering for ``authority``, with a temporary password to hand
    over once; it must be changed at the first sign-in. Only a unit administrator of the authority's unit
    (or above) or a superuser: an account is a way into the platform.

    The password is made and hashed as for staff accounts (``accounts.staff``: random, the light hasher
    meant for temporary passwords), before the transaction opens."""
    check_unit_action(actor, authority.unit, "admin")
    clean_username, clean_name, clean_email = _clean_account(username=username, full_name=full_name, email=email)
    password = staff_accounts.temporary_password()
    hashed = staff_accounts.hash_passwords([password])[0]
    return _insert_account(
        actor=actor,
        authority=authority,
        username=clean_username,
        full_name=clean_name,
        email=clean_email,
        hashed=hashed,
        password=password,
    )


@transaction.atomic
def _insert_account(
    *, actor: Any, authority: Authority, username: str, full_name: str, email: str, hashed: str, password: str
) -> CreatedAccount:
    authority = _lock_authority(actor, authority)
    check_unit_action(actor, authority.unit, "admin")
    try:
        with transaction.atomic():
            user = User.objects.create(
                username=username,
                password=hashed,
                full_name=full_name,
                email=email,
                kind=AccountKind.AUTHORITY,
                must_change_password=True,
                is_active=True,
            )
    except IntegrityError:
        raise FormInvalid({"username": f"Tên đăng nhập “{username}” đã có người dùng."}) from None
    authority.accounts.add(user)
    # no password, no e-mail in the audit data: the username identifies the account
    audit.record(
        actor=actor,
        action="feedback.authority_account_create",
        obj=authority,
        unit_path=authority.unit.path,
        user_id=user.pk,
        username=user.username,
    )
    return CreatedAccount(user=user, password=password)


# --- answer templates -------------------------------------------------------------------------------


def _check_template_owner(actor: Any, unit: Unit | None) -> None:
    if unit is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied("Chỉ quản trị hệ thống mới được sửa mẫu trả lời dùng chung.")
        return
    check_unit_action(actor, unit, "edit")


def _clean_template(*, unit: Unit | None, title: Any, body: Any, exclude_pk: int | None = None) -> tuple[str, str]:
    errors: dict[str, str] = {}
    clean_title = _text(title)
    clean_body = body.strip() if isinstance(body, str) else ""
    if not clean_title:
        errors["title"] = "Hãy nhập tên mẫu."
    elif len(clean_title) > TITLE_MAX:
        errors["title"] = f"Tên mẫu dài quá {TITLE_MAX} ký tự."
    elif _name_taken(AnswerTemplate.objects.filter(unit=unit), "title", clean_title, exclude_pk):
        owner = unit.name if unit is not None else "dùng chung"
        errors["title"] = f"Đã có mẫu trả lời “{clean_title}” ({owner})."
    if not clean_body:
        errors["body"] = "Hãy nhập nội dung mẫu trả lời."
    elif len(clean_body) > BODY_MAX:
        errors["body"] = f"Nội dung dài quá {BODY_MAX:,} ký tự.".replace(",", ".")
    if errors:
        raise FormInvalid(errors)
    return clean_title, clean_body


@transaction.atomic
def create_template(*, actor: Any, unit: Unit | None, title: Any, body: Any) -> AnswerTemplate:
    """A new answer template of ``unit`` (``None``: for every unit, superusers only)."""
    _check_template_owner(actor, unit)
    if unit is not None and (unit.valid_to is not None or unit.level == UnitLevel.VILLAGE):
        raise ValidationFailed(f"{unit.name} không dùng mẫu trả lời riêng.", field="unit")
    clean_title, clean_body = _clean_template(unit=unit, title=title, body=body)
    template = AnswerTemplate.objects.create(unit=unit, title=clean_title, body=clean_body)
    audit.record(
        actor=actor,
        action="feedback.template_create",
        obj=template,
        unit_path=unit.path if unit else "",
        title=template.title,
    )
    return template


def _lock_template(actor: Any, template: AnswerTemplate) -> AnswerTemplate:
    try:
        locked = AnswerTemplate.objects.select_for_update(of=("self",)).select_related("unit").get(pk=template.pk)
    except AnswerTemplate.DoesNotExist:
        raise NotFound() from None
    _check_template_owner(actor, locked.unit)
    return locked


@transaction.atomic
def update_template(*, actor: Any, template: AnswerTemplate, title: Any, body: Any) -> AnswerTemplate:
    """Change a template's name and text; it stays with its unit."""
    template = _lock_template(actor, template)
    clean_title, clean_body = _clean_template(unit=template.unit, title=title, body=body, exclude_pk=template.pk)
    changed = [
        name for name, value in (("title", clean_title), ("body", clean_body)) if getattr(template, name) != value
    ]
    template.title, template.body = clean_title, clean_body
    template.save(update_fields=["title", "body"])
    audit.record(
        actor=actor,
        action="feedback.template_update",
        obj=template,
        unit_path=template.unit.path if template.unit else "",
        changed=changed,
    )
    return template


@transaction.atomic
def delete_template(*, actor: Any, template: AnswerTemplate) -> None:
    """Delete a template. Answers already written from it keep their text (it was copied into them)."""
    template = _lock_template(actor, template)
    title, unit_path = template.title, template.unit.path if template.unit else ""
    audit.record(actor=actor, action="feedback.template_delete", obj=template, unit_path=unit_path, title=title)
    template.delete()
