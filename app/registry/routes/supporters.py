"""Legal professionals who support teams (người hỗ trợ pháp lý): their list, adding and
editing them, and linking them to a team (the supporters section of a team's page)."""

from dataclasses import dataclass

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.concurrency import save_edit
from app.extensions import db
from app.forms import choices, parse_id, show_error
from app.htmx import is_htmx, render_page_or_fragment
from app.pagination import keyset_page
from app.registry import bp, permissions
from app.registry.forms.teams import (
    LEGAL_BACKGROUNDS,
    EndSupportForm,
    SupporterForm,
    SupportForm,
)
from app.registry.models import Supporter, Team, TeamSupport
from app.registry.queries import ListFilters, restrict_to_unit
from app.registry.routes.teams import (
    MAX_CHOICES,
    choose_commune,
    commune_of_unit,
    load_managed_team,
    own_commune,
    unit_from_request,
)
from app.registry.rules import LEGAL_PROFESSIONAL
from app.registry.services import RegistryError
from app.registry.services.teams import attach_supporter, create_supporter, end_support
from app.security.scope import in_scope, require_placed_in_scope, scope_placed
from app.text import fold, normalize
from app.units.models import Level, Unit
from app.units.services import units_by_id

SUPPORTER_KEYS = [(Supporter.name_folded, False), (Supporter.id, False)]


@dataclass
class SupporterFilters(ListFilters):
    background: str = ""


def supporters_stmt(user, f: SupporterFilters):
    """The supporters a user may see, filtered and searched (contains, diacritics ignored)."""
    stmt = scope_placed(select(Supporter), Supporter, user)
    stmt, _ = restrict_to_unit(stmt, Supporter, f.unit, user)
    if f.q:
        stmt = stmt.where(Supporter.name_folded.contains(fold(f.q), autoescape=True))
    if f.background in LEGAL_PROFESSIONAL:
        stmt = stmt.where(Supporter.background == f.background)
    return stmt


def current_teams(supporter_ids: list[int]) -> dict[int, list[Team]]:
    """The teams each supporter supports today, in one query."""
    teams: dict[int, list[Team]] = {i: [] for i in supporter_ids}
    if supporter_ids:
        rows = db.session.execute(
            select(TeamSupport.supporter_id, Team)
            .join(Team, Team.id == TeamSupport.team_id)
            .where(TeamSupport.supporter_id.in_(supporter_ids), TeamSupport.end_date.is_(None))
            .order_by(Team.name_folded, Team.id)
        ).all()
        for supporter_id, team in rows:
            teams[supporter_id].append(team)
    return teams


@bp.get("/supporters/", endpoint="supporters")
def supporters():
    """The legal professionals of the user's subtree and the teams they support now."""
    filters = SupporterFilters.from_args(request.args)
    page = keyset_page(
        supporters_stmt(current_user, filters),
        SUPPORTER_KEYS,
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    ids = [s.id for s in page.items]
    return render_page_or_fragment(
        "registry/supporters/index.html",
        "registry/supporters/_supporter_rows.html",
        rows_template="registry/supporters/_supporter_rows.html",
        page=page,
        filters=filters,
        backgrounds=LEGAL_BACKGROUNDS,
        teams=current_teams(ids),
        communes=units_by_id([s.commune_id for s in page.items]),
        can_add=current_user.role in permissions.EDITORS,
        create_url=url_for("registry.supporter_create", unit=_addable_unit(filters.unit)),
    )


def _addable_unit(unit_id: int | None) -> int | None:
    """The commune filtered on, when a supporter can be added there directly."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.level < Level.COMMUNE or not in_scope(current_user, unit.id):
        return None
    return unit.id


def _team_to_return_to(commune: Unit) -> Team | None:
    """?team=: after adding a supporter from a team's page, go back there."""
    team_id = parse_id(request.args.get("team"))
    team = db.session.get(Team, team_id) if team_id else None
    if team is None or team.commune_id != commune.id:
        return None
    return team if permissions.can_view(current_user, team) else None


@bp.route("/supporters/new", methods=["GET", "POST"], endpoint="supporter_create")
def supporter_create():
    """Register a legal professional in a commune; commune staff, officers, admins in scope."""
    unit = unit_from_request()
    commune = commune_of_unit(unit) if unit is not None else own_commune()
    if commune is None:
        return choose_commune(
            "registry.supporter_create", "Thêm người hỗ trợ pháp lý", "registry.supporters"
        )
    if not permissions.can_add_in_unit(current_user, commune):
        abort(403)
    team = _team_to_return_to(commune)
    form = SupporterForm()
    del form.version
    if form.validate_on_submit():
        try:
            supporter = create_supporter(unit=commune, **form.values())
        except RegistryError as error:
            db.session.rollback()
            form[error.field if error.field in form else "full_name"].errors.append(str(error))
        else:
            db.session.commit()
            if team is not None:
                flash(
                    f"Đã thêm {supporter.full_name}. Chọn người này ở mục “Người hỗ trợ pháp lý” "
                    "để ghi nhận việc hỗ trợ tổ.",
                    "success",
                )
                return redirect(url_for("registry.team_detail", team_id=team.id), 303)
            flash(f"Đã thêm {supporter.full_name}.", "success")
            return redirect(url_for("registry.supporters", unit=commune.id), 303)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "registry/supporters/form.html", form=form, supporter=None, commune=commune, team=team
    )
    return page, status


def update_supporter(supporter: Supporter, values: dict) -> Supporter:
    """Correct a supporter's record (its commune does not change)."""
    full_name = normalize(values.get("full_name"))
    if not full_name:
        raise RegistryError("Nhập họ và tên.", "full_name")
    if values.get("background") not in LEGAL_PROFESSIONAL:
        raise RegistryError("Chọn lĩnh vực pháp lý của người hỗ trợ.", "background")
    supporter.full_name, supporter.name_folded = full_name, fold(full_name)
    for key in ("background", "organisation", "phone", "note"):
        setattr(supporter, key, values.get(key))
    db.session.flush()
    return supporter


@bp.route("/supporters/<int:supporter_id>/edit", methods=["GET", "POST"], endpoint="supporter_edit")
def supporter_edit(supporter_id: int):
    """Edit a supporter's name, background, organisation, phone and note; editors in scope."""
    supporter = db.session.get(Supporter, supporter_id)
    if supporter is None:
        abort(404)
    require_placed_in_scope(current_user, supporter)
    if not permissions.can_manage(current_user, supporter):
        abort(403)
    form = SupporterForm(obj=supporter)
    status = save_edit(
        supporter,
        form,
        lambda: update_supporter(supporter, form.values()),
        rule_error=RegistryError,
        show=lambda error: show_error(form, error.field or "full_name", str(error)),
    )
    if status is None:
        flash(f"Đã lưu {supporter.full_name}.", "success")
        return redirect(url_for("registry.supporters", unit=supporter.commune_id), 303)
    teams = current_teams([supporter.id])[supporter.id]
    page = render_template(
        "registry/supporters/form.html",
        form=form,
        supporter=supporter,
        commune=db.session.get(Unit, supporter.commune_id) if supporter.commune_id else None,
        team=None,
        teams=teams,
    )
    return page, status


# A team's supporters: the section of the team's page and its two actions.


def supports_context(
    team: Team,
    form: SupportForm | None = None,
    end_error: tuple | None = None,
    notice: str | None = None,
    error: str | None = None,
) -> dict:
    """What the supporters section shows: current and past supports, the form to add one."""
    rows = db.session.execute(
        select(TeamSupport, Supporter)
        .join(Supporter, Supporter.id == TeamSupport.supporter_id)
        .where(TeamSupport.team_id == team.id)
        .order_by(TeamSupport.end_date.desc(), TeamSupport.start_date.desc(), TeamSupport.id)
    ).all()
    current = [(s, p) for s, p in rows if s.end_date is None]
    past = [(s, p) for s, p in rows if s.end_date is not None]
    can_manage = permissions.can_manage(current_user, team)
    # A dissolved team takes no new supporter; its current ones can still be ended.
    can_add = can_manage and team.is_active
    if can_add and form is None:
        form = SupportForm()
    if can_add:
        attached = {p.id for _, p in current}
        candidates = db.session.scalars(
            select(Supporter)
            .where(Supporter.commune_id == team.commune_id)
            .order_by(Supporter.name_folded, Supporter.id)
            .limit(MAX_CHOICES)
        )
        form.supporter.choices = choices(
            [("", "— Chọn người hỗ trợ —")]
            + [
                (s.id, f"{s.full_name} — {s.background_label}")
                for s in candidates
                if s.id not in attached
            ]
        )
    return {
        "current_supports": current,
        "past_supports": past,
        "support_form": form if can_add else None,
        "can_manage_supports": can_manage,
        "end_error": end_error,
        "support_notice": notice,
        # Shown above the section when no field or row of it carries the message.
        "support_error": None
        if (can_add and form is not None and form.errors)
        or (end_error and end_error[0] in {s.id for s, _ in current})
        else error,
        "new_supporter_url": url_for(
            "registry.supporter_create", unit=team.commune_id, team=team.id
        )
        if can_add and team.commune_id
        else None,
    }


def _supporters_fragment(team: Team, status: int = 200, **context):
    response = make_response(
        render_template("registry/teams/_supporters.html", team=team, **context), status
    )
    response.vary.add("HX-Request")
    return response


def _support_done(team: Team, message: str):
    """htmx: the refreshed section; otherwise back to the team's page (303)."""
    db.session.commit()
    if is_htmx():
        return _supporters_fragment(team, **supports_context(team, notice=message))
    flash(message, "success")
    return redirect(url_for("registry.team_detail", team_id=team.id), 303)


def _support_refused(team: Team, message: str, form=None, end_error=None):
    """htmx: the section with the message next to the form (422); otherwise a flash and 303."""
    db.session.rollback()
    if is_htmx():
        context = supports_context(team, form=form, end_error=end_error, error=message)
        return _supporters_fragment(team, 422, **context)
    flash(message, "error")
    return redirect(url_for("registry.team_detail", team_id=team.id), 303)


def _first_error(form) -> str:
    for errors in form.errors.values():
        if errors:
            return errors[0] if isinstance(errors, list) else str(errors)
    return "Chưa lưu được; vui lòng thử lại."


@bp.post("/teams/<int:team_id>/supporters", endpoint="team_support_add")
def team_support_add(team_id: int):
    """Link a legal professional of the team's commune to the team; editors in scope."""
    team = load_managed_team(team_id)
    form = SupportForm()
    if not form.validate_on_submit():
        return _support_refused(team, _first_error(form), form=form)
    supporter = db.session.get(Supporter, parse_id(form.supporter.data))
    if supporter is None:
        abort(404)
    require_placed_in_scope(current_user, supporter)
    try:
        if not team.is_active:
            raise RegistryError("Tổ hòa giải này đã giải thể.", "supporter")
        if supporter.commune_id != team.commune_id:
            raise RegistryError("Chỉ chọn người hỗ trợ đã đăng ký ở cùng xã với tổ.", "supporter")
        attach_supporter(team, supporter, form.start_date.data or today())
    except RegistryError as error:
        form.supporter.errors = [str(error)]
        return _support_refused(team, str(error), form=form)
    return _support_done(team, f"Đã ghi nhận {supporter.full_name} hỗ trợ tổ.")


@bp.post("/teams/<int:team_id>/supporters/<int:support_id>/end", endpoint="team_support_end")
def team_support_end(team_id: int, support_id: int):
    """End a supporter's support of the team (today, or the date given); editors in scope."""
    team = load_managed_team(team_id)
    support = db.session.get(TeamSupport, support_id)
    if support is None or support.team_id != team.id:
        abort(404)
    form = EndSupportForm()
    if not form.validate_on_submit():
        message = _first_error(form)
        return _support_refused(team, message, end_error=(support.id, message))
    try:
        end_support(support, form.end_date.data or today())
    except RegistryError as error:
        return _support_refused(team, str(error), end_error=(support.id, str(error)))
    return _support_done(team, "Đã kết thúc việc hỗ trợ.")
