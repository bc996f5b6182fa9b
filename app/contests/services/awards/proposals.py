"""The winners proposed for commendation in one step (the commendations area makes the
proposals: app/commendations/services/contest.py), the entries not proposed yet, and the
contest's proposals listed with their export (.xlsx/.csv)."""

from dataclasses import dataclass

from sqlalchemy import Select, select

from app.commendations.models import CommendationProposal
from app.commendations.rules import FORMS, PROPOSAL_STATUS_LABELS
from app.contests.models import Contest, ContestEntry
from app.contests.services.awards.winners import final_snapshot, winners
from app.extensions import db
from app.registry.excel.lists import ExportKind
from app.units.models import Unit


def propose_winners(
    contest: Contest, user, form: str | None = None, per: str = "member"
) -> list[CommendationProposal]:
    """Propose every prize winner for commendation in one step (the board), for ``form``
    (default: the organiser's level), per member mediator or per entry; running it again
    creates nothing twice."""
    from app.commendations.services.contest import default_form, propose_contest_winners

    return propose_contest_winners(contest, user, form or default_form(contest), per)


def pending_proposals(contest: Contest) -> list[int]:
    """Entries that won a prize and have no proposal yet (none before publishing)."""
    snapshot = final_snapshot(contest)
    if snapshot is None:
        return []
    proposed = set(
        db.session.scalars(
            select(CommendationProposal.contest_entry_id).where(
                CommendationProposal.contest_id == contest.id
            )
        )
    )
    entries = dict.fromkeys(w.entry_id for w in winners(contest, snapshot))
    return [e for e in entries if e not in proposed]


@dataclass
class ProposalRow:
    proposal: CommendationProposal
    entry_name: str
    unit: str


def proposals_stmt(contest: Contest) -> Select:
    """The contest's proposals with their entry and the entry's unit, in the order made."""
    return (
        select(CommendationProposal, ContestEntry.name, Unit.name)
        .join(ContestEntry, ContestEntry.id == CommendationProposal.contest_entry_id)
        .join(Unit, Unit.id == ContestEntry.unit_id)
        .where(CommendationProposal.contest_id == contest.id)
        .order_by(CommendationProposal.id)
    )


def proposal_rows(contest: Contest) -> list[ProposalRow]:
    """The contest's proposals for its page (one query)."""
    return [
        ProposalRow(proposal, entry_name, unit)
        for proposal, entry_name, unit in db.session.execute(proposals_stmt(contest)).tuples()
    ]


PROPOSAL_HEADERS = (
    ("STT", 6),
    ("Người được đề nghị", 30),
    ("Đội/thí sinh", 30),
    ("Đơn vị", 28),
    ("Giải", 28),
    ("Hình thức", 36),
    ("Trạng thái", 16),
    ("Hội thi", 40),
    ("Năm", 8),
    ("Ngày đề nghị", 14),
)


def proposal_export(contest: Contest) -> tuple[ExportKind, Select]:
    """The proposals as a list for the registry's .xlsx/.csv writer (no query per row)."""
    counter = iter(range(1, 1_000_000))

    def cells(row) -> list:
        proposal, entry_name, unit = row
        return [
            next(counter),
            proposal.nominee_name,
            entry_name,
            unit,
            proposal.prize_name,
            FORMS[proposal.form].label if proposal.form in FORMS else proposal.form,
            PROPOSAL_STATUS_LABELS.get(proposal.status, proposal.status),
            contest.name,
            contest.year,
            proposal.created_at.date() if proposal.created_at else None,
        ]

    kind = ExportKind(
        "contest_proposals",
        "Đề nghị khen thưởng",
        f"de-nghi-khen-thuong-hoi-thi-{contest.id}",
        "contests.proposals",
        type(None),
        PROPOSAL_HEADERS,
        lambda user, filters: proposals_stmt(contest),
        cells,
    )
    return kind, proposals_stmt(contest)
