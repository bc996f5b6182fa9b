"""What a contest's page shows of its setup: rounds with their parts, prizes, amendments,
how far each round has come and, for the board, what is still missing."""

from sqlalchemy import func, select

from app.contests.models import (
    Contest,
    ContestAmendment,
    ContestJudge,
    ContestRoundEntry,
    ResultSnapshot,
)
from app.contests.services.lookups import contest_prizes, contest_rounds, parts_of_rounds
from app.contests.services.setup.status import next_statuses, setup_problems
from app.extensions import db
from app.units.models import Unit
from app.users.models import User


def contest_overview(contest: Contest, board: bool) -> dict:
    """The contest page's data by name (a fixed number of queries); ``board``: with the
    counts, status changes and setup problems only the board sees."""
    rounds = contest_rounds(contest.id)
    round_ids = [r.id for r in rounds] or [0]
    parts = {r.id: [] for r in rounds}
    for part in parts_of_rounds(round_ids):
        parts[part.round_id].append(part)
    amendments = db.session.execute(
        select(ContestAmendment, User.full_name)
        .outerjoin(User, User.id == ContestAmendment.user_id)
        .where(ContestAmendment.contest_id == contest.id)
        .order_by(ContestAmendment.at.desc(), ContestAmendment.id.desc())
    ).all()
    return {
        "organiser": db.session.get(Unit, contest.unit_id),
        "rounds": rounds,
        "parts": parts,
        "last_round_id": rounds[-1].id if rounds else None,
        "prizes": contest_prizes(contest.id),
        "amendments": amendments,
        "published": _counts(ResultSnapshot.round_id, round_ids),
        "entry_counts": _counts(ContestRoundEntry.round_id, round_ids) if board else {},
        "judge_counts": _counts(ContestJudge.round_id, round_ids) if board else {},
        "next_statuses": next_statuses(contest) if board else [],
        "setup_problems": (
            setup_problems(contest) if board and contest.status in ("draft", "registration") else []
        ),
    }


def _counts(column, round_ids: list[int]) -> dict[int, int]:
    """Rows per round of a table (snapshots, entries, judges), one query."""
    return dict(
        db.session.execute(
            select(column, func.count()).where(column.in_(round_ids)).group_by(column)
        ).all()
    )
