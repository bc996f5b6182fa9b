"""What the unit imports share: the failure, the unit to create, the summary, change texts."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from app.audit.services import record_event
from app.text import format_date, format_number
from app.units.models import KINDS, Level, Unit
from app.units.services import UnitError

CHUNK = 500  # ids or codes per IN (...) list
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

    def record(self, what: str) -> None:
        """One audit event for the whole import ("Nhập …: Đã thêm …"), if it changed anything."""
        if self.changed_anything:
            record_event("import", f"{what}: {self.text()}.")


def chunks(values: list) -> list[list]:
    """The values in slices short enough for one IN (...) list."""
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def label(unit: Unit) -> str:
    """A unit as messages name it: "Xã Mường Nhé (#12)"."""
    return f"{unit.name} (#{unit.id})"


def changed_fields(unit: Unit, wanted: dict) -> dict:
    """The wanted values that differ from the unit's."""
    return {key: value for key, value in wanted.items() if getattr(unit, key) != value}


def describe_changes(unit: Unit, changes: dict) -> str:
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
