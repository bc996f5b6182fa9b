"""A contest's winners proposed for commendation in one step (DOMAIN.md §5 → §6): from the
final published ranking and the side prizes, one proposal per member of each winning entry
who is a mediator of the registry, or one per entry (the team as a collective)."""

from sqlalchemy import select

from app.commendations.models import CommendationProposal
from app.commendations.rules import FORMS
from app.commendations.services import CommendationError
from app.commendations.services.proposals import ContestLink, OtherNominee, make_proposal
from app.concurrency import lock_row
from app.contests.models import Contest, ContestEntry
from app.contests.services.awards.winners import (
    PRIZE_NAME_LENGTH,
    require_final_snapshot,
    winners,
)
from app.contests.services.lookups import members_of
from app.extensions import db
from app.registry.models import Mediator
from app.text import fold

# The form of the organiser's level (the same mapping migration 0004 used).
CONTEST_FORMS = {
    "commune": "giay_khen_xa",
    "district": "giay_khen_huyen",
    "province": "bang_khen_tinh",
    "national": "bang_khen_bo",
}
PER_CHOICES = {
    "member": "Từng hòa giải viên của đội",
    "entry": "Cả đội (tập thể)",
}


def default_form(contest: Contest) -> str:
    """The form a contest of this level proposes its winners for, unless the board chooses."""
    return CONTEST_FORMS.get(contest.level, "giay_khen_huyen")


def per_choices(contest: Contest) -> dict[str, str]:
    """How the winners may be proposed: an individual contest, per member only."""
    return PER_CHOICES if contest.entry_kind == "team" else {"member": PER_CHOICES["member"]}


def propose_contest_winners(
    contest: Contest, user, form: str, per: str = "member"
) -> list[CommendationProposal]:
    """Propose every prize winner of the published final ranking and the side prizes in one
    step (the contest's board): per member who is a registry mediator (actors excepted) or
    per entry; what is already proposed is not proposed again. All or nothing."""
    snapshot = require_final_snapshot(contest)
    if form not in FORMS:
        raise CommendationError("Chọn hình thức khen thưởng.", "form")
    lock_row(Contest, contest.id)
    per = per if per in per_choices(contest) else "member"
    prizes, member_prizes = _prizes(contest, snapshot)
    entries = {
        e.id: e
        for e in db.session.scalars(select(ContestEntry).where(ContestEntry.id.in_(list(prizes))))
    }
    members = members_of(prizes)
    mediator_ids = {m.mediator_id for ms in members.values() for m in ms if m.mediator_id}
    mediators = {
        m.id: m
        for m in db.session.scalars(select(Mediator).where(Mediator.id.in_(mediator_ids or [0])))
    }
    done = proposed(contest)
    made, refused, offices = [], [], {}

    def propose(nominee, entry: ContestEntry, names: list[str], label: str) -> None:
        link = ContestLink(contest.id, entry.id, snapshot.id, _joined(names))
        try:
            made.append(
                make_proposal(
                    user,
                    nominee,
                    form=form,
                    achievement=f"Đạt {'; '.join(names)} {contest.name}",
                    period_start=contest.year,
                    period_end=contest.year,
                    basis_note=None,
                    proposer_unit_id=contest.unit_id,
                    contest=link,
                    year=contest.year,
                    offices=offices,
                )
            )
        except CommendationError as error:
            refused.extend(("form", f"{label}: {message}") for _, message in error.errors)

    for entry_id, names in prizes.items():
        entry = entries[entry_id]
        if per == "entry":
            if (entry_id, None) not in done:
                every = _entry_prizes(names, members[entry_id], member_prizes)
                propose(_collective(entry), entry, every, entry.name)
            continue
        for member in members.get(entry_id, []):
            mediator = mediators.get(member.mediator_id)
            if member.role == "actor" or mediator is None or (entry_id, mediator.id) in done:
                continue
            own = names + [p for p in member_prizes.get(member.id, []) if p not in names]
            if own:
                propose(mediator, entry, own, mediator.full_name)
    if refused:
        raise CommendationError(refused)
    return made


def _prizes(contest: Contest, snapshot) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The prizes of each winning entry (rank prizes, then the side prizes given to the whole
    entry), and the side prizes given to one member, in the order certificates are numbered."""
    prizes: dict[int, list[str]] = {}
    member_prizes: dict[int, list[str]] = {}
    for winner in winners(contest, snapshot):
        named = prizes.setdefault(winner.entry_id, [])
        if winner.member_id is not None:
            named = member_prizes.setdefault(winner.member_id, [])
        if winner.prize not in named:
            named.append(winner.prize)
    return prizes, member_prizes


def _entry_prizes(names: list[str], members, member_prizes) -> list[str]:
    """An entry's prizes and those of its members, each once."""
    every = list(names)
    for member in members:
        every += [p for p in member_prizes.get(member.id, []) if p not in every]
    return every


def _collective(entry: ContestEntry) -> OtherNominee:
    """An entry as an organisation nominee, named as a team: "Đội thi xã Sín Thầu"."""
    name = entry.name if fold(entry.name).startswith("doi") else f"Đội thi {entry.name}"
    return OtherNominee(kind="organisation", name=name[:200], unit_id=entry.unit_id)


def _joined(names: list[str]) -> str:
    text = "; ".join(names)
    return text if len(text) <= PRIZE_NAME_LENGTH else text[: PRIZE_NAME_LENGTH - 1] + "…"


def proposed(contest: Contest) -> set[tuple[int, int | None]]:
    """(entry, mediator) pairs of the contest already proposed; (entry, None) for an entry
    proposed as a collective. Withdrawn proposals count too: withdrawing is a choice."""
    return set(
        db.session.execute(
            select(CommendationProposal.contest_entry_id, CommendationProposal.mediator_id).where(
                CommendationProposal.contest_id == contest.id,
                CommendationProposal.nominee_kind.in_(("mediator", "organisation")),
            )
        ).tuples()
    )
