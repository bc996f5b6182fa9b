"""The authorization matrix: every route × every role × a target in and out of the role's scope.

Each later area adds its routes to ROUTES. A test fails on any route of the app that has no
entry here, so a new route cannot ship without its row in the matrix.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_ROLES = ("admin", "officer", "commune_staff", "judge", "viewer")
UNIT_READERS = {"admin", "officer", "commune_staff", "viewer"}
UNIT_EDITORS = {"admin", "officer", "commune_staff"}
ADMIN = {"admin"}
LOGGED_IN = set(ALL_ROLES)

# Markers (in unit names of the world fixture) that each role must never see.
_OTHER_PROVINCE = ("MARKER-P2", "MARKER-C3", "MARKER-V3")
_OTHER_COMMUNE = ("MARKER-C2", "MARKER-V2")
# Parties' names and addresses (personal data) are read only by the commune and its
# supervising officers (DOMAIN.md §4): admins and viewers see counts only.
_PARTIES = ("PARTY-C1", "PARTY-C2", "PARTY-C3")
FOREIGN_MARKERS = {
    "admin": _PARTIES,
    "officer": (*_OTHER_PROVINCE, "PARTY-C3"),
    "viewer": _OTHER_PROVINCE + _PARTIES,
    # A judge sees only their own assignments: never another judge's sheet (NOTE-J2).
    "judge": (*_OTHER_PROVINCE, *_OTHER_COMMUNE, *_PARTIES, "NOTE-J2"),
    "commune_staff": (*_OTHER_PROVINCE, *_OTHER_COMMUNE, "PARTY-C2", "PARTY-C3"),
}


@dataclass(frozen=True)
class Route:
    """One endpoint as the matrix calls it.

    ``url(world, target)`` builds the URL for target "own" (inside the role's scope) or "other"
    (in another province). ``roles`` may call it on their own scope; ``scoped`` says whether an
    "other" target exists (otherwise the route has no object of a unit). ``data(world)`` is the
    form posted. ``ok`` are the statuses that mean the request was carried out.
    """

    endpoint: str
    method: str
    url: Callable
    roles: set = field(default_factory=set)
    scoped: bool = True
    data: Callable | None = None
    ok: tuple = (200,)
    public: bool = False

    @property
    def id(self) -> str:
        return f"{self.endpoint}:{self.method}"


def unit(own, other):
    return lambda w, target: getattr(w, own if target == "own" else other)


def unit_url(path, own="c1", other="c3"):
    pick = unit(own, other)
    return lambda w, target: path.format(id=pick(w, target))


def user_url(path):
    return lambda w, target: path.format(id=w.users["officer_p2"])


def unit_form(w):
    return {"kind": "ban", "name": "Bản Kiểm Thử"}


def unit_edit_form(w):
    return {"kind": "ban", "name": "Bản Đã Sửa", "version": "1"}


def new_user_form(w):
    return {
        "username": "nguoimoi",
        "full_name": "Người Mới",
        "role": "viewer",
        "unit": f"#{w.p2}",
        "new_password": "một mật khẩu mới dài",
    }


def user_edit_form(w):
    return {"full_name": "Cán Bộ Đổi Tên", "role": "officer", "unit": f"#{w.p2}", "version": "1"}


ROUTES = [
    Route("static", "GET", lambda w, t: "/static/css/app.css", public=True, scoped=False),
    Route("main.health", "GET", lambda w, t: "/healthz", public=True, scoped=False),
    Route("auth.login", "GET", lambda w, t: "/login", public=True, scoped=False, ok=(302,)),
    Route(
        "auth.login",
        "POST",
        lambda w, t: "/login",
        public=True,
        scoped=False,
        data=lambda w: {"username": "x", "password": "y"},
        ok=(302,),
    ),
    Route("main.index", "GET", lambda w, t: "/", LOGGED_IN, scoped=False),
    Route("auth.password", "GET", lambda w, t: "/account/password", LOGGED_IN, scoped=False),
    Route(
        "auth.password",
        "POST",
        lambda w, t: "/account/password",
        LOGGED_IN,
        scoped=False,
        data=lambda w: {"current_password": "sai", "new_password": "x", "confirm": "y"},
        ok=(422,),
    ),
    Route("auth.logout", "POST", lambda w, t: "/logout", LOGGED_IN, scoped=False, ok=(303,)),
    Route("units.index", "GET", lambda w, t: "/units/", UNIT_READERS, scoped=False),
    Route("units.index", "GET", lambda w, t: "/units/?q=marker", UNIT_READERS, scoped=False),
    Route("units.lookup", "GET", lambda w, t: "/units/lookup?q=marker", UNIT_READERS, scoped=False),
    Route("units.detail", "GET", unit_url("/units/{id}"), UNIT_READERS),
    Route("units.children", "GET", unit_url("/units/{id}/children"), UNIT_READERS),
    Route("units.print", "GET", unit_url("/units/{id}/print"), UNIT_READERS),
    Route("units.create", "GET", unit_url("/units/{id}/children/new"), UNIT_EDITORS),
    Route(
        "units.create",
        "POST",
        unit_url("/units/{id}/children/new"),
        UNIT_EDITORS,
        data=unit_form,
        ok=(303,),
    ),
    Route("units.edit", "GET", unit_url("/units/{id}/edit", "v1", "v3"), UNIT_EDITORS),
    Route(
        "units.edit",
        "POST",
        unit_url("/units/{id}/edit", "v1", "v3"),
        UNIT_EDITORS,
        data=unit_edit_form,
        ok=(303,),
    ),
    Route(
        "units.succession",
        "POST",
        unit_url("/units/{id}/succession", "v1", "v3"),
        ADMIN,
        data=lambda w: {"successor": f"#{w.v2}", "effective_date": "01/07/2025"},
        ok=(303,),
    ),
    Route("users.index", "GET", lambda w, t: "/users/", ADMIN, scoped=False),
    Route("users.create", "GET", lambda w, t: "/users/new", ADMIN, scoped=False),
    Route(
        "users.create",
        "POST",
        lambda w, t: "/users/new",
        ADMIN,
        scoped=False,
        data=new_user_form,
        ok=(303,),
    ),
    Route("users.edit", "GET", user_url("/users/{id}/edit"), ADMIN, scoped=False),
    Route(
        "users.edit",
        "POST",
        user_url("/users/{id}/edit"),
        ADMIN,
        scoped=False,
        data=user_edit_form,
        ok=(303,),
    ),
    Route(
        "users.reset_password",
        "POST",
        user_url("/users/{id}/reset-password"),
        ADMIN,
        scoped=False,
        data=lambda w: {"new_password": "mật khẩu tạm thời mới"},
        ok=(303,),
    ),
    Route(
        "users.deactivate",
        "POST",
        user_url("/users/{id}/deactivate"),
        ADMIN,
        scoped=False,
        ok=(303,),
    ),
    Route(
        "users.activate", "POST", user_url("/users/{id}/activate"), ADMIN, scoped=False, ok=(303,)
    ),
    Route(
        "users.end_sessions",
        "POST",
        user_url("/users/{id}/end-sessions"),
        ADMIN,
        scoped=False,
        ok=(303,),
    ),
    Route("audit.index", "GET", lambda w, t: "/audit/", ADMIN, scoped=False),
    Route("audit.detail", "GET", lambda w, t: f"/audit/{w.first_audit_id}", ADMIN, scoped=False),
]

# The registry's routes, one list per part of it (tests/authz_registry_*.py).
from tests.authz_registry_imports import ROUTES as IMPORT_ROUTES  # noqa: E402
from tests.authz_registry_mediators import ROUTES as MEDIATOR_ROUTES  # noqa: E402
from tests.authz_registry_teams import ROUTES as TEAM_ROUTES  # noqa: E402
from tests.authz_registry_trainings import ROUTES as TRAINING_ROUTES  # noqa: E402

ROUTES += MEDIATOR_ROUTES + TEAM_ROUTES + TRAINING_ROUTES + IMPORT_ROUTES

# The logbook's routes (tests/authz_logbook_*.py).
from tests.authz_logbook_entries import ROUTES as ENTRY_ROUTES  # noqa: E402
from tests.authz_logbook_rates import ROUTES as RATE_ROUTES  # noqa: E402
from tests.authz_logbook_remuneration import ROUTES as PAY_ROUTES  # noqa: E402

ROUTES += ENTRY_ROUTES + RATE_ROUTES + PAY_ROUTES

# The contest (issue 5).
from tests.authz_contests_documents import ROUTES as CONTEST_DOCUMENT_ROUTES  # noqa: E402
from tests.authz_contests_entries import ROUTES as CONTEST_ENTRY_ROUTES  # noqa: E402
from tests.authz_contests_results import ROUTES as CONTEST_RESULT_ROUTES  # noqa: E402
from tests.authz_contests_scoring import ROUTES as CONTEST_SCORING_ROUTES  # noqa: E402
from tests.authz_contests_secretary import ROUTES as CONTEST_SECRETARY_ROUTES  # noqa: E402
from tests.authz_contests_setup import ROUTES as CONTEST_SETUP_ROUTES  # noqa: E402

ROUTES += (
    CONTEST_SETUP_ROUTES
    + CONTEST_ENTRY_ROUTES
    + CONTEST_SCORING_ROUTES
    + CONTEST_SECRETARY_ROUTES
    + CONTEST_RESULT_ROUTES
    + CONTEST_DOCUMENT_ROUTES
)

# Commendations (issue 6).
from tests.authz_commendations_decisions import ROUTES as COMMENDATION_DECISION_ROUTES  # noqa: E402
from tests.authz_commendations_documents import ROUTES as COMMENDATION_DOCUMENT_ROUTES  # noqa: E402
from tests.authz_commendations_lists import ROUTES as COMMENDATION_LIST_ROUTES  # noqa: E402
from tests.authz_commendations_proposals import ROUTES as COMMENDATION_PROPOSAL_ROUTES  # noqa: E402
from tests.authz_commendations_review import ROUTES as COMMENDATION_REVIEW_ROUTES  # noqa: E402

ROUTES += (
    COMMENDATION_LIST_ROUTES
    + COMMENDATION_PROPOSAL_ROUTES
    + COMMENDATION_REVIEW_ROUTES
    + COMMENDATION_DECISION_ROUTES
    + COMMENDATION_DOCUMENT_ROUTES
)

# Pilot communes and the model commune.
from tests.authz_pilots_checklists import ROUTES as PILOT_CHECKLIST_ROUTES  # noqa: E402
from tests.authz_pilots_overview import ROUTES as PILOT_OVERVIEW_ROUTES  # noqa: E402
from tests.authz_pilots_review import ROUTES as PILOT_REVIEW_ROUTES  # noqa: E402
from tests.authz_pilots_templates import ROUTES as PILOT_TEMPLATE_ROUTES  # noqa: E402

ROUTES += (
    PILOT_OVERVIEW_ROUTES + PILOT_TEMPLATE_ROUTES + PILOT_CHECKLIST_ROUTES + PILOT_REVIEW_ROUTES
)

# Dashboards and reports.
from tests.authz_reports_dashboard import ROUTES as REPORT_DASHBOARD_ROUTES  # noqa: E402
from tests.authz_reports_plans import ROUTES as REPORT_PLAN_ROUTES  # noqa: E402

ROUTES += REPORT_DASHBOARD_ROUTES + REPORT_PLAN_ROUTES
