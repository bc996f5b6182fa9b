"""Authorization-matrix rows of the success-rate page and the printed logbook (see tests/authz.py).

Own targets lie in commune C1 (c1, v1, team1), other targets in C3 of the second province (c3,
v3, team3). Readers (admins, officers, commune staff, viewers) see counts; the printed book
shows parties' names only to officers and commune staff, which FOREIGN_MARKERS checks.
"""

from tests.authz import UNIT_READERS, Route

READERS = UNIT_READERS


def url(path, own=None, other=None):
    """A URL with ``{id}`` filled by the world's attribute ``own`` or ``other``; named after
    the path, so that the matrix's test ids tell the rows apart."""

    def build(w, target):
        if own is None:
            return path
        return path.format(id=getattr(w, own if target == "own" else other))

    build.__name__ = "rates_" + "".join(ch if ch.isalnum() else "_" for ch in path)[:50]
    return build


ROUTES: list = [
    Route("logbook.rates", "GET", url("/logbook/rates"), READERS, scoped=False),
    Route(
        "logbook.rates",
        "GET",
        url("/logbook/rates?period=first_half&year=2025&sort=rate"),
        READERS,
        scoped=False,
    ),
    Route(
        "logbook.rates",
        "GET",
        url("/logbook/rates?period=custom&start=01/01/2025&end=31/12/2025&sort=received"),
        READERS,
        scoped=False,
    ),
    Route(
        "logbook.rates",
        "GET",
        url("/logbook/rates?unit={id}&period=year&year=2025", "c1", "c3"),
        READERS,
    ),
    Route(
        "logbook.rates",
        "GET",
        url("/logbook/rates?unit={id}&period=last_year", "v1", "v3"),
        READERS,
    ),
    Route(
        "logbook.print",
        "GET",
        url("/logbook/teams/{id}/print?year=2025", "team1", "team3"),
        READERS,
    ),
    Route("logbook.print", "GET", url("/logbook/teams/{id}/print", "team1", "team3"), READERS),
]
