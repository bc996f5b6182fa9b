"""Mediators (hòa giải viên): the list, the record, recognition and the other legal acts."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.concurrency import save_edit
from app.extensions import db
from app.files.models import StoredFile
from app.files.services import send_stored, store_file
from app.forms import choices, parse_id, show_error
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.registry import bp, permissions
from app.registry.forms.mediators import (
    YEAR_MESSAGE,
    DecisionForm,
    DismissForm,
    MediatorForm,
    MoveForm,
    NewMediatorForm,
    ReinstateForm,
    parse_year,
    phone_problem,
)
from app.registry.models import Mediator, MediatorEvent, Team, TeamMembership, Training
from app.registry.models import TrainingAttendance as Attendance
from app.registry.queries import (
    MEDIATOR_SORT_LABELS,
    MediatorFilters,
    TrainingFilters,
    mediator_page,
    trainings_stmt,
)
from app.registry.rules import (
    SEX_LABELS,
    STATUS_LABELS,
    ethnic_groups,
    is_training_overdue,
)
from app.registry.services import RegistryError
from app.registry.services import mediators as services
from app.registry.services.trainings import add_attendees
from app.security.scope import in_scope, load_placed, require_in_scope, require_placed_in_scope
from app.units.models import Level, Unit
from app.units.services import ancestors, find_unit_by_reference
from app.users.models import User

DUPLICATE_MESSAGE = (
    "Có người trùng họ tên và năm sinh, hoặc trùng số điện thoại (xem danh sách ở trên). "
    "Nếu là người khác, đánh dấu ô này rồi lưu lại."
)
BULK_LIMIT = 1000
TRAINING_CHOICES = 50
CHECK_LABELS = {
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "birth_year": "Năm sinh",
    "ethnicity_code": "Dân tộc",
    "phone": "Số điện thoại",
}


def load_mediator(mediator_id: int, manage: bool = False) -> Mediator:
    """Load → authorize: 404 outside the user's subtree, 403 without the right."""
    may = permissions.can_manage if manage else permissions.can_view
    return load_placed(Mediator, mediator_id, may)


def teams_by_id(team_ids) -> dict[int, Team]:
    """The teams of a page, in one query (no lazy loading in templates, QUALITY.md P3)."""
    ids = {i for i in team_ids if i}
    if not ids:
        return {}
    return {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(ids)))}


# The list


def list_filters() -> MediatorFilters:
    """The list's filters from the query string; the list opens on the active mediators."""
    filters = MediatorFilters.from_args(request.args)
    if "status" not in request.args:
        # from_args leaves a parameter that is absent empty, which would mean every status.
        filters.status = "active"
    return filters


@bp.get("/mediators/", endpoint="mediators")
def mediators():
    """The mediators of the user's subtree, filtered, sorted, searched; readers."""
    filters = list_filters()
    page = mediator_page(
        current_user, filters, request.args.get("after"), current_app.config["MEDIATOR_PAGE_SIZE"]
    )
    # A fragment only needs to know whether there is a training to add people to.
    trainings = bulk_trainings(1 if is_htmx() else TRAINING_CHOICES)
    context = {
        "filters": filters,
        "page": page,
        "teams": teams_by_id(m.team_id for m in page.items),
        "can_bulk": bool(trainings),
        "today": today(),
    }
    if not is_htmx():
        context.update(_list_page_context(filters), trainings=trainings)
    elif not (htmx_target() or "").endswith(MORE_SUFFIX):
        context["unit_options"] = unit_options(filters.unit)
    return render_page_or_fragment(
        "registry/mediators/page.html",
        "registry/mediators/_fragment.html",
        rows_template="registry/mediators/_mediator_rows.html",
        **context,
    )


def bulk_trainings(limit: int) -> list[Training]:
    """The newest sessions the user may add mediators to (those of their subtree)."""
    if not permissions.can_manage_training(current_user):
        return []
    stmt = trainings_stmt(current_user, TrainingFilters()).order_by(
        Training.starts_on.desc(), Training.id.desc()
    )
    return list(db.session.scalars(stmt.limit(limit)))


def _list_page_context(filters: MediatorFilters) -> dict:
    team = db.session.get(Team, filters.team) if filters.team else None
    if team is not None and not permissions.can_view(current_user, team):
        team = None
    return {
        "unit_options": unit_options(filters.unit),
        "filter_team": team,
        "can_add": current_user.role in permissions.EDITORS,
        "SEX_LABELS": SEX_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "ETHNIC_GROUPS": ethnic_groups(),
        "SORT_LABELS": MEDIATOR_SORT_LABELS,
    }


def unit_options(selected_id: int | None) -> list[tuple[str, str]]:
    """A drill-down choice of unit: the user's subtree down to the chosen unit, then its
    children (two queries, a bounded list at any scale)."""
    root = None if current_user.is_admin else current_user.unit
    options = [("", "Cả nước" if root is None else f"{root.name} (tất cả)")]
    selected = db.session.get(Unit, selected_id) if selected_id else None
    if selected is not None and not in_scope(current_user, selected.id):
        selected = None
    chain = ancestors(selected.id) if selected else []
    if root is not None:
        chain = chain[[u.id for u in chain].index(root.id) + 1 :] if chain else []
    for depth, unit in enumerate(chain):
        options.append((str(unit.id), "· " * depth + unit.name))
    parent = selected or root
    stmt = select(Unit).where(Unit.valid_to.is_(None)).order_by(Unit.name_folded, Unit.id)
    if parent is None:
        stmt = stmt.where(Unit.parent_id.is_(None))
    else:
        stmt = stmt.where(Unit.parent_id == parent.id)
    for unit in db.session.scalars(stmt):
        options.append((str(unit.id), "· " * len(chain) + unit.name))
    return options


@bp.post("/mediators/bulk", endpoint="mediators_bulk")
def mediators_bulk():
    """Add the selected mediators to a training session; editors of both."""
    filters = list_filters()
    back = url_for("registry.mediators", **filters.as_args())
    ids = list(dict.fromkeys(i for i in map(parse_id, request.form.getlist("ids")) if i))
    if not ids:
        flash("Chưa chọn hòa giải viên nào: đánh dấu ở cột đầu của danh sách.", "warning")
        return redirect(back, 303)
    if len(ids) > BULK_LIMIT:
        flash(f"Mỗi lần chỉ thêm được tối đa {BULK_LIMIT} hòa giải viên.", "error")
        return redirect(back, 303)
    training_id = parse_id(request.form.get("training"))
    training = db.session.get(Training, training_id) if training_id else None
    if training is None:
        flash("Chọn lớp tập huấn.", "error")
        return redirect(back, 303)
    require_placed_in_scope(current_user, training)
    if not permissions.can_manage_training(current_user, training):
        abort(403)
    chosen = db.session.scalars(select(Mediator).where(Mediator.id.in_(ids))).all()
    allowed = [m.id for m in chosen if permissions.can_manage(current_user, m)]
    added = add_attendees(training, mediator_ids=allowed)
    db.session.commit()
    message = f"Đã thêm {added} hòa giải viên vào lớp “{training.title}”."
    if len(allowed) > added:
        message += f" {len(allowed) - added} người đã có trong danh sách lớp."
    if len(ids) > len(allowed):
        message += f" Bỏ qua {len(ids) - len(allowed)} người ngoài phạm vi quản lý của bạn."
    flash(message, "success")
    return redirect(url_for("registry.training_detail", training_id=training.id), 303)


# Recognising a new mediator


@bp.route("/mediators/new", methods=["GET", "POST"], endpoint="mediator_create")
def mediator_create():
    """Recognise a new mediator in a team of a commune (Art. 8); editors of that commune."""
    commune, team = _commune_to_add_in()
    if commune is None:
        return render_template("registry/mediators/choose.html", asked=request.args.get("unit"))
    teams = services.teams_of_commune(commune.id)
    if team is None and len(teams) == 1:
        team = teams[0]
    form = NewMediatorForm(team=str(team.id) if team else None)
    form.team.choices = team_choices(teams)
    duplicates = []
    if form.is_submitted():
        valid = form.validate()
        values = form.person_values()
        # Shown with every other problem, so that the person is checked before anything else.
        duplicates = services.find_duplicates(
            commune.id, values["full_name"], values["birth_year"], values["phone"]
        )
        if duplicates and not form.confirm_not_duplicate.data:
            form.confirm_not_duplicate.errors.append(DUPLICATE_MESSAGE)
            valid = False
        chosen = team_among(teams, form.team.data)
        if chosen is None and not form.team.errors:
            form.team.errors.append("Chọn một tổ hòa giải của xã này.")
            valid = False
        if valid:
            try:
                mediator = services.create_mediator(
                    team=chosen, values=values, decision=decision_of(form)
                )
            except RegistryError as error:
                db.session.rollback()
                show_error(form, error.field, str(error))
            else:
                db.session.commit()
                flash(f"Đã công nhận hòa giải viên {mediator.full_name}.", "success")
                return redirect(url_for("registry.mediator_detail", mediator_id=mediator.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template(
        "registry/mediators/form.html",
        form=form,
        mediator=None,
        commune=commune,
        duplicates=duplicates,
        teams=teams_by_id(m.team_id for m in duplicates),
        problems={},
    ), status


def _commune_to_add_in() -> tuple[Unit | None, Team | None]:
    """The commune (and team) named by ?team= or ?unit=, else the user's own commune."""
    team = None
    team_id = parse_id(request.args.get("team"))
    if team_id:
        team = db.session.get(Team, team_id)
        if team is None:
            abort(404)
        require_placed_in_scope(current_user, team)
        unit = db.session.get(Unit, team.commune_id)
    else:
        unit = _unit_asked_for()
        if unit is None:
            return None, None
        require_in_scope(current_user, unit.id)
        commune_id = services.commune_of(unit)
        unit = db.session.get(Unit, commune_id) if commune_id else None
    if unit is None:
        return None, None
    if not permissions.can_add_in_unit(current_user, unit):
        abort(403)
    return unit, team


def _unit_asked_for() -> Unit | None:
    raw = request.args.get("unit", "")
    if not raw.strip():
        return None if current_user.is_admin else current_user.unit
    unit_id = parse_id(raw)
    unit = db.session.get(Unit, unit_id) if unit_id else find_unit_by_reference(raw)[0]
    if unit is None:
        abort(404)
    return unit


def team_choices(teams: list[Team], placeholder: str = "— Chọn tổ hòa giải —"):
    return choices([("", placeholder), *((str(t.id), t.name) for t in teams)])


def team_among(teams: list[Team], value) -> Team | None:
    """The chosen team if it is one of those offered (the commune's) and the user manages it."""
    team_id = parse_id(value)
    for team in teams:
        if team.id == team_id and permissions.can_manage(current_user, team):
            return team
    return None


def chosen_team(teams: list[Team], value, message: str) -> Team:
    team = team_among(teams, value)
    if team is None:
        raise RegistryError(message, "team")
    return team


def decision_of(form: DecisionForm) -> dict:
    """The form's decision, with its scanned copy stored (flushed, committed with the act)."""
    decision = form.decision()
    if form.file_data:
        decision["file"] = store_file(form.file_data, form.decision_file.data.filename)
    return decision


@bp.post("/mediators/check", endpoint="mediator_check")
def mediator_check():
    """Inline validation of a mediator form: problems and possible duplicates; editors."""
    typed = {name: request.form.get(name, "").strip() for name in CHECK_LABELS}
    values = {**typed, "birth_year": parse_year(typed["birth_year"])}
    # Only what has been typed is judged: the fields further down are not filled in yet.
    problems = {
        name: message for name, message in services.person_problems(values).items() if typed[name]
    }
    if typed["birth_year"] and values["birth_year"] is None:
        problems["birth_year"] = YEAR_MESSAGE
    if phone_problem(typed["phone"]):
        problems["phone"] = phone_problem(typed["phone"])
    commune_id, exclude_id = _check_context()
    duplicates = services.find_duplicates(
        commune_id, typed["full_name"], values["birth_year"], typed["phone"], exclude_id
    )
    searchable = (typed["full_name"] and values["birth_year"]) or typed["phone"]
    return render_page_or_fragment(
        "registry/mediators/check.html",
        "registry/mediators/_checks.html",
        problems=problems,
        duplicates=duplicates,
        teams=teams_by_id(m.team_id for m in duplicates),
        labels=CHECK_LABELS,
        checked=bool(commune_id and searchable),
    )


def _check_context() -> tuple[int | None, int | None]:
    """The commune to look for duplicates in: the edited mediator's, the chosen team's, or
    the commune the form is for; each must be one the user may add mediators in."""
    mediator_id = parse_id(request.form.get("mediator"))
    if mediator_id:
        mediator = load_mediator(mediator_id, manage=True)
        return mediator.commune_id, mediator.id
    team_id = parse_id(request.form.get("team") or request.args.get("team"))
    if team_id:
        team = db.session.get(Team, team_id)
        if team is None:
            abort(404)
        require_placed_in_scope(current_user, team)
        if not permissions.can_manage(current_user, team):
            abort(403)
        return team.commune_id, None
    commune_id = parse_id(request.form.get("commune"))
    if commune_id:
        commune = db.session.get(Unit, commune_id)
        if commune is None:
            abort(404)
        require_in_scope(current_user, commune.id)
        if commune.level != Level.COMMUNE or not permissions.can_add_in_unit(current_user, commune):
            abort(403)
        return commune.id, None
    return None, None


# The record


@bp.get("/mediators/<int:mediator_id>", endpoint="mediator_detail")
def mediator_detail(mediator_id: int):
    """A mediator's record, legal history, teams, trainings and commendations; readers of the
    subtree."""
    from app.commendations.services.nominees import nominee_context

    mediator = load_mediator(mediator_id)
    events = db.session.scalars(
        select(MediatorEvent)
        .where(MediatorEvent.mediator_id == mediator.id)
        .order_by(MediatorEvent.decision_date, MediatorEvent.id)
    ).all()
    memberships = db.session.scalars(
        select(TeamMembership)
        .where(TeamMembership.mediator_id == mediator.id)
        .order_by(TeamMembership.start_date, TeamMembership.id)
    ).all()
    trainings = db.session.scalars(
        select(Training)
        .join(Attendance, Attendance.training_id == Training.id)
        .where(Attendance.mediator_id == mediator.id)
        .order_by(Training.starts_on.desc(), Training.id.desc())
    ).all()
    team_ids = [mediator.team_id, *(m.team_id for m in memberships)]
    team_ids += [e.team_id for e in events] + [e.from_team_id for e in events]
    user_ids = {e.recorded_by_id for e in events if e.recorded_by_id}
    file_ids = {e.file_id for e in events if e.file_id}
    can_manage = permissions.can_manage(current_user, mediator)
    return render_template(
        "registry/mediators/detail.html",
        mediator=mediator,
        events=events,
        memberships=memberships,
        trainings=trainings,
        teams=teams_by_id(team_ids),
        users=_by_id(User, user_ids),
        files=_by_id(StoredFile, file_ids),
        can_manage=can_manage,
        can_view=permissions.can_view,
        **nominee_context(current_user, can_manage, mediator_id=mediator.id),
        overdue=is_training_overdue(
            mediator.recognised_on, mediator.trained_on, mediator.is_active, today()
        ),
    )


def _by_id(model, ids: set[int]) -> dict:
    if not ids:
        return {}
    return {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)))}


@bp.get("/mediators/<int:mediator_id>/events/<int:event_id>/file", endpoint="mediator_file")
def mediator_file(mediator_id: int, event_id: int):
    """The scanned decision of one of the mediator's acts, as a download; readers."""
    mediator = load_mediator(mediator_id)
    event = db.session.get(MediatorEvent, event_id)
    if event is None or event.mediator_id != mediator.id or event.file_id is None:
        abort(404)
    return send_stored(db.session.get(StoredFile, event.file_id))


@bp.route("/mediators/<int:mediator_id>/edit", methods=["GET", "POST"], endpoint="mediator_edit")
def mediator_edit(mediator_id: int):
    """Correct a mediator's personal record (not a legal act); editors of the commune."""
    mediator = load_mediator(mediator_id, manage=True)
    form = MediatorForm(obj=mediator)
    status = save_edit(
        mediator,
        form,
        lambda: services.update_mediator(mediator, form.person_values()),
        rule_error=RegistryError,
        show=lambda error: show_error(form, error.field, str(error)),
    )
    if status is None:
        flash(f"Đã lưu hồ sơ của {mediator.full_name}.", "success")
        return redirect(url_for("registry.mediator_detail", mediator_id=mediator.id), 303)
    return render_template(
        "registry/mediators/form.html",
        form=form,
        mediator=mediator,
        commune=None,
        duplicates=[],
        teams={},
        problems={},
    ), status


# The legal acts after recognition


@bp.route("/mediators/<int:mediator_id>/move", methods=["GET", "POST"], endpoint="mediator_move")
def mediator_move(mediator_id: int):
    """Move an active mediator to another team of the same commune; editors."""
    mediator = load_mediator(mediator_id, manage=True)
    teams = [t for t in services.teams_of_commune(mediator.commune_id) if t.id != mediator.team_id]
    form = MoveForm()
    form.team.choices = team_choices(teams)

    def act(decision):
        team = chosen_team(teams, form.team.data, "Chỉ chuyển sang một tổ hòa giải khác cùng xã.")
        services.move_mediator(mediator, team, decision)
        return f"Đã chuyển {mediator.full_name} sang {team.name}."

    return _legal_act(mediator, form, "move", act, teams)


@bp.route(
    "/mediators/<int:mediator_id>/make-leader",
    methods=["GET", "POST"],
    endpoint="mediator_make_leader",
)
def mediator_make_leader(mediator_id: int):
    """Recognise an active mediator as their team's leader; editors."""
    mediator = load_mediator(mediator_id, manage=True)

    def act(decision):
        services.make_leader(mediator, decision)
        return f"Đã công nhận {mediator.full_name} là tổ trưởng tổ hòa giải."

    return _legal_act(mediator, DecisionForm(), "make_leader", act)


@bp.route(
    "/mediators/<int:mediator_id>/dismiss", methods=["GET", "POST"], endpoint="mediator_dismiss"
)
def mediator_dismiss(mediator_id: int):
    """Record a dismissal on one of the three grounds of Art. 11; editors."""
    mediator = load_mediator(mediator_id, manage=True)
    form = DismissForm()

    def act(decision):
        services.dismiss_mediator(mediator, form.ground.data, decision)
        return f"Đã ghi nhận {mediator.full_name} thôi làm hòa giải viên."

    return _legal_act(mediator, form, "dismiss", act)


@bp.route(
    "/mediators/<int:mediator_id>/reinstate",
    methods=["GET", "POST"],
    endpoint="mediator_reinstate",
)
def mediator_reinstate(mediator_id: int):
    """Recognise a former mediator again, in a team of the same commune; editors."""
    mediator = load_mediator(mediator_id, manage=True)
    teams = services.teams_of_commune(mediator.commune_id)
    form = ReinstateForm(team=str(mediator.team_id))
    form.team.choices = team_choices(teams)

    def act(decision):
        team = chosen_team(teams, form.team.data, "Chỉ công nhận lại vào tổ hòa giải cùng xã.")
        services.reinstate_mediator(mediator, team, decision)
        return f"Đã công nhận lại {mediator.full_name} là hòa giải viên của {team.name}."

    return _legal_act(mediator, form, "reinstate", act)


def _legal_act(mediator: Mediator, form: DecisionForm, kind: str, act, teams=None):
    """Validate the decision form, store the scan, perform the act, commit once, redirect."""
    status = 200
    if form.validate_on_submit():
        try:
            message = act(decision_of(form))
        except RegistryError as error:
            db.session.rollback()
            show_error(form, error.field, str(error))
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("registry.mediator_detail", mediator_id=mediator.id), 303)
    if form.is_submitted():
        status = 422
    team = db.session.get(Team, mediator.team_id)
    return render_template(
        "registry/mediators/action.html",
        form=form,
        mediator=mediator,
        team=team,
        kind=kind,
        blocked=_blocked(mediator, kind, teams),
    ), status


def _blocked(mediator: Mediator, kind: str, teams) -> str | None:
    """Why this act cannot be done on this mediator now (the form is then not offered)."""
    if kind == "reinstate":
        if mediator.is_active:
            return (
                "Hòa giải viên đang hoạt động: chỉ công nhận lại người đã thôi làm hòa giải viên."
            )
        return None
    if not mediator.is_active:
        return "Hòa giải viên này đã thôi làm hòa giải viên."
    if kind == "make_leader" and mediator.role == "leader":
        return "Hòa giải viên này đã là tổ trưởng."
    if kind == "move" and not teams:
        return "Xã chưa có tổ hòa giải nào khác để chuyển sang."
    return None
