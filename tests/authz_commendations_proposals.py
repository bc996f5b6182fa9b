"""Authorization-matrix rows of commendations: proposals (see tests/authz.py).

Own targets: mediator1 (village V1 of commune C1, district D1) for a new proposal, and
proposal1 (mediator1, submitted, proposed from V1, held by D1) to change or withdraw. Other
targets: mediator3 and proposal3 in province P2. Commune staff, officers and admins propose;
the viewer and judges are refused by the policy. The bulk page lists the user's own scope
only (no object of another unit in its URL): it is not scoped.
"""

from app.clock import today
from tests.authz import Route

PROPOSERS = {"admin", "officer", "commune_staff"}


def _mediator(path):
    def url(w, target):
        return path.format(id=w.mediator1 if target == "own" else w.mediator3)

    url.__name__ = "proposal_new_mediator"
    return url


def _proposal(path):
    def url(w, target):
        return path.format(id=w.proposal1 if target == "own" else w.proposal3)

    url.__name__ = f"proposal_{path.rsplit('/', 1)[-1]}"
    return url


def new_search(w, target):
    return "/commendations/proposals/new?q=giang"


def bulk_list(w, target):
    return "/commendations/proposals/bulk?kind=mediator&q=giang&active=1"


def proposal_form(w):
    year = str(today().year)
    return {
        "form": "giay_khen_huyen",
        "achievement": "Hòa giải thành nhiều vụ việc",
        "period_start": year,
        "period_end": year,
    }


def edit_form(w):
    return {**proposal_form(w), "version": "1"}


def bulk_form(w):
    return {**proposal_form(w), "kind": "mediator", "nominee": f"m{w.mediator1}"}


ROUTES: list = [
    Route("commendations.proposal_create", "GET", new_search, PROPOSERS, scoped=False),
    Route(
        "commendations.proposal_create",
        "GET",
        _mediator("/commendations/proposals/new?mediator={id}"),
        PROPOSERS,
    ),
    Route(
        "commendations.proposal_create",
        "POST",
        _mediator("/commendations/proposals/new?mediator={id}"),
        PROPOSERS,
        data=proposal_form,
        ok=(303,),
    ),
    Route("commendations.proposal_bulk", "GET", bulk_list, PROPOSERS, scoped=False),
    Route(
        "commendations.proposal_bulk",
        "POST",
        lambda w, t: "/commendations/proposals/bulk",
        PROPOSERS,
        scoped=False,
        data=bulk_form,
        ok=(303,),
    ),
    Route(
        "commendations.proposal_edit",
        "GET",
        _proposal("/commendations/proposals/{id}/edit"),
        PROPOSERS,
    ),
    Route(
        "commendations.proposal_edit",
        "POST",
        _proposal("/commendations/proposals/{id}/edit"),
        PROPOSERS,
        data=edit_form,
        ok=(303,),
    ),
    Route(
        "commendations.proposal_withdraw",
        "GET",
        _proposal("/commendations/proposals/{id}/withdraw"),
        PROPOSERS,
    ),
    Route(
        "commendations.proposal_withdraw",
        "POST",
        _proposal("/commendations/proposals/{id}/withdraw"),
        PROPOSERS,
        ok=(303,),
    ),
]
