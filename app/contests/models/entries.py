"""Entries (đội thi or cá nhân), their members, the units they represent, and their place in
each round with the running order drawn by lot."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import Placed, Timestamped, Versioned

MEMBER_ROLE_LABELS = {
    "captain": "Đội trưởng",
    "official": "Thành viên chính thức",
    "reserve": "Dự bị",
    "actor": "Diễn viên phụ họa",
}
# Members who are mediators of the entering unit (actors may be anyone).
MEDIATOR_ROLES = ("captain", "official", "reserve")
ENTRY_STATUS_LABELS = {"registered": "Đã đăng ký", "withdrawn": "Đã rút"}


class ContestEntry(Placed, Timestamped, Versioned, db.Model):
    """An entry, placed at the unit that enters it (the commune, or the district of a cluster)."""

    __tablename__ = "contest_entries"
    __audit_label__ = "Đội/cá nhân dự thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="registered")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)

    members: Mapped[list["ContestEntryMember"]] = relationship(
        back_populates="entry", order_by="ContestEntryMember.position", lazy="raise"
    )

    __table_args__ = (UniqueConstraint("contest_id", "name", name="uq_contest_entries_name"),)

    @property
    def status_label(self) -> str:
        return ENTRY_STATUS_LABELS.get(self.status, self.status)


class ContestEntryUnit(db.Model):
    """A unit the entry represents beyond its own (each commune of a cluster)."""

    __tablename__ = "contest_entry_units"
    __audit_label__ = "Đơn vị của đội thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id"), nullable=False, index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)

    __table_args__ = (UniqueConstraint("entry_id", "unit_id", name="uq_contest_entry_units"),)


class ContestEntryMember(db.Model):
    """A member of an entry. Mediators are linked to the registry; the name and birth year are
    copied so that the contest's documents stay as they were when the registry changes later
    (and so that an imported archive keeps members who are not in this registry)."""

    __tablename__ = "contest_entry_members"
    __audit_label__ = "Thành viên đội thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    role: Mapped[str] = mapped_column(String(10), nullable=False)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediators.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(1))
    # The commune (or unit) the member comes from, for the "every unit represented" rule.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    entry: Mapped[ContestEntry] = relationship(back_populates="members")

    @property
    def role_label(self) -> str:
        return MEMBER_ROLE_LABELS.get(self.role, self.role)


class ContestRoundEntry(Timestamped, db.Model):
    """An entry's place in a round: the running order drawn by lot (None until drawn)."""

    __tablename__ = "contest_round_entries"
    __audit_label__ = "Thứ tự thi"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("contest_rounds.id"), nullable=False, index=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("contest_entries.id"), nullable=False, index=True
    )
    order_number: Mapped[int | None] = mapped_column(Integer)
    drawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    entry: Mapped[ContestEntry] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        UniqueConstraint("round_id", "entry_id", name="uq_contest_round_entries"),
        UniqueConstraint("round_id", "order_number", name="uq_contest_round_entries_order"),
    )
