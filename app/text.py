"""Vietnamese text helpers: search keys and display formats."""

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from app.clock import VIETNAM_OFFSET

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Diacritic- and case-insensitive search key: NFC, đ→d, marks stripped, casefolded."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip()


def given_name_first(folded: str) -> str:
    """ "nguyen van duc" -> "duc nguyen van": Vietnamese names end with the given name."""
    words = folded.split(" ")
    return " ".join([words[-1], *words[:-1]]) if len(words) > 1 else folded


def normalize(text: str | None) -> str:
    """Text as stored: NFC with runs of white space collapsed and the ends trimmed."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def format_date(value: date | datetime | None) -> str:
    """dd/mm/yyyy, the Vietnamese way."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time (values are stored in UTC)."""
    if value is None:
        return ""
    return (value + VIETNAM_OFFSET).strftime("%d/%m/%Y %H:%M")


def format_percent(value: int | float | Decimal | None) -> str:
    """A percentage with one decimal when it has one: 87,5% — 50%."""
    if value is None:
        return "—"
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 1
    return format_number(value, decimals) + "%"


def format_decimal(value: int | Decimal | None) -> str:
    """Vietnamese separators with the decimals the value has, up to two: 90.00 → "90",
    1234.50 → "1.234,5" (targets, points, typed results)."""
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()
    return format_number(value, max(0, -value.as_tuple().exponent))


def format_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """Vietnamese separators: 1.234,5."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
