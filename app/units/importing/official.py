"""The official list of current provinces and communes, from the vietnam-provinces package."""

from datetime import date
from importlib.metadata import version

from sqlalchemy import select
from vietnam_provinces import Province, Ward

from app.extensions import db
from app.text import fold, normalize
from app.units.importing.bulk import create_units
from app.units.importing.common import (
    CODE_WIDTHS,
    ImportFailed,
    NewUnit,
    Summary,
    changed_fields,
    chunks,
    describe_changes,
    label,
)
from app.units.models import KINDS, Level, Unit, UnitClosure
from app.units.services import update_unit

OFFICIAL_SINCE = date(2025, 7, 1)

PROVINCE_KINDS = {"tỉnh": "tinh", "thành phố trung ương": "thanh_pho_tw"}
PROVINCE_PREFIXES = {"tinh": "Tỉnh", "thanh_pho_tw": "Thành phố"}
COMMUNE_KINDS = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}


def official_code(level: Level, code: int | str) -> str:
    """A code of the package at the fixed width of its level: 11 → "11", 3160 → "03160"."""
    return f"{int(code):0{CODE_WIDTHS[level]}d}"


def official_province(province: Province) -> NewUnit:
    """A province of the package as a unit: "Tỉnh Điện Biên", kind tinh, code "11"."""
    kind = PROVINCE_KINDS[province.division_type.value]
    name = normalize(province.name)
    if not name.startswith(("Tỉnh ", "Thành phố ")):
        name = f"{PROVINCE_PREFIXES[kind]} {name}"
    return NewUnit(kind=kind, name=name, code=official_code(Level.PROVINCE, province.code))


def official_commune(ward: Ward) -> NewUnit:
    """A commune-level unit of the package: "Xã Mường Nhé", kind xa, code "03160"."""
    return NewUnit(
        kind=COMMUNE_KINDS[ward.division_type.value],
        name=normalize(ward.name),
        code=official_code(Level.COMMUNE, ward.code),
        valid_from=OFFICIAL_SINCE,
    )


def _official_changes(unit: Unit, new: NewUnit) -> dict:
    """Name, kind and code follow the official list; other fields are the offices' own."""
    return changed_fields(unit, {"name": new.name, "kind": new.kind, "code": new.code})


def import_official(dry_run: bool = False) -> Summary:
    """Add or update the current 34 provinces and 3,321 communes; admins run it from the CLI.

    A unit is matched among current units by level and code, or else by name when it has no
    code yet (a province at the root, a commune directly under its province). A matched
    commune stays where it is (for instance under a legacy district) as long as it is in the
    right province; one in another province stops the import.
    """
    provinces = [official_province(p) for p in Province.iter_all()]
    wards = list(Ward.iter_all())
    communes = [official_commune(w) for w in wards]
    province_codes = [official_code(Level.PROVINCE, w.province_code) for w in wards]

    province_matches = _match_official(Level.PROVINCE, [(None, new) for new in provinces])
    province_units = {new.code: unit for new, unit in zip(provinces, province_matches, strict=True)}
    parents = [province_units[code] for code in province_codes]
    commune_matches = _match_official(Level.COMMUNE, list(zip(parents, communes, strict=True)))
    official_provinces = {new.code: new for new in provinces}
    problems = _check_provinces_of(
        [
            (unit, new, official_provinces[code])
            for unit, new, code in zip(commune_matches, communes, province_codes, strict=True)
            if unit is not None
        ],
        province_units,
    )
    if problems:
        raise ImportFailed([(None, problem) for problem in problems])

    summary = Summary()
    updates = []
    for new, unit in zip(provinces + communes, province_matches + commune_matches, strict=True):
        if unit is None:
            summary.created[KINDS[new.kind][0]] += 1
            continue
        changes = _official_changes(unit, new)
        if changes:
            updates.append((unit, changes))
            summary.details.append(f"Sửa {label(unit)}: {describe_changes(unit, changes)}")
        else:
            summary.unchanged += 1
    summary.updated = len(updates)
    if dry_run:
        return summary

    for unit, changes in updates:
        update_unit(unit, dict(changes))
    new_provinces = [
        new for new, unit in zip(provinces, province_matches, strict=True) if unit is None
    ]
    created = create_units([(None, new) for new in new_provinces])
    province_units.update(
        (new.code, unit) for new, unit in zip(new_provinces, created, strict=True)
    )
    create_units(
        [
            (province_units[code], new)
            for new, code, unit in zip(communes, province_codes, commune_matches, strict=True)
            if unit is None
        ]
    )
    summary.record(f"Nhập danh mục chính thức (vietnam-provinces {version('vietnam-provinces')})")
    return summary


def _current_by_code(level: Level, codes: list[str]) -> dict[str, Unit]:
    """Current units of a level by code."""
    found = {}
    for chunk in chunks(codes):
        stmt = select(Unit).where(
            Unit.level == int(level), Unit.code.in_(chunk), Unit.valid_to.is_(None)
        )
        found.update((unit.code, unit) for unit in db.session.scalars(stmt))
    return found


def _match_official(level: Level, items: list[tuple[Unit | None, NewUnit]]) -> list[Unit | None]:
    """The current unit each official one already is: same code, or same name with no code."""
    by_code = _current_by_code(level, [new.code for _parent, new in items])
    stmt = select(Unit).where(
        Unit.level == int(level), Unit.code.is_(None), Unit.valid_to.is_(None)
    )
    if level == Level.PROVINCE:
        uncoded = list(db.session.scalars(stmt.where(Unit.parent_id.is_(None))))
    else:
        parent_ids = sorted({parent.id for parent, _new in items if parent is not None})
        uncoded = [
            unit
            for chunk in chunks(parent_ids)
            for unit in db.session.scalars(stmt.where(Unit.parent_id.in_(chunk)))
        ]
    by_name = {(unit.parent_id, unit.name_folded): unit for unit in uncoded}
    matches = []
    for parent, new in items:
        unit = by_code.get(new.code)
        if unit is None and (parent is not None or level == Level.PROVINCE):
            unit = by_name.get((parent.id if parent else None, fold(new.name)))
        matches.append(unit)
    return matches


def _check_provinces_of(
    matched: list[tuple[Unit, NewUnit, NewUnit]], province_units: dict[str, Unit | None]
) -> list[str]:
    """Problems with existing communes that the official list puts in another province."""
    province_of = {}
    for chunk in chunks(sorted(unit.id for unit, _new, _province in matched)):
        stmt = (
            select(UnitClosure.descendant_id, Unit)
            .join(Unit, Unit.id == UnitClosure.ancestor_id)
            .where(UnitClosure.descendant_id.in_(chunk), Unit.level == int(Level.PROVINCE))
        )
        province_of.update(db.session.execute(stmt).tuples().all())
    problems = []
    for unit, new, province in matched:
        found, wanted = province_of.get(unit.id), province_units[province.code]
        if wanted is None or found is None or found.id != wanted.id:
            where = f"đang thuộc {found.name}" if found else "không thuộc tỉnh nào"
            problems.append(
                f"{label(unit)} {where}, nhưng theo danh mục chính thức, "
                f"{new.name} (mã {new.code}) thuộc {province.name} (mã {province.code}). "
                "Hãy sửa mã hoặc vị trí của đơn vị này rồi chạy lại lệnh."
            )
    return problems
