"""The winners proposed for commendation in one step (one proposal per entry naming all its
prizes), and their list for the commendations area (.xlsx/.csv)."""

from dataclasses import dataclass

from sqlalchemy import Select, select

from app.commendations.models import CommendationProposal
from app.contests.models import Contest, ContestEntry, ContestEntryMember
from app.contests.services import user_id
from app.contests.services.awards.winners import (
    PRIZE_NAME_LENGTH,
    final_snapshot,
    require_final_snapshot,
    winners,
)
from app.contests.services.lookups import lock_row, members_of
from app.extensions import db
from app.registry.excel.lists import ExportKind
from app.units.models import Unit


def propose_winners(contest: Contest, user) -> list[CommendationProposal]:
    """Propose every prize winner for commendation in one step (the board): one proposal per
    entry naming all its prizes; running it again creates nothing twice."""
    snapshot = require_final_snapshot(contest)
    lock_row(Contest, contest.id)
    prizes: dict[int, list[str]] = {}
    for winner in winners(contest, snapshot):
        named = prizes.setdefault(winner.entry_id, [])
        if winner.prize not in named:
            named.append(winner.prize)
    proposed = _proposed(contest)
    made = []
    for entry_id, names in prizes.items():
        if entry_id in proposed:
            continue
        proposal = CommendationProposal(
            contest_id=contest.id,
            entry_id=entry_id,
            prize_name=_joined(names),
            snapshot_id=snapshot.id,
            by_user_id=user_id(user),
        )
        db.session.add(proposal)
        made.append(proposal)
    db.session.flush()
    return made


def pending_proposals(contest: Contest) -> list[int]:
    """Entries that won a prize and are not proposed yet (none before publishing)."""
    snapshot = final_snapshot(contest)
    if snapshot is None:
        return []
    proposed = _proposed(contest)
    entries = dict.fromkeys(w.entry_id for w in winners(contest, snapshot))
    return [e for e in entries if e not in proposed]


def _proposed(contest: Contest) -> set[int]:
    """The entries of the contest already proposed for commendation."""
    return set(
        db.session.scalars(
            select(CommendationProposal.entry_id).where(
                CommendationProposal.contest_id == contest.id
            )
        )
    )


def _joined(names: list[str]) -> str:
    text = "; ".join(names)
    return text if len(text) <= PRIZE_NAME_LENGTH else text[: PRIZE_NAME_LENGTH - 1] + "…"


PROPOSAL_STATUS_LABELS = {"proposed": "Đã đề nghị"}


@dataclass
class ProposalRow:
    proposal: CommendationProposal
    entry: ContestEntry
    unit: str
    members: list[ContestEntryMember]


def proposals_stmt(contest: Contest) -> Select:
    """The contest's proposals with their entry and unit, in the order they were made."""
    return (
        select(
            CommendationProposal.id,
            CommendationProposal.entry_id,
            CommendationProposal.prize_name,
            CommendationProposal.status,
            CommendationProposal.at,
            ContestEntry.name.label("entry_name"),
            Unit.name.label("unit_name"),
        )
        .join(ContestEntry, ContestEntry.id == CommendationProposal.entry_id)
        .join(Unit, Unit.id == ContestEntry.unit_id)
        .where(CommendationProposal.contest_id == contest.id)
        .order_by(CommendationProposal.id)
    )


def proposal_rows(contest: Contest) -> list[ProposalRow]:
    """The contest's proposals with their entry, unit and members (a fixed number of queries)."""
    rows = db.session.execute(
        select(CommendationProposal, ContestEntry, Unit.name)
        .join(ContestEntry, ContestEntry.id == CommendationProposal.entry_id)
        .join(Unit, Unit.id == ContestEntry.unit_id)
        .where(CommendationProposal.contest_id == contest.id)
        .order_by(CommendationProposal.id)
    ).tuples()
    rows = list(rows)
    members = members_of(entry.id for _p, entry, _u in rows)
    return [ProposalRow(p, entry, unit, members[entry.id]) for p, entry, unit in rows]


def member_line(member: ContestEntryMember) -> str:
    """ "Giàng Thị Mai (Đội trưởng, 1980)"."""
    details = [member.role_label] + ([str(member.birth_year)] if member.birth_year else [])
    return f"{member.full_name} ({', '.join(details)})"


PROPOSAL_HEADERS = (
    ("STT", 6),
    ("Đội/thí sinh", 32),
    ("Đơn vị", 28),
    ("Giải", 28),
    ("Thành viên", 60),
    ("Hội thi", 40),
    ("Năm", 8),
    ("Trạng thái", 14),
    ("Ngày đề nghị", 14),
)


def proposal_export(contest: Contest) -> tuple[ExportKind, Select]:
    """The proposals as a list for the registry's .xlsx/.csv writer: members, unit, prize.
    The members are read once here, so that writing the rows makes no query per row."""
    rows = db.session.execute(proposals_stmt(contest)).all()
    members = members_of({r.entry_id for r in rows})
    counter = iter(range(1, len(rows) + 1))

    def cells(row) -> list:
        return [
            next(counter),
            row.entry_name,
            row.unit_name,
            row.prize_name,
            "; ".join(member_line(m) for m in members.get(row.entry_id, [])),
            contest.name,
            contest.year,
            PROPOSAL_STATUS_LABELS.get(row.status, row.status),
            row.at.date() if row.at else None,
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
