"""The list of cases: filters read from the query string, scoped to the user, shared by the
page, its htmx fragments, its tally and the .xlsx/.csv export (one definition of the list)."""

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.forms import parse_id
from app.logbook.models import LogbookEntry
from app.logbook.rules import (
    DEFAULT_TARGET,
    ENDED,
    FIVE_GOOD,
    RESULT_LABELS,
    SCOPE_LABELS,
    Target,
    target_for,
)
from app.models import PLACED_COLUMNS
from app.registry.models import Team
from app.security.scope import in_scope, placed_in_scope, placed_under
from app.units.models import Level, Unit

# The order of the list and of the indexes ix_logbook_entries_<level> that serve it.
ENTRY_KEYS = [(LogbookEntry.received_on, True), (LogbookEntry.id, True)]
RESULT_FILTERS = {**RESULT_LABELS, "ended": "Đã kết thúc (thành và không thành)"}
NUMBER = re.compile(r"^\s*(\d{1,6})\s*(?:/\s*(\d{4}))?\s*$")
MIN_YEAR = 2000


@dataclass
class EntryFilters:
    """What the list is narrowed to; every value comes from the query string, checked."""

    unit: int | None = None
    team: int | None = None
    year: str = ""
    result: str = ""
    scope: str = ""
    number: str = ""

    @classmethod
    def from_args(cls, args: MultiDict) -> "EntryFilters":
        values = {}
        for f in fields(cls):
            raw = (args.get(f.name) or "").strip()
            values[f.name] = parse_id(raw) if f.type == (int | None) else raw[:20]
        filters = cls(**values)
        if not (filters.year.isascii() and filters.year.isdigit() and len(filters.year) == 4):
            filters.year = ""
        if filters.result not in RESULT_FILTERS:
            filters.result = ""
        if filters.scope not in SCOPE_LABELS:
            filters.scope = ""
        return filters

    def as_args(self) -> dict:
        """The filters to repeat in links (next page, export): only what is set."""
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}

    def parsed_number(self) -> tuple[int, int | None] | None:
        """ "12" → (12, None); "12/2025" → (12, 2025); anything else → None."""
        match = NUMBER.match(self.number)
        if not match:
            return None
        return int(match.group(1)), int(match.group(2)) if match.group(2) else None


@dataclass
class EntryList:
    """The list's conditions and what the filters resolved to (units and team in scope)."""

    clauses: list
    unit: Unit | None
    team: Team | None

    @property
    def where(self):
        """One clause for queries.tally_where (None: the whole country)."""
        return and_(*self.clauses) if self.clauses else None

    def stmt(self) -> Select:
        return select(LogbookEntry).where(*self.clauses)


def _year_range(year: int) -> list:
    return [
        LogbookEntry.received_on >= date(year, 1, 1),
        LogbookEntry.received_on < date(year + 1, 1, 1),
    ]


def entry_list(user, f: EntryFilters) -> EntryList:
    """The cases a user may see, filtered. Scope is one equality on the narrowest column (the
    team, else the chosen unit, else the user's own unit) so that one index serves the list."""
    unit = db.session.get(Unit, f.unit) if f.unit else None
    if unit is not None and not in_scope(user, unit.id):
        unit = None
    team = db.session.get(Team, f.team) if f.team else None
    if team is not None and not placed_in_scope(user, team):
        team = None
    if team is not None and unit is not None and not placed_in_scope_of(unit, team):
        team = None  # a team of another unit than the one chosen: the unit wins
    f.unit, f.team = (unit.id if unit else None), (team.id if team else None)
    if team is not None:
        clauses = [LogbookEntry.team_id == team.id]
    elif unit is not None:
        clauses = [placed_under(LogbookEntry, unit)]
    elif user.is_admin:
        clauses = []
    else:
        clauses = [placed_under(LogbookEntry, user.unit)]
    number = f.parsed_number()
    year = int(f.year) if f.year else None
    if number is not None and number[1] is not None:
        year = number[1] if year in (None, number[1]) else -1  # two different years: nothing
    if year is not None:
        clauses += _year_range(year) if year >= MIN_YEAR else [LogbookEntry.id.is_(None)]
    if number is not None:
        clauses.append(LogbookEntry.number == number[0])
    elif f.number:
        clauses.append(LogbookEntry.id.is_(None))  # not a number: no case matches
    if f.result == "ended":
        clauses.append(LogbookEntry.result.in_(sorted(ENDED)))
    elif f.result:
        clauses.append(LogbookEntry.result == f.result)
    if f.scope:
        clauses.append(LogbookEntry.scope == f.scope)
    return EntryList(clauses, unit, team)


def placed_in_scope_of(unit: Unit, obj) -> bool:
    """Does a Placed object lie in the subtree of ``unit``? (No query: ancestors are on it.)"""
    return getattr(obj, PLACED_COLUMNS[unit.level]) == unit.id


Village = aliased(Unit, name="village")
Commune = aliased(Unit, name="commune")


def team_places(team_ids) -> dict[int, tuple[str, str | None, str | None]]:
    """{team id: (team name, village name, commune name)} for a page of cases, in one query."""
    ids = {i for i in team_ids if i}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Team.id, Team.name, Village.name, Commune.name, Team.unit_id, Team.commune_id)
        .join(Village, Village.id == Team.unit_id)
        .join(Commune, Commune.id == Team.commune_id, isouter=True)
        .where(Team.id.in_(ids))
    ).all()
    return {
        team_id: (name, village if unit_id != commune_id else None, commune)
        for team_id, name, village, commune, unit_id, commune_id in rows
    }


MAX_TEAM_OPTIONS = 300


def _context_unit(user, listed: EntryList) -> Unit | None:
    """The unit the list is about: the one chosen, else the user's own (None: the country)."""
    return listed.unit or (None if user.is_admin else user.unit)


def spans_communes(user, listed: EntryList) -> bool:
    """Whether the list may hold several communes' cases (then each row names its commune)."""
    if listed.team is not None:
        return False
    unit = _context_unit(user, listed)
    return unit is None or unit.level < Level.COMMUNE


def list_target(user, listed: EntryList) -> Target:
    """The 5-good criterion for one team, the commune's target for a commune, else 85%."""
    if listed.team is not None:
        return FIVE_GOOD
    unit = _context_unit(user, listed)
    if unit is not None and unit.level == Level.COMMUNE:
        return target_for(unit.is_pilot)
    return DEFAULT_TARGET


def team_options(user, listed: EntryList) -> list[Team]:
    """The teams offered in the filter: those of the chosen (or the user's) commune or village."""
    unit = _context_unit(user, listed)
    if unit is None or unit.level < Level.COMMUNE:
        return [listed.team] if listed.team else []
    column = Team.commune_id if unit.level == Level.COMMUNE else Team.unit_id
    stmt = select(Team).where(column == unit.id).order_by(Team.name_folded, Team.id)
    return list(db.session.scalars(stmt.limit(MAX_TEAM_OPTIONS)))
