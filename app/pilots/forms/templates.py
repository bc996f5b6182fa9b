"""Forms of checklist templates: a new template (or a copy), its name and description, a
section, an item. The rules (what a target may be, which type a formula gives) are the
services', so that they say the same words to a form and to a script."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from app.forms import VersionField, WholeNumberField, choices
from app.pilots.formulas import FORMULAS
from app.pilots.rules import ITEM_TYPE_LABELS, KIND_LABELS, OPERATORS
from app.pilots.services.template_items import DIRECTIONS, ItemValues

NATIONWIDE = "national"


class TemplateEditForm(FlaskForm):
    """A draft's name and description."""

    name = StringField("Tên mẫu bảng kiểm", render_kw={"maxlength": 300, "autocomplete": "off"})
    description = TextAreaField(
        "Mô tả",
        description="Căn cứ, mục tiêu, phạm vi áp dụng của mẫu.",
        render_kw={"rows": 3, "maxlength": 4000},
    )
    version = VersionField()


class TemplateCreateForm(TemplateEditForm):
    """A new template: its kind and, for admins, whether it is a nationwide default."""

    kind = SelectField("Loại", choices=choices(KIND_LABELS.items()), validate_choice=False)
    owner = SelectField("Đơn vị quản lý mẫu", validate_choice=False)
    version = None

    def nationwide(self) -> bool:
        return self.owner.data == NATIONWIDE


class SectionForm(FlaskForm):
    """A section's title (the draft's version travels with it)."""

    title = StringField(
        "Tên phần",
        description="Ví dụ: “I. Khảo sát, kiện toàn tổ hòa giải”.",
        render_kw={"maxlength": 300, "autocomplete": "off"},
    )
    version = VersionField()


class VersionForm(FlaskForm):
    """A button that acts on a draft as it was read (publish, delete)."""

    version = VersionField()


class MoveForm(FlaskForm):
    """Move an item up or down in its section."""

    direction = SelectField(choices=choices(DIRECTIONS.items()), validate_choice=False)


class ItemForm(FlaskForm):
    """An item: what it asks, its target, due date, points, and the live formula if any."""

    text = TextAreaField("Nội dung mục", render_kw={"rows": 2, "maxlength": 500})
    guidance = TextAreaField(
        "Hướng dẫn thực hiện",
        description="Cách làm, hồ sơ cần có; hiện cho xã khi điền bảng kiểm.",
        render_kw={"rows": 3, "maxlength": 2000},
    )
    item_type = SelectField(
        "Loại mục", choices=choices(ITEM_TYPE_LABELS.items()), validate_choice=False
    )
    formula = SelectField(
        "Tính từ dữ liệu",
        choices=choices([("", "Không — xã tự nhập"), *((k, f.label) for k, f in FORMULAS.items())]),
        validate_choice=False,
        description="Số liệu lấy từ sổ đăng ký, sổ theo dõi; tỷ lệ thì chọn loại “Tỷ lệ (%)”, "
        "số tổ thì chọn loại “Số”.",
    )
    target_operator = SelectField(
        "So sánh", choices=choices(OPERATORS.items()), validate_choice=False
    )
    target_value = StringField(
        "Giá trị chỉ tiêu",
        description="Chỉ cho mục loại Số, Tỷ lệ (%); ví dụ 90 hoặc 87,5. Mục hoàn thành/chưa "
        "hoàn thành đạt khi hoàn thành.",
        render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20},
    )
    due_months = WholeNumberField(
        "Hạn (số tháng kể từ ngày bắt đầu)",
        message="Nhập số tháng bằng chữ số, ví dụ 6.",
        digits=3,
        signed=False,
        description="Để trống nếu mục không có hạn.",
        render_kw={"maxlength": 3},
    )
    points = StringField(
        "Điểm",
        render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 10},
    )
    required = BooleanField("Bắt buộc điền trước khi gửi duyệt", default=True)
    version = VersionField()

    def values(self) -> ItemValues:
        """What was typed, as the services take it."""
        return ItemValues(
            text=self.text.data or "",
            guidance=self.guidance.data or "",
            item_type=self.item_type.data or "",
            target_operator=self.target_operator.data or "",
            target_value=self.target_value.data or "",
            due_months=self.due_months.data,
            points=self.points.data or "",
            required=bool(self.required.data),
            formula=self.formula.data or "",
        )

    def show(self, values: ItemValues) -> None:
        """Fill the form with an item's values."""
        for name in ("text", "guidance", "item_type", "target_operator", "target_value"):
            getattr(self, name).data = getattr(values, name)
        self.due_months.data = values.due_months
        self.points.data = values.points
        self.required.data = values.required
        self.formula.data = values.formula
