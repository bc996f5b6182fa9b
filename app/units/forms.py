"""Forms for adding and editing units."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import VersionField, VNDateField, choices, date_not_before
from app.units.models import PILOT_LEVELS, Unit
from app.units.services import find_unit_by_reference, paths_of, unit_reference


class UnitForm(FlaskForm):
    """Every editable field; the route removes the ones the user may not set."""

    name = StringField(
        "Tên đơn vị",
        validators=[DataRequired("Nhập tên đơn vị."), Length(max=200, message="Tối đa 200 ký tự.")],
        description="Tên đầy đủ, kể cả loại: ví dụ “Bản Tá Miếu”, “Tổ dân phố 3”.",
    )
    kind = SelectField("Loại đơn vị", validators=[DataRequired("Chọn loại đơn vị.")])
    code = StringField(
        "Mã đơn vị hành chính",
        validators=[Optional(), Length(max=20, message="Tối đa 20 ký tự.")],
        description="Mã theo danh mục của Tổng cục Thống kê, nếu có.",
    )
    valid_from = VNDateField("Có hiệu lực từ ngày", validators=[Optional()])
    valid_to = VNDateField(
        "Hết hiệu lực từ ngày",
        validators=[
            Optional(),
            date_not_before("valid_from", "Ngày hết hiệu lực phải sau ngày có hiệu lực."),
        ],
        description="Để trống nếu đơn vị còn hoạt động.",
    )
    is_ethnic_minority_area = BooleanField("Vùng đồng bào dân tộc thiểu số")
    pilot_level = SelectField(
        "Xã chỉ đạo điểm",
        choices=choices([("", "Không"), *PILOT_LEVELS.items()]),
        validators=[Optional()],
    )
    pilot_start_year = IntegerField(
        "Chỉ đạo điểm từ năm",
        validators=[Optional(), NumberRange(2000, 2100, "Năm không hợp lệ.")],
    )
    pilot_end_year = IntegerField(
        "Đến năm",
        validators=[Optional(), NumberRange(2000, 2100, "Năm không hợp lệ.")],
    )
    note = TextAreaField("Ghi chú", validators=[Optional(), Length(max=2000)])
    version = VersionField()

    def validate_pilot_end_year(self, field):
        start = self.pilot_start_year.data
        if field.data and start and field.data < start:
            raise ValidationError("Năm kết thúc phải sau năm bắt đầu.")

    def validate_pilot_start_year(self, field):
        if self.pilot_level.data and not field.data:
            raise ValidationError("Nhập năm bắt đầu chỉ đạo điểm.")

    def changes(self) -> dict:
        """The submitted values of the fields this form still has (never anything else)."""
        names = [
            "name",
            "kind",
            "code",
            "valid_from",
            "valid_to",
            "is_ethnic_minority_area",
            "pilot_level",
            "pilot_start_year",
            "pilot_end_year",
            "note",
        ]
        return {name: self[name].data for name in names if name in self}


class UnitReferenceField(StringField):
    """A unit typed with suggestions from /units/lookup; resolves to ``.unit``."""

    unit = None

    def process_data(self, value):
        """A unit from the edited object is shown the way the user would type it."""
        if isinstance(value, Unit):
            value = unit_reference(value, paths_of([value.id])[value.id])
        super().process_data(value)

    def pre_validate(self, form):
        self.unit, problem = find_unit_by_reference(self.data or "")
        if problem:
            raise ValidationError(problem)


class SuccessionForm(FlaskForm):
    """A merge, split or rename: this unit's history continues in another one."""

    successor = UnitReferenceField(
        "Đơn vị kế thừa",
        description="Đơn vị mới sau khi sáp nhập, chia tách hoặc đổi tên.",
        render_kw={"list": "unit-options", "autocomplete": "off"},
    )
    effective_date = VNDateField(
        "Ngày có hiệu lực", validators=[InputRequired("Nhập ngày có hiệu lực.")]
    )
    note = StringField(
        "Căn cứ",
        validators=[Optional(), Length(max=500, message="Tối đa 500 ký tự.")],
        description="Ví dụ: Nghị quyết 1661/NQ-UBTVQH15 ngày 16/6/2025.",
    )
