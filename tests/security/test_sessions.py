"""QUALITY.md S4: sessions end when they should, and a saved cookie cannot be replayed."""

from datetime import timedelta

import pytest

from app import clock
from app.extensions import db
from app.users.models import User
from tests.conftest import PASSWORD

COOKIE = "hoagiai_session"


def saved_cookie(client):
    cookie = client.http.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def replay(make_client, value):
    """A new browser that presents a stolen or saved cookie."""
    other = make_client()
    other.http.set_cookie(COOKIE, value)
    return other.get("/")


def test_cookie_replayed_after_logout_is_refused(world, login_as, make_client):
    client = login_as("officer")
    cookie = saved_cookie(client)
    assert replay(make_client, cookie).status_code == 200
    assert client.post("/logout").status_code == 303
    response = replay(make_client, cookie)
    assert response.status_code == 303
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "action",
    ["/users/{id}/deactivate", "/users/{id}/end-sessions"],
)
def test_admin_actions_end_the_users_sessions(world, login_as, make_client, action):
    officer = login_as("officer")
    cookie = saved_cookie(officer)
    admin = login_as("admin")
    assert admin.post(action.format(id=world.users["officer"])).status_code == 303
    assert replay(make_client, cookie).status_code == 303
    assert officer.get("/").status_code == 303


def test_password_change_ends_other_sessions_but_keeps_this_one(world, login_as, make_client):
    first = login_as("officer")
    second = login_as("officer")
    stolen = saved_cookie(second)
    response = first.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "một câu mật khẩu mới",
            "confirm": "một câu mật khẩu mới",
        },
    )
    assert response.status_code == 303
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 303
    assert replay(make_client, stolen).status_code == 303


def test_idle_session_expires_after_30_minutes(world, login_as):
    client = login_as("officer")
    clock.travel(timedelta(minutes=29))
    assert client.get("/").status_code == 200
    clock.travel(timedelta(minutes=29))
    assert client.get("/").status_code == 200, "activity keeps the session alive"
    clock.travel(timedelta(minutes=31))
    response = client.get("/")
    assert response.status_code == 303
    assert "/login" in response.headers["Location"]


def test_session_expires_after_12_hours_even_when_active(world, login_as):
    client = login_as("officer")
    for _ in range(25):  # 25 × 29 minutes ≈ 12 h 05
        clock.travel(timedelta(minutes=29))
        status = client.get("/").status_code
    assert status == 303


def test_inactive_user_is_refused_on_every_request(app, world, login_as):
    client = login_as("officer")
    with app.app_context():
        db.session.get(User, world.users["officer"]).active = False
        db.session.commit()
    assert client.get("/").status_code == 303


def test_inactive_user_cannot_log_in(app, world, make_client):
    with app.app_context():
        db.session.get(User, world.users["viewer"]).active = False
        db.session.commit()
    response = make_client().login("xembaocao")
    assert response.status_code == 401


def test_cookie_flags(world, login_as):
    client = login_as("officer")
    cookie = client.http.get_cookie(COOKIE)
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert cookie.expires is not None, "a session cookie with a lifetime, not a remember-me one"
    assert client.http.get_cookie("remember_token") is None


def test_login_gives_a_new_session(world, make_client):
    """No session fixation: the cookie before login is not the one after."""
    client = make_client()
    client.refresh_token()
    before = client.http.get_cookie(COOKIE).value
    client.login("canbo")
    assert client.http.get_cookie(COOKIE).value != before


def test_must_change_password_is_enforced(app, world, make_client):
    with app.app_context():
        db.session.get(User, world.users["viewer"]).must_change_password = True
        db.session.commit()
    client = make_client()
    client.login("xembaocao")
    response = client.get("/units/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/password")
