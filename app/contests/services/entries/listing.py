"""A contest's entries as its pages show them: units, members, and each round's running
order (a fixed number of queries)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.contests.models import (
    MEDIATOR_ROLES,
    Contest,
    ContestEntry,
    ContestEntryMember,
    ContestEntryUnit,
    ContestRound,
    ContestRoundEntry,
)
from app.contests.services.lookups import contest_rounds, members_of
from app.extensions import db
from app.units.models import Unit
from app.units.services import units_by_id


@dataclass
class EntryListing:
    """The entries of a contest with what a page shows of them (a fixed number of queries)."""

    entries: list[ContestEntry]
    units: dict[int, Unit]
    represented: dict[int, list[int]]
    members: dict[int, list[ContestEntryMember]]
    rounds: list[ContestRound]
    orders: dict[int, dict[int, int | None]]  # round id -> entry id -> order number

    def running_order(self, round_id: int) -> list[tuple[int | None, ContestEntry]]:
        """The registered entries of a round by their number drawn (not drawn yet: last)."""
        orders = self.orders.get(round_id, {})
        rows = [(orders[e.id], e) for e in self.entries if e.id in orders]
        rows = [(n, e) for n, e in rows if e.status == "registered"]
        return sorted(rows, key=lambda pair: (pair[0] is None, pair[0] or 0, pair[1].name))

    def counts(self) -> dict[str, int]:
        registered = [e for e in self.entries if e.status == "registered"]
        return {
            "registered": len(registered),
            "withdrawn": len(self.entries) - len(registered),
            "units": len({e.unit_id for e in registered}),
            "mediators": sum(
                1
                for e in registered
                for m in self.members.get(e.id, [])
                if m.role in MEDIATOR_ROLES
            ),
        }


def list_entries(contest: Contest, entry_ids: list[int] | None = None) -> EntryListing:
    """A contest's entries (or some of them), registered first, by name."""
    stmt = select(ContestEntry).where(ContestEntry.contest_id == contest.id)
    if entry_ids is not None:
        stmt = stmt.where(ContestEntry.id.in_(entry_ids or [0]))
    entries = list(db.session.scalars(stmt.order_by(ContestEntry.status.desc(), ContestEntry.name)))
    ids = [e.id for e in entries] or [0]
    represented: dict[int, list[int]] = defaultdict(list)
    for entry_id, unit_id in db.session.execute(
        select(ContestEntryUnit.entry_id, ContestEntryUnit.unit_id)
        .where(ContestEntryUnit.entry_id.in_(ids))
        .order_by(ContestEntryUnit.id)
    ):
        represented[entry_id].append(unit_id)
    rounds = contest_rounds(contest.id)
    orders: dict[int, dict[int, int | None]] = {r.id: {} for r in rounds}
    for round_id, entry_id, number in db.session.execute(
        select(
            ContestRoundEntry.round_id, ContestRoundEntry.entry_id, ContestRoundEntry.order_number
        ).where(ContestRoundEntry.entry_id.in_(ids))
    ):
        orders.setdefault(round_id, {})[entry_id] = number
    unit_ids = {e.unit_id for e in entries} | {u for us in represented.values() for u in us}
    return EntryListing(
        entries=entries,
        units=units_by_id(unit_ids),
        represented=dict(represented),
        members=members_of(e.id for e in entries),
        rounds=rounds,
        orders=orders,
    )
