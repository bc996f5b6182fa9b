"""QUALITY.md S12: one audit row per change, with who, when, before and after."""

from sqlalchemy import func, select

from app.audit.models import AuditLog
from app.extensions import db
from app.units.models import Unit


def audit_rows(app, **filters):
    with app.app_context():
        stmt = select(AuditLog).filter_by(**filters).order_by(AuditLog.id)
        rows = db.session.scalars(stmt).all()
        db.session.expunge_all()
        return rows


def test_exactly_one_row_per_create_update_delete(app, world, login_as):
    client = login_as("officer")
    client.post(f"/units/{world.c1}/children/new", data={"kind": "ban", "name": "Bản Mới"})
    with app.app_context():
        new_id = db.session.scalar(select(Unit.id).where(Unit.name == "Bản Mới"))
    created = audit_rows(app, object_type="Unit", object_id=new_id)
    assert [r.action for r in created] == ["create"]
    assert created[0].actor == "canbo" and created[0].after["name"] == "Bản Mới"

    client.post(f"/units/{new_id}/edit", data={"kind": "thon", "name": "Thôn Mới", "version": "1"})
    rows = audit_rows(app, object_type="Unit", object_id=new_id)
    assert [r.action for r in rows] == ["create", "update"]
    update = rows[1]
    assert update.before == {"kind": "ban", "name": "Bản Mới", "name_folded": "ban moi"}
    assert update.after == {"kind": "thon", "name": "Thôn Mới", "name_folded": "thon moi"}

    with app.app_context():
        db.session.delete(db.session.get(Unit, new_id))
        db.session.commit()
    rows = audit_rows(app, object_type="Unit", object_id=new_id)
    assert [r.action for r in rows] == ["create", "update", "delete"]
    assert rows[2].before["name"] == "Thôn Mới" and rows[2].after is None


def test_saving_without_changes_writes_no_row(app, world, login_as):
    client = login_as("officer")
    before = len(audit_rows(app, action="update"))
    client.post(
        f"/units/{world.v1}/edit",
        data={"kind": "ban", "name": "Bản Delta MARKER-V1", "version": "1"},
    )
    assert len(audit_rows(app, action="update")) == before


def test_audit_rolls_back_with_the_change(app, world):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditLog))
        unit = db.session.get(Unit, world.v1)
        unit.name = "Không lưu"
        db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) == count


def test_refusals_are_logged(app, world, login_as):
    login_as("officer").get("/users/")
    rows = audit_rows(app, action="forbidden")
    assert rows and rows[-1].actor == "canbo" and "/users/" in rows[-1].summary
    login_as("officer").get(f"/units/{world.c3}")
    assert len(audit_rows(app, action="forbidden")) == len(rows) + 1


def test_admin_filters_the_log(app, world, login_as):
    admin = login_as("admin")
    login_as("officer")
    body = admin.get("/audit/?action=login&actor=canbo").get_data(as_text=True)
    assert "<td>canbo</td>" in body and "<td>quantri</td>" not in body
    body = admin.get(f"/audit/?object_type=Unit&object_id={world.c1}").get_data(as_text=True)
    assert "Xã Gamma" in body and "Bản Delta" not in body
    body = admin.get("/audit/?date_from=01/01/2000&date_to=31/12/2000").get_data(as_text=True)
    assert "Không có mục nào" in body
    fragment = admin.get("/audit/?action=login", htmx=True).get_data(as_text=True)
    assert "<html" not in fragment and "<tr>" in fragment


def test_audit_detail_shows_before_and_after(app, world, login_as):
    client = login_as("officer")
    client.post(
        f"/units/{world.v1}/edit", data={"kind": "ban", "name": "Bản Đổi Tên", "version": "1"}
    )
    entry = audit_rows(app, action="update", object_type="Unit")[-1]
    body = login_as("admin").get(f"/audit/{entry.id}").get_data(as_text=True)
    assert "Bản Delta MARKER-V1" in body and "Bản Đổi Tên" in body
