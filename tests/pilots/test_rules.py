"""The pure rules of checklists: typed values, targets, due dates, numbers as printed."""

from datetime import date
from decimal import Decimal

import pytest

from app.pilots import rules
from app.pilots.rules import Period, ValueProblem
from app.text import format_decimal


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("87,5", "percent", Decimal("87.50")),
        ("100", "percent", Decimal("100.00")),
        ("1.234", "number", Decimal("1234.00")),
        ("87.5", "percent", Decimal("87.50")),
        ("1.234,5", "number", Decimal("1234.50")),
        (" 12 ", "number", Decimal("12.00")),
        ("", "number", None),
    ],
)
def test_typed_numbers_are_read_with_the_vietnamese_decimal_comma(raw, kind, expected):
    assert rules.parse_number(raw, kind) == expected


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        ("100,1", "percent", "Tỷ lệ không được vượt quá 100%."),
        ("-1", "number", "Không được là số âm."),
        ("mười", "number", "Nhập một số"),
        ("NaN", "number", "Nhập một số"),
        ("1e12", "number", "Số quá lớn."),
    ],
)
def test_bad_numbers_are_refused_in_words(raw, kind, message):
    with pytest.raises(ValueProblem, match=message):
        rules.parse_number(raw, kind)


def test_a_date_must_lie_within_the_pilot_period():
    period = Period(date(2024, 1, 1), date(2026, 12, 31))
    assert rules.date_problem(date(2025, 5, 1), period) is None
    assert rules.date_problem(None, period) is None
    message = rules.date_problem(date(2027, 1, 1), period)
    assert message == "Ngày phải trong thời gian thực hiện (01/01/2024 – 31/12/2026)."


def test_targets_are_compared_as_the_operator_says():
    assert rules.meets(Decimal(90), "percent", ">=", Decimal(90)) is True
    assert rules.meets(Decimal(90), "percent", ">", Decimal(90)) is False
    assert rules.meets(Decimal(2), "number", ">=", Decimal(1)) is True
    assert rules.meets(None, "percent", ">=", Decimal(90)) is None
    assert rules.meets(True, "check", None, None) is True
    assert rules.meets(False, "check", None, None) is False
    assert rules.meets(None, "check", None, None) is None
    assert rules.meets(0, "evidence", None, None) is None
    assert rules.meets(2, "evidence", None, None) is True
    assert rules.meets("Đã huy động 20 triệu đồng", "text", None, None) is True


def test_due_dates_count_months_from_the_start_and_overdue_needs_undone():
    assert rules.due_date(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert rules.due_date(date(2024, 1, 1), None) is None
    assert rules.is_overdue(date(2024, 7, 1), "in_progress", date(2024, 7, 2))
    assert not rules.is_overdue(date(2024, 7, 1), "done", date(2024, 7, 2))
    assert not rules.is_overdue(date(2024, 7, 1), "not_started", date(2024, 7, 1))


def test_numbers_and_targets_are_written_the_vietnamese_way():
    assert format_decimal(Decimal("1234.50")) == "1.234,5"
    assert format_decimal(Decimal("90.00")) == "90"
    assert rules.target_label("percent", ">", Decimal(90)) == "> 90%"
    assert rules.target_label("number", ">=", Decimal(1)) == "≥ 1"
    assert rules.target_label("check", None, None) == "Hoàn thành"


def test_a_tally_adds_points_only_for_items_that_meet_their_target():
    tally = rules.tally_item(True, True, Decimal(10), False) + rules.tally_item(
        False, False, Decimal(5), True
    )
    assert (tally.items, tally.done, tally.met, tally.overdue) == (2, 1, 1, 1)
    assert (tally.points, tally.points_earned, tally.completion) == (15, 10, 50)
    assert not tally.all_met
