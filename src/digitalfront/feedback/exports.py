"""The staff export of the inbox as an Excel workbook (openpyxl), and its audit event.

The builder only lays out the rows it is given (``selectors_reports.export_rows``, which never loads the
sender's identity, the content, or a denunciation's title). A write-only workbook streams the rows to a
temporary file as they come, so 50,000 cases take a few megabytes, not a few hundred.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from digitalfront.core import audit

from .selectors_reports import EXPORT_COLUMNS, ExportRows

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WIDTHS = {
    "code": 14,
    "kind": 18,
    "status": 20,
    "topic": 22,
    "urgency": 12,
    "title": 50,
    "province": 22,
    "commune": 22,
    "unit": 26,
    "received_at": 17,
    "accepted_at": 17,
    "due_at": 17,
    "answered_at": 17,
    "answered_on_time": 12,
    "supporters": 12,
    "satisfaction": 12,
}
SHEET_TITLE = "Phản ánh"


def capped_note(limit: int, total: int) -> str:
    """The last row of a capped export."""

    def number(n: int) -> str:
        return f"{n:,}".replace(",", ".")  # 50.000: the Vietnamese thousands separator

    return (
        f"Chỉ xuất {number(limit)} dòng đầu trên tổng số {number(total)} phản ánh khớp bộ lọc. "
        "Hãy lọc hẹp hơn (trạng thái, loại, lĩnh vực, đơn vị) để xuất phần còn lại."
    )


def export_filename(now: dt.datetime) -> str:
    """``phan-anh-20261122-0930.xlsx``: ASCII, so every browser keeps it."""
    return f"phan-anh-{timezone.localtime(now):%Y%m%d-%H%M}.xlsx"


def _excel_value(value: Any, kind: str) -> tuple[Any, str | None]:
    """A value as openpyxl stores it, and its number format. Excel has no time zones: datetimes are
    written in Vietnam's local time, naive, as real dates (sortable, filterable)."""
    if value is None:
        return None, None
    if kind == "datetime":
        return timezone.localtime(value).replace(tzinfo=None), DATETIME_FORMAT
    if kind == "bool":
        return ("Có" if value else "Không"), None
    if kind == "int":
        return int(value), "0"
    return value, None


def build_cases_workbook(export: ExportRows, *, generated_at: dt.datetime) -> tuple[Workbook, int]:
    """One sheet: a frozen header row with an auto-filter, one row per case; when the export was capped
    at ``selectors_reports.EXPORT_MAX_ROWS`` a last row says so. Returns the workbook and the number of case rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    for col, (key, _, _) in enumerate(EXPORT_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(key, 16)
    ws.freeze_panes = "B2"  # the header row and the code column stay in view (set before any row)
    header = []
    for _, title, _ in EXPORT_COLUMNS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    ws.append(header)
    written = _write_rows(ws, export.rows)
    last_column = get_column_letter(len(EXPORT_COLUMNS))
    # the auto-filter is written at the end of the sheet, so the final row count can be used here
    ws.auto_filter.ref = f"A1:{last_column}{written + 1}"
    if export.capped:
        note = WriteOnlyCell(ws, value=capped_note(export.limit, export.total))
        note.font = Font(bold=True, color="B71C1C")
        ws.append([note])
    # the time of the export goes into the workbook's properties, not a row under the data, which would
    # get in the way of sorting and pivot tables
    wb.properties.created = timezone.localtime(generated_at).replace(tzinfo=None)
    wb.properties.title = "Danh sách phản ánh, kiến nghị (không gồm thông tin người gửi, nội dung tố cáo)"
    return wb, written


def _write_rows(ws: Any, rows: Iterable[dict[str, Any]]) -> int:
    written = 0
    for row in rows:
        cells = []
        for key, _, kind in EXPORT_COLUMNS:
            value, number_format = _excel_value(row[key], kind)
            if number_format is None:
                cells.append(value)
            else:
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = number_format
                cells.append(cell)
        ws.append(cells)
        written += 1
    return written


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def record_export(*, actor: Any, rows: int, total: int, query: dict[str, str], unit_path: str = "") -> None:
    """Audit ``feedback.export``: who exported how many rows with which filters (the query string only,
    no case data). The object is the exporting account: there is no single case to name."""
    audit.record(
        actor=actor,
        action="feedback.export",
        obj=actor,
        unit_path=unit_path,
        rows=rows,
        total=total,
        capped=total > rows,
        filters=query,
    )
