"""A judge's score sheet: marks per criterion (or one for the part), autosaved as a draft,
then submitted and locked; a stale save is refused unless it changes nothing."""

import json
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.concurrency import check_version
from app.contests import rules
from app.contests.models import (
    ContestEntry,
    ContestJudge,
    ContestPart,
    ScoreMark,
    ScoreSheet,
    SheetReopening,
)
from app.contests.services import ContestError
from app.contests.services.judging.seats import (
    NotDeclared,
    ScoringClosed,
    require_assigned,
    scoring_closed,
)
from app.contests.services.results.snapshots import points_text
from app.extensions import db
from app.text import format_number

PART_KEY = "part"
NOTE_MAX = 2000
LOCKED_MESSAGE = "Phiếu đã nộp, không sửa được. Nếu cần sửa, đề nghị Trưởng Ban Giám khảo mở lại."
MISSING_MARK = "Nhập điểm trước khi nộp phiếu."


class SheetLocked(ContestError):
    """The sheet is submitted (locked): nothing on it changes (HTTP 409)."""

    def __init__(self):
        super().__init__(LOCKED_MESSAGE)


# Keys, marks and checks


def mark_keys(part: ContestPart) -> list[int | None]:
    """The keys of a sheet's marks: each criterion's id, or None for one mark of the part."""
    return [c.id for c in part.criteria] or [None]


def mark_maximum(part: ContestPart, key: int | None) -> Decimal:
    """The maximum of a mark: its criterion's, or the part's for a single mark."""
    if key is None:
        return part.max_points
    return next(c.max_points for c in part.criteria if c.id == key)


def json_key(key: int | None) -> str:
    """A mark's key in the JSON of a reopening: the criterion id, or "part"."""
    return PART_KEY if key is None else str(key)


def check_marks(part: ContestPart, step: Decimal, marks: Mapping) -> list[tuple[str, str]]:
    """(field, message) for each mark out of bounds or off the step (rules.mark_error)."""
    errors = []
    for key in mark_keys(part):
        value = marks.get(key)
        if value is not None:
            message = rules.mark_error(value, mark_maximum(part, key), step)
            if message:
                errors.append((field_name(key), message))
    return errors


def field_name(key: int | None) -> str:
    """The form field of a mark: mark_part, or mark_<criterion id>."""
    return f"mark_{json_key(key)}"


def load_sheet(seat: ContestJudge, entry: ContestEntry, part: ContestPart) -> ScoreSheet | None:
    """The seat's sheet for this entry and part, if the judge has saved one."""
    return db.session.scalar(
        select(ScoreSheet).where(
            ScoreSheet.judge_id == seat.id,
            ScoreSheet.entry_id == entry.id,
            ScoreSheet.part_id == part.id,
        )
    )


def sheet_marks(sheet: ScoreSheet | None) -> dict[int | None, Decimal]:
    """A sheet's marks by key (criterion id, or None for the whole part)."""
    if sheet is None:
        return {}
    return dict(
        db.session.execute(
            select(ScoreMark.criterion_id, ScoreMark.value).where(ScoreMark.sheet_id == sheet.id)
        ).all()
    )


def marks_of_sheets(sheet_ids) -> dict[int, dict[int | None, Decimal]]:
    """Sheet id → its marks by key, for many sheets in one query."""
    ids = list(sheet_ids)
    marks: dict[int, dict[int | None, Decimal]] = {}
    for sheet_id, key, value in db.session.execute(
        select(ScoreMark.sheet_id, ScoreMark.criterion_id, ScoreMark.value).where(
            ScoreMark.sheet_id.in_(ids or [0])
        )
    ):
        marks.setdefault(sheet_id, {})[key] = value
    return marks


def running_total(part: ContestPart, marks: Mapping) -> tuple[Decimal, bool]:
    """The sum of the marks entered so far and whether every mark is there."""
    keys = mark_keys(part)
    present = [marks[k] for k in keys if marks.get(k) is not None]
    return sum(present, Decimal(0)), len(present) == len(keys)


def save_sheet(
    seat: ContestJudge,
    entry: ContestEntry,
    part: ContestPart,
    marks: Mapping[int | None, Decimal | None],
    note: str | None,
    version: int | str | None,
) -> ScoreSheet:
    """Save the judge's draft: the marks given (None clears one; keys not given stay) and the
    note (None: unchanged). A stale version is refused (StaleEdit) unless what is posted is
    what is stored already: a retried save whose answer was lost changes nothing. The judge
    of the seat, declared, while the round is being judged."""
    closed = scoring_closed(part.round)
    if closed:
        raise ScoringClosed(closed)
    require_assigned(seat, entry, part)
    if seat.declared_at is None:
        raise NotDeclared()
    marks = _of_part(part, marks)
    note = _clean_note(note)
    errors = check_marks(part, part.round.contest.step, marks)
    if errors:
        raise ContestError(errors)
    sheet = load_sheet(seat, entry, part)
    if sheet is None:
        created = _create_sheet(seat, entry, part, marks, note)
        if created is not None:
            return created
        # Another request created it at the same moment: this save is now a stale one.
        sheet = load_sheet(seat, entry, part)
    if sheet.is_submitted:
        raise SheetLocked()
    stored = sheet_marks(sheet)
    if _same(sheet, stored, marks, note):
        return sheet
    check_version(sheet, version)
    _apply(sheet, part, stored, marks, note)
    return sheet


def _of_part(part: ContestPart, marks: Mapping) -> dict:
    """The posted marks that belong to the part (other keys are ignored)."""
    keys = mark_keys(part)
    return {key: value for key, value in marks.items() if key in keys}


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ContestError(f"Nhận xét tối đa {format_number(NOTE_MAX)} ký tự.", "note")
    return note


def _same(sheet: ScoreSheet, stored: Mapping, marks: Mapping, note: str | None) -> bool:
    """Nothing posted differs from what the sheet holds."""
    if note is not None and (note or None) != sheet.note:
        return False
    return all(stored.get(key) == value for key, value in marks.items())


def _create_sheet(seat, entry, part, marks, note) -> ScoreSheet | None:
    """A new draft with its marks, in a savepoint: when a concurrent first save of the same
    sheet won the race (the unique constraint), None and nothing of this one is kept."""
    try:
        with db.session.begin_nested():
            sheet = ScoreSheet(
                round_id=part.round_id,
                judge_id=seat.id,
                entry_id=entry.id,
                part_id=part.id,
                status="draft",
                total=_total(part, marks),
                note=note or None,
            )
            db.session.add(sheet)
            db.session.flush()
            _write_marks(sheet, {}, marks)
            db.session.flush()
    except IntegrityError:
        return None
    return sheet


def _apply(sheet: ScoreSheet, part: ContestPart, stored: dict, marks: Mapping, note) -> None:
    """Write the posted marks and note on an existing draft. The sheet row is updated first
    (its version check) so that a concurrent save fails there, before touching the marks."""
    merged = {**stored, **marks}
    sheet.total = _total(part, merged)
    if note is not None:
        sheet.note = note or None
    sheet.updated_at = utcnow()
    db.session.flush()
    _write_marks(sheet, stored, marks)
    db.session.flush()


def _write_marks(sheet: ScoreSheet, stored: Mapping, marks: Mapping) -> None:
    changed = {key for key, value in marks.items() if stored.get(key) != value}
    if not changed:
        return
    existing = {
        mark.criterion_id: mark
        for mark in db.session.scalars(select(ScoreMark).where(ScoreMark.sheet_id == sheet.id))
    }
    for key in changed:
        value, mark = marks[key], existing.get(key)
        if value is None:
            if mark is not None:
                db.session.delete(mark)
        elif mark is None:
            db.session.add(ScoreMark(sheet_id=sheet.id, criterion_id=key, value=value))
        else:
            mark.value = value


def _total(part: ContestPart, marks: Mapping) -> Decimal | None:
    total, complete = running_total(part, marks)
    return total if complete else None


def submit_sheet(
    seat: ContestJudge,
    entry: ContestEntry,
    part: ContestPart,
    marks: Mapping[int | None, Decimal | None],
    note: str | None,
    version: int | str | None,
) -> ScoreSheet:
    """Save the posted marks (as save_sheet) and submit the sheet: every mark must be there;
    then it is locked, and an open reopening gets its marks after. A retried submit of the
    same marks changes nothing. The judge of the seat."""
    existing = load_sheet(seat, entry, part)
    if existing is not None and existing.is_submitted:
        posted = _of_part(part, marks)
        if _same(existing, sheet_marks(existing), posted, _clean_note(note)):
            return existing
    sheet = save_sheet(seat, entry, part, marks, note, version)
    stored = sheet_marks(sheet)
    missing = [(field_name(k), MISSING_MARK) for k in mark_keys(part) if stored.get(k) is None]
    if missing:
        raise ContestError(missing)
    sheet.status = "submitted"
    sheet.submitted_at = utcnow()
    sheet.total = _total(part, stored)
    reopening = db.session.scalar(
        select(SheetReopening)
        .where(SheetReopening.sheet_id == sheet.id, SheetReopening.marks_after.is_(None))
        .order_by(SheetReopening.id.desc())
        .limit(1)
    )
    if reopening is not None:
        reopening.marks_after = marks_json(stored)
    db.session.flush()
    return sheet


def marks_json(marks: Mapping[int | None, Decimal]) -> str:
    """{"<criterion id or 'part'>": "7.50"}, as a reopening records them."""
    return json.dumps(
        {json_key(key): points_text(value) for key, value in sorted(marks.items(), key=key_order)}
    )


def marks_from_json(text: str) -> dict[int | None, Decimal]:
    """A reopening's marks JSON back to marks by key (ValueError when it is not such JSON)."""
    marks = json.loads(text)
    if not isinstance(marks, dict):
        raise ValueError("not a marks object")
    return {
        (None if key == PART_KEY else int(key)): Decimal(str(value))
        for key, value in marks.items()
        if value is not None
    }


def key_order(item) -> tuple:
    """Marks in the order of their keys: the part's single mark, then criteria by id."""
    key = item[0]
    return (key is not None, key or 0)
