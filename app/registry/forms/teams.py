"""Forms for teams, their supporters, and the legal professionals who support them."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.clock import today
from app.forms import VersionField, VNDateField, choices, date_not_before, parse_id
from app.registry.rules import BACKGROUND_LABELS, LEGAL_PROFESSIONAL

TOO_LONG_50 = "Tối đa 50 ký tự."
TOO_LONG_200 = "Tối đa 200 ký tự."

# The legal-professional backgrounds, in the order of the catalogue.
LEGAL_BACKGROUNDS = [(k, v) for k, v in BACKGROUND_LABELS.items() if k in LEGAL_PROFESSIONAL]


def not_in_future(message: str):
    """Validator: a date on paper cannot be later than today."""

    def _check(form, field):
        if field.data and field.data > today():
            raise ValidationError(message)

    return _check


def _one_of(field, message: str) -> None:
    """A select's value must be one of its non-empty choices (in Vietnamese, not WTForms')."""
    if not field.data or field.data not in {c.value for c in field.choices or [] if c.value}:
        raise ValidationError(message)


class TeamFields(FlaskForm):
    """What a person types about a team, on creation and on edit."""

    name = StringField(
        "Tên tổ hòa giải",
        validators=[Optional(), Length(max=200, message=TOO_LONG_200)],
    )
    decision_number = StringField(
        "Số quyết định thành lập",
        validators=[Optional(), Length(max=50, message=TOO_LONG_50)],
        description="Quyết định của Chủ tịch UBND xã, ví dụ “15/QĐ-UBND”.",
    )
    decision_date = VNDateField(
        "Ngày quyết định",
        validators=[Optional(), not_in_future("Ngày quyết định không được ở tương lai.")],
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "decision_number": self.decision_number.data,
            "decision_date": self.decision_date.data,
            "note": (self.note.data or "").strip() or None,
        }


class TeamCreateForm(TeamFields):
    """A new team in one of the villages of a commune (choices set by the route)."""

    unit = SelectField(
        "Thôn, bản, tổ dân phố",
        validators=[DataRequired("Chọn thôn, bản của xã trong danh sách.")],
        validate_choice=False,
    )

    def validate_unit(self, field):
        _one_of(field, "Chọn thôn, bản của xã trong danh sách.")


class TeamEditForm(TeamFields):
    name = StringField(
        "Tên tổ hòa giải",
        validators=[
            DataRequired("Nhập tên tổ hòa giải."),
            Length(max=200, message=TOO_LONG_200),
        ],
    )
    dissolved_on = VNDateField(
        "Ngày giải thể",
        validators=[
            Optional(),
            not_in_future("Ngày giải thể không được ở tương lai."),
            date_not_before("decision_date", "Ngày giải thể phải sau ngày quyết định thành lập."),
        ],
        description="Để trống nếu tổ còn hoạt động. Tổ đã giải thể không nhận thêm hòa giải viên.",
    )
    version = VersionField()

    def values(self) -> dict:
        values = super().values()
        values["decision_number"] = (values["decision_number"] or "").strip() or None
        values["dissolved_on"] = self.dissolved_on.data
        return values


class SupportForm(FlaskForm):
    """Attach a supporter of the team's commune (choices set by the route)."""

    supporter = SelectField(
        "Người hỗ trợ",
        validators=[DataRequired("Chọn người hỗ trợ trong danh sách.")],
        validate_choice=False,
    )
    start_date = VNDateField(
        "Từ ngày",
        validators=[Optional(), not_in_future("Ngày bắt đầu không được ở tương lai.")],
        description="Để trống: hôm nay.",
    )

    def validate_supporter(self, field):
        # The route loads the supporter and checks its scope and commune (404 / message).
        if parse_id(field.data) is None:
            raise ValidationError("Chọn người hỗ trợ trong danh sách.")


class EndSupportForm(FlaskForm):
    end_date = VNDateField(
        "Ngày kết thúc",
        validators=[Optional(), not_in_future("Ngày kết thúc không được ở tương lai.")],
        render_kw={"placeholder": "hôm nay"},
    )


class SupporterForm(FlaskForm):
    """A legal professional: lawyer, jurist, people's assessor, police, army..."""

    full_name = StringField(
        "Họ và tên",
        validators=[DataRequired("Nhập họ và tên."), Length(max=200, message=TOO_LONG_200)],
    )
    background = SelectField(
        "Lĩnh vực",
        choices=choices([("", "— Chọn lĩnh vực —"), *LEGAL_BACKGROUNDS]),
        validators=[DataRequired("Chọn lĩnh vực pháp lý của người hỗ trợ.")],
        validate_choice=False,
        description="Chỉ những người làm công tác pháp luật mới được tính là hỗ trợ pháp lý.",
    )
    organisation = StringField(
        "Cơ quan, đơn vị công tác",
        validators=[Optional(), Length(max=200, message=TOO_LONG_200)],
        description="Ví dụ: Công an xã, Đoàn Luật sư tỉnh, Tòa án nhân dân khu vực.",
    )
    phone = StringField(
        "Số điện thoại",
        validators=[Optional(), Length(max=30, message="Tối đa 30 ký tự.")],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )
    version = VersionField()

    def validate_background(self, field):
        if field.data not in LEGAL_PROFESSIONAL:
            raise ValidationError("Chọn lĩnh vực pháp lý của người hỗ trợ.")

    def values(self) -> dict:
        return {
            "full_name": self.full_name.data,
            "background": self.background.data,
            "organisation": (self.organisation.data or "").strip() or None,
            "phone": (self.phone.data or "").strip() or None,
            "note": (self.note.data or "").strip() or None,
        }
