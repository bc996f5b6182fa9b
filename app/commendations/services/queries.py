"""What the area's overview and lists read: proposals and decisions of the user's subtree,
filtered, a keyset page at a time (the overview's counts are in counts.py). Reads only."""

from dataclasses import dataclass

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
from app.pagination import Page, keyset_page
from app.registry.queries import restrict_to_unit
from app.security.scope import scope_placed, sees_everything
from app.text import fold, format_number, format_percent
from app.units.models import Unit, UnitClosure

PREFIX_END = "\uffff"
PROPOSAL_KEYS = [(CommendationProposal.id, True)]
DECISION_KEYS = [(CommendationDecision.id, True)]
# Proposals that still wait for something: a review, or a decision once accepted.
PENDING_STATUSES = ("submitted", "accepted")

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
