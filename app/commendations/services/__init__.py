"""Services of commendation (DOMAIN.md §6). They flush, never commit: the request commits.

This module holds what every part shares: CommendationError, where a proposal goes for review
(the offices of the unit tree), one step of a proposal's way, and a writer's lock."""

from sqlalchemy import select

from app.commendations.models import CommendationProposal, ProposalStep
from app.commendations.rules import OFFICE_LEVELS
from app.extensions import db
from app.refusals import RuleError
from app.units.models import Unit, UnitClosure


class CommendationError(RuleError):
    """A rule of commendation broken by an action (see app.refusals.RuleError)."""


def user_id(user) -> int | None:
    return getattr(user, "id", None)


def office_of(unit_id: int) -> Unit:
    """The office that reviews what a unit proposes: the unit itself when it is a district or
    a province, else the nearest one above it (a commune of a two-level province goes straight
    to the province). A unit with no office above is its own."""
    office = db.session.scalar(
        select(Unit)
        .join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit_id, Unit.level.in_(OFFICE_LEVELS))
        .order_by(UnitClosure.depth)
        .limit(1)
    )
    return office or db.session.get(Unit, unit_id)


def office_above(office: Unit) -> Unit | None:
    """The next office up the tree from an office (None at the top)."""
    if office.parent_id is None:
        return None
    above = office_of(office.parent_id)
    return above if above.level in OFFICE_LEVELS else None


def add_step(
    proposal: CommendationProposal,
    action: str,
    user,
    *,
    from_unit_id: int | None = None,
    to_unit_id: int | None = None,
    reason: str | None = None,
) -> ProposalStep:
    """Record one step of the proposal's way (shown on its page, in order)."""
    step = ProposalStep(
        proposal_id=proposal.id,
        action=action,
        from_unit_id=from_unit_id,
        to_unit_id=to_unit_id,
        reason=reason,
        by_user_id=user_id(user),
    )
    db.session.add(step)
    return step


def once_in_lifetime_problem(form: str, mediator_id: int | None, except_id: int | None = None):
    """Why a mediator may not be proposed for (or awarded) a once-in-a-lifetime form: they
    already received it (an award not revoked) or another proposal for it is open. None when
    the form is not such a form, or the nominee is not a mediator of the registry."""
    from app.commendations.models import CommendationAward, CommendationDecision
    from app.commendations.rules import FORMS, OPEN_STATUSES

    if mediator_id is None or not FORMS[form].once_in_lifetime:
        return None
    label = FORMS[form].label
    awarded = db.session.execute(
        select(CommendationDecision.number, CommendationDecision.signed_on)
        .join(CommendationAward, CommendationAward.decision_id == CommendationDecision.id)
        .where(
            CommendationAward.mediator_id == mediator_id,
            CommendationAward.form == form,
            CommendationAward.revocation_id.is_(None),
        )
        .limit(1)
    ).first()
    if awarded is not None:
        return (
            f"Người này đã được tặng {label} (Quyết định số {awarded.number} ngày "
            f"{awarded.signed_on:%d/%m/%Y}); hình thức này chỉ tặng một lần trong đời."
        )
    open_proposal = db.session.scalar(
        select(CommendationProposal.id)
        .where(
            CommendationProposal.mediator_id == mediator_id,
            CommendationProposal.form == form,
            CommendationProposal.status.in_(OPEN_STATUSES - {"decided"}),
            CommendationProposal.id != (except_id or 0),
        )
        .limit(1)
    )
    if open_proposal is not None:
        return (
            f"Người này đang có một đề nghị tặng {label} chưa xét xong "
            f"(đề nghị số {open_proposal})."
        )
    return None
