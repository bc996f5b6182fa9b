"""The multiple-choice results the secretary scores once per entry and part, recorded for
the whole table at once or not at all."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.concurrency import StaleEdit
from app.contests.models import ContestPart, ContestRound, SecretaryMark
from app.contests.services import ContestError, read_mark, user_id
from app.contests.services.lookups import round_parts
from app.contests.services.secretary.recording import require_open, round_entry_ids
from app.extensions import db

COUNT_POSITIVE = "Số câu hỏi phải lớn hơn 0."
CORRECT_ABOVE_COUNT = "Số câu trả lời đúng không được lớn hơn số câu hỏi."
CORRECT_WITHOUT_POINTS = "Nhập điểm của phần thi (số câu đúng chỉ để đối chiếu)."


@dataclass
class MarkCell:
    """One cell of the secretary's table as posted: texts, and the version it was loaded with."""

    entry_id: int
    part_id: int
    value: str = ""
    correct: str = ""
    count: str = ""
    version: str = ""
    posted: bool = True

    @property
    def key(self) -> str:
        return f"m-{self.entry_id}-{self.part_id}"


def secretary_parts(parts: list[ContestPart]) -> list[ContestPart]:
    """The parts the secretary scores (multiple-choice), in order."""
    return [p for p in parts if p.scored_by == "secretary"]


def secretary_marks(round_id: int) -> dict[tuple[int, int], SecretaryMark]:
    """(entry id, part id) → the recorded result, for the round (one query)."""
    marks = db.session.scalars(select(SecretaryMark).where(SecretaryMark.round_id == round_id))
    return {(m.entry_id, m.part_id): m for m in marks}


def _count(text: str, name: str, errors: list) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        errors.append((name, "Nhập một số nguyên, ví dụ 7."))
        return None
    return int(text)


def _parse_cell(cell: MarkCell, part: ContestPart, step: Decimal, errors: list) -> tuple:
    """(value, correct, count) of a cell, or errors next to its inputs."""
    before = len(errors)
    value, problem = read_mark(cell.value, part.max_points, step)
    if problem:
        errors.append((f"{cell.key}-value", problem))
    correct = _count(cell.correct, f"{cell.key}-correct", errors)
    count = _count(cell.count, f"{cell.key}-count", errors)
    if count == 0:
        errors.append((f"{cell.key}-count", COUNT_POSITIVE))
    elif correct is not None and count is not None and correct > count:
        errors.append((f"{cell.key}-correct", CORRECT_ABOVE_COUNT))
    if value is None and (correct is not None or count is not None) and len(errors) == before:
        errors.append((f"{cell.key}-value", CORRECT_WITHOUT_POINTS))
    return value, correct, count


def _unchanged(mark: SecretaryMark | None, value, correct, count) -> bool:
    if mark is None:
        return value is None
    return (mark.value, mark.correct_answers, mark.question_count) == (value, correct, count)


def record_secretary_marks(round_: ContestRound, cells: list[MarkCell], user) -> int:
    """Record the multiple-choice results of a round's table, all or nothing (the secretary,
    for the board): every value within the part's maximum and on the contest's step; a cell
    cleared removes its result. A cell changed since the table was loaded refuses the whole
    save (409). Returns how many results changed."""
    require_open(round_)
    entry_ids = round_entry_ids(round_.id)
    parts = {p.id: p for p in secretary_parts(round_parts(round_.id))}
    current = secretary_marks(round_.id)
    errors: list[tuple[str, str]] = []
    changes = []
    for cell in cells:
        if not cell.posted or cell.entry_id not in entry_ids or cell.part_id not in parts:
            continue
        value, correct, count = _parse_cell(cell, parts[cell.part_id], round_.contest.step, errors)
        mark = current.get((cell.entry_id, cell.part_id))
        if not _unchanged(mark, value, correct, count):
            changes.append((cell, mark, value, correct, count))
    if errors:
        raise ContestError(errors)
    for cell, mark, *_ in changes:
        loaded = cell.version.strip()
        if (mark is None and loaded) or (mark is not None and loaded != str(mark.version)):
            raise StaleEdit()
    for cell, mark, value, correct, count in changes:
        if value is None:
            db.session.delete(mark)
            continue
        if mark is None:
            mark = SecretaryMark(round_id=round_.id, entry_id=cell.entry_id, part_id=cell.part_id)
            db.session.add(mark)
        mark.value, mark.correct_answers, mark.question_count = value, correct, count
        mark.recorded_by_id = user_id(user)
    db.session.flush()
    return len(changes)
