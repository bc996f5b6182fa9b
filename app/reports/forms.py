"""Forms of the reports area: a plan (its document, years, deadlines and one target box per
indicator). The rules are the services' (app/reports/plans.py)."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from app.forms import VersionField, WholeNumberField
from app.reports.indicators import INDICATORS
from app.reports.plans import PlanValues
from app.units.forms import UnitReferenceField


class PlanForm(FlaskForm):
    """A plan's fields; a ``target_<indicator>`` box per indicator (empty: the default)."""

    name = StringField(
        "Tên kế hoạch",
        description="Ví dụ: “Kế hoạch thực hiện Đề án 315 giai đoạn 2024-2030”.",
        render_kw={"maxlength": 300, "autocomplete": "off"},
    )
    document = StringField(
        "Số, ký hiệu văn bản",
        description="Ví dụ: 59/KH-UBND.",
        render_kw={"maxlength": 100, "autocomplete": "off"},
    )
    from_year = WholeNumberField(
        "Từ năm", message="Nhập năm gồm 4 chữ số, ví dụ 2024.", digits=4, signed=False
    )
    to_year = WholeNumberField(
        "Đến năm", message="Nhập năm gồm 4 chữ số, ví dụ 2030.", digits=4, signed=False
    )
    six_month_deadline = StringField(
        "Hạn báo cáo 6 tháng (ngày/tháng)",
        description="Ví dụ: 16/06. Để trống nếu kế hoạch không quy định.",
        render_kw={"placeholder": "dd/mm", "maxlength": 5, "autocomplete": "off"},
    )
    annual_deadline = StringField(
        "Hạn báo cáo năm (ngày/tháng)",
        description="Ví dụ: 18/11.",
        render_kw={"placeholder": "dd/mm", "maxlength": 5, "autocomplete": "off"},
    )
    note = TextAreaField("Ghi chú", render_kw={"rows": 2, "maxlength": 4000})
    version = VersionField()

    def target_fields(self):
        """(indicator, its box) in the indicators' order."""
        return [(i, self[f"target_{k}"]) for k, i in INDICATORS.items()]

    def values(self) -> PlanValues:
        """What was typed, as the services take it."""
        return PlanValues(
            name=self.name.data or "",
            document=self.document.data or "",
            from_year=self.from_year.data,
            to_year=self.to_year.data,
            six_month_deadline=self.six_month_deadline.data or "",
            annual_deadline=self.annual_deadline.data or "",
            note=self.note.data or "",
            targets={k: self[f"target_{k}"].data or "" for k in INDICATORS},
        )

    def show(self, values: PlanValues) -> None:
        """Fill the form with a plan's values."""
        for name in (
            "name",
            "document",
            "from_year",
            "to_year",
            "six_month_deadline",
            "annual_deadline",
            "note",
        ):
            self[name].data = getattr(values, name)
        for key in INDICATORS:
            self[f"target_{key}"].data = values.targets.get(key, "")


for _key, _indicator in INDICATORS.items():
    setattr(
        PlanForm,
        f"target_{_key}",
        StringField(
            _indicator.label,
            render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 8},
        ),
    )


class PlanCreateForm(PlanForm):
    """A new plan: the province or district it belongs to."""

    unit = UnitReferenceField(
        "Tỉnh, huyện ban hành",
        description="Gõ vài chữ của tên đơn vị rồi chọn trong danh sách gợi ý.",
        render_kw={"list": "unit-options", "autocomplete": "off"},
    )
    version = None
