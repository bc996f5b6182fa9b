"""Pilot communes and the model commune (chỉ đạo điểm; cấp xã điển hình, DOMAIN.md §7):
checklist templates, designation, filling in with evidence, review and sign-off, overview."""

from flask import Blueprint

bp = Blueprint("pilots", __name__, url_prefix="/pilots")

from app.pilots import models  # noqa: E402,F401
from app.pilots.routes import (  # noqa: E402,F401
    checklists,
    designation,
    evidence,
    overview,
    review,
    templates,
)
