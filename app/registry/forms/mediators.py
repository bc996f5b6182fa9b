"""Forms for mediators (hòa giải viên): the personal record and the decisions of their lifecycle.

The personal fields are checked by the same rules the services apply
(services.mediators.person_problems), so a form and an import refuse the same things.
"""

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.clock import today
from app.files.services import SCANS, UploadError, check_upload
from app.forms import VersionField, VNDateField, choices
from app.registry.rules import (
    BACKGROUND_LABELS,
    DISMISSAL_GROUNDS,
    EDUCATION_LABELS,
    SEX_LABELS,
    ethnic_groups,
)
from app.registry.services.mediators import PERSONAL_FIELDS, person_problems

PHONE = re.compile(r"^[0-9 +().-]+$")
YEAR_MESSAGE = "Nhập năm sinh gồm 4 chữ số, ví dụ 1975."


def parse_year(text: str | None) -> int | None:
    """A year typed as four ASCII digits, else None."""
    text = (text or "").strip()
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None


def phone_problem(phone: str | None) -> str | None:
    """A phone number is digits (9 to 12 of them) with the usual separators."""
    if not phone or not phone.strip():
        return None
    digit_count = sum(ch.isdigit() for ch in phone)
    if not PHONE.match(phone.strip()) or not 9 <= digit_count <= 12:
        return "Số điện thoại không hợp lệ; ví dụ 0912 345 678."
    return None


class YearField(StringField):
    """A year of birth: four digits, kept as an int."""

    def _value(self):
        if isinstance(self.data, int):
            return str(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_year(valuelist[0])
            if self.data is None:
                raise ValueError(YEAR_MESSAGE)


def _select(label: str, pairs, empty: str, **kwargs) -> SelectField:
    """A select whose value the form's rules check (messages in Vietnamese, not WTForms')."""
    return SelectField(
        label, choices=choices([("", empty), *pairs]), validate_choice=False, **kwargs
    )


class PersonForm(FlaskForm):
    """The personal record of a mediator."""

    full_name = StringField(
        "Họ và tên",
        validators=[InputRequired("Nhập họ và tên."), Length(max=200, message="Tối đa 200 ký tự.")],
        render_kw={"autocomplete": "off"},
    )
    sex = _select(
        "Giới tính", SEX_LABELS.items(), "— Chọn —", validators=[InputRequired("Chọn giới tính.")]
    )
    birth_year = YearField(
        "Năm sinh",
        validators=[InputRequired("Nhập năm sinh.")],
        render_kw={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"},
    )
    ethnicity_code = _select(
        "Dân tộc",
        ethnic_groups().items(),
        "— Chọn dân tộc —",
        validators=[InputRequired("Chọn dân tộc trong danh mục 54 dân tộc.")],
    )
    phone = StringField(
        "Số điện thoại",
        validators=[Optional(), Length(max=30, message="Tối đa 30 ký tự.")],
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    occupation = StringField(
        "Nghề nghiệp",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
    )
    background = _select(
        "Thành phần",
        BACKGROUND_LABELS.items(),
        "— Không ghi —",
        description="Luật sư, luật gia, hội thẩm, công an, quân đội, công chức tư pháp… được tính "
        "là hỗ trợ pháp lý cho tổ.",
    )
    education = _select("Trình độ học vấn", EDUCATION_LABELS.items(), "— Không ghi —")
    address = StringField(
        "Nơi thường trú",
        validators=[Optional(), Length(max=300, message="Tối đa 300 ký tự.")],
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )

    def validate_phone(self, field):
        problem = phone_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the registry's rules on the fields still without error."""
        valid = super().validate(extra_validators)
        for name, message in person_problems(self.person_values()).items():
            field = self[name]
            if not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def person_values(self) -> dict:
        """The personal fields as the services take them."""
        return {name: self[name].data for name in PERSONAL_FIELDS}


class MediatorForm(PersonForm):
    """Correcting the personal record (no legal act)."""

    version = VersionField()


class DecisionForm(FlaskForm):
    """The decision behind a legal act: number, date on the paper, signer, scanned copy."""

    decision_number = StringField(
        "Số quyết định",
        validators=[
            InputRequired("Nhập số quyết định."),
            Length(max=50, message="Tối đa 50 ký tự."),
        ],
        description="Ví dụ: 125/QĐ-UBND.",
        render_kw={"autocomplete": "off"},
    )
    decision_date = VNDateField(
        "Ngày ký quyết định", validators=[InputRequired("Nhập ngày ký quyết định.")]
    )
    signer = StringField(
        "Người ký",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
        description="Chủ tịch (hoặc Phó Chủ tịch được ủy quyền) Ủy ban nhân dân xã.",
    )
    decision_file = FileField(
        "Bản quét quyết định",
        description="Không bắt buộc. Tệp PDF, JPEG hoặc PNG, tối đa 10 MB.",
        render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"},
    )
    decision_note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )

    file_data: bytes | None = None

    def validate_decision_date(self, field):
        """Checked here too (the services check it again) so that it shows with the rest."""
        if field.data and field.data > today():
            raise ValidationError("Ngày quyết định không được ở tương lai.")

    def validate_decision_file(self, field):
        """The type comes from the content, never from the name (QUALITY.md S10)."""
        self.file_data = None
        if not field.data:
            return
        data = field.data.read()
        try:
            check_upload(data, SCANS)
        except UploadError as error:
            raise ValidationError(str(error)) from None
        self.file_data = data

    def decision(self) -> dict:
        """The decision as the services take it (the file is stored by the route)."""
        return {
            "decision_number": self.decision_number.data,
            "decision_date": self.decision_date.data,
            "signer": self.signer.data,
            "note": self.decision_note.data,
        }


def team_field(label: str = "Tổ hòa giải", **kwargs) -> SelectField:
    """A team of the commune; the route offers the choices and checks the one chosen."""
    return SelectField(
        label,
        choices=[],
        validate_choice=False,
        # DataRequired, not InputRequired: a team given in the URL stands when none is posted.
        validators=[DataRequired("Chọn tổ hòa giải.")],
        **kwargs,
    )


class NewMediatorForm(PersonForm, DecisionForm):
    """Recognising a new mediator: the person, their team and the recognition decision."""

    team = team_field()
    confirm_not_duplicate = BooleanField("Tôi đã kiểm tra, đây không phải người trùng")

    def validate_decision_date(self, field):
        super().validate_decision_date(field)
        birth_year = self.birth_year.data
        if field.data and isinstance(birth_year, int) and field.data.year < birth_year:
            raise ValidationError("Ngày quyết định trước năm sinh của hòa giải viên.")


class MoveForm(DecisionForm):
    team = team_field("Chuyển sang tổ")


class ReinstateForm(DecisionForm):
    team = team_field("Vào tổ hòa giải")


class DismissForm(DecisionForm):
    ground = _select(
        "Căn cứ thôi làm hòa giải viên (Điều 11 Luật Hòa giải ở cơ sở)",
        DISMISSAL_GROUNDS.items(),
        "— Chọn căn cứ —",
        validators=[InputRequired("Chọn căn cứ thôi làm hòa giải viên (Điều 11).")],
    )

    def validate_ground(self, field):
        if field.data not in DISMISSAL_GROUNDS:
            raise ValidationError("Chọn căn cứ thôi làm hòa giải viên (Điều 11).")
