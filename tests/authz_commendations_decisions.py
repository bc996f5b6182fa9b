"""Authorization-matrix rows of commendations: decisions (see tests/authz.py)."""

ROUTES: list = []
