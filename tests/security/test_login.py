"""Logging in: messages, throttling (QUALITY.md S8) and redirects."""

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.audit.models import AuditLog
from app.extensions import db
from tests.conftest import PASSWORD

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_login_page_is_vietnamese(client):
    body = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body and "Mật khẩu" in body


def test_wrong_password_and_unknown_user_say_the_same(world, make_client):
    wrong_password = make_client().login("canbo", "không phải mật khẩu")
    unknown_user = make_client().login("khongcoai", "không phải mật khẩu")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert WRONG in response.get_data(as_text=True)


def test_empty_fields_are_422_with_messages(client):
    client.refresh_token()
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Nhập tên đăng nhập." in body and "Nhập mật khẩu." in body


def test_username_is_case_insensitive(world, make_client):
    assert make_client().login("  CanBo ").status_code == 303


def test_eleventh_failure_for_an_account_is_throttled(world, make_client):
    client = make_client()
    for _ in range(10):
        assert client.login("canbo", "sai mật khẩu").status_code == 401
    response = client.login("canbo", PASSWORD)
    assert response.status_code == 429, "even the right password waits out the window"
    assert "15 phút" in response.get_data(as_text=True)
    clock.travel(timedelta(minutes=16))
    assert client.login("canbo", PASSWORD).status_code == 303


def test_throttle_counts_per_address_across_accounts(world, make_client):
    client = make_client()
    for i in range(10):
        client.login(f"doan{i}", "sai mật khẩu")
    assert client.login("canbo", PASSWORD).status_code == 429


def test_throttle_is_shared_through_the_database(app, world, make_client):
    """Another worker (here: another client) sees the same failures."""
    for _ in range(10):
        make_client().login("canbo", "sai mật khẩu")
    assert make_client().login("canbo", PASSWORD).status_code == 429


def test_logins_and_failures_are_audited_without_passwords(app, world, make_client):
    make_client().login("canbo", "bí mật sai 123")
    make_client().login("canbo")
    with app.app_context():
        actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
        assert "login_failed" in actions and "login" in actions
        rows = db.session.scalars(select(AuditLog)).all()
        dump = " ".join(f"{r.summary} {r.before} {r.after}" for r in rows)
        assert "bí mật sai 123" not in dump and PASSWORD not in dump


def test_next_parameter_only_goes_to_this_site(world, make_client):
    for target, expected in [
        ("/units/", "/units/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
    ]:
        c = make_client()
        c.refresh_token()
        response = c.http.post(
            f"/login?next={target}",
            data={"username": "canbo", "password": PASSWORD, "csrf_token": c.token},
        )
        assert response.status_code == 303
        assert response.headers["Location"] == expected, target


def test_password_hash_meets_asvs_in_production_config():
    from app.config import ProductionConfig

    assert ProductionConfig.PASSWORD_HASH_METHOD.startswith("scrypt:131072:")


def test_failed_logins_are_counted(app, world, make_client):
    make_client().login("canbo", "sai")
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "login_failed")
        )
    assert count == 1
