"""Forms of the designation: a commune made a pilot (or assessed against the model-commune
criteria) with a template revision, a level and a period; later a change of level, period or
note. Choices and the rules between fields are checked by app/pilots/services/designation.py,
whose messages land next to these fields."""

from datetime import date
from typing import ClassVar

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.forms import VersionField, VNDateField, choices
from app.pilots.rules import LEVEL_LABELS
from app.units.forms import UnitReferenceField

NOTE_MAX = 2000
# The phases of Decision 315 (DOMAIN.md §8): a new designation runs to the end of the current
# one unless the officer says otherwise.
PHASE_ENDS = (2026, 2030)


def default_period(today: date) -> tuple[date, date]:
    """From today to the end of the scheme's current phase (31/12/2026, then 31/12/2030)."""
    end_year = next((year for year in PHASE_ENDS if today.year <= year), today.year)
    return today, date(end_year, 12, 31)


class PeriodFields(FlaskForm):
    """The level, the period and a note: what a designation says and may later change."""

    level = SelectField(
        "Cấp chỉ đạo điểm",
        choices=choices([("", "— Chọn cấp —"), *LEVEL_LABELS.items()]),
        validators=[InputRequired("Chọn cấp chỉ đạo điểm.")],
        validate_choice=False,
    )
    starts_on = VNDateField(
        "Ngày bắt đầu", validators=[InputRequired("Nhập ngày bắt đầu thực hiện.")]
    )
    ends_on = VNDateField(
        "Ngày kết thúc", validators=[InputRequired("Nhập ngày kết thúc thực hiện.")]
    )
    note = TextAreaField(
        "Ghi chú",
        description="Ví dụ: căn cứ Kế hoạch số 1399/KH-UBND ngày 15/5/2024 của UBND huyện.",
        validators=[Optional(), Length(max=NOTE_MAX, message=f"Tối đa {NOTE_MAX} ký tự.")],
        render_kw={"rows": 3, "maxlength": NOTE_MAX},
    )

    def validate_level(self, field) -> None:
        if field.data not in LEVEL_LABELS:
            raise ValidationError("Chọn cấp chỉ đạo điểm.")


class DesignationForm(PeriodFields):
    """A new designation: which commune and which template revision."""

    # The designation service names its fields after the checklist's columns.
    error_fields: ClassVar[dict[str, str]] = {"unit_id": "unit", "template_id": "template"}

    unit = UnitReferenceField(
        "Xã, phường, thị trấn",
        description="Gõ vài chữ của tên xã (có dấu hay không dấu đều được) rồi chọn trong "
        "danh sách gợi ý.",
        render_kw={"list": "unit-options", "autocomplete": "off"},
    )
    template = SelectField(
        "Mẫu bảng kiểm",
        validators=[InputRequired("Chọn một mẫu bảng kiểm đang áp dụng.")],
        validate_choice=False,
    )

    def __init__(self, templates: list, **kwargs):
        super().__init__(**kwargs)
        self.templates = {str(t.id): t for t in templates}
        self.template.choices = choices(
            [("", "— Chọn mẫu —")]
            + [(t.id, f"{t.kind_label}: {t.name} (phiên bản {t.revision})") for t in templates]
        )

    def validate_template(self, field) -> None:
        if field.data not in self.templates:
            raise ValidationError("Chọn một mẫu bảng kiểm đang áp dụng.")

    def chosen_template(self):
        return self.templates.get(self.template.data or "")


class DesignationEditForm(PeriodFields):
    """A change of the designation: versioned (QUALITY.md R3)."""

    version = VersionField()
