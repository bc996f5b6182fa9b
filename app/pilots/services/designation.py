"""Designating a commune: a checklist made from a published template revision, with one item
per template item and its due date; for a pilot, the commune's pilot flag and period follow."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.pilots.models import Checklist, ChecklistItem, ChecklistTemplate, TemplateItem
from app.pilots.rules import LEVEL_LABELS, SIGNED_OFF, due_date
from app.pilots.services import PilotError, add_event, user_id
from app.units.models import Level, Unit
from app.units.services import place


def designation_problems(
    commune: Unit | None, template: ChecklistTemplate | None, starts_on, ends_on, level
) -> list[tuple[str, str]]:
    """What is wrong with a designation, each with its field."""
    problems = []
    if commune is None or commune.level != Level.COMMUNE:
        problems.append(("unit_id", "Chọn một xã, phường, thị trấn."))
    if template is None or template.status != "published":
        problems.append(("template_id", "Chọn một mẫu bảng kiểm đang áp dụng."))
    if level not in LEVEL_LABELS:
        problems.append(("level", "Chọn cấp chỉ đạo điểm."))
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(("ends_on", "Ngày kết thúc phải sau ngày bắt đầu."))
    if not problems and _exists(commune.id, template.id):
        problems.append(("unit_id", f"{commune.name} đã có bảng kiểm theo mẫu này."))
    return problems


def _exists(commune_id: int, template_id: int) -> bool:
    return (
        db.session.scalar(
            select(Checklist.id).where(
                Checklist.unit_id == commune_id, Checklist.template_id == template_id
            )
        )
        is not None
    )


def designate(
    commune: Unit,
    template: ChecklistTemplate,
    office: Unit,
    level: str,
    starts_on: date,
    ends_on: date,
    user=None,
    note: str | None = None,
) -> Checklist:
    """Make a commune's checklist from a template revision (officers of the office above the
    commune; the caller checks who). Flushes."""
    if problems := designation_problems(commune, template, starts_on, ends_on, level):
        raise PilotError(problems)
    checklist = Checklist(
        template_id=template.id,
        kind=template.kind,
        level=level,
        starts_on=starts_on,
        ends_on=ends_on,
        status="open",
        office_unit_id=office.id,
        designated_by_id=user_id(user),
        note=note or None,
    )
    place(checklist, commune)
    db.session.add(checklist)
    db.session.flush()
    specs = db.session.scalars(
        select(TemplateItem).where(TemplateItem.template_id == template.id)
    ).all()
    db.session.add_all(
        ChecklistItem(
            checklist_id=checklist.id,
            template_item_id=spec.id,
            due_on=due_date(starts_on, spec.due_months),
        )
        for spec in specs
    )
    if template.kind == "pilot":
        _flag_pilot(commune, level, starts_on, ends_on)
    add_event(checklist, "designated", user)
    db.session.flush()
    return checklist


def change_designation(
    checklist: Checklist, level: str, starts_on: date, ends_on: date, note: str | None, user=None
) -> None:
    """Change the level, the period or the note before sign-off; due dates follow the start."""
    if checklist.status == SIGNED_OFF:
        raise PilotError("Bảng kiểm đã ký duyệt: mở lại trước khi sửa.")
    if level not in LEVEL_LABELS:
        raise PilotError("Chọn cấp chỉ đạo điểm.", "level")
    if ends_on < starts_on:
        raise PilotError("Ngày kết thúc phải sau ngày bắt đầu.", "ends_on")
    checklist.level, checklist.ends_on, checklist.note = level, ends_on, note or None
    if starts_on != checklist.starts_on:
        checklist.starts_on = starts_on
        months = dict(
            db.session.execute(
                select(TemplateItem.id, TemplateItem.due_months).where(
                    TemplateItem.template_id == checklist.template_id
                )
            ).all()
        )
        for item in db.session.scalars(
            select(ChecklistItem).where(ChecklistItem.checklist_id == checklist.id)
        ):
            item.due_on = due_date(starts_on, months.get(item.template_item_id))
    if checklist.kind == "pilot":
        _flag_pilot(db.session.get(Unit, checklist.unit_id), level, starts_on, ends_on)
    db.session.flush()


def _flag_pilot(commune: Unit, level: str, starts_on: date, ends_on: date) -> None:
    """The unit's pilot flag (shown on the unit and used by the reports) follows."""
    commune.pilot_level = level
    commune.pilot_start_year = starts_on.year
    commune.pilot_end_year = ends_on.year
