"""CSRF (S5), headers (S6), error pages (S11) and the production secret check."""

import pytest

from app import ConfigurationError, create_app
from app.config import DEV_SECRET_KEY
from tests.authz import ROUTES


@pytest.mark.parametrize("route", [r for r in ROUTES if r.method == "POST"], ids=lambda r: r.id)
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_every_post_needs_a_csrf_token(world, login_as, route, htmx):
    client = login_as("admin")
    data = route.data(world) if route.data else {}
    response = client.post(route.url(world, "own"), data=data, htmx=htmx, csrf=False)
    assert response.status_code == 400
    assert "không hợp lệ" in response.get_data(as_text=True)


def test_a_wrong_token_is_refused_and_a_right_one_in_the_header_works(world, login_as):
    client = login_as("officer")
    url = f"/units/{world.c1}/children/new"
    response = client.http.post(url, data={"kind": "ban", "name": "Bản X", "csrf_token": "giả"})
    assert response.status_code == 400
    response = client.post(url, data={"kind": "ban", "name": "Bản X"}, htmx=True)
    assert response.status_code == 303


def test_get_never_changes_data(app, world, login_as):
    """Every GET of the matrix, as admin, leaves the data as it was."""
    from tests.test_authorization_matrix import fingerprint

    client = login_as("admin")
    before = fingerprint(app)
    for route in ROUTES:
        if route.method == "GET":
            client.get(route.url(world, "own"))
    assert fingerprint(app) == before


HEADER_URLS = ["/login", "/", "/units/", "/nope", "/static/css/app.css"]


@pytest.mark.parametrize("url", HEADER_URLS)
@pytest.mark.parametrize("htmx", [False, True])
def test_security_headers_on_every_response(world, login_as, url, htmx):
    client = login_as("officer")
    response = client.get(url, htmx=htmx)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    if not url.startswith("/static"):
        assert response.headers["Cache-Control"] == "no-store"
        assert "HX-Request" in response.headers["Vary"]


def test_error_pages_are_vietnamese_and_generic(app, world, login_as):
    client = login_as("officer")
    not_found = client.get("/khong-co-trang-nay")
    assert not_found.status_code == 404
    assert "Không tìm thấy" in not_found.get_data(as_text=True)
    forbidden = client.get("/users/")
    assert forbidden.status_code == 403
    assert "Không có quyền" in forbidden.get_data(as_text=True)


def test_500_shows_no_stack_trace(app, world, login_as, monkeypatch):
    from app.main import services

    def boom(user):
        raise RuntimeError("SECRET-INTERNAL-DETAIL")

    monkeypatch.setattr(services, "officer_overview", boom)
    client = login_as("officer")
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body
    assert "SECRET-INTERNAL-DETAIL" not in body and "Traceback" not in body


def test_htmx_errors_get_a_fragment(world, login_as):
    client = login_as("officer")
    response = client.get("/users/", htmx=True)
    assert response.status_code == 403
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY, "short"])
def test_production_refuses_to_start_without_a_real_secret(monkeypatch, key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"APP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    if key is not None:
        config["SECRET_KEY"] = key
    with pytest.raises(ConfigurationError):
        create_app(config)


def test_production_starts_with_a_real_secret():
    app = create_app(
        {"APP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 64}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
