"""Authorization-matrix rows of commendations: review (see tests/authz.py)."""

ROUTES: list = []
