"""The rules of an entry (DOMAIN.md §5): its units, its members (active mediators of those
units, each in one entry of the contest only), their roles under the contest's composition
rules, the supporting actors and the entry's name. Every broken rule is reported at once,
next to its field."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.contests.models import MEDIATOR_ROLES, Contest, ContestEntry, ContestEntryMember
from app.contests.services import ContestError
from app.extensions import db
from app.models import PLACED_COLUMNS
from app.registry.models import Mediator
from app.security.scope import in_scope, is_within
from app.text import fold, normalize
from app.units.models import Unit

MAX_MEMBERS = 30
ORDER_ROLES = {"captain": 0, "official": 1, "reserve": 2, "actor": 3}


@dataclass
class EntryValues:
    """An entry as typed in the form: the units, the name, the mediators with their roles and
    the supporting actors' names."""

    unit_id: int | None
    name: str = ""
    represented_ids: list[int] = field(default_factory=list)
    members: list[tuple[int, str]] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    note: str = ""


def _entry_unit(
    user, contest: Contest, unit_id: int | None, name: str, scoped: bool = True
) -> Unit:
    """The unit chosen for ``name``: below the organiser and, when ``scoped``, inside the
    user's subtree; else ContestError next to that field."""
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        raise ContestError("Chọn đơn vị dự thi.", name)
    if unit.id == contest.unit_id or not is_within(unit.id, contest.unit_id):
        raise ContestError(f"{unit.name} không thuộc phạm vi tổ chức của hội thi.", name)
    if scoped and not in_scope(user, unit.id):
        raise ContestError(f"{unit.name} không thuộc đơn vị của bạn.", name)
    return unit


def composition_problems(contest: Contest, roles: list[str], actors: int) -> list[tuple]:
    """What the members' roles break of the contest's rules: (field, message) pairs."""
    problems = []
    captains = roles.count("captain")
    officials = captains + roles.count("official")
    reserves = roles.count("reserve")
    if contest.entry_kind == "individual":
        if reserves:
            problems.append(("members", "Thí sinh cá nhân không có thành viên dự bị."))
        if officials != 1:
            problems.append(
                (
                    "members",
                    f"Thí sinh cá nhân: chọn đúng một hòa giải viên (đang chọn {officials}).",
                )
            )
    else:
        if captains != 1:
            problems.append(("members", f"Đội thi cần đúng một đội trưởng (đang chọn {captains})."))
        if officials != contest.official_count:
            problems.append(
                (
                    "members",
                    f"Đội thi cần đúng {contest.official_count} thành viên chính thức, kể cả đội "
                    f"trưởng (đang chọn {officials}).",
                )
            )
        low, high = contest.reserve_min, contest.reserve_max
        if not low <= reserves <= high:
            wanted = f"đúng {low}" if low == high else f"từ {low} đến {high}"
            problems.append(
                ("members", f"Đội thi cần {wanted} thành viên dự bị (đang chọn {reserves}).")
            )
    if actors > contest.actor_max:
        message = (
            "Hội thi này không có diễn viên phụ họa."
            if contest.actor_max == 0
            else f"Tối đa {contest.actor_max} diễn viên phụ họa (đang nhập {actors})."
        )
        problems.append(("actors", message))
    return problems


def _under(mediator: Mediator, unit: Unit) -> bool:
    """The mediator's team is placed in this unit or below it."""
    return getattr(mediator, PLACED_COLUMNS[unit.level]) == unit.id


def _taken(contest_id: int, mediator_ids: list[int], entry_id: int | None) -> dict[int, str]:
    """Mediator id -> name of the other (not withdrawn) entry of the contest they are in."""
    if not mediator_ids:
        return {}
    stmt = (
        select(ContestEntryMember.mediator_id, ContestEntry.name)
        .join(ContestEntry, ContestEntry.id == ContestEntryMember.entry_id)
        .where(
            ContestEntry.contest_id == contest_id,
            ContestEntry.status == "registered",
            ContestEntryMember.mediator_id.in_(mediator_ids),
        )
    )
    if entry_id is not None:
        stmt = stmt.where(ContestEntry.id != entry_id)
    return dict(db.session.execute(stmt).all())


def _name_taken(contest_id: int, name: str, entry_id: int | None) -> bool:
    """Another entry of the contest has this name (diacritics and case aside)."""
    stmt = select(ContestEntry.name).where(ContestEntry.contest_id == contest_id)
    if entry_id is not None:
        stmt = stmt.where(ContestEntry.id != entry_id)
    key = fold(name)
    return any(fold(other) == key for other in db.session.scalars(stmt))


@dataclass
class CheckedEntry:
    """An entry whose every rule holds, as it is saved: members captain first."""

    unit: Unit
    represented: list[Unit]
    members: list[tuple[Mediator, str]]
    actors: list[str]
    name: str


def check_entry(
    user, contest: Contest, values: EntryValues, entry_id: int | None, keep=()
) -> CheckedEntry:
    """Every rule of an entry at once; ContestError lists each broken one next to its field.
    ``keep``: units the entry already represents, allowed outside the user's subtree."""
    unit = _entry_unit(user, contest, values.unit_id, "unit")
    errors: list[tuple[str, str]] = []
    represented = _represented(user, contest, unit, values.represented_ids, keep, errors)
    units = [unit, *represented]
    members = _members(contest, values.members[:MAX_MEMBERS], units, entry_id, errors)
    actors = _actors(values.actors, members, errors)
    errors += composition_problems(contest, [r for _, r in members], len(actors))
    if contest.every_unit_represented and len(units) > 1:
        errors += [
            (
                "represented",
                f"{u.name} chưa có thành viên trong đội: thể lệ yêu cầu mỗi đơn vị "
                "được đại diện có ít nhất một thành viên.",
            )
            for u in units
            if not any(_under(m, u) for m, _ in members)
        ]
    name = normalize(values.name) or _default_name(contest, unit, members)
    if len(name) > 200:
        errors.append(("name", "Tên tối đa 200 ký tự."))
    elif _name_taken(contest.id, name, entry_id):
        errors.append(("name", f"Tên “{name}” đã có trong hội thi; hãy đặt tên khác."))
    if errors:
        raise ContestError(errors)
    order = sorted(members, key=lambda pair: ORDER_ROLES[pair[1]])
    return CheckedEntry(unit, represented, order, actors, name)


def _represented(user, contest, unit: Unit, unit_ids, keep, errors: list) -> list[Unit]:
    """The other units the entry represents (a cluster's communes), each once."""
    represented = []
    for unit_id in dict.fromkeys(unit_ids):
        if unit_id == unit.id:
            continue
        try:
            scoped = unit_id not in keep
            represented.append(_entry_unit(user, contest, unit_id, "represented", scoped))
        except ContestError as error:
            errors += error.errors
    return represented


def _members(
    contest: Contest, wanted: list[tuple[int, str]], units, entry_id, errors: list
) -> list[tuple[Mediator, str]]:
    """The mediators chosen with their roles: active, of the entry's units, in no other entry
    of the contest."""
    roles = dict(wanted)
    mediators = {
        m.id: m for m in db.session.scalars(select(Mediator).where(Mediator.id.in_(list(roles))))
    }
    taken = _taken(contest.id, list(mediators), entry_id)
    members = []
    for mediator_id, role in roles.items():
        mediator = mediators.get(mediator_id)
        if mediator is None:
            errors.append(("members", f"Không tìm thấy hòa giải viên mã {mediator_id}."))
            continue
        if role not in MEDIATOR_ROLES:
            role = "captain" if contest.entry_kind == "individual" else "official"
        if not mediator.is_active:
            errors.append(("members", f"{mediator.full_name} đã bị cho thôi làm hòa giải viên."))
        elif not any(_under(mediator, u) for u in units):
            errors.append(("members", f"{mediator.full_name} không thuộc đơn vị dự thi."))
        if mediator.id in taken:
            errors.append(
                (
                    "members",
                    f"{mediator.full_name} đã có tên trong {taken[mediator.id]}: mỗi hòa giải viên "
                    "chỉ dự thi trong một đội.",
                )
            )
        members.append((mediator, role))
    return members


def _actors(typed: list[str], members, errors: list) -> list[str]:
    """The supporting actors' names, each once; none of them a mediator of the entry."""
    actors = list({fold(a): a for a in map(normalize, typed) if a}.values())
    member_names = {fold(m.full_name) for m, _ in members}
    for actor in actors:
        if fold(actor) in member_names:
            errors.append(
                (
                    "actors",
                    f"{actor} đã là hòa giải viên dự thi của đội: diễn viên phụ họa không đóng "
                    "vai hòa giải viên.",
                )
            )
        elif len(actor) > 200:
            errors.append(("actors", "Họ tên diễn viên tối đa 200 ký tự."))
    return actors


def _default_name(contest: Contest, unit: Unit, members: list) -> str:
    """ "Đội <unit>" for a team; "<person> (<unit>)" for an individual."""
    if contest.entry_kind == "individual" and len(members) == 1:
        return f"{members[0][0].full_name} ({unit.name})"
    return f"Đội {unit.name}"
