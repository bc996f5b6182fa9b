"""Authorization-matrix rows of the logbook (remuneration); see tests/authz.py."""

ROUTES: list = []
