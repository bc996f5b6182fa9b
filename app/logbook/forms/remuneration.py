"""Forms of remuneration: a province's pay rates, recording a payment, cancelling one."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import VersionField, VNDateField, parse_id
from app.logbook.money import parse_amount
from app.text import format_number

AMOUNT_MESSAGE = "Nhập số tiền bằng chữ số, ví dụ 200.000 (dấu chấm ngăn cách hàng nghìn)."
ENTRIES_MESSAGE = "Chọn ít nhất một vụ việc để chi trả."


class AmountField(StringField):
    """A whole number of đồng: "200000", "200.000" or "200 000"; shown as "200.000"."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off"}
        render_kw.update(kwargs.pop("render_kw", {}) or {})
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if isinstance(self.data, int):
            return format_number(self.data)
        return self.raw_data[0] if self.raw_data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_amount(valuelist[0])
            if self.data is None:
                raise ValueError(AMOUNT_MESSAGE)


class PayRateForm(FlaskForm):
    """A province's remuneration per ended case from a date."""

    effective_from = VNDateField(
        "Áp dụng từ ngày",
        validators=[InputRequired("Nhập ngày bắt đầu áp dụng (dd/mm/yyyy).")],
        description="Vụ việc kết thúc từ ngày này được chi theo mức mới.",
    )
    amount = AmountField(
        "Mức thù lao cho mỗi vụ việc (đồng)",
        validators=[InputRequired(AMOUNT_MESSAGE)],
        description="Theo nghị quyết của Hội đồng nhân dân tỉnh; ví dụ 200.000.",
    )
    basis = StringField(
        "Căn cứ",
        validators=[Optional(), Length(max=300, message="Tối đa 300 ký tự.")],
        description="Ví dụ: Nghị quyết số 12/2024/NQ-HĐND ngày 10/7/2024 của HĐND tỉnh.",
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )
    version = VersionField()

    def values(self) -> dict:
        return {
            "effective_from": self.effective_from.data,
            "amount": self.amount.data,
            "basis": self.basis.data,
            "note": self.note.data,
        }


class PaymentForm(FlaskForm):
    """Record that a team was paid for the cases ticked (their ids in ``entry``)."""

    entry = SelectMultipleField("Vụ việc", validate_choice=False)
    paid_on = VNDateField(
        "Ngày chi trả", validators=[InputRequired("Nhập ngày chi trả (dd/mm/yyyy).")]
    )
    voucher = StringField(
        "Số chứng từ",
        validators=[Optional(), Length(max=50, message="Tối đa 50 ký tự.")],
        description="Số phiếu chi hoặc chứng từ thanh toán, nếu có.",
    )
    note = TextAreaField(
        "Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")]
    )

    def validate_entry(self, field):
        if not field.data:
            raise ValidationError(ENTRIES_MESSAGE)
        if any(parse_id(value) is None for value in field.data):
            raise ValidationError("Chọn các vụ việc trong danh sách.")

    def entry_ids(self) -> list[int]:
        return [i for i in (parse_id(v) for v in self.entry.data or []) if i is not None]


class CancelPaymentForm(FlaskForm):
    """Cancelling a payment asks for an explicit confirmation (a ticked box)."""

    confirm = BooleanField(
        "Tôi xác nhận hủy đợt chi trả này: các vụ việc sẽ trở lại danh sách chưa chi thù lao.",
        validators=[DataRequired("Đánh dấu ô xác nhận để hủy đợt chi trả.")],
    )
