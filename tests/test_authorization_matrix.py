"""Every route × every role × own/other scope (QUALITY.md S1, S2)."""

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.security.policy import POLICY
from tests.authz import ALL_ROLES, FOREIGN_MARKERS, ROUTES

CASES = [
    pytest.param(route, role, target, id=f"{route.id}:{route.url.__name__}:{role}:{target}")
    for route in ROUTES
    for role in ALL_ROLES
    for target in (("own", "other") if route.scoped else ("own",))
]


def fingerprint(app) -> dict:
    """Everything in the database except the security-event rows that a refusal adds."""
    with app.app_context():
        snapshot = {}
        for table in db.metadata.sorted_tables:
            if table.name in ("login_attempts",):
                continue
            stmt = select(table)
            if table.name == "audit_log":
                stmt = stmt.where(table.c.action.in_(["create", "update", "delete"]))
            snapshot[table.name] = sorted(map(repr, db.session.execute(stmt).all()))
        db.session.remove()
        return snapshot


def response_text(response) -> str:
    """What a person would read in a response: the page, or every cell of a spreadsheet."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(response.get_data()), read_only=True)
        cells = (
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
        return "\n".join(cells)
    return response.get_data(as_text=True)


def call(client, route, world, target):
    url = route.url(world, target)
    if route.method == "GET":
        return client.get(url)
    data = route.data(world) if route.data else {}
    return client.post(url, data=data)


def test_every_route_is_in_the_policy_and_the_matrix(app):
    """S1: a route missing from the policy table or from this matrix fails the suite."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(POLICY) == set(), "routes without a policy entry"
    assert set(POLICY) - endpoints == set(), "policy entries without a route"
    covered = {(r.endpoint, r.method) for r in ROUTES}
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (rule.endpoint, method) in covered, f"{rule.endpoint} {method} not in the matrix"


@pytest.mark.parametrize(("route", "role", "target"), CASES)
def test_matrix(app, world, login_as, route, role, target):
    client = login_as(role)
    before = fingerprint(app) if route.method == "POST" else None
    response = call(client, route, world, target)
    allowed = route.public or (role in route.roles and (target == "own" or role == "admin"))
    if allowed:
        assert response.status_code in route.ok, response.get_data(as_text=True)[:800]
    else:
        assert response.status_code in (403, 404), response.status_code
        if before is not None:
            assert fingerprint(app) == before, "a refused request changed the database"
    if route.method == "GET" and response.status_code == 200 and route.endpoint != "static":
        body = response_text(response)
        for marker in FOREIGN_MARKERS[role]:
            assert marker not in body, f"{role} sees {marker} on {route.url(world, target)}"


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "GET" and not r.public])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_fragments_leak_nothing(world, login_as, route, role):
    """S2 for htmx: the fragment of every page shows no other unit's data either."""
    client = login_as(role)
    for target in ("own", "other") if route.scoped else ("own",):
        response = client.get(route.url(world, target), htmx=True)
        body = response_text(response)
        for marker in FOREIGN_MARKERS[role]:
            assert marker not in body, f"{role} sees {marker} in the fragment of {route.id}"


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public])
def test_anonymous_is_sent_to_login(client, world, route):
    response = call(client, route, world, "own")
    if route.method == "POST":
        # Without a session there is no CSRF token either: refused before anything else.
        assert response.status_code in (303, 400)
    else:
        assert response.status_code == 303
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public and r.method == "GET"])
def test_anonymous_htmx_gets_401_with_redirect(client, world, route):
    response = client.get(route.url(world, "own"), htmx=True)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_database_untouched_helper_sees_changes(app, world, login_as):
    """The fingerprint used above does notice a real change (the matrix would not be blind)."""
    before = fingerprint(app)
    with app.app_context():
        db.session.execute(text("UPDATE units SET note = 'x' WHERE id = :id"), {"id": world.v1})
        db.session.commit()
    assert fingerprint(app) != before
