"""Authorization-matrix rows of commendations: lists (see tests/authz.py)."""

ROUTES: list = []
