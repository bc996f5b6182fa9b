"""Authorization-matrix rows of the logbook (rates); see tests/authz.py."""

ROUTES: list = []
