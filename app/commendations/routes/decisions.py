"""Commendations: decisions. STUB: replaced by the decisions helper."""

from flask import abort

from app.commendations import bp


@bp.get("/decisions/<int:decision_id>", endpoint="decision_detail")
def decision_detail(decision_id: int):
    """STUB."""
    abort(404)
