"""Reporting plans (DOMAIN.md §8, §9): a province's or district's plan sets its own targets
for the indicators (app/reports/indicators.py) and its report deadlines, for a range of years;
it applies to the unit and everything below it, unless a nearer plan says otherwise."""

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models import Timestamped, Versioned


def day_month(day: int | None, month: int | None) -> str:
    """ "16/06", or "" when not set."""
    return f"{day:02d}/{month:02d}" if day and month else ""


class ReportingPlan(Timestamped, Versioned, db.Model):
    """A plan (kế hoạch) of a province or district for ``from_year``..``to_year``: its
    document, its report deadlines (day and month of the 6-month and the annual report) and
    its targets (PlanTarget; an indicator without one keeps the scheme's default). One plan per
    unit for any year."""

    __tablename__ = "reporting_plans"
    __audit_label__ = "Kế hoạch, chỉ tiêu"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    document: Mapped[str | None] = mapped_column(String(100))
    from_year: Mapped[int] = mapped_column(Integer, nullable=False)
    to_year: Mapped[int] = mapped_column(Integer, nullable=False)
    six_month_day: Mapped[int | None] = mapped_column(Integer)
    six_month_month: Mapped[int | None] = mapped_column(Integer)
    annual_day: Mapped[int | None] = mapped_column(Integer)
    annual_month: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def six_month_deadline(self) -> str:
        return day_month(self.six_month_day, self.six_month_month)

    @property
    def annual_deadline(self) -> str:
        return day_month(self.annual_day, self.annual_month)

    @property
    def years(self) -> str:
        return f"{self.from_year}–{self.to_year}"

    def covers(self, year: int) -> bool:
        return self.from_year <= year <= self.to_year

    def __str__(self) -> str:
        return self.name


class PlanTarget(db.Model):
    """A plan's own target for one indicator: a share in percent, or for a ratio indicator
    (trainers) the N of "one per N"."""

    __tablename__ = "plan_targets"
    __audit_label__ = "Chỉ tiêu của kế hoạch"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("reporting_plans.id"), nullable=False, index=True
    )
    indicator: Mapped[str] = mapped_column(String(40), nullable=False)
    target: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False)

    __table_args__ = (UniqueConstraint("plan_id", "indicator", name="uq_plan_targets_indicator"),)

    def __str__(self) -> str:
        return f"{self.indicator}: {self.target}"
