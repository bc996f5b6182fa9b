"""Period arithmetic: the presets of the rates page and the periods of Circular 03/2019."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from app.logbook import periods
from app.logbook.forms.rates import RatesForm

TODAY = date(2026, 3, 15)


def test_presets_seen_from_a_day():
    this_year = periods.preset("this_year", TODAY)
    assert (this_year.start, this_year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert this_year.label == "Năm nay (2026)"
    last = periods.preset("last_year", TODAY)
    assert (last.start, last.end, last.label) == (date(2025, 1, 1), date(2025, 12, 31), "Năm 2025")
    half = periods.preset("first_half", TODAY, 2024)
    assert (half.start, half.end) == (date(2024, 1, 1), date(2024, 6, 30))
    assert half.label == "6 tháng đầu năm 2024" and half.dates == "01/01/2024 – 30/06/2024"
    assert periods.preset("year", TODAY, 2019) == periods.whole_year(2019)
    assert periods.preset("year", TODAY) == periods.whole_year(2026), "this year by default"
    assert periods.preset("unknown", TODAY).label == "Năm nay (2026)"


def test_custom_period_and_its_checks():
    period = periods.preset("custom", TODAY, start=date(2025, 2, 1), end=date(2025, 4, 30))
    assert period.label == "Từ 01/02/2025 đến 30/04/2025"
    assert date(2025, 2, 1) in period and date(2025, 4, 30) in period
    assert date(2025, 5, 1) not in period and date(2025, 1, 31) not in period
    one_day = periods.custom(date(2025, 2, 1), date(2025, 2, 1))
    assert date(2025, 2, 1) in one_day
    assert periods.check_custom(date(2025, 2, 1), date(2025, 2, 1)) == []
    assert [f for f, _ in periods.check_custom(None, None)] == ["start", "end"]
    assert [f for f, _ in periods.check_custom(date(2025, 5, 1), date(2025, 4, 1))] == ["end"]
    assert [f for f, _ in periods.check_custom(date(2010, 1, 1), date(2025, 4, 1))] == ["start"]
    with pytest.raises(ValueError):
        periods.preset("custom", TODAY, start=date(2025, 5, 1), end=date(2025, 4, 1))


def test_leap_years_and_year_ends():
    assert periods.whole_year(2024).end == date(2024, 12, 31)
    assert date(2024, 2, 29) in periods.first_half(2024)
    assert date(2024, 7, 1) not in periods.first_half(2024)


def test_report_periods_of_circular_03_2019():
    six, annual, official = periods.report_periods(2025)
    assert six.label == "Báo cáo 6 tháng"
    assert (six.period.start, six.period.end, six.actual_to) == (
        date(2025, 1, 1),
        date(2025, 6, 30),
        date(2025, 5, 31),
    )
    assert (six.estimated.start, six.estimated.end) == (date(2025, 6, 1), date(2025, 6, 30))
    assert six.actual_period().end == date(2025, 5, 31)
    assert (annual.period.end, annual.actual_to) == (date(2025, 12, 31), date(2025, 11, 30))
    assert annual.estimated.start == date(2025, 12, 1)
    assert official.actual_to == date(2025, 12, 31) and official.estimated is None


def test_year_choices_go_back_to_the_law():
    years = periods.year_choices(TODAY)
    assert years[0] == 2026 and years[-1] == periods.FIRST_YEAR == 2014


def form(**args) -> RatesForm:
    f = RatesForm(MultiDict(args), TODAY)
    f.validate()
    return f


def test_the_form_turns_a_query_string_into_a_period():
    assert form().chosen_period() == periods.preset("this_year", TODAY)
    assert form(period="first_half", year="2023").chosen_period() == periods.first_half(2023)
    assert form(period="last_year").args() == {"period": "last_year"}
    chosen = form(period="custom", start="01/02/2025", end="30/04/2025", sort="rate")
    assert chosen.valid
    assert chosen.chosen_period() == periods.custom(date(2025, 2, 1), date(2025, 4, 30))
    assert chosen.args() == {
        "period": "custom",
        "start": "01/02/2025",
        "end": "30/04/2025",
        "sort": "rate",
    }


def test_the_form_refuses_bad_dates_and_ignores_unknown_choices():
    bad = form(period="custom", start="32/01/2025", end="")
    assert not bad.valid and bad.start.errors
    assert bad.chosen_period() == periods.preset("this_year", TODAY), "shown while invalid"
    missing = form(period="custom", start="01/02/2025")
    assert not missing.valid and missing.end.errors == [
        "Nhập ngày kết thúc của kỳ, ví dụ 30/06/2025."
    ]
    odd = form(period="everything", year="1900", sort="random")
    assert odd.valid and (odd.period.data, odd.year.data, odd.sort.data) == (
        "this_year",
        "2026",
        "name",
    )
