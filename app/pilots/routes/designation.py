"""Pilots: designating a commune (a checklist made from a published template revision, with
its due dates) and changing the designation's level, period or note before sign-off."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.commendations.services import office_of
from app.concurrency import run_form, save_versioned
from app.extensions import db
from app.forms import parse_id
from app.pilots import bp, permissions
from app.pilots.forms.designation import DesignationEditForm, DesignationForm, default_period
from app.pilots.models import ChecklistTemplate
from app.pilots.routes import load_checklist, refuse
from app.pilots.rules import SIGNED_OFF
from app.pilots.services import PilotError
from app.pilots.services.designation import change_designation, designate
from app.security.scope import OutOfScope, require_in_scope, sees_everything
from app.units.models import Level, Unit, UnitClosure
from app.units.services import find_unit_by_reference, paths_of, unit_reference

OFFICES_ONLY = "Chỉ cán bộ Tư pháp cấp tỉnh, cấp huyện được chỉ định xã chỉ đạo điểm."
SIGNED_OFF_REFUSED = "Bảng kiểm đã ký duyệt: mở lại bảng kiểm trước khi sửa chỉ định."
NOT_THE_OFFICE = (
    "Chỉ cán bộ của cơ quan đã chỉ định xã này (hoặc cơ quan cấp trên) được sửa chỉ định."
)
LEVEL_OF_OFFICE = {Level.PROVINCE: "province", Level.DISTRICT: "district"}


@bp.route("/checklists/new", methods=["GET", "POST"], endpoint="checklist_create")
def checklist_create():
    """Designate a commune of the user's subtree (?unit= a commune to start from) with a
    template revision the user may use, a level and a period; officers and admins."""
    if not permissions.can_designate(current_user):
        refuse(OFFICES_ONLY)
    form = DesignationForm(_usable_templates())
    if form.is_submitted():
        chosen, _problem = find_unit_by_reference(form.unit.data or "")
        if chosen is not None:
            require_in_scope(current_user, chosen.id)
    else:
        _prefill(form)

    def save():
        commune = form.unit.unit
        _check_commune(commune)
        template = form.chosen_template()
        if not permissions.can_use_template(current_user, template):
            raise PilotError("Bạn không được dùng mẫu bảng kiểm này.", "template_id")
        return designate(
            commune,
            template,
            _office(commune),
            form.level.data,
            form.starts_on.data,
            form.ends_on.data,
            user=current_user,
            note=(form.note.data or "").strip(),
        )

    checklist, status = run_form(form, save, rule_error=PilotError)
    if status is None:
        flash(f"Đã chỉ định {form.unit.unit.name}: bảng kiểm đã được tạo.", "success")
        return redirect(url_for("pilots.checklist_detail", checklist_id=checklist.id), 303)
    return render_template("pilots/designation/form.html", form=form), status


def _usable_templates() -> list[ChecklistTemplate]:
    """The published revisions the user may designate with (permissions.can_use_template, in
    one query): the defaults and those of the offices at or above the user's unit."""
    stmt = select(ChecklistTemplate).where(ChecklistTemplate.status == "published")
    if not sees_everything(current_user):
        above = select(UnitClosure.ancestor_id).where(
            UnitClosure.descendant_id == current_user.unit_id
        )
        stmt = stmt.where(
            ChecklistTemplate.owner_unit_id.is_(None) | ChecklistTemplate.owner_unit_id.in_(above)
        )
    order = (ChecklistTemplate.kind, ChecklistTemplate.name, ChecklistTemplate.id)
    return list(db.session.scalars(stmt.order_by(*order)))


def _prefill(form: DesignationForm) -> None:
    """A first display: the commune asked for (?unit=, 404 outside the subtree), the period
    to the end of the scheme's phase, the level of the designating office."""
    commune = None
    unit_id = parse_id(request.args.get("unit"))
    if request.args.get("unit") is not None:
        commune = db.session.get(Unit, unit_id) if unit_id else None
        if commune is None:
            raise OutOfScope()
        require_in_scope(current_user, commune.id)
        if commune.level == Level.COMMUNE:
            form.unit.data = unit_reference(commune, paths_of([commune.id])[commune.id])
        else:
            commune = None
    form.starts_on.data, form.ends_on.data = default_period(today())
    office = _office(commune) if commune is not None else current_user.unit
    form.level.data = LEVEL_OF_OFFICE.get(office.level, "")


def _check_commune(commune: Unit) -> None:
    """A current commune strictly below the officer's own unit."""
    problems = []
    if commune.level != Level.COMMUNE:
        problems.append(("unit_id", "Chọn một xã, phường, thị trấn."))
    elif commune.valid_to is not None:
        problems.append(("unit_id", f"{commune.name} đã hết hiệu lực (sáp nhập, giải thể)."))
    elif commune.id == current_user.unit_id and not sees_everything(current_user):
        problems.append(("unit_id", "Không tự chỉ định đơn vị của mình; chọn xã trực thuộc."))
    if problems:
        raise PilotError(problems)


def _office(commune: Unit) -> Unit:
    """The designating office: the officer's unit; for an admin, the nearest province or
    district above the commune."""
    return office_of(commune.id) if sees_everything(current_user) else current_user.unit


@bp.route("/checklists/<int:checklist_id>/edit", methods=["GET", "POST"], endpoint="checklist_edit")
def checklist_edit(checklist_id: int):
    """Change the designation's level, period (due dates follow the start) or note until it is
    signed off; officers of the designating office or above, and admins."""
    checklist = load_checklist(checklist_id)
    if not permissions.can_manage(current_user, checklist):
        refuse(SIGNED_OFF_REFUSED if checklist.status == SIGNED_OFF else NOT_THE_OFFICE)
    form = DesignationEditForm(obj=None if request.method == "POST" else checklist)

    def save():
        change_designation(
            checklist,
            form.level.data,
            form.starts_on.data,
            form.ends_on.data,
            (form.note.data or "").strip(),
            user=current_user,
        )

    status = save_versioned(checklist, form, save, rule_error=PilotError)
    if status is None:
        flash("Đã lưu thay đổi chỉ định; hạn của các mục tính lại theo ngày bắt đầu.", "success")
        return redirect(url_for("pilots.checklist_detail", checklist_id=checklist.id), 303)
    commune = db.session.get(Unit, checklist.unit_id)
    return render_template(
        "pilots/designation/edit.html", form=form, checklist=checklist, commune=commune
    ), status
