"""Excel files of the staff import (openpyxl): the template, reading an upload, the error report and the
result with the temporary passwords.

Reading only turns cells into :class:`~digitalfront.accounts.staff.StaffRow`; the rules are checked by
``staff.validate_rows``, the same as for the one-account form.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from digitalfront.accounts.models import Role
from digitalfront.accounts.staff import COLUMNS, ImportedAccount, ImportRejected, RowError, StaffRow, clean_text
from digitalfront.core.text import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Cán bộ"
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TEXT = "@"
WIDTHS = (22, 28, 30, 16, 14, 18)


def file_error(message: str) -> ImportRejected:
    return ImportRejected([RowError(0, "", message)])


def _header(ws: Any, titles: Sequence[str], widths: Sequence[float]) -> None:
    ws.append(list(titles))
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
        cell = ws.cell(row=1, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the template -----------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The sheet to fill in: the six headers, text-formatted columns (so ``00004`` and ``0912…`` keep
    their leading zeros), a drop-down of the roles, one example row, and a sheet of instructions."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    _header(ws, [label for _, label in COLUMNS], WIDTHS)
    for col in range(1, len(COLUMNS) + 1):
        ws.column_dimensions[get_column_letter(col)].number_format = TEXT
    labels = [str(label) for label in Role.labels]
    validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=False)
    validation.error = "Chọn một vai trò trong danh sách."
    validation.errorTitle = "Vai trò không hợp lệ"
    ws.add_data_validation(validation)
    validation.add(f"F2:F{MAX_ROWS + 1}")
    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 110
    for line in (
        "Mỗi dòng của trang “Cán bộ” là một tài khoản cán bộ. Giữ nguyên dòng tiêu đề; xóa dòng ví dụ trước "
        "khi nhập.",
        "Bắt buộc: Tên đăng nhập, Họ và tên, Mã đơn vị, Vai trò; cần ít nhất E-mail hoặc Số điện thoại.",
        "Tên đăng nhập: 3–150 ký tự, chữ cái không dấu, chữ số và . _ - @ +; không trùng với tài khoản đã có.",
        "Số điện thoại: 10 chữ số bắt đầu bằng 0 (0912345678) hoặc dạng +84 (+84912345678).",
        "Mã đơn vị: mã của đơn vị thuộc phạm vi bạn quản trị (xem trên trang Đơn vị).",
        "Vai trò: " + ", ".join(f"{label} ({code})" for code, label in Role.choices) + ".",
        f"Tối đa {MAX_ROWS:,} dòng, tệp không quá 2 MB. Nếu có dòng sai, không tài khoản nào được tạo và "
        "bạn nhận được báo cáo lỗi từng dòng.".replace(",", "."),
        "Mỗi tài khoản được cấp một mật khẩu tạm thời, phải đổi ở lần đăng nhập đầu tiên.",
    ):
        guide.append([line])
    ws.append(["nguyenvana.badinh", "Nguyễn Văn A", "nguyenvana@example.vn", "0912345678", "00004", labels[0]])
    for cell in ws[2]:
        cell.number_format = TEXT
    return _bytes(wb)


# --- reading an upload ------------------------------------------------------------------------------


def _column_map(header: Sequence[Any]) -> dict[str, int]:
    wanted = {fold(label): name for name, label in COLUMNS} | {name: name for name, _ in COLUMNS}
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        name = wanted.get(fold(clean_text(value)))
        if name and name not in found:
            found[name] = index
    return found


def read_rows(upload: Any) -> list[StaffRow]:
    """The rows of an uploaded .xlsx (``UploadedFile`` or a binary file object), or
    :class:`ImportRejected` with one error for the whole file (not an xlsx, too large, too many rows,
    headers missing, no data)."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise file_error("Tệp lớn hơn 2 MB. Hãy chia thành nhiều tệp nhỏ hơn.")
    name = str(getattr(upload, "name", "") or "")
    if name and not name.lower().endswith(".xlsx"):
        raise file_error("Tệp không phải bảng tính Excel .xlsx. Hãy dùng tệp mẫu và lưu dưới dạng .xlsx.")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise file_error("Tệp lớn hơn 2 MB. Hãy chia thành nhiều tệp nhỏ hơn.")
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise file_error("Tệp không phải bảng tính Excel .xlsx. Hãy dùng tệp mẫu và lưu dưới dạng .xlsx.")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        raise file_error("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.") from None
    try:
        return _rows_of(wb)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError):
        raise file_error("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.") from None
    finally:
        wb.close()


def _rows_of(wb: Any) -> list[StaffRow]:
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    cells = ws.iter_rows(values_only=True)
    header = next(cells, None)
    columns = _column_map(header or ())
    missing = [label for name, label in COLUMNS if name not in columns]
    if missing:
        raise file_error("Tệp không đúng mẫu: thiếu cột " + ", ".join(f"“{m}”" for m in missing)
                      + " ở dòng tiêu đề (dòng 1). Hãy tải tệp mẫu và điền theo đó.")
    rows: list[StaffRow] = []
    for number, values in enumerate(cells, start=2):
        texts = {name: clean_text(values[index]) if index < len(values) else "" for name, index in columns.items()}
        if not any(texts.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise file_error(f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu. Hãy chia thành nhiều tệp.".replace(",", "."))
        rows.append(StaffRow(
            username=texts["username"], full_name=texts["full_name"], email=texts["email"], phone=texts["phone"],
            unit_code=texts["unit_code"], role=texts["role"], row=number,
        ))
    if not rows:
        raise file_error("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề).")
    return rows


# --- reports ----------------------------------------------------------------------------------------


def errors_workbook(errors: Iterable[dict[str, Any]]) -> bytes:
    """The error report: row number, column, message (``errors`` as stored in the session)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Lỗi"
    _header(ws, ["Dòng", "Cột", "Lỗi"], (8, 18, 100))
    labels = dict(COLUMNS)
    for error in errors:
        ws.append([error["row"] or "", labels.get(error["column"], ""), error["message"]])
    return _bytes(wb)


def result_workbook(accounts: Iterable[Sequence[str]]) -> bytes:
    """The accounts created, with their temporary passwords (rows of :func:`result_rows`)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tài khoản"
    _header(ws, ["Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Đơn vị", "Vai trò", "Mật khẩu tạm thời"],
            (22, 28, 14, 30, 18, 20))
    for row in accounts:
        ws.append(list(row))
    return _bytes(wb)


def result_rows(accounts: Iterable[ImportedAccount]) -> list[list[str]]:
    return [[a.username, a.full_name, a.unit_code, a.unit_name, a.role, a.password] for a in accounts]
