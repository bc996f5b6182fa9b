"""Authorization-matrix rows of commendations: documents (see tests/authz.py)."""

ROUTES: list = []
