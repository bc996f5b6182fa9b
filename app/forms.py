"""Form pieces shared by every area."""

from collections.abc import Iterable
from datetime import date, datetime

from wtforms import Field, FieldList, HiddenField, SelectChoice, StringField
from wtforms.validators import ValidationError

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Options of a SelectField from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def parse_id(text: str | None) -> int | None:
    """A database id typed in a filter: ASCII digits that fit an INTEGER column, else None."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= 2**31 - 1 else None


def parse_vn_date(text: str) -> date | None:
    """dd/mm/yyyy (and a few common variants); None for an empty or unreadable value."""
    text = (text or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class VNDateField(StringField):
    """A date typed as dd/mm/yyyy, the way Vietnamese offices write it."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if isinstance(self.data, date):
            return self.data.strftime("%d/%m/%Y")
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_vn_date(valuelist[0])
            if self.data is None:
                raise ValueError(
                    "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
                )


class WholeNumberField(StringField):
    """A whole number typed in a box, of at most ``digits`` digits; anything else is refused
    in Vietnamese. ``signed``: a sign is read, so that the rules can say what is wrong with
    "-1"."""

    def __init__(
        self,
        label=None,
        validators=None,
        message="Nhập một số nguyên.",
        digits=6,
        signed=True,
        **kwargs,
    ):
        render_kw = {"inputmode": "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.message = message
        self.digits = digits
        self.signed = signed

    def _value(self):
        if isinstance(self.data, int):
            return str(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            return
        digits = text[1:] if self.signed and text[0] in "+-" else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > self.digits:
            raise ValueError(self.message)
        self.data = int(text)


class VersionField(HiddenField):
    """The record's version when the form was loaded (QUALITY.md R3)."""

    def __init__(self, label="", **kwargs):
        super().__init__(label, **kwargs)


def date_not_before(other_name: str, message: str):
    """Validator: this date is on or after the date in another field."""

    def _check(form, field: Field):
        other = form[other_name].data
        if field.data and other and field.data < other:
            raise ValidationError(message)

    return _check


def show_error(form, name: str | None, message: str) -> None:
    """A rule refused by a service, shown next to the field it names, or above the form."""
    field = form._fields.get(name or "") if name != "csrf_token" else None
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


def add_errors(form, errors: list[tuple[str, str]], aliases: dict | None = None) -> None:
    """A service's refusal, its (field, message) list, each next to its field of ``form``: a
    row of a list of fields too ("criteria-2-max_points"), under the form's own name for a
    field where it differs from the service's (``aliases`` or ``form.error_fields``); else
    above the form."""
    aliases = aliases or getattr(form, "error_fields", {})
    for name, message in errors:
        name = aliases.get(name, name)
        field = _row_field(form, name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            show_error(form, name, message)


def _row_field(form, name: str):
    """ "criteria-2-max_points" → form.criteria[2].max_points (None when not such a name)."""
    parts = (name or "").split("-")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    rows = form._fields.get(parts[0])
    index = int(parts[1])
    if not isinstance(rows, FieldList) or index >= len(rows):
        return None
    return rows[index].form._fields.get(parts[2])
