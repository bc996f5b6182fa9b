"""Reports: the dashboard of a unit in the user's scope (see app/reports/dashboard.py)."""

from flask import request

from app.clock import today
from app.htmx import htmx_target, render_page_or_fragment
from app.pagination import list_page
from app.reports import bp
from app.reports.dashboard import (
    DEFAULT_INDICATOR,
    SHORT_LABELS,
    TREND_YEARS,
    attention,
    drill_rows,
    indicator_keys,
    parse_indicator,
    parse_year,
    success_trend,
    unit_readings,
)
from app.reports.indicators import INDICATORS, sub_units
from app.security.scope import openable_ancestors, unit_in_view
from app.units.models import Level
from app.units.services import ancestors

# Sub-unit rows per page: a province of the two-level system has up to ~100 communes; 20 rows
# with the bars of the worst 10 keep the page within the budget of slow links (QUALITY.md P8).
ROWS_PER_PAGE = 20
CHART_ROWS = 10


@bp.get("/", endpoint="dashboard")
def dashboard():
    """A unit's indicators against their targets, the trend, the sub-units worst first and
    what needs attention; report readers, for units in their subtree (admins: the country)."""
    unit = unit_in_view(request.args.get("unit"))
    now = today()
    year = parse_year(request.args.get("year"), now)
    provinces = sub_units(None) if unit is None else []
    subs = provinces if unit is None else sub_units(unit)
    keys = indicator_keys(subs[0].level if subs else Level.VILLAGE)
    key = parse_indicator(request.args.get("indicator"), keys)
    readings = unit_readings(unit, year, provinces)
    rows = drill_rows(subs, year, key)
    year_arg = {"year": year} if year != now.year else {}
    fragment = "reports/_drill.html" if htmx_target() == "dash-drill" else "reports/_results.html"
    return render_page_or_fragment(
        "reports/dashboard.html",
        fragment,
        rows_template="reports/_drill_rows.html",
        unit=unit,
        trail=openable_ancestors(ancestors(unit.id)) if unit is not None else [],
        year=year,
        years=sorted({*range(now.year - 5, now.year + 1), year}, reverse=True),
        key=key,
        carry=year_arg | ({"indicator": key} if key != DEFAULT_INDICATOR else {}),
        carry_unit=year_arg | ({"unit": unit.id} if unit is not None else {}),
        keys=keys,
        indicators=INDICATORS,
        short_labels=SHORT_LABELS,
        chart_rows=CHART_ROWS,
        readings=readings,
        trend=success_trend(unit, year, provinces),
        trend_years=TREND_YEARS,
        page=list_page(rows, request.args.get("after"), ROWS_PER_PAGE),
        rows_total=len(rows),
        attention=attention(unit, year, now, readings["success_rate"].target),
    )
