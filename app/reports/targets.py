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
    if unit is None:
        return {key: default_target(indicator, 0) for key, indicator in INDICATORS.items()}
    return targets_for_many([unit])[unit.id]


def targets_for_many(units: list[Unit]) -> dict[int, dict[str, Decimal]]:
    """{unit id: targets} for many units in two queries (a dashboard's sub-units): for each,
    the nearest plan at or above it covering this year, over the defaults of its level."""
    if not units:
        return {}
    year = clock.today().year
    nearest: dict[int, int] = {}
    for unit_id, plan_id in db.session.execute(
        select(UnitClosure.descendant_id, ReportingPlan.id)
        .join(ReportingPlan, ReportingPlan.unit_id == UnitClosure.ancestor_id)
        .where(
            UnitClosure.descendant_id.in_([u.id for u in units]),
            ReportingPlan.from_year <= year,
            ReportingPlan.to_year >= year,
        )
        .order_by(UnitClosure.descendant_id, UnitClosure.depth.desc(), ReportingPlan.id.desc())
    ):
        nearest[unit_id] = plan_id  # the last row of a unit is its nearest plan
    own: dict[int, dict[str, Decimal]] = {}
    if nearest:
        for plan_id, key, target in db.session.execute(
            select(PlanTarget.plan_id, PlanTarget.indicator, PlanTarget.target).where(
                PlanTarget.plan_id.in_(set(nearest.values())), PlanTarget.indicator.in_(INDICATORS)
            )
        ):
            own.setdefault(plan_id, {})[key] = Decimal(target).normalize()  # 116.00 → 116
    found = {}
    for unit in units:
        targets = {key: default_target(i, unit.level) for key, i in INDICATORS.items()}
        targets.update(own.get(nearest.get(unit.id), {}))
        found[unit.id] = targets
    return found
