"""Forms of scoring: a judge's sheet (one field per criterion, or one for the part), the
declaration of no conflict, and the head judge's reopening and outlier review."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.contests.models import OUTLIER_DECISION_LABELS, ContestPart
from app.contests.rules import format_mark, mark_error, parse_mark
from app.contests.services.judging import NOTE_MAX, field_name, mark_keys, mark_maximum
from app.forms import VersionField, choices
from app.text import format_number

NOTE_LENGTH = f"Tối đa {format_number(NOTE_MAX)} ký tự."


class MarkField(StringField):
    """A mark typed the Vietnamese way (7,5 or 7.5), within [0, maximum] and on the step.
    ``posted`` says whether the field came with the form at all (absent: left unchanged)."""

    def __init__(self, label=None, maximum=Decimal(10), step=Decimal("0.25"), **kwargs):
        render_kw = {
            "inputmode": "decimal",
            "autocomplete": "off",
            "enterkeyhint": "next",
            "class": "mark-input",
        }
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, render_kw=render_kw, **kwargs)
        self.maximum = maximum
        self.step = step
        self.posted = False

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_mark(self.data) if isinstance(self.data, Decimal) else ""

    def process_formdata(self, valuelist):
        self.posted = bool(valuelist)
        self.data = None
        if valuelist:
            self.data = parse_mark(valuelist[0])

    def pre_validate(self, form):
        if self.data is not None:
            message = mark_error(self.data, self.maximum, self.step)
            if message:
                raise ValidationError(message)


class SheetForm(FlaskForm):
    """A judge's score sheet; the mark fields are added for each part (``sheet_form``)."""

    note = TextAreaField(
        "Nhận xét của giám khảo (không bắt buộc)",
        validators=[Optional(), Length(max=NOTE_MAX, message=NOTE_LENGTH)],
    )
    version = VersionField()

    part: ContestPart

    def mark_fields(self) -> list[tuple[int | None, MarkField]]:
        return [(key, self[field_name(key)]) for key in mark_keys(self.part)]

    def marks(self) -> dict[int | None, Decimal | None]:
        """The marks that came with the form (an empty field clears its mark)."""
        return {key: f.data for key, f in self.mark_fields() if f.posted}

    def note_value(self) -> str | None:
        """The note typed, or None when the form carried no note field."""
        return (self.note.data or "") if self.note.raw_data else None


def sheet_form(part: ContestPart, step: Decimal, marks=None, note=None, version=None):
    """The sheet form of a part: on GET filled from the stored marks, on POST from the form."""
    fields = {}
    for key in mark_keys(part):
        maximum = mark_maximum(part, key)
        if key is None:
            label = "Điểm phần thi"
        else:
            label = next(c.name for c in part.criteria if c.id == key)
        fields[field_name(key)] = MarkField(
            label,
            maximum=maximum,
            step=step,
            id=field_name(key).replace("_", "-"),
            description=f"Từ 0 đến {format_mark(maximum)}, bước {format_mark(step)}",
        )
    form_class = type("PartSheetForm", (SheetForm,), fields)
    data = {field_name(key): value for key, value in (marks or {}).items()}
    data.update(note=note, version="" if version is None else str(version))
    form = form_class(data=data)
    form.part = part
    return form


class DeclareForm(FlaskForm):
    """The judge's declaration of no conflict of interest."""

    confirm = BooleanField(
        "Tôi đã đọc và cam đoan như trên",
        validators=[DataRequired("Đánh dấu ô cam đoan trước khi xác nhận.")],
    )


class ReopenForm(FlaskForm):
    """The head judge reopens a submitted sheet: the reason is required."""

    reason = TextAreaField(
        "Lý do mở lại phiếu chấm",
        validators=[
            DataRequired("Ghi lý do mở lại phiếu chấm."),
            Length(max=NOTE_MAX, message=NOTE_LENGTH),
        ],
        description=(
            "Ví dụ: giám khảo nhập nhầm điểm tiêu chí Nội dung. Lý do được ghi vào nhật ký."
        ),
    )


class OutlierReviewForm(FlaskForm):
    """The head judge's decision on a mark far from the panel's median."""

    decision = RadioField(
        "Xử lý",
        choices=choices(OUTLIER_DECISION_LABELS.items()),
        validators=[InputRequired("Chọn cách xử lý: giữ nguyên điểm hoặc đề nghị chấm lại.")],
    )
    note = TextAreaField(
        "Ghi chú (bắt buộc khi đề nghị chấm lại)",
        validators=[Optional(), Length(max=NOTE_MAX, message=NOTE_LENGTH)],
    )
