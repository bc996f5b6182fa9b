"""The head judge's work on a round: the board of who submitted what, the marks flagged far
from the panel's median and their review, and reopening a submitted sheet with a reason."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.clock import utcnow
from app.contests import rules
from app.contests.models import (
    ContestJudge,
    ContestPart,
    ContestRound,
    ContestRoundEntry,
    OutlierReview,
    ScoreSheet,
    SheetReopening,
)
from app.contests.services import ContestError, reason_problem
from app.contests.services.judging.sheets import (
    key_order,
    marks_from_json,
    marks_json,
    marks_of_sheets,
    sheet_marks,
)
from app.contests.services.lookups import conflicts, round_entries, round_judges, round_parts
from app.contests.services.results.compute import RoundResults, counted, panel_size
from app.extensions import db

REASON_REQUIRED = "Ghi lý do mở lại phiếu chấm."


def reopen_sheet(sheet: ScoreSheet, by_user, reason: str | None) -> SheetReopening:
    """Reopen a submitted sheet with a reason (its marks before are kept); a published round
    goes back to judging for the correction. The head judge of the sheet's round."""
    reason = (reason or "").strip()
    if problem := reason_problem(reason, REASON_REQUIRED):
        raise ContestError(problem, "reason")
    if not sheet.is_submitted:
        raise ContestError("Chỉ mở lại được phiếu đã nộp.", "reason")
    round_ = db.session.get(ContestRound, sheet.round_id)
    contest = round_.contest
    if contest.status == "closed":
        raise ContestError("Hội thi đã kết thúc, không mở lại phiếu chấm được.", "reason")
    reopening = SheetReopening(
        sheet_id=sheet.id,
        at=utcnow(),
        by_user_id=by_user.id,
        reason=reason,
        marks_before=marks_json(sheet_marks(sheet)),
    )
    db.session.add(reopening)
    sheet.status = "draft"
    sheet.submitted_at = None
    if round_.status == "published":
        round_.status = "judging"
    if contest.status == "published":
        contest.status = "judging"
    db.session.flush()
    return reopening


def review_outlier(sheet: ScoreSheet, by_user, decision: str, note: str | None) -> OutlierReview:
    """Record the head judge's decision on a flagged mark ("confirmed", or "reopen", which
    also reopens the sheet with the note as its reason). The head judge of the round."""
    if decision not in ("confirmed", "reopen"):
        raise ContestError("Chọn cách xử lý: giữ nguyên điểm hoặc đề nghị chấm lại.", "decision")
    round_ = db.session.get(ContestRound, sheet.round_id)
    if sheet.id not in outlier_flags(round_):
        raise ContestError("Điểm của phiếu này không chênh lệch cần xem xét.", "decision")
    note = (note or "").strip() or None
    if decision == "reopen" and not note:
        raise ContestError("Ghi lý do đề nghị giám khảo chấm lại.", "note")
    review = OutlierReview(
        sheet_id=sheet.id,
        sheet_version=sheet.version,
        decision=decision,
        note=note,
        by_user_id=by_user.id,
        at=utcnow(),
    )
    db.session.add(review)
    db.session.flush()
    if decision == "reopen":
        reopen_sheet(sheet, by_user, note)
    return review


@dataclass(frozen=True)
class Outlier:
    """A submitted sheet whose total is far from its panel's median."""

    sheet: ScoreSheet
    median: Decimal
    review: OutlierReview | None

    @property
    def reviewed(self) -> bool:
        return self.review is not None


def outlier_flags(round_: ContestRound, outcome: RoundResults | None = None) -> dict[int, bool]:
    """Sheet id → reviewed (for this version of the sheet) of every flagged mark of the round:
    a submitted total further from the median of its entry and part than the contest's
    outlier_percent of the part's maximum (rules.outliers). ``outcome``: the round's results
    already computed, whose parts, panel and sheets are used instead of loading them again."""
    board = None
    if outcome is not None:
        board = HeadBoard(
            round=round_,
            parts=[p for p in outcome.parts if p.is_judged],
            entries=list(outcome.entries.values()),
            judges=outcome.judges,
            conflicts=outcome.conflicts,
            sheets=outcome.sheets,
        )
    return {o.sheet.id: o.reviewed for o in round_outliers(round_, board)}


def round_outliers(round_: ContestRound, board: "HeadBoard | None" = None) -> list[Outlier]:
    """The flagged sheets of a round with the median they are far from and their review."""
    if board is None:
        board = _board_data(round_)
    parts = {p.id: p for p in board.parts}
    judge_ids = {j.id for j in board.judges}
    panels: dict[tuple[int, int], dict[int, ScoreSheet]] = {}
    for sheet in board.sheets:
        if sheet.part_id in parts and counted(sheet, judge_ids, board.conflicts):
            panels.setdefault((sheet.entry_id, sheet.part_id), {})[sheet.judge_id] = sheet
    flagged = []
    threshold = round_.contest.outlier_percent
    for (_entry_id, part_id), by_judge in panels.items():
        totals = {judge: sheet.total for judge, sheet in by_judge.items()}
        far = rules.outliers(totals, parts[part_id].max_points, threshold)
        if far:
            median = rules.aggregate(list(totals.values()), "median")
            flagged.extend(Outlier(by_judge[j], median, None) for j in sorted(far))
    if not flagged:
        return []
    reviews: dict[int, OutlierReview] = {}
    for review in db.session.scalars(
        select(OutlierReview)
        .where(OutlierReview.sheet_id.in_([o.sheet.id for o in flagged]))
        .order_by(OutlierReview.id)
    ):
        reviews[review.sheet_id] = review
    return [
        Outlier(o.sheet, o.median, _current_review(reviews.get(o.sheet.id), o.sheet))
        for o in flagged
    ]


def _current_review(review: OutlierReview | None, sheet: ScoreSheet) -> OutlierReview | None:
    """A review counts for the version of the sheet it was made on only."""
    return review if review is not None and review.sheet_version == sheet.version else None


@dataclass
class HeadBoard:
    """The head judge's view of a round: who submitted what, the marks of submitted sheets,
    the flagged marks and the reopenings."""

    round: ContestRound
    parts: list[ContestPart]
    entries: list[ContestRoundEntry]
    judges: list[ContestJudge]
    conflicts: set[tuple[int, int]]
    sheets: list[ScoreSheet]
    marks: dict[int, dict[int | None, Decimal]] = field(default_factory=dict)
    outliers: list[Outlier] = field(default_factory=list)
    reopenings: list[SheetReopening] = field(default_factory=list)

    def sheet(self, judge_id: int, entry_id: int, part_id: int) -> ScoreSheet | None:
        return self._by_key.get((judge_id, entry_id, part_id))

    def outlier(self, sheet_id: int) -> Outlier | None:
        return next((o for o in self.outliers if o.sheet.id == sheet_id), None)

    def __post_init__(self):
        self._by_key = {(s.judge_id, s.entry_id, s.part_id): s for s in self.sheets}
        self._by_id = {s.id: s for s in self.sheets}
        self._judges = {j.id: j for j in self.judges}
        self._entries = {re.entry_id: re for re in self.entries}
        self._parts = {p.id: p for p in self.parts}

    def sheet_by_id(self, sheet_id: int) -> ScoreSheet | None:
        return self._by_id.get(sheet_id)

    def judge(self, judge_id: int) -> ContestJudge | None:
        return self._judges.get(judge_id)

    def round_entry(self, entry_id: int) -> ContestRoundEntry | None:
        return self._entries.get(entry_id)

    def part(self, part_id: int) -> ContestPart | None:
        return self._parts.get(part_id)

    def marks_text(self, part_id: int, marks: Mapping | str | None) -> str:
        """Marks for a person to read: "Nội dung 10 · Diễn xuất 7,5", or "8,25" for a part;
        from a sheet's marks or from a reopening's JSON."""
        if marks is None:
            return "—"
        if isinstance(marks, str):
            marks = marks_from_json(marks)
        part = self._parts.get(part_id)
        names = {c.id: c.name for c in part.criteria} if part else {}
        shown = []
        for key, value in sorted(marks.items(), key=key_order):
            text = rules.format_mark(value)
            shown.append(text if key is None else f"{names.get(key, key)} {text}")
        return " · ".join(shown) or "—"

    @property
    def submitted(self) -> int:
        return sum(1 for s in self.sheets if s.is_submitted)

    @property
    def expected(self) -> int:
        pairs = sum(panel_size(self.judges, self.conflicts, re.entry_id) for re in self.entries)
        return pairs * len(self.parts)


def _board_data(round_: ContestRound) -> HeadBoard:
    """The round's judged parts, entries, panel, conflicts and sheets (a fixed number of
    queries, whatever the size of the round)."""
    parts = [p for p in round_parts(round_.id) if p.is_judged]
    entries = round_entries(round_.id)
    judges = round_judges(round_.id)
    entry_ids = [re.entry_id for re in entries]
    sheets = list(
        db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.round_id == round_.id, ScoreSheet.entry_id.in_(entry_ids or [0])
            )
        )
    )
    return HeadBoard(
        round=round_,
        parts=parts,
        entries=entries,
        judges=judges,
        conflicts=conflicts(judges, entry_ids),
        sheets=sheets,
    )


def head_board(round_: ContestRound) -> HeadBoard:
    """Everything the head judge's page shows about a round; the head judge of the round."""
    board = _board_data(round_)
    board.marks = marks_of_sheets(s.id for s in board.sheets if s.is_submitted)
    board.outliers = round_outliers(round_, board)
    board.reopenings = list(
        db.session.scalars(
            select(SheetReopening)
            .join(ScoreSheet, ScoreSheet.id == SheetReopening.sheet_id)
            .where(ScoreSheet.round_id == round_.id)
            .order_by(SheetReopening.at.desc(), SheetReopening.id.desc())
        )
    )
    return board
