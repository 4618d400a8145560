"""Staff account management by unit administrators: who may manage whom, and the writes.

A unit administrator (role ``unit_admin``) manages the staff of their unit's whole subtree; a superuser
manages everybody. A staff member with roles in several places is *manageable* when at least one role
lies inside the administrator's subtree, but only the roles inside it may be added or removed. A
password reset hands the administrator a temporary password, so it is only allowed when **every** role
of the person lies inside the subtree (otherwise it would be a way into a wider scope), and never for a
superuser or an account with access to the Django admin.

Every write is one transaction with an audit event (object ``accounts.user``); temporary passwords are
returned to the caller, shown once, and never written to the audit data or to logs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from digitalfront.accounts import services
from digitalfront.accounts.models import AccountKind, Role, UnitRole, User
from digitalfront.accounts.passwords import TEMPORARY_HASHER
from digitalfront.accounts.services import build_event
from digitalfront.core.errors import NotFound, PermissionDenied, ValidationFailed
from digitalfront.core.models import AuditEvent
from digitalfront.core.scoping import Scope, scope_for
from digitalfront.core.text import fold
from digitalfront.orgs.models import Unit

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@+-]{2,149}$")
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
PHONE_LOCAL = re.compile(r"^0\d{9}$")
PHONE_INTL = re.compile(r"^\+84\d{9}$")
FULL_NAME_MAX = 150
EMAIL_MAX = 254
TEMPORARY_CHARS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I

# the columns of a staff row, in the order of the Excel template, with their Vietnamese headers
COLUMNS: tuple[tuple[str, str], ...] = (
    ("username", "Tên đăng nhập"),
    ("full_name", "Họ và tên"),
    ("email", "E-mail"),
    ("phone", "Số điện thoại"),
    ("unit_code", "Mã đơn vị"),
    ("role", "Vai trò"),
)
COLUMN_LABELS = dict(COLUMNS)
REQUIRED = ("username", "full_name", "unit_code", "role")


# --- roles ------------------------------------------------------------------------------------------


def role_label(role: str) -> str:
    return dict(Role.choices).get(role, role)


_ROLE_LOOKUP = {fold(code): code for code in Role.values} | {fold(str(label)): code for code, label in Role.choices}


def parse_role(text: Any) -> str | None:
    """A role code from a code (``approver``) or a Vietnamese label (``Phê duyệt``, ``phe duyet``)."""
    if text is None:
        return None
    return _ROLE_LOOKUP.get(fold(str(text)))


# --- who may manage whom ----------------------------------------------------------------------------


def admin_scope(user: Any) -> Scope:
    """The subtrees where ``user`` administers staff (everything for a superuser)."""
    return scope_for(user, "admin")


def can_manage_staff(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and not admin_scope(user).nothing


def _in_scope_roles(scope: Scope) -> QuerySet[UnitRole]:
    return UnitRole.objects.filter(scope.q("unit__path"))


def manageable_users(actor: Any) -> QuerySet[User]:
    """The accounts ``actor`` may manage: a superuser, every staff account; a unit administrator,
    the accounts with at least one role inside their subtree, except superusers and admin-site staff.

    Each user carries ``scoped_roles`` (the roles ``actor`` may change, with their units) and
    ``n_roles`` is not computed here: use :func:`other_roles_count` on one user."""
    scope = admin_scope(actor)
    if scope.nothing:
        return User.objects.none()
    roles = _in_scope_roles(scope).select_related("unit").order_by("unit__path", "role")
    users = User.objects.all()
    if scope.everything:
        users = users.filter(Q(kind=AccountKind.STAFF) | Q(unit_roles__isnull=False)).distinct()
    else:
        users = users.filter(Exists(_in_scope_roles(scope).filter(user_id=OuterRef("pk")))).filter(
            is_superuser=False, is_staff=False
        )
    return users.prefetch_related(Prefetch("unit_roles", queryset=roles, to_attr="scoped_roles"))


def search_staff(actor: Any, query: str = "") -> QuerySet[User]:
    users = manageable_users(actor)
    query = query.strip()[:100]
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return users.order_by("full_name", "username")


def staff_for(actor: Any, pk: Any) -> User:
    """One manageable account; missing and out of scope give the same :class:`NotFound`."""
    try:
        return manageable_users(actor).get(pk=int(pk))
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def other_roles_count(actor: Any, user: User) -> int:
    """How many of ``user``'s roles lie outside ``actor``'s subtree (shown as a number only)."""
    scope = admin_scope(actor)
    if scope.everything:
        return 0
    return UnitRole.objects.filter(user=user).exclude(scope.q("unit__path")).count()


def may_reset_password(actor: Any, user: User) -> bool:
    scope = admin_scope(actor)
    if user.pk == getattr(actor, "pk", None):
        return False
    if scope.everything:
        return True
    if user.is_superuser or user.is_staff:
        return False
    return other_roles_count(actor, user) == 0


def unit_in_scope(actor: Any, code: str) -> Unit:
    """The unit in force with ``code`` inside ``actor``'s subtree, or :class:`ValidationFailed`."""
    message = check_unit(admin_scope(actor), code, _unit_by_code(code))
    if message:
        raise ValidationFailed(message, field="unit_code")
    return Unit.objects.get(code=code.strip())


def _unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=(code or "").strip()).only("id", "code", "name", "path", "valid_to").first()


def check_unit(scope: Scope, code: str, unit: Unit | None) -> str | None:
    if unit is None:
        return f"Không có đơn vị mã “{code}”."
    if unit.valid_to is not None:
        return f"Đơn vị mã “{code}” ({unit.name}) không còn hiệu lực."
    if not scope.covers(unit.path):
        return f"Đơn vị mã “{code}” nằm ngoài phạm vi bạn quản trị."
    return None


# --- validating one staff row (the form and every Excel row) -----------------------------------------


@dataclass
class RowError:
    row: int  # the Excel row number (0 for the whole file or a single form)
    column: str  # the field name ("" for the whole row or file)
    message: str

    @property
    def column_label(self) -> str:
        return COLUMN_LABELS.get(self.column, "")

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class StaffRow:
    """A staff account to create, as typed; :func:`validate_rows` fills ``unit``, ``role_code``."""

    username: str = ""
    full_name: str = ""
    email: str = ""
    phone: str = ""
    unit_code: str = ""
    role: str = ""
    row: int = 0
    unit: Unit | None = field(default=None, repr=False)
    role_code: str = ""


def clean_text(value: Any) -> str:
    """A cell or form value as stripped text; whole numbers from Excel lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalise_phone(value: str) -> str | None:
    """``0912 345 678`` / ``+84 912 345 678`` -> ``0912345678``; ``None`` if it is not a Vietnamese
    10-digit number. Nine digits (Excel drops the leading zero of a number) get their ``0`` back."""
    text = PHONE_SEPARATORS.sub("", value)
    if text.isdigit() and len(text) == 9:
        text = "0" + text
    if PHONE_LOCAL.match(text):
        return text
    if PHONE_INTL.match(text):
        return "0" + text[3:]
    return None


def _check_row(row: StaffRow, scope: Scope, units: dict[str, Unit]) -> list[RowError]:
    errors: list[RowError] = []

    def err(column: str, message: str) -> None:
        errors.append(RowError(row.row, column, message))

    row.username = row.username.strip().lower()
    row.full_name = " ".join(row.full_name.split())
    row.email = row.email.strip()
    row.unit_code = row.unit_code.strip()
    for name in REQUIRED:
        if not getattr(row, name):
            err(name, f"Thiếu {COLUMN_LABELS[name].lower()}.")
    if row.username and not USERNAME_RE.match(row.username):
        err("username", "Tên đăng nhập dài 3–150 ký tự, chỉ gồm chữ cái không dấu, chữ số và . _ - @ +, "
                        "bắt đầu bằng chữ cái hoặc chữ số.")
    if len(row.full_name) > FULL_NAME_MAX:
        err("full_name", f"Họ và tên dài quá {FULL_NAME_MAX} ký tự.")
    if not row.email and not row.phone.strip():
        err("email", "Cần ít nhất e-mail hoặc số điện thoại để liên hệ.")
    if row.email:
        try:
            if len(row.email) > EMAIL_MAX:
                raise DjangoValidationError("too long")
            validate_email(row.email)
        except DjangoValidationError:
            err("email", f"E-mail “{row.email[:80]}” không hợp lệ.")
    if row.phone.strip():
        phone = normalise_phone(row.phone)
        if phone is None:
            err("phone", f"Số điện thoại “{row.phone[:30]}” không hợp lệ: cần 10 chữ số bắt đầu bằng 0 "
                         "(ví dụ 0912345678) hoặc dạng +84 (ví dụ +84912345678).")
        else:
            row.phone = phone
    if row.unit_code:
        unit = units.get(row.unit_code)
        message = check_unit(scope, row.unit_code, unit)
        if message:
            err("unit_code", message)
        else:
            row.unit = unit
    if row.role:
        code = parse_role(row.role)
        if code is None:
            labels = ", ".join(str(label) for label in Role.labels)
            err("role", f"Vai trò “{row.role[:40]}” không hợp lệ. Chọn một trong: {labels} "
                        f"(hoặc mã {', '.join(Role.values)}).")
        else:
            row.role_code = code
    return errors


def validate_rows(*, actor: Any, rows: Sequence[StaffRow]) -> list[RowError]:
    """Every error of every row (empty: all valid; the rows are then normalised in place).

    Checks required fields, username format and duplicates (in the file, and against existing
    accounts, ignoring case), e-mail, phone, unit (exists, in force, inside ``actor``'s subtree), role.
    Reads the units and the existing usernames in a few queries, whatever the number of rows."""
    scope = admin_scope(actor)
    codes = {r.unit_code.strip() for r in rows if r.unit_code.strip()}
    units: dict[str, Unit] = {}
    code_list = sorted(codes)
    for start in range(0, len(code_list), 500):
        for unit in Unit.objects.filter(code__in=code_list[start:start + 500]).only(
            "id", "code", "name", "path", "valid_to"
        ):
            units[unit.code] = unit
    errors: list[RowError] = []
    for row in rows:
        errors.extend(_check_row(row, scope, units))
    names = [r.username for r in rows if r.username]
    existing = _existing_usernames(names)
    first_seen: dict[str, int] = {}
    for row in rows:
        if not row.username:
            continue
        if row.username in existing:
            errors.append(RowError(row.row, "username", f"Tên đăng nhập “{row.username}” đã có người dùng."))
        elif row.username in first_seen:
            errors.append(RowError(row.row, "username",
                                   f"Tên đăng nhập “{row.username}” trùng với dòng {first_seen[row.username]}."))
        else:
            first_seen[row.username] = row.row
    errors.sort(key=lambda e: (e.row, [c for c, _ in COLUMNS].index(e.column) if e.column in COLUMN_LABELS else 99))
    return errors


def _existing_usernames(names: Iterable[str]) -> set[str]:
    """Which of ``names`` (lower-case) are taken, ignoring case."""
    wanted = sorted(set(names))
    taken: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        query = Q()
        for name in chunk:
            query |= Q(username__iexact=name)
        taken.update(u.lower() for u in User.objects.filter(query).values_list("username", flat=True))
    return taken


# --- passwords --------------------------------------------------------------------------------------


def temporary_password() -> str:
    """``k7Qm-x3Rt-9wPz``: 12 random characters (about 70 bits), with a letter and a digit."""
    while True:
        chars = "".join(secrets.choice(TEMPORARY_CHARS) for _ in range(12))
        if any(c.isdigit() for c in chars) and any(c.isalpha() for c in chars):
            return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def hash_passwords(passwords: Sequence[str]) -> list[str]:
    """Hash temporary passwords with the light hasher meant for them (``accounts.passwords``): they are
    random (about 70 bits) and must be changed at the first sign-in, where the chosen password gets the
    full-cost hasher. 5,000 accounts then take seconds, not half an hour."""
    return [make_password(p, hasher=TEMPORARY_HASHER) for p in passwords]


# --- audit ------------------------------------------------------------------------------------------


def record_role_change(*, actor: Any, action: str, user: User, unit: Unit, role: str, request: Any = None,
                       source: str = "staff") -> None:
    """Audit ``role_added`` / ``role_removed`` (also used by the Django admin, ``source="admin"``)."""
    if action not in ("role_added", "role_removed"):
        raise ValueError(action)
    build_event(actor=actor, action=action, user=user, request=request, unit_path=unit.path, unit=unit.code,
                role=role, source=source).save()


# --- writes -----------------------------------------------------------------------------------------


def _require_manager(actor: Any) -> Scope:
    scope = admin_scope(actor)
    if scope.nothing:
        raise PermissionDenied("Chỉ quản trị đơn vị mới được quản lý tài khoản cán bộ.")
    return scope


class RowsInvalid(ValidationFailed):
    """Rows with errors: nothing was created. ``errors`` lists them row by row, field by field."""

    def __init__(self, errors: list[RowError], message: str | None = None) -> None:
        first = errors[0] if errors else None
        super().__init__(message or (first.message if first else "Dữ liệu không hợp lệ."),
                         field=(first.column or None) if first else None, code="rows_invalid")
        self.errors = errors


class ImportRejected(RowsInvalid):
    """A file with errors: nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors, f"Tệp có {len(errors)} lỗi, chưa tài khoản nào được tạo.")


@dataclass
class Created:
    user: User
    password: str  # the temporary password: show it once, never store it


@transaction.atomic
def create_staff(*, actor: Any, username: str, full_name: str, email: str = "", phone: str = "", unit_code: str,
                 role: str, request: Any = None) -> Created:
    """One staff account with a temporary password (to change at first sign-in) and one role."""
    _require_manager(actor)
    row = StaffRow(username=username or "", full_name=full_name or "", email=email or "", phone=phone or "",
                   unit_code=unit_code or "", role=role or "")
    errors = validate_rows(actor=actor, rows=[row])
    if errors:
        raise RowsInvalid(errors)
    assert row.unit is not None
    password = temporary_password()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=row.username, password=password, email=row.email, full_name=row.full_name,
                phone=row.phone, kind=AccountKind.STAFF, must_change_password=True,
            )
    except IntegrityError:
        raise ValidationFailed(f"Tên đăng nhập “{row.username}” đã có người dùng.", field="username") from None
    UnitRole.objects.create(user=user, unit=row.unit, role=row.role_code)
    build_event(actor=actor, action="staff_created", user=user, request=request, unit_path=row.unit.path,
                username=user.username, unit=row.unit.code, role=row.role_code).save()
    return Created(user, password)


@transaction.atomic
def add_role(*, actor: Any, user: User, unit_code: str, role: str, request: Any = None) -> UnitRole:
    """Give ``user`` (manageable by ``actor``) ``role`` at a unit inside ``actor``'s subtree."""
    _require_manager(actor)
    user = staff_for(actor, user.pk)
    code = parse_role(role)
    if code is None:
        raise ValidationFailed("Vai trò không hợp lệ.", field="role")
    unit = unit_in_scope(actor, unit_code or "")
    unit_role, created = UnitRole.objects.get_or_create(user=user, unit=unit, role=code)
    if not created:
        raise ValidationFailed(f"{user} đã có vai trò {role_label(code)} tại {unit.name}.", field="role")
    record_role_change(actor=actor, action="role_added", user=user, unit=unit, role=code, request=request)
    return unit_role


@transaction.atomic
def remove_role(*, actor: Any, user: User, role_id: Any, request: Any = None) -> None:
    """Take away one of ``user``'s roles; only a role at a unit inside ``actor``'s subtree."""
    scope = _require_manager(actor)
    user = staff_for(actor, user.pk)
    try:
        unit_role = (
            UnitRole.objects.select_for_update().select_related("unit")
            .filter(scope.q("unit__path")).get(pk=int(role_id), user=user)
        )
    except (UnitRole.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if user.pk == actor.pk and unit_role.role == Role.UNIT_ADMIN and not actor.is_superuser:
        raise PermissionDenied("Không thể tự bỏ vai trò quản trị đơn vị của chính mình.")
    unit, role = unit_role.unit, unit_role.role
    unit_role.delete()
    record_role_change(actor=actor, action="role_removed", user=user, unit=unit, role=role, request=request)


@transaction.atomic
def reset_password(*, actor: Any, user: User, request: Any = None) -> str:
    """A new temporary password for ``user``; every web session ended and every token revoked.

    Returns the password (show it once)."""
    _require_manager(actor)
    user = staff_for(actor, user.pk)
    if user.pk == actor.pk:
        raise PermissionDenied("Hãy đổi mật khẩu của chính mình ở trang đổi mật khẩu.")
    if not may_reset_password(actor, user):
        raise PermissionDenied(
            "Tài khoản này còn vai trò ở đơn vị ngoài phạm vi bạn quản trị: chỉ quản trị cấp trên mới được "
            "đặt lại mật khẩu."
        )
    password = temporary_password()
    user.password = make_password(password, hasher=TEMPORARY_HASHER)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    sessions = services.end_sessions(user)
    tokens = services.revoke_tokens(user)
    build_event(actor=actor, action="password_reset_by_admin", user=user, request=request, sessions=sessions,
                tokens=tokens).save()
    return password


@dataclass
class ImportedAccount:
    username: str
    full_name: str
    unit_code: str
    unit_name: str
    role: str  # the Vietnamese label
    password: str


def import_staff(*, actor: Any, rows: Sequence[StaffRow], request: Any = None) -> list[ImportedAccount]:
    """Create every account of ``rows`` or none: :class:`ValidationFailed` (with ``errors``) when any
    row is invalid. Returns the accounts with their temporary passwords (hand them over once).

    The passwords are hashed before the transaction opens (minutes for thousands of rows with PBKDF2),
    so the database is locked only for the inserts; :func:`_insert_imported` validates again inside it."""
    _require_manager(actor)
    rows = list(rows)
    if not rows:
        raise ImportRejected([RowError(0, "", "Tệp không có dòng dữ liệu nào.")])
    errors = validate_rows(actor=actor, rows=rows)
    if errors:
        raise ImportRejected(errors)
    passwords = [temporary_password() for _ in rows]
    hashes = hash_passwords(passwords)
    return _insert_imported(actor=actor, rows=rows, passwords=passwords, hashes=hashes, request=request)


@transaction.atomic
def _insert_imported(*, actor: Any, rows: list[StaffRow], passwords: list[str], hashes: list[str],
                     request: Any) -> list[ImportedAccount]:
    errors = validate_rows(actor=actor, rows=rows)  # a concurrent import may have taken a username
    if errors:
        raise ImportRejected(errors)
    users = [
        User(username=r.username, password=h, email=r.email, full_name=r.full_name, phone=r.phone,
             kind=AccountKind.STAFF, must_change_password=True, is_active=True)
        for r, h in zip(rows, hashes, strict=True)
    ]
    try:
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=500)
    except IntegrityError:
        raise ImportRejected([RowError(0, "username", "Một số tên đăng nhập vừa được tạo bởi người khác; "
                                                      "hãy tải tệp lên lại.")]) from None
    ids = dict(User.objects.filter(username__in=[r.username for r in rows]).values_list("username", "pk"))
    UnitRole.objects.bulk_create(
        [UnitRole(user_id=ids[r.username], unit=r.unit, role=r.role_code) for r in rows], batch_size=500
    )
    batch = secrets.token_hex(8)
    AuditEvent.objects.bulk_create(
        [
            build_event(actor=actor, action="staff_imported", user=User(pk=ids[r.username]), request=request,
                        unit_path=r.unit.path if r.unit else "", username=r.username,
                        unit=r.unit_code, role=r.role_code, batch=batch, rows=len(rows))
            for r in rows
        ],
        batch_size=500,
    )
    return [
        ImportedAccount(r.username, r.full_name, r.unit_code, r.unit.name if r.unit else "", role_label(r.role_code),
                        p)
        for r, p in zip(rows, passwords, strict=True)
    ]
