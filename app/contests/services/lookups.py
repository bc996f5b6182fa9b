"""A contest's structure as every service reads it: rounds, parts, entries, panels, prizes,
members, conflicts of interest, what is recorded, and whether a round is being judged. Each
helper is a fixed number of queries, whatever the size of the contest."""

from collections.abc import Iterable

from sqlalchemy import func, select

from app.contests.models import (
    Contest,
    ContestEntry,
    ContestEntryMember,
    ContestEntryUnit,
    ContestJudge,
    ContestPart,
    ContestPenalty,
    ContestPrize,
    ContestRound,
    ContestRoundEntry,
    ScoreSheet,
    SecretaryMark,
)
from app.extensions import db
from app.units.models import UnitClosure
from app.units.services import units_by_id

# What is recorded during judging: a round entry, a part or a judge with any of these is
# part of the contest's record and is no longer removed.
RECORDS = (ScoreSheet, SecretaryMark, ContestPenalty)


# Rounds


def contest_rounds(contest_id: int) -> list[ContestRound]:
    """A contest's rounds in order."""
    return list(
        db.session.scalars(
            select(ContestRound)
            .where(ContestRound.contest_id == contest_id)
            .order_by(ContestRound.position)
        )
    )


def last_round(contest: Contest) -> ContestRound | None:
    """The contest's last round (its ranking gets the rank prizes), None without rounds."""
    return db.session.scalar(
        select(ContestRound)
        .where(ContestRound.contest_id == contest.id)
        .order_by(ContestRound.position.desc())
        .limit(1)
    )


def is_last_round(round_: ContestRound) -> bool:
    """No round follows this one: its ranking gets the rank prizes."""
    later = db.session.scalar(
        select(func.count())
        .select_from(ContestRound)
        .where(
            ContestRound.contest_id == round_.contest_id, ContestRound.position > round_.position
        )
    )
    return not later


def previous_round(round_: ContestRound) -> ContestRound | None:
    """The round before this one in the contest (None for the first)."""
    return db.session.scalar(
        select(ContestRound)
        .where(
            ContestRound.contest_id == round_.contest_id,
            ContestRound.position < round_.position,
        )
        .order_by(ContestRound.position.desc())
        .limit(1)
    )


JUDGING_STATES = ("contest", "preparing", "published")


def judging_state(round_: ContestRound) -> str | None:
    """Why nothing can be scored or recorded in a round now: "contest" (the contest is not in
    judging), "preparing" (the round is not opened) or "published"; None while it is being
    judged. Each page words the answer for its reader."""
    if round_.contest.status != "judging":
        return "contest"
    if round_.status != "judging":
        return "preparing" if round_.status == "preparing" else "published"
    return None


# Parts, entries, judges


def round_parts(round_id: int) -> list[ContestPart]:
    """The parts of a round in their order (criteria loaded with them)."""
    return list(
        db.session.scalars(
            select(ContestPart)
            .where(ContestPart.round_id == round_id)
            .order_by(ContestPart.position)
        )
    )


def parts_of_rounds(round_ids: Iterable[int]) -> list[ContestPart]:
    """The parts of several rounds with their criteria (two queries), in order."""
    return list(
        db.session.scalars(
            select(ContestPart)
            .where(ContestPart.round_id.in_(list(round_ids)))
            .order_by(ContestPart.round_id, ContestPart.position)
        )
    )


def round_entries(round_id: int) -> list[ContestRoundEntry]:
    """The entries of a round that are still in the contest, in running order."""
    return list(
        db.session.scalars(
            select(ContestRoundEntry)
            .join(ContestEntry, ContestEntry.id == ContestRoundEntry.entry_id)
            .where(ContestRoundEntry.round_id == round_id, ContestEntry.status == "registered")
            .order_by(
                ContestRoundEntry.order_number.is_(None),
                ContestRoundEntry.order_number,
                ContestEntry.name,
            )
        )
    )


def round_judges(round_id: int) -> list[ContestJudge]:
    """The panel of a round in seating order."""
    return list(
        db.session.scalars(
            select(ContestJudge)
            .where(ContestJudge.round_id == round_id)
            .order_by(ContestJudge.position, ContestJudge.id)
        )
    )


def conflicts(judges: list[ContestJudge], entry_ids: list[int]) -> set[tuple[int, int]]:
    """(judge id, entry id) pairs a judge may not score: the judge works in the entry's unit
    or in a unit it represents, or below one (DOMAIN.md §5). Two queries for a whole round."""
    judges = [j for j in judges if j.unit_id is not None]
    if not judges or not entry_ids:
        return set()
    units: dict[int, set[int]] = {}
    for entry_id, unit_id in db.session.execute(
        select(ContestEntry.id, ContestEntry.unit_id).where(ContestEntry.id.in_(entry_ids))
    ):
        units.setdefault(unit_id, set()).add(entry_id)
    for entry_id, unit_id in db.session.execute(
        select(ContestEntryUnit.entry_id, ContestEntryUnit.unit_id).where(
            ContestEntryUnit.entry_id.in_(entry_ids)
        )
    ):
        units.setdefault(unit_id, set()).add(entry_id)
    judge_units = {j.unit_id for j in judges}
    inside = db.session.execute(
        select(UnitClosure.ancestor_id, UnitClosure.descendant_id).where(
            UnitClosure.ancestor_id.in_(units), UnitClosure.descendant_id.in_(judge_units)
        )
    ).all()
    pairs = set()
    for ancestor, descendant in inside:
        for judge in judges:
            if judge.unit_id == descendant:
                pairs.update((judge.id, entry_id) for entry_id in units[ancestor])
    return pairs


def members_of(entry_ids: Iterable[int]) -> dict[int, list[ContestEntryMember]]:
    """The members of these entries (each entry's list, empty when it has none), in their
    order, in one query."""
    ids = list(entry_ids)
    members: dict[int, list[ContestEntryMember]] = {i: [] for i in ids}
    for member in db.session.scalars(
        select(ContestEntryMember)
        .where(ContestEntryMember.entry_id.in_(ids or [0]))
        .order_by(ContestEntryMember.entry_id, ContestEntryMember.position, ContestEntryMember.id)
    ):
        members[member.entry_id].append(member)
    return members


def has_records(
    *,
    part_id: int | None = None,
    round_id: int | None = None,
    entry_ids: list[int] | None = None,
) -> bool:
    """Whether a score sheet, a quiz result or a penalty is recorded for a part, or for some
    entries in a round."""
    for model in RECORDS:
        stmt = select(model.id)
        if part_id is not None:
            stmt = stmt.where(model.part_id == part_id)
        if round_id is not None:
            stmt = stmt.where(model.round_id == round_id)
        if entry_ids is not None:
            stmt = stmt.where(model.entry_id.in_(entry_ids))
        if db.session.scalar(stmt.limit(1)) is not None:
            return True
    return False


# Prizes and names


def contest_prizes(contest_id: int, kind: str | None = None) -> list[ContestPrize]:
    """A contest's prize table in order; only its rank (Nhất, Nhì...) or side prizes with
    ``kind``."""
    stmt = select(ContestPrize).where(ContestPrize.contest_id == contest_id)
    if kind is not None:
        stmt = stmt.where(ContestPrize.kind == kind)
    return list(db.session.scalars(stmt.order_by(ContestPrize.position, ContestPrize.id)))


def unit_names(unit_ids: Iterable[int | None]) -> dict[int, str]:
    """Unit id → name, for the units a page names (one query)."""
    return {unit_id: unit.name for unit_id, unit in units_by_id(unit_ids).items()}
