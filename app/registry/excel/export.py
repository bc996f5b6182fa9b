"""Exports of the registry's lists as .xlsx or .csv: the same filters, scope and order as the
list pages (the kinds of lists.py), every row rather than a page, within a row limit."""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, func, select

from app.extensions import db
from app.registry.excel.columns import (
    COLUMNS,
    TEXT_COLUMNS,
    clean_cell,
    is_formula_like,
)
from app.registry.excel.lists import ExportKind
from app.registry.excel.template import HEADER_FILL, HEADER_FONT
from app.text import format_date, format_number

ROW_LIMIT = 200_000
BATCH = 2000
DATE_FORMAT = "DD/MM/YYYY"


class TooManyRows(ValueError):
    """More rows than an export may hold: the person should filter first."""

    def __init__(self, limit: int):
        super().__init__(
            f"Danh sách có hơn {format_number(limit)} dòng, quá nhiều để xuất một lần. Hãy lọc "
            "bớt (theo đơn vị, trạng thái…) rồi tải lại."
        )


def export_query(kind: ExportKind, user, args) -> Select:
    """The list's query for these request arguments; TooManyRows past the limit."""
    stmt = kind.query(user, kind.filters.from_args(args))
    counted = stmt.order_by(None).limit(ROW_LIMIT + 1).subquery()
    if db.session.scalar(select(func.count()).select_from(counted)) > ROW_LIMIT:
        raise TooManyRows(ROW_LIMIT)
    return stmt


def _rows(kind: ExportKind, stmt: Select) -> Iterator[list]:
    for row in db.session.execute(stmt.execution_options(yield_per=BATCH)):
        yield kind.cells(row)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (date, datetime)):
        return format_date(value)
    if is_formula_like(value):
        return "'" + value  # never run as a formula when Excel opens the file
    return value


def csv_chunks(kind: ExportKind, stmt: Select) -> Iterator[str]:
    """The CSV, UTF-8 with a BOM so that Excel reads the Vietnamese right, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([header for header, _width in kind.headers])
    for n, cells in enumerate(_rows(kind, stmt), start=1):
        writer.writerow([_csv_value(value) for value in cells])
        if n % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(kind: ExportKind, stmt: Select) -> bytes:
    """The .xlsx, written row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.title)
    for position, (_header, width) in enumerate(kind.headers, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(kind.headers))}1"
    header = []
    for text, _width in kind.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    text_positions = (
        {i for i, c in enumerate(COLUMNS) if c.key in TEXT_COLUMNS}
        if kind.name == "mediators"
        else set()
    )
    for cells in _rows(kind, stmt):
        sheet.append(
            [_xlsx_cell(sheet, value, i in text_positions) for i, value in enumerate(cells)]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value, as_text: bool):
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    cell = WriteOnlyCell(sheet, value=clean_cell(value))
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    if isinstance(value, (date, datetime)):
        cell.number_format = DATE_FORMAT
    elif as_text:
        cell.number_format = "@"
    return cell
