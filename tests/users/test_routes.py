"""Admins manage accounts: create, edit, reset passwords, lock, end sessions."""

from sqlalchemy import select

from app.audit.models import AuditLog
from app.extensions import db
from app.users.models import User


def new_user(world, **overrides):
    data = {
        "username": "lothanh",
        "full_name": "Lò Văn Thanh",
        "role": "officer",
        "unit": f"Xã Gamma MARKER-C1 — Huyện Beta MARKER-D1 (#{world.c1})",
        "new_password": "mật khẩu ban đầu dài",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_must_change_the_password(app, world, login_as, make_client):
    admin = login_as("admin")
    response = admin.post("/users/new", data=new_user(world))
    assert response.status_code == 303
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lothanh"))
        assert user.unit_id == world.c1 and user.must_change_password
        assert user.full_name_folded == "lo van thanh"
    newcomer = make_client()
    assert newcomer.login("lothanh", "mật khẩu ban đầu dài").status_code == 303
    assert newcomer.get("/").headers["Location"].endswith("/account/password")


def test_unit_can_be_typed_by_exact_name_or_code(app, world, login_as):
    admin = login_as("admin")
    assert (
        admin.post("/users/new", data=new_user(world, unit="xã gamma marker-c1")).status_code == 303
    )
    ambiguous = admin.post("/users/new", data=new_user(world, username="khac", unit="Không Có Đâu"))
    assert ambiguous.status_code == 422
    assert "Không tìm thấy đơn vị này" in ambiguous.get_data(as_text=True)


def test_bad_new_user_input_is_422_next_to_fields(world, login_as):
    admin = login_as("admin")
    response = admin.post(
        "/users/new",
        data=new_user(world, username="Có Dấu", new_password="12345678", full_name=""),
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Tên đăng nhập gồm" in body
    assert "quá phổ biến" in body
    assert "Nhập họ và tên." in body


def test_duplicate_username_is_refused(world, login_as):
    response = login_as("admin").post("/users/new", data=new_user(world, username="canbo"))
    assert response.status_code == 422
    assert "đã có người dùng" in response.get_data(as_text=True)


def test_edit_changes_role_and_unit_and_ends_sessions(app, world, login_as):
    officer = login_as("officer")
    admin = login_as("admin")
    response = admin.post(
        f"/users/{world.users['officer']}/edit",
        data={"full_name": "Cán Bộ", "role": "viewer", "unit": f"#{world.c2}", "version": "1"},
    )
    assert response.status_code == 303
    assert officer.get("/").status_code == 303, "new role: log in again"
    with app.app_context():
        user = db.session.get(User, world.users["officer"])
        assert (user.role, user.unit_id) == ("viewer", world.c2)


def test_stale_user_edit_is_409(world, login_as):
    admin = login_as("admin")
    url = f"/users/{world.users['viewer']}/edit"
    data = {"full_name": "Một", "role": "viewer", "unit": f"#{world.d1}", "version": "1"}
    assert admin.post(url, data=data).status_code == 303
    assert admin.post(url, data={**data, "full_name": "Hai"}).status_code == 409


def test_reset_password(app, world, login_as, make_client):
    admin = login_as("admin")
    url = f"/users/{world.users['viewer']}/reset-password"
    assert admin.post(url, data={"new_password": "123"}).status_code == 422
    assert admin.post(url, data={"new_password": "tạm thời đủ dài"}).status_code == 303
    assert make_client().login("xembaocao", "tạm thời đủ dài").status_code == 303


def test_admin_cannot_lock_or_demote_the_last_admin(app, world, login_as):
    admin = login_as("admin")
    admin_id = world.users["admin"]
    admin.post(f"/users/{admin_id}/deactivate")
    response = admin.post(
        f"/users/{admin_id}/edit",
        data={"full_name": "Quản Trị", "role": "viewer", "unit": f"#{world.p1}", "version": "1"},
    )
    assert response.status_code == 422
    with app.app_context():
        user = db.session.get(User, admin_id)
        assert user.active and user.role == "admin"


def test_lock_and_unlock(app, world, login_as, make_client):
    admin = login_as("admin")
    viewer_id = world.users["viewer"]
    assert admin.post(f"/users/{viewer_id}/deactivate").status_code == 303
    assert make_client().login("xembaocao").status_code == 401
    assert admin.post(f"/users/{viewer_id}/activate").status_code == 303
    assert make_client().login("xembaocao").status_code == 303


def test_user_list_search_and_filter(world, login_as):
    admin = login_as("admin")
    body = admin.get("/users/?q=canbo").get_data(as_text=True)
    assert "canbo" in body and "congchuc" not in body
    body = admin.get("/users/?role=judge").get_data(as_text=True)
    assert "giamkhao" in body and "canbo" not in body
    fragment = admin.get("/users/?q=canbo", htmx=True).get_data(as_text=True)
    assert "<tr>" in fragment and "<html" not in fragment


def test_user_list_pages_with_keyset(app, world, login_as, make_user):
    for i in range(60):
        make_user(f"nguoi{i:02d}", "viewer", world.c1, full_name=f"Người Số {i:02d}")
    admin = login_as("admin")
    first = admin.get("/users/").get_data(as_text=True)
    assert "Xem tiếp" in first
    import re

    after = re.search(r'href="/users/\?after=([^"]+)"', first).group(1)
    more = admin.get(f"/users/?after={after}", htmx="user-rows-more").get_data(as_text=True)
    assert "<table" not in more and "<tr>" in more
    assert "Người Số 59" in more or "Quantri" in more


def test_user_changes_are_audited_with_the_password_redacted(app, world, login_as):
    admin = login_as("admin")
    admin.post(
        f"/users/{world.users['viewer']}/reset-password", data={"new_password": "tạm thời đủ dài"}
    )
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.object_type == "User", AuditLog.action == "update")
            .order_by(AuditLog.id.desc())
        ).first()
        assert entry.actor == "quantri"
        assert entry.after["password_hash"].startswith("***")
        assert "pbkdf2" not in str(entry.before) + str(entry.after)


def test_unit_field_asks_htmx_for_suggestions(world, login_as):
    body = login_as("admin").get("/users/new").get_data(as_text=True)
    assert 'data-hx-get="/units/lookup"' in body and 'list="unit-options"' in body
