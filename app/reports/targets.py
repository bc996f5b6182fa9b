"""The targets that apply to a unit: the scheme's defaults (app/reports/indicators.py), unless
a plan of the unit or of a unit above it sets its own (the nearest plan wins, indicator by
indicator)."""

from decimal import Decimal

from app.reports.indicators import INDICATORS, default_target
from app.units.models import Unit


def targets_for(unit: Unit | None) -> dict[str, Decimal]:
    """{indicator key: target} for a unit (None: the whole country)."""
    level = unit.level if unit is not None else 0
    return {key: default_target(indicator, level) for key, indicator in INDICATORS.items()}
