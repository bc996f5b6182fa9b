"""Pieces of the Vietnamese administrative document layout (Decree 30/2020/NĐ-CP)."""

from datetime import date

from app.units.models import KINDS, Level, Unit

ISSUING_OFFICE = {
    Level.PROVINCE: "SỞ TƯ PHÁP",
    Level.DISTRICT: "PHÒNG TƯ PHÁP",
}


def short_name(unit: Unit) -> str:
    """The name without its kind: "Xã Sín Thầu" -> "Sín Thầu"."""
    label = KINDS.get(unit.kind, (None, ""))[1]
    for prefix in (label, "Tỉnh", "Thành phố"):
        if prefix and unit.name.startswith(prefix + " "):
            return unit.name[len(prefix) + 1 :]
    return unit.name


def issuer_lines(unit: Unit) -> tuple[str, str]:
    """(governing body, issuing office), e.g. ("UBND HUYỆN MƯỜNG NHÉ", "PHÒNG TƯ PHÁP").

    A commune's documents are issued by its People's Committee itself.
    """
    committee = f"UBND {unit.name.upper()}"
    office = ISSUING_OFFICE.get(Level(unit.level))
    if office is None:
        return "", committee
    return committee, office


def date_line(place: str, when: date) -> str:
    """ "Mường Nhé, ngày 05 tháng 02 năm 2026": days below 10 and months 1-2 take a leading 0."""
    day = f"{when.day:02d}"
    month = f"{when.month:02d}" if when.month <= 2 else str(when.month)
    return f"{place}, ngày {day} tháng {month} năm {when.year}"
