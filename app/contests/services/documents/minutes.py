"""The minutes of a round's results (biên bản) from its latest published snapshot: the panel,
how the results were computed, the tie-break order and decisions, the head judge's reviews
and reopenings, and the corrections published."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select

from app.contests import rules
from app.contests.models import (
    OUTLIER_DECISION_LABELS,
    ContestCriterion,
    ContestEntry,
    ContestJudge,
    ContestPart,
    ContestRound,
    OutlierReview,
    ResultSnapshot,
    ScoreSheet,
    SheetReopening,
)
from app.contests.services.documents.table import ScoreTable, published_table
from app.contests.services.judging.sheets import marks_from_json
from app.contests.services.lookups import round_judges, round_parts
from app.contests.services.results.snapshots import decision_lines
from app.contests.services.words import print_points, tie_break_words
from app.extensions import db
from app.users.models import User


@dataclass
class Reopening:
    at: datetime
    judge: str
    entry: str
    part: str
    reason: str
    before: str
    after: str | None
    by: str | None


@dataclass
class Review:
    at: datetime
    judge: str
    entry: str
    part: str
    mark: Decimal | None  # None: the sheet changed after the review
    decision: str
    note: str | None
    by: str | None


@dataclass
class Minutes:
    """Everything the biên bản states about a published round."""

    table: ScoreTable
    judges: list[ContestJudge]
    method: list[str]
    tie_break: list[str]
    tie_decisions: list[dict]
    reviews: list[Review]
    reopenings: list[Reopening]
    corrections: list[ResultSnapshot]

    @property
    def head(self) -> ContestJudge | None:
        return next((j for j in self.judges if j.is_head), None)

    @property
    def members(self) -> list[ContestJudge]:
        return [j for j in self.judges if not j.is_head]


def minutes(round_: ContestRound) -> Minutes | None:
    """The minutes of a round from its latest snapshot (None while nothing is published)."""
    table = published_table(round_)
    if table is None:
        return None
    judges = round_judges(round_.id)
    sheet_info = _sheet_info(round_.id)
    return Minutes(
        table=table,
        judges=judges,
        method=method_in_words(round_, len(judges)),
        tie_break=tie_break_words(round_.contest.tie_break_keys),
        tie_decisions=decision_lines(table.data),
        reviews=_reviews(sheet_info),
        reopenings=_reopenings(sheet_info),
        corrections=list(
            db.session.scalars(
                select(ResultSnapshot)
                .where(ResultSnapshot.round_id == round_.id, ResultSnapshot.number > 1)
                .order_by(ResultSnapshot.number)
            )
        ),
    )


def method_in_words(round_: ContestRound, panel_size: int) -> list[str]:
    """How the results were computed, in sentences for the minutes."""
    contest = round_.contest
    method = rules.method_for(contest.aggregation, panel_size)
    lines = []
    how = rules.AGGREGATIONS[method].lower()
    if contest.aggregation == "auto":
        how += f" — thể lệ quy định theo số giám khảo, vòng thi này có {panel_size} giám khảo"
    lines.append(
        f"Điểm mỗi phần thi của một đội/thí sinh được tổng hợp từ điểm các giám khảo theo cách: "
        f"{how}; không cộng điểm của các giám khảo với nhau."
    )
    secretary = [p.name for p in round_parts(round_.id) if not p.is_judged]
    if secretary:
        lines.append(
            f"Phần thi {', '.join(secretary)} (trắc nghiệm) do Thư ký chấm một lần theo số câu "
            "trả lời đúng."
        )
    lines.append(
        "Giám khảo không chấm đội/thí sinh của đơn vị mình công tác; điểm phần thi chỉ được tính "
        "khi mọi giám khảo được phân công đã nộp phiếu chấm."
    )
    rounding = rules.ROUNDING_MODES.get(contest.rounding, contest.rounding)
    lines.append(
        f"Kết quả mỗi phần thi được làm tròn đến {contest.places} chữ số thập phân — "
        f"{rounding[0].lower()}{rounding[1:]}. Tổng điểm bằng tổng các phần thi đã làm tròn trừ "
        "điểm trừ do Thư ký ghi nhận (quá thời gian, vi phạm thể lệ); xếp hạng theo tổng điểm."
    )
    return lines


@dataclass
class _SheetInfo:
    judge: str
    entry: str
    part: str
    version: int
    total: Decimal | None
    criteria: dict[int, str]  # criterion id -> name


def _sheet_info(round_id: int) -> dict[int, _SheetInfo]:
    """Judge, entry and part names of the round's sheets that were reviewed or reopened."""
    rows = db.session.execute(
        select(
            ScoreSheet.id,
            ScoreSheet.version,
            ScoreSheet.total,
            ScoreSheet.part_id,
            ContestJudge.full_name,
            ContestEntry.name,
            ContestPart.name,
        )
        .join(ContestJudge, ContestJudge.id == ScoreSheet.judge_id)
        .join(ContestEntry, ContestEntry.id == ScoreSheet.entry_id)
        .join(ContestPart, ContestPart.id == ScoreSheet.part_id)
        .where(
            ScoreSheet.round_id == round_id,
            or_(
                ScoreSheet.id.in_(select(OutlierReview.sheet_id)),
                ScoreSheet.id.in_(select(SheetReopening.sheet_id)),
            ),
        )
    ).all()
    criteria: dict[int, dict[int, str]] = {}
    for part_id, criterion_id, name in db.session.execute(
        select(ContestCriterion.part_id, ContestCriterion.id, ContestCriterion.name).where(
            ContestCriterion.part_id.in_({r[3] for r in rows} or {0})
        )
    ):
        criteria.setdefault(part_id, {})[criterion_id] = name
    return {
        sheet_id: _SheetInfo(judge, entry, part, version, total, criteria.get(part_id, {}))
        for sheet_id, version, total, part_id, judge, entry, part in rows
    }


def _user_names(ids) -> dict[int, str]:
    """User id → full name, for who decided or reopened (one query)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def _reviews(info: dict[int, _SheetInfo]) -> list[Review]:
    """The head judge's decisions on flagged marks of the round's sheets."""
    reviews = list(
        db.session.scalars(
            select(OutlierReview)
            .where(OutlierReview.sheet_id.in_(list(info) or [0]))
            .order_by(OutlierReview.at, OutlierReview.id)
        )
    )
    users = _user_names(r.by_user_id for r in reviews)
    made = []
    for r in reviews:
        sheet = info[r.sheet_id]
        made.append(
            Review(
                at=r.at,
                judge=sheet.judge,
                entry=sheet.entry,
                part=sheet.part,
                mark=sheet.total if sheet.version == r.sheet_version else None,
                decision=OUTLIER_DECISION_LABELS.get(r.decision, r.decision),
                note=r.note,
                by=users.get(r.by_user_id),
            )
        )
    return made


def _reopenings(info: dict[int, _SheetInfo]) -> list[Reopening]:
    """Submitted sheets the head judge reopened: why, and the marks before and after."""
    rows = list(
        db.session.scalars(
            select(SheetReopening)
            .where(SheetReopening.sheet_id.in_(list(info) or [0]))
            .order_by(SheetReopening.at, SheetReopening.id)
        )
    )
    users = _user_names(r.by_user_id for r in rows)
    made = []
    for r in rows:
        sheet = info[r.sheet_id]
        made.append(
            Reopening(
                at=r.at,
                judge=sheet.judge,
                entry=sheet.entry,
                part=sheet.part,
                reason=r.reason,
                before=describe_marks(r.marks_before, sheet.criteria),
                after=describe_marks(r.marks_after, sheet.criteria) if r.marks_after else None,
                by=users.get(r.by_user_id),
            )
        )
    return made


def describe_marks(text: str, criteria: dict[int, str]) -> str:
    """A reopening's marks JSON {"criterion id or 'part'": "7.50"} in words: "Nội dung 10,00;
    Diễn xuất 6,50 (cộng 16,50)", or "7,50" for a part without criteria."""
    try:
        marks = marks_from_json(text)
    except ValueError:
        return text
    if not marks:
        return "(chưa có điểm)"
    total = print_points(sum(marks.values(), Decimal(0)))
    if list(marks) == [None] or not criteria:
        return total
    ordered = [k for k in criteria if k in marks] + [k for k in marks if k not in criteria]
    named = "; ".join(f"{criteria.get(k, 'Điểm')} {print_points(marks[k])}" for k in ordered)
    return f"{named} (cộng {total})"
