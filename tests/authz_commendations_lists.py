"""Authorization-matrix rows of commendations: the area's home and the lists of proposals and
decisions with their exports (see tests/authz.py).

These pages have no object of their own (scoped=False): what they show is scoped to the user's
subtree, and the matrix's markers check it. In the world, decision1 (district D1, 2025) gave
award2 to mediator2 of commune C2 (MARKER-C2): the commune staff of C1 must not see it on any
list, count or export, nor anything of province P2 (proposal3, decision3, award3). The count
per unit may look into a unit of the subtree (own: commune C1) and not elsewhere (other: C3).
Judges reach none of these pages."""

from tests.authz import Route

READERS = {"admin", "officer", "commune_staff", "viewer"}


def _page(path):
    def url(w, target):
        return path

    url.__name__ = "page_" + "".join(ch if ch.isalnum() else "_" for ch in path.strip("/"))
    return url


def counts_of_unit(w, target):
    return f"/commendations/?unit={w.c1 if target == 'own' else w.c3}&year=2025"


ROUTES: list = [
    Route("commendations.index", "GET", _page("/commendations/"), READERS, scoped=False),
    Route("commendations.index", "GET", _page("/commendations/?year=2025"), READERS, scoped=False),
    Route("commendations.index", "GET", counts_of_unit, READERS),
    Route(
        "commendations.proposals", "GET", _page("/commendations/proposals"), READERS, scoped=False
    ),
    Route(
        "commendations.proposals",
        "GET",
        _page("/commendations/proposals?year=&mine=1"),
        READERS,
        scoped=False,
    ),
    Route(
        "commendations.proposals",
        "GET",
        _page("/commendations/proposals?year=&format=xlsx"),
        READERS,
        scoped=False,
    ),
    Route(
        "commendations.proposals",
        "GET",
        _page("/commendations/proposals?year=&format=csv"),
        READERS,
        scoped=False,
    ),
    Route(
        "commendations.decisions",
        "GET",
        _page("/commendations/decisions?year="),
        READERS,
        scoped=False,
    ),
    Route(
        "commendations.decisions",
        "GET",
        _page("/commendations/decisions?year=&format=xlsx"),
        READERS,
        scoped=False,
    ),
    Route(
        "commendations.decisions",
        "GET",
        _page("/commendations/decisions?year=&format=csv"),
        READERS,
        scoped=False,
    ),
]
