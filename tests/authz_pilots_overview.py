"""Authorization-matrix rows of pilots: overview (see tests/authz.py)."""

ROUTES: list = []
