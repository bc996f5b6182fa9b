"""Commendations: a proposal's page and its review (accept, return, forward). STUB: replaced
by the review helper."""

from flask import abort

from app.commendations import bp


@bp.get("/proposals/<int:proposal_id>", endpoint="proposal_detail")
def proposal_detail(proposal_id: int):
    """STUB."""
    abort(404)
