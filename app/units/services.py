"""Unit tree operations. Services flush; the caller (route or command) commits."""

import re
from datetime import date

from sqlalchemy import func, insert, literal, select

from app.extensions import db
from app.text import fold, normalize
from app.units.models import KINDS, Level, Unit, UnitClosure, UnitSuccession


class UnitError(ValueError):
    """A unit that breaks the rules of the tree; the message is for the user."""


def level_of_kind(kind: str) -> Level:
    if kind not in KINDS:
        raise UnitError(f"Loại đơn vị không hợp lệ: {kind}.")
    return KINDS[kind][0]


def check_placement(kind: str, parent: Unit | None) -> Level:
    """A province is a root; anything else sits below a unit of a higher level."""
    level = level_of_kind(kind)
    if parent is None and level != Level.PROVINCE:
        raise UnitError("Đơn vị cấp dưới tỉnh phải có đơn vị cấp trên.")
    if parent is not None and parent.level >= level:
        raise UnitError(f"{KINDS[kind][1]} không thể trực thuộc {parent.name}.")
    return level


def create_unit(
    *,
    parent: Unit | None,
    kind: str,
    name: str,
    code: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    is_ethnic_minority_area: bool = False,
    note: str | None = None,
) -> Unit:
    """Add a unit below parent (None for a province) and its closure rows."""
    level = check_placement(kind, parent)
    name = normalize(name)
    if not name:
        raise UnitError("Tên đơn vị không được để trống.")
    code = normalize(code) or None
    if code and valid_to is None:
        check_code_free(level, code)
    unit = Unit(
        parent_id=parent.id if parent else None,
        level=int(level),
        kind=kind,
        name=name,
        name_folded=fold(name),
        code=code,
        valid_from=valid_from,
        valid_to=valid_to,
        is_ethnic_minority_area=is_ethnic_minority_area,
        note=note,
    )
    db.session.add(unit)
    db.session.flush()
    _add_closure(unit)
    return unit


def _add_closure(unit: Unit) -> None:
    """The unit is its own ancestor at depth 0, and inherits its parent's ancestors."""
    db.session.execute(
        insert(UnitClosure).values(ancestor_id=unit.id, descendant_id=unit.id, depth=0)
    )
    if unit.parent_id is not None:
        parents = select(UnitClosure.ancestor_id, literal(unit.id), UnitClosure.depth + 1).where(
            UnitClosure.descendant_id == unit.parent_id
        )
        db.session.execute(
            insert(UnitClosure).from_select(["ancestor_id", "descendant_id", "depth"], parents)
        )


def check_code_free(level: Level, code: str, except_id: int | None = None) -> None:
    """Official codes are unique among the current units of a level."""
    stmt = select(Unit.id).where(
        Unit.level == int(level), Unit.code == code, Unit.valid_to.is_(None)
    )
    if except_id is not None:
        stmt = stmt.where(Unit.id != except_id)
    if db.session.scalar(stmt.limit(1)) is not None:
        raise UnitError(f"Mã đơn vị {code} đã được dùng cho một đơn vị khác cùng cấp.")


# Called with a unit whose ethnic-minority flag changed (the registry recounts its teams).
ETHNIC_AREA_HOOKS: list = []


def update_unit(unit: Unit, changes: dict) -> Unit:
    """Apply the given fields (only those present in ``changes``) and flush."""
    changes = dict(changes)
    flag_changed = (
        "is_ethnic_minority_area" in changes
        and bool(changes["is_ethnic_minority_area"]) != unit.is_ethnic_minority_area
    )
    if "kind" in changes and level_of_kind(changes["kind"]) != unit.level:
        raise UnitError("Chỉ được đổi sang loại đơn vị cùng cấp.")
    if "name" in changes:
        changes["name"] = normalize(changes["name"])
        if not changes["name"]:
            raise UnitError("Tên đơn vị không được để trống.")
        changes["name_folded"] = fold(changes["name"])
    if "code" in changes:
        changes["code"] = normalize(changes["code"]) or None
        if changes["code"]:
            check_code_free(Level(unit.level), changes["code"], except_id=unit.id)
    if changes.get("pilot_level") == "":
        changes["pilot_level"] = None
    if not changes.get("pilot_level", unit.pilot_level):
        changes.update(pilot_start_year=None, pilot_end_year=None)
    for key, value in changes.items():
        setattr(unit, key, value)
    db.session.flush()
    if flag_changed:
        for hook in ETHNIC_AREA_HOOKS:
            hook(unit)
    return unit


def record_succession(
    predecessor: Unit, successor: Unit, effective_date: date, note: str | None = None
) -> UnitSuccession:
    """The predecessor's history continues in the successor (merge, split or rename)."""
    if predecessor.id == successor.id:
        raise UnitError("Một đơn vị không thể kế thừa chính nó.")
    if successor.valid_to is not None:
        raise UnitError(f"{successor.name} đã hết hiệu lực; chọn đơn vị đang hoạt động.")
    succession = UnitSuccession(
        predecessor_id=predecessor.id,
        successor_id=successor.id,
        effective_date=effective_date,
        note=note,
    )
    if predecessor.valid_to is None:
        predecessor.valid_to = effective_date
    db.session.add(succession)
    db.session.flush()
    return succession


def ancestors(unit_id: int) -> list[Unit]:
    """The unit's ancestors from the root down, the unit itself last."""
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit_id)
        .order_by(UnitClosure.depth.desc())
    )
    return list(db.session.scalars(stmt))


def child_counts(unit_ids: list[int], current_only: bool = True) -> dict[int, int]:
    """Number of (current) children of each unit, in one query."""
    if not unit_ids:
        return {}
    stmt = select(Unit.parent_id, func.count()).where(Unit.parent_id.in_(unit_ids))
    if current_only:
        stmt = stmt.where(Unit.valid_to.is_(None))
    return dict(db.session.execute(stmt.group_by(Unit.parent_id)).all())


def subtree_counts(unit_id: int) -> dict[int, int]:
    """Number of current units of each level below (and including) a unit."""
    stmt = (
        select(Unit.level, func.count())
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == unit_id, Unit.valid_to.is_(None))
        .group_by(Unit.level)
    )
    return dict(db.session.execute(stmt).all())


def unit_reference(unit: Unit, path: list[Unit] | None = None) -> str:
    """How a unit is written in a lookup field: "Xã Sín Thầu — Huyện Mường Nhé (#12)"."""
    where = ", ".join(u.name for u in reversed(path or []))
    return f"{unit.name} — {where} (#{unit.id})" if where else f"{unit.name} (#{unit.id})"


def find_unit_by_reference(text: str) -> tuple[Unit | None, str | None]:
    """Resolve what was typed in a unit field: "(#id)", an official code or an exact name.

    Returns (unit, None) or (None, a message for the user).
    """
    text = normalize(text)
    if not text:
        return None, "Chọn đơn vị."
    match = re.search(r"#(\d+)\)?\s*$", text)
    if match:
        unit = db.session.get(Unit, int(match.group(1)))
        return (unit, None) if unit else (None, "Không tìm thấy đơn vị này.")
    by_code = list(
        db.session.scalars(select(Unit).where(Unit.code == text, Unit.valid_to.is_(None)))
    )
    if len(by_code) == 1:
        return by_code[0], None
    by_name = list(
        db.session.scalars(
            select(Unit).where(Unit.name_folded == fold(text), Unit.valid_to.is_(None)).limit(2)
        )
    )
    if len(by_name) == 1:
        return by_name[0], None
    if by_name or by_code:
        return None, "Có nhiều đơn vị trùng tên; hãy chọn đúng đơn vị trong danh sách gợi ý."
    return None, "Không tìm thấy đơn vị này; hãy gõ vài chữ của tên rồi chọn trong danh sách gợi ý."


def paths_of(unit_ids: list[int]) -> dict[int, list[Unit]]:
    """The ancestors (root first, the unit itself excluded) of many units, in one query."""
    if not unit_ids:
        return {}
    rows = db.session.execute(
        select(UnitClosure.descendant_id, Unit)
        .join(Unit, Unit.id == UnitClosure.ancestor_id)
        .where(UnitClosure.descendant_id.in_(unit_ids), UnitClosure.depth > 0)
        .order_by(UnitClosure.descendant_id, UnitClosure.depth.desc())
    ).all()
    paths: dict[int, list[Unit]] = {uid: [] for uid in unit_ids}
    for descendant_id, unit in rows:
        paths[descendant_id].append(unit)
    return paths


def units_by_id(ids) -> dict[int, Unit]:
    """The units of a page (their ids, Nones ignored), in one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}


def place(obj, unit: Unit) -> None:
    """Set a Placed object's unit and its ancestors at each level (one query)."""
    from app.models import PLACED_COLUMNS

    levels = dict(
        db.session.execute(
            select(Unit.level, Unit.id)
            .join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
            .where(UnitClosure.descendant_id == unit.id)
        ).all()
    )
    obj.unit_id = unit.id
    for level, column in PLACED_COLUMNS.items():
        if column != "unit_id":
            setattr(obj, column, levels.get(level))
