"""Review of proposals by the supervising office (DOMAIN.md §6): accept, return with a reason,
forward a form above the office's authority to the office above; one at a time or many at
once (all or nothing). And what the proposal's page reads live: the warnings."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.commendations import permissions, rules
from app.commendations.models import CommendationProposal
from app.commendations.services import (
    CommendationError,
    add_step,
    office_above,
    once_in_lifetime_problem,
)
from app.extensions import db
from app.registry.models import Mediator, Team
from app.security.scope import OutOfScope, placed_in_scope, sees_everything
from app.units.models import Unit

REASON_MAX = 2000
ACTIONS = {"accept": "Chấp thuận", "return": "Trả lại", "forward": "Chuyển lên cấp trên"}
# Statuses in which the once-in-a-lifetime rule still decides something (a decided proposal
# has its award: the rule would find that very award).
UNDECIDED = frozenset({"submitted", "accepted", "returned"})


@dataclass
class Warnings:
    """What argues against a proposal now (``notes``: a reviewer may still accept) and what
    forbids it (``blocking``: the once-in-a-lifetime rule)."""

    notes: list[str] = field(default_factory=list)
    blocking: str | None = None


@dataclass(frozen=True)
class Authority:
    """The office holding a proposal, the office above it and whether the holder may accept
    the proposal's form itself."""

    holder: Unit
    above: Unit | None
    may_accept: bool

    @property
    def must_forward(self) -> bool:
        return not self.may_accept and self.above is not None

    @property
    def refusal(self) -> str:
        """Why the holder may not accept: the form is above its authority."""
        if self.above is None:
            return f"Hình thức này vượt thẩm quyền của {self.holder.name}."
        return (
            f"Hình thức này vượt thẩm quyền của {self.holder.name}: chuyển lên {self.above.name}."
        )


def authority(proposal: CommendationProposal) -> Authority:
    """Who holds the proposal and whether they may accept its form (or must forward it)."""
    holder = db.session.get(Unit, proposal.holder_unit_id)
    above = office_above(holder)
    return Authority(holder, above, rules.may_accept(proposal.form, holder.level, above is None))


def proposal_warnings(proposal: CommendationProposal) -> Warnings:
    """The warnings of a proposal computed from the registry now: the mediator's status, the
    team's compliance; and the once-in-a-lifetime rule as a blocking notice."""
    mediator = db.session.get(Mediator, proposal.mediator_id) if proposal.mediator_id else None
    team_id = mediator.team_id if mediator else proposal.team_id
    team = db.session.get(Team, team_id) if team_id else None
    notes = rules.warnings(
        dismissed=mediator is not None and not mediator.is_active,
        team_compliant=team.is_compliant if team is not None and team.is_active else None,
        team_name=team.name if team else None,
        team_dissolved=team is not None and not team.is_active,
    )
    blocking = None
    if proposal.status in UNDECIDED:
        blocking = once_in_lifetime_problem(proposal.form, proposal.mediator_id, proposal.id)
    return Warnings(notes, blocking)


def review_refusal(user, proposal: CommendationProposal) -> str | None:
    """Why this user may not review this proposal (None: they may). The rules of who."""
    if user.role not in permissions.OFFICES:
        return "Chỉ cán bộ của cơ quan xét đề nghị mới được xét."
    if proposal.status != "submitted":
        return f"Đề nghị này không còn chờ xét ({proposal.status_label.lower()})."
    if not permissions.can_review(user, proposal):
        holder = db.session.get(Unit, proposal.holder_unit_id)
        return f"Đề nghị đang do {holder.name} xét; bạn không có quyền xét đề nghị này."
    return None


def accept_proposal(proposal: CommendationProposal, user) -> CommendationProposal:
    """Accept a submitted proposal within the holding office's authority; reviewers."""
    found = authority(proposal)
    if not found.may_accept:
        raise CommendationError(found.refusal, "action")
    problem = once_in_lifetime_problem(proposal.form, proposal.mediator_id, proposal.id)
    if problem:
        raise CommendationError(problem, "action")
    proposal.status = "accepted"
    proposal.return_reason = None
    add_step(proposal, "accept", user, from_unit_id=found.holder.id)
    db.session.flush()
    return proposal


def return_proposal(proposal: CommendationProposal, user, reason: str | None):
    """Return a submitted proposal to its proposer with a reason; reviewers."""
    reason = (reason or "").strip()
    if not reason:
        raise CommendationError(
            "Nhập lý do trả lại để đơn vị đề nghị biết cần bổ sung gì.", "reason"
        )
    if len(reason) > REASON_MAX:
        raise CommendationError("Lý do tối đa 2.000 ký tự.", "reason")
    proposal.status = "returned"
    proposal.return_reason = reason
    add_step(
        proposal,
        "return",
        user,
        from_unit_id=proposal.holder_unit_id,
        to_unit_id=proposal.proposer_unit_id,
        reason=reason,
    )
    db.session.flush()
    return proposal


def forward_proposal(proposal: CommendationProposal, user) -> CommendationProposal:
    """Send a proposal whose form is above the holding office's authority to the office
    above, which reviews it next; reviewers."""
    found = authority(proposal)
    if found.above is None:
        raise CommendationError(
            f"{found.holder.name} là cấp xét cao nhất: không có cấp trên để chuyển.", "action"
        )
    if found.may_accept:
        raise CommendationError(
            f"Hình thức này thuộc thẩm quyền của {found.holder.name}: không cần chuyển lên.",
            "action",
        )
    proposal.holder_unit_id = found.above.id
    add_step(proposal, "forward", user, from_unit_id=found.holder.id, to_unit_id=found.above.id)
    db.session.flush()
    return proposal


class ReviewRefused(CommendationError):
    """A bulk review refused because of the rules of who (403): ``errors`` name each
    nominee with the reason."""


def review_many(ids: list[int], action: str, user, reason: str | None = None) -> int:
    """Accept, return or forward several proposals at once, all or nothing; reviewers. Every
    proposal must be visible to the user (else OutOfScope: 404), reviewable by them (else
    ReviewRefused) and allowed (else CommendationError); each refused one is named."""
    if action not in ACTIONS:
        raise CommendationError("Chọn việc cần làm: chấp thuận, trả lại hay chuyển lên.", "action")
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise CommendationError("Chọn ít nhất một đề nghị.", "ids")
    proposals = db.session.scalars(
        select(CommendationProposal)
        .where(CommendationProposal.id.in_(unique))
        .order_by(CommendationProposal.nominee_folded, CommendationProposal.id)
    ).all()
    if len(proposals) != len(unique) or not all(
        sees_everything(user) or placed_in_scope(user, p) for p in proposals
    ):
        raise OutOfScope()
    who = [
        ("ids", f"{p.nominee_name}: {problem}")
        for p in proposals
        if (problem := review_refusal(user, p))
    ]
    if who:
        raise ReviewRefused(who)
    if action == "return":
        reason = (reason or "").strip()
        if not reason:
            raise CommendationError("Nhập lý do trả lại.", "reason")
    # Each is checked before it changes anything; the request rolls back the ones done when
    # a later one is refused.
    refused = []
    for proposal in proposals:
        try:
            _act(proposal, action, user, reason)
        except CommendationError as error:
            refused.append(("ids", f"{proposal.nominee_name}: {error}"))
    if refused:
        raise CommendationError(refused)
    return len(proposals)


def _act(proposal: CommendationProposal, action: str, user, reason: str | None) -> None:
    if action == "accept":
        accept_proposal(proposal, user)
    elif action == "return":
        return_proposal(proposal, user, reason)
    else:
        forward_proposal(proposal, user)
