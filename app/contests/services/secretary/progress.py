"""The live progress matrix of a round: who has scored what, what is missing per judge and
per entry, penalties and the marks waiting for the head judge."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.contests.models import (
    ContestJudge,
    ContestPart,
    ContestPenalty,
    ContestRound,
    ContestRoundEntry,
)
from app.contests.services.judging import outlier_flags
from app.contests.services.results.compute import RoundResults, compute_round
from app.contests.services.secretary.quiz import secretary_parts
from app.extensions import db


@dataclass
class Cell:
    """One judge's sheet for one entry on one part, as the board watches it."""

    state: str  # "submitted", "draft", "none", "conflict"
    total: Decimal | None = None
    # None: not flagged; False: an outlier waiting for the head judge; True: reviewed.
    outlier: bool | None = None


@dataclass
class JudgeProgress:
    judge: ContestJudge
    submitted: int = 0
    drafts: int = 0
    expected: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted


@dataclass
class EntryProgress:
    place: ContestRoundEntry
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # (part, judge) → cell
    secretary: dict[int, Decimal | None] = field(default_factory=dict)  # part → value
    missing: int = 0
    penalties: int = 0
    penalty_points: Decimal = Decimal(0)
    total: Decimal | None = None


@dataclass
class Progress:
    """The round's matrix: entries × (judged parts × judges, secretary parts)."""

    outcome: RoundResults
    judged: list[ContestPart]
    quiz: list[ContestPart]
    judges: list[JudgeProgress]
    rows: list[EntryProgress]

    @property
    def expected(self) -> int:
        return sum(j.expected for j in self.judges)

    @property
    def submitted(self) -> int:
        return sum(j.submitted for j in self.judges)

    @property
    def quiz_expected(self) -> int:
        return len(self.rows) * len(self.quiz)

    @property
    def quiz_done(self) -> int:
        return sum(1 for r in self.rows for v in r.secretary.values() if v is not None)

    @property
    def penalties(self) -> int:
        return sum(r.penalties for r in self.rows)

    @property
    def outliers_pending(self) -> int:
        return sum(1 for r in self.rows for c in r.cells.values() if c.outlier is False)

    @property
    def missing(self) -> int:
        return sum(r.missing for r in self.rows)


def round_progress(round_: ContestRound) -> Progress:
    """Who has scored what in a round, what is missing per judge and per entry, penalties and
    outliers (the board). A fixed number of queries whatever the size of the round."""
    outcome = compute_round(round_)
    judged = [p for p in outcome.parts if p.is_judged]
    quiz = secretary_parts(outcome.parts)
    flags = outlier_flags(round_, outcome)  # sheet id → reviewed, the head judge's rule
    sheets = {(s.entry_id, s.part_id, s.judge_id): s for s in outcome.sheets}
    penalties: dict[int, list[Decimal]] = {}
    for entry_id, points in db.session.execute(
        select(ContestPenalty.entry_id, ContestPenalty.points).where(
            ContestPenalty.round_id == round_.id
        )
    ):
        penalties.setdefault(entry_id, []).append(points)
    results = {r.entry_id: r for r in outcome.results}
    judges = [JudgeProgress(judge) for judge in outcome.judges]
    rows = []
    for entry_id, place in outcome.entries.items():
        row = EntryProgress(place=place)
        for part in judged:
            for progress in judges:
                judge = progress.judge
                if (judge.id, entry_id) in outcome.conflicts:
                    row.cells[(part.id, judge.id)] = Cell("conflict")
                    continue
                progress.expected += 1
                sheet = sheets.get((entry_id, part.id, judge.id))
                if sheet is None:
                    cell = Cell("none")
                elif sheet.is_submitted:
                    cell = Cell("submitted", sheet.total, flags.get(sheet.id))
                    progress.submitted += 1
                else:
                    cell = Cell("draft")
                    progress.drafts += 1
                if cell.state != "submitted":
                    row.missing += 1
                row.cells[(part.id, judge.id)] = cell
        result = results.get(entry_id)
        for part in quiz:
            value = result.parts.get(part.id) if result else None
            row.secretary[part.id] = value
            if value is None:
                row.missing += 1
        row.penalties = len(penalties.get(entry_id, ()))
        row.penalty_points = sum(penalties.get(entry_id, ()), Decimal(0))
        row.total = result.total if result else None
        rows.append(row)
    return Progress(outcome=outcome, judged=judged, quiz=quiz, judges=judges, rows=rows)
