"""Training sessions (lớp tập huấn, bồi dưỡng) and who attended them."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.clock import today
from app.concurrency import save_edit
from app.extensions import db
from app.forms import parse_id, show_error
from app.htmx import is_htmx, render_page_or_fragment
from app.pagination import keyset_page
from app.registry import bp, permissions
from app.registry.forms.trainings import LEVEL_OF_UNIT, TrainingForm, unit_choices
from app.registry.models import Mediator, Team, Trainer, Training, TrainingAttendance
from app.registry.queries import (
    TRAINING_SORTS,
    MediatorFilters,
    TrainerFilters,
    TrainingFilters,
    mediator_page,
    trainers_stmt,
    trainings_stmt,
)
from app.registry.routes.trainers import export_links, link_builder, unit_names
from app.registry.rules import TRAINING_LEVELS
from app.registry.services import RegistryError
from app.registry.services.trainings import (
    active_mediator_ids,
    add_attendees,
    create_training,
    remove_attendance,
    update_training,
)
from app.security.scope import (
    in_scope,
    load_placed,
    placed_in_scope,
    placed_under,
    require_placed_in_scope,
    scope_placed,
)
from app.units.models import Level, Unit, UnitClosure

CANDIDATES = 30
MAX_IDS = 2000
CHUNK = 500
TEAM_CHOICES_LIMIT = 500
COMMUNE_CHOICES_LIMIT = 1000
NOBODY_ADDED = (
    "Không có ai được thêm: chưa chọn ai, hoặc những người đã chọn đều có trong danh sách."
)
ATTENDEE_SORT = [(Mediator.name_folded, False), (Mediator.id, False)]


def load_training(training_id: int) -> Training:
    return load_placed(Training, training_id)


def load_managed_training(training_id: int) -> Training:
    return load_placed(Training, training_id, permissions.can_manage_training)


@bp.get("/trainings/", endpoint="trainings")
def trainings():
    """Sessions in the user's scope, newest first: search, filters, keyset pages; readers."""
    filters = TrainingFilters.from_args(request.args)
    keys = TRAINING_SORTS.get(filters.sort, TRAINING_SORTS["-date"])
    page = keyset_page(
        trainings_stmt(current_user, filters),
        keys,
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    return render_page_or_fragment(
        "registry/trainings/page.html",
        "registry/trainings/_fragment.html",
        rows_template="registry/trainings/_training_rows.html",
        page=page,
        filters=filters,
        units=unit_names(t.unit_id for t in page.items),
        counts=attendance_counts([t.id for t in page.items]),
        exports=export_links("registry.trainings_export", filters),
        levels=TRAINING_LEVELS,
        years=range(today().year + 1, 2014, -1),
        can_create=permissions.can_manage_training(current_user),
    )


def attendance_counts(training_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(mediators, trainers) attending each session of a page, in one query."""
    if not training_ids:
        return {}
    rows = db.session.execute(
        select(
            TrainingAttendance.training_id,
            func.count(TrainingAttendance.mediator_id),
            func.count(TrainingAttendance.trainer_id),
        )
        .where(TrainingAttendance.training_id.in_(training_ids))
        .group_by(TrainingAttendance.training_id)
    ).all()
    return {training_id: (mediators, trainers) for training_id, mediators, trainers in rows}


@bp.route("/trainings/new", methods=["GET", "POST"], endpoint="training_create")
def training_create():
    """Record a session organised by a unit (commune level or above) of the user's subtree."""
    if not permissions.can_manage_training(current_user):
        abort(403)
    form = TrainingForm()
    levels = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
    form.unit.choices = unit_choices(current_user, levels)
    if not form.is_submitted():
        form.unit.data = current_user.unit_id
        form.level.data = LEVEL_OF_UNIT.get(Level(current_user.unit.level), "commune")
    if form.validate_on_submit():
        try:
            training = create_training(unit=db.session.get(Unit, form.unit.data), **form.changes())
        except RegistryError as error:
            db.session.rollback()
            show_error(form, error.field, str(error))
        else:
            db.session.commit()
            flash(f"Đã thêm lớp tập huấn “{training.title}”.", "success")
            return redirect(url_for("registry.training_detail", training_id=training.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("registry/trainings/form.html", form=form, training=None), status


@bp.get("/trainings/<int:training_id>", endpoint="training_detail")
def training_detail(training_id: int):
    """A session and its attendees; managers add and remove attendees here; readers."""
    training = load_training(training_id)
    can_manage = permissions.can_manage_training(current_user, training)
    context = attendee_context(training, request.args.get("after"))
    if can_manage and not is_htmx():
        context |= candidate_context(training, "") | bulk_context(training)
    return render_page_or_fragment(
        "registry/trainings/detail.html",
        "registry/trainings/_attendees.html",
        rows_template="registry/trainings/_attendee_rows.html",
        training=training,
        organiser=db.session.get(Unit, training.unit_id),
        can_manage=can_manage,
        **context,
    )


def attendee_context(
    training: Training, after: str | None = None, message: str = "", kind: str = "success"
) -> dict:
    """The attendees the user may see (a keyset page of mediators, the trainers), with counts;
    people of units outside the user's subtree are only counted."""
    mediators = keyset_page(
        scope_placed(
            select(
                TrainingAttendance.id.label("attendance_id"),
                Mediator,
                Mediator.name_folded,
                Mediator.id,
                Team.name.label("team_name"),
                Unit.name.label("commune_name"),
            )
            .join(Mediator, Mediator.id == TrainingAttendance.mediator_id)
            .join(Team, Team.id == Mediator.team_id)
            .outerjoin(Unit, Unit.id == Mediator.commune_id)
            .where(TrainingAttendance.training_id == training.id),
            Mediator,
            current_user,
        ),
        ATTENDEE_SORT,
        after,
        current_app.config["PAGE_SIZE"],
        scalars=False,
    )
    trainers = db.session.execute(
        scope_placed(
            select(TrainingAttendance.id, Trainer)
            .join(Trainer, Trainer.id == TrainingAttendance.trainer_id)
            .where(TrainingAttendance.training_id == training.id),
            Trainer,
            current_user,
        ).order_by(Trainer.name_folded, Trainer.id)
    ).all()
    seen_mediators = db.session.scalar(
        scope_placed(
            select(func.count())
            .select_from(TrainingAttendance)
            .join(Mediator, Mediator.id == TrainingAttendance.mediator_id)
            .where(TrainingAttendance.training_id == training.id),
            Mediator,
            current_user,
        )
    )
    total_mediators, total_trainers = attendance_counts([training.id]).get(training.id, (0, 0))
    return {
        "attendees": mediators,
        "trainer_attendees": trainers,
        "mediator_count": seen_mediators,
        "trainer_count": len(trainers),
        "hidden_count": total_mediators + total_trainers - seen_mediators - len(trainers),
        "message": message,
        "message_kind": kind,
        "mediator_url": link_builder("registry.mediator_detail", "mediator_id"),
    }


def candidate_context(training: Training, q: str) -> dict:
    """Active mediators and trainers of the user's scope matching ``q``, not yet attending."""
    q = q.strip()[:200]
    if not q:
        return {"q": q, "candidates": [], "trainer_candidates": [], "more_candidates": False}
    page = mediator_page(current_user, MediatorFilters(q=q, status="active"), None, CANDIDATES)
    ids = [m.id for m in page.items]
    attending = set(
        db.session.scalars(
            select(TrainingAttendance.mediator_id).where(
                TrainingAttendance.training_id == training.id,
                TrainingAttendance.mediator_id.in_(ids),
            )
        )
        if ids
        else []
    )
    mediators = [m for m in page.items if m.id not in attending]
    trainers = db.session.scalars(
        trainers_stmt(current_user, TrainerFilters(q=q))
        .where(
            Trainer.id.not_in(
                select(TrainingAttendance.trainer_id).where(
                    TrainingAttendance.training_id == training.id,
                    TrainingAttendance.trainer_id.is_not(None),
                )
            )
        )
        .order_by(Trainer.name_folded, Trainer.id)
        .limit(CANDIDATES)
    ).all()
    team_ids = {m.team_id for m in mediators}
    teams = dict(
        db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all()
        if team_ids
        else []
    )
    return {
        "q": q,
        "candidates": mediators,
        "trainer_candidates": trainers,
        "more_candidates": page.has_next,
        "candidate_teams": teams,
        "candidate_units": unit_names(
            [m.commune_id for m in mediators] + [t.unit_id for t in trainers]
        ),
    }


def bulk_context(training: Training) -> dict:
    """Teams and communes under the organising unit, for adding them all at once."""
    organiser = db.session.get(Unit, training.unit_id)
    teams = db.session.execute(
        scope_placed(
            select(Team.id, Team.name, Team.active_count, Unit.name.label("commune_name"))
            .outerjoin(Unit, Unit.id == Team.commune_id)
            .where(placed_under(Team, organiser), Team.dissolved_on.is_(None)),
            Team,
            current_user,
        )
        .order_by(Unit.name_folded, Team.name_folded, Team.id)
        .limit(TEAM_CHOICES_LIMIT + 1)
    ).all()
    communes = db.session.execute(
        select(Unit.id, Unit.name)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(
            UnitClosure.ancestor_id == organiser.id,
            Unit.level == Level.COMMUNE,
            Unit.valid_to.is_(None),
        )
        .order_by(Unit.name_folded, Unit.id)
        .limit(COMMUNE_CHOICES_LIMIT)
    ).all()
    return {
        "bulk_teams": teams[:TEAM_CHOICES_LIMIT],
        "bulk_teams_cut": len(teams) > TEAM_CHOICES_LIMIT,
        "bulk_communes": communes,
    }


@bp.get("/trainings/<int:training_id>/candidates", endpoint="training_candidates")
def training_candidates(training_id: int):
    """People who may be added to a session, found by name or phone; managers of it."""
    training = load_managed_training(training_id)
    return render_page_or_fragment(
        "registry/trainings/candidates.html",
        "registry/trainings/_candidates.html",
        training=training,
        **candidate_context(training, request.args.get("q", "")),
    )


def _ids(name: str) -> list[int]:
    values = [parse_id(v) for v in request.form.getlist(name)[:MAX_IDS]]
    return [v for v in values if v is not None]


def _in_scope_ids(model, ids: list[int]) -> list[int]:
    """The ids of records the user may manage (the others are ignored)."""
    result: list[int] = []
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        stmt = scope_placed(select(model.id).where(model.id.in_(chunk)), model, current_user)
        result.extend(db.session.scalars(stmt))
    return result


def _bulk_mediator_ids() -> list[int]:
    """The active mediators of the posted team or commune, when it lies in the user's scope."""
    team = db.session.get(Team, parse_id(request.form.get("team_id")) or 0)
    if team is not None and placed_in_scope(current_user, team):
        return active_mediator_ids(team_id=team.id)
    commune = db.session.get(Unit, parse_id(request.form.get("commune_id")) or 0)
    if (
        commune is not None
        and commune.level == Level.COMMUNE
        and in_scope(current_user, commune.id)
    ):
        return active_mediator_ids(commune_id=commune.id)
    return []


@bp.post("/trainings/<int:training_id>/attendees", endpoint="training_attendees_add")
def training_attendees_add(training_id: int):
    """Add the chosen mediators and trainers, or a whole team or commune; managers of it."""
    training = load_managed_training(training_id)
    mediator_ids = _in_scope_ids(Mediator, _ids("mediator_ids") + _bulk_mediator_ids())
    trainer_ids = _in_scope_ids(Trainer, _ids("trainer_ids"))
    added = add_attendees(training, mediator_ids, trainer_ids)
    db.session.commit()
    message = f"Đã thêm {added} người." if added else NOBODY_ADDED
    if not is_htmx():
        flash(message, "success" if added else "warning")
        return redirect(url_for("registry.training_detail", training_id=training.id), 303)
    context = attendee_context(training, message=message, kind="success" if added else "warning")
    if "q" in request.form:
        context |= candidate_context(training, request.form.get("q", "")) | {"refresh": True}
    return _attendees_fragment(training, context)


def _attendees_fragment(training: Training, context: dict):
    response = current_app.make_response(
        render_template(
            "registry/trainings/_attendees.html", training=training, can_manage=True, **context
        )
    )
    response.vary.add("HX-Request")
    return response


@bp.post(
    "/trainings/<int:training_id>/attendees/<int:attendance_id>/delete",
    endpoint="training_attendee_remove",
)
def training_attendee_remove(training_id: int, attendance_id: int):
    """Take one person off a session's list; their "trained" date is recomputed; managers."""
    training = load_managed_training(training_id)
    attendance = db.session.get(TrainingAttendance, attendance_id)
    if attendance is None or attendance.training_id != training.id:
        abort(404)
    if attendance.mediator_id:
        person = db.session.get(Mediator, attendance.mediator_id)
    else:
        person = db.session.get(Trainer, attendance.trainer_id)
    require_placed_in_scope(current_user, person)
    remove_attendance(attendance)
    db.session.commit()
    message = f"Đã bỏ {person.full_name} khỏi danh sách học viên."
    if not is_htmx():
        flash(message, "success")
        return redirect(url_for("registry.training_detail", training_id=training.id), 303)
    return _attendees_fragment(training, attendee_context(training, message=message))


@bp.route("/trainings/<int:training_id>/edit", methods=["GET", "POST"], endpoint="training_edit")
def training_edit(training_id: int):
    """Change a session; attendees' "trained on" follows its date and programme; managers."""
    training = load_managed_training(training_id)
    form = TrainingForm(obj=training)
    del form.unit
    status = save_edit(
        training,
        form,
        lambda: update_training(training, form.changes()),
        rule_error=RegistryError,
        show=lambda error: show_error(form, error.field, str(error)),
    )
    if status is None:
        flash(f"Đã lưu lớp tập huấn “{training.title}”.", "success")
        return redirect(url_for("registry.training_detail", training_id=training.id), 303)
    return render_template("registry/trainings/form.html", form=form, training=training), status
