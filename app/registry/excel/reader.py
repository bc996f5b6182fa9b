"""Reading an uploaded workbook: find the mediator sheet and its header, map the columns, and
give back every non-blank row with its row number as Excel shows it."""

import warnings
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from openpyxl import load_workbook

from app.registry.excel.columns import (
    COLUMNS,
    HEADER_KEYS,
    IGNORED_KEYS,
    SHEET,
    as_text,
    header_key,
)
from app.text import fold, format_number

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10


class FileProblem(ValueError):
    """The file as a whole cannot be imported; the message says why, in Vietnamese."""


@dataclass
class SheetRows:
    """The mediator sheet of a workbook: where each column is, and the data rows."""

    sheet: str
    header_line: int
    headers: list[str]
    positions: dict[str, int]
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    def values(self, cells: tuple) -> dict:
        """Column key -> the cell's value (None when the row is shorter)."""
        return {
            key: cells[position] if position < len(cells) else None
            for key, position in self.positions.items()
        }


def open_workbook(data: bytes):
    """A read-only workbook, or FileProblem when the content is not a readable .xlsx."""
    try:
        with warnings.catch_warnings():
            # Excel's extensions (e.g. x14 data validations) are dropped with a warning.
            warnings.simplefilter("ignore")
            return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
        raise FileProblem(
            "Không đọc được tệp Excel này (tệp hỏng hoặc không phải .xlsx). Hãy mở tệp bằng "
            "Excel, lưu lại dạng “Excel Workbook (*.xlsx)” rồi tải lên lại."
        ) from error


def read_sheet(data: bytes, header_only: bool = False) -> SheetRows:
    """The mediator sheet's header and rows; FileProblem for a wrong file or header."""
    workbook = open_workbook(data)
    try:
        sheet = _mediator_sheet(workbook)
        rows = sheet.iter_rows(values_only=True)
        header_line, header = _find_header(rows, sheet.title)
        positions, headers = _map_header(header, sheet.title)
        result = SheetRows(sheet.title, header_line, headers, positions)
        if header_only:
            return result
        for line, cells in enumerate(rows, start=header_line + 1):
            if not any(as_text(cell) for cell in cells):
                continue
            if len(result.rows) >= MAX_ROWS:
                raise FileProblem(
                    f"Tệp có hơn {format_number(MAX_ROWS)} dòng hòa giải viên; hãy chia thành "
                    "nhiều tệp (ví dụ mỗi tệp một xã)."
                )
            result.rows.append((line, cells))
        return result
    finally:
        workbook.close()


def _mediator_sheet(workbook):
    wanted = fold(SHEET)
    for sheet in workbook.worksheets:
        if fold(sheet.title) == wanted:
            return sheet
    return workbook.worksheets[0]


def _find_header(rows, title: str) -> tuple[int, tuple]:
    """The first row (of the first ten) with a "Họ và tên" cell."""
    name_key = header_key(COLUMNS[1].header)
    for line, cells in enumerate(rows, start=1):
        if any(header_key(cell) == name_key for cell in cells if cell is not None):
            return line, cells
        if line >= HEADER_SEARCH_ROWS:
            break
    raise FileProblem(
        f"Không thấy dòng tiêu đề ở trang “{title}”: dòng đầu tiên phải là tên các cột như "
        "trong mẫu (Mã HGV, Họ và tên, Giới tính…). Hãy tải mẫu của xã rồi chép dữ liệu vào."
    )


def _map_header(header: tuple, title: str) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    headers = [as_text(cell) for cell in header]
    unknown, twice = [], []
    for position, text in enumerate(headers):
        if not text:
            continue
        key = HEADER_KEYS.get(header_key(text))
        if key is None:
            if header_key(text) not in IGNORED_KEYS:
                unknown.append(f"“{text}”")
        elif key in positions:
            twice.append(f"“{text}”")
        else:
            positions[key] = position
    missing = [f"“{c.header}”" for c in COLUMNS if c.key not in positions]
    problems = []
    if missing:
        problems.append(f"Thiếu cột {', '.join(missing)}.")
    if unknown:
        problems.append(f"Cột không có trong mẫu: {', '.join(unknown)}.")
    if twice:
        problems.append(f"Cột có hai lần: {', '.join(twice)}.")
    if problems:
        raise FileProblem(
            f"Dòng tiêu đề của trang “{title}” không đúng mẫu. {' '.join(problems)} Hãy dùng mẫu "
            "tải từ trang này và giữ nguyên dòng tiêu đề."
        )
    return positions, headers
