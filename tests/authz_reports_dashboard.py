"""Authorization-matrix rows of reports: dashboard (see tests/authz.py).

Own targets: district D1 for the admin, D1's officer and viewer; commune C1 for C1's staff
(`own_unit`). Other target: province P2 (404 for everyone but the admin). Judges: 403.
"""

from tests.authz import UNIT_READERS, Route


def own_unit(w, target):
    """/reports/?unit= D1 (C1 for commune staff, whose scope it is) or P2."""
    return f"/reports/?unit={w.d1 if target == 'own' else w.p2}"


def commune(w, target):
    return f"/reports/?unit={w.c1 if target == 'own' else w.c3}&indicator=success_rate&year=2025"


def default(w, target):
    return "/reports/"


ROUTES: list = [
    Route("reports.dashboard", "GET", default, UNIT_READERS, scoped=False),
    Route("reports.dashboard", "GET", own_unit, UNIT_READERS - {"commune_staff"}),
    Route("reports.dashboard", "GET", commune, UNIT_READERS),
]
