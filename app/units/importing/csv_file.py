"""CSV files of a subtree of units: read, check every row, then apply all or nothing."""

import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.text import fold, normalize
from app.units.importing.bulk import create_units
from app.units.importing.common import ImportFailed, Summary
from app.units.importing.csv_planner import CsvPlanner
from app.units.importing.csv_rows import COLUMN_LABELS, CsvRow
from app.units.models import Unit
from app.units.services import find_unit_by_reference, update_unit

COLUMNS = {
    "code": ("code", "ma", "ma don vi"),
    "name": ("name", "ten", "ten don vi"),
    "kind": ("kind", "loai", "loai don vi"),
    "parent_code": ("parent code", "ma cap tren", "ma don vi cap tren"),
    "valid_from": ("valid from", "hieu luc tu", "tu ngay"),
    "valid_to": ("valid to", "hieu luc den", "den ngay"),
    "ethnic_minority_area": (
        "ethnic minority area",
        "vung dtts",
        "vung dan toc thieu so",
        "vung dong bao dan toc thieu so",
    ),
    "note": ("note", "ghi chu"),
}


def _header_key(text: str) -> str:
    return fold(text.replace("_", " ").replace("-", " "))


HEADER_KEYS = {
    _header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases
}


def read_csv(data: bytes) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line number, the header, and the non-blank rows with their line numbers.

    UTF-8 with or without a BOM; ',' or ';' (Excel in Vietnam saves with ';'), or a first line
    "sep=;" as Excel writes it.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [
                (
                    None,
                    "Tệp không được lưu bằng mã UTF-8. Trong Excel, hãy dùng Save As (Lưu như) "
                    "và chọn kiểu “CSV UTF-8 (Comma delimited) (*.csv)”.",
                )
            ]
        ) from None
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    skip_first = first.replace(" ", "").lower().startswith("sep=")
    if skip_first:
        delimiter = first.strip()[4:5] or ","
    else:
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(cell.strip() for cell in cells):
                records.append((line, cells))
    except csv.Error as error:
        raise ImportFailed([(reader.line_num, f"Không đọc được dòng này ({error}).")]) from None
    if skip_first and records:
        records.pop(0)
    if not records:
        raise ImportFailed([(None, "Tệp không có dữ liệu.")])
    header_line, header = records[0]
    return header_line, header, records[1:]


def _map_header(line: int, header: list[str]) -> dict[str, int]:
    """Column name -> position; English or Vietnamese names, any case, with or without marks."""
    positions: dict[str, int] = {}
    problems = []
    for position, cell in enumerate(header):
        if not cell.strip():
            continue
        column = HEADER_KEYS.get(_header_key(cell))
        if column is None:
            problems.append(
                f"Cột “{cell.strip()}” không rõ nghĩa. Các cột dùng được: "
                f"{', '.join(COLUMNS)} (xem docs/units-import.md)."
            )
        elif column in positions:
            problems.append(f"Cột {column} ({COLUMN_LABELS[column]}) có hai lần.")
        else:
            positions[column] = position
    for column in ("name", "kind"):
        if column not in positions:
            problems.append(f"Thiếu cột {column} ({COLUMN_LABELS[column]}).")
    if problems:
        raise ImportFailed([(line, problem) for problem in problems])
    return positions


def plan_csv(data: bytes, root: Unit | None) -> list[CsvRow]:
    """Read and check every row of a file; raise ImportFailed listing every bad row.

    ``root`` is the --parent unit: the parent of rows without a parent_code, and the subtree in
    which parent codes are looked up. Reads only; nothing is written.
    """
    header_line, header, records = read_csv(data)
    positions = _map_header(header_line, header)
    rows = []
    for line, cells in records:
        values = {
            col: normalize(cells[pos]) if pos < len(cells) else "" for col, pos in positions.items()
        }
        row = CsvRow(line, values)
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            row.errors.append(
                "Dòng có nhiều ô hơn dòng tiêu đề (có thể tên có dấu phẩy mà không đặt trong "
                "ngoặc kép)."
            )
        rows.append(row)
    planner = CsvPlanner(rows, root)
    for row in rows:
        planner.plan(row)
    problems = [(row.line, error) for row in rows for error in row.errors]
    if problems:
        raise ImportFailed(problems)
    return rows


def import_csv(data: bytes, root: Unit | None, source: str, dry_run: bool = False) -> Summary:
    """Import a CSV file of units (all or nothing); admins run it from the CLI.

    Rows are matched with the units they already are, so importing the same file again
    changes nothing. With ``dry_run`` nothing is written.
    """
    rows = plan_csv(data, root)
    summary = Summary()
    for row in rows:
        if row.action == "create":
            summary.created[row.level] += 1
        elif row.action == "update":
            summary.updated += 1
            summary.details.append(row.describe())
        else:
            summary.unchanged += 1
    summary.listing = [row.describe() for row in rows]
    if dry_run:
        return summary
    for row in rows:
        if row.action == "update":
            update_unit(row.unit, dict(row.changes))
    # A new row below a new row waits for its parent: one create_units call per generation.
    generations: dict[CsvRow, int] = {}
    for row in rows:
        if row.action == "create":
            generations[row] = generations.get(row.parent_row, -1) + 1
    for generation in sorted(set(generations.values())):
        ready = [row for row, g in generations.items() if g == generation]
        items = [(row.parent_unit, row.new_unit()) for row in ready]
        for row, unit in zip(ready, create_units(items), strict=True):
            row.unit = unit
    summary.record(f"Nhập tệp đơn vị {source}")
    return summary


def resolve_parent(text: str) -> tuple[Unit | None, str | None]:
    """The --parent unit: "#id", an official code, an exact name, or a bare id number."""
    text = normalize(text)
    if text.isdigit():
        coded = db.session.scalar(
            select(Unit.id).where(Unit.code == text, Unit.valid_to.is_(None)).limit(1)
        )
        if coded is None:
            unit = db.session.get(Unit, int(text))
            return (unit, None) if unit else (None, f"Không tìm thấy đơn vị có mã hoặc id {text}.")
    return find_unit_by_reference(text)
