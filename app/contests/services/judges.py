"""The panel of a round (Ban Giám khảo): appointing judges from the judges' accounts of the
organiser's tree, one head judge, each judge's conflicts of interest, removing a judge who has
not scored yet (DOMAIN.md §5)."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.contests.models import ContestEntry, ContestJudge, ContestRound, ScoreSheet
from app.contests.services import ContestError
from app.contests.services.lookups import conflicts, round_entries, round_judges
from app.extensions import db
from app.security.scope import subtree_ids
from app.text import normalize
from app.units.models import Unit, UnitClosure
from app.units.services import units_by_id
from app.users.models import Role, User

PUBLISHED = "Vòng thi đã công bố kết quả: không thay đổi Ban Giám khảo được."
MAX_POSITION = 99


def eligible_judges(round_: ContestRound) -> list[User]:
    """Active judges' accounts of the organiser, of a unit below it or of a unit above it,
    not yet on the round's panel."""
    organiser = round_.contest.unit_id
    above = select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == organiser)
    seated = select(ContestJudge.user_id).where(
        ContestJudge.round_id == round_.id, ContestJudge.user_id.is_not(None)
    )
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.JUDGE,
                User.active.is_(True),
                or_(User.unit_id.in_(subtree_ids(organiser)), User.unit_id.in_(above)),
                User.id.not_in(seated),
            )
            .order_by(User.full_name_folded, User.id)
        )
    )


def _require_unpublished(round_: ContestRound) -> None:
    """The panel of a published round is part of its record: it no longer changes."""
    if round_.status == "published":
        raise ContestError(PUBLISHED)


def _judge_user(round_: ContestRound, user_id: int | None) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        raise ContestError("Chọn giám khảo.", "user")
    if user.role != Role.JUDGE:
        raise ContestError(
            f"{user.full_name} không có vai trò Thành viên Ban Giám khảo: chỉ bổ nhiệm được tài "
            "khoản giám khảo.",
            "user",
        )
    if not user.active:
        raise ContestError(f"Tài khoản của {user.full_name} đã bị khóa.", "user")
    if user not in eligible_judges(round_):
        seated = db.session.scalar(
            select(ContestJudge.id).where(
                ContestJudge.round_id == round_.id, ContestJudge.user_id == user.id
            )
        )
        if seated:
            raise ContestError(f"{user.full_name} đã có trong Ban Giám khảo của vòng thi.", "user")
        raise ContestError(
            f"{user.full_name} không thuộc đơn vị tổ chức hội thi, đơn vị cấp trên hay đơn vị "
            "trực thuộc.",
            "user",
        )
    return user


def _position(position: int | None, round_id: int) -> int:
    if position is None:
        highest = db.session.scalar(
            select(func.max(ContestJudge.position)).where(ContestJudge.round_id == round_id)
        )
        return min((highest or 0) + 1, MAX_POSITION)
    if not 1 <= position <= MAX_POSITION:
        raise ContestError(f"Thứ tự phải từ 1 đến {MAX_POSITION}.", "position")
    return position


def _make_head(seat: ContestJudge) -> None:
    """The head judge's flag moves to this seat: exactly one head judge per round."""
    for other in round_judges(seat.round_id):
        if other.id != seat.id and other.is_head:
            other.is_head = False
    seat.is_head = True


def add_judge(
    round_: ContestRound, user_id: int | None, title: str, is_head: bool, position: int | None
) -> ContestJudge:
    """Appoint a judge to the round's panel (the board); the first judge is head judge."""
    _require_unpublished(round_)
    user = _judge_user(round_, user_id)
    seat = ContestJudge(
        round_id=round_.id,
        user_id=user.id,
        full_name=user.full_name,
        title=normalize(title)[:200] or None,
        unit_id=user.unit_id,
        is_head=False,
        position=_position(position, round_.id),
    )
    db.session.add(seat)
    db.session.flush()
    if is_head or not any(j.is_head for j in round_judges(round_.id)):
        _make_head(seat)
    db.session.flush()
    return seat


def update_judge(
    seat: ContestJudge, round_: ContestRound, title: str, is_head: bool, position: int | None
) -> ContestJudge:
    """Change a judge's title, place in the list or head-judge flag (the board)."""
    _require_unpublished(round_)
    if seat.is_head and not is_head:
        raise ContestError(
            "Mỗi vòng thi cần một Trưởng Ban Giám khảo: hãy đặt giám khảo khác làm trưởng ban.",
            "is_head",
        )
    seat.title = normalize(title)[:200] or None
    seat.position = _position(position, round_.id) if position is not None else seat.position
    if is_head and not seat.is_head:
        _make_head(seat)
    db.session.flush()
    return seat


def make_head(seat: ContestJudge, round_: ContestRound) -> ContestJudge:
    """Make this judge the round's head judge; the former head stays on the panel."""
    return update_judge(seat, round_, seat.title or "", True, seat.position)


def remove_judge(seat: ContestJudge, round_: ContestRound) -> None:
    """Take a judge off the panel (the board): refused once they have a sheet in the round, and
    for the head judge while other judges remain."""
    _require_unpublished(round_)
    sheets = db.session.scalar(
        select(func.count()).select_from(ScoreSheet).where(ScoreSheet.judge_id == seat.id)
    )
    if sheets:
        raise ContestError(
            f"{seat.full_name} đã có phiếu chấm trong vòng thi: không bỏ khỏi Ban Giám khảo "
            "được (phiếu chấm là hồ sơ của cuộc thi)."
        )
    others = [j for j in round_judges(round_.id) if j.id != seat.id]
    if seat.is_head and others:
        raise ContestError(
            f"{seat.full_name} là Trưởng Ban Giám khảo: hãy đặt giám khảo khác làm trưởng ban "
            "trước."
        )
    db.session.delete(seat)
    db.session.flush()


@dataclass
class PanelRow:
    """A judge of the panel as the board's page shows them."""

    seat: ContestJudge
    unit: Unit | None
    conflicts: list[ContestEntry]
    sheets: int


def panel(round_: ContestRound) -> list[PanelRow]:
    """The round's judges in order, each with the entries they may not score (their own unit's,
    lookups.conflicts) and their number of sheets (a fixed number of queries)."""
    judges = round_judges(round_.id)
    entries = {re.entry_id: re.entry for re in round_entries(round_.id)}
    pairs = conflicts(judges, list(entries))
    sheets = Counter(
        dict(
            db.session.execute(
                select(ScoreSheet.judge_id, func.count())
                .where(ScoreSheet.round_id == round_.id)
                .group_by(ScoreSheet.judge_id)
            ).all()
        )
    )
    units = units_by_id(j.unit_id for j in judges)
    return [
        PanelRow(
            seat=j,
            unit=units.get(j.unit_id),
            conflicts=[entries[e] for (judge, e) in sorted(pairs) if judge == j.id],
            sheets=sheets[j.id],
        )
        for j in judges
    ]
