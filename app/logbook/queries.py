"""Counting cases: success rates for a team or a unit's subtree, for any period (P5).

Every count is one GROUP BY over an index that holds (scope column, received_on, id, result),
so neither the table nor the parties are read. A case belongs to the period in which it was
received, as the statistics form counts them (Circular 03/2019/TT-BTP).
"""

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.logbook.models import LogbookCount, LogbookEntry
from app.logbook.rules import Tally
from app.models import PLACED_COLUMNS
from app.security.scope import placed_under
from app.units.models import Level, Unit

# Units whose cases are counted ahead in logbook_counts (app/logbook/counts.py).
COUNTED_LEVELS = frozenset({Level.PROVINCE, Level.DISTRICT, Level.COMMUNE})


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
    """A unit's subtree (None: the whole country): the counts of its whole months, the cases
    of the days at either end of the period."""
    if unit is not None and unit.level not in COUNTED_LEVELS:
        return tally_where(placed_under(LogbookEntry, unit), start, end)
    months, edges = split_period(start, end)
    tally = Tally()
    if months is not None:
        stmt = select(LogbookCount.result, func.sum(LogbookCount.cases)).group_by(
            LogbookCount.result
        )
        if unit is None:
            stmt = stmt.where(LogbookCount.level == Level.PROVINCE)
        else:
            stmt = stmt.where(LogbookCount.unit_id == unit.id)
        rows = db.session.execute(_in_months(stmt, months)).all()
        tally = Tally.from_counts(dict(rows))
    clause = placed_under(LogbookEntry, unit) if unit else None
    for first, last in edges:
        tally = tally + tally_where(clause, first, last)
    return tally


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
    if level not in COUNTED_LEVELS or (unit is not None and unit.level == Level.COMMUNE):
        return tallies_by(column, clause, start, end)
    months, edges = split_period(start, end)
    tallies: dict[int, Tally] = {}
    if months is not None:
        stmt = (
            select(LogbookCount.unit_id, LogbookCount.result, func.sum(LogbookCount.cases))
            .where(LogbookCount.level == level)
            .group_by(LogbookCount.unit_id, LogbookCount.result)
        )
        if unit is not None:
            stmt = stmt.where(getattr(LogbookCount, PLACED_COLUMNS[unit.level]) == unit.id)
        counts: dict[int, dict[str, int]] = {}
        for key, result, n in db.session.execute(_in_months(stmt, months)):
            counts.setdefault(key, {})[result] = n
        tallies = {key: Tally.from_counts(c) for key, c in counts.items()}
    for first, last in edges:
        for key, tally in tallies_by(column, clause, first, last).items():
            tallies[key] = tallies.get(key, Tally()) + tally
    return tallies


def team_tallies(
    team_ids: list[int], start: date | None = None, end: date | None = None
) -> dict[int, Tally]:
    if not team_ids:
        return {}
    return tallies_by(LogbookEntry.team_id, LogbookEntry.team_id.in_(team_ids), start, end)


def split_period(
    start: date | None, end: date | None
) -> tuple[tuple[date | None, date | None] | None, list[tuple[date, date]]]:
    """[start, end] as the first days of its first and last whole months (None: no whole
    month; None inside: open-ended) and the day ranges at either end outside them."""
    if start is not None and end is not None and end < start:
        return None, []
    first = start if start is None or start.day == 1 else _next_month(start)
    last = None
    if end is not None:
        last = end.replace(day=1) if (end + timedelta(days=1)).day == 1 else None
        if last is None:
            last = _previous_month(end.replace(day=1))
    if first is not None and last is not None and first > last:
        return None, [(start, end)]
    edges = []
    if start is not None and start < first:
        edges.append((start, first - timedelta(days=1)))
    if end is not None and end >= _next_month(last):
        edges.append((_next_month(last), end))
    return (first, last), edges


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _previous_month(first_day: date) -> date:
    return (first_day - timedelta(days=1)).replace(day=1)


def _in_months(stmt, months: tuple[date | None, date | None]):
    first, last = months
    if first is not None:
        stmt = stmt.where(LogbookCount.month >= first)
    if last is not None:
        stmt = stmt.where(LogbookCount.month <= last)
    return stmt


def list_tally(user, listed, filters) -> Tally:
    """The tally of the list of cases (app/logbook/lists.py): from the counts when only the
    unit (or the user's scope), the year and the result narrow it; else from the cases."""
    if listed.team is not None or filters.scope or filters.number:
        return tally_where(listed.where)
    unit = listed.unit or (None if user.is_admin else user.unit)
    start = end = None
    if filters.year:
        year = int(filters.year)
        if year < 2000:
            return Tally()
        start, end = date(year, 1, 1), date(year, 12, 31)
    tally = unit_tally(unit, start, end)
    if filters.result == "ended":
        return Tally(successful=tally.successful, failed=tally.failed)
    if filters.result:
        return Tally.from_counts({filters.result: getattr(tally, filters.result)})
    return tally
