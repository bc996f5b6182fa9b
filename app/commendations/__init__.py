"""Commendation (khen thưởng, biểu dương, DOMAIN.md §6): proposals, review, decisions,
certificates and revocation."""

from flask import Blueprint

bp = Blueprint("commendations", __name__, url_prefix="/commendations")

from app.commendations import models  # noqa: E402,F401
from app.commendations.routes import (  # noqa: E402,F401
    decisions,
    documents,
    lists,
    proposals,
    review,
)
