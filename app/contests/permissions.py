"""Who may do what in a contest (DOMAIN.md §1, §5). Routes and templates ask these.

- The board (Ban Tổ chức) and its secretary are the officers and commune staff whose subtree
  holds the organising unit, and admins: they set the rules, manage entries and judges, enter
  penalties, watch the scoring, decide ties and publish.
- The units below the organiser take part: their officers and commune staff see the contest
  and register their entries while registration is open; viewers read it.
- Judges see nothing but their own assignments (the scoring pages); a head judge also reads the
  submitted sheets of their round, reviews outliers and reopens sheets.
- Results stay with the board until published; then everyone who sees the contest reads them.
"""

from sqlalchemy import or_, select

from app.contests.models import Contest, ContestJudge
from app.extensions import db
from app.security.scope import is_within, placed_in_scope, placed_under, sees_everything
from app.units.models import UnitClosure
from app.users.models import Role

ORGANISER_ROLES = (Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF)


def can_manage(user, contest: Contest) -> bool:
    """The board: admins, and officers/commune staff whose subtree holds the organiser."""
    return user.role in ORGANISER_ROLES and placed_in_scope(user, contest)


def can_view(user, contest: Contest) -> bool:
    """The contest's pages: the board, and every non-judge user of a unit inside it."""
    if user.role == Role.JUDGE:
        return False
    return placed_in_scope(user, contest) or is_within(user.unit_id, contest.unit_id)


def can_register(user, contest: Contest) -> bool:
    """Registering an entry: while registration is open, the board or a unit inside it."""
    return (
        contest.status == "registration"
        and user.role in ORGANISER_ROLES
        and can_view(user, contest)
    )


def can_edit_entry(user, contest: Contest, entry) -> bool:
    """An entry: the board at any time before results; its own unit while registration is open."""
    if contest.status in ("published", "closed"):
        return False
    if can_manage(user, contest):
        return True
    return can_register(user, contest) and placed_in_scope(user, entry)


def can_read_results(user, contest: Contest, published: bool) -> bool:
    """The computed ranking before publishing is the board's; a published one is everyone's."""
    return can_manage(user, contest) or (published and can_view(user, contest))


def judge_seat(user, round_id: int) -> ContestJudge | None:
    """The user's seat on a round's panel, if they are a judge of it."""
    if user.role != Role.JUDGE:
        return None
    return db.session.scalar(
        select(ContestJudge).where(
            ContestJudge.round_id == round_id, ContestJudge.user_id == user.id
        )
    )


def is_head_judge(user, round_id: int) -> bool:
    seat = judge_seat(user, round_id)
    return seat is not None and seat.is_head


def visible_contests(stmt, user):
    """Restrict a SELECT of contests to those the user sees: organised in their subtree, or by
    a unit above theirs (the contests their unit takes part in)."""
    if sees_everything(user):
        return stmt
    above = select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == user.unit_id)
    return stmt.where(or_(placed_under(Contest, user.unit), Contest.unit_id.in_(above)))
