"""Counting cases: success rates for a team or a unit's subtree, for any period (P5).

Every count is one GROUP BY over an index that holds (scope column, received_on, id, result),
so neither the table nor the parties are read. A case belongs to the period in which it was
received, as the statistics form counts them (Circular 03/2019/TT-BTP).
"""

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.logbook.models import LogbookEntry
from app.logbook.rules import Tally
from app.models import PLACED_COLUMNS
from app.security.scope import placed_under
from app.units.models import Unit


def _in_period(stmt, start: date | None, end: date | None):
    if start is not None:
        stmt = stmt.where(LogbookEntry.received_on >= start)
    if end is not None:
        stmt = stmt.where(LogbookEntry.received_on <= end)
    return stmt


def tally_where(clause, start: date | None = None, end: date | None = None) -> Tally:
    """The cases matching ``clause`` (None: the whole country) received in the period."""
    stmt = select(LogbookEntry.result, func.count()).group_by(LogbookEntry.result)
    if clause is not None:
        stmt = stmt.where(clause)
    rows = db.session.execute(_in_period(stmt, start, end)).all()
    return Tally.from_counts(dict(rows))


def unit_tally(unit: Unit | None, start: date | None = None, end: date | None = None) -> Tally:
    """A unit's subtree (None: the whole country)."""
    return tally_where(placed_under(LogbookEntry, unit) if unit else None, start, end)


def team_tally(team_id: int, start: date | None = None, end: date | None = None) -> Tally:
    return tally_where(LogbookEntry.team_id == team_id, start, end)


def tallies_by(
    column, clause=None, start: date | None = None, end: date | None = None
) -> dict[int, Tally]:
    """One Tally per value of a column (team_id, commune_id...), in one query."""
    stmt = select(column, LogbookEntry.result, func.count()).group_by(column, LogbookEntry.result)
    if clause is not None:
        stmt = stmt.where(clause)
    counts: dict[int, dict[str, int]] = {}
    for key, result, n in db.session.execute(_in_period(stmt, start, end)):
        counts.setdefault(key, {})[result] = n
    return {key: Tally.from_counts(c) for key, c in counts.items()}


def child_tallies(
    unit: Unit | None, level: int, start: date | None = None, end: date | None = None
) -> dict[int, Tally]:
    """Tallies per unit of ``level`` (Level value) below ``unit`` (None: the country)."""
    column = getattr(LogbookEntry, PLACED_COLUMNS[level])
    clause = placed_under(LogbookEntry, unit) if unit else None
    return tallies_by(column, clause, start, end)


def team_tallies(
    team_ids: list[int], start: date | None = None, end: date | None = None
) -> dict[int, Tally]:
    if not team_ids:
        return {}
    return tallies_by(LogbookEntry.team_id, LogbookEntry.team_id.in_(team_ids), start, end)
