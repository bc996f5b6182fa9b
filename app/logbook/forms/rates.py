"""The period picker of the success-rate page: a GET form (no CSRF, nothing changes)."""

from datetime import date

from wtforms import Form, SelectField

from app.forms import VNDateField, choices
from app.logbook.periods import (
    DEFAULT_PRESET,
    PRESETS,
    PRESETS_WITH_YEAR,
    Period,
    check_custom,
    preset,
    year_choices,
)

SORTS = {
    "name": "Tên A → Z",
    "rate": "Tỷ lệ thấp → cao",
    "received": "Nhiều vụ việc trước",
}


class RatesForm(Form):
    """Which period (a preset, a year, or dates typed by hand) and in which order. An unknown
    choice in the query string (an edited URL) falls back to the default, without a message."""

    period = SelectField(
        "Kỳ thống kê",
        id="rate-period",
        choices=choices(PRESETS.items()),
        default=DEFAULT_PRESET,
        validate_choice=False,
        render_kw={"class": "rate-filter"},
    )
    year = SelectField(
        "Năm",
        id="rate-year",
        validate_choice=False,
        render_kw={"class": "rate-filter"},
    )
    start = VNDateField("Từ ngày", id="rate-start")
    end = VNDateField("Đến ngày", id="rate-end")
    sort = SelectField(
        "Sắp xếp",
        id="rate-sort",
        choices=choices(SORTS.items()),
        default="name",
        validate_choice=False,
        render_kw={"class": "rate-filter"},
    )

    def __init__(self, formdata, today: date):
        super().__init__(formdata)
        self.today = today
        self.valid = False
        years = [str(y) for y in year_choices(today)]
        self.year.choices = choices((y, y) for y in years)
        if self.year.data not in years:
            self.year.data = str(today.year)
        if self.period.data not in PRESETS:
            self.period.data = DEFAULT_PRESET
        if self.sort.data not in SORTS:
            self.sort.data = "name"

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.period.data == "custom":
            for name, message in check_custom(self.start.data, self.end.data):
                self[name].errors.append(message)
                ok = False
        self.valid = ok
        return ok

    def chosen_period(self) -> Period:
        """The period asked for; the default one while the form is invalid."""
        if not self.valid:
            return preset(DEFAULT_PRESET, self.today)
        year = int(self.year.data) if self.period.data in PRESETS_WITH_YEAR else None
        return preset(self.period.data, self.today, year, self.start.data, self.end.data)

    def args(self) -> dict:
        """The query string that keeps this period on links (drill-down, load more)."""
        values = {"period": self.period.data}
        if self.period.data in PRESETS_WITH_YEAR:
            values["year"] = self.year.data
        if self.period.data == "custom":
            values["start"] = self.start._value()
            values["end"] = self.end._value()
        if self.sort.data != "name":
            values["sort"] = self.sort.data
        return values
