"""The registry: teams, mediators, supporters, trainers and trainings (DOMAIN.md §3)."""

from flask import Blueprint

bp = Blueprint("registry", __name__, url_prefix="/registry")

from app.registry import models  # noqa: E402,F401
from app.registry.routes import (  # noqa: E402,F401
    exports,
    imports,
    mediators,
    supporters,
    teams,
    trainers,
    trainings,
)
