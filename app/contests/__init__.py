"""The "good mediator" contest (Hội thi Hòa giải viên giỏi, DOMAIN.md §5)."""

from flask import Blueprint

bp = Blueprint("contests", __name__, url_prefix="/contests")

from app.contests import models  # noqa: E402,F401
from app.contests.routes import (  # noqa: E402,F401
    documents,
    entries,
    judges,
    results,
    scoring,
    secretary,
    setup,
)
