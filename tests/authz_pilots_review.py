"""Authorization-matrix rows of pilots: review (see tests/authz.py)."""

ROUTES: list = []
