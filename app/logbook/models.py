"""The mediation logbook (sổ theo dõi hoạt động hòa giải ở cơ sở) and remuneration."""

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.logbook.rules import ENDED, RESULT_LABELS, SCOPE_LABELS
from app.models import Placed, Timestamped, Versioned


class LogbookEntry(Placed, Timestamped, Versioned, db.Model):
    """One case of a team's logbook. Placed where its team is, so that every list and every
    count is scoped on one indexed column. The parties are in ``logbook_parties``: a list or a
    count never reads their names."""

    __tablename__ = "logbook_entries"
    __audit_label__ = "Vụ việc hòa giải"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Placed's columns without their single-column indexes: the composite ones below start
    # with them.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    province_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    page_number: Mapped[int | None] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    invited_persons: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    scope: Mapped[str] = mapped_column(String(10), nullable=False)
    result: Mapped[str] = mapped_column(String(12), nullable=False)
    stop_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    agreement: Mapped[str | None] = mapped_column(Text)
    written_settlement: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    party_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("remuneration_payments.id"))
    paid_amount: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("team_id", "year", "number", name="uq_logbook_entries_number"),
        # One index per level serves the scoped list (received_on, id descending) and, holding
        # the columns of the level below and the result, the success-rate counts and their
        # breakdown by sub-unit for any period without reading the table (QUALITY.md P5).
        Index("ix_logbook_entries_received", "received_on", "id", "province_id", "result"),
        Index(
            "ix_logbook_entries_province",
            "province_id",
            "received_on",
            "id",
            "district_id",
            "commune_id",
            "result",
        ),
        Index(
            "ix_logbook_entries_district",
            "district_id",
            "received_on",
            "id",
            "commune_id",
            "result",
        ),
        Index("ix_logbook_entries_commune", "commune_id", "received_on", "id", "team_id", "result"),
        Index("ix_logbook_entries_unit", "unit_id", "received_on", "id", "team_id", "result"),
        Index("ix_logbook_entries_team", "team_id", "received_on", "id", "result"),
        Index("ix_logbook_entries_payment", "payment_id"),
        # Cases not paid yet are few: small partial indexes serve the remuneration pages.
        *(
            Index(
                f"ix_logbook_entries_unpaid_{level}",
                f"{level}_id",
                "team_id",
                "ended_on",
                "result",
                sqlite_where=text("payment_id IS NULL"),
                postgresql_where=text("payment_id IS NULL"),
            )
            for level in ("province", "district", "commune")
        ),
    )

    @property
    def result_label(self) -> str:
        label = RESULT_LABELS.get(self.result, self.result)
        if self.result == "failed" and self.stop_requested:
            return f"{label} (một bên yêu cầu chấm dứt)"
        return label

    @property
    def scope_label(self) -> str:
        return SCOPE_LABELS.get(self.scope, self.scope)

    @property
    def is_ended(self) -> bool:
        return self.result in ENDED

    @property
    def is_paid(self) -> bool:
        return self.payment_id is not None

    @property
    def reference(self) -> str:
        """ "Số 12/2025" as the paper book numbers cases."""
        return f"{self.number}/{self.year}"

    def __str__(self) -> str:
        return f"Vụ việc số {self.reference}"


class LogbookParty(Timestamped, db.Model):
    """A party to a case: personal data (Decree 13/2023/NĐ-CP). Only the team's commune and
    its supervising officers read it (app/logbook/permissions.py); the audit log records that
    a name or address changed, never the value."""

    __tablename__ = "logbook_parties"
    __audit_label__ = "Bên tranh chấp"
    __audit_redact__ = frozenset({"full_name", "address"})

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("logbook_entries.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    age: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(String(300))

    def __str__(self) -> str:
        return f"Bên thứ {self.position} của vụ việc #{self.entry_id}"


class LogbookMediator(db.Model):
    """A mediator who conducted a case (several per case)."""

    __tablename__ = "logbook_mediators"
    __audit_label__ = "Hòa giải viên tham gia vụ việc"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("logbook_entries.id"), nullable=False)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id"), nullable=False, index=True)

    __table_args__ = (
        UniqueConstraint("entry_id", "mediator_id", name="uq_logbook_mediators_entry"),
    )

    def __str__(self) -> str:
        return f"Hòa giải viên #{self.mediator_id} — vụ việc #{self.entry_id}"


class PayRate(Timestamped, Versioned, db.Model):
    """The remuneration per ended case in a province from a date (set by the provincial
    People's Council under the Ministry of Finance cap; DOMAIN.md §4)."""

    __tablename__ = "pay_rates"
    __audit_label__ = "Mức thù lao hòa giải viên"

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    effective_from: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    basis: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("province_id", "effective_from", name="uq_pay_rates_province_date"),
    )

    def __str__(self) -> str:
        return f"Mức thù lao từ {self.effective_from:%d/%m/%Y}"


class RemunerationPayment(Placed, Timestamped, db.Model):
    """A batch of a team's ended cases paid on one date (the cases point to it)."""

    __tablename__ = "remuneration_payments"
    __audit_label__ = "Chi trả thù lao"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), nullable=False, index=True)
    paid_on: Mapped[date] = mapped_column(Date, nullable=False)
    case_count: Mapped[int] = mapped_column(Integer, nullable=False)
    total_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    voucher: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return f"Chi trả thù lao ngày {self.paid_on:%d/%m/%Y}"


class LogbookCount(db.Model):
    """Cases received per unit (province, district, commune), month and result: what the
    success-rate pages add up instead of counting cases (app/logbook/counts.py). Derived data,
    like the closure table: kept by the services, not audited."""

    __tablename__ = "logbook_counts"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    province_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    month: Mapped[date] = mapped_column(Date, nullable=False)
    result: Mapped[str] = mapped_column(String(12), nullable=False)
    cases: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (
        UniqueConstraint("unit_id", "month", "result", name="uq_logbook_counts_unit_month"),
        # Each holds the counted columns, so that a sum never reads the table: the country's
        # provinces, a province's (or a district's) sub-units, for a range of months.
        Index("ix_logbook_counts_level", "level", "month", "unit_id", "result", "cases"),
        Index(
            "ix_logbook_counts_province",
            "province_id",
            "level",
            "month",
            "unit_id",
            "result",
            "cases",
        ),
        Index(
            "ix_logbook_counts_district",
            "district_id",
            "level",
            "month",
            "unit_id",
            "result",
            "cases",
        ),
    )
