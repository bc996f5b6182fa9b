"""Factories of commendation records for tests: made directly as rows (no service), so that a
test of one part does not depend on another part's services."""

from datetime import date

from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    ProposalStep,
)
from app.commendations.rules import issuer_key, number_key
from app.extensions import db
from app.registry.models import Mediator, Team
from app.text import fold
from app.units.models import Unit
from app.units.services import place


def make_proposal(
    *,
    mediator_id: int | None = None,
    team_id: int | None = None,
    unit_id: int | None = None,
    name: str | None = None,
    kind: str | None = None,
    form: str = "giay_khen_huyen",
    status: str = "submitted",
    holder_unit_id: int,
    proposer_unit_id: int | None = None,
    year: int = 2026,
    achievement: str = "Có thành tích xuất sắc trong công tác hòa giải ở cơ sở",
    **values,
) -> CommendationProposal:
    """A proposal for a mediator, a team, or (``unit_id`` + ``name``) another person."""
    if mediator_id is not None:
        nominee = db.session.get(Mediator, mediator_id)
        kind, name = kind or "mediator", nominee.full_name
        placed_at = db.session.get(Unit, nominee.unit_id)
        extra = {"nominee_birth_year": nominee.birth_year, "nominee_sex": nominee.sex}
    elif team_id is not None:
        nominee = db.session.get(Team, team_id)
        kind, name = kind or "team", nominee.name
        placed_at = db.session.get(Unit, nominee.unit_id)
        extra = {}
    else:
        kind, placed_at, extra = kind or "person", db.session.get(Unit, unit_id), {}
    proposal = CommendationProposal(
        year=year,
        form=form,
        status=status,
        nominee_kind=kind,
        mediator_id=mediator_id,
        team_id=team_id,
        nominee_name=name,
        nominee_folded=fold(name),
        nominee_detail=f"{placed_at.name}",
        achievement=achievement,
        period_start=year,
        period_end=year,
        proposer_unit_id=proposer_unit_id or placed_at.id,
        holder_unit_id=holder_unit_id,
        **extra,
        **values,
    )
    place(proposal, placed_at)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(
        ProposalStep(
            proposal_id=proposal.id,
            action="submit",
            from_unit_id=proposal.proposer_unit_id,
            to_unit_id=holder_unit_id,
        )
    )
    return proposal


def make_decision(
    *,
    unit_id: int,
    proposals: list[CommendationProposal],
    number: str = "15/QĐ-UBND",
    signed_on: date = date(2025, 12, 20),
    issuer_name: str | None = None,
    form: str | None = None,
    amount_vnd: int = 500_000,
    achievement: str = "Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm 2025",
    first_serial: int = 1,
) -> CommendationDecision:
    """A decision covering accepted proposals (they become decided), with one award each."""
    unit = db.session.get(Unit, unit_id)
    issuer_name = issuer_name or f"Ủy ban nhân dân {unit.name}"
    decision = CommendationDecision(
        number=number,
        number_folded=number_key(number),
        year=signed_on.year,
        signed_on=signed_on,
        issuer_name=issuer_name,
        issuer_folded=issuer_key(issuer_name),
        signer_title="Chủ tịch",
        signer_name="Lò Văn Thanh",
        form=form or proposals[0].form,
        achievement=achievement,
        amount_vnd=amount_vnd,
    )
    place(decision, unit)
    db.session.add(decision)
    db.session.flush()
    for serial, proposal in enumerate(proposals, start=first_serial):
        proposal.status = "decided"
        db.session.add(CommendationAward.of(decision, proposal, serial))
        db.session.add(ProposalStep(proposal_id=proposal.id, action="decide"))
    db.session.flush()
    return decision
