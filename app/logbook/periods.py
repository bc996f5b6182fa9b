"""Periods for counting cases: the presets of the rates page and the reporting periods of
Circular 03/2019/TT-BTP (DOMAIN.md §9). Pure date arithmetic, no request and no database:
the rates page, the reports and their tests all use the same periods.

A period is a closed range of days [start, end]; a case belongs to it by the day it was
received, as the statistics form counts cases.
"""

from dataclasses import dataclass
from datetime import date, timedelta

# The law on grassroots mediation is in force from 1/1/2014: no logbook is older.
FIRST_YEAR = 2014

PRESETS = {
    "this_year": "Năm nay",
    "last_year": "Năm trước",
    "first_half": "6 tháng đầu năm",
    "year": "Cả năm",
    "custom": "Tùy chọn",
}
# Presets that need a year chosen with them.
PRESETS_WITH_YEAR = frozenset({"first_half", "year"})
DEFAULT_PRESET = "this_year"


@dataclass(frozen=True)
class Period:
    """A closed range of days with the name people give it."""

    start: date
    end: date
    label: str

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def dates(self) -> str:
        """ "01/01/2025 – 30/06/2025" """
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def whole_year(year: int) -> Period:
    """1/1 – 31/12 of a year."""
    return Period(date(year, 1, 1), date(year, 12, 31), f"Năm {year}")


def first_half(year: int) -> Period:
    """1/1 – 30/6 of a year: the period of the 6-month report."""
    return Period(date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}")


def custom(start: date, end: date) -> Period:
    return Period(start, end, f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}")


def check_custom(start: date | None, end: date | None) -> list[tuple[str, str]]:
    """What is wrong with a period typed by hand, as (field, message in Vietnamese)."""
    errors = []
    if start is None:
        errors.append(("start", "Nhập ngày bắt đầu của kỳ, ví dụ 01/01/2025."))
    elif start.year < FIRST_YEAR:
        errors.append(("start", f"Sổ theo dõi hòa giải có từ năm {FIRST_YEAR}."))
    if end is None:
        errors.append(("end", "Nhập ngày kết thúc của kỳ, ví dụ 30/06/2025."))
    if start is not None and end is not None and end < start:
        errors.append(("end", "Ngày kết thúc của kỳ không thể trước ngày bắt đầu."))
    return errors


def preset(
    key: str,
    today: date,
    year: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """The period a preset names, seen from ``today``. ``year`` serves "first_half" and "year"
    (this year when None); ``start``/``end`` serve "custom" and must be valid (check_custom)."""
    if key == "last_year":
        return whole_year(today.year - 1)
    if key == "first_half":
        return first_half(year or today.year)
    if key == "year":
        return whole_year(year or today.year)
    if key == "custom":
        if start is None or end is None or end < start:
            raise ValueError("a custom period needs a start on or before its end")
        return custom(start, end)
    return Period(date(today.year, 1, 1), date(today.year, 12, 31), f"Năm nay ({today.year})")


def year_choices(today: date) -> list[int]:
    """The years offered in a period picker, newest first."""
    return list(range(today.year, FIRST_YEAR - 1, -1))


# Reporting periods of Circular 03/2019/TT-BTP (DOMAIN.md §9).


@dataclass(frozen=True)
class ReportPeriod:
    """What a periodic report covers, and up to which day its figures are actual data (the
    rest of the period is an estimate)."""

    kind: str
    period: Period
    actual_to: date

    @property
    def label(self) -> str:
        return REPORT_KINDS[self.kind]

    @property
    def estimated(self) -> Period | None:
        """The days the report estimates; None when it is all actual data."""
        if self.actual_to >= self.period.end:
            return None
        return Period(self.actual_to + timedelta(days=1), self.period.end, "Ước tính")

    def actual_period(self) -> Period:
        """The part of the period counted from data."""
        return Period(self.period.start, self.actual_to, "Số liệu thực tế")


REPORT_KINDS = {
    "six_month": "Báo cáo 6 tháng",
    "annual": "Báo cáo năm",
    "annual_official": "Báo cáo năm chính thức",
}


def six_month_report(year: int) -> ReportPeriod:
    """Covers 1/1 – 30/6: actual data to 31/5, June estimated."""
    return ReportPeriod("six_month", first_half(year), date(year, 5, 31))


def annual_report(year: int) -> ReportPeriod:
    """Covers the year: actual data to 30/11, December estimated."""
    return ReportPeriod("annual", whole_year(year), date(year, 11, 30))


def official_annual_report(year: int) -> ReportPeriod:
    """The official annual report: 1/1 – 31/12, all actual data."""
    return ReportPeriod("annual_official", whole_year(year), date(year, 12, 31))


def report_periods(year: int) -> list[ReportPeriod]:
    """The three reports of a year, in the order they are due."""
    return [six_month_report(year), annual_report(year), official_annual_report(year)]
