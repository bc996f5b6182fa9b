"""Cases of the logbook: the list with its success rate, a case, fast entry from the paper
book, corrections, deletion of a case entered by mistake, the export, and a team's book for
a year (DOMAIN.md §4). Every route loads, then authorizes (permissions.py), then acts."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record_read
from app.clock import today
from app.concurrency import StaleEdit, check_version
from app.extensions import db
from app.forms import parse_id
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.logbook import bp, permissions, services
from app.logbook.export import ENTRIES
from app.logbook.forms.entries import EntryEditForm, EntryForm, initial_data
from app.logbook.lists import (
    ENTRY_KEYS,
    RESULT_FILTERS,
    EntryFilters,
    entry_list,
    list_target,
    spans_communes,
    team_options,
    team_places,
)
from app.logbook.models import LogbookEntry, LogbookMediator
from app.logbook.queries import list_tally
from app.logbook.routes import load
from app.logbook.rules import (
    MAX_PARTIES,
    SCOPE_LABELS,
)
from app.pagination import keyset_page
from app.registry.models import Mediator, Team
from app.registry.routes.exports import export_list
from app.registry.routes.mediators import unit_options
from app.registry.routes.teams import choose_commune, commune_of_unit, own_commune
from app.security.scope import require_in_scope
from app.units.models import Unit
from app.units.services import ancestors

# A row carries a team, its village and commune, an excerpt and badges: 20 rows keep the
# "load more" fragment under 15 KB on the slow links of communes (QUALITY.md P8).
PAGE_SIZE = 20
YEARS_OFFERED = 10
DUPLICATE_NUMBER = (
    "Số thứ tự này vừa được dùng cho một vụ việc khác của tổ trong cùng năm (có thể do người "
    "khác vừa lưu). Hãy nhập số khác."
)


# The list


@bp.get("/", endpoint="index")
def index():
    """The cases of the user's subtree, newest received first, with the filters' tally; readers."""
    filters = EntryFilters.from_args(request.args)
    listed = entry_list(current_user, filters)
    per_page = current_app.config.get("LOGBOOK_PAGE_SIZE", PAGE_SIZE)
    page = keyset_page(listed.stmt(), ENTRY_KEYS, request.args.get("after"), per_page)
    context = {
        "page": page,
        "filters": filters,
        "places": team_places(e.team_id for e in page.items),
        "show_commune": spans_communes(current_user, listed),
    }
    if not (htmx_target() or "").endswith(MORE_SUFFIX):
        context.update(
            tally=list_tally(current_user, listed, filters),
            target=list_target(current_user, listed),
            export_urls={
                fmt: url_for("logbook.export", fmt=fmt, **filters.as_args())
                for fmt in ("xlsx", "csv")
            },
        )
        # The unit and team choices depend on the unit chosen: a fragment carries them only
        # when it changed, since a province's communes alone would weigh several KB (P8).
        shown = request.args.get("shown_unit")
        if not is_htmx() or shown is None or shown != (request.args.get("unit") or ""):
            context.update(
                unit_options=unit_options(filters.unit),
                team_options=team_options(current_user, listed),
            )
    if not is_htmx():
        this_year = today().year
        context.update(
            years=range(this_year, this_year - YEARS_OFFERED, -1),
            result_filters=RESULT_FILTERS,
            scope_labels=SCOPE_LABELS,
            can_keep=current_user.role in permissions.KEEPERS,
        )
    return render_page_or_fragment(
        "logbook/entries/index.html",
        "logbook/entries/_fragment.html",
        rows_template="logbook/entries/_entry_rows.html",
        **context,
    )


@bp.get("/export.<any(xlsx, csv):fmt>", endpoint="export")
def export(fmt: str):
    """The filtered list, every row, without the parties' names and addresses; readers."""
    return export_list(ENTRIES, fmt)


# A case


@bp.get("/entries/<int:entry_id>", endpoint="detail")
def detail(entry_id: int):
    """A case with every field; the parties' names only for the commune and its supervising
    officers, and each such reading is recorded (Decree 13/2023/NĐ-CP); readers in scope."""
    entry = load(LogbookEntry, entry_id)
    parties = None
    if permissions.can_read_parties(current_user, entry):
        record_personal_data_read(entry, "Xem")
        parties = services.entry_parties(entry)
    team = db.session.get(Team, entry.team_id)
    page = render_template(
        "logbook/entries/detail.html",
        entry=entry,
        team=team,
        path=ancestors(team.unit_id),
        mediators=_mediators_of(entry),
        parties=parties,
        can_keep=permissions.can_keep(current_user, entry),
        payment_url=(
            url_for("logbook.payment_detail", payment_id=entry.payment_id)
            if entry.is_paid
            else None
        ),
    )
    return page


def record_personal_data_read(entry: LogbookEntry, verb: str) -> None:
    """One audit row per reading of a case's parties; the summary names nobody."""
    record_read(
        f"{verb} họ tên, tuổi, địa chỉ các bên của vụ việc số {entry.reference} "
        f"(mã vụ việc {entry.id})",
        object_type="LogbookEntry",
        object_id=entry.id,
    )


def _mediators_of(entry: LogbookEntry) -> list[Mediator]:
    return list(
        db.session.scalars(
            select(Mediator)
            .join(LogbookMediator, LogbookMediator.mediator_id == Mediator.id)
            .where(LogbookMediator.entry_id == entry.id)
            .order_by(LogbookMediator.id)
        )
    )


# Fast entry


@bp.route("/entries/new", methods=["GET", "POST"], endpoint="create")
def create():
    """Copy a case from a team's paper book (?team=); without a team, choose one (officers
    choose a commune first); commune staff and officers in scope."""
    if request.args.get("team") is not None:
        team_id = parse_id(request.args.get("team"))
        if team_id is None:
            abort(404)
        return _entry_form(load(Team, team_id, keep=True))
    if request.method == "POST":
        abort(404)
    commune = _commune_from_request()
    if commune is None:
        return choose_commune("logbook.create", "Nhập vụ việc hòa giải", "logbook.index")
    teams = list(
        db.session.scalars(
            select(Team)
            .where(Team.commune_id == commune.id, Team.dissolved_on.is_(None))
            .order_by(Team.name_folded, Team.id)
        )
    )
    return render_template("logbook/entries/choose_team.html", commune=commune, teams=teams)


def _commune_from_request() -> Unit | None:
    """?unit= (a commune or a village in scope, 404 otherwise), else the user's own commune."""
    raw = request.args.get("unit")
    if raw is None:
        return own_commune()
    unit = db.session.get(Unit, parse_id(raw)) if parse_id(raw) else None
    if unit is None:
        abort(404)
    require_in_scope(current_user, unit.id)
    return commune_of_unit(unit)


def _entry_form(team: Team):
    form = EntryForm()
    if not form.is_submitted():
        year = _year_arg(request.args.get("year"))
        form.number.data = services.next_number(team.id, year)
        page_number = parse_id(request.args.get("page"))
        form.page_number.data = page_number
        return _render_form(form, team)
    if "add_party" in request.form:
        return _render_form(form, team, added=form.add_party_row())
    if form.validate_on_submit():
        try:
            entry = services.create_entry(team, form.values())
            db.session.flush()
        except services.LogbookError as error:
            db.session.rollback()
            problems = form.show_errors(error.errors)
        except IntegrityError as error:
            problems = _duplicate_number(form, error)
        else:
            reference, page_number = entry.reference, entry.page_number
            year = entry.year
            db.session.commit()
            flash(f"Đã lưu vụ việc số {reference}", "success")
            if request.form.get("save") == "next":
                next_page = page_number + 1 if page_number else None
                url = url_for("logbook.create", team=team.id, year=year, page=next_page)
            else:
                url = url_for("logbook.team_book", team_id=team.id, year=year)
            return redirect(url, 303)
    else:
        problems = {}
    return _render_form(form, team, status=422, problems=problems)


def _year_arg(raw: str | None) -> int:
    """The book's year asked for in the URL, if plausible; else this year."""
    this_year = today().year
    year = parse_id(raw)
    return year if year is not None and 2000 <= year <= this_year else this_year


def _duplicate_number(form, error: IntegrityError) -> dict:
    """Two people saved the same number at once: the database refused the second."""
    db.session.rollback()
    text = str(error.orig)
    if "uq_logbook_entries_number" not in text and "logbook_entries.number" not in text:
        raise error
    form.number.errors = [*form.number.errors, DUPLICATE_NUMBER]
    return {}


def _render_form(form, team, status=200, problems=None, added=False, entry=None):
    """The form page (also re-rendered with one more party row, or with errors)."""
    commune = db.session.get(Unit, team.commune_id) if team.commune_id else None
    village = db.session.get(Unit, team.unit_id)
    mediators = services.mediator_choices(team, entry)
    page = render_template(
        "logbook/entries/form.html",
        form=form,
        team=team,
        entry=entry,
        place=", ".join(
            u.name
            for u in dict.fromkeys((village, commune))
            if u is not None and u.name not in team.name
        ),
        mediators=mediators,
        team_names=_team_names({m.team_id for m in mediators} - {team.id}),
        problems=problems or {},
        added=added,
        max_parties=MAX_PARTIES,
        today=today(),
    )
    return page, status


def _team_names(team_ids: set[int]) -> dict[int, str]:
    if not team_ids:
        return {}
    return dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())


# Corrections and deletion


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"], endpoint="edit")
def edit(entry_id: int):
    """Correct a case, its parties and its mediators; keepers in scope. A stale form is 409."""
    entry = load(LogbookEntry, entry_id, keep=True)
    team = db.session.get(Team, entry.team_id)
    if request.method != "POST":
        form = EntryEditForm(data=initial_data(entry))
        record_personal_data_read(entry, "Mở biểu mẫu sửa, có")
        return _render_form(form, team, entry=entry)
    form = EntryEditForm()
    if "add_party" in request.form:
        return _render_form(form, team, entry=entry, added=form.add_party_row())
    status, problems = 422, {}
    if form.validate_on_submit():
        try:
            check_version(entry, form.version.data)
            if form.number.data is None:
                raise services.LogbookError("Nhập số thứ tự của vụ việc.", "number")
            services.update_entry(entry, form.values())
            db.session.flush()
        except StaleEdit as error:
            db.session.rollback()
            form.form_errors.append(error.description)
            status = 409
        except services.LogbookError as error:
            db.session.rollback()
            problems = form.show_errors(error.errors)
        except IntegrityError as error:
            problems = _duplicate_number(form, error)
        else:
            reference = entry.reference
            db.session.commit()
            flash(f"Đã lưu vụ việc số {reference}", "success")
            return redirect(url_for("logbook.detail", entry_id=entry_id), 303)
    return _render_form(form, team, status=status, problems=problems, entry=entry)


@bp.post("/entries/<int:entry_id>/delete", endpoint="delete")
def delete(entry_id: int):
    """Delete a case entered by mistake (not once paid); keepers in scope."""
    entry = load(LogbookEntry, entry_id, keep=True)
    team_id, year, reference = entry.team_id, entry.year, entry.reference
    try:
        services.delete_entry(entry)
    except services.LogbookError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("logbook.detail", entry_id=entry_id), 303)
    db.session.commit()
    flash(f"Đã xóa vụ việc số {reference}.", "success")
    return redirect(url_for("logbook.team_book", team_id=team_id, year=year), 303)
