"""Authorization-matrix rows of pilots: templates (see tests/authz.py)."""

ROUTES: list = []
