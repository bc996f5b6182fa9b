"""Reading the values of an interchange file: each field's type, whether it is required, its
default; every problem is collected with where it was found, in Vietnamese."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from app.contests.interchange.shape import parse_datetime

MAX_POINTS = Decimal(100000)  # the columns hold 7 digits, 2 after the point


@dataclass(frozen=True)
class Field:
    """One field: kind is text, int, bool, decimal, date, datetime, list, object or ref."""

    kind: str
    required: bool = False
    default: Any = None
    choices: Collection[str] | None = None
    length: int | None = None
    low: int | Decimal | None = None
    high: int | Decimal | None = None


def text(required=False, length=None, choices=None, default=None) -> Field:
    """A string (trimmed), optionally bounded in length or one of the choices."""
    return Field("text", required, default, choices, length)


def integer(required=False, low=None, high=None, default=None) -> Field:
    """A whole number (not a boolean) within bounds."""
    return Field("int", required, default, low=low, high=high)


def decimal(required=False, low=Decimal(0), high=None, default=None) -> Field:
    """An exact number with at most 2 decimals: "8.25", 8.25 or "8,25"."""
    return Field("decimal", required, default, low=low, high=high)


def listing() -> Field:
    """An optional list of records (empty when missing)."""
    return Field("list", default=())


def ref(required=False) -> Field:
    """A reference to a key of the file."""
    return Field("ref", required, length=100)


def kind(name: str, required=False, default=None) -> Field:
    """A bool, date, datetime or object field."""
    return Field(name, required, default)


class Checker:
    """Collects problems; ``keys`` are the file's keys and what each one names."""

    def __init__(self):
        self.problems: list[str] = []
        self.keys: dict[str, tuple[str, dict]] = {}

    def problem(self, where: str, message: str) -> None:
        """Record a problem and where it was found."""
        self.problems.append(f"{where}: {message}")

    def define(self, key: str | None, kind: str, plan: dict, where: str) -> None:
        """Record a key; a key is used once in the whole file."""
        if key is None:
            return
        if key in self.keys:
            self.problem(where, f"khóa “{key}” bị trùng (mỗi khóa chỉ dùng một lần trong tệp)")
            return
        self.keys[key] = (kind, plan)

    def find(self, key: str | None, kind: str, label: str, where: str) -> dict | None:
        """What a key of the given kind names, or a problem."""
        if key is None:
            return None
        if not isinstance(key, str):
            self.problem(where, f"{label}: phải ghi khóa (một chuỗi ký tự), không phải {key!r}")
            return None
        kind_found, plan = self.keys.get(key, (None, None))
        if kind_found != kind:
            self.problem(where, f"{label} “{key}” không có trong tệp")
            return None
        return plan

    def unit(self, key: str | None, where: str):
        """The database unit a unit key names (None when absent or already reported)."""
        plan = self.find(key, "unit", "đơn vị", where)
        return plan["unit"] if plan else None

    def fields(self, value: Any, where: str, spec: dict[str, Field]) -> dict | None:
        """The object's fields read by the spec (missing optional ones get their default)."""
        if not isinstance(value, dict):
            self.problem(where, "phải là một đối tượng JSON {…}")
            return None
        for name in value:
            if name not in spec:
                self.problem(where, f"trường lạ “{name}” (xem docs/contest-format.md)")
        out = {}
        for name, field in spec.items():
            raw = value.get(name)
            if raw is None or (field.kind == "text" and isinstance(raw, str) and not raw.strip()):
                if field.required:
                    self.problem(where, f"thiếu trường “{name}”")
                out[name] = list(field.default) if field.kind == "list" else field.default
                continue
            out[name] = self.value(raw, f"{where}, “{name}”", field)
            if out[name] is None and field.kind == "list" and not field.required:
                out[name] = []  # reported; the records of a wrong list are simply not read
        return out

    def value(self, raw: Any, where: str, field: Field) -> Any:
        """One value read by its field, or None with a problem."""
        reader = getattr(self, f"_{field.kind}")
        return reader(raw, where, field)

    def _text(self, raw, where, field):
        if not isinstance(raw, str):
            return self._wrong(where, "phải là một chuỗi ký tự")
        value = raw.strip()
        if field.length and len(value) > field.length:
            return self._wrong(where, f"dài quá {field.length} ký tự")
        if field.choices is not None and value not in field.choices:
            allowed = ", ".join(field.choices)
            return self._wrong(where, f"“{value}” không hợp lệ; chọn một trong: {allowed}")
        return value

    _ref = _text

    def _int(self, raw, where, field):
        if isinstance(raw, bool) or not isinstance(raw, int):
            return self._wrong(where, "phải là một số nguyên")
        return self._bounded(raw, where, field)

    def _bool(self, raw, where, field):
        if not isinstance(raw, bool):
            return self._wrong(where, "phải là true hoặc false")
        return raw

    def _decimal(self, raw, where, field):
        value = None
        if isinstance(raw, str):
            try:
                value = Decimal(raw.strip().replace(",", "."))
            except InvalidOperation:
                value = None
        elif isinstance(raw, int | Decimal) and not isinstance(raw, bool):
            value = Decimal(raw)
        if value is None or not value.is_finite():
            return self._wrong(where, 'phải là một số, ví dụ "8.25"')
        if abs(value) >= MAX_POINTS:
            return self._wrong(where, "quá lớn")
        if value != value.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
            return self._wrong(where, "có nhiều hơn 2 chữ số thập phân")
        return self._bounded(value, where, field)

    def _date(self, raw, where, field):
        try:
            return date.fromisoformat(raw) if isinstance(raw, str) else self._bad_date(where)
        except ValueError:
            return self._bad_date(where)

    def _bad_date(self, where):
        return self._wrong(where, 'phải là một ngày dạng YYYY-MM-DD, ví dụ "2026-10-05"')

    def _datetime(self, raw, where, field):
        try:
            if isinstance(raw, str):
                return parse_datetime(raw)
        except ValueError:
            pass
        return self._wrong(where, 'phải là một thời điểm ISO 8601, ví dụ "2026-10-05T08:30:00Z"')

    def _list(self, raw, where, field):
        if not isinstance(raw, list):
            return self._wrong(where, "phải là một danh sách […]")
        return raw

    def _object(self, raw, where, field):
        if not isinstance(raw, dict):
            return self._wrong(where, "phải là một đối tượng JSON {…}")
        return raw

    def _bounded(self, value, where, field):
        if field.low is not None and value < field.low:
            return self._wrong(where, f"không được nhỏ hơn {field.low}")
        if field.high is not None and value > field.high:
            return self._wrong(where, f"không được lớn hơn {field.high}")
        return value

    def _wrong(self, where, message):
        self.problem(where, message)
        return None
