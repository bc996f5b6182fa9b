"""Items of a draft template revision: what an item asks (its type), its target, due date in
months after the pilot's start, points, whether it is required, and optionally the formula
that computes it from live data. The rules say in Vietnamese what is wrong with each field, to
a form and to a script alike."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.pilots import rules
from app.pilots.formulas import FORMULAS
from app.pilots.models import ChecklistTemplate, TemplateItem, TemplateSection
from app.pilots.services import PilotError
from app.pilots.services.templates import check_editable, section_items, touch
from app.text import format_decimal, normalize

TEXT_MAX, GUIDANCE_MAX, DUE_MONTHS_MAX, POINTS_MAX = 500, 2000, 120, Decimal(1000)
DIRECTIONS = {"up": "Chuyển lên", "down": "Chuyển xuống"}


@dataclass
class ItemValues:
    """An item as typed: numbers still as text (a target is read with the item's type)."""

    text: str = ""
    guidance: str = ""
    item_type: str = ""
    target_operator: str = ""
    target_value: str = ""
    due_months: int | None = None
    points: str = ""
    required: bool = True
    formula: str = ""


def item_columns(values: ItemValues) -> dict:
    """The columns of an item from what was typed; PilotError with every problem, each next
    to its field."""
    problems: list[tuple[str, str]] = []
    text, guidance = normalize(values.text), (values.guidance or "").strip()
    if not text:
        problems.append(("text", "Nhập nội dung mục."))
    elif len(text) > TEXT_MAX:
        problems.append(("text", f"Nội dung mục tối đa {TEXT_MAX} ký tự."))
    if len(guidance) > GUIDANCE_MAX:
        problems.append(("guidance", "Hướng dẫn tối đa 2.000 ký tự."))
    item_type = values.item_type
    formula = FORMULAS.get(values.formula) if values.formula else None
    if item_type not in rules.ITEM_TYPE_LABELS:
        problems.append(("item_type", "Chọn loại mục."))
    elif values.formula and formula is None:
        problems.append(("formula", "Chọn một chỉ tiêu tính từ dữ liệu trong danh sách."))
    elif formula is not None and item_type != (rules.PERCENT if formula.percent else rules.NUMBER):
        wanted = rules.ITEM_TYPE_LABELS[rules.PERCENT if formula.percent else rules.NUMBER]
        problems.append(
            ("item_type", f"“{formula.label}” tính ra {wanted.lower()}: chọn loại “{wanted}”.")
        )
    operator, target = _target(item_type, values, problems)
    due_months = values.due_months
    if due_months is not None and not 0 <= due_months <= DUE_MONTHS_MAX:
        problems.append(("due_months", f"Hạn tính bằng số tháng, từ 0 đến {DUE_MONTHS_MAX}."))
    points = _points(values.points, problems)
    if problems:
        raise PilotError(problems)
    return {
        "text": text,
        "guidance": guidance or None,
        "item_type": item_type,
        "target_operator": operator,
        "target_value": target,
        "due_months": due_months,
        "points": points,
        "required": bool(values.required),
        "formula": values.formula or None,
    }


def _target(item_type: str, values: ItemValues, problems: list) -> tuple:
    """(operator, value) of a number's or a percentage's target; other types have none (a
    check's target is "done")."""
    raw = (values.target_value or "").strip()
    if item_type not in rules.VALUE_TYPES:
        if raw:
            problems.append(
                ("target_value", "Chỉ mục loại Số hoặc Tỷ lệ (%) mới có chỉ tiêu bằng số.")
            )
        return None, None
    operator = values.target_operator or ">="
    if operator not in rules.OPERATORS:
        problems.append(("target_operator", "Chọn phép so sánh của chỉ tiêu."))
    try:
        target = rules.parse_number(raw, item_type)
    except rules.ValueProblem as problem:
        problems.append(("target_value", str(problem)))
        return None, None
    return (operator, target) if target is not None else (None, None)


def _points(raw: str, problems: list) -> Decimal | None:
    try:
        points = rules.parse_number(raw or "", rules.NUMBER)
    except rules.ValueProblem as problem:
        problems.append(("points", str(problem)))
        return None
    if points is not None and points > POINTS_MAX:
        problems.append(("points", "Điểm tối đa 1.000."))
    return points


def item_values(item: TemplateItem) -> ItemValues:
    """What an item's form shows: its columns as typed (Vietnamese decimal comma)."""
    return ItemValues(
        text=item.text,
        guidance=item.guidance or "",
        item_type=item.item_type,
        target_operator=item.target_operator or ">=",
        target_value=format_decimal(item.target_value),
        due_months=item.due_months,
        points=format_decimal(item.points),
        required=item.required,
        formula=item.formula or "",
    )


def add_item(
    template: ChecklistTemplate, section: TemplateSection, values: ItemValues
) -> TemplateItem:
    """An item at the end of a section of a draft. Flushes."""
    check_editable(template)
    columns = item_columns(values)
    last = db.session.scalar(
        select(func.max(TemplateItem.position)).where(TemplateItem.template_id == template.id)
    )
    item = TemplateItem(
        template_id=template.id, section_id=section.id, position=(last or 0) + 1, **columns
    )
    db.session.add(item)
    touch(template)
    db.session.flush()
    return item


def update_item(template: ChecklistTemplate, item: TemplateItem, values: ItemValues) -> None:
    """Change an item of a draft. Flushes."""
    check_editable(template)
    for name, value in item_columns(values).items():
        setattr(item, name, value)
    touch(template)
    db.session.flush()


def delete_item(template: ChecklistTemplate, item: TemplateItem) -> None:
    """Remove an item of a draft. Flushes."""
    check_editable(template)
    db.session.delete(item)
    touch(template)
    db.session.flush()


def move_item(template: ChecklistTemplate, item: TemplateItem, direction: str) -> bool:
    """Swap an item with the one above or below it in its section; False at the edge. The
    draft's version stays: an order cannot undo anyone's edit. Flushes."""
    check_editable(template)
    if direction not in DIRECTIONS:
        raise PilotError("Chọn chuyển lên hoặc chuyển xuống.", "direction")
    items = list(section_items(db.session.get(TemplateSection, item.section_id)))
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    positions = sorted(i.position for i in items)
    items[index], items[other] = items[other], items[index]
    previous = None
    for row, position in zip(items, positions, strict=True):
        # Positions stay those of the section (they count across the template) but strictly
        # increase, even where two were equal.
        position = position if previous is None or position > previous else previous + 1
        row.position = previous = position
    db.session.flush()
    return True


def total_points(items) -> Decimal:
    """The points of items in all (their sum, two decimals)."""
    total = sum((Decimal(i.points or 0) for i in items), Decimal(0))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
