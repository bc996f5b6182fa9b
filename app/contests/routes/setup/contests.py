"""The list of contests, a contest's page, its rules, status and prize table."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.concurrency import run_form, save_versioned
from app.contests import bp, permissions, rules
from app.contests.forms.setup import (
    ContestForm,
    PrizesForm,
    TransitionForm,
    contest_data,
    prizes_data,
)
from app.contests.models import STATUS_LABELS, STATUS_ORDER, Contest
from app.contests.routes import load_contest
from app.contests.services import ContestError, words
from app.contests.services import setup as services
from app.contests.services.lookups import unit_names
from app.extensions import db
from app.forms import parse_id
from app.htmx import render_page_or_fragment
from app.units.models import Level, Unit

# A contest list stays short (a few a year per unit): one page, bounded.
LIST_LIMIT = 200
CONTEST_LEVEL_OF_UNIT = {
    Level.PROVINCE: "province",
    Level.DISTRICT: "district",
    Level.COMMUNE: "commune",
}
INVALID = "Yêu cầu không hợp lệ; tải lại trang."


@bp.get("/", endpoint="index")
def index():
    """The contests the user sees, newest year first, filtered by year and status; readers."""
    year = parse_id(request.args.get("year"))
    status = request.args.get("status") or ""
    stmt = permissions.visible_contests(select(Contest), current_user)
    if year:
        stmt = stmt.where(Contest.year == year)
    if status in STATUS_LABELS:
        stmt = stmt.where(Contest.status == status)
    contests = list(
        db.session.scalars(stmt.order_by(Contest.year.desc(), Contest.id.desc()).limit(LIST_LIMIT))
    )
    this_year = today().year
    return render_page_or_fragment(
        "contests/index.html",
        "contests/setup/_contest_list.html",
        contests=contests,
        units=unit_names(c.unit_id for c in contests),
        year=year,
        status_filter=status if status in STATUS_LABELS else "",
        years=range(this_year + 1, this_year - 10, -1),
        statuses=STATUS_LABELS,
        limited=len(contests) == LIST_LIMIT,
        can_create=current_user.role in permissions.ORGANISER_ROLES,
    )


@bp.route("/new", methods=["GET", "POST"], endpoint="create")
def create():
    """A new contest (draft) organised by the user's unit or one below it; organisers."""
    own = db.session.get(Unit, current_user.unit_id)
    level = CONTEST_LEVEL_OF_UNIT.get(Level(own.level), "commune")
    form = ContestForm(data=contest_data(unit=own, level=level, year=today().year))
    del form.version
    contest, status = run_form(
        form, lambda: services.create_contest(form.unit.unit, form.values(), current_user)
    )
    if status is None:
        flash(f"Đã tạo {contest.name}. Tiếp theo: thêm vòng thi và phần thi.", "success")
        return redirect(url_for("contests.detail", contest_id=contest.id), 303)
    return render_template("contests/setup/contest_form.html", form=form, contest=None), status


@bp.get("/<int:contest_id>", endpoint="detail")
def detail(contest_id: int):
    """A contest's page: its rules in words, amendments, rounds and parts, and the links of
    each step for those who may take it; readers of the contest (not judges)."""
    contest = load_contest(contest_id)
    return render_template("contests/detail.html", **detail_context(contest))


def detail_context(contest: Contest, errors: list[str] | None = None) -> dict:
    """Everything the contest's page shows (services.contest_overview) and how it words it."""
    board = permissions.can_manage(current_user, contest)
    return {
        "contest": contest,
        **services.contest_overview(contest, board),
        "can_manage": board,
        "can_register": permissions.can_register(current_user, contest),
        "errors": errors or [],
        "penalty_words": words.part_penalty_words,
        "duration_words": words.duration_words,
        "composition": words.composition_words(contest),
        "tie_breaks": words.tie_break_words(contest.tie_break_keys),
        "places_label": words.PLACES_LABELS.get(contest.places, str(contest.places)),
        "status_labels": STATUS_LABELS,
        "status_index": STATUS_ORDER.index(contest.status) if contest.status in STATUS_ORDER else 0,
        "aggregations": rules.AGGREGATIONS,
        "roundings": rules.ROUNDING_MODES,
        "part_kinds": rules.PART_KINDS,
        "contest_mark": rules.format_mark,
    }


def refused_on_page(contest: Contest, error: ContestError):
    """The contest's page again, with why the action was refused (422, nothing changed)."""
    db.session.rollback()
    messages = [message for _, message in error.errors]
    return render_template("contests/detail.html", **detail_context(contest, messages)), 422


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"], endpoint="edit")
def edit(contest_id: int):
    """Edit a contest's name, note and rules (an amendment with a reason once frozen); the
    board. A stale form gets 409."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    form = ContestForm(data=contest_data(contest))
    del form.unit
    status = save_versioned(
        contest,
        form,
        lambda: services.update_contest(
            contest, form.values(), current_user, form.amendment_reason.data
        ),
    )
    if status is None:
        flash(f"Đã lưu {contest.name}.", "success")
        return redirect(url_for("contests.detail", contest_id=contest.id), 303)
    page = render_template("contests/setup/contest_form.html", form=form, contest=contest)
    return page, status


@bp.post("/<int:contest_id>/transition", endpoint="transition")
def transition(contest_id: int):
    """Move the contest to its next status (form: to=<status>); the board. A refusal shows
    the contest's page with the reason (422)."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    form = TransitionForm()
    if not form.validate_on_submit():
        return refused_on_page(contest, ContestError(INVALID, "to"))
    try:
        services.change_status(contest, form.to.data or "", current_user)
    except ContestError as error:
        return refused_on_page(contest, error)
    done = services.TRANSITION_DONE[contest.status]
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("contests.detail", contest_id=contest_id), 303)


@bp.route("/<int:contest_id>/prizes", methods=["GET", "POST"], endpoint="prizes")
def prizes(contest_id: int):
    """The prize table: rank prizes in order and side prizes; the board (an amendment once
    frozen). "Thêm giải" adds a row without saving."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    form = PrizesForm(data=prizes_data(contest, services.contest_prizes(contest.id)))
    added, status = False, 200
    if request.method == "POST" and "add_row" in request.form:
        added = form.add_row()
    else:
        status = save_versioned(
            contest,
            form,
            lambda: services.save_prizes(
                contest, form.values(), current_user, form.amendment_reason.data
            ),
        )
    if status is None:
        flash("Đã lưu cơ cấu giải thưởng.", "success")
        return redirect(url_for("contests.detail", contest_id=contest_id, _anchor="prizes"), 303)
    page = render_template("contests/setup/prizes.html", contest=contest, form=form, added=added)
    return page, status
