"""Results: the board's tie decisions, the published snapshots (never changed), side prizes,
certificates and the proposals for commendation."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db


class TieDecision(db.Model):
    """The board's decision on entries tied at a prize or advancement boundary: their order."""

    __tablename__ = "contest_tie_decisions"
    __audit_label__ = "Quyết định xếp hạng đồng điểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    # Entry ids in the decided order, comma-separated.
    entry_ids: Mapped[str] = mapped_column(String(500), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    @property
    def order(self) -> list[int]:
        return [int(i) for i in self.entry_ids.split(",") if i]


class ResultSnapshot(db.Model):
    """A published ranking of a round, as JSON. Never updated: a correction publishes a new
    snapshot (number + 1) with its reason, which supersedes this one."""

    __tablename__ = "contest_results"
    __audit_label__ = "Kết quả công bố"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    published_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (UniqueConstraint("round_id", "number", name="uq_contest_results_number"),)


@event.listens_for(ResultSnapshot, "before_update")
def _snapshots_never_change(mapper, connection, target):
    raise ValueError("A published result snapshot is never changed; publish a correction.")


class ContestAward(db.Model):
    """A side prize the board awarded to an entry (or to one of its members)."""

    __tablename__ = "contest_awards"
    __audit_label__ = "Giải phụ"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), nullable=False, index=True)
    prize_id: Mapped[int] = mapped_column(ForeignKey("contest_prizes.id"), nullable=False)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id"), nullable=False)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("contest_entry_members.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class ContestCertificate(db.Model):
    """A certificate (giấy chứng nhận) with its serial number in the contest."""

    __tablename__ = "contest_certificates"
    __audit_label__ = "Giấy chứng nhận"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), nullable=False, index=True)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entries.id"), nullable=False)
    prize_name: Mapped[str] = mapped_column(String(100), nullable=False)
    issued_on: Mapped[date] = mapped_column(Date, nullable=False)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("contest_results.id"), nullable=False)

    __table_args__ = (
        UniqueConstraint("contest_id", "serial", name="uq_contest_certificates_serial"),
    )
