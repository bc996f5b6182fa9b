"""Placing the rows of a CSV file in the tree and matching them with the units already there."""

from sqlalchemy import select

from app.extensions import db
from app.text import fold
from app.units.importing.common import CODE_WIDTHS, changed_fields, chunks, label
from app.units.importing.csv_rows import CsvRow
from app.units.models import Unit, UnitClosure


def code_variants(text: str) -> list[str]:
    """The code as written, then with the leading zeros that Excel may have dropped."""
    variants = [text]
    if text.isdigit():
        variants += [text.zfill(width) for width in sorted(set(CODE_WIDTHS.values()))]
    return list(dict.fromkeys(variants))


class CsvPlanner:
    """Checks the rows in file order (a parent row comes before its children) and matches each
    row with the unit it already is, if any."""

    def __init__(self, rows: list[CsvRow], root: Unit | None):
        self.root = root
        self.first_line_of: dict[str, int] = {}
        for row in rows:
            if row.values.get("code"):
                for code in code_variants(row.values["code"]):
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
            for code in code_variants(row.values[column])
        }
        self.units_by_code: dict[str, list[Unit]] = {}
        for chunk in chunks(sorted(codes)):
            for unit in db.session.scalars(select(Unit).where(Unit.code.in_(chunk))):
                self.units_by_code.setdefault(unit.code, []).append(unit)
        self.inside: set[int] = set()
        if root is not None:
            ids = sorted({u.id for units in self.units_by_code.values() for u in units})
            for chunk in chunks(ids):
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
        row.parse()
        self._find_parent(row)
        row.find_kind()
        if row.code:
            self.rows_by_code.setdefault(row.code, row)
        if row.errors or row.kind is None:
            return
        row.check_placement()
        if not row.errors:
            self._match(row)

    def _find_parent(self, row: CsvRow) -> None:
        """parent_code: a row above, else a current unit (inside --parent when given)."""
        text = row.values.get("parent_code", "")
        if not text:
            row.parent = self.root
            return
        variants = code_variants(text)
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
            names = ", ".join(label(u) for u in units[:3])
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

    def _match(self, row: CsvRow) -> None:
        """The unit this row already is: same parent and level, then same code or same name."""
        parent = row.parent_unit
        if parent is None and row.parent_row is not None:
            # The parent row is a new unit, so nothing is under it yet.
            parent_key, unit = ("row", row.parent_row.line), None
        else:
            parent_id = parent.id if parent is not None else None
            parent_key, unit = ("unit", parent_id), self._existing(row, parent_id)
        self._check_unique(row, unit, parent_key)
        if row.errors:
            return
        row.unit = unit
        if unit is not None:
            wanted = {"name": row.name, "kind": row.kind} | row.fields
            if row.code:
                wanted["code"] = row.code
            row.changes = changed_fields(unit, wanted)
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
                    f"Mã {row.code} đã được dùng cho một đơn vị khác cùng cấp: {label(others[0])}."
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
                    f"{label(unit)}."
                )
            self.lines_by_unit.setdefault(unit.id, row.line)
