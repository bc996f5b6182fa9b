"""Forms of the secretary: a timing, a penalty for a breach of the rules, and the table of
multiple-choice results."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.contests.forms.fields import DurationField
from app.contests.services.secretary import REASON_REQUIRED, MarkCell
from app.contests.services.words import DURATION_UNREADABLE
from app.forms import VersionField, parse_id

CHOOSE_ENTRY = "Chọn đội/thí sinh."
CHOOSE_PART = "Chọn phần thi."


class IdSelectField(SelectField):
    """A select of database ids: ``data`` is an int (None when nothing is chosen). Whether the
    id belongs to the round is the service's check (its message goes next to the field)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=_id_or_none, validate_choice=False, **kwargs)


def _id_or_none(value):
    if value is None or isinstance(value, int):
        return value
    return parse_id(str(value))


class TimingForm(FlaskForm):
    """The time an entry used on a timed part (points follow from the part's rule). Two forms
    share the penalties page: a prefix tells their fields apart."""

    entry = IdSelectField("Đội/thí sinh", validators=[InputRequired(CHOOSE_ENTRY)])
    part = IdSelectField("Phần thi", validators=[InputRequired(CHOOSE_PART)])
    used = DurationField(
        "Thời gian sử dụng",
        validators=[InputRequired(DURATION_UNREADABLE)],
        description="Phút:giây theo đồng hồ bấm giờ, ví dụ 3:25.",
        render_kw={"inputmode": "numeric"},
    )
    version = VersionField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "time")
        super().__init__(*args, **kwargs)


class RulePenaltyForm(FlaskForm):
    """Points taken off an entry for a breach of the rules, with the reason."""

    entry = IdSelectField("Đội/thí sinh", validators=[InputRequired(CHOOSE_ENTRY)])
    part = IdSelectField("Phần thi", validators=[Optional()])
    points = StringField(
        "Điểm trừ",
        validators=[InputRequired("Nhập số điểm trừ, ví dụ 0,5.")],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    reason = TextAreaField(
        "Lý do",
        validators=[
            InputRequired(REASON_REQUIRED),
            Length(max=2000, message="Tối đa 2.000 ký tự."),
        ],
        description="Quy định nào của thể lệ bị vi phạm, ví dụ: diễn viên phụ họa đóng vai "
        "hòa giải viên.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "rule")
        super().__init__(*args, **kwargs)


class SecretaryMarksForm(FlaskForm):
    """The whole table of multiple-choice results posts at once; the cells are named
    ``m-<entry>-<part>-value|correct|count|version`` (see ``cells``)."""

    def cells(self, formdata, entry_ids, part_ids) -> list[MarkCell]:
        """A cell for each entry × part of the table; a cell absent from the post is left as
        it is (only the table's own cells are read: other names change nothing)."""
        cells = []
        for entry_id in entry_ids:
            for part_id in part_ids:
                cell = MarkCell(entry_id, part_id)
                cell.posted = f"{cell.key}-value" in formdata
                cell.value = (formdata.get(f"{cell.key}-value") or "")[:20]
                cell.correct = (formdata.get(f"{cell.key}-correct") or "")[:10]
                cell.count = (formdata.get(f"{cell.key}-count") or "")[:10]
                cell.version = (formdata.get(f"{cell.key}-version") or "")[:10]
                cells.append(cell)
        return cells
