"""Authorization-matrix rows of the logbook (entries); see tests/authz.py."""

ROUTES: list = []
