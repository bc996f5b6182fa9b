"""Loading contest objects for a route: load → authorize (STYLE.md "A request"), and a
refusal with its reason. Forms run through a service with app.concurrency.run_form."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app.contests import permissions
from app.contests.models import (
    Contest,
    ContestEntry,
    ContestJudge,
    ContestPart,
    ContestRound,
    ScoreSheet,
)
from app.contests.services import judging
from app.extensions import db
from app.security.scope import OutOfScope


def load_contest(contest_id: int, may=None) -> Contest:
    """The contest, 404 when missing or not visible to the user, 403 when ``may`` says no."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404)
    _authorize(contest, may)
    return contest


def load_round(round_id: int, may=None) -> ContestRound:
    """A round and its contest (joined), authorized on the contest."""
    round_ = db.session.get(ContestRound, round_id)
    if round_ is None:
        abort(404)
    _authorize(round_.contest, may)
    return round_


def load_part(part_id: int, may=None) -> ContestPart:
    """A part, authorized on its round's contest."""
    part = db.session.get(ContestPart, part_id)
    if part is None:
        abort(404)
    _authorize(part.round.contest, may)
    return part


def load_entry(entry_id: int, may=None) -> tuple[ContestEntry, Contest]:
    """An entry and its contest, authorized on the contest."""
    entry = db.session.get(ContestEntry, entry_id)
    if entry is None:
        abort(404)
    contest = db.session.get(Contest, entry.contest_id)
    _authorize(contest, may)
    return entry, contest


def _authorize(contest: Contest, may) -> None:
    """Not visible → 404 (logged as out of scope); visible but ``may(user, contest)`` false → 403.
    A ``may`` that is true lets a user through who does not otherwise see the contest (judges)."""
    if may is not None and may(current_user, contest):
        return
    if not permissions.can_view(current_user, contest):
        raise OutOfScope()
    if may is not None:
        abort(403)


# Judges reach a round through their seat on its panel, never through the contest's pages.


def load_seat(round_id: int) -> tuple[ContestRound, ContestJudge]:
    """The round and the user's seat on its panel (404 when they have none)."""
    round_ = db.session.get(ContestRound, round_id)
    if round_ is None:
        abort(404)
    seat = permissions.judge_seat(current_user, round_id)
    if seat is None:
        raise OutOfScope()
    return round_, seat


def load_assignment(part_id: int, entry_id: int) -> tuple[ContestJudge, ContestPart, ContestEntry]:
    """The user's seat, the part and the entry of a sheet: 404 outside their assignments,
    403 on a conflict of interest; an undeclared judge goes to the declaration first."""
    part = db.session.get(ContestPart, part_id)
    entry = db.session.get(ContestEntry, entry_id)
    if part is None or entry is None:
        abort(404)
    _, seat = load_seat(part.round_id)
    try:
        judging.require_assigned(seat, entry, part)
    except judging.NotAssigned:
        raise OutOfScope() from None
    except judging.ConflictOfInterest as error:
        refuse(str(error))
    if seat.declared_at is None:
        if request.method == "GET":
            flash(judging.NOT_DECLARED_MESSAGE, "warning")
            abort(redirect(url_for("contests.declare", round_id=seat.round_id), 303))
        refuse(judging.NOT_DECLARED_MESSAGE)
    return seat, part, entry


def load_head_seat(round_id: int) -> tuple[ContestRound, ContestJudge]:
    """The round and the user's seat as its head judge (403 for the other judges)."""
    round_, seat = load_seat(round_id)
    if not seat.is_head:
        refuse("Trang này dành cho Trưởng Ban Giám khảo của vòng thi.")
    return round_, seat


def load_head_sheet(sheet_id: int) -> tuple[ScoreSheet, ContestRound]:
    """A score sheet and its round, for the round's head judge."""
    sheet = db.session.get(ScoreSheet, sheet_id)
    if sheet is None:
        abort(404)
    round_, _ = load_head_seat(sheet.round_id)
    return sheet, round_


def refuse(message: str):
    """403 with its reason in Vietnamese (shown and logged like every other 403)."""
    abort(403, message)
