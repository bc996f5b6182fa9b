"""Authorization-matrix rows of commendations: proposals (see tests/authz.py)."""

ROUTES: list = []
