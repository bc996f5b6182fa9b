"""Fields the contest's forms share: points and durations typed the Vietnamese way, penalty
tiers one a line, and the reason of an amendment to frozen rules (whole numbers:
app.forms.WholeNumberField)."""

from decimal import Decimal

from wtforms import StringField, TextAreaField
from wtforms.validators import Optional

from app.contests import rules
from app.contests.rules import format_mark
from app.contests.services.words import (
    DURATION_UNREADABLE,
    format_duration,
    parse_duration,
    parse_tier_lines,
    tier_lines,
)


class PointsField(StringField):
    """Points typed the Vietnamese way (0,25) or with a dot; shown as 0,25."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if isinstance(self.data, Decimal):
            return format_mark(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = valuelist[0] if valuelist else ""
        if len(text) > 20:
            raise ValueError(rules.MARK_NOT_A_NUMBER)
        self.data = rules.parse_mark(text)


class DurationField(StringField):
    """A duration typed as minutes:seconds ("3:00", "3:25"), minutes ("5") or in words ("3 phút
    30 giây"); ``data`` is in seconds (words.parse_duration)."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"autocomplete": "off", "placeholder": "phút:giây"}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if isinstance(self.data, int):
            return format_duration(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = valuelist[0] if valuelist else ""
        if len(text) > 40:
            raise ValueError(DURATION_UNREADABLE)
        self.data = parse_duration(text)


class TiersField(TextAreaField):
    """Penalty tiers typed one a line ("dưới 1 phút: 0,25", "từ 1 phút: 0,5")."""

    def _value(self):
        if isinstance(self.data, list):
            return tier_lines(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_data(self, value):
        self.data = list(value) if isinstance(value, tuple | list) else []

    def process_formdata(self, valuelist):
        self.data = []
        text = valuelist[0] if valuelist else ""
        if len(text) > 1000:
            raise ValueError("Tối đa 1.000 ký tự.")
        self.data = parse_tier_lines(text)


def amendment_reason_field() -> TextAreaField:
    """The reason of a change to frozen rules, recorded with it (the services require it)."""
    return TextAreaField(
        "Lý do sửa đổi thể lệ",
        validators=[Optional()],
        description="Bắt buộc khi thể lệ đã khóa (từ khi bắt đầu chấm thi); được lưu cùng nội "
        "dung sửa đổi.",
        render_kw={"rows": 2},
    )
