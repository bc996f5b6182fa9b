"""Forms of the proposals part: one proposal, many at once, a change, a withdrawal."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.clock import today
from app.commendations.rules import form_choices
from app.forms import VersionField, WholeNumberField, choices, parse_id
from app.registry.rules import SEX_LABELS

YEAR_MESSAGE = "Nhập năm gồm 4 chữ số, ví dụ 2025."


class ProposalFields(FlaskForm):
    """What every proposal says: the form, the achievement, the period (whole years) and a
    note. Choices and limits are checked by the service, in Vietnamese."""

    form = SelectField("Hình thức khen thưởng", validate_choice=False)
    achievement = TextAreaField(
        "Thành tích",
        description="Tóm tắt thành tích, ví dụ: hòa giải thành 12/14 vụ việc, đạt Giải Nhất "
        "Hội thi hòa giải viên giỏi cấp huyện.",
        render_kw={"rows": 3, "maxlength": 2000},
    )
    period_start = WholeNumberField("Từ năm", message=YEAR_MESSAGE, digits=4, signed=False)
    period_end = WholeNumberField("Đến năm", message=YEAR_MESSAGE, digits=4, signed=False)
    basis_note = TextAreaField(
        "Ghi chú thêm về căn cứ đề nghị",
        validators=[Optional()],
        render_kw={"rows": 2, "maxlength": 2000},
    )

    def __init__(self, nominee_kind: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.form.choices = choices([("", "— Chọn hình thức —"), *form_choices(nominee_kind)])
        if not self.is_submitted() and self.period_start.data is None:
            self.period_start.data = self.period_end.data = today().year

    def values(self) -> dict:
        """The fields as the services take them."""
        return {
            "form": self.form.data or "",
            "achievement": self.achievement.data or "",
            "period_start": self.period_start.data,
            "period_end": self.period_end.data,
            "basis_note": self.basis_note.data,
        }


class ProposalForm(ProposalFields):
    """A new proposal; for a person or organisation outside the registry, who they are."""

    nominee_name = StringField("Họ tên / tên tập thể", render_kw={"maxlength": 200})
    nominee_birth_year = WholeNumberField(
        "Năm sinh", message=YEAR_MESSAGE, digits=4, signed=False, validators=[Optional()]
    )
    nominee_sex = SelectField(
        "Giới tính",
        choices=choices([("", "—"), *SEX_LABELS.items()]),
        validate_choice=False,
    )
    nominee_detail = StringField(
        "Chức vụ, đơn vị công tác",
        description="Như in trên quyết định, ví dụ: Trưởng Công an xã Sín Thầu.",
        validators=[Length(max=300, message="Tối đa 300 ký tự.")],
        render_kw={"maxlength": 300},
    )
    nominee_unit = SelectField("Thuộc đơn vị", validate_choice=False)

    def set_units(self, options: list[tuple[int, str]]) -> None:
        self.nominee_unit.choices = choices([("", "— Chọn đơn vị —"), *options])

    def unit_id(self) -> int | None:
        return parse_id(self.nominee_unit.data)


class ProposalEditForm(ProposalFields):
    """A change of a proposal (the nominee stays): versioned."""

    version = VersionField()


class BulkForm(ProposalFields):
    """The common fields of a bulk proposal; the nominees are the checked boxes."""


class WithdrawForm(FlaskForm):
    """Withdrawing a proposal, with an optional reason."""

    reason = TextAreaField(
        "Lý do rút đề nghị",
        validators=[Optional(), Length(max=500, message="Tối đa 500 ký tự.")],
        render_kw={"rows": 2, "maxlength": 500},
    )


class ContestProposalForm(FlaskForm):
    """The board's one step from a contest: the form and, for a team contest, whether each
    member mediator or the team as a collective is proposed."""

    form = SelectField("Hình thức khen thưởng", validate_choice=False)
    per = RadioField("Đề nghị cho", validate_choice=False, default="member")

    def __init__(self, forms: list[tuple[str, str]], per: dict[str, str], default: str, **kw):
        super().__init__(**kw)
        self.form.choices = choices(forms)
        self.per.choices = choices(per.items())
        if not self.is_submitted():
            self.form.data = default
