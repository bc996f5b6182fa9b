"""Administrative units: the tree, its history and flags."""

from flask import Blueprint

bp = Blueprint("units", __name__, url_prefix="/units")

from app.units import routes  # noqa: E402,F401
