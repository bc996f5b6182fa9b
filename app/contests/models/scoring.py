"""Judging: the panel of a round, score sheets and their marks, reopenings, the secretary's
records (multiple-choice results, timings and penalties) and the head judge's outlier reviews."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.contests.models.contest import Points
from app.extensions import db
from app.models import Timestamped, Versioned

SHEET_STATUS_LABELS = {"draft": "Đang chấm (bản nháp)", "submitted": "Đã nộp"}
PENALTY_KIND_LABELS = {"time": "Quá thời gian", "rule": "Vi phạm thể lệ"}
OUTLIER_DECISION_LABELS = {
    "confirmed": "Giữ nguyên điểm",
    "reopen": "Đề nghị giám khảo chấm lại",
}


class ContestJudge(Timestamped, Versioned, db.Model):
    """A member of a round's panel (Ban Giám khảo). ``user_id`` is the account that scores on
    a tablet (None for a judge of an imported archive); ``unit_id`` is where the judge works,
    which decides the conflicts of interest."""

    __tablename__ = "contest_judges"
    __audit_label__ = "Giám khảo"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    title: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    is_head: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # The declaration of no conflict of interest, made by the judge before scoring.
    declared_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_contest_judges_user"),)


class ScoreSheet(Timestamped, Versioned, db.Model):
    """One judge's marks for one entry on one part. A draft (autosaved) until submitted, then
    locked; the version refuses a save from a stale tab or device (409)."""

    __tablename__ = "contest_score_sheets"
    __audit_label__ = "Phiếu chấm"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("contest_rounds.id"), nullable=False)
    judge_id: Mapped[int] = mapped_column(ForeignKey("contest_judges.id"), nullable=False)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id"), nullable=False)
    part_id: Mapped[int] = mapped_column(ForeignKey("contest_parts.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    # The sum of the marks once every criterion has one (None while incomplete).
    total: Mapped[Decimal | None] = mapped_column(Points)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    marks: Mapped[list["ScoreMark"]] = relationship(back_populates="sheet", lazy="raise")

    __table_args__ = (
        UniqueConstraint("judge_id", "entry_id", "part_id", name="uq_contest_score_sheets"),
        Index("ix_contest_score_sheets_round", "round_id", "entry_id", "part_id"),
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == "submitted"


class ScoreMark(db.Model):
    """A mark on a sheet: for one criterion, or for the whole part (criterion None)."""

    __tablename__ = "contest_marks"
    __audit_label__ = "Điểm chấm"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("contest_score_sheets.id"), nullable=False, index=True
    )
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("contest_criteria.id"))
    value: Mapped[Decimal] = mapped_column(Points, nullable=False)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="marks")

    __table_args__ = (UniqueConstraint("sheet_id", "criterion_id", name="uq_contest_marks"),)


class SheetReopening(db.Model):
    """The head judge reopened a submitted sheet: who, when, why, the marks before and (once
    submitted again) after, as JSON {"criterion id or 'part'": "7.50"}."""

    __tablename__ = "contest_sheet_reopenings"
    __audit_label__ = "Mở lại phiếu chấm"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("contest_score_sheets.id"), nullable=False, index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    marks_before: Mapped[str] = mapped_column(Text, nullable=False)
    marks_after: Mapped[str | None] = mapped_column(Text)


class SecretaryMark(Timestamped, Versioned, db.Model):
    """The result of a part the secretary scores once (multiple-choice knowledge test)."""

    __tablename__ = "contest_secretary_marks"
    __audit_label__ = "Điểm phần thi trắc nghiệm"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id"), nullable=False)
    part_id: Mapped[int] = mapped_column(ForeignKey("contest_parts.id"), nullable=False)
    value: Mapped[Decimal] = mapped_column(Points, nullable=False)
    correct_answers: Mapped[int | None] = mapped_column(Integer)
    question_count: Mapped[int | None] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (UniqueConstraint("entry_id", "part_id", name="uq_contest_secretary_marks"),)


class ContestPenalty(Timestamped, Versioned, db.Model):
    """A penalty entered by the secretary: a timing over the part's limit (points from the
    part's rule) or a breach of the rules; never an edit of a judge's marks."""

    __tablename__ = "contest_penalties"
    __audit_label__ = "Điểm trừ"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id"), nullable=False)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("contest_parts.id"))
    kind: Mapped[str] = mapped_column(String(5), nullable=False)
    used_seconds: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[Decimal] = mapped_column(Points, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (Index("ix_contest_penalties_entry", "entry_id", "part_id"),)

    @property
    def kind_label(self) -> str:
        return PENALTY_KIND_LABELS.get(self.kind, self.kind)


class OutlierReview(db.Model):
    """The head judge's decision on a mark flagged as far from the panel (for the minutes).
    Bound to the sheet's version: a changed sheet needs a new review."""

    __tablename__ = "contest_outlier_reviews"
    __audit_label__ = "Xem xét điểm chênh lệch"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("contest_score_sheets.id"), nullable=False, index=True
    )
    sheet_version: Mapped[int] = mapped_column(Integer, nullable=False)
    decision: Mapped[str] = mapped_column(String(10), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
