"""Teams (tổ hòa giải): the list with its compliance filters, a team's page, adding and
editing teams, and linking legal-professional supporters to them (DOMAIN.md §3)."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import case, func, select

from app.clock import today
from app.concurrency import save_edit
from app.extensions import db
from app.forms import choices, parse_id, show_error
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.pagination import keyset_page
from app.registry import bp, permissions
from app.registry.forms.teams import TeamCreateForm, TeamEditForm
from app.registry.models import Mediator, Team, TeamMembership
from app.registry.queries import TEAM_SORTS, TeamFilters, teams_stmt
from app.registry.rules import ISSUE_LABELS
from app.registry.services import RegistryError
from app.registry.services.teams import create_team, update_team
from app.security.scope import in_scope, load_placed, require_in_scope
from app.units.models import Level, Unit
from app.units.services import ancestors, find_unit_by_reference, units_by_id

TEAM_SORT_LABELS = {"name": "Tên tổ A → Z", "-name": "Tên tổ Z → A"}
STATUS_CHOICES = {"active": "Đang hoạt động", "dissolved": "Đã giải thể", "all": "Mọi trạng thái"}
MAX_CHOICES = 300
# A team row carries its problems in words: 25 rows keep a fragment near 12 KB on the slow
# links of communes (QUALITY.md P8), where 50 would be 25 KB.
TEAM_PAGE_SIZE = 25


def load_team(team_id: int) -> Team:
    return load_placed(Team, team_id, permissions.can_view)


def load_managed_team(team_id: int) -> Team:
    return load_placed(Team, team_id, permissions.can_manage)


def team_filters() -> TeamFilters:
    """The list's filters; without a status in the query, the active teams."""
    filters = TeamFilters.from_args(request.args)
    if "status" not in request.args:
        filters.status = "active"
    if filters.sort not in TEAM_SORTS:
        filters.sort = "name"
    return filters


def team_summary(stmt) -> tuple[int, int]:
    """(teams, non-compliant teams) under the same filters, in one COUNT query."""
    not_compliant = func.coalesce(func.sum(case((Team.is_compliant.is_(False), 1), else_=0)), 0)
    counted = stmt.order_by(None).with_only_columns(
        func.count(), not_compliant, maintain_column_froms=True
    )
    total, bad = db.session.execute(counted).one()
    return int(total or 0), int(bad or 0)


@bp.get("/teams/", endpoint="teams")
def teams():
    """The teams of the user's subtree, with compliance, problem, support and status filters."""
    filters = team_filters()
    stmt = teams_stmt(current_user, filters)
    per_page = current_app.config.get("TEAM_PAGE_SIZE", TEAM_PAGE_SIZE)
    page = keyset_page(stmt, TEAM_SORTS[filters.sort], request.args.get("after"), per_page)
    context = {
        "page": page,
        "filters": filters,
        "places": units_by_id([t.unit_id for t in page.items] + [t.commune_id for t in page.items]),
    }
    if not (htmx_target() or "").endswith(MORE_SUFFIX):
        context["summary"] = team_summary(stmt)
        context["export_urls"] = {
            fmt: url_for("registry.teams_export", fmt=fmt, **filters.as_args())
            for fmt in ("xlsx", "csv")
        }
    if not is_htmx():
        context.update(_filter_options(filters))
    return render_page_or_fragment(
        "registry/teams/index.html",
        "registry/teams/_results.html",
        rows_template="registry/teams/_team_rows.html",
        **context,
    )


def _filter_options(filters: TeamFilters) -> dict:
    """The units offered in the filter: the user's own children, and the chosen unit's."""
    if current_user.is_admin:
        top = None
        children = select(Unit).where(Unit.parent_id.is_(None))
    else:
        top = current_user.unit
        children = select(Unit).where(Unit.parent_id == top.id)
    options = list(
        db.session.scalars(
            children.where(Unit.valid_to.is_(None)).order_by(Unit.name_folded).limit(MAX_CHOICES)
        )
    )
    chosen = db.session.get(Unit, filters.unit) if filters.unit else None
    if chosen is not None and not in_scope(current_user, chosen.id):
        chosen = None
    below = []
    if chosen is not None and chosen.level < Level.VILLAGE and chosen not in options:
        below = list(
            db.session.scalars(
                select(Unit)
                .where(Unit.parent_id == chosen.id, Unit.valid_to.is_(None))
                .order_by(Unit.name_folded)
                .limit(MAX_CHOICES)
            )
        )
    addable = chosen if chosen is not None and chosen.level >= Level.COMMUNE else None
    return {
        "scope_name": top.name if top else "toàn quốc",
        "unit_options": options,
        "chosen_unit": chosen if chosen is not None and chosen not in options else None,
        "below_options": below,
        "create_url": url_for("registry.team_create", unit=addable.id if addable else None),
        "can_add": current_user.role in permissions.EDITORS,
        "issue_labels": ISSUE_LABELS,
        "sort_labels": TEAM_SORT_LABELS,
        "status_choices": STATUS_CHOICES,
    }


def unit_from_request() -> Unit | None:
    """The unit a new record goes to: the posted village, else ?unit= (404 when unknown)."""
    raw = request.args.get("unit")
    if request.method == "POST":
        raw = request.form.get("unit") or raw
    if not raw:
        return None
    unit = db.session.get(Unit, parse_id(raw)) if parse_id(raw) else None
    if unit is None:
        abort(404)
    require_in_scope(current_user, unit.id)
    return unit


def commune_of_unit(unit: Unit) -> Unit:
    """A commune, or the commune of a village; 404 for any other unit."""
    if unit.level == Level.COMMUNE:
        return unit
    if unit.level == Level.VILLAGE:
        for ancestor in ancestors(unit.id):
            if ancestor.level == Level.COMMUNE:
                return ancestor
    abort(404)


def own_commune() -> Unit | None:
    """Commune staff work in their commune; others choose one."""
    unit = current_user.unit
    if unit.level in (Level.COMMUNE, Level.VILLAGE):
        return commune_of_unit(unit)
    return None


def choose_commune(endpoint: str, title: str, back: str):
    """The step before a form for officers and admins: which commune (GET ?q=, the text of
    a unit field with suggestions from units.lookup)."""
    error = None
    typed = request.args.get("q")
    if typed is not None:
        unit, error = find_unit_by_reference(typed)
        if unit is not None and not in_scope(current_user, unit.id):
            unit, error = None, "Không tìm thấy xã này trong phạm vi của bạn."
        elif unit is not None and unit.level not in (Level.COMMUNE, Level.VILLAGE):
            unit, error = None, "Hãy chọn một xã, phường, thị trấn."
        if unit is not None:
            return redirect(url_for(endpoint, unit=unit.id), 303)
    body = render_template(
        "registry/teams/choose_commune.html",
        endpoint=endpoint,
        title=title,
        back=back,
        typed=typed or "",
        error=error,
    )
    return body, 422 if error else 200


def _village_choices(commune: Unit) -> tuple[dict[int, Unit], list]:
    """The current villages of a commune (or the commune itself when it has none)."""
    villages = list(
        db.session.scalars(
            select(Unit)
            .where(
                Unit.parent_id == commune.id,
                Unit.level == Level.VILLAGE,
                Unit.valid_to.is_(None),
            )
            .order_by(Unit.name_folded, Unit.id)
        )
    )
    if not villages:
        return {commune.id: commune}, [(commune.id, f"{commune.name} (xã không chia thôn, bản)")]
    counts = dict(
        db.session.execute(
            select(Team.unit_id, func.count())
            .where(Team.commune_id == commune.id, Team.dissolved_on.is_(None))
            .group_by(Team.unit_id)
        ).all()
    )
    pairs = [("", "— Chọn thôn, bản —")]
    for village in villages:
        n = counts.get(village.id)
        pairs.append((village.id, f"{village.name} (đã có {n} tổ)" if n else village.name))
    return {v.id: v for v in villages}, pairs


@bp.route("/teams/new", methods=["GET", "POST"], endpoint="team_create")
def team_create():
    """Add a team to a village of a commune; commune staff, officers and admins in scope."""
    unit = unit_from_request()
    commune = commune_of_unit(unit) if unit is not None else own_commune()
    if commune is None:
        return choose_commune("registry.team_create", "Thêm tổ hòa giải", "registry.teams")
    if not permissions.can_add_in_unit(current_user, commune):
        abort(403)
    places, pairs = _village_choices(commune)
    preselected = unit.id if unit is not None and unit.id in places else None
    if len(places) == 1:
        preselected = next(iter(places))
    form = TeamCreateForm(unit=str(preselected) if preselected else "")
    form.unit.choices = choices(pairs)
    if form.validate_on_submit():
        try:
            team = create_team(unit=places[int(form.unit.data)], **form.values())
        except RegistryError as error:
            db.session.rollback()
            form[error.field if error.field in form else "unit"].errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Đã thêm {team.name}.", "success")
            return redirect(url_for("registry.team_detail", team_id=team.id), 303)
    status = 422 if form.is_submitted() else 200
    page = render_template("registry/teams/form.html", form=form, team=None, commune=commune)
    return page, status


@bp.get("/teams/<int:team_id>", endpoint="team_detail")
def team_detail(team_id: int):
    """A team: compliance in words, its mediators, former members, supporters, decision."""
    team = load_team(team_id)
    return render_template("registry/teams/detail.html", **_detail_context(team))


def _detail_context(team: Team) -> dict:
    # The supporters section belongs to routes/supporters.py, which imports this module; the
    # logbook's rate to app/logbook/routes/rates.py, which imports it too.
    from app.commendations.services.nominees import nominee_context
    from app.logbook.routes.rates import team_rate_summary
    from app.registry.routes.supporters import supports_context

    path = ancestors(team.unit_id)
    members = list(
        db.session.scalars(
            select(Mediator)
            .where(Mediator.team_id == team.id, Mediator.status == "active")
            .order_by(
                case((Mediator.role == "leader", 0), else_=1), Mediator.name_folded, Mediator.id
            )
        )
    )
    can_manage = permissions.can_manage(current_user, team)
    return {
        "team": team,
        "path": path,
        "members": members,
        "leader": next((m for m in members if m.is_leader), None),
        "former": _former_members(team),
        "can_manage": can_manage,
        "today": today(),
        "add_mediator_url": (
            url_for("registry.mediator_create", team=team.id)
            if can_manage and team.is_active
            else None
        ),
        "logbook": team_rate_summary(team, path),
        **supports_context(team),
        **nominee_context(current_user, can_manage, team_id=team.id),
    }


def _former_members(team: Team, limit: int = 100) -> list[dict]:
    """Membership periods in this team that ended, of people no longer active in it."""
    still_here = (Mediator.team_id == team.id) & (Mediator.status == "active")
    rows = db.session.execute(
        select(TeamMembership, Mediator)
        .join(Mediator, Mediator.id == TeamMembership.mediator_id)
        .where(
            TeamMembership.team_id == team.id,
            TeamMembership.end_date.is_not(None),
            ~still_here,
        )
        .order_by(TeamMembership.end_date.desc(), TeamMembership.id.desc())
        .limit(limit)
    ).all()
    now_in = {m.team_id for _, m in rows if m.is_active and m.team_id != team.id}
    names = (
        dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(now_in))).all())
        if now_in
        else {}
    )
    return [
        {"period": period, "mediator": mediator, "now_in": names.get(mediator.team_id)}
        for period, mediator in rows
    ]


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"], endpoint="team_edit")
def team_edit(team_id: int):
    """Edit a team's name, decision, dissolution date and note; editors in scope."""
    team = load_managed_team(team_id)
    form = TeamEditForm(obj=team)
    status = save_edit(
        team,
        form,
        lambda: update_team(team, form.values()),
        rule_error=RegistryError,
        show=lambda error: show_error(form, error.field or "name", str(error)),
    )
    if status is None:
        flash(f"Đã lưu {team.name}.", "success")
        return redirect(url_for("registry.team_detail", team_id=team.id), 303)
    page = render_template("registry/teams/form.html", form=form, team=team, commune=None)
    return page, status
