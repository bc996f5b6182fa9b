"""Who may do what with commendations (DOMAIN.md §1, §6). Routes and templates ask these.

- Everyone but judges reads the proposals and awards placed in their subtree (the nominee's
  unit); decisions are read where the issuing unit lies in the reader's subtree.
- Commune staff, officers and admins propose nominees of their subtree; the proposer's side
  changes or withdraws a proposal until it is accepted.
- The supervising office reviews: officers (and admins) whose subtree holds the office that
  holds the proposal accept, return or forward it.
- Officers and admins record decisions of a body of their subtree and revoke them.
"""

from app.commendations.models import CommendationDecision, CommendationProposal
from app.commendations.rules import EDITABLE_STATUSES
from app.security.scope import is_within, placed_in_scope, sees_everything
from app.users.models import Role

READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF, Role.VIEWER})
PROPOSERS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF})
OFFICES = frozenset({Role.ADMIN, Role.OFFICER})


def can_view_proposal(user, proposal: CommendationProposal) -> bool:
    """A proposal whose nominee lies in the user's subtree."""
    return user.role in READERS and placed_in_scope(user, proposal)


def can_propose(user) -> bool:
    """Make proposals (for nominees of the user's subtree: checked on the nominee)."""
    return user.role in PROPOSERS


def can_edit_proposal(user, proposal: CommendationProposal) -> bool:
    """Change, resubmit or withdraw: the proposer's side while not yet accepted."""
    return (
        user.role in PROPOSERS
        and proposal.status in EDITABLE_STATUSES
        and placed_in_scope(user, proposal)
        and (sees_everything(user) or is_within(proposal.proposer_unit_id, user.unit_id))
    )


def can_review(user, proposal: CommendationProposal) -> bool:
    """Accept, return or forward: the office holding a submitted proposal, or one above it."""
    return (
        user.role in OFFICES
        and proposal.status == "submitted"
        and (sees_everything(user) or is_within(proposal.holder_unit_id, user.unit_id))
    )


def can_decide(user) -> bool:
    """Record decisions (for bodies of the user's subtree: checked on the issuing unit)."""
    return user.role in OFFICES


def can_view_decision(user, decision: CommendationDecision) -> bool:
    """A decision issued by a body of the user's subtree."""
    return user.role in READERS and placed_in_scope(user, decision)


def can_manage_decision(user, decision: CommendationDecision) -> bool:
    """Correct or revoke a decision: officers of the issuing unit's subtree."""
    return user.role in OFFICES and placed_in_scope(user, decision)
