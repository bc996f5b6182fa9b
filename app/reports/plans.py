"""Reporting plans: create and change a plan of a province or district, its deadlines and its
targets (app/reports/models.py); list the plans a user reads. The rules are here so that a
form and a script hear the same words."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import or_, select

from app.clock import utcnow
from app.concurrency import lock_row
from app.extensions import db
from app.refusals import RuleError
from app.reports.indicators import INDICATORS
from app.reports.models import PlanTarget, ReportingPlan
from app.security.scope import is_within, sees_everything, subtree_ids
from app.units.models import Level, Unit, UnitClosure

NAME_MAX = 300
DOCUMENT_MAX = 100
NOTE_MAX = 4000
YEAR_MIN, YEAR_MAX = 2000, 2100  # any sane range; the scheme runs 2024-2030
SPAN_MAX = 15
SHARE_RANGE = (Decimal(0), Decimal(100))
RATIO_RANGE = (Decimal(1), Decimal(1000))
LIST_LIMIT = 200


class PlanError(RuleError):
    """A plan that breaks a rule: (field, message) pairs."""


@dataclass
class PlanValues:
    """What a plan form says, as typed."""

    name: str = ""
    document: str = ""
    from_year: int | None = None
    to_year: int | None = None
    six_month_deadline: str = ""
    annual_deadline: str = ""
    note: str = ""
    targets: dict[str, str] = field(default_factory=dict)  # indicator key -> typed target


def parse_day_month(text: str) -> tuple[int, int] | None:
    """ "16/6" or "16/06" → (16, 6); None when unreadable or not a real day."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*", text or "")
    if not match:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    try:
        date(2024, month, day)  # a leap year: 29/02 is a day
    except ValueError:
        return None
    return day, month


def parse_target(text: str) -> Decimal | None:
    """ "87,5" or "87.5" → Decimal; None when unreadable."""
    text = (text or "").strip().replace(",", ".").removesuffix("%").strip()
    if not re.fullmatch(r"\d{1,4}(\.\d{1,2})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def check_unit(user, unit: Unit | None) -> list[tuple[str, str]]:
    """A plan belongs to a current province or district in the user's subtree."""
    if unit is None:
        return [("unit", "Chọn tỉnh hoặc huyện của kế hoạch.")]
    if unit.valid_to is not None:
        return [("unit", f"{unit.name} đã hết hiệu lực (sáp nhập, giải thể).")]
    if unit.level > Level.DISTRICT:
        return [("unit", "Kế hoạch, chỉ tiêu do cấp tỉnh hoặc cấp huyện ban hành.")]
    if not sees_everything(user) and not is_within(unit.id, user.unit_id):
        return [("unit", "Chỉ lập kế hoạch cho đơn vị của bạn hoặc đơn vị trực thuộc.")]
    return []


def _check(values: PlanValues) -> tuple[list[tuple[str, str]], dict]:
    """The rules of a plan's own fields: (errors, the cleaned values)."""
    errors: list[tuple[str, str]] = []
    clean: dict = {}
    name = " ".join((values.name or "").split())
    if not name:
        errors.append(("name", "Nhập tên kế hoạch."))
    elif len(name) > NAME_MAX:
        errors.append(("name", f"Tối đa {NAME_MAX} ký tự."))
    clean["name"] = name
    document = " ".join((values.document or "").split())
    if len(document) > DOCUMENT_MAX:
        errors.append(("document", f"Tối đa {DOCUMENT_MAX} ký tự."))
    clean["document"] = document or None
    note = (values.note or "").strip()
    if len(note) > NOTE_MAX:
        errors.append(("note", f"Tối đa {NOTE_MAX} ký tự."))
    clean["note"] = note or None

    start, end = values.from_year, values.to_year
    for name_, year in (("from_year", start), ("to_year", end)):
        if year is None:
            errors.append((name_, "Nhập năm gồm 4 chữ số, ví dụ 2024."))
        elif not YEAR_MIN <= year <= YEAR_MAX:
            errors.append((name_, f"Năm phải từ {YEAR_MIN} đến {YEAR_MAX}."))
    if all(f not in ("from_year", "to_year") for f, _ in errors):
        if start > end:
            errors.append(("to_year", "Năm kết thúc không được trước năm bắt đầu."))
        elif end - start > SPAN_MAX:
            errors.append(("to_year", f"Một kế hoạch kéo dài tối đa {SPAN_MAX + 1} năm."))
    clean["from_year"], clean["to_year"] = start, end

    for key in ("six_month", "annual"):
        text = (getattr(values, f"{key}_deadline") or "").strip()
        parsed = parse_day_month(text) if text else (None, None)
        if parsed is None:
            errors.append((f"{key}_deadline", "Nhập ngày/tháng, ví dụ 16/06."))
            parsed = (None, None)
        clean[f"{key}_day"], clean[f"{key}_month"] = parsed

    targets: dict[str, Decimal] = {}
    for key, text in (values.targets or {}).items():
        indicator = INDICATORS.get(key)
        if indicator is None or not (text or "").strip():
            continue
        value = parse_target(text)
        low, high = RATIO_RANGE if indicator.ratio else SHARE_RANGE
        if value is None or not low <= value <= high:
            what = "số tổ cho mỗi tập huấn viên" if indicator.ratio else "tỷ lệ (%)"
            errors.append((f"target_{key}", f"Nhập {what} từ {low} đến {high}."))
            continue
        targets[key] = value
    clean["targets"] = targets
    return errors, clean


def _overlap(unit_id: int, start: int, end: int, except_id: int | None) -> ReportingPlan | None:
    stmt = select(ReportingPlan).where(
        ReportingPlan.unit_id == unit_id,
        ReportingPlan.from_year <= end,
        ReportingPlan.to_year >= start,
    )
    if except_id is not None:
        stmt = stmt.where(ReportingPlan.id != except_id)
    return db.session.scalars(stmt.limit(1)).first()


def _validate(unit_id: int, values: PlanValues, except_id: int | None = None) -> dict:
    errors, clean = _check(values)
    if not errors:
        lock_row(Unit, unit_id)  # two plans for the same years cannot both pass
        other = _overlap(unit_id, clean["from_year"], clean["to_year"], except_id)
        if other is not None:
            errors.append(
                (
                    "from_year",
                    f"Đơn vị đã có kế hoạch “{other.name}” cho {other.years}; mỗi năm chỉ một "
                    "kế hoạch.",
                )
            )
    if errors:
        raise PlanError(errors)
    return clean


def _set_targets(plan: ReportingPlan, targets: dict[str, Decimal]) -> None:
    existing = {
        t.indicator: t
        for t in db.session.scalars(select(PlanTarget).where(PlanTarget.plan_id == plan.id))
    }
    for key, row in existing.items():
        if key not in targets:
            db.session.delete(row)
        elif row.target != targets[key]:
            row.target = targets[key]
    for key, value in targets.items():
        if key not in existing:
            db.session.add(PlanTarget(plan_id=plan.id, indicator=key, target=value))


def create_plan(user, unit: Unit | None, values: PlanValues) -> ReportingPlan:
    """A new plan of ``unit`` (a province or district of the user's subtree)."""
    errors = check_unit(user, unit)
    if errors:
        raise PlanError(errors + _check(values)[0])
    clean = _validate(unit.id, values)
    targets = clean.pop("targets")
    plan = ReportingPlan(unit_id=unit.id, **clean)
    db.session.add(plan)
    db.session.flush()
    _set_targets(plan, targets)
    db.session.flush()
    return plan


def update_plan(plan: ReportingPlan, values: PlanValues) -> ReportingPlan:
    """Change a plan: its fields, deadlines and targets (an emptied target: the default)."""
    clean = _validate(plan.unit_id, values, except_id=plan.id)
    targets = clean.pop("targets")
    for name, value in clean.items():
        setattr(plan, name, value)
    plan.updated_at = utcnow()  # a change of targets alone is a change of the plan too
    _set_targets(plan, targets)
    db.session.flush()
    return plan


def values_of(plan: ReportingPlan) -> PlanValues:
    """A plan's values as a form shows them."""
    from app.reports.targets import plan_targets

    return PlanValues(
        name=plan.name,
        document=plan.document or "",
        from_year=plan.from_year,
        to_year=plan.to_year,
        six_month_deadline=plan.six_month_deadline,
        annual_deadline=plan.annual_deadline,
        note=plan.note or "",
        targets={k: format_target(v) for k, v in plan_targets(plan).items()},
    )


def format_target(value: Decimal) -> str:
    """87.50 → "87,5", 116.00 → "116"."""
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def target_label(indicator, value: Decimal) -> str:
    """ "≥ 87,5%", or for the trainers "≥ 1 tập huấn viên / 116 tổ"."""
    if indicator.ratio:
        return f"≥ 1 tập huấn viên / {format_target(value)} tổ"
    return f"≥ {format_target(value)}%"


def visible_plans(user, limit: int = LIST_LIMIT) -> list[ReportingPlan]:
    """The plans of the user's subtree and of the units above it, newest years first."""
    stmt = select(ReportingPlan)
    if not sees_everything(user):
        above = select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == user.unit_id)
        stmt = stmt.where(
            or_(
                ReportingPlan.unit_id.in_(subtree_ids(user.unit_id)),
                ReportingPlan.unit_id.in_(above),
            )
        )
    return list(
        db.session.scalars(
            stmt.order_by(ReportingPlan.to_year.desc(), ReportingPlan.id.desc()).limit(limit)
        )
    )
