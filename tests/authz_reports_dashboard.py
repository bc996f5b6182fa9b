"""Authorization-matrix rows of reports: dashboard (see tests/authz.py)."""

ROUTES: list = []
