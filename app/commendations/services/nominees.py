"""A nominee's commendations, as the mediator's and the team's pages show them (DOMAIN.md §6:
"a person's commendations show on their record"): the awards with their decision, revoked
ones included and marked, and the proposals still under way. Two queries.

The caller has checked that the user sees the nominee (the registry's detail pages load it
scoped). Awards are public honours that follow the person: all of the nominee's are listed,
also those placed where they served before; a decision's page is linked only for readers of
it. Proposals are the offices' work in progress: only those placed in the user's subtree."""

from dataclasses import dataclass

from sqlalchemy import select

from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.permissions import READERS, can_propose, can_view_decision
from app.commendations.rules import FORMS
from app.extensions import db
from app.security.scope import scope_placed

# Proposals still under way: waiting for review, accepted and waiting for a decision, or
# returned to the proposer to be changed.
UNDER_WAY = ("submitted", "accepted", "returned")


@dataclass
class AwardLine:
    """One award on the nominee's page. The decision's number and date are public facts of
    the award; ``decision_visible`` says whether the reader may open the decision itself."""

    award: CommendationAward
    decision: CommendationDecision
    achievement: str
    revocation: CommendationRevocation | None
    decision_visible: bool

    @property
    def form_label(self) -> str:
        return FORMS[self.award.form].label if self.award.form in FORMS else self.award.form

    @property
    def certificate(self) -> str | None:
        """The certificate the reader may print here ("Giấy khen"), if any."""
        form = FORMS.get(self.award.form)
        if form is None or not form.certificate or self.revocation or not self.decision_visible:
            return None
        return form.certificate.capitalize()


@dataclass
class NomineeCommendations:
    awards: list[AwardLine]
    proposals: list[CommendationProposal]

    def __bool__(self) -> bool:
        return bool(self.awards or self.proposals)


def commendations_of(
    user, mediator_id: int | None = None, team_id: int | None = None
) -> NomineeCommendations:
    """The awards and the proposals under way (those placed in the user's subtree) of one
    mediator or one team the user sees; for every reader of commendations."""
    if user.role not in READERS or (mediator_id is None) == (team_id is None):
        return NomineeCommendations([], [])
    if mediator_id is not None:
        of_award = CommendationAward.mediator_id == mediator_id
        of_proposal = CommendationProposal.mediator_id == mediator_id
    else:
        of_award = CommendationAward.team_id == team_id
        of_proposal = CommendationProposal.team_id == team_id
    rows = db.session.execute(
        select(
            CommendationAward,
            CommendationDecision,
            CommendationProposal.achievement,
            CommendationRevocation,
        )
        .join(CommendationDecision, CommendationDecision.id == CommendationAward.decision_id)
        .join(CommendationProposal, CommendationProposal.id == CommendationAward.proposal_id)
        .outerjoin(
            CommendationRevocation, CommendationRevocation.id == CommendationAward.revocation_id
        )
        .where(of_award)
        .order_by(CommendationDecision.signed_on.desc(), CommendationAward.id.desc())
    ).tuples()
    awards = [
        AwardLine(award, decision, achievement, revocation, can_view_decision(user, decision))
        for award, decision, achievement, revocation in rows
    ]
    proposals = db.session.scalars(
        scope_placed(
            select(CommendationProposal)
            .where(of_proposal, CommendationProposal.status.in_(UNDER_WAY))
            .order_by(CommendationProposal.year.desc(), CommendationProposal.id.desc()),
            CommendationProposal,
            user,
        )
    ).all()
    return NomineeCommendations(awards, list(proposals))


def nominee_context(
    user, can_manage: bool, mediator_id: int | None = None, team_id: int | None = None
) -> dict:
    """What ``commendations/_nominee_section.html`` reads on a mediator's or a team's page:
    the commendations, and whether (and for whom) to offer "Đề nghị khen thưởng": to users
    who propose and manage the record in the registry."""
    return {
        "commendations": commendations_of(user, mediator_id=mediator_id, team_id=team_id),
        "may_propose": can_manage and can_propose(user),
        "propose_args": {"mediator": mediator_id} if mediator_id else {"team": team_id},
    }
