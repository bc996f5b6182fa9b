"""Forms for trainers (tập huấn viên) and training sessions (lớp tập huấn, bồi dưỡng)."""

from datetime import timedelta

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.clock import today
from app.extensions import db
from app.forms import VersionField, VNDateField, choices, date_not_before
from app.registry.rules import SEX_LABELS, TRAINER_BACKGROUNDS, TRAINING_LEVELS
from app.security.scope import sees_everything
from app.units.models import LEVEL_LABELS, Level, Unit, UnitClosure

# A select of units stays usable (and the page small) up to this many options.
UNIT_CHOICES_LIMIT = 1000
# The level of a session organised by a unit of each level.
LEVEL_OF_UNIT = {Level.PROVINCE: "province", Level.DISTRICT: "district", Level.COMMUNE: "commune"}
FAR_AHEAD = timedelta(days=366)
OLDEST_YEAR = 1990


class YearField(IntegerField):
    """A year typed as four digits, with the message in Vietnamese."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Nhập năm gồm 4 chữ số, ví dụ 1975.") from None


def unit_choices(user, levels: tuple[Level, ...]) -> list[SelectChoice]:
    """Current units of these levels in the user's subtree, grouped by level (two queries)."""
    stmt = select(Unit).where(Unit.level.in_([int(lvl) for lvl in levels]), Unit.valid_to.is_(None))
    if not sees_everything(user):
        stmt = stmt.join(UnitClosure, UnitClosure.descendant_id == Unit.id).where(
            UnitClosure.ancestor_id == user.unit_id
        )
    units = list(
        db.session.scalars(stmt.order_by(Unit.level, Unit.name_folded).limit(UNIT_CHOICES_LIMIT))
    )
    parent_ids = {u.parent_id for u in units if u.level == Level.COMMUNE and u.parent_id}
    parents = dict(
        db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(parent_ids))).all()
        if parent_ids
        else []
    )
    result = []
    for unit in units:
        label = unit.name
        if unit.level == Level.COMMUNE and unit.parent_id in parents:
            label = f"{unit.name} ({parents[unit.parent_id]})"
        result.append(SelectChoice(str(unit.id), label, optgroup=LEVEL_LABELS[Level(unit.level)]))
    return result


class TrainerForm(FlaskForm):
    """A trainer's record; ``unit`` is offered on creation only."""

    unit = SelectField(
        "Thuộc đơn vị",
        coerce=int,
        validators=[InputRequired("Chọn đơn vị.")],
        invalid_choice_message="Chọn một đơn vị cấp tỉnh hoặc cấp huyện trong danh sách.",
        invalid_value_message="Chọn một đơn vị cấp tỉnh hoặc cấp huyện trong danh sách.",
        description="Tập huấn viên thuộc cấp tỉnh hoặc cấp huyện.",
    )
    full_name = StringField(
        "Họ và tên",
        validators=[DataRequired("Nhập họ và tên."), Length(max=200, message="Tối đa 200 ký tự.")],
    )
    sex = SelectField(
        "Giới tính",
        choices=choices([("", "— Chọn —"), *SEX_LABELS.items()]),
        validators=[DataRequired("Chọn giới tính.")],
        invalid_choice_message="Chọn giới tính.",
    )
    birth_year = YearField(
        "Năm sinh",
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    background = SelectField(
        "Thành phần",
        choices=choices([("", "— Chọn —"), *TRAINER_BACKGROUNDS.items()]),
        validators=[DataRequired("Chọn thành phần.")],
        invalid_choice_message="Chọn thành phần trong danh sách.",
        description="Nghề nghiệp, lĩnh vực công tác của tập huấn viên.",
    )
    position = StringField(
        "Chức vụ, nơi công tác",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
        description="Ví dụ: Thẩm phán Tòa án nhân dân huyện.",
    )
    phone = StringField(
        "Điện thoại",
        validators=[Optional(), Length(max=30, message="Tối đa 30 ký tự.")],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    materials_received = BooleanField(
        "Đã được cấp tài liệu",
        description="Bộ tài liệu tập huấn của Chương trình khung (Quyết định 315/QĐ-TTg).",
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )
    version = VersionField()

    FIELDS = (
        "full_name",
        "sex",
        "birth_year",
        "background",
        "position",
        "phone",
        "materials_received",
        "note",
    )

    def validate_birth_year(self, field):
        year = today().year
        if field.data is not None and not (year - 100 <= field.data <= year - 18):
            raise ValidationError(f"Năm sinh phải trong khoảng {year - 100}–{year - 18}.")

    def changes(self) -> dict:
        """The submitted values of the record's fields (never the unit, never the version)."""
        values = {name: self[name].data for name in self.FIELDS}
        for name in ("position", "phone", "note"):
            values[name] = (values[name] or "").strip() or None
        return values


class TrainingForm(FlaskForm):
    """A training session; ``unit`` (the organiser) is offered on creation only."""

    unit = SelectField(
        "Đơn vị tổ chức",
        coerce=int,
        validators=[InputRequired("Chọn đơn vị tổ chức.")],
        invalid_choice_message="Chọn đơn vị tổ chức trong danh sách.",
        invalid_value_message="Chọn đơn vị tổ chức trong danh sách.",
    )
    title = StringField(
        "Nội dung, chủ đề tập huấn",
        validators=[
            DataRequired("Nhập nội dung tập huấn."),
            Length(max=300, message="Tối đa 300 ký tự."),
        ],
        description="Ví dụ: Bồi dưỡng kỹ năng hòa giải ở cơ sở năm 2025.",
    )
    starts_on = VNDateField("Từ ngày", validators=[InputRequired("Nhập ngày bắt đầu.")])
    ends_on = VNDateField(
        "Đến ngày",
        validators=[
            Optional(),
            date_not_before("starts_on", "Ngày kết thúc phải sau ngày bắt đầu."),
        ],
        description="Để trống nếu lớp học trong một ngày.",
    )
    level = SelectField(
        "Cấp tổ chức",
        choices=choices(TRAINING_LEVELS.items()),
        validators=[DataRequired("Chọn cấp tổ chức.")],
        invalid_choice_message="Chọn cấp tổ chức trong danh sách.",
    )
    is_framework = BooleanField(
        "Thuộc Chương trình khung của Bộ Tư pháp",
        default=True,
        description="Chỉ lớp thuộc Chương trình khung tập huấn, bồi dưỡng hòa giải viên của "
        "Bộ Tư pháp mới được tính là hòa giải viên đã được tập huấn.",
    )
    location = StringField(
        "Địa điểm", validators=[Optional(), Length(max=300, message="Tối đa 300 ký tự.")]
    )
    materials = TextAreaField(
        "Tài liệu",
        validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")],
        description="Tài liệu phát cho học viên, ví dụ: Sổ tay hòa giải viên.",
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )
    version = VersionField()

    FIELDS = (
        "title",
        "starts_on",
        "ends_on",
        "level",
        "is_framework",
        "location",
        "materials",
        "note",
    )

    def validate_starts_on(self, field):
        if field.data is None:
            return
        if field.data > today() + FAR_AHEAD:
            raise ValidationError("Ngày tập huấn không được quá một năm kể từ hôm nay.")
        if field.data.year < OLDEST_YEAR:
            raise ValidationError(f"Ngày tập huấn phải từ năm {OLDEST_YEAR} trở đi.")

    def validate_ends_on(self, field):
        if field.data and field.data > today() + FAR_AHEAD + timedelta(days=31):
            raise ValidationError("Ngày kết thúc quá xa so với hôm nay.")

    def changes(self) -> dict:
        """The submitted values of the session's fields (never the unit, never the version)."""
        values = {name: self[name].data for name in self.FIELDS}
        for name in ("location", "materials", "note"):
            values[name] = (values[name] or "").strip() or None
        return values
