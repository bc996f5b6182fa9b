"""The winners of a contest once its last round is published: the rank prizes of the final
ranking, then the side awards, in the order certificates are numbered."""

from dataclasses import dataclass

from sqlalchemy import select

from app.contests.models import Contest, ContestAward, ContestPrize, ResultSnapshot
from app.contests.services import ContestError
from app.contests.services.lookups import last_round
from app.contests.services.results.snapshots import latest_snapshot, snapshot_data
from app.extensions import db

NOT_PUBLISHED = (
    "Chưa công bố kết quả vòng thi cuối cùng: chỉ trao giải, cấp giấy chứng nhận và đề nghị "
    "khen thưởng sau khi công bố."
)
CLOSED = "Hội thi đã kết thúc: không thay đổi giải thưởng được nữa."
PRIZE_NAME_LENGTH = 100


def final_snapshot(contest: Contest) -> ResultSnapshot | None:
    """The latest published ranking of the contest's last round (None before it is published)."""
    round_ = last_round(contest)
    return latest_snapshot(round_.id) if round_ is not None else None


def require_final_snapshot(contest: Contest) -> ResultSnapshot:
    """The final ranking; ContestError while the last round is not published."""
    snapshot = final_snapshot(contest)
    if snapshot is None:
        raise ContestError(NOT_PUBLISHED)
    return snapshot


@dataclass(frozen=True)
class Winner:
    """An entry and the prize it won: a rank prize of the final ranking or a side award."""

    entry_id: int
    prize: str
    member_id: int | None = None


def winners(contest: Contest, snapshot: ResultSnapshot) -> list[Winner]:
    """Rank prize winners of the snapshot in rank order, then side awards in the prize table's
    order: the order in which certificates are numbered."""
    data = snapshot_data(snapshot)
    ranked = sorted(
        (e for e in data["entries"] if e.get("prize")), key=lambda e: (e["rank"], e["entry_id"])
    )
    made = [Winner(e["entry_id"], e["prize"]) for e in ranked]
    made += [Winner(a.entry_id, prize.name, a.member_id) for a, prize in side_awards(contest)]
    return made


def side_awards(contest: Contest) -> list[tuple[ContestAward, ContestPrize]]:
    """The side prizes awarded, in the prize table's order."""
    return list(
        db.session.execute(
            select(ContestAward, ContestPrize)
            .join(ContestPrize, ContestPrize.id == ContestAward.prize_id)
            .where(ContestAward.contest_id == contest.id)
            .order_by(ContestPrize.position, ContestPrize.id, ContestAward.id)
        ).tuples()
    )


def check_awards_open(contest: Contest) -> None:
    """Side prizes change only after publishing and before the contest is closed."""
    if contest.status == "closed":
        raise ContestError(CLOSED)
    require_final_snapshot(contest)
