"""Browse the unit tree, add villages, edit units and their flags."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import documents  # a module: app.documents imports app.units.models in turn
from app.clock import today
from app.concurrency import save_edit
from app.extensions import db
from app.forms import choices
from app.htmx import is_htmx, render_page_or_fragment
from app.pagination import keyset_page
from app.security.scope import require_in_scope, scope_to_user
from app.text import fold
from app.units import bp, permissions
from app.units.forms import SuccessionForm, UnitForm
from app.units.models import KINDS, Level, Unit, UnitSuccession, kinds_of_level
from app.units.services import (
    UnitError,
    ancestors,
    child_counts,
    create_unit,
    paths_of,
    record_succession,
    unit_reference,
    update_unit,
)


def load_unit(unit_id: int) -> Unit:
    """Load → authorize: 404 when missing or outside the user's subtree."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    require_in_scope(current_user, unit.id)
    return unit


@bp.get("/")
def index():
    """The tree from the user's unit down (admins: the provinces), with a name search."""
    q = request.args.get("q", "").strip()
    if q:
        return _search(q)
    if current_user.is_admin:
        roots = select(Unit).where(Unit.parent_id.is_(None), Unit.valid_to.is_(None))
    else:
        roots = select(Unit).where(Unit.id == current_user.unit_id)
    page = keyset_page(
        roots, [(Unit.name_folded, False), (Unit.id, False)], request.args.get("after"), 100
    )
    counts = child_counts([u.id for u in page.items])
    return render_page_or_fragment(
        "units/index.html", "units/_tree_root.html", page=page, counts=counts, q=q
    )


def _search(q: str):
    """Units in scope whose folded name contains the folded query."""
    stmt = select(Unit).where(Unit.name_folded.contains(fold(q), autoescape=True))
    stmt = scope_to_user(stmt, Unit.id, current_user)
    page = keyset_page(
        stmt,
        [(Unit.level, False), (Unit.name_folded, False), (Unit.id, False)],
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    paths = paths_of([u.id for u in page.items])
    return render_page_or_fragment(
        "units/index.html",
        "units/_search_results.html",
        rows_template="units/_search_rows.html",
        page=page,
        q=q,
        paths=paths,
    )


@bp.get("/<int:unit_id>")
def detail(unit_id: int):
    """A unit: where it sits, its flags, its history and its children."""
    unit = load_unit(unit_id)
    return render_template("units/detail.html", **_detail_context(unit))


def _detail_context(unit: Unit, succession_form: SuccessionForm | None = None) -> dict:
    # The rate belongs to app/logbook/routes/rates.py, which imports the registry's routes.
    from app.logbook.routes.rates import unit_rate_summary
    from app.pilots.services.overview import commune_checklists

    path = ancestors(unit.id)[:-1]
    successions = db.session.execute(
        select(UnitSuccession, Unit)
        .join(
            Unit,
            (Unit.id == UnitSuccession.successor_id) | (Unit.id == UnitSuccession.predecessor_id),
        )
        .where(
            (UnitSuccession.predecessor_id == unit.id) | (UnitSuccession.successor_id == unit.id),
            Unit.id != unit.id,
        )
        .order_by(UnitSuccession.effective_date)
    ).all()
    return {
        "unit": unit,
        "path": path,
        "successions": successions,
        "rate": unit_rate_summary(unit, path),
        "pilot_checklists": commune_checklists(current_user, unit),
        **_children_context(unit),
        "can_edit": permissions.can_edit(current_user, unit),
        "can_add_child": permissions.can_add_child(current_user, unit),
        "succession_form": succession_form
        or (SuccessionForm() if permissions.can_edit_identity(current_user, unit) else None),
    }


def _children_context(unit: Unit) -> dict:
    show_former = request.args.get("former") == "1"
    stmt = select(Unit).where(Unit.parent_id == unit.id)
    if not show_former:
        stmt = stmt.where(Unit.valid_to.is_(None))
    page = keyset_page(
        stmt,
        [(Unit.name_folded, False), (Unit.id, False)],
        request.args.get("after"),
        current_app.config["PAGE_SIZE"] * 2,
    )
    return {
        "parent": unit,
        "children": page,
        "counts": child_counts([u.id for u in page.items]),
        "show_former": show_former,
    }


@bp.get("/<int:unit_id>/children")
def children(unit_id: int):
    """The children of a unit: a fragment for the tree, the unit's page otherwise."""
    unit = load_unit(unit_id)
    if is_htmx():
        return render_page_or_fragment(
            "units/detail.html", "units/_tree_children.html", **_children_context(unit)
        )
    return render_template("units/detail.html", **_detail_context(unit))


@bp.route("/<int:unit_id>/children/new", methods=["GET", "POST"])
def create(unit_id: int):
    """Add a unit (usually a village) below this one; admins, officers and commune staff."""
    parent = load_unit(unit_id)
    if not permissions.can_add_child(current_user, parent):
        abort(403)
    form = UnitForm()
    _fit_form(form, parent=parent, unit=None)
    if form.validate_on_submit():
        try:
            unit = create_unit(parent=parent, **form.changes())
        except UnitError as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Đã thêm {unit.name}.", "success")
            return redirect(url_for("units.detail", unit_id=unit.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("units/form.html", form=form, parent=parent, unit=None), status


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
def edit(unit_id: int):
    """Edit a unit; what may be changed depends on the role (see permissions)."""
    unit = load_unit(unit_id)
    if not permissions.can_edit(current_user, unit):
        abort(403)
    form = UnitForm(obj=unit)
    _fit_form(form, parent=None, unit=unit)
    status = save_edit(
        unit,
        form,
        lambda: update_unit(unit, form.changes()),
        rule_error=UnitError,
        show=lambda error: form.name.errors.append(str(error)),
    )
    if status is None:
        flash(f"Đã lưu {unit.name}.", "success")
        return redirect(url_for("units.detail", unit_id=unit.id), 303)
    return render_template("units/form.html", form=form, parent=None, unit=unit), status


def _fit_form(form: UnitForm, parent: Unit | None, unit: Unit | None) -> None:
    """Offer the kinds of the right level; drop the fields this user may not set (S3)."""
    if unit is not None:
        form.kind.choices = choices(kinds_of_level(Level(unit.level)))
    elif current_user.is_admin:
        deeper = [(k, lbl) for k, (lvl, lbl) in KINDS.items() if lvl > parent.level]
        form.kind.choices = choices(deeper)
    else:
        form.kind.choices = choices(kinds_of_level(Level.VILLAGE))
    drop = set()
    if not permissions.can_edit_identity(current_user, unit or parent):
        drop |= {"code", "valid_from", "valid_to"}
    may_flag = permissions.can_set_flags(current_user, unit) if unit else current_user.is_admin
    if not may_flag:
        drop.add("is_ethnic_minority_area")
    if not may_flag or unit is None or unit.level != Level.COMMUNE:
        drop |= {"pilot_level", "pilot_start_year", "pilot_end_year"}
    if unit is None:
        drop.add("version")
    for name in drop:
        delattr(form, name)


@bp.post("/<int:unit_id>/succession")
def succession(unit_id: int):
    """Record that this unit was merged into, split into or renamed as another; admins."""
    unit = load_unit(unit_id)
    if not permissions.can_edit_identity(current_user, unit):
        abort(403)
    form = SuccessionForm()
    if form.validate_on_submit():
        try:
            record_succession(unit, form.successor.unit, form.effective_date.data, form.note.data)
        except UnitError as error:
            form.successor.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Đã ghi nhận: {unit.name} → {form.successor.unit.name}.", "success")
            return redirect(url_for("units.detail", unit_id=unit.id), 303)
    return render_template("units/detail.html", **_detail_context(unit, form)), 422


@bp.get("/<int:unit_id>/print")
def print(unit_id: int):  # noqa: A001 - the endpoint's name is the domain verb
    """A printable list of the units directly below this one (Decree 30/2020 layout)."""
    unit = load_unit(unit_id)
    units = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.parent_id == unit.id, Unit.valid_to.is_(None))
            .order_by(Unit.name_folded, Unit.id)
        )
    )
    own_unit = db.session.get(Unit, current_user.unit_id)
    return render_template(
        "units/print.html",
        unit=unit,
        units=units,
        issuer=documents.issuer_lines(own_unit),
        place_date=documents.date_line(documents.short_name(own_unit), today()),
        today=today(),
    )


@bp.get("/lookup")
def lookup():
    """Suggestions for a unit field (a <datalist>), limited to the user's subtree."""
    q = fold(request.args.get("unit", "") or request.args.get("q", ""))
    units = []
    if len(q) >= 2:
        stmt = select(Unit).where(
            Unit.name_folded.contains(q, autoescape=True),
            Unit.valid_to.is_(None),
            Unit.level < Level.VILLAGE,
        )
        stmt = scope_to_user(stmt, Unit.id, current_user)
        units = list(db.session.scalars(stmt.order_by(Unit.level, Unit.name_folded).limit(20)))
    paths = paths_of([u.id for u in units])
    options = [unit_reference(u, paths[u.id]) for u in units]
    return render_page_or_fragment(
        "units/lookup.html", "units/_lookup_options.html", options=options, q=q
    )
