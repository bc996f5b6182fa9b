"""The targets that apply to a unit: the scheme's defaults (app/reports/indicators.py), unless
a plan of the unit or of a unit above it covers the current year: then the nearest such plan
gives its own targets, and the defaults fill in the indicators it leaves out."""

from decimal import Decimal

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.reports.indicators import INDICATORS, default_target
from app.reports.models import PlanTarget, ReportingPlan
from app.units.models import Unit, UnitClosure


def plan_for(unit: Unit | None, year: int | None = None):
    """(the plan that applies to ``unit`` this year, the unit it belongs to), or (None, None):
    the plan of the nearest unit at or above ``unit`` covering the year (one query)."""
    if unit is None:
        return None, None
    year = clock.today().year if year is None else year
    row = db.session.execute(
        select(ReportingPlan, Unit)
        .join(UnitClosure, UnitClosure.ancestor_id == ReportingPlan.unit_id)
        .join(Unit, Unit.id == ReportingPlan.unit_id)
        .where(
            UnitClosure.descendant_id == unit.id,
            ReportingPlan.from_year <= year,
            ReportingPlan.to_year >= year,
        )
        .order_by(UnitClosure.depth, ReportingPlan.id)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def plan_targets(plan: ReportingPlan) -> dict[str, Decimal]:
    """{indicator key: target} that the plan sets itself."""
    rows = db.session.execute(
        select(PlanTarget.indicator, PlanTarget.target).where(PlanTarget.plan_id == plan.id)
    )
    return {key: Decimal(target).normalize() for key, target in rows}  # 116.00 → 116


def targets_for(unit: Unit | None) -> dict[str, Decimal]:
    """{indicator key: target} for a unit (None: the whole country)."""
    level = unit.level if unit is not None else 0
    targets = {key: default_target(indicator, level) for key, indicator in INDICATORS.items()}
    plan, _source = plan_for(unit)
    if plan is not None:
        targets.update({k: v for k, v in plan_targets(plan).items() if k in INDICATORS})
    return targets
