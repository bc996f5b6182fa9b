"""Dashboards against the scheme's targets and the periodic reports (DOMAIN.md §8, §9): the
indicators (indicators.py), the plans that set their targets for a unit and below it, the
dashboard of any unit in scope, the 6-month and annual reports."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from app.reports.routes import dashboard as _dashboard  # noqa: E402,F401
from app.reports.routes import plans as _plans  # noqa: E402,F401
