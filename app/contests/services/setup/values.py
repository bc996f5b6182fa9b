"""What a person sets about a contest, a round, a part and the prize table, as the forms (or
an import) give it to the setup services, with the checks they share."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from app.contests import rules
from app.contests.rules import format_mark
from app.text import format_number, normalize

MAX_POINTS = Decimal(1000)
MAX_STEP = Decimal(10)
MAX_SECONDS = 7200
MAX_CRITERIA = 20
MAX_PRIZES = 20
PLACES_RANGE = range(0, 4)
CENT = Decimal("0.01")


@dataclass
class ContestValues:
    """What a person sets about a contest; the rules are the fields after ``note``."""

    name: str = ""
    level: str = ""
    year: int | None = None
    rule_document: str | None = None
    note: str | None = None
    entry_kind: str = "team"
    official_count: int | None = 3
    reserve_min: int | None = 1
    reserve_max: int | None = 2
    actor_max: int | None = 5
    every_unit_represented: bool = False
    aggregation: str = "auto"
    places: int | None = 2
    rounding: str = "half_up"
    step: Decimal | None = Decimal("0.25")
    outlier_percent: Decimal | None = Decimal(20)
    tie_break: list[str] = field(default_factory=lambda: list(rules.DEFAULT_TIE_BREAK))


@dataclass
class RoundValues:
    name: str = ""
    kind: str = "final"
    held_on: date | None = None
    venue: str | None = None
    advance_count: int | None = None


@dataclass
class CriterionValues:
    """A criterion row; ``row`` is its index in the form, where its errors are shown."""

    name: str
    max_points: Decimal | None
    row: int = 0


@dataclass
class PartValues:
    name: str = ""
    kind: str = "other"
    max_points: Decimal | None = None
    scored_by: str = "judges"
    time_limit_seconds: int | None = None
    penalty_kind: str = "none"
    penalty_points: Decimal | None = None
    penalty_tiers: list[tuple[int, Decimal]] = field(default_factory=list)
    guidance: str | None = None
    criteria: list[CriterionValues] = field(default_factory=list)


@dataclass
class PrizeValues:
    name: str
    kind: str
    count: int | None
    row: int = 0


# Checks shared by the setup services


def decimal_error(value: Decimal | None, label: str, maximum: Decimal) -> str | None:
    """What is wrong with points typed for ``label``: missing, not above 0, above the maximum
    or with more than 2 decimals; None when nothing."""
    if value is None:
        return f"Nhập {label}."
    if value <= 0:
        return f"{label[0].upper() + label[1:]} phải lớn hơn 0."
    if value > maximum:
        return f"{label[0].upper() + label[1:]} tối đa là {format_mark(maximum)}."
    if value != value.quantize(CENT):
        return "Tối đa 2 chữ số thập phân."
    return None


def on_step(value: Decimal, step: Decimal) -> bool:
    """The value is a whole number of steps (marks are given by the contest's step)."""
    try:
        return step <= 0 or value % step == 0
    except InvalidOperation:
        return False


def short_text(value: str | None) -> str | None:
    """A one-line text as stored (white space collapsed), None when empty."""
    return normalize(value) or None


def long_text(value: str | None) -> str | None:
    """A text of several lines as stored (ends trimmed), None when empty."""
    return (value or "").strip() or None


def check_length(errors: list, name: str, value: str | None, limit: int) -> None:
    """Add the error of a text longer than ``limit`` characters."""
    if value and len(value) > limit:
        errors.append((name, f"Tối đa {format_number(limit)} ký tự."))
