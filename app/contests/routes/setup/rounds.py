"""A contest's rounds and their parts: adding and editing them, opening a round for scoring,
deleting a part entered by mistake."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.concurrency import run_form, save_versioned
from app.contests import bp, permissions, rules
from app.contests.forms.parts import PartForm, part_data
from app.contests.forms.setup import ConfirmForm, RoundForm, round_data
from app.contests.routes import load_contest, load_part, load_round
from app.contests.routes.setup.contests import INVALID, refused_on_page
from app.contests.services import ContestError
from app.contests.services import setup as services
from app.contests.services.lookups import round_parts
from app.extensions import db


@bp.route("/<int:contest_id>/rounds/new", methods=["GET", "POST"], endpoint="round_create")
def round_create(contest_id: int):
    """Add a round after the last one, copying its parts and criteria; the board."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    previous = (services.contest_rounds(contest.id) or [None])[-1]
    form = RoundForm(data={"kind": "final" if previous else "preliminary"})
    del form.version
    round_, status = run_form(
        form,
        lambda: services.create_round(
            contest, form.values(), current_user, form.amendment_reason.data
        ),
    )
    if status is None:
        flash(f"Đã thêm {round_.name}.", "success")
        return redirect(url_for("contests.detail", contest_id=contest_id), 303)
    parts = round_parts(previous.id) if previous else []
    return _round_page(form, contest, None, previous, parts, status)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"], endpoint="round_edit")
def round_edit(round_id: int):
    """Edit a round's name, kind, date, venue and advance count; the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    form = RoundForm(data=round_data(round_))
    status = save_versioned(
        round_,
        form,
        lambda: services.update_round(
            round_, form.values(), current_user, form.amendment_reason.data
        ),
    )
    if status is None:
        flash(f"Đã lưu {round_.name}.", "success")
        return redirect(url_for("contests.detail", contest_id=round_.contest_id), 303)
    return _round_page(form, round_.contest, round_, None, [], status)


def _round_page(form, contest, round_, previous, previous_parts, status):
    page = render_template(
        "contests/setup/round_form.html",
        form=form,
        contest=contest,
        round=round_,
        previous=previous,
        previous_parts=previous_parts,
    )
    return page, status


@bp.post("/rounds/<int:round_id>/open", endpoint="round_open")
def round_open(round_id: int):
    """Open a round for scoring (needs the contest in judging, entries and judges); the
    board. A refusal shows the contest's page with the reasons (422)."""
    round_ = load_round(round_id, may=permissions.can_manage)
    contest = round_.contest
    if not ConfirmForm().validate_on_submit():
        return refused_on_page(contest, ContestError(INVALID))
    try:
        services.open_round(round_)
    except ContestError as error:
        return refused_on_page(contest, error)
    name = round_.name
    db.session.commit()
    flash(f"Đã mở chấm {name}: giám khảo chấm được từ bây giờ.", "success")
    return redirect(url_for("contests.detail", contest_id=contest.id), 303)


# Parts


@bp.route("/rounds/<int:round_id>/parts/new", methods=["GET", "POST"], endpoint="part_create")
def part_create(round_id: int):
    """Add a part to a round, with its criteria and penalty rule; the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    form = PartForm(data=part_data())
    del form.version
    if request.method == "POST" and "add_criterion" in request.form:
        return _part_page(form, round_, None, added=form.add_criterion_row())
    part, status = run_form(
        form,
        lambda: services.create_part(
            round_, form.values(), current_user, form.amendment_reason.data
        ),
    )
    if status is None:
        flash(f"Đã thêm phần thi {part.name}.", "success")
        return redirect(_round_anchor(round_), 303)
    return _part_page(form, round_, None, status=status)


@bp.route("/parts/<int:part_id>/edit", methods=["GET", "POST"], endpoint="part_edit")
def part_edit(part_id: int):
    """Edit a part, its criteria and penalty rule; the board. A stale form gets 409."""
    part = load_part(part_id, may=permissions.can_manage)
    round_ = part.round
    form = PartForm(data=part_data(part))
    if request.method == "POST" and "add_criterion" in request.form:
        return _part_page(form, round_, part, added=form.add_criterion_row())
    status = save_versioned(
        part,
        form,
        lambda: services.update_part(part, form.values(), current_user, form.amendment_reason.data),
    )
    if status is None:
        flash(f"Đã lưu phần thi {part.name}.", "success")
        return redirect(_round_anchor(round_), 303)
    return _part_page(form, round_, part, status=status)


def _round_anchor(round_) -> str:
    """The round's section of the contest's page."""
    return url_for("contests.detail", contest_id=round_.contest_id, _anchor=f"round-{round_.id}")


def _part_page(form, round_, part, status=200, added=False):
    page = render_template(
        "contests/setup/part_form.html",
        form=form,
        round=round_,
        contest=round_.contest,
        part=part,
        added=added,
        step=rules.format_mark(round_.contest.step),
    )
    return page, status


@bp.post("/parts/<int:part_id>/delete", endpoint="part_delete")
def part_delete(part_id: int):
    """Delete a part entered by mistake (not once the rules are frozen or anything was
    recorded for it); the board."""
    part = load_part(part_id, may=permissions.can_manage)
    contest = part.round.contest
    if not ConfirmForm().validate_on_submit():
        return refused_on_page(contest, ContestError(INVALID))
    name = part.name
    try:
        services.delete_part(part)
    except ContestError as error:
        return refused_on_page(contest, error)
    db.session.commit()
    flash(f"Đã xóa phần thi {name}.", "success")
    return redirect(url_for("contests.detail", contest_id=contest.id), 303)
