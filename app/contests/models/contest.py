"""A contest and its rules as data: rounds, parts with criteria and penalty rules, prizes, and
the amendments made to the rules once they froze."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db
from app.models import Placed, Timestamped, Versioned

# Marks and points are exact decimals with two places (DOMAIN.md §5: store marks as exact
# decimals); SQLite keeps them as text-backed Decimals through SQLAlchemy's Numeric.
Points = Numeric(7, 2, asdecimal=True)

LEVEL_LABELS = {
    "commune": "Cấp xã",
    "district": "Cấp huyện",
    "province": "Cấp tỉnh",
    "national": "Toàn quốc",
}
STATUS_LABELS = {
    "draft": "Đang soạn thể lệ",
    "registration": "Đang đăng ký dự thi",
    "judging": "Đang chấm thi",
    "published": "Đã công bố kết quả",
    "closed": "Đã kết thúc",
}
STATUS_ORDER = ("draft", "registration", "judging", "published", "closed")
ENTRY_KIND_LABELS = {"team": "Đội thi", "individual": "Cá nhân"}
ROUND_KIND_LABELS = {"preliminary": "Sơ khảo", "final": "Chung khảo"}
ROUND_STATUS_LABELS = {
    "preparing": "Chuẩn bị",
    "judging": "Đang chấm",
    "published": "Đã công bố",
}
SCORED_BY_LABELS = {"judges": "Giám khảo chấm", "secretary": "Thư ký chấm (trắc nghiệm)"}
PRIZE_KIND_LABELS = {"rank": "Giải theo thứ hạng", "side": "Giải phụ (Ban Tổ chức chọn)"}


class Contest(Placed, Timestamped, Versioned, db.Model):
    """A "good mediator" contest. Placed at its organising unit: officers of that subtree run
    it; the units below it enter it. The columns after ``status`` are its rules (DOMAIN.md §5);
    they freeze when judging opens (``frozen_at``) and change afterwards only by amendment."""

    __tablename__ = "contests"
    __audit_label__ = "Hội thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    rule_document: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    note: Mapped[str | None] = mapped_column(Text)

    entry_kind: Mapped[str] = mapped_column(String(10), nullable=False, default="team")
    official_count: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    reserve_min: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    reserve_max: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    actor_max: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    # Every unit an entry represents (e.g. each commune of a cluster) must have a member.
    every_unit_represented: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    aggregation: Mapped[str] = mapped_column(String(10), nullable=False, default="auto")
    places: Mapped[int] = mapped_column(Integer, nullable=False, default=2)
    rounding: Mapped[str] = mapped_column(String(10), nullable=False, default="half_up")
    step: Mapped[Decimal] = mapped_column(Points, nullable=False, default=Decimal("0.25"))
    outlier_percent: Mapped[Decimal] = mapped_column(Points, nullable=False, default=Decimal(20))
    # Comma-separated keys of rules.TIE_BREAKS, in order.
    tie_break: Mapped[str] = mapped_column(
        String(100), nullable=False, default="skit,situation,knowledge,raw_sum,penalties"
    )
    frozen_at: Mapped[datetime | None] = mapped_column(DateTime)

    rounds: Mapped[list["ContestRound"]] = relationship(
        back_populates="contest", order_by="ContestRound.position", lazy="raise"
    )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def tie_break_keys(self) -> list[str]:
        return [key for key in self.tie_break.split(",") if key]


class ContestRound(Timestamped, Versioned, db.Model):
    """A round (vòng sơ khảo by cluster, vòng chung khảo): its own parts, panel and results."""

    __tablename__ = "contest_rounds"
    __audit_label__ = "Vòng thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="final")
    held_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(200))
    # The top N advance to the next round (None: the board chooses, or this is the last round).
    advance_count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="preparing")

    contest: Mapped[Contest] = relationship(back_populates="rounds", lazy="joined", innerjoin=True)
    parts: Mapped[list["ContestPart"]] = relationship(
        back_populates="round", order_by="ContestPart.position", lazy="raise"
    )

    __table_args__ = (
        UniqueConstraint("contest_id", "position", name="uq_contest_rounds_position"),
    )

    @property
    def kind_label(self) -> str:
        return ROUND_KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return ROUND_STATUS_LABELS.get(self.status, self.status)


class ContestPart(Timestamped, Versioned, db.Model):
    """A part of a round (phần thi) with its maximum, time limit and penalty rule."""

    __tablename__ = "contest_parts"
    __audit_label__ = "Phần thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, default="other")
    max_points: Mapped[Decimal] = mapped_column(Points, nullable=False)
    scored_by: Mapped[str] = mapped_column(String(10), nullable=False, default="judges")
    time_limit_seconds: Mapped[int | None] = mapped_column(Integer)
    penalty_kind: Mapped[str] = mapped_column(String(12), nullable=False, default="none")
    penalty_points: Mapped[Decimal | None] = mapped_column(Points)
    # tiered: "seconds over:points" pairs, e.g. "1:0.25;60:0.5" (Cần Thơ 2023).
    penalty_tiers: Mapped[str | None] = mapped_column(String(200))
    guidance: Mapped[str | None] = mapped_column(Text)

    round: Mapped[ContestRound] = relationship(
        back_populates="parts", lazy="joined", innerjoin=True
    )
    criteria: Mapped[list["ContestCriterion"]] = relationship(
        back_populates="part", order_by="ContestCriterion.position", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("round_id", "position", name="uq_contest_parts_position"),)

    @property
    def is_judged(self) -> bool:
        return self.scored_by == "judges"


class ContestCriterion(db.Model):
    """A criterion under a part (tiêu chí); a judge's mark for the part is the sum of these."""

    __tablename__ = "contest_criteria"
    __audit_label__ = "Tiêu chí chấm"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("contest_parts.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    max_points: Mapped[Decimal] = mapped_column(Points, nullable=False)

    part: Mapped[ContestPart] = relationship(back_populates="criteria")


class ContestPrize(db.Model):
    """A line of the prize table: a rank prize with its count (1 Nhất, 2 Nhì...) or a side
    prize the board awards (best skit, "hòa giải khéo"...)."""

    __tablename__ = "contest_prizes"
    __audit_label__ = "Cơ cấu giải thưởng"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    kind: Mapped[str] = mapped_column(String(5), nullable=False, default="rank")
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class ContestAmendment(db.Model):
    """A change of frozen rules, with its reason (the audit log holds the before/after)."""

    __tablename__ = "contest_amendments"
    __audit_label__ = "Sửa đổi thể lệ"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    changes: Mapped[str] = mapped_column(Text, nullable=False)
