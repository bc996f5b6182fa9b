"""Authorization-matrix rows of the registry's mediators routes (see tests/authz.py).

Own target: world.mediator1 / team1 in commune C1; other: world.mediator3 / team3 in C3 (P2).
The world has one team per commune and no dismissed mediator, so moving and reinstating
mediator1 cannot succeed: those rows post a decision that passes authorization and fails the
rules (422, nothing saved); tests/registry/test_mediators.py carries them out for real.
"""

from tests.authz import UNIT_EDITORS, UNIT_READERS, Route


def mediator_url(suffix=""):
    def url(w, target):
        mediator = w.mediator1 if target == "own" else w.mediator3
        return f"/registry/mediators/{mediator}{suffix}"

    url.__name__ = f"mediator{suffix.replace('/', '_').replace('-', '_')}"
    return url


def team_query(path):
    def url(w, target):
        team = w.team1 if target == "own" else w.team3
        return f"{path}?team={team}"

    url.__name__ = "team_query"
    return url


def scan_url(w, target):
    """The world holds no scanned decision, so every role that passes the policy gets 404 here
    (the rows above and below cover the scope checks of loading a mediator); the download, in
    scope and out of it, is tested in test_mediators.py."""
    mediator = w.mediator1 if target == "own" else w.mediator3
    return f"/registry/mediators/{mediator}/events/{NO_EVENT}/file"


def list_url(w, target):
    return "/registry/mediators/"


def search_url(w, target):
    return "/registry/mediators/?q=marker&status=all"


def other_unit_url(w, target):
    """A unit outside the user's subtree in the filters is ignored, never shown."""
    return f"/registry/mediators/?unit={w.c3}&status=all"


NO_EVENT = 2**31 - 1
DECISION = {"decision_number": "20/QĐ-UBND", "decision_date": "15/05/2024", "signer": "Lò Văn A"}


def person(w):
    return {
        "full_name": "Lò Văn Thanh",
        "sex": "M",
        "birth_year": "1985",
        "ethnicity_code": "03",
        "phone": "0912 345 678",
    }


def new_mediator_form(w):
    return {**person(w), **DECISION}


def edit_form(w):
    return {**person(w), "version": "1"}


def check_form(w):
    return {"full_name": "Giàng Thị Mai MARKER-C1", "birth_year": "1980"}


def bulk_form(w):
    """Mediators of C1 and C3 into the training of D1: the officer adds the first only."""
    return {"training": w.training1, "ids": [w.mediator1, w.mediator3]}


ROUTES: list = [
    Route("registry.mediators", "GET", list_url, UNIT_READERS, scoped=False),
    Route("registry.mediators", "GET", search_url, UNIT_READERS, scoped=False),
    Route("registry.mediators", "GET", other_unit_url, UNIT_READERS, scoped=False),
    Route("registry.mediator_detail", "GET", mediator_url(), UNIT_READERS),
    Route("registry.mediator_file", "GET", scan_url, UNIT_READERS, ok=(404,)),
    Route("registry.mediator_create", "GET", team_query("/registry/mediators/new"), UNIT_EDITORS),
    Route(
        "registry.mediator_create",
        "POST",
        team_query("/registry/mediators/new"),
        UNIT_EDITORS,
        data=new_mediator_form,
        ok=(303,),
    ),
    Route(
        "registry.mediator_check",
        "POST",
        team_query("/registry/mediators/check"),
        UNIT_EDITORS,
        data=check_form,
    ),
    Route("registry.mediator_edit", "GET", mediator_url("/edit"), UNIT_EDITORS),
    Route(
        "registry.mediator_edit",
        "POST",
        mediator_url("/edit"),
        UNIT_EDITORS,
        data=edit_form,
        ok=(303,),
    ),
    Route("registry.mediator_move", "GET", mediator_url("/move"), UNIT_EDITORS),
    Route(
        "registry.mediator_move",
        "POST",
        mediator_url("/move"),
        UNIT_EDITORS,
        data=lambda w: {**DECISION, "team": w.team2},
        ok=(422,),
    ),
    Route("registry.mediator_make_leader", "GET", mediator_url("/make-leader"), UNIT_EDITORS),
    Route(
        "registry.mediator_make_leader",
        "POST",
        mediator_url("/make-leader"),
        UNIT_EDITORS,
        data=lambda w: DECISION,
        ok=(303,),
    ),
    Route("registry.mediator_dismiss", "GET", mediator_url("/dismiss"), UNIT_EDITORS),
    Route(
        "registry.mediator_dismiss",
        "POST",
        mediator_url("/dismiss"),
        UNIT_EDITORS,
        data=lambda w: {**DECISION, "ground": "own_wish"},
        ok=(303,),
    ),
    Route("registry.mediator_reinstate", "GET", mediator_url("/reinstate"), UNIT_EDITORS),
    Route(
        "registry.mediator_reinstate",
        "POST",
        mediator_url("/reinstate"),
        UNIT_EDITORS,
        data=lambda w: {**DECISION, "team": w.team1},
        ok=(422,),
    ),
    # The training of D1 is out of reach of the commune staff of C1 (404); the officer's
    # selection of a C3 mediator is skipped, the admin's is not.
    Route(
        "registry.mediators_bulk",
        "POST",
        lambda w, t: "/registry/mediators/bulk",
        {"admin", "officer"},
        scoped=False,
        data=bulk_form,
        ok=(303,),
    ),
    Route(
        "registry.mediators_bulk",
        "POST",
        lambda w, t: "/registry/mediators/bulk?status=all",
        UNIT_EDITORS,
        scoped=False,
        data=lambda w: {"training": w.training1},
        ok=(303,),
    ),
]
