"""Each judge's score sheet of a round as printed: entries in running order × judged parts,
with only that judge's submitted marks, for their signature."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.contests.models import (
    ContestCriterion,
    ContestJudge,
    ContestPart,
    ContestRound,
    ScoreSheet,
)
from app.contests.services.judging.sheets import mark_keys, marks_of_sheets
from app.contests.services.lookups import (
    conflicts,
    round_entries,
    round_judges,
    round_parts,
    unit_names,
)
from app.extensions import db


@dataclass
class SheetPart:
    """A judged part as a group of columns: its criteria (none: one column for the part)."""

    part: ContestPart
    criteria: list[ContestCriterion]

    @property
    def width(self) -> int:
        return len(self.criteria) + 1 if self.criteria else 1


@dataclass
class SheetCell:
    """One part of one entry on a judge's sheet: the submitted marks, or why there are none."""

    state: str  # "submitted", "pending" (draft or not started) or "conflict"
    marks: list[Decimal | None] = field(default_factory=list)  # per criterion, then the part
    total: Decimal | None = None


@dataclass
class SheetRow:
    order: int | None
    name: str
    unit: str
    cells: list[SheetCell]

    @property
    def total(self) -> Decimal | None:
        """The judge's total for the entry: only when every part they score is submitted."""
        scored = [c for c in self.cells if c.state != "conflict"]
        if not scored or any(c.state != "submitted" for c in scored):
            return None
        return sum((c.total for c in scored), Decimal(0))

    @property
    def conflicted(self) -> bool:
        return bool(self.cells) and all(c.state == "conflict" for c in self.cells)


@dataclass
class JudgeSheet:
    judge: ContestJudge
    parts: list[SheetPart]
    rows: list[SheetRow]


def judge_sheets(round_: ContestRound, seat_id: int | None = None) -> list[JudgeSheet]:
    """Each judge's sheet of a round (one judge's with ``seat_id``): entries in running order ×
    judged parts, with only that judge's SUBMITTED marks; the board prints them."""
    judges = round_judges(round_.id)
    if seat_id is not None:
        judges = [j for j in judges if j.id == seat_id]
    parts = [SheetPart(p, list(p.criteria)) for p in round_parts(round_.id) if p.is_judged]
    entries = round_entries(round_.id)
    units = unit_names({re.entry.unit_id for re in entries})
    pairs = conflicts(judges, [re.entry_id for re in entries])
    sheets = {
        (s.judge_id, s.entry_id, s.part_id): s
        for s in db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.round_id == round_.id,
                ScoreSheet.judge_id.in_([j.id for j in judges] or [0]),
                ScoreSheet.status == "submitted",
            )
        )
    }
    marks = marks_of_sheets(s.id for s in sheets.values())
    made = []
    for judge in judges:
        rows = []
        for re in entries:
            cells = []
            for sp in parts:
                sheet = sheets.get((judge.id, re.entry_id, sp.part.id))
                if (judge.id, re.entry_id) in pairs:
                    cells.append(SheetCell("conflict"))
                elif sheet is None:
                    cells.append(SheetCell("pending"))
                else:
                    values = marks.get(sheet.id, {})
                    given = [values.get(key) for key in mark_keys(sp.part)]
                    cells.append(SheetCell("submitted", given, sheet.total))
            rows.append(
                SheetRow(re.order_number, re.entry.name, units.get(re.entry.unit_id, ""), cells)
            )
        made.append(JudgeSheet(judge, parts, rows))
    return made
