"""Registering entries: who may register and for which units, the mediators to choose
from, registering, correcting and withdrawing an entry (kept for the record)."""

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.contests.models import (
    Contest,
    ContestEntry,
    ContestEntryMember,
    ContestEntryUnit,
    ContestRound,
    ContestRoundEntry,
)
from app.contests.permissions import can_manage, can_register
from app.contests.services import ContestError
from app.contests.services.entries.composition import CheckedEntry, EntryValues, check_entry
from app.contests.services.lookups import contest_rounds
from app.extensions import db
from app.registry.models import Mediator, Team
from app.security.scope import placed_under, sees_everything, subtree_ids
from app.text import fold, normalize
from app.units.models import Level, Unit, UnitClosure
from app.units.services import place, units_by_id

# Candidates shown at once in the form; a name filter narrows a larger list (QUALITY.md P8).
CANDIDATE_LIMIT = 60
BOARD_REGISTERS = ("draft", "registration", "judging")
DUPLICATE_NAME = "Tên này vừa được dùng cho một đội khác của hội thi; hãy đặt tên khác."


def may_register(user, contest: Contest) -> bool:
    """A new entry: the board until results are published, a unit while registration is open."""
    if can_manage(user, contest):
        return contest.status in BOARD_REGISTERS
    return can_register(user, contest)


def registration_closed(contest: Contest) -> str | None:
    """Why no entry can be added any more (None while one can)."""
    if contest.status not in BOARD_REGISTERS:
        return "Hội thi đã công bố kết quả: không đăng ký thêm được."
    rounds = contest_rounds(contest.id)
    if rounds and rounds[0].status == "published":
        return (
            f"{rounds[0].name} đã công bố kết quả: không đăng ký thêm đội/thí sinh được "
            "(đội vào vòng sau được chọn từ kết quả vòng trước)."
        )
    return None


def unit_choices(user, contest: Contest) -> list[Unit]:
    """The units this user may enter: below the organiser and inside the user's subtree (a
    commune's staff: their commune and its villages), communes first then their villages."""
    organiser = db.session.get(Unit, contest.unit_id)
    deepest = Level.COMMUNE if organiser.level < Level.COMMUNE else Level.VILLAGE
    if not sees_everything(user) and user.unit.level >= Level.COMMUNE:
        deepest = Level.VILLAGE
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(
            UnitClosure.ancestor_id == organiser.id,
            UnitClosure.depth > 0,
            Unit.valid_to.is_(None),
            Unit.level <= deepest,
        )
    )
    if not sees_everything(user):
        stmt = stmt.where(Unit.id.in_(subtree_ids(user.unit_id)))
    units = list(db.session.scalars(stmt))
    by_id = {u.id: u for u in units}

    def key(unit: Unit) -> tuple:
        parent = by_id.get(unit.parent_id)
        if parent is not None:
            return (parent.level, parent.name_folded, parent.id, 1, unit.name_folded, unit.id)
        return (unit.level, unit.name_folded, unit.id, 0, "", 0)

    return sorted(units, key=key)


def unit_options(user, contest: Contest, extra) -> list[tuple[int, str]]:
    """(id, label) of the units offered in the entry form, villages under their commune; the
    entry's own units (``extra``) are always offered so that a correction never drops them."""
    units = unit_choices(user, contest)
    known = {u.id for u in units}
    units += list(units_by_id(set(extra) - known).values())
    return [(u.id, ("· " if u.level == Level.VILLAGE else "") + u.name) for u in units]


# Candidates


def candidates(
    unit_ids: list[int], q: str = "", chosen_ids: list[int] | tuple = ()
) -> tuple[list[Mediator], bool, dict[int, str]]:
    """The mediators to choose from: those already chosen (whatever their status, so that a
    refusal can be read), then the active ones placed under the entry's units (matching
    ``q``), at most CANDIDATE_LIMIT; whether there are more; the names of their teams."""
    chosen = []
    if chosen_ids:
        found = {
            m.id: m
            for m in db.session.scalars(select(Mediator).where(Mediator.id.in_(list(chosen_ids))))
        }
        chosen = [found[i] for i in chosen_ids if i in found]
    units = list(units_by_id(unit_ids).values())
    others: list[Mediator] = []
    more = False
    if units:
        stmt = (
            select(Mediator)
            .join(Team, Team.id == Mediator.team_id)
            .where(Mediator.status == "active", or_(*(placed_under(Mediator, u) for u in units)))
            .order_by(Team.name_folded, Mediator.team_id, Mediator.name_folded, Mediator.id)
        )
        if chosen_ids:
            stmt = stmt.where(Mediator.id.not_in(list(chosen_ids)))
        key = fold(q)
        if key:
            stmt = stmt.where(Mediator.name_folded.contains(key, autoescape=True))
        others = list(db.session.scalars(stmt.limit(CANDIDATE_LIMIT + 1)))
        more = len(others) > CANDIDATE_LIMIT
        others = others[:CANDIDATE_LIMIT]
    listed = chosen + others
    team_ids = {m.team_id for m in listed}
    teams = (
        dict(db.session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
        if team_ids
        else {}
    )
    return listed, more, teams


# Registering, correcting, withdrawing


def register_entry(contest: Contest, user, values: EntryValues) -> ContestEntry:
    """Register an entry (may_register's users), added to the contest's first round."""
    closed = registration_closed(contest)
    if closed:
        raise ContestError(closed)
    checked = check_entry(user, contest, values, None)
    entry = ContestEntry(
        contest_id=contest.id,
        name=checked.name,
        status="registered",
        registered_by_id=user.id,
        note=normalize(values.note) or None,
    )
    place(entry, checked.unit)
    db.session.add(entry)
    db.session.flush()
    _save_units(entry, checked.represented)
    _save_members(entry, checked)
    rounds = contest_rounds(contest.id)
    if rounds:
        db.session.add(ContestRoundEntry(round_id=rounds[0].id, entry_id=entry.id))
    db.session.flush()
    return entry


def join_first_round(round_: ContestRound) -> int:
    """Put every registered entry of the contest into its first round (for a first round
    created after entries were registered); how many were added. Other rounds: none."""
    rounds = contest_rounds(round_.contest_id)
    if not rounds or rounds[0].id != round_.id:
        return 0
    inside = select(ContestRoundEntry.entry_id).where(ContestRoundEntry.round_id == round_.id)
    missing = list(
        db.session.scalars(
            select(ContestEntry.id).where(
                ContestEntry.contest_id == round_.contest_id,
                ContestEntry.status == "registered",
                ContestEntry.id.not_in(inside),
            )
        )
    )
    for entry_id in missing:
        db.session.add(ContestRoundEntry(round_id=round_.id, entry_id=entry_id))
    db.session.flush()
    return len(missing)


def update_entry(
    entry: ContestEntry, contest: Contest, user, values: EntryValues, keep=()
) -> ContestEntry:
    """Correct an entry: units, name, members, actors (permissions.can_edit_entry's users)."""
    if entry.status != "registered":
        raise ContestError("Đội/thí sinh đã rút đăng ký: không sửa được.")
    checked = check_entry(user, contest, values, entry.id, keep)
    if checked.unit.id != entry.unit_id:
        place(entry, checked.unit)
    entry.name = checked.name
    entry.note = normalize(values.note) or None
    # Members live in their own rows: touch the entry so that its version moves on (R3).
    entry.updated_at = utcnow()
    _flush_named()
    _save_units(entry, checked.represented)
    _save_members(entry, checked)
    db.session.flush()
    return entry


def _flush_named() -> None:
    """Flush an entry's name: one another entry of the contest took meanwhile (the unique
    constraint, past the check of check_entry) is refused like any taken name."""
    try:
        db.session.flush()
    except IntegrityError:
        raise ContestError(DUPLICATE_NAME, "name") from None


def _save_units(entry: ContestEntry, represented: list[Unit]) -> None:
    rows = {
        r.unit_id: r
        for r in db.session.scalars(
            select(ContestEntryUnit).where(ContestEntryUnit.entry_id == entry.id)
        )
    }
    wanted = {u.id for u in represented}
    for unit_id, row in rows.items():
        if unit_id not in wanted:
            db.session.delete(row)
    for unit_id in wanted - set(rows):
        db.session.add(ContestEntryUnit(entry_id=entry.id, unit_id=unit_id))


def _save_members(entry: ContestEntry, checked: CheckedEntry) -> None:
    """Members as chosen; rows of people who stay are updated in place (their ids are kept)."""
    existing = list(
        db.session.scalars(
            select(ContestEntryMember).where(ContestEntryMember.entry_id == entry.id)
        )
    )
    by_mediator = {m.mediator_id: m for m in existing if m.mediator_id is not None}
    by_actor = {fold(m.full_name): m for m in existing if m.role == "actor"}
    kept = set()
    position = 0
    for mediator, role in checked.members:
        position += 1
        row = by_mediator.get(mediator.id)
        if row is None:
            row = ContestEntryMember(entry_id=entry.id, mediator_id=mediator.id)
            db.session.add(row)
        row.role, row.position = role, position
        row.full_name, row.birth_year = mediator.full_name, mediator.birth_year
        row.sex, row.unit_id = mediator.sex, mediator.commune_id
        kept.add(id(row))
    for actor in checked.actors:
        position += 1
        row = by_actor.get(fold(actor))
        if row is None:
            row = ContestEntryMember(entry_id=entry.id, role="actor")
            db.session.add(row)
        row.position, row.full_name = position, actor
        kept.add(id(row))
    for row in existing:
        if id(row) not in kept:
            db.session.delete(row)
    # Positions are not unique in the table, so reordering needs no two-step update.


def withdraw_entry(entry: ContestEntry, reason: str | None) -> ContestEntry:
    """Withdraw an entry: kept for the record, out of every round's results (the board, or
    its unit while registration is open)."""
    if entry.status == "withdrawn":
        raise ContestError("Đội/thí sinh này đã rút đăng ký.")
    entry.status = "withdrawn"
    reason = normalize(reason)
    if reason:
        line = f"Rút đăng ký: {reason}"
        entry.note = f"{entry.note}\n{line}" if entry.note else line
    db.session.flush()
    return entry
