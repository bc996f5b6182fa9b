"""Authorization-matrix rows of pilots: checklists (see tests/authz.py)."""

ROUTES: list = []
