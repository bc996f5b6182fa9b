"""The counts of the area: the overview's cards and the count of awards per unit that the
reports reuse (``award_counts``). Reads only: nothing here writes."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
)
from app.commendations.permissions import OFFICES
from app.commendations.services.queries import PENDING_STATUSES, review_offices, waiting_clause
from app.extensions import db
from app.models import PLACED_COLUMNS
from app.security.scope import placed_under, scope_placed
from app.units.models import Unit

# The groups of forms the reports count (DOMAIN.md §6), in the order of the table's columns.
FORM_GROUPS: dict[str, tuple[str, ...]] = {
    "Biểu dương": ("bieu_duong",),
    "Giấy khen": ("giay_khen_xa", "giay_khen_huyen"),
    "Bằng khen": ("bang_khen_tinh", "bang_khen_bo"),
    "Kỷ niệm chương": ("ky_niem_chuong",),
}
GROUP_OF_FORM = {form: group for group, forms in FORM_GROUPS.items() for form in forms}


# The overview


@dataclass
class Overview:
    """The cards of the area's home page for one year."""

    year: int
    waiting: int | None  # None: the user does not review
    by_status: dict[str, int]
    decisions: int
    awards: int
    revoked: int


def overview(user, year: int) -> Overview:
    """Counts for the home page: what waits for the user's review (every year), the year's
    proposals by status, decisions and awards of the year; four grouped queries."""
    waiting = None
    if user.role in OFFICES:
        offices = review_offices(user)
        waiting = db.session.scalar(
            scope_placed(
                select(func.count(CommendationProposal.id)).where(waiting_clause(offices)),
                CommendationProposal,
                user,
            )
        )
    by_status = dict(
        db.session.execute(
            scope_placed(
                select(CommendationProposal.status, func.count(CommendationProposal.id))
                .where(CommendationProposal.year == year)
                .group_by(CommendationProposal.status),
                CommendationProposal,
                user,
            )
        ).all()
    )
    decisions = db.session.scalar(
        scope_placed(
            select(func.count(CommendationDecision.id)).where(CommendationDecision.year == year),
            CommendationDecision,
            user,
        )
    )
    awards = db.session.execute(
        scope_placed(
            select(
                func.count(CommendationAward.id),
                func.count(CommendationAward.revocation_id),
            ).where(CommendationAward.year == year),
            CommendationAward,
            user,
        )
    ).one()
    return Overview(
        year=year,
        waiting=waiting,
        by_status=by_status,
        decisions=decisions or 0,
        awards=(awards[0] or 0) - (awards[1] or 0),
        revoked=awards[1] or 0,
    )


# The count of awards per unit (reused by the reports, issue 8)


@dataclass
class UnitCount:
    """One line of the count per unit: awards of the year by form group (revoked excluded)
    and proposals still pending. ``unit_id`` None with ``is_total`` for the total line;
    ``direct`` for what is placed at the parent unit itself rather than below a child."""

    unit_id: int | None
    name: str
    by_group: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FORM_GROUPS, 0))
    pending: int = 0
    is_total: bool = False
    direct: bool = False
    has_children: bool = False

    @property
    def awards(self) -> int:
        return sum(self.by_group.values())


def award_counts(unit: Unit | None, year: int) -> list[UnitCount]:
    """For each child of ``unit`` (communes of a district, districts or communes of a
    province, villages of a commune; provinces when ``unit`` is None: the whole country), the
    awards of ``year`` by form group, revoked ones excluded, and the proposals of ``year``
    still pending (submitted or accepted); a line for what is placed at ``unit`` itself when
    there is any, and the total line last. One grouped query on the Placed columns of the
    awards, one on those of the proposals, one for the children: at any number of rows."""
    children = _children(unit)
    if unit is not None and unit.level >= max(PLACED_COLUMNS):
        columns = []
    else:
        levels = sorted({c.level for c in children}) or [1 if unit is None else unit.level + 1]
        columns = [PLACED_COLUMNS[level] for level in levels]
    lines = {c.id: UnitCount(c.id, c.name) for c in children}
    direct = UnitCount(unit.id if unit else None, unit.name if unit else "", direct=True)

    def line_of(values) -> UnitCount:
        for value in values:
            if value in lines:
                return lines[value]
        return direct

    award_stmt = (
        select(
            *[getattr(CommendationAward, c) for c in columns],
            CommendationAward.form,
            func.count(CommendationAward.id),
        )
        .where(CommendationAward.year == year, CommendationAward.revocation_id.is_(None))
        .group_by(*[getattr(CommendationAward, c) for c in columns], CommendationAward.form)
    )
    pending_stmt = (
        select(
            *[getattr(CommendationProposal, c) for c in columns],
            func.count(CommendationProposal.id),
        )
        .where(
            CommendationProposal.year == year,
            CommendationProposal.status.in_(PENDING_STATUSES),
        )
        .group_by(*[getattr(CommendationProposal, c) for c in columns])
    )
    if unit is not None:
        award_stmt = award_stmt.where(placed_under(CommendationAward, unit))
        pending_stmt = pending_stmt.where(placed_under(CommendationProposal, unit))
    for *values, form, count in db.session.execute(award_stmt):
        group = GROUP_OF_FORM.get(form)
        if group is not None:
            line_of(values).by_group[group] += count
    for *values, count in db.session.execute(pending_stmt):
        line_of(values).pending += count

    total = UnitCount(None, "Tổng cộng", is_total=True)
    result = []
    for child in children:
        line = lines[child.id]
        line.has_children = child.level < max(PLACED_COLUMNS)
        # A former unit (merged, renamed) is listed only when it still holds something.
        if child.valid_to is None or line.awards or line.pending:
            result.append(line)
    if direct.awards or direct.pending:
        direct.name = f"{direct.name} (trực tiếp)"
        result.append(direct)
    for line in result:
        for group, count in line.by_group.items():
            total.by_group[group] += count
        total.pending += line.pending
    result.append(total)
    return result


def _children(unit: Unit | None) -> list[Unit]:
    parent = Unit.parent_id.is_(None) if unit is None else Unit.parent_id == unit.id
    return list(db.session.scalars(select(Unit).where(parent).order_by(Unit.name_folded, Unit.id)))
