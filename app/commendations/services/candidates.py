"""Who may be proposed: the nominee search of the proposal form, the filtered list of the bulk
proposal, and the units a typed-in person or organisation may belong to. Every list is scoped
to the user's subtree and read with a fixed number of queries."""

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from werkzeug.datastructures import MultiDict

from app.commendations.services.basis import Basis, bulk_bases
from app.extensions import db
from app.forms import parse_id
from app.registry.models import Mediator, Team
from app.registry.queries import (
    MediatorFilters,
    TeamFilters,
    _search_clauses,
    mediators_stmt,
    teams_stmt,
)
from app.security.scope import scope_placed, sees_everything
from app.text import fold
from app.units.models import Level, Unit, UnitClosure
from app.units.services import units_by_id

SEARCH_LIMIT = 20
SEARCH_TEAMS = 5
BULK_LIMIT = 50


def unit_options(user) -> list[tuple[int, str]]:
    """(id, label) of the user's unit and the current units below it down to the communes,
    each under its parent (indented), for the unit of a typed-in nominee."""
    rows = list(
        db.session.scalars(
            select(Unit)
            .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
            .where(
                UnitClosure.ancestor_id == user.unit_id,
                Unit.level <= Level.COMMUNE,
                Unit.valid_to.is_(None) | (Unit.id == user.unit_id),
            )
        )
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in rows:
        children.setdefault(unit.parent_id, []).append(unit)
    options: list[tuple[int, str]] = []

    def walk(unit: Unit, depth: int) -> None:
        options.append((unit.id, "· " * depth + unit.name))
        for child in sorted(children.get(unit.id, []), key=lambda u: (u.name_folded, u.id)):
            walk(child, depth + 1)

    top = next((u for u in rows if u.id == user.unit_id), None)
    if top is not None:
        walk(top, 0)
    return options


@dataclass
class Found:
    """The answer of the nominee search: mediators and teams, their teams' and communes' names."""

    q: str = ""
    mediators: list[Mediator] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    team_names: dict[int, str] = field(default_factory=dict)
    communes: dict[int, Unit] = field(default_factory=dict)
    more: bool = False

    @property
    def searched(self) -> bool:
        return len(fold(self.q)) >= 2


def search_nominees(user, q: str) -> Found:
    """Mediators (name prefix, surname or given name first, diacritics ignored) and teams
    (name contains) of the user's subtree, at most SEARCH_LIMIT in all."""
    found = Found(q=(q or "").strip()[:100])
    if not found.searched:
        return found
    teams = db.session.scalars(
        scope_placed(select(Team), Team, user)
        .where(Team.name_folded.contains(fold(found.q), autoescape=True))
        .order_by(Team.name_folded, Team.id)
        .limit(SEARCH_TEAMS + 1)
    )
    found.teams = list(teams)
    room = SEARCH_LIMIT - min(len(found.teams), SEARCH_TEAMS)
    stmt = scope_placed(select(Mediator), Mediator, user).where(or_(*_search_clauses(found.q)))
    mediators = list(
        db.session.scalars(stmt.order_by(Mediator.name_folded, Mediator.id).limit(room + 1))
    )
    found.more = len(mediators) > room or len(found.teams) > SEARCH_TEAMS
    found.mediators, found.teams = mediators[:room], found.teams[:SEARCH_TEAMS]
    found.team_names = _team_names({m.team_id for m in found.mediators})
    found.communes = units_by_id(
        [m.commune_id for m in found.mediators] + [t.commune_id for t in found.teams]
    )
    return found


def _team_names(team_ids) -> dict[int, str]:
    if not team_ids:
        return {}
    return dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())


@dataclass
class BulkFilters:
    """The filtered list of the bulk proposal: mediators or teams, a unit, a name, only the
    active mediators / only the compliant teams."""

    kind: str = "mediator"
    unit: int | None = None
    q: str = ""
    active: bool = True
    compliant: bool = False

    @classmethod
    def from_args(cls, args: MultiDict) -> "BulkFilters":
        """Read from the query string (or the post); before the filter form was ever sent
        (no ``kind``), only the active mediators are listed."""
        if "kind" not in args:
            return cls()
        return cls(
            kind="team" if args.get("kind") == "team" else "mediator",
            unit=parse_id(args.get("unit")),
            q=(args.get("q") or "").strip()[:100],
            active=args.get("active") in ("1", "on"),
            compliant=args.get("compliant") in ("1", "on"),
        )

    def as_args(self) -> dict:
        args = {"kind": self.kind, "unit": self.unit or "", "q": self.q}
        if self.active:
            args["active"] = "1"
        if self.compliant:
            args["compliant"] = "1"
        return args


@dataclass
class BulkRow:
    key: str  # "m<id>" or "t<id>", the checkbox's value
    nominee: Mediator | Team
    basis: Basis
    commune: str


@dataclass
class BulkList:
    rows: list[BulkRow]
    more: bool


def bulk_candidates(user, f: BulkFilters, start: int, end: int) -> BulkList:
    """Up to BULK_LIMIT nominees of the filters with each one's basis over the period, in a
    fixed number of queries whatever the number of rows (QUALITY.md P3)."""
    compliance = "yes" if f.compliant else ""
    mediators: list[Mediator] = []
    teams: list[Team] = []
    if f.kind == "team":
        filters = TeamFilters(q=f.q, unit=f.unit, compliance=compliance, status="active")
        stmt = teams_stmt(user, filters).order_by(Team.name_folded, Team.id)
        teams = list(db.session.scalars(stmt.limit(BULK_LIMIT + 1)))
        more, teams = len(teams) > BULK_LIMIT, teams[:BULK_LIMIT]
    else:
        filters = MediatorFilters(
            unit=f.unit, status="active" if f.active else "", compliance=compliance
        )
        stmt = mediators_stmt(user, filters)
        if f.q:
            stmt = stmt.where(or_(*_search_clauses(f.q)))
        stmt = stmt.order_by(Mediator.name_folded, Mediator.id)
        mediators = list(db.session.scalars(stmt.limit(BULK_LIMIT + 1)))
        more, mediators = len(mediators) > BULK_LIMIT, mediators[:BULK_LIMIT]
    bases = bulk_bases(mediators, teams, start, end)
    communes = units_by_id([n.commune_id for n in [*mediators, *teams]])

    def commune(n) -> str:
        unit = communes.get(n.commune_id)
        return unit.name if unit else ""

    rows = [BulkRow(f"m{m.id}", m, bases["mediator", m.id], commune(m)) for m in mediators]
    rows += [BulkRow(f"t{t.id}", t, bases["team", t.id], commune(t)) for t in teams]
    return BulkList(rows, more)


def chosen_nominees(keys: list[str]) -> tuple[list[Mediator | Team], list[str]]:
    """The mediators and teams of the checked boxes ("m12", "t5"), one query each; the keys
    that name nobody come back apart (answered like nominees out of scope)."""
    mediator_ids = [i for i in (parse_id(k[1:]) for k in keys if k.startswith("m")) if i]
    team_ids = [i for i in (parse_id(k[1:]) for k in keys if k.startswith("t")) if i]
    found: dict[str, Mediator | Team] = {}
    if mediator_ids:
        for m in db.session.scalars(select(Mediator).where(Mediator.id.in_(mediator_ids))):
            found[f"m{m.id}"] = m
    if team_ids:
        for t in db.session.scalars(select(Team).where(Team.id.in_(team_ids))):
            found[f"t{t.id}"] = t
    unknown = [k for k in keys if k not in found]
    return [found[k] for k in dict.fromkeys(keys) if k in found], unknown


# The issuing units of a decision

UNIT_CHOICES_LIMIT = 600


def issuing_units(user, candidates=()) -> list[Unit]:
    """The units whose body a user may record a decision of: their unit and the units below
    it down to communes (an admin: those of their unit, then the offices and communes of the
    candidates), current ones, offices first."""
    found = {}
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(
            UnitClosure.ancestor_id == user.unit_id,
            Unit.level <= Level.COMMUNE,
            Unit.valid_to.is_(None),
        )
        .order_by(Unit.level, Unit.name_folded, Unit.id)
        .limit(UNIT_CHOICES_LIMIT)
    )
    for unit in db.session.scalars(stmt):
        found[unit.id] = unit
    if sees_everything(user):
        ids = (
            {
                getattr(p, column)
                for p in candidates
                for column in ("province_id", "district_id", "commune_id")
            }
            - set(found)
            - {None}
        )
        if ids:
            found.update(
                (u.id, u) for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))
            )
    return sorted(found.values(), key=lambda u: (u.level, u.name_folded, u.id))
