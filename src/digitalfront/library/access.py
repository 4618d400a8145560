"""Who may manage which library documents, shared by the staff API and the staff pages.

A document managed by a unit (``owner``) is edited by the staff with the ``edit`` right there or above
(``Document.objects.for_user(user, "edit")``); a national document (``owner`` null) by superusers only,
which the same queryset gives (a null path is in nobody's subtree). "Missing" and "not yours" are the
same :class:`NotFound`. Groups and the synonym list are national: superusers only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from digitalfront.core.errors import NotFound
from digitalfront.core.scoping import ROLE_ACTIONS, scope_for
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .ingest.readers import MB, IngestTooLarge, ReadResult
from .models import Document
from .services import files
from .services.documents import LibraryError

NO_DOCUMENT = "Không tìm thấy tài liệu hoặc bạn không có quyền sửa tài liệu này."
NO_UNIT = "Không tìm thấy đơn vị hoặc bạn không có quyền quản lý tài liệu của đơn vị này."
NO_LIBRARY_ROLE = "Trang quản lý thư viện dành cho cán bộ được phân công nhập liệu hoặc quản trị đơn vị."
NATIONAL_ONLY = "Chỉ quản trị viên hệ thống được quản lý mục này."
DEFAULT_MAX_UPLOAD = 20 * MB


def editable_documents(user: Any) -> Any:
    """The documents ``user`` may change (the one scoped queryset)."""
    return Document.objects.for_user(user, "edit")


def editable_document(user: Any, slug: str) -> Document:
    """The document ``slug`` if ``user`` may edit it; otherwise :class:`NotFound`."""
    document = (editable_documents(user).select_related("group", "owner", "scope")
                .filter(slug=str(slug)[:120]).first())
    if document is None:
        raise NotFound(NO_DOCUMENT)
    return document


def may_manage(user: Any) -> bool:
    """Whether ``user`` may manage some documents (superusers, staff with an ``edit`` role)."""
    return bool(getattr(user, "is_authenticated", False)) and not scope_for(user, "edit").nothing


def is_national_manager(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def owner_units(user: Any) -> list[Unit]:
    """The units offered as a document's manager: where ``user`` holds an editing role (superusers: the
    central unit and the provinces). Units below them are accepted too (:func:`owner_for`)."""
    if not may_manage(user):
        return []
    units = Unit.objects.filter(valid_to__isnull=True)
    if user.is_superuser:
        return list(units.filter(level__in=[UnitLevel.CENTRAL, UnitLevel.PROVINCE]).order_by("path"))
    from digitalfront.accounts.selectors import role_paths

    roles = {role for role, actions in ROLE_ACTIONS.items() if "edit" in actions}
    paths = {path for role, path in role_paths(user) if role in roles}
    return list(units.filter(path__in=paths).order_by("path"))


def owner_for(user: Any, value: Any) -> Unit | None:
    """The managing unit asked for (a unit id), checked against ``user``'s rights; ``None``: national.

    Nothing asked: national for superusers, else the user's only editing unit (several: they must say
    which). A unit out of scope is :class:`NotFound`, like one that does not exist.
    """
    if value in (None, ""):
        if is_national_manager(user):
            return None
        units = owner_units(user)
        if not units:
            raise NotFound(NO_UNIT)
        if len(units) > 1:
            raise LibraryError("Hãy chọn đơn vị quản lý tài liệu.", field="owner")
        return units[0]
    text = str(value).strip()
    unit = Unit.objects.filter(pk=int(text)).first() if text.isdigit() and len(text) < 12 else None
    if unit is None or not unit.is_active or not scope_for(user, "edit").covers(unit.path):
        raise NotFound(NO_UNIT)
    return unit


def scope_unit_id(value: Any) -> int | None:
    """The id of the unit whose residents a document concerns (``None``: the whole country)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not (text.isdigit() and len(text) < 12) or not Unit.objects.filter(pk=int(text)).exists():
        raise LibraryError("Không tìm thấy đơn vị của phạm vi áp dụng.", field="scope")
    return int(text)


def max_upload_bytes() -> int:
    """The largest file accepted (``LIBRARY_MAX_UPLOAD_BYTES``, 20 MB by default)."""
    return int(getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD))


def read_file(upload: UploadedFile) -> tuple[str, bytes, ReadResult]:
    """An uploaded file's name, bytes and text; IngestError (400) or IngestTooLarge (413), in Vietnamese.
    The size is checked before the file is read into memory."""
    name = Path(upload.name or "").name[:255] or "tai-lieu"
    size, limit = upload.size or 0, max_upload_bytes()
    if size > limit:
        raise IngestTooLarge(f"Tệp {name} quá lớn ({size / MB:.1f} MB): giới hạn là {limit / MB:g} MB.",
                             field="file", code="too_large")
    data = upload.read()
    return name, data, files.read_upload(name, data)
