"""Commendations: overview and lists. STUB: replaced by the lists helper."""

from flask import abort

from app.commendations import bp


@bp.get("/", endpoint="index")
def index():
    """STUB."""
    abort(404)


@bp.get("/proposals", endpoint="proposals")
def proposals():
    """STUB."""
    abort(404)


@bp.get("/decisions", endpoint="decisions")
def decisions():
    """STUB."""
    abort(404)
