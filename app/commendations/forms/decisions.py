"""Forms of decisions: recording one over accepted proposals, correcting its header, and
revoking some of its awards. The rules (number free for the issuer and year, amount not
below 0, which proposals it may cover) are the services', so that they say the same words
to a form and to a script."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.commendations.rules import FORMS
from app.commendations.services.decisions import REASON_MAX, DecisionValues
from app.forms import VersionField, VNDateField, WholeNumberField, choices, parse_id

MAX_IDS = 1000


def _ids(field) -> list[int]:
    values = (parse_id(v) for v in (field.data or [])[:MAX_IDS])
    return list(dict.fromkeys(v for v in values if v is not None))


class DecisionHeaderForm(FlaskForm):
    """What a decision says: number, date, issuing body, signer, achievement, amount."""

    number = StringField(
        "Số quyết định",
        validators=[Length(max=50, message="Tối đa 50 ký tự.")],
        description="Ví dụ: 123/QĐ-UBND.",
        render_kw={"autocomplete": "off", "maxlength": 50},
    )
    signed_on = VNDateField("Ngày ký")
    issuer_name = StringField(
        "Cơ quan ban hành",
        validators=[Length(max=200, message="Tối đa 200 ký tự.")],
        render_kw={"maxlength": 200},
    )
    signer_title = StringField(
        "Chức vụ người ký",
        validators=[Length(max=100, message="Tối đa 100 ký tự.")],
        description="Ví dụ: Chủ tịch, Phó Chủ tịch, Bộ trưởng.",
        render_kw={"maxlength": 100},
    )
    signer_name = StringField(
        "Họ tên người ký",
        validators=[Length(max=200, message="Tối đa 200 ký tự.")],
        render_kw={"maxlength": 200},
    )
    achievement = TextAreaField(
        "Thành tích được khen thưởng",
        validators=[Length(max=2000, message="Tối đa 2.000 ký tự.")],
        render_kw={"rows": 2, "maxlength": 2000},
    )
    amount_vnd = WholeNumberField(
        "Tiền thưởng cho mỗi cá nhân, tập thể (đồng)",
        message="Nhập số tiền bằng chữ số, không có dấu chấm, ví dụ 500000.",
        digits=10,
        description="Để trống hoặc 0 nếu không kèm tiền thưởng.",
    )
    legal_basis = TextAreaField(
        "Căn cứ ban hành",
        validators=[Optional(), Length(max=4000, message="Tối đa 4.000 ký tự.")],
        description="Mỗi căn cứ một dòng; in ở đầu quyết định.",
        render_kw={"rows": 4},
    )
    note = TextAreaField(
        "Ghi chú",
        validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")],
        render_kw={"rows": 2},
    )

    def values(self, form: str = "") -> DecisionValues:
        """What was typed, as the services take it."""
        return DecisionValues(
            number=self.number.data or "",
            signed_on=self.signed_on.data,
            issuer_name=self.issuer_name.data or "",
            signer_title=self.signer_title.data or "",
            signer_name=self.signer_name.data or "",
            achievement=self.achievement.data or "",
            amount_vnd=self.amount_vnd.data or 0,
            legal_basis=self.legal_basis.data,
            note=self.note.data,
            form=form,
        )


class DecisionForm(DecisionHeaderForm):
    """A new decision: its form, the issuing unit and the accepted proposals it covers."""

    form = SelectField(
        "Hình thức khen thưởng",
        choices=choices((code, f.label) for code, f in FORMS.items()),
        validate_choice=False,
    )
    unit = SelectField("Đơn vị ban hành", validate_choice=False)
    proposals = SelectMultipleField("Đề nghị được khen thưởng", validate_choice=False)

    def proposal_ids(self) -> list[int]:
        return _ids(self.proposals)

    def unit_id(self) -> int | None:
        return parse_id(self.unit.data)


def decision_data(decision) -> dict:
    """An existing decision's header, for its correction form."""
    return {
        name: getattr(decision, name)
        for name in (
            "number",
            "signed_on",
            "issuer_name",
            "signer_title",
            "signer_name",
            "achievement",
            "amount_vnd",
            "legal_basis",
            "note",
        )
    }


class DecisionEditForm(DecisionHeaderForm):
    """A correction of a decision's header, at the version it was read."""

    version = VersionField()


class RevokeForm(FlaskForm):
    """A revoking decision over some awards of a decision."""

    awards = SelectMultipleField("Khen thưởng bị thu hồi", validate_choice=False)
    number = StringField(
        "Số quyết định thu hồi",
        validators=[Length(max=50, message="Tối đa 50 ký tự.")],
        description="Ví dụ: 45/QĐ-UBND.",
        render_kw={"autocomplete": "off", "maxlength": 50},
    )
    signed_on = VNDateField("Ngày ký")
    signer_name = StringField(
        "Người ký",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
        render_kw={"maxlength": 200},
    )
    reason = TextAreaField(
        "Lý do thu hồi",
        validators=[Length(max=REASON_MAX, message="Tối đa 2.000 ký tự.")],
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )

    def award_ids(self) -> list[int]:
        return _ids(self.awards)
