"""Trainers (tập huấn viên), training sessions and who attended them."""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models import Placed, Timestamped, Versioned, folded_text
from app.registry.rules import SEX_LABELS, TRAINER_BACKGROUNDS, TRAINING_LEVELS


class Trainer(Placed, Timestamped, Versioned, db.Model):
    """A trainer of the province or district; placed at that unit."""

    __tablename__ = "trainers"
    __audit_label__ = "Tập huấn viên"
    __audit_ignore__ = frozenset({"trained_on"})

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    background: Mapped[str] = mapped_column(String(30), nullable=False)
    position: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    materials_received: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    trained_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_trainers_name", "name_folded", "id"),
        Index("ix_trainers_province_name", "province_id", "name_folded", "id"),
    )

    @property
    def background_label(self) -> str:
        return TRAINER_BACKGROUNDS.get(self.background, self.background)

    @property
    def sex_label(self) -> str:
        return SEX_LABELS.get(self.sex, "")

    @property
    def is_trained(self) -> bool:
        return self.trained_on is not None

    def __str__(self) -> str:
        return self.full_name


class Training(Placed, Timestamped, Versioned, db.Model):
    """A training session, placed at the organising unit."""

    __tablename__ = "trainings"
    __audit_label__ = "Lớp tập huấn"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    title_folded: Mapped[str] = mapped_column(folded_text(300), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(20), nullable=False)
    is_framework: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    location: Mapped[str | None] = mapped_column(String(300))
    materials: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_trainings_date", "starts_on", "id"),
        Index("ix_trainings_province_date", "province_id", "starts_on", "id"),
    )

    @property
    def level_label(self) -> str:
        return TRAINING_LEVELS.get(self.level, self.level)

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(db.Model):
    """One mediator or one trainer at one training."""

    __tablename__ = "training_attendances"
    __audit_label__ = "Học viên tập huấn"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), nullable=False
    )
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediators.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("trainers.id"), index=True)

    __table_args__ = (
        UniqueConstraint("training_id", "mediator_id"),
        UniqueConstraint("training_id", "trainer_id"),
        CheckConstraint("(mediator_id IS NULL) <> (trainer_id IS NULL)", name="one_attendee"),
    )

    def __str__(self) -> str:
        who = f"HGV #{self.mediator_id}" if self.mediator_id else f"THV #{self.trainer_id}"
        return f"{who} — lớp #{self.training_id}"
