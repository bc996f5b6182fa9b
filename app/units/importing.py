"""Unit imports: the official list of provinces and communes, and CSV files of a subtree.

Every row is checked before anything is written (QUALITY.md R8), and a unit that is already
there is matched rather than added again, so importing the same data twice changes nothing.
The functions flush and never commit: the command commits.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version

from sqlalchemy import insert, select
from vietnam_provinces import Province, Ward

from app.audit.services import record_event
from app.extensions import db
from app.forms import parse_vn_date
from app.text import fold, format_date, format_number, normalize
from app.units.models import KINDS, Level, Unit, UnitClosure
from app.units.services import UnitError, check_placement, find_unit_by_reference, update_unit

OFFICIAL_SINCE = date(2025, 7, 1)
BATCH = 1000
CHUNK = 500  # ids or codes per IN (...) list

PROVINCE_KINDS = {"tỉnh": "tinh", "thành phố trung ương": "thanh_pho_tw"}
PROVINCE_PREFIXES = {"tinh": "Tỉnh", "thanh_pho_tw": "Thành phố"}
COMMUNE_KINDS = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}
# Official statistics codes have a fixed width; Excel drops their leading zeros.
CODE_WIDTHS = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}

LEVEL_WORDS = {
    Level.PROVINCE: "tỉnh",
    Level.DISTRICT: "huyện",
    Level.COMMUNE: "xã",
    Level.VILLAGE: "thôn/tổ dân phố",
}
FIELD_LABELS = {
    "name": "tên",
    "kind": "loại",
    "code": "mã",
    "valid_from": "hiệu lực từ",
    "valid_to": "hiệu lực đến",
    "is_ethnic_minority_area": "vùng đồng bào DTTS",
    "note": "ghi chú",
}


class ImportFailed(UnitError):
    """Nothing was imported; ``problems`` lists (line number or None, reason in Vietnamese)."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        self.problems = problems
        bad_lines = {line for line, _ in problems if line is not None}
        if bad_lines:
            message = f"Có {format_number(len(bad_lines))} dòng lỗi; chưa nhập dòng nào."
        else:
            message = "Chưa nhập gì."
        super().__init__(message)


@dataclass
class NewUnit:
    """The fields of a unit to create, as create_unit takes them."""

    kind: str
    name: str
    code: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    is_ethnic_minority_area: bool = False
    note: str | None = None


@dataclass
class Summary:
    """What an import did (or would do): units added per level, units changed, left alone."""

    created: Counter = field(default_factory=Counter)
    updated: int = 0
    unchanged: int = 0
    details: list[str] = field(default_factory=list)
    listing: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.updated or sum(self.created.values()))

    def text(self, dry_run: bool = False) -> str:
        """One line in Vietnamese: "Đã thêm 34 tỉnh, 3.321 xã; 0 thay đổi; 0 không đổi"."""
        added = [
            f"{format_number(n)} {LEVEL_WORDS[Level(level)]}"
            for level, n in sorted(self.created.items())
            if n
        ]
        verb = "Sẽ thêm" if dry_run else "Đã thêm"
        return (
            f"{verb} {', '.join(added) or '0 đơn vị'}; {format_number(self.updated)} thay đổi; "
            f"{format_number(self.unchanged)} không đổi"
        )


def create_units(items: list[tuple[Unit | None, NewUnit]]) -> list[Unit]:
    """Many create_unit calls in a few statements: same rules, closure rows, one audit row each.

    Parents must already be flushed with their closure rows (existing units, or units made by
    an earlier call). The audit listener records each new unit when its batch is flushed.
    """
    units = []
    for parent, new in items:
        level = check_placement(new.kind, parent)
        name = normalize(new.name)
        if not name:
            raise UnitError("Tên đơn vị không được để trống.")
        units.append(
            Unit(
                parent_id=parent.id if parent else None,
                level=int(level),
                kind=new.kind,
                name=name,
                name_folded=fold(name),
                code=normalize(new.code) or None,
                valid_from=new.valid_from,
                valid_to=new.valid_to,
                is_ethnic_minority_area=new.is_ethnic_minority_area,
                note=new.note,
            )
        )
    _check_codes_free(units)
    paths = _ancestors_of({u.parent_id for u in units if u.parent_id is not None})
    for start in range(0, len(units), BATCH):
        batch = units[start : start + BATCH]
        db.session.add_all(batch)
        db.session.flush()
        rows = []
        for unit in batch:
            rows.append({"ancestor_id": unit.id, "descendant_id": unit.id, "depth": 0})
            rows.extend(
                {"ancestor_id": ancestor_id, "descendant_id": unit.id, "depth": depth + 1}
                for ancestor_id, depth in paths.get(unit.parent_id, ())
            )
        db.session.execute(insert(UnitClosure), rows)
    return units


def _check_codes_free(units: list[Unit]) -> None:
    """Codes stay unique among the current units of a level (the rule of check_code_free)."""
    wanted = Counter((u.level, u.code) for u in units if u.code and u.valid_to is None)
    for (_level, code), n in wanted.items():
        if n > 1:
            raise UnitError(f"Mã đơn vị {code} bị dùng cho nhiều đơn vị cùng cấp.")
    codes = sorted({code for _level, code in wanted})
    for chunk in _chunks(codes):
        taken = db.session.execute(
            select(Unit.level, Unit.code).where(Unit.code.in_(chunk), Unit.valid_to.is_(None))
        )
        for level, code in taken:
            if (level, code) in wanted:
                raise UnitError(f"Mã đơn vị {code} đã được dùng cho một đơn vị khác cùng cấp.")


def _ancestors_of(unit_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """(ancestor id, depth) pairs of each unit, itself included, from the closure table."""
    paths: dict[int, list[tuple[int, int]]] = {uid: [] for uid in unit_ids}
    for chunk in _chunks(sorted(unit_ids)):
        stmt = select(UnitClosure.descendant_id, UnitClosure.ancestor_id, UnitClosure.depth).where(
            UnitClosure.descendant_id.in_(chunk)
        )
        for descendant_id, ancestor_id, depth in db.session.execute(stmt):
            paths[descendant_id].append((ancestor_id, depth))
    return paths


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _current_by_code(level: Level, codes: list[str]) -> dict[str, Unit]:
    """Current units of a level by code."""
    found = {}
    for chunk in _chunks(codes):
        stmt = select(Unit).where(
            Unit.level == int(level), Unit.code.in_(chunk), Unit.valid_to.is_(None)
        )
        found.update((unit.code, unit) for unit in db.session.scalars(stmt))
    return found


def _describe_changes(unit: Unit, changes: dict) -> str:
    """Changes in words: tên “Điện Biên” → “Tỉnh Điện Biên”; mã (trống) → “11”."""

    def show(key, value):
        if value is None or value == "":
            return "(trống)"
        if key == "kind":
            return KINDS[value][1] if value in KINDS else value
        if isinstance(value, bool):
            return "có" if value else "không"
        if isinstance(value, date):
            return format_date(value)
        return f"“{value}”"

    return "; ".join(
        f"{FIELD_LABELS[key]} {show(key, getattr(unit, key))} → {show(key, value)}"
        for key, value in changes.items()
    )


# The official list (vietnam-provinces) ------------------------------------------------------


def official_province(province: Province) -> NewUnit:
    """A province of the package as a unit: "Tỉnh Điện Biên", kind tinh, code "11"."""
    kind = PROVINCE_KINDS[province.division_type.value]
    name = normalize(province.name)
    if not name.startswith(("Tỉnh ", "Thành phố ")):
        name = f"{PROVINCE_PREFIXES[kind]} {name}"
    return NewUnit(kind=kind, name=name, code=f"{int(province.code):02d}")


def official_commune(ward: Ward) -> NewUnit:
    """A commune-level unit of the package: "Xã Mường Nhé", kind xa, code "03160"."""
    return NewUnit(
        kind=COMMUNE_KINDS[ward.division_type.value],
        name=normalize(ward.name),
        code=f"{int(ward.code):05d}",
        valid_from=OFFICIAL_SINCE,
    )


def _official_changes(unit: Unit, new: NewUnit) -> dict:
    """Name, kind and code follow the official list; other fields are the offices' own."""
    wanted = {"name": new.name, "kind": new.kind, "code": new.code}
    return {key: value for key, value in wanted.items() if getattr(unit, key) != value}


def import_official(dry_run: bool = False) -> Summary:
    """Add or update the current 34 provinces and 3,321 communes; admins run it from the CLI.

    A unit is matched among current units by level and code, or else by name when it has no
    code yet (a province at the root, a commune directly under its province). A matched
    commune stays where it is (for instance under a legacy district) as long as it is in the
    right province; one in another province stops the import.
    """
    provinces = [official_province(p) for p in Province.iter_all()]
    wards = list(Ward.iter_all())
    communes = [official_commune(w) for w in wards]
    province_codes = [f"{int(w.province_code):02d}" for w in wards]

    province_matches = _match_official(Level.PROVINCE, [(None, new) for new in provinces])
    province_units = {new.code: unit for new, unit in zip(provinces, province_matches, strict=True)}
    parents = [province_units[code] for code in province_codes]
    commune_matches = _match_official(Level.COMMUNE, list(zip(parents, communes, strict=True)))
    official_provinces = {new.code: new for new in provinces}
    problems = _check_provinces_of(
        [
            (unit, new, official_provinces[code])
            for unit, new, code in zip(commune_matches, communes, province_codes, strict=True)
            if unit is not None
        ],
        province_units,
    )
    if problems:
        raise ImportFailed([(None, problem) for problem in problems])

    summary = Summary()
    updates = []
    for new, unit in zip(provinces + communes, province_matches + commune_matches, strict=True):
        if unit is None:
            summary.created[KINDS[new.kind][0]] += 1
            continue
        changes = _official_changes(unit, new)
        if changes:
            updates.append((unit, changes))
            summary.details.append(
                f"Sửa {unit.name} (#{unit.id}): {_describe_changes(unit, changes)}"
            )
        else:
            summary.unchanged += 1
    summary.updated = len(updates)
    if dry_run:
        return summary

    for unit, changes in updates:
        update_unit(unit, dict(changes))
    new_provinces = [
        new for new, unit in zip(provinces, province_matches, strict=True) if unit is None
    ]
    created = create_units([(None, new) for new in new_provinces])
    province_units.update(
        (new.code, unit) for new, unit in zip(new_provinces, created, strict=True)
    )
    create_units(
        [
            (province_units[code], new)
            for new, code, unit in zip(communes, province_codes, commune_matches, strict=True)
            if unit is None
        ]
    )
    if summary.changed_anything:
        source = f"vietnam-provinces {version('vietnam-provinces')}"
        record_event("import", f"Nhập danh mục chính thức ({source}): {summary.text()}.")
    return summary


def _match_official(level: Level, items: list[tuple[Unit | None, NewUnit]]) -> list[Unit | None]:
    """The current unit each official one already is: same code, or same name with no code."""
    by_code = _current_by_code(level, [new.code for _parent, new in items])
    stmt = select(Unit).where(
        Unit.level == int(level), Unit.code.is_(None), Unit.valid_to.is_(None)
    )
    if level == Level.PROVINCE:
        uncoded = list(db.session.scalars(stmt.where(Unit.parent_id.is_(None))))
    else:
        parent_ids = sorted({parent.id for parent, _new in items if parent is not None})
        uncoded = [
            unit
            for chunk in _chunks(parent_ids)
            for unit in db.session.scalars(stmt.where(Unit.parent_id.in_(chunk)))
        ]
    by_name = {(unit.parent_id, unit.name_folded): unit for unit in uncoded}
    matches = []
    for parent, new in items:
        unit = by_code.get(new.code)
        if unit is None and (parent is not None or level == Level.PROVINCE):
            unit = by_name.get((parent.id if parent else None, fold(new.name)))
        matches.append(unit)
    return matches


def _check_provinces_of(
    matched: list[tuple[Unit, NewUnit, NewUnit]], province_units: dict[str, Unit | None]
) -> list[str]:
    """Problems with existing communes that the official list puts in another province."""
    province_of = {}
    for chunk in _chunks(sorted(unit.id for unit, _new, _province in matched)):
        stmt = (
            select(UnitClosure.descendant_id, Unit)
            .join(Unit, Unit.id == UnitClosure.ancestor_id)
            .where(UnitClosure.descendant_id.in_(chunk), Unit.level == int(Level.PROVINCE))
        )
        province_of.update(db.session.execute(stmt).tuples().all())
    problems = []
    for unit, new, province in matched:
        found, wanted = province_of.get(unit.id), province_units[province.code]
        if wanted is None or found is None or found.id != wanted.id:
            where = f"đang thuộc {found.name}" if found else "không thuộc tỉnh nào"
            problems.append(
                f"{unit.name} (#{unit.id}) {where}, nhưng theo danh mục chính thức, "
                f"{new.name} (mã {new.code}) thuộc {province.name} (mã {province.code}). "
                "Hãy sửa mã hoặc vị trí của đơn vị này rồi chạy lại lệnh."
            )
    return problems


# CSV files of a subtree ---------------------------------------------------------------------

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
COLUMN_LABELS = {
    "code": "mã",
    "name": "tên",
    "kind": "loại",
    "parent_code": "mã cấp trên",
    "valid_from": "hiệu lực từ",
    "valid_to": "hiệu lực đến",
    "ethnic_minority_area": "vùng DTTS",
    "note": "ghi chú",
}
YES = frozenset({"co", "x", "1", "yes", "y", "true", "dung"})
NO = frozenset({"khong", "0", "no", "n", "false", "sai"})
KIND_WORDS = {fold(key.replace("_", " ")): key for key in KINDS} | {
    fold(label): key for key, (_level, label) in KINDS.items()
}
KIND_WORDS["thanh pho tw"] = "thanh_pho_tw"
CITY = "thanh pho"  # a city: of the centre at the root, of the province below a province


def _header_key(text: str) -> str:
    return fold(text.replace("_", " ").replace("-", " "))


HEADER_KEYS = {
    _header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases
}


@dataclass(eq=False)
class CsvRow:
    """One data row of the file: what it says, where it goes, and what it will do."""

    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    kind: str | None = None
    code: str | None = None
    fields: dict = field(default_factory=dict)
    parent: Unit | None = None
    parent_row: "CsvRow | None" = None
    unit: Unit | None = None
    changes: dict = field(default_factory=dict)
    action: str = "create"

    def new_unit(self) -> NewUnit:
        """The unit to create for this row; empty cells give the defaults."""
        return NewUnit(
            kind=self.kind,
            name=self.name,
            code=self.code,
            valid_from=self.fields.get("valid_from"),
            valid_to=self.fields.get("valid_to"),
            is_ethnic_minority_area=self.fields.get("is_ethnic_minority_area", False),
            note=self.fields.get("note"),
        )

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def level(self) -> Level | None:
        return KINDS[self.kind][0] if self.kind else None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][1] if self.kind else ""

    @property
    def parent_name(self) -> str:
        if self.parent_row is not None:
            return f"{self.parent_row.name} (dòng {self.parent_row.line})"
        return self.parent.name if self.parent is not None else ""

    def describe(self) -> str:
        """What the row does, for the dry-run listing."""
        if self.action == "create":
            what = self.name
            if not fold(self.name).startswith(fold(self.kind_label)):
                what += f" ({self.kind_label.lower()})"
            where = f" thuộc {self.parent_name}" if self.parent_name else ""
            return f"Dòng {self.line}: thêm {what}{where}"
        unit = f"{self.unit.name} (#{self.unit.id})"
        if self.action == "update":
            return f"Dòng {self.line}: sửa {unit}: {_describe_changes(self.unit, self.changes)}"
        return f"Dòng {self.line}: không đổi {unit}"


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
    planner = _Planner(rows, root)
    for row in rows:
        planner.plan(row)
    problems = [(row.line, error) for row in rows for error in row.errors]
    if problems:
        raise ImportFailed(problems)
    return rows


def _code_variants(text: str) -> list[str]:
    """The code as written, then with the leading zeros that Excel may have dropped."""
    variants = [text]
    if text.isdigit():
        variants += [text.zfill(width) for width in sorted(set(CODE_WIDTHS.values()))]
    return list(dict.fromkeys(variants))


def _kind_names() -> str:
    labels = [
        "Thành phố" if label.startswith("Thành phố") else label for _l, label in KINDS.values()
    ]
    return ", ".join(dict.fromkeys(labels))


class _Planner:
    """Checks the rows in file order (a parent row comes before its children) and matches each
    row with the unit it already is, if any."""

    def __init__(self, rows: list[CsvRow], root: Unit | None):
        self.root = root
        self.first_line_of: dict[str, int] = {}
        for row in rows:
            if row.values.get("code"):
                for code in _code_variants(row.values["code"]):
                    self.first_line_of.setdefault(code, row.line)
        self.rows_by_code: dict[str, CsvRow] = {}
        self.lines_by_name: dict[tuple, int] = {}
        self.lines_by_unit: dict[int, int] = {}
        self.children: dict[int | None, dict[tuple[int, str], list[Unit]]] = {}
        codes = {
            code
            for row in rows
            for column in ("code", "parent_code")
            if row.values.get(column)
            for code in _code_variants(row.values[column])
        }
        self.units_by_code: dict[str, list[Unit]] = {}
        for chunk in _chunks(sorted(codes)):
            for unit in db.session.scalars(select(Unit).where(Unit.code.in_(chunk))):
                self.units_by_code.setdefault(unit.code, []).append(unit)
        self.inside: set[int] = set()
        if root is not None:
            ids = sorted({u.id for units in self.units_by_code.values() for u in units})
            for chunk in _chunks(ids):
                stmt = select(UnitClosure.descendant_id).where(
                    UnitClosure.ancestor_id == root.id, UnitClosure.descendant_id.in_(chunk)
                )
                self.inside.update(db.session.scalars(stmt))

    def plan(self, row: CsvRow) -> None:
        """Parse, place and match one row, adding what is wrong with it to ``row.errors``."""
        if row.errors:  # cells shifted by a stray delimiter: anything more would be noise
            if row.values.get("code"):
                self.rows_by_code.setdefault(row.values["code"], row)
            return
        self._parse(row)
        self._find_parent(row)
        self._find_kind(row)
        if row.code:
            self.rows_by_code.setdefault(row.code, row)
        if row.errors or row.kind is None:
            return
        self._check_placement(row)
        if not row.errors:
            self._match(row)

    def _parse(self, row: CsvRow) -> None:
        if not row.name:
            row.errors.append("Thiếu tên đơn vị.")
        row.code = row.values.get("code") or None
        for column in ("valid_from", "valid_to"):
            text = row.values.get(column, "")
            if text:
                value = parse_vn_date(text)
                if value is None:
                    row.errors.append(
                        f"Ngày “{text}” ở cột {column} ({COLUMN_LABELS[column]}) không hợp lệ; "
                        "ghi theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
                    )
                else:
                    row.fields[column] = value
        start, end = row.fields.get("valid_from"), row.fields.get("valid_to")
        if start and end and end < start:
            row.errors.append("Ngày hết hiệu lực (valid_to) trước ngày có hiệu lực (valid_from).")
        flag = row.values.get("ethnic_minority_area", "")
        if flag:
            if fold(flag) in YES:
                row.fields["is_ethnic_minority_area"] = True
            elif fold(flag) in NO:
                row.fields["is_ethnic_minority_area"] = False
            else:
                row.errors.append(
                    f"Giá trị “{flag}” ở cột ethnic_minority_area (vùng DTTS) không hợp lệ; "
                    "ghi “có” hoặc “không” (hoặc x, 1, 0), để trống là không."
                )
        if row.values.get("note"):
            row.fields["note"] = row.values["note"]

    def _find_parent(self, row: CsvRow) -> None:
        """parent_code: a row above, else a current unit (inside --parent when given)."""
        text = row.values.get("parent_code", "")
        if not text:
            row.parent = self.root
            return
        variants = _code_variants(text)
        for code in variants:
            if code in self.rows_by_code:
                row.parent_row = self.rows_by_code[code]
                return
        for code in variants:
            line = self.first_line_of.get(code)
            if line == row.line:
                row.errors.append(f"Mã cấp trên {text} là mã của chính dòng này.")
                return
            if line is not None and line > row.line:
                row.errors.append(
                    f"Đơn vị cấp trên (mã {text}) ở dòng {line}; dòng đó phải đứng trước dòng này."
                )
                return
        units: list[Unit] = []
        for code in variants:
            units = [u for u in self.units_by_code.get(code, []) if u.valid_to is None]
            if units:
                break
        if self.root is not None and len(units) > 1:
            units = [u for u in units if u.id in self.inside] or units
        if not units:
            row.errors.append(
                f"Không tìm thấy đơn vị cấp trên có mã {text}: không có ở các dòng phía trên, "
                "cũng không có trong danh mục đơn vị hiện có."
            )
        elif len(units) > 1:
            names = ", ".join(f"{u.name} (#{u.id})" for u in units[:3])
            row.errors.append(
                f"Mã cấp trên {text} trùng với nhiều đơn vị ({names}); dùng --parent để chỉ rõ "
                "đơn vị cấp trên chung."
            )
        elif self.root is not None and units[0].id not in self.inside:
            row.errors.append(
                f"Đơn vị cấp trên {units[0].name} (mã {text}) không thuộc {self.root.name}."
            )
        else:
            row.parent = units[0]

    def _find_kind(self, row: CsvRow) -> None:
        """The internal key or the Vietnamese label, any case, with or without marks."""
        text = row.values.get("kind", "")
        word = fold(text.replace("_", " "))
        if not word:
            row.errors.append(f"Thiếu loại đơn vị (một trong: {_kind_names()}).")
            return
        if word == CITY:
            if row.parent_row is not None and row.parent_row.kind is None:
                return
            parent = row.parent_row or row.parent
            if parent is None:
                row.kind = "thanh_pho_tw"
            elif parent.level == Level.PROVINCE:
                row.kind = "thanh_pho_thuoc_tinh"
            else:
                row.errors.append(
                    f"Thành phố không thể trực thuộc {parent.name}."
                )
                return
        elif word in KIND_WORDS:
            row.kind = KIND_WORDS[word]
        else:
            row.errors.append(
                f"Loại đơn vị “{text}” không hợp lệ; dùng một trong: {_kind_names()}."
            )
            return
        width = CODE_WIDTHS.get(row.level)
        if row.code and width and row.code.isdigit():
            row.code = row.code.zfill(width)

    def _check_placement(self, row: CsvRow) -> None:
        if row.parent_row is not None and row.parent_row.kind is None:
            return  # the parent row is wrong itself; its own error says why
        parent = row.parent_row or row.parent
        if parent is None and row.level != Level.PROVINCE:
            row.errors.append(
                "Thiếu đơn vị cấp trên: ghi mã ở cột parent_code (mã cấp trên), hoặc chạy lệnh "
                "với --parent."
            )
            return
        try:
            check_placement(row.kind, parent)
        except UnitError as error:
            row.errors.append(str(error))

    def _match(self, row: CsvRow) -> None:
        """The unit this row already is: same parent and level, then same code or same name."""
        if row.parent_row is not None:
            parent = row.parent_row.unit
            parent_key = ("unit", parent.id) if parent is not None else ("row", row.parent_row.line)
        else:
            parent = row.parent
            parent_key = ("unit", parent.id if parent is not None else None)
        unit = None
        if parent is not None or row.parent_row is None:
            unit = self._existing(row, parent.id if parent is not None else None)
        self._check_unique(row, unit, parent_key)
        if row.errors:
            return
        row.unit = unit
        if unit is not None:
            wanted = {"name": row.name, "kind": row.kind} | row.fields
            if row.code:
                wanted["code"] = row.code
            row.changes = {
                key: value for key, value in wanted.items() if getattr(unit, key) != value
            }
            row.action = "update" if row.changes else "unchanged"

    def _existing(self, row: CsvRow, parent_id: int | None) -> Unit | None:
        if row.code:
            same = [
                u
                for u in self.units_by_code.get(row.code, [])
                if u.level == row.level and u.parent_id == parent_id
            ]
            if same:
                return min(same, key=lambda u: (u.valid_to is not None, u.id))
        if parent_id not in self.children:
            stmt = select(Unit).where(
                Unit.parent_id == parent_id if parent_id is not None else Unit.parent_id.is_(None)
            )
            grouped: dict[tuple[int, str], list[Unit]] = {}
            for unit in db.session.scalars(stmt):
                grouped.setdefault((unit.level, unit.name_folded), []).append(unit)
            self.children[parent_id] = grouped
        candidates = self.children[parent_id].get((int(row.level), fold(row.name)), [])
        end = row.fields.get("valid_to")
        return min(
            candidates,
            key=lambda u: (u.valid_to != end, u.valid_to is not None, u.id),
            default=None,
        )

    def _check_unique(self, row: CsvRow, unit: Unit | None, parent_key: tuple) -> None:
        """No code twice in the file or among current units of a level; no name twice."""
        if row.code:
            first = self.rows_by_code.get(row.code)
            if first is not None and first is not row:
                row.errors.append(f"Mã {row.code} trùng với mã ở dòng {first.line}.")
            stays_current = (
                row.fields["valid_to"] is None
                if "valid_to" in row.fields
                else unit is None or unit.valid_to is None
            )
            others = [
                u
                for u in self.units_by_code.get(row.code, [])
                if u.level == row.level and u.valid_to is None and u is not unit
            ]
            if stays_current and others:
                row.errors.append(
                    f"Mã {row.code} đã được dùng cho một đơn vị khác cùng cấp: "
                    f"{others[0].name} (#{others[0].id})."
                )
        key = (parent_key, int(row.level), fold(row.name), row.fields.get("valid_to"))
        if key in self.lines_by_name:
            row.errors.append(
                f"Trùng tên với dòng {self.lines_by_name[key]} (cùng đơn vị cấp trên)."
            )
        self.lines_by_name.setdefault(key, row.line)
        if unit is not None:
            if unit.id in self.lines_by_unit:
                row.errors.append(
                    f"Dòng này và dòng {self.lines_by_unit[unit.id]} cùng ứng với đơn vị "
                    f"{unit.name} (#{unit.id})."
                )
            self.lines_by_unit.setdefault(unit.id, row.line)


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
        items = [(r.parent_row.unit if r.parent_row else r.parent, r.new_unit()) for r in ready]
        for row, unit in zip(ready, create_units(items), strict=True):
            row.unit = unit
    if summary.changed_anything:
        record_event("import", f"Nhập tệp đơn vị {source}: {summary.text()}.")
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
