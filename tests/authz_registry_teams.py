"""Authorization-matrix rows of the registry's teams and supporters routes (see tests/authz.py).

Own targets lie in commune C1 (team1, supporter1, support1), other targets in C3 of the second
province (team3, supporter3, support3).
"""

from tests.authz import UNIT_EDITORS, UNIT_READERS, Route, unit_url

READERS = UNIT_READERS
EDITORS = UNIT_EDITORS


def support_url(w, target):
    team, support = (w.team1, w.support1) if target == "own" else (w.team3, w.support3)
    return f"/registry/teams/{team}/supporters/{support}/end"


def team_form(w):
    return {"name": "Tổ Kiểm Thử", "decision_number": "3/QĐ-UBND", "decision_date": "01/03/2025"}


def team_edit_form(w):
    return {"name": "Tổ Đã Sửa", "decision_number": "4/QĐ-UBND", "version": "1"}


def supporter_form(w):
    return {"full_name": "Người Hỗ Trợ Mới", "background": "lawyer", "phone": "0912345678"}


def supporter_edit_form(w):
    return {"full_name": "Luật Sư Đổi Tên", "background": "jurist", "version": "1"}


def support_form(w):
    # supporter1 already supports team1 (and is of another commune than team3): the service
    # refuses, which without htmx is a message and a 303 back to the team. The matrix checks who
    # gets that far; tests/registry/test_teams.py checks the writes themselves.
    return {"supporter": str(w.supporter1), "start_date": "01/02/2025"}


ROUTES: list = [
    Route("registry.teams", "GET", lambda w, t: "/registry/teams/", READERS, scoped=False),
    Route(
        "registry.teams",
        "GET",
        lambda w, t: "/registry/teams/?q=marker&status=all&supported=yes",
        READERS,
        scoped=False,
    ),
    Route(
        "registry.teams",
        "GET",
        lambda w, t: f"/registry/teams/?unit={w.c3}&compliance=no",
        READERS,
        scoped=False,
    ),
    Route(
        "registry.team_detail", "GET", unit_url("/registry/teams/{id}", "team1", "team3"), READERS
    ),
    Route("registry.team_create", "GET", lambda w, t: "/registry/teams/new", EDITORS, scoped=False),
    Route("registry.team_create", "GET", unit_url("/registry/teams/new?unit={id}"), EDITORS),
    Route(
        "registry.team_create",
        "POST",
        unit_url("/registry/teams/new?unit={id}", "v1", "v3"),
        EDITORS,
        data=team_form,
        ok=(303,),
    ),
    Route(
        "registry.team_edit",
        "GET",
        unit_url("/registry/teams/{id}/edit", "team1", "team3"),
        EDITORS,
    ),
    Route(
        "registry.team_edit",
        "POST",
        unit_url("/registry/teams/{id}/edit", "team1", "team3"),
        EDITORS,
        data=team_edit_form,
        ok=(303,),
    ),
    Route(
        "registry.team_support_add",
        "POST",
        unit_url("/registry/teams/{id}/supporters", "team1", "team3"),
        EDITORS,
        data=support_form,
        ok=(303,),
    ),
    Route("registry.team_support_end", "POST", support_url, EDITORS, ok=(303,)),
    Route(
        "registry.supporters", "GET", lambda w, t: "/registry/supporters/", READERS, scoped=False
    ),
    Route(
        "registry.supporters",
        "GET",
        lambda w, t: f"/registry/supporters/?q=marker&unit={w.c3}",
        READERS,
        scoped=False,
    ),
    Route(
        "registry.supporter_create",
        "GET",
        lambda w, t: "/registry/supporters/new",
        EDITORS,
        scoped=False,
    ),
    Route(
        "registry.supporter_create", "GET", unit_url("/registry/supporters/new?unit={id}"), EDITORS
    ),
    Route(
        "registry.supporter_create",
        "POST",
        unit_url("/registry/supporters/new?unit={id}"),
        EDITORS,
        data=supporter_form,
        ok=(303,),
    ),
    Route(
        "registry.supporter_edit",
        "GET",
        unit_url("/registry/supporters/{id}/edit", "supporter1", "supporter3"),
        EDITORS,
    ),
    Route(
        "registry.supporter_edit",
        "POST",
        unit_url("/registry/supporters/{id}/edit", "supporter1", "supporter3"),
        EDITORS,
        data=supporter_edit_form,
        ok=(303,),
    ),
]
