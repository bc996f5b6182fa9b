"""Authorization-matrix rows of reports: plans (see tests/authz.py)."""

ROUTES: list = []
