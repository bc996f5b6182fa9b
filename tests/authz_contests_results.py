"""Authorization-matrix rows of the contest: results (see tests/authz.py).

Own targets: round1 of contest1 (organised by district D1, being scored: its results, ties and
publishing are the board's; publishing it is refused with 422 because sheets are missing and
no tie exists to decide) and round0 (published in the world: its snapshot and projector view
are read by everyone who sees the contest). Other target: round3 of contest3 (commune C3 in
province P2, nothing published). The board of contest1 is the admin and the district's
officer; the commune's staff and the viewer see the contest but not its unpublished ranking;
judges reach none of these pages.
"""

from tests.authz import Route, unit_url

BOARD = {"admin", "officer"}
READERS = {"admin", "officer", "commune_staff", "viewer"}


def tie_form(w):
    # entry1 and entry2 are not tied in round1 (neither is complete): refused with 422.
    return {
        "group": f"{w.contest_entry1},{w.contest_entry2}",
        f"position_{w.contest_entry1}": "1",
        f"position_{w.contest_entry2}": "2",
        "reason": "Bốc thăm",
    }


def projector_of_round3(w, target):
    # Nothing is published in round3: 404 for the admin too; out of scope for everyone else.
    return f"/contests/rounds/{w.round3}/projector"


ROUTES: list = [
    Route(
        "contests.results",
        "GET",
        unit_url("/contests/rounds/{id}/results", "round1", "round3"),
        BOARD,
    ),
    Route(
        "contests.tie_decide",
        "GET",
        unit_url("/contests/rounds/{id}/ties", "round1", "round3"),
        BOARD,
    ),
    Route(
        "contests.tie_decide",
        "POST",
        unit_url("/contests/rounds/{id}/ties", "round1", "round3"),
        BOARD,
        data=tie_form,
        ok=(422,),
    ),
    Route(
        "contests.publish",
        "POST",
        unit_url("/contests/rounds/{id}/publish", "round1", "round3"),
        BOARD,
        data=lambda w: {"reason": ""},
        ok=(422,),
    ),
    Route(
        "contests.published",
        "GET",
        unit_url("/contests/rounds/{id}/published", "round0", "round3"),
        READERS,
    ),
    Route(
        "contests.published",
        "GET",
        unit_url("/contests/rounds/{id}/published?number=1", "round0", "round3"),
        READERS,
    ),
    Route(
        "contests.projector",
        "GET",
        unit_url("/contests/rounds/{id}/projector", "round0", "round0"),
        READERS,
        scoped=False,
    ),
    Route("contests.projector", "GET", projector_of_round3, {"admin"}, scoped=False, ok=(404,)),
]
