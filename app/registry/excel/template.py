"""Writing the commune's import template (its working copy) and the file of bad rows."""

from datetime import date, datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from app.clock import today
from app.registry.excel.columns import (
    COLUMNS,
    HELP_SHEET,
    LISTS_SHEET,
    REASON_HEADER,
    SHEET,
    TEXT_COLUMNS,
    as_text,
    clean_cell,
    header_key,
    mediator_cells,
)
from app.registry.excel.planner import Plan
from app.registry.models import Mediator, Team
from app.registry.rules import (
    BACKGROUND_LABELS,
    EDUCATION_LABELS,
    MIN_AGE,
    SEX_LABELS,
    ethnic_groups,
)
from app.text import format_date
from app.units.models import Unit

HEADER_FILL = PatternFill("solid", fgColor="3A6AA8")
REQUIRED_FILL = PatternFill("solid", fgColor="173B6B")
REASON_FILL = PatternFill("solid", fgColor="B3261E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SPARE_ROWS = 1000


def put(sheet, row: int, column: int, value):
    """Write a value as data: text that starts with "=" stays text, never a formula."""
    cell = sheet.cell(row=row, column=column, value=clean_cell(value))
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _header(sheet, headers: list[str], fills: list[PatternFill]) -> None:
    for column, (text, fill) in enumerate(zip(headers, fills, strict=True), start=1):
        cell = put(sheet, 1, column, text)
        cell.font, cell.fill = HEADER_FONT, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 32


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_template(commune: Unit, teams: list[Team], mediators: list[Mediator]) -> bytes:
    """The commune's template: its current mediators, drop-down lists, and a help sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    active_teams = [t for t in teams if t.is_active]
    team_names = {t.id: t.name for t in teams}
    _header(
        sheet,
        [c.header for c in COLUMNS],
        [REQUIRED_FILL if c.required else HEADER_FILL for c in COLUMNS],
    )
    for column, spec in enumerate(COLUMNS, start=1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = spec.width
        sheet.cell(row=1, column=column).comment = Comment(
            f"{'Bắt buộc. ' if spec.required else ''}{spec.help}", "Hòa giải ở cơ sở"
        )
        if spec.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    for row, mediator in enumerate(mediators, start=2):
        for column, value in enumerate(
            mediator_cells(mediator, team_names.get(mediator.team_id, "")), 1
        ):
            cell = put(sheet, row, column, value)
            if COLUMNS[column - 1].key in TEXT_COLUMNS and value not in (None, ""):
                cell.number_format = "@"
    sheet.freeze_panes = "C2"
    last = len(mediators) + 1 + SPARE_ROWS
    _lists_sheet(workbook, active_teams)
    _validations(sheet, last, len(active_teams))
    _help_sheet(workbook, commune, active_teams)
    workbook.properties.title = f"Hòa giải viên — {commune.name}"
    workbook.properties.creator = "Hòa giải ở cơ sở"
    return _save(workbook)


LISTS = (
    ("Giới tính", lambda teams: list(SEX_LABELS.values())),
    ("Dân tộc", lambda teams: list(ethnic_groups().values())),
    ("Thành phần", lambda teams: list(BACKGROUND_LABELS.values())),
    ("Trình độ", lambda teams: list(EDUCATION_LABELS.values())),
    ("Tổ hòa giải", lambda teams: [t.name for t in teams]),
)
LIST_OF_COLUMN = {"sex": 1, "ethnicity": 2, "background": 3, "education": 4, "team": 5}


def _lists_sheet(workbook: Workbook, teams: list[Team]) -> None:
    sheet = workbook.create_sheet(LISTS_SHEET)
    for column, (title, values) in enumerate(LISTS, start=1):
        put(sheet, 1, column, title).font = Font(bold=True)
        for row, value in enumerate(values(teams), start=2):
            put(sheet, row, column, value)
        sheet.column_dimensions[get_column_letter(column)].width = 32
    sheet.sheet_state = "hidden"


def _validations(sheet, last: int, team_count: int) -> None:
    lists_ref = quote_sheetname(LISTS_SHEET)
    lengths = {
        1: len(SEX_LABELS),
        2: len(ethnic_groups()),
        3: len(BACKGROUND_LABELS),
        4: len(EDUCATION_LABELS),
        5: team_count,
    }
    for position, spec in enumerate(COLUMNS, start=1):
        list_column = LIST_OF_COLUMN.get(spec.key)
        if list_column is None or not lengths[list_column]:
            continue
        letter = get_column_letter(list_column)
        rule = DataValidation(
            type="list",
            formula1=f"{lists_ref}!${letter}$2:${letter}${lengths[list_column] + 1}",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle=spec.header,
            error=f"Chọn {spec.header.lower()} trong danh sách.",
            promptTitle=spec.header,
            prompt=spec.help[:250],
        )
        rule.add(f"{get_column_letter(position)}2:{get_column_letter(position)}{last}")
        sheet.add_data_validation(rule)
    year = today().year
    position = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == "birth_year")
    rule = DataValidation(
        type="whole",
        operator="between",
        formula1=str(year - 110),
        formula2=str(year - MIN_AGE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Năm sinh",
        error=f"Ghi năm sinh 4 chữ số; hòa giải viên phải từ đủ {MIN_AGE} tuổi.",
    )
    rule.add(f"{get_column_letter(position)}2:{get_column_letter(position)}{last}")
    sheet.add_data_validation(rule)


def _help_sheet(workbook: Workbook, commune: Unit, teams: list[Team]) -> None:
    sheet = workbook.create_sheet(HELP_SHEET, 1)
    widths = {"A": 30, "B": 12, "C": 90, "D": 28}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    put(sheet, 1, 1, f"Mẫu nhập hòa giải viên — {commune.name}").font = Font(bold=True, size=14)
    put(
        sheet,
        2,
        1,
        f"Tải về ngày {format_date(today())}. Trang “{SHEET}” là danh sách hòa "
        "giải viên hiện có của xã: sửa, thêm dòng rồi tải tệp lên trang Nhập hòa giải viên.",
    )
    row = 4
    for column, text in enumerate(("Cột", "Bắt buộc", "Cách ghi", "Ví dụ"), start=1):
        cell = put(sheet, row, column, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for spec in COLUMNS:
        row += 1
        for column, value in enumerate(
            (spec.header, "Bắt buộc" if spec.required else "", spec.help, spec.example), start=1
        ):
            put(sheet, row, column, value).alignment = wrap
    row += 2
    rules = [
        ("Quy tắc", None),
        ("", f"Hòa giải viên phải từ đủ {MIN_AGE} tuổi; năm sinh không được ở tương lai."),
        (
            "",
            "Tổ hòa giải phải là một tổ đang hoạt động của xã này: "
            + ("; ".join(t.name for t in teams) or "xã chưa có tổ nào — hãy thêm tổ trước."),
        ),
        (
            "",
            "Ngày ghi theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 01/03/2024. Ngày quyết định "
            "công nhận không được trước năm sinh và không được ở tương lai.",
        ),
        (
            "",
            "Giới tính, dân tộc (54 dân tộc), thành phần, trình độ và tổ hòa giải: chọn trong "
            "danh sách thả xuống của từng ô.",
        ),
        ("", "Mỗi người chỉ ghi một dòng. Không đổi tên các cột và không xóa dòng tiêu đề."),
        ("Nhập lại tệp", None),
        (
            "",
            "Tải tệp lên trước hết chỉ để kiểm tra: phần mềm cho biết dòng nào sẽ được thêm, dòng "
            "nào sẽ được sửa (và sửa gì), dòng nào không đổi, dòng nào có lỗi và vì sao. Chưa có "
            "gì được ghi cho tới khi bấm “Nhập dữ liệu”.",
        ),
        (
            "",
            "Nếu còn dòng lỗi thì chưa nhập dòng nào: tải danh sách dòng lỗi (có cột “Lý do”), "
            "sửa các dòng đó trong tệp của bạn rồi tải tệp lên lại.",
        ),
        (
            "",
            "Dòng có Mã HGV là người đã có: thông tin cá nhân trên dòng sẽ thay thông tin đang "
            "lưu. Dòng không có Mã HGV được so với người cùng họ tên và năm sinh trong xã; không "
            "có ai như vậy thì là người mới: ghi số, ngày quyết định công nhận của người đó.",
        ),
        (
            "",
            "Đổi tổ, công nhận tổ trưởng, cho thôi làm hòa giải viên là các quyết định: làm trên "
            "trang của từng hòa giải viên, không làm bằng tệp này.",
        ),
        ("", "Nhập lại cùng một tệp lần thứ hai không thay đổi gì."),
    ]
    for title, text in rules:
        row += 1
        if text is None:
            put(sheet, row, 1, title).font = Font(bold=True, size=12)
            continue
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        put(sheet, row, 1, "• " + text).alignment = wrap
        sheet.row_dimensions[row].height = 15 * (1 + len(text) // 140)


def build_errors(plan: Plan) -> bytes:
    """The bad rows as they were in the file, with a column of reasons; the sheet keeps its
    name and header, so the file can be fixed and uploaded again ("Lý do" is read past)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    reason = header_key(REASON_HEADER)
    keep = [i for i, text in enumerate(plan.sheet.headers) if header_key(text) != reason]
    for position in range(1, len(keep) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 18
    sheet.column_dimensions[get_column_letter(len(keep) + 1)].width = 80
    sheet.freeze_panes = "A2"

    def cell(value, fill=None):
        if isinstance(value, (date, datetime)):
            value = as_text(value)
        item = WriteOnlyCell(sheet, value=clean_cell(value))
        if isinstance(value, str) and value.startswith("="):
            item.data_type = "s"
        if fill is not None:
            item.font, item.fill = HEADER_FONT, fill
        return item

    header = [cell(plan.sheet.headers[i], HEADER_FILL) for i in keep]
    sheet.append([*header, cell(REASON_HEADER, REASON_FILL)])
    for row in plan.bad:
        values = [row.cells[i] if i < len(row.cells) else None for i in keep]
        sheet.append([*map(cell, values), cell(f"Dòng {row.line}: {row.reason}")])
    return _save(workbook)
