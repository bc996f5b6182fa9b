"""Authorization-matrix rows of commendations: a proposal's page and its review (see
tests/authz.py).

Own targets: proposal1 (mediator1 of commune C1, Giấy khen of the district chairman, waiting
for district D1's review: the district's officer and the admin accept or return it; the
commune's staff and the viewer read it). Other targets: proposal3 (province P2, Bằng khen of
the province held by P2, the top office: the admin accepts it there). Forwarding either is
refused with 422 (within D1's authority; P2 has no office above), nothing changed. A bulk
review names its proposals in the form, so its rows are split by target: one over proposal1,
one over proposal3 that only the admin may review.
"""

from tests.authz import Route

READERS = {"admin", "officer", "commune_staff", "viewer"}
OFFICES = {"admin", "officer"}


def _proposal(action=""):
    def url(w, target):
        proposal = w.proposal1 if target == "own" else w.proposal3
        return f"/commendations/proposals/{proposal}" + (f"/{action}" if action else "")

    url.__name__ = f"proposal_{action or 'detail'}"
    return url


def bulk_own(w, target):
    return "/commendations/proposals/review"


def bulk_other_province(w, target):
    return "/commendations/proposals/review"


ROUTES: list = [
    Route("commendations.proposal_detail", "GET", _proposal(), READERS),
    Route(
        "commendations.proposal_accept",
        "POST",
        _proposal("accept"),
        OFFICES,
        data=lambda w: {"version": "1"},
        ok=(303,),
    ),
    Route(
        "commendations.proposal_return",
        "POST",
        _proposal("return"),
        OFFICES,
        data=lambda w: {"version": "1", "reason": "Bổ sung kết quả hòa giải năm 2026."},
        ok=(303,),
    ),
    Route(
        "commendations.proposal_forward",
        "POST",
        _proposal("forward"),
        OFFICES,
        data=lambda w: {"version": "1"},
        ok=(422,),
    ),
    Route(
        "commendations.review_bulk",
        "POST",
        bulk_own,
        OFFICES,
        scoped=False,
        data=lambda w: {"ids": [str(w.proposal1)], "action": "accept"},
        ok=(303,),
    ),
    Route(
        "commendations.review_bulk",
        "POST",
        bulk_other_province,
        {"admin"},
        scoped=False,
        data=lambda w: {"ids": [str(w.proposal3)], "action": "return", "reason": "Thiếu hồ sơ."},
        ok=(303,),
    ),
]
