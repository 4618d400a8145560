"""The audit log pages: browsing (``core:audit_list``) and the Excel export (``core:audit_export``).

Superusers see every event, unit administrators the events of their units' subtrees
(``core.audit_selectors``); anybody else gets 403, anonymous users the login page.

The export uses the same queryset and filters as the page. It is written row by row (openpyxl's
write-only mode keeps the rows in a temporary file, the events are read 2,000 at a time), then streamed
from a temporary file: 100,000 rows never sit in memory. At most :data:`EXPORT_MAX_ROWS` rows (the
newest) are exported; the workbook then says so in its heading. Every export is audited
(``audit_exported``, with the filters and the number of rows).
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from digitalfront.core.audit_labels import action_choices
from digitalfront.core.audit_selectors import (
    FIELDS,
    LOCAL_TZ,
    AuditFilters,
    EventRow,
    RowBuilder,
    can_browse_audit,
    event_rows,
    events_for,
    home_unit_path,
    object_type_choices,
    parse_filters,
)
from digitalfront.core.models import AuditEvent

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 200_000
EXPORT_CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADERS = ("Thời gian", "Người thực hiện", "Mã thao tác", "Thao tác", "Loại đối tượng", "Mã đối tượng",
                  "Tên đối tượng", "Đơn vị", "Đường dẫn đơn vị", "Địa chỉ IP", "Trình duyệt", "Chi tiết")
EXPORT_WIDTHS = (20, 18, 18, 28, 16, 12, 18, 28, 22, 16, 40, 60)
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def _capped_message(total: int) -> str:
    return (f"Chỉ xuất {EXPORT_MAX_ROWS:,} dòng mới nhất trong tổng số {total:,} dòng khớp bộ lọc "
            f"(giới hạn mỗi lần xuất). Hãy thu hẹp bộ lọc, ví dụ theo khoảng ngày, để xuất phần còn lại."
            ).replace(",", ".")


def _allowed(request: HttpRequest) -> None:
    if not can_browse_audit(request.user):
        raise PermissionDenied("Bạn không có quyền xem nhật ký thao tác.")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    parsed = parse_filters(request.GET)
    events = events_for(request.user, parsed.filters)
    page = Paginator(events.values(*FIELDS), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = RowBuilder().rows(page.object_list)
    params = request.GET.copy()
    params.pop("trang", None)
    total = page.paginator.count
    return render(request, "core/audit_list.html", {
        "page": page, "rows": rows, "page_query": params.urlencode(), "errors": parsed.errors,
        "values": parsed.values, "actions": action_choices(), "object_types": object_type_choices(),
        "capped": total > EXPORT_MAX_ROWS, "export_max": EXPORT_MAX_ROWS, "nav": "audit",
    })


# --- export -------------------------------------------------------------------------------------------


def _text(ws: Any, value: str, **style: Any) -> WriteOnlyCell:
    """A text cell: never a formula (a user agent starting with ``=`` stays text), no characters that
    the file format forbids."""
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    for name, v in style.items():
        setattr(cell, name, v)
    return cell


def _export_row(ws: Any, row: EventRow) -> list[Any]:
    at = WriteOnlyCell(ws, value=row.at.replace(tzinfo=None))  # Excel has no time zones: local time
    at.number_format = "dd/mm/yyyy hh:mm:ss"
    values = (row.actor, row.action, row.action_label, row.object_type_label, row.object_id, row.object_name,
              row.unit_name, row.unit_path, row.ip, row.user_agent, row.details)
    return [at, *(_plain(ws, v) for v in values)]


def _plain(ws: Any, value: str) -> Any:
    """``value`` as it can be appended: a plain string (fast) unless it needs :func:`_text`."""
    if value.startswith("=") or ILLEGAL_CHARACTERS_RE.search(value):
        return _text(ws, value)
    return value


def write_workbook(target: Any, *, user: Any, filters: AuditFilters, total: int) -> int:
    """Write the events of ``user`` matching ``filters`` to ``target`` (a file); returns the rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký")
    for col, width in enumerate(EXPORT_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    now = timezone.now().astimezone(LOCAL_TZ)
    lines = ["NHẬT KÝ THAO TÁC", f"Xuất lúc {now:%H:%M ngày %d/%m/%Y} bởi {user.get_username()}."]
    described = filters.as_data()
    if described:
        lines.append("Bộ lọc: " + "; ".join(f"{k} = {v}" for k, v in described.items()))
    if total > EXPORT_MAX_ROWS:
        lines.append(_capped_message(total))
    for i, line in enumerate(lines):
        ws.append([_text(ws, line, font=Font(bold=i == 0, size=14 if i == 0 else 11))])
    ws.append([])
    header_row = len(lines) + 2
    ws.freeze_panes = f"A{header_row + 1}"
    header = []
    for title in EXPORT_HEADERS:
        cell = _text(ws, title, font=HEADER_FONT, fill=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    written = 0
    for row in event_rows(events_for(user, filters), limit=EXPORT_MAX_ROWS, chunk_size=EXPORT_CHUNK):
        ws.append(_export_row(ws, row))
        written += 1
    wb.save(target)
    return written


@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    _allowed(request)
    parsed = parse_filters(request.GET)
    if parsed.errors:
        # exporting something other than what was asked would be worse than exporting nothing
        return render(request, "core/audit_list.html", {
            "page": None, "rows": [], "page_query": "", "errors": parsed.errors, "values": parsed.values,
            "actions": action_choices(), "object_types": object_type_choices(), "nav": "audit",
            "export_refused": True,
        }, status=400)
    user = request.user
    total = events_for(user, parsed.filters).count()
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    try:
        written = write_workbook(target, user=user, filters=parsed.filters, total=total)
        target.seek(0)
        _record_export(request, parsed.filters, rows=written, total=total)
    except BaseException:
        target.close()
        raise
    stamp = timezone.now().astimezone(LOCAL_TZ)
    response = FileResponse(target, as_attachment=True, filename=f"nhat-ky-{stamp:%Y%m%d-%H%M}.xlsx",
                            content_type=XLSX)
    if total > EXPORT_MAX_ROWS:
        response["X-Export-Capped"] = str(EXPORT_MAX_ROWS)
    return response


@transaction.atomic
def _record_export(request: HttpRequest, filters: AuditFilters, *, rows: int, total: int) -> AuditEvent:
    from digitalfront.accounts.requests import request_data  # the client's address, as accounts reads it

    user: Any = request.user  # signed in: the view requires it
    return AuditEvent.objects.create(
        actor=user,
        action="audit_exported",
        object_type=AuditEvent._meta.label_lower,
        object_id="",
        unit_path=home_unit_path(user),
        data={"filters": filters.as_data(), "rows": rows, "total": total, "capped": total > EXPORT_MAX_ROWS,
              **request_data(request)},
    )
