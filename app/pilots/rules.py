"""The rules of pilot-commune checklists (DOMAIN.md §7) as plain functions over plain values:
item types and how a value is read, checked and compared with its target, due dates,
completion and points, and the states of a checklist and its items."""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.registry.rules import add_months
from app.text import format_decimal
from app.units.models import PILOT_LEVELS

KIND_LABELS = {"pilot": "Chỉ đạo điểm", "model": "Xã điển hình"}
LEVEL_LABELS = PILOT_LEVELS

# What an item asks for. A computed item (with a formula) is a number or a percentage that
# the app reads from live data; nobody types it.
CHECK, NUMBER, PERCENT, DATE, TEXT, EVIDENCE = (
    "check",
    "number",
    "percent",
    "date",
    "text",
    "evidence",
)
ITEM_TYPE_LABELS = {
    CHECK: "Hoàn thành / chưa hoàn thành",
    NUMBER: "Số",
    PERCENT: "Tỷ lệ (%)",
    DATE: "Ngày",
    TEXT: "Nội dung",
    EVIDENCE: "Tệp minh chứng",
}
VALUE_TYPES = (NUMBER, PERCENT)  # the types a target compares with, and formulas give
OPERATORS = {">=": "≥", ">": ">", "<=": "≤", "=": "="}

TEMPLATE_STATUS_LABELS = {
    "draft": "Bản nháp",
    "published": "Đang áp dụng",
    "retired": "Đã thay thế",
}

# A checklist: filled in by the commune (open), sent for review (submitted), some items sent
# back (returned: only those may change), signed off (frozen in a snapshot); reopening a
# signed-off checklist needs a reason and makes it open again.
OPEN, SUBMITTED, RETURNED, SIGNED_OFF = "open", "submitted", "returned", "signed_off"
CHECKLIST_STATUS_LABELS = {
    OPEN: "Đang thực hiện",
    SUBMITTED: "Chờ duyệt",
    RETURNED: "Trả lại để bổ sung",
    SIGNED_OFF: "Đã ký duyệt",
}
PROGRESS_LABELS = {
    "not_started": "Chưa thực hiện",
    "in_progress": "Đang thực hiện",
    "done": "Đã xong",
}
REVIEW_LABELS = {"pending": "Chờ duyệt", "accepted": "Đã chấp nhận", "returned": "Trả lại"}
EVENT_LABELS = {
    "designated": "Chỉ định",
    "submitted": "Gửi duyệt",
    "resubmitted": "Gửi duyệt lại",
    "accepted": "Chấp nhận mục",
    "returned": "Trả lại mục",
    "signed_off": "Ký duyệt",
    "reopened": "Mở lại",
}

MAX_NUMBER = Decimal("999999999")
# "1.234" and "12.345.678" are thousands (Vietnamese separators); "87.5" is a decimal.
THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
HUNDRED = Decimal(100)


class ValueProblem(ValueError):
    """What is wrong with a typed value, in Vietnamese."""


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def due_date(starts_on: date, due_months: int | None) -> date | None:
    """An item's due date: so many months after the pilot's start (None: no due date)."""
    return add_months(starts_on, due_months) if due_months is not None else None


def is_overdue(due_on: date | None, progress: str, today: date) -> bool:
    """Past its due date and not done."""
    return due_on is not None and due_on < today and progress != "done"


def parse_number(raw: str, item_type: str) -> Decimal | None:
    """A typed number ("12", "87,5", "1.234", "87.5"): the Vietnamese decimal comma and
    thousands dots accepted. A percentage lies in 0..100; a number is not negative."""
    text = (raw or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueProblem("Nhập một số, ví dụ 12 hoặc 87,5.") from None
    if not value.is_finite():
        raise ValueProblem("Nhập một số, ví dụ 12 hoặc 87,5.")
    if value < 0:
        raise ValueProblem("Không được là số âm.")
    if item_type == PERCENT and value > HUNDRED:
        raise ValueProblem("Tỷ lệ không được vượt quá 100%.")
    if value > MAX_NUMBER:
        raise ValueProblem("Số quá lớn.")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def date_problem(day: date | None, period: Period) -> str | None:
    """A date typed for an item lies within the pilot's period."""
    if day is not None and not period.contains(day):
        return (
            f"Ngày phải trong thời gian thực hiện "
            f"({period.starts_on:%d/%m/%Y} – {period.ends_on:%d/%m/%Y})."
        )
    return None


def meets(value, item_type: str, operator: str | None, target: Decimal | None) -> bool | None:
    """Whether a value meets the item's target. None: nothing to judge yet (no value).

    A check is met when done; a number or percentage compares with its target (no target: met
    once given); a date, a text or evidence is met once given."""
    if item_type == CHECK:
        return bool(value) if value is not None else None
    if value is None or value == "" or (value == 0 and item_type == EVIDENCE):
        return None
    if item_type in VALUE_TYPES and target is not None:
        value = Decimal(value)
        return {
            ">=": value >= target,
            ">": value > target,
            "<=": value <= target,
            "=": value == target,
        }[operator or ">="]
    return True


def target_label(item_type: str, operator: str | None, target: Decimal | None) -> str:
    """The target in words: "≥ 90%", "≥ 1", "Hoàn thành"."""
    if item_type == CHECK:
        return "Hoàn thành"
    if item_type in VALUE_TYPES and target is not None:
        suffix = "%" if item_type == PERCENT else ""
        return f"{OPERATORS.get(operator or '>=', '≥')} {format_decimal(target)}{suffix}"
    return ""


@dataclass(frozen=True)
class Tally:
    """Completion and points of a set of items (a section, a checklist)."""

    items: int = 0
    done: int = 0
    met: int = 0
    points: Decimal = Decimal(0)
    points_earned: Decimal = Decimal(0)
    overdue: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.items + other.items,
            self.done + other.done,
            self.met + other.met,
            self.points + other.points,
            self.points_earned + other.points_earned,
            self.overdue + other.overdue,
        )

    @property
    def completion(self) -> int:
        """Share of items done, in whole percent."""
        return round(100 * self.done / self.items) if self.items else 0

    @property
    def all_met(self) -> bool:
        return self.items > 0 and self.met == self.items


def tally_item(done: bool, met: bool | None, points: Decimal | None, overdue: bool) -> Tally:
    """One item's share in a tally: its points count when it meets its target."""
    points = Decimal(points or 0)
    return Tally(1, int(done), int(bool(met)), points, points if met else Decimal(0), int(overdue))
