"""Bulk creation of units: the rules of create_unit, closure rows and audit rows, in batches."""

from collections import Counter

from sqlalchemy import insert, select

from app.extensions import db
from app.text import fold, normalize
from app.units.importing.common import NewUnit, chunks
from app.units.models import Unit, UnitClosure
from app.units.services import UnitError, check_placement

BATCH = 1000


def create_units(items: list[tuple[Unit | None, NewUnit]]) -> list[Unit]:
    """Many create_unit calls in a few statements: same rules, closure rows, one audit row each.

    Parents must already be flushed with their closure rows (existing units, or units made by
    an earlier call). The audit listener records each new unit when its batch is flushed.
    """
    units = []
    for parent, new in items:
        level = check_placement(new.kind, parent)
        name = normalize(new.name)
        if not name:
            raise UnitError("Tên đơn vị không được để trống.")
        units.append(
            Unit(
                parent_id=parent.id if parent else None,
                level=int(level),
                kind=new.kind,
                name=name,
                name_folded=fold(name),
                code=normalize(new.code) or None,
                valid_from=new.valid_from,
                valid_to=new.valid_to,
                is_ethnic_minority_area=new.is_ethnic_minority_area,
                note=new.note,
            )
        )
    _check_codes_free(units)
    paths = _ancestors_of({u.parent_id for u in units if u.parent_id is not None})
    for start in range(0, len(units), BATCH):
        batch = units[start : start + BATCH]
        db.session.add_all(batch)
        db.session.flush()
        rows = []
        for unit in batch:
            rows.append({"ancestor_id": unit.id, "descendant_id": unit.id, "depth": 0})
            rows.extend(
                {"ancestor_id": ancestor_id, "descendant_id": unit.id, "depth": depth + 1}
                for ancestor_id, depth in paths.get(unit.parent_id, ())
            )
        db.session.execute(insert(UnitClosure), rows)
    return units


def _check_codes_free(units: list[Unit]) -> None:
    """Codes stay unique among the current units of a level (the rule of check_code_free)."""
    wanted = Counter((u.level, u.code) for u in units if u.code and u.valid_to is None)
    for (_level, code), n in wanted.items():
        if n > 1:
            raise UnitError(f"Mã đơn vị {code} bị dùng cho nhiều đơn vị cùng cấp.")
    codes = sorted({code for _level, code in wanted})
    for chunk in chunks(codes):
        taken = db.session.execute(
            select(Unit.level, Unit.code).where(Unit.code.in_(chunk), Unit.valid_to.is_(None))
        )
        for level, code in taken:
            if (level, code) in wanted:
                raise UnitError(f"Mã đơn vị {code} đã được dùng cho một đơn vị khác cùng cấp.")


def _ancestors_of(unit_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """(ancestor id, depth) pairs of each unit, itself included, from the closure table."""
    paths: dict[int, list[tuple[int, int]]] = {uid: [] for uid in unit_ids}
    for chunk in chunks(sorted(unit_ids)):
        stmt = select(UnitClosure.descendant_id, UnitClosure.ancestor_id, UnitClosure.depth).where(
            UnitClosure.descendant_id.in_(chunk)
        )
        for descendant_id, ancestor_id, depth in db.session.execute(stmt):
            paths[descendant_id].append((ancestor_id, depth))
    return paths
