"""Trainers (tập huấn viên) of provinces and districts: list, record, add, edit."""

import math
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, func, select
from werkzeug.routing import BuildError

from app.concurrency import save_edit
from app.extensions import db
from app.forms import show_error
from app.htmx import is_htmx, render_page_or_fragment
from app.pagination import keyset_page
from app.registry import bp, permissions
from app.registry.forms.trainings import TrainerForm, unit_choices
from app.registry.models import Team, Trainer, Training, TrainingAttendance
from app.registry.queries import TRAINER_SORTS, TrainerFilters, trainers_stmt
from app.registry.rules import TRAINER_BACKGROUNDS
from app.registry.services import RegistryError
from app.registry.services.trainings import create_trainer, update_trainer
from app.security.scope import load_placed, scope_placed, sees_everything
from app.text import format_number
from app.units.models import Level, Unit
from app.units.services import ancestors

# DOMAIN.md §8: at least one trainer per 80 teams of a district, per 100 teams of a province.
TEAMS_PER_TRAINER = {Level.DISTRICT: 80, Level.PROVINCE: 100}


@dataclass
class TrainerSummary:
    """Trainers in the user's scope and the ratio of the user's own unit to its teams."""

    total: int
    trained: int
    with_materials: int
    own: int
    teams: int
    target: int | None

    @property
    def teams_per_trainer(self) -> float | None:
        return self.teams / self.own if self.own else None

    @property
    def ratio_label(self) -> str:
        """Teams per trainer as people write it: "80", "2,5" (one decimal below 10)."""
        value = self.teams_per_trainer
        if value is None:
            return ""
        decimals = 0 if value >= 10 or value == int(value) else 1
        return format_number(math.floor(value * 10**decimals + 0.5) / 10**decimals, decimals)

    @property
    def needed(self) -> int | None:
        return math.ceil(self.teams / self.target) if self.target else None

    @property
    def meets_target(self) -> bool | None:
        if not self.target or not self.teams:
            return None
        return self.own >= self.needed


def trainer_summary(user) -> TrainerSummary:
    """Trainers in scope and, for an admin (the country) or an officer of a province or
    district (their own unit's trainers), the ratio to the active teams: two queries."""
    everything = sees_everything(user)
    counted = Trainer.active.is_(True)
    if not everything:
        counted = counted & (Trainer.unit_id == user.unit_id)
    row = db.session.execute(
        scope_placed(
            select(
                func.count(),
                func.sum(case((Trainer.trained_on.is_not(None), 1), else_=0)),
                func.sum(case((Trainer.materials_received.is_(True), 1), else_=0)),
                func.sum(case((counted, 1), else_=0)),
            ).select_from(Trainer),
            Trainer,
            user,
        )
    ).one()
    total, trained, materials, own = (int(v or 0) for v in row)
    target = None if everything else TEAMS_PER_TRAINER.get(Level(user.unit.level))
    teams = 0
    if everything or target:
        teams = db.session.scalar(
            scope_placed(
                select(func.count()).select_from(Team).where(Team.dissolved_on.is_(None)),
                Team,
                user,
            )
        )
    return TrainerSummary(total, trained, materials, own, teams or 0, target)


def export_links(endpoint: str, filters) -> list[tuple[str, str]]:
    """Links to a list's .xlsx and .csv exports with the same filters (none until it exists)."""
    args = {k: v for k, v in filters.as_args().items() if k != "after"}
    try:
        return [(label, url_for(endpoint, fmt=fmt, **args)) for fmt, label in EXPORT_FORMATS]
    except BuildError:
        return []


EXPORT_FORMATS = (("xlsx", "Tải Excel (.xlsx)"), ("csv", "Tải CSV"))


def link_builder(endpoint: str, param: str):
    """A function giving the URL of a record's page, or None while that page does not exist."""

    def build(value) -> str | None:
        try:
            return url_for(endpoint, **{param: value})
        except BuildError:
            return None

    return build


def unit_names(unit_ids) -> dict[int, str]:
    """Names of a page's units, in one query."""
    ids = {i for i in unit_ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def load_trainer(trainer_id: int) -> Trainer:
    return load_placed(Trainer, trainer_id)


@bp.get("/trainers/", endpoint="trainers")
def trainers():
    """Trainers in the user's scope: search, filters, keyset pages; readers."""
    filters = TrainerFilters.from_args(request.args)
    page = keyset_page(
        trainers_stmt(current_user, filters),
        TRAINER_SORTS["name"],
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    return render_page_or_fragment(
        "registry/trainers/page.html",
        "registry/trainers/_fragment.html",
        rows_template="registry/trainers/_trainer_rows.html",
        page=page,
        filters=filters,
        units=unit_names(t.unit_id for t in page.items),
        summary=None if is_htmx() else trainer_summary(current_user),
        exports=export_links("registry.trainers_export", filters),
        backgrounds=TRAINER_BACKGROUNDS,
        can_create=permissions.can_manage_trainers(current_user),
    )


@bp.route("/trainers/new", methods=["GET", "POST"], endpoint="trainer_create")
def trainer_create():
    """Add a trainer to a province or district of the user's subtree; admins and officers."""
    if not permissions.can_manage_trainers(current_user):
        abort(403)
    form = TrainerForm()
    form.unit.choices = unit_choices(current_user, (Level.PROVINCE, Level.DISTRICT))
    if not form.is_submitted():
        form.unit.data = current_user.unit_id
    if form.validate_on_submit():
        try:
            trainer = create_trainer(unit=db.session.get(Unit, form.unit.data), **form.changes())
        except RegistryError as error:
            db.session.rollback()
            show_error(form, error.field, str(error))
        else:
            db.session.commit()
            flash(f"Đã thêm tập huấn viên {trainer.full_name}.", "success")
            return redirect(url_for("registry.trainer_detail", trainer_id=trainer.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("registry/trainers/form.html", form=form, trainer=None), status


@bp.get("/trainers/<int:trainer_id>", endpoint="trainer_detail")
def trainer_detail(trainer_id: int):
    """A trainer's record and the sessions they attended; readers of its scope."""
    trainer = load_trainer(trainer_id)
    attended = list(
        db.session.scalars(
            select(Training)
            .join(TrainingAttendance, TrainingAttendance.training_id == Training.id)
            .where(TrainingAttendance.trainer_id == trainer.id)
            .order_by(Training.starts_on.desc(), Training.id.desc())
        )
    )
    # Sessions of the user's subtree or of a unit above it are shown; others only counted.
    above = {u.id for u in ancestors(current_user.unit_id)}
    linked = {t.id for t in attended if permissions.can_view(current_user, t)}
    shown = [t for t in attended if t.id in linked or t.unit_id in above]
    return render_template(
        "registry/trainers/detail.html",
        trainer=trainer,
        unit=db.session.get(Unit, trainer.unit_id),
        attended=shown,
        linked=linked,
        hidden=len(attended) - len(shown),
        units=unit_names(t.unit_id for t in shown),
        can_edit=permissions.can_manage_trainers(current_user, trainer),
    )


@bp.route("/trainers/<int:trainer_id>/edit", methods=["GET", "POST"], endpoint="trainer_edit")
def trainer_edit(trainer_id: int):
    """Correct a trainer's record, refusing a stale save (409); admins and officers."""
    trainer = load_trainer(trainer_id)
    if not permissions.can_manage_trainers(current_user, trainer):
        abort(403)
    form = TrainerForm(obj=trainer)
    del form.unit
    status = save_edit(
        trainer,
        form,
        lambda: update_trainer(trainer, form.changes()),
        rule_error=RegistryError,
        show=lambda error: show_error(form, error.field, str(error)),
    )
    if status is None:
        flash(f"Đã lưu tập huấn viên {trainer.full_name}.", "success")
        return redirect(url_for("registry.trainer_detail", trainer_id=trainer.id), 303)
    return render_template("registry/trainers/form.html", form=form, trainer=trainer), status
