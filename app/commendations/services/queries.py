"""What the area's overview and lists read: proposals and decisions of the user's subtree,
filtered, a keyset page at a time; the counts of the overview; and the count of awards per
unit that the reports reuse (``award_counts``). Reads only: nothing here writes."""

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from app.commendations.forms.lists import DecisionFilters, ProposalFilters
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
)
from app.commendations.permissions import OFFICES
from app.commendations.rules import OFFICE_LEVELS, number_key
from app.extensions import db
from app.models import PLACED_COLUMNS
from app.pagination import Page, keyset_page
from app.registry.queries import restrict_to_unit
from app.security.scope import placed_under, scope_placed, sees_everything
from app.text import fold, format_number, format_percent
from app.units.models import Unit, UnitClosure

PREFIX_END = "\uffff"
PROPOSAL_KEYS = [(CommendationProposal.id, True)]
DECISION_KEYS = [(CommendationDecision.id, True)]
# Proposals that still wait for something: a review, or a decision once accepted.
PENDING_STATUSES = ("submitted", "accepted")

# The groups of forms the reports count (DOMAIN.md §6), in the order of the table's columns.
FORM_GROUPS: dict[str, tuple[str, ...]] = {
    "Biểu dương": ("bieu_duong",),
    "Giấy khen": ("giay_khen_xa", "giay_khen_huyen"),
    "Bằng khen": ("bang_khen_tinh", "bang_khen_bo"),
    "Kỷ niệm chương": ("ky_niem_chuong",),
}
GROUP_OF_FORM = {form: group for group, forms in FORM_GROUPS.items() for form in forms}

Holder = aliased(Unit, name="holder")


def _prefix(column, key: str):
    """column starts with key: an index range on a byte-ordered (folded) column."""
    return (column >= key) & (column < key + PREFIX_END)


# Who reviews what


def review_offices(user) -> set[int] | None:
    """The offices (districts, provinces) of the user's subtree, whose proposals the user
    reviews: None for an admin (every office), an empty set for roles that do not review.
    One small query (offices only, never the villages), so that a list decides on each row
    whether the user may review it without a query per row."""
    if user.role not in OFFICES:
        return set()
    if sees_everything(user):
        return None
    return set(
        db.session.scalars(
            select(Unit.id)
            .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
            .where(UnitClosure.ancestor_id == user.unit_id, Unit.level.in_(OFFICE_LEVELS))
        )
    )


def waiting_clause(offices: set[int] | None):
    """Clause: submitted and held by one of these offices (None: any office)."""
    clause = CommendationProposal.status == "submitted"
    if offices is not None:
        clause = clause & CommendationProposal.holder_unit_id.in_(sorted(offices) or [0])
    return clause


def may_review_row(proposal: CommendationProposal, offices: set[int] | None) -> bool:
    """permissions.can_review decided from the offices fetched once (no query)."""
    return proposal.status == "submitted" and (
        offices is None or proposal.holder_unit_id in offices
    )


# Proposals


def proposals_stmt(user, f: ProposalFilters, offices: set[int] | bool | None = False) -> Select:
    """The proposals a user may see, filtered (no order): nominee placed in the user's
    subtree; "waiting for me" keeps those submitted to the offices the user reviews for
    (``offices`` as review_offices gives them when the caller has them already; False: not
    fetched yet)."""
    stmt = scope_placed(select(CommendationProposal), CommendationProposal, user)
    stmt, _ = restrict_to_unit(stmt, CommendationProposal, f.unit, user)
    if f.year is not None:
        stmt = stmt.where(CommendationProposal.year == f.year)
    if f.form:
        stmt = stmt.where(CommendationProposal.form == f.form)
    if f.status:
        stmt = stmt.where(CommendationProposal.status == f.status)
    if f.kind:
        stmt = stmt.where(CommendationProposal.nominee_kind == f.kind)
    if f.q and fold(f.q):
        stmt = stmt.where(_prefix(CommendationProposal.nominee_folded, fold(f.q)))
    if f.mine:
        stmt = stmt.where(waiting_clause(review_offices(user) if offices is False else offices))
    return stmt


@dataclass
class ProposalRow:
    """A proposal of a list page with what the page shows beside it."""

    proposal: CommendationProposal
    holder_name: str
    reviewable: bool


def proposal_page(user, f: ProposalFilters, after: str | None, per_page: int) -> Page:
    """One page of proposals, newest first, each with the name of the office holding it and
    whether the user may review it: one query for the rows (and one for the user's offices)."""
    offices = review_offices(user)
    stmt = proposals_stmt(user, f, offices).outerjoin(
        Holder, Holder.id == CommendationProposal.holder_unit_id
    )
    stmt = stmt.with_only_columns(
        CommendationProposal, CommendationProposal.id, Holder.name.label("holder_name")
    )
    page = keyset_page(stmt, PROPOSAL_KEYS, after, per_page, scalars=False)
    page.items = [
        ProposalRow(
            row.CommendationProposal,
            row.holder_name or "",
            may_review_row(row.CommendationProposal, offices),
        )
        for row in page.items
    ]
    page.extra["can_review"] = any(item.reviewable for item in page.items)
    return page


def basis_summary(p, full: bool = False) -> str:
    """The basis of a proposal in a few words for a list row: the contest prize, the team's
    success rate and compliance, years of service; ``full`` (the export) spells each out and
    adds training and the proposer's note."""
    parts = []
    if p.prize_name:
        parts.append(p.prize_name)
    successful, failed = p.basis_successful, p.basis_failed
    if successful is not None and failed is not None:
        ended = successful + failed
        rate = format_percent(round(100 * successful / ended, 1)) if ended else None
        if full:
            parts.append(
                f"Hòa giải thành {successful}/{ended} vụ ({rate})"
                if ended
                else "Chưa có vụ việc kết thúc trong giai đoạn"
            )
        elif ended:
            parts.append(f"thành {successful}/{ended} ({rate})")
    if p.basis_compliant is False:
        parts.append("tổ chưa đủ thành phần")
    if p.basis_service_years:
        years = format_number(p.basis_service_years)
        parts.append(f"{years} năm làm hòa giải viên" if full else f"{years} năm HGV")
    if full and p.basis_trained:
        parts.append("đã được tập huấn")
    if full and p.basis_note:
        parts.append(p.basis_note)
    return "; ".join(parts)


# Decisions


def decisions_stmt(user, f: DecisionFilters) -> Select:
    """The decisions issued by bodies of the user's subtree, filtered (no order)."""
    stmt = scope_placed(select(CommendationDecision), CommendationDecision, user)
    stmt, _ = restrict_to_unit(stmt, CommendationDecision, f.unit, user)
    if f.year is not None:
        stmt = stmt.where(CommendationDecision.year == f.year)
    if f.form:
        stmt = stmt.where(CommendationDecision.form == f.form)
    if f.q and number_key(f.q):
        stmt = stmt.where(_prefix(CommendationDecision.number_folded, number_key(f.q)))
    return stmt


def _award_count(*where):
    """A correlated count over the decision's awards (index on decision_id)."""
    return (
        select(func.count(CommendationAward.id))
        .where(CommendationAward.decision_id == CommendationDecision.id, *where)
        .correlate(CommendationDecision)
        .scalar_subquery()
    )


@dataclass
class DecisionRow:
    decision: CommendationDecision
    recipients: int
    revoked: int
    total_vnd: int


def decision_page(user, f: DecisionFilters, after: str | None, per_page: int) -> Page:
    """One page of decisions, newest first, with the number of recipients, of revoked
    awards and the total amount (what is not revoked), counted in the same query."""
    total = (
        select(func.coalesce(func.sum(CommendationAward.amount_vnd), 0))
        .where(
            CommendationAward.decision_id == CommendationDecision.id,
            CommendationAward.revocation_id.is_(None),
        )
        .correlate(CommendationDecision)
        .scalar_subquery()
    )
    stmt = decisions_stmt(user, f).with_only_columns(
        CommendationDecision,
        CommendationDecision.id,
        _award_count().label("recipients"),
        _award_count(CommendationAward.revocation_id.is_not(None)).label("revoked"),
        total.label("total_vnd"),
    )
    page = keyset_page(stmt, DECISION_KEYS, after, per_page, scalars=False)
    page.items = [
        DecisionRow(row.CommendationDecision, row.recipients, row.revoked, int(row.total_vnd))
        for row in page.items
    ]
    return page


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
