"""Reading the values out of a row's cells: the words each column accepts, numbers that Excel
mangles (a phone without its leading zero, a date as a day number), and the same normal forms
for what is stored and what is read, so that re-reading an exported file changes nothing."""

from datetime import date, datetime, timedelta
from functools import lru_cache

from app.forms import parse_vn_date
from app.registry.excel.columns import as_text
from app.registry.rules import BACKGROUND_LABELS, EDUCATION_LABELS, SEX_LABELS, ethnic_groups
from app.text import fold, normalize

MAX_LENGTHS = {
    "full_name": 200,
    "phone": 30,
    "occupation": 200,
    "address": 300,
    "note": 2000,
    "decision_number": 50,
}
FIELD_HEADERS = {
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "birth_year": "Năm sinh",
    "ethnicity_code": "Dân tộc",
    "phone": "Điện thoại",
    "occupation": "Nghề nghiệp",
    "background": "Thành phần",
    "education": "Trình độ",
    "address": "Địa chỉ",
    "note": "Ghi chú",
}
# Other names people write for some groups (the official names are in ethnic_groups.csv).
ETHNIC_ALIASES = {"H'Mông": "08", "Mèo": "08", "Khmer": "05", "Vân Kiều": "23"}
TEAM_PREFIX = "to hoa giai "
EXCEL_EPOCH = datetime(1899, 12, 30)


# The same few words (sexes, groups, teams) come back on every row: fold each once.
fold_once = lru_cache(maxsize=4096)(fold)


def squash(text: str) -> str:
    """Folded, without spaces, hyphens or apostrophes: "Khơ-mú", "Khơ Mú" → "khomu"."""
    return "".join(ch for ch in fold_once(text) if ch.isalnum())


def words_of(labels: dict[str, str]) -> dict[str, str]:
    return {fold(label): key for key, label in labels.items()} | {fold(k): k for k in labels}


SEX_WORDS = words_of(SEX_LABELS) | {"nu gioi": "F", "nam gioi": "M"}
BACKGROUND_WORDS = words_of(BACKGROUND_LABELS)
EDUCATION_WORDS = words_of(EDUCATION_LABELS)


def ethnic_words() -> dict[str, str]:
    words = {squash(name): code for code, name in ethnic_groups().items()}
    words |= {code: code for code in ethnic_groups()}
    words |= {str(int(code)): code for code in ethnic_groups()}
    return words | {squash(alias): code for alias, code in ETHNIC_ALIASES.items()}


def same_value(key: str, stored, read) -> bool:
    """A stored value and the cell read for it, compared as the import would store the cell
    (a note typed in a browser has CRLF line ends; the file gives them back as LF)."""
    if isinstance(stored, str):
        stored = normalize_lines(stored) if key == "note" else normalize(stored)
    return (stored or None) == (read or None)


def team_keys(text: str) -> set[str]:
    key = fold_once(text)
    return {key, key.removeprefix(TEAM_PREFIX)}


def decision_message(message: str) -> str:
    if "trước năm sinh" in message:
        return "Ngày QĐ công nhận trước năm sinh của hòa giải viên."
    if "tương lai" in message:
        return "Ngày QĐ công nhận không được ở tương lai."
    return message


def note_text(value) -> str:
    """A note keeps its line breaks; only its ends are trimmed."""
    if value is None:
        return ""
    return normalize_lines(str(value)) if isinstance(value, str) else as_text(value)


def normalize_lines(text: str) -> str:
    return "\n".join(normalize(line) for line in text.strip().splitlines()).strip()


def phone_text(value, text: str) -> str:
    """Excel keeps a number typed in a general cell without its leading zero: put it back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) == 9:
        return "0" + text
    return text


def year_of(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and 1000 <= value <= 9999 else None
    text = as_text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) == 4 else None


def date_of(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date typed into a general cell: Excel's day number (1910-2100 only).
        if 3654 <= value <= 73050:
            return (EXCEL_EPOCH + timedelta(days=int(value))).date()
        return None
    return parse_date_once(as_text(value)) if value is not None else None


parse_date_once = lru_cache(maxsize=1024)(parse_vn_date)
