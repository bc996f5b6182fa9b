"""Reports: the dashboard of a unit in the user's scope (see app/reports/dashboard.py)."""

from flask import abort, request
from flask_login import current_user

from app.clock import today
from app.extensions import db
from app.forms import parse_id
from app.htmx import htmx_target, render_page_or_fragment
from app.pagination import Page
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
from app.security.scope import require_in_scope
from app.units.models import Level, Unit
from app.units.services import ancestors

# Sub-unit rows per page: a province of the two-level system has up to ~100 communes; 20 rows
# with the bars of the worst 10 keep the page within the budget of slow links (QUALITY.md P8).
ROWS_PER_PAGE = 20
CHART_ROWS = 10


@bp.get("/", endpoint="dashboard")
def dashboard():
    """A unit's indicators against their targets, the trend, the sub-units worst first and
    what needs attention; report readers, for units in their subtree (admins: the country)."""
    unit = _unit_from_args()
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
        trail=_trail(unit),
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
        page=_page(rows),
        rows_total=len(rows),
        attention=attention(unit, year, now, readings["success_rate"].target),
    )


def _unit_from_args() -> Unit | None:
    """?unit= (404 when unknown or outside the subtree); else the user's unit, or the whole
    country (None) for admins."""
    raw = request.args.get("unit")
    if not raw:
        return None if current_user.is_admin else current_user.unit
    unit_id = parse_id(raw)
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        abort(404)
    require_in_scope(current_user, unit.id)
    return unit


def _trail(unit: Unit | None) -> list[Unit]:
    """The ancestors the user may open, for the breadcrumb (not the unit itself)."""
    if unit is None:
        return []
    above = ancestors(unit.id)[:-1]
    if current_user.is_admin:
        return above
    ids = [u.id for u in above]
    if current_user.unit_id in ids:
        return above[ids.index(current_user.unit_id) :]
    return []


def _page(rows: list) -> Page:
    """The rows of this page: ``after`` is how many were shown before (the list is sorted in
    memory, so this is no OFFSET query)."""
    after = parse_id(request.args.get("after")) or 0
    items = rows[after : after + ROWS_PER_PAGE]
    more = after + ROWS_PER_PAGE < len(rows)
    return Page(items, str(after + ROWS_PER_PAGE) if more else None, ROWS_PER_PAGE)
