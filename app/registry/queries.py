"""The registry's lists: filters read from the query string, scoped to the user, shared by
the pages, their htmx fragments and the .xlsx/.csv exports (one definition of each list)."""

from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import Select, select
from werkzeug.datastructures import MultiDict

from app.clock import today
from app.extensions import db
from app.forms import parse_id
from app.pagination import Page, cursor_for, encode_cursor, key_values
from app.registry.models import Mediator, Team, Trainer, Training
from app.registry.rules import SEX_LABELS, STATUS_LABELS, ethnic_groups
from app.security.scope import placed_under, scope_placed
from app.text import fold
from app.units.models import Unit

PREFIX_END = "\uffff"


def _prefix(column, key: str):
    """column starts with key: an index range on a byte-ordered (folded_text) column."""
    return (column >= key) & (column < key + PREFIX_END)


@dataclass
class ListFilters:
    """Common to every list: the search text, a unit of the user's subtree, the sort."""

    q: str = ""
    unit: int | None = None
    sort: str = "name"

    @classmethod
    def from_args(cls, args: MultiDict) -> "ListFilters":
        values = {}
        for f in fields(cls):
            if f.name not in args:
                continue  # absent: the default ("" sent by a form means "all")
            raw = (args.get(f.name) or "").strip()
            if f.type == (int | None):
                values[f.name] = parse_id(raw)
            elif f.type is bool:
                values[f.name] = raw in ("1", "on", "yes", "true")
            else:
                values[f.name] = raw[:200]
        return cls(**values)

    def as_args(self) -> dict:
        """The filters to repeat in links (next page, export): what is set or differs from
        the default (a status of "" means "all" when the default is "active")."""
        defaults = {f.name: f.default for f in fields(self)}
        return {
            k: ("" if v is None else v)
            for k, v in self.__dict__.items()
            if v not in ("", None, False) or v != defaults[k]
        }


def restrict_to_unit(stmt: Select, model, unit_id: int | None, user) -> tuple[Select, Unit | None]:
    """Narrow to a unit chosen in the filters (ignored when outside the user's scope)."""
    if unit_id is None:
        return stmt, None
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        return stmt, None
    from app.security.scope import in_scope

    if not in_scope(user, unit.id):
        return stmt, None
    return stmt.where(placed_under(model, unit)), unit


@dataclass
class MediatorFilters(ListFilters):
    status: str = "active"
    sex: str = ""
    ethnicity: str = ""
    minority: str = ""
    trained: str = ""
    overdue: bool = False
    team: int | None = None
    compliance: str = ""


MEDIATOR_SORTS = {
    "name": [(Mediator.name_folded, False), (Mediator.id, False)],
    "-name": [(Mediator.name_folded, True), (Mediator.id, True)],
    "birth_year": [(Mediator.birth_year, False), (Mediator.id, False)],
    "-birth_year": [(Mediator.birth_year, True), (Mediator.id, True)],
}
MEDIATOR_SORT_LABELS = {
    "name": "Họ tên A → Z",
    "-name": "Họ tên Z → A",
    "birth_year": "Năm sinh tăng dần",
    "-birth_year": "Năm sinh giảm dần",
}


def mediators_stmt(user, f: MediatorFilters) -> Select:
    """The mediators a user may see, filtered (search excluded: see mediator_page)."""
    stmt = scope_placed(select(Mediator), Mediator, user)
    stmt, _ = restrict_to_unit(stmt, Mediator, f.unit, user)
    if f.status in STATUS_LABELS:
        stmt = stmt.where(Mediator.status == f.status)
    if f.sex in SEX_LABELS:
        stmt = stmt.where(Mediator.sex == f.sex)
    if f.ethnicity in ethnic_groups():
        stmt = stmt.where(Mediator.ethnicity_code == f.ethnicity)
    if f.minority == "yes":
        stmt = stmt.where(Mediator.ethnicity_code != "01")
    elif f.minority == "no":
        stmt = stmt.where(Mediator.ethnicity_code == "01")
    if f.trained == "yes":
        stmt = stmt.where(Mediator.trained_on.is_not(None))
    elif f.trained == "no":
        stmt = stmt.where(Mediator.trained_on.is_(None))
    if f.overdue:
        stmt = stmt.where(
            Mediator.status == "active",
            Mediator.trained_on.is_(None),
            Mediator.training_due < today(),
        )
    if f.team:
        stmt = stmt.where(Mediator.team_id == f.team)
    if f.compliance in ("yes", "no"):
        compliant = select(Team.id).where(Team.is_compliant.is_(f.compliance == "yes"))
        stmt = stmt.where(Mediator.team_id.in_(compliant))
    return stmt


def _search_clauses(q: str):
    """Search by phone digits, or by full name / given name prefix, diacritics ignored."""
    key = fold(q)
    digits = "".join(ch for ch in q if ch.isdigit())
    if digits and len(digits) >= 3 and len(digits) == len(q.replace(" ", "")):
        return [_prefix(Mediator.phone_digits, digits)]
    clauses = [_prefix(Mediator.name_folded, key)]
    if len(key) >= 2:
        clauses.append(_prefix(Mediator.given_name_folded, key))
    return clauses


def mediator_page(user, f: MediatorFilters, after: str | None, per_page: int) -> Page:
    """One page of mediators. A search runs one index range per way of matching a name and
    merges the ordered results, so it costs what a plain page costs (QUALITY.md P4)."""
    keys = MEDIATOR_SORTS.get(f.sort, MEDIATOR_SORTS["name"])
    base = mediators_stmt(user, f)
    clauses = _search_clauses(f.q) if f.q else [None]
    cursor = cursor_for(keys, after)
    rows: dict[int, Mediator] = {}
    for clause in clauses:
        stmt = base if clause is None else base.where(clause)
        if cursor is not None:
            stmt = stmt.where(_after(keys, cursor))
        stmt = stmt.order_by(*[(c.desc() if d else c.asc()) for c, d in keys]).limit(per_page + 1)
        for mediator in db.session.scalars(stmt):
            rows[mediator.id] = mediator
    ordered = sorted(rows.values(), key=lambda m: _sort_key(m, keys))
    next_cursor = None
    if len(ordered) > per_page:
        ordered = ordered[:per_page]
        last = ordered[-1]
        next_cursor = encode_cursor(key_values(last, keys))
    return Page(items=ordered, next_cursor=next_cursor, per_page=per_page)


def _after(keys, cursor):
    from app.pagination import _after as after_clause

    return after_clause(keys, cursor)


def _sort_key(obj, keys):
    """Python ordering matching the SQL ORDER BY (byte order for strings, as "C" collation)."""
    parts = []
    for column, descending in keys:
        value = getattr(obj, column.key)
        if isinstance(value, str):
            value = value.encode()
        parts.append(_Reversed(value) if descending else value)
    return tuple(parts)


@dataclass(order=False)
class _Reversed:
    value: object = field()

    def __lt__(self, other):
        return self.value > other.value

    def __eq__(self, other):
        return self.value == other.value


@dataclass
class TeamFilters(ListFilters):
    compliance: str = ""
    issue: str = ""
    supported: str = ""
    status: str = "active"


TEAM_SORTS = {
    "name": [(Team.name_folded, False), (Team.id, False)],
    "-name": [(Team.name_folded, True), (Team.id, True)],
}


def teams_stmt(user, f: TeamFilters) -> Select:
    """The teams a user may see, filtered and searched (contains, diacritics ignored)."""
    stmt = scope_placed(select(Team), Team, user)
    stmt, _ = restrict_to_unit(stmt, Team, f.unit, user)
    if f.q:
        stmt = stmt.where(Team.name_folded.contains(fold(f.q), autoescape=True))
    if f.compliance == "yes":
        stmt = stmt.where(Team.is_compliant.is_(True))
    elif f.compliance == "no":
        stmt = stmt.where(Team.is_compliant.is_(False))
    if f.issue.isdigit() and int(f.issue) in (1, 2, 4, 8):
        stmt = stmt.where(Team.issues.op("&")(int(f.issue)) != 0)
    if f.supported == "yes":
        stmt = stmt.where(Team.is_supported.is_(True))
    elif f.supported == "no":
        stmt = stmt.where(Team.is_supported.is_(False))
    if f.status == "active":
        stmt = stmt.where(Team.dissolved_on.is_(None))
    elif f.status == "dissolved":
        stmt = stmt.where(Team.dissolved_on.is_not(None))
    return stmt


@dataclass
class TrainerFilters(ListFilters):
    trained: str = ""
    background: str = ""


def trainers_stmt(user, f: TrainerFilters) -> Select:
    stmt = scope_placed(select(Trainer), Trainer, user)
    stmt, _ = restrict_to_unit(stmt, Trainer, f.unit, user)
    if f.q:
        stmt = stmt.where(Trainer.name_folded.contains(fold(f.q), autoescape=True))
    if f.trained == "yes":
        stmt = stmt.where(Trainer.trained_on.is_not(None))
    elif f.trained == "no":
        stmt = stmt.where(Trainer.trained_on.is_(None))
    if f.background:
        stmt = stmt.where(Trainer.background == f.background)
    return stmt


TRAINER_SORTS = {"name": [(Trainer.name_folded, False), (Trainer.id, False)]}


@dataclass
class TrainingFilters(ListFilters):
    level: str = ""
    framework: str = ""
    year: str = ""
    sort: str = "-date"


TRAINING_SORTS = {
    "-date": [(Training.starts_on, True), (Training.id, True)],
    "date": [(Training.starts_on, False), (Training.id, False)],
}


def trainings_stmt(user, f: TrainingFilters) -> Select:
    stmt = scope_placed(select(Training), Training, user)
    stmt, _ = restrict_to_unit(stmt, Training, f.unit, user)
    if f.q:
        stmt = stmt.where(Training.title_folded.contains(fold(f.q), autoescape=True))
    if f.level:
        stmt = stmt.where(Training.level == f.level)
    if f.framework == "yes":
        stmt = stmt.where(Training.is_framework.is_(True))
    elif f.framework == "no":
        stmt = stmt.where(Training.is_framework.is_(False))
    if f.year.isdigit() and len(f.year) == 4:
        year = int(f.year)
        stmt = stmt.where(
            Training.starts_on >= date(year, 1, 1), Training.starts_on < date(year + 1, 1, 1)
        )
    return stmt
