"""The mediation logbook, success rates and remuneration (DOMAIN.md §4)."""

from flask import Blueprint

bp = Blueprint("logbook", __name__, url_prefix="/logbook")

from app.logbook import models  # noqa: E402,F401
from app.logbook.routes import (  # noqa: E402,F401
    books,
    entries,
    pay_rates,
    rates,
    remuneration,
)
