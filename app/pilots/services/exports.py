"""The overview as a spreadsheet: sheet "Tổng hợp", one row per checklist, and sheet "Chi
tiết", one row per item, for the checklists of the user's subtree that the overview's filters
keep. Written row by row (openpyxl's write-only mode), the views built a batch of checklists
at a time, so that memory stays bounded whatever the subtree."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from app.extensions import db
from app.pagination import keyset_page
from app.pilots.models import Checklist
from app.pilots.rules import SIGNED_OFF
from app.pilots.services.overview import (
    PAGE_KEYS,
    OverviewFilters,
    checklists_stmt,
    load_views,
    make_row,
    named_checklists,
)
from app.registry.excel.columns import clean_cell, is_formula_like
from app.registry.excel.export import DATE_FORMAT, TooManyRows
from app.registry.excel.template import HEADER_FILL, HEADER_FONT
from app.units.models import Unit
from app.units.services import units_by_id

# Checklists per export (a country's pilots and model communes fit well below it) and per
# batch of views.
ROW_LIMIT = 20_000
BATCH = 200

SUMMARY = "Tổng hợp"
SUMMARY_HEADERS = (
    ("STT", 6),
    ("Xã, phường, thị trấn", 26),
    ("Loại", 14),
    ("Cấp chỉ đạo điểm", 14),
    ("Mẫu bảng kiểm", 36),
    ("Đơn vị chỉ định", 24),
    ("Từ ngày", 12),
    ("Đến ngày", 12),
    ("Trạng thái", 18),
    ("Tiến độ theo phần", 36),
    ("Hoàn thành (%)", 12),
    ("Điểm đạt", 10),
    ("Tổng điểm", 10),
    ("Số mục quá hạn", 12),
    ("Đạt tiêu chí xã điển hình (khi ký duyệt)", 18),
    ("Đạt tiêu chí xã điển hình (hiện nay)", 18),
)
DETAIL = "Chi tiết"
DETAIL_HEADERS = (
    ("Xã, phường, thị trấn", 26),
    ("Loại", 14),
    ("Phần", 32),
    ("Mục", 50),
    ("Chỉ tiêu", 12),
    ("Giá trị", 18),
    ("Kết quả", 12),
    ("Tiến độ", 16),
    ("Hạn", 12),
    ("Quá hạn", 10),
    ("Duyệt", 12),
    ("Lý do trả lại", 30),
    ("Số tệp minh chứng", 10),
)


def met_text(met: bool | None) -> str | None:
    """Đạt / Chưa đạt / nothing to judge yet."""
    if met is None:
        return None
    return "Đạt" if met else "Chưa đạt"


def _summary_cells(n: int, row, office: str) -> list:
    c = row.checklist
    return [
        n,
        row.commune,
        c.kind_label,
        c.level_label,
        row.template,
        office,
        c.starts_on,
        c.ends_on,
        c.status_label,
        " · ".join(f"{s.label}: {s.completion}%" for s in row.sections),
        row.tally.completion,
        row.tally.points_earned,
        row.tally.points,
        row.overdue,
        met_text(row.meets_frozen),
        met_text(row.meets_now),
    ]


def _detail_rows(row, view):
    signed = row.checklist.status == SIGNED_OFF
    for section in view.sections:
        for item in section.items:
            yield [
                row.commune,
                row.checklist.kind_label,
                section.title,
                item.text,
                item.target or None,
                item.display if item.display != "—" else None,
                met_text(item.met),
                "Tự động tính" if item.computed else item.progress_label,
                item.due_date,
                "Quá hạn" if item.overdue and not signed else None,
                item.review_label,
                item.return_reason,
                len(item.evidence),
            ]


def _batches(stmt, today: date):
    """(rows, views) of the checklists, a keyset batch at a time, communes in order."""
    after = None
    while True:
        page = keyset_page(stmt, PAGE_KEYS, after, BATCH, scalars=False)
        views = load_views([r[0] for r in page.items], today)
        yield [
            (make_row(r[0], r.commune_name, r.template_name, views), views.shown[r[0].id])
            for r in page.items
        ]
        if not page.has_next:
            return
        after = page.next_cursor


def overview_xlsx(user, f: OverviewFilters, today: date) -> bytes:
    """The workbook of the overview for these filters; TooManyRows past ROW_LIMIT."""
    stmt = checklists_stmt(user, f, today)
    counted = stmt.order_by(None).limit(ROW_LIMIT + 1).subquery()
    if db.session.scalar(select(func.count()).select_from(counted)) > ROW_LIMIT:
        raise TooManyRows(ROW_LIMIT)
    stmt = named_checklists(stmt, Checklist.id, Unit.name_folded)
    workbook = Workbook(write_only=True)
    summary = _sheet(workbook, SUMMARY, SUMMARY_HEADERS)
    detail = _sheet(workbook, DETAIL, DETAIL_HEADERS)
    n = 0
    for batch in _batches(stmt, today):
        offices = units_by_id(row.checklist.office_unit_id for row, _view in batch)
        for row, view in batch:
            if f.overdue and not row.overdue:
                continue
            n += 1
            office = offices.get(row.checklist.office_unit_id)
            _append(summary, _summary_cells(n, row, office.name if office else ""))
            for cells in _detail_rows(row, view):
                _append(detail, cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook, title: str, headers):
    sheet = workbook.create_sheet(title)
    for position, (_header, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    header = []
    for text, _width in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        header.append(cell)
    sheet.append(header)
    return sheet


def _append(sheet, values: list) -> None:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=clean_cell(value))
        if is_formula_like(value):
            cell.data_type = "s"  # typed text, never a formula
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
        cells.append(cell)
    sheet.append(cells)
