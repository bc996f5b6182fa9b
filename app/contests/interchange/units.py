"""Units in the file: by official code when they have one, else by the path of names from the
root ("Tỉnh Điện Biên/Huyện Mường Nhé/Xã Chung Chải"), so that the file reads the same in
any database that holds these units."""

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.text import normalize
from app.units.models import Unit, UnitClosure

SEPARATOR = "/"


def unit_references(unit_ids: Iterable[int]) -> dict[int, dict]:
    """unit id → {"code", "name"} or {"path"} for the export (two queries for any number)."""
    ids = set(unit_ids)
    if not ids:
        return {}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    chains: dict[int, list[tuple[int, str]]] = {}
    for descendant, depth, name in db.session.execute(
        select(UnitClosure.descendant_id, UnitClosure.depth, Unit.name)
        .join(Unit, Unit.id == UnitClosure.ancestor_id)
        .where(UnitClosure.descendant_id.in_(ids))
    ):
        chains.setdefault(descendant, []).append((depth, name))
    references = {}
    for unit_id, unit in units.items():
        if unit.code:
            references[unit_id] = {"code": unit.code, "name": unit.name}
        else:
            names = [name for _, name in sorted(chains[unit_id], reverse=True)]
            references[unit_id] = {"path": SEPARATOR.join(names)}
    return references


def describe(reference: dict) -> str:
    """A unit reference as a message names it."""
    if reference.get("code"):
        return f"“{reference.get('name') or ''}” (mã {reference['code']})"
    return f"“{reference.get('path') or ''}”"


def resolve_unit(reference: dict) -> tuple[Unit | None, str | None]:
    """The unit a reference names, or (None, the reason in Vietnamese)."""
    if reference.get("code"):
        return _by_code(str(reference["code"]), reference.get("name"))
    return _by_path(reference.get("path") or "")


def _by_code(code: str, name: str | None) -> tuple[Unit | None, str | None]:
    found = list(
        db.session.scalars(
            select(Unit).where(Unit.code == code.strip()).order_by(Unit.valid_to.is_not(None))
        )
    )
    current = [u for u in found if u.valid_to is None] or found
    if len(current) > 1 and name:
        current = [u for u in current if u.name == normalize(name)] or current
    if not current:
        return None, "không có đơn vị nào mang mã này trong hệ thống"
    if len(current) > 1:
        return None, "nhiều đơn vị cùng mang mã này; hãy ghi đường dẫn tên (path) thay cho mã"
    return current[0], None


def _by_path(path: str) -> tuple[Unit | None, str | None]:
    names = [normalize(part) for part in path.split(SEPARATOR)]
    if not path.strip() or not all(names):
        return None, "đường dẫn tên đơn vị trống hoặc có đoạn trống"
    unit = None
    for depth, name in enumerate(names):
        parent = Unit.parent_id.is_(None) if unit is None else Unit.parent_id == unit.id
        found = list(db.session.scalars(select(Unit).where(parent, Unit.name == name)))
        current = [u for u in found if u.valid_to is None] or found
        if not current:
            where = SEPARATOR.join(names[:depth]) or "gốc cây đơn vị"
            return None, f"không tìm thấy “{name}” trong {where}"
        if len(current) > 1:
            return None, f"có nhiều đơn vị tên “{name}” cùng cấp"
        unit = current[0]
    return unit, None
