"""Excel exports (openpyxl): the roll-up of a unit and its children for one period.

The builder only lays out what it is given; the view reads the figures (``selectors``) and checks who
may see them.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from digitalfront.orgs.models import COUNT_MEASURES, Level, OrganisationType, Period, Unit
from digitalfront.orgs.selectors import Completeness

NUMBER = "#,##0"
PERCENT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
TOTAL_FILL = PatternFill("solid", fgColor="FDECEA")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="D0D0D0")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_SHEET_TITLE = 31


@dataclass
class UnitFigures:
    """One unit's subtree totals: ``{org type id: {measure: value}}``."""

    unit: Unit
    cells: Mapping[int, Mapping[str, int]]


def export_filename(unit: Unit, period: Period) -> str:
    """``tong-hop-01-2026-Q3.xlsx``: ASCII, so every browser keeps it."""
    def clean(text: str) -> str:
        return "".join(ch if (ch.isalnum() and ch.isascii()) or ch in "-_" else "-" for ch in text)

    return f"tong-hop-{clean(unit.code)}-{clean(period.code)}.xlsx"


def _widths(ws, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _cell(ws, value, *, number_format: str | None = None, font: Font | None = None,
          fill: PatternFill | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if number_format:
        cell.number_format = number_format
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _title_rows(ws, lines: Sequence[str]) -> None:
    for i, text in enumerate(lines):
        ws.append([_cell(ws, text, font=Font(bold=i == 0, size=14 if i == 0 else 11))])
    ws.append([])


def _header_row(ws, titles: Sequence[str]) -> None:
    row = []
    for title in titles:
        cell = _cell(ws, title, font=HEADER_FONT, fill=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BORDER
        row.append(cell)
    ws.append(row)


def build_rollup_workbook(
    *,
    unit: Unit,
    period: Period,
    orgs: Sequence[OrganisationType],
    measures: Sequence[tuple[str, str]],
    figures: Sequence[UnitFigures],
    completeness: Sequence[Completeness],
    generated_at: datetime.datetime,
) -> Workbook:
    """Sheet "Tổng hợp": one row per unit (the unit itself, then each child) and organisation, plus a
    total row per unit; columns are the measures. Sheet "Tiến độ": completeness and timeliness.

    A write-only workbook: rows are streamed, which keeps a province with a hundred communes fast.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tổng hợp")
    all_measures = [*measures, *COUNT_MEASURES.items()]
    title_lines = [
        f"{period.dataset.name.upper()} – {period.name.upper()}",
        f"Đơn vị: {unit.name} (mã {unit.code}) và các đơn vị trực thuộc",
        f"Số liệu tổng hợp toàn bộ cấp dưới, gồm báo cáo đã nộp, đã duyệt và đã khóa. "
        f"Xuất lúc {generated_at:%H:%M ngày %d/%m/%Y}.",
    ]
    header_row = len(title_lines) + 2
    titles = ["Mã đơn vị", "Đơn vị", "Cấp", "Tổ chức", *(label for _, label in all_measures)]
    _widths(ws, [12, 32, 16, 34, *(16 for _ in all_measures)])
    ws.freeze_panes = f"E{header_row + 1}"
    ws.row_dimensions[header_row].height = 48
    rows_total = len(figures) * (len(orgs) + 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(titles))}{header_row + max(rows_total, 1)}"
    _title_rows(ws, title_lines)
    _header_row(ws, titles)
    bold = Font(bold=True)
    levels = list(Level.values)
    for item in figures:
        u = item.unit
        below = levels[levels.index(u.level):] if u.level in levels else levels
        unit_orgs = [o for o in orgs if any(o.exists_at(lv) for lv in below)]
        level = u.get_level_display()
        name = u.name + ("" if u.valid_to is None else f" (hết hiệu lực từ {u.valid_to:%d/%m/%Y})")
        totals = dict.fromkeys((m for m, _ in all_measures), 0)
        for org in unit_orgs:
            cell = item.cells.get(org.pk, {})
            values = [int(cell.get(m, 0)) for m, _ in all_measures]
            for (m, _), v in zip(all_measures, values, strict=True):
                totals[m] += v
            ws.append([u.code, name, level, org.name_at(u.level),
                       *(_cell(ws, v, number_format=NUMBER) for v in values)])
        ws.append([
            *(_cell(ws, v, font=bold, fill=TOTAL_FILL) for v in (u.code, name, level, "Cộng các tổ chức")),
            *(_cell(ws, totals[m], number_format=NUMBER, font=bold, fill=TOTAL_FILL) for m, _ in all_measures),
        ])

    ws2 = wb.create_sheet("Tiến độ")
    titles2 = ["Mã đơn vị", "Đơn vị", "Số báo cáo phải nộp", "Đã nộp", "Nộp đúng hạn", "Tỷ lệ đầy đủ",
               "Tỷ lệ đúng hạn"]
    _widths(ws2, [12, 32, 16, 12, 14, 14, 14])
    ws2.freeze_panes = "C5"
    ws2.row_dimensions[4].height = 48
    _title_rows(ws2, [f"TIẾN ĐỘ NỘP BÁO CÁO – {period.name.upper()}", f"Hạn nộp: {period.deadline:%d/%m/%Y}"])
    _header_row(ws2, titles2)
    for i, c in enumerate(completeness):
        font = bold if i == 0 else None
        ws2.append([
            _cell(ws2, c.unit.code, font=font), _cell(ws2, c.unit.name, font=font),
            *(_cell(ws2, v, number_format=NUMBER, font=font) for v in (c.expected, c.submitted, c.on_time)),
            *(_cell(ws2, v, number_format=PERCENT, font=font) for v in (c.completeness, c.timeliness)),
        ])
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
