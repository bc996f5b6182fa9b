"""Routes of the commendations area (one module per part). Loading a proposal or a decision
for a route: load → authorize (STYLE.md "A request"), and a refusal with its reason. Forms
run through a service with app.concurrency.run_form."""

from flask import abort
from flask_login import current_user

from app.commendations import permissions
from app.commendations.models import CommendationDecision, CommendationProposal
from app.extensions import db
from app.security.scope import OutOfScope


def load_proposal(proposal_id: int, may=None, reason: str | None = None) -> CommendationProposal:
    """The proposal, 404 when missing or not visible to the user, 403 (with ``reason``) when
    ``may(user, proposal)`` says no."""
    proposal = db.session.get(CommendationProposal, proposal_id)
    if proposal is None:
        abort(404)
    _authorize(proposal, permissions.can_view_proposal, may, reason)
    return proposal


def load_decision(decision_id: int, may=None, reason: str | None = None) -> CommendationDecision:
    """The decision, 404 when missing or not visible to the user, 403 (with ``reason``) when
    ``may(user, decision)`` says no."""
    decision = db.session.get(CommendationDecision, decision_id)
    if decision is None:
        abort(404)
    _authorize(decision, permissions.can_view_decision, may, reason)
    return decision


def _authorize(record, can_view, may, reason) -> None:
    """Not visible → 404 (logged as out of scope); visible but ``may(user, record)`` false →
    403 with ``reason`` (or a general one)."""
    if not can_view(current_user, record):
        raise OutOfScope()
    if may is not None and not may(current_user, record):
        refuse(reason or "Bạn không có quyền thực hiện thao tác này.")


def refuse(message: str):
    """403 with its reason in Vietnamese (shown and logged like every other 403)."""
    abort(403, message)
