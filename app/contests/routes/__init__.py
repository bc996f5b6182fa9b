"""Loading contest objects for a route: load → authorize (STYLE.md "A request")."""

from flask import abort
from flask_login import current_user

from app.contests import permissions
from app.contests.models import Contest, ContestEntry, ContestPart, ContestRound
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
    part = db.session.get(ContestPart, part_id)
    if part is None:
        abort(404)
    _authorize(part.round.contest, may)
    return part


def load_entry(entry_id: int, may=None) -> tuple[ContestEntry, Contest]:
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
