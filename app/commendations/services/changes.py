"""Changing a proposal on the proposer's side until it is accepted: its form, achievement,
period and note (a returned one goes back to the office above its proposer), or withdrawing
it (DOMAIN.md §6). They flush, never commit."""

from app.commendations.models import CommendationProposal
from app.commendations.rules import EDITABLE_STATUSES
from app.commendations.services import CommendationError, add_step, office_of
from app.commendations.services.basis import pull_basis
from app.commendations.services.proposal_checks import normalize_text, value_errors
from app.concurrency import lock_row
from app.extensions import db

NOT_EDITABLE = {
    "accepted": "Đề nghị đã được chấp thuận: không sửa hay rút được nữa.",
    "decided": "Đề nghị đã có quyết định khen thưởng: không sửa hay rút được nữa.",
    "withdrawn": "Đề nghị này đã được rút.",
}


def not_editable_reason(proposal: CommendationProposal) -> str:
    """Why the proposer's side may no longer change or withdraw a proposal (for a 403)."""
    return NOT_EDITABLE.get(
        proposal.status, "Bạn không có quyền sửa hay rút đề nghị khen thưởng này."
    )


def update_proposal(
    proposal: CommendationProposal,
    user,
    form: str,
    achievement: str,
    period_start: int,
    period_end: int,
    basis_note: str | None,
) -> str:
    """Change a proposal's form, achievement, period and note (the proposer's side while it
    is not accepted); a returned proposal is resubmitted to the office above its proposer.
    Returns the step made: "resubmit" or "" (a plain change)."""
    errors = value_errors(
        proposal.nominee_kind,
        proposal.mediator_id,
        form,
        achievement,
        period_start,
        period_end,
        basis_note,
        except_id=proposal.id,
    )
    if errors:
        raise CommendationError(errors)
    if proposal.status not in EDITABLE_STATUSES:
        raise CommendationError(not_editable_reason(proposal))
    period_changed = (proposal.period_start, proposal.period_end) != (period_start, period_end)
    proposal.form = form
    proposal.achievement = normalize_text(achievement)
    proposal.period_start, proposal.period_end = period_start, period_end
    proposal.basis_note = normalize_text(basis_note) or None
    if period_changed and proposal.nominee_kind in ("mediator", "team"):
        pull_basis(proposal)
    step = ""
    if proposal.status == "returned":
        holder = office_of(proposal.proposer_unit_id).id
        add_step(
            proposal,
            "resubmit",
            user,
            from_unit_id=proposal.proposer_unit_id,
            to_unit_id=holder,
            reason=proposal.return_reason,
        )
        proposal.status, proposal.holder_unit_id = "submitted", holder
        proposal.return_reason = None
        step = "resubmit"
    db.session.flush()
    return step


def withdraw_proposal(proposal: CommendationProposal, user, reason: str | None = None) -> None:
    """Withdraw a proposal not yet accepted (the proposer's side); kept, marked withdrawn."""
    lock_row(CommendationProposal, proposal.id)
    db.session.refresh(proposal)
    if proposal.status not in EDITABLE_STATUSES:
        raise CommendationError(not_editable_reason(proposal))
    proposal.status = "withdrawn"
    add_step(proposal, "withdraw", user, reason=normalize_text(reason) or None)
    db.session.flush()
