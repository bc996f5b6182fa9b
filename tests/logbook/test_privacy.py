"""Parties' names and addresses never reach the audit log (Decree 13/2023/NĐ-CP): the log says
that they changed, not what they are, and an admin browsing the log reads no party's name."""

import json
from datetime import date

from sqlalchemy import select

from app.audit.models import AuditLog
from app.extensions import db
from app.logbook.models import LogbookEntry
from app.logbook.rules import Party
from app.logbook.services import EntryValues, update_entry


def audit_text(app) -> str:
    with app.app_context():
        rows = db.session.scalars(select(AuditLog)).all()
        return "\n".join(
            json.dumps([r.summary, r.before, r.after], ensure_ascii=False) for r in rows
        )


def test_creating_cases_logs_no_party_name_or_address(app, world):
    text = audit_text(app)
    for marker in ("PARTY-C1", "PARTY-C2", "PARTY-C3", "Vàng A Páo", "Bản Pá Mỳ"):
        assert marker not in text
    with app.app_context():
        created = db.session.scalars(
            select(AuditLog).where(
                AuditLog.object_type == "LogbookParty", AuditLog.action == "create"
            )
        ).all()
        assert len(created) == 12  # two parties on each of the six cases of the world
        assert all(row.after["full_name"] == "***" for row in created)
        assert all(row.after["age"] in (45, 52) for row in created)


def test_changing_a_name_is_logged_as_changed_without_either_value(app, world):
    with app.app_context():
        entry = db.session.get(LogbookEntry, world.entry1)
        update_entry(
            entry,
            EntryValues(
                received_on=date(2025, 3, 10),
                started_on=date(2025, 3, 10),
                ended_on=date(2025, 3, 10),
                content=entry.content,
                scope="civil",
                result="successful",
                agreement=entry.agreement,
                number=entry.number,
                parties=[
                    Party("Sùng Thị Dợ NEWNAME", 45, "Bản Pá Mỳ PARTY-C1-ADDR"),
                    Party("Lý A Sử PARTY-C1", 52, None),
                ],
                mediator_ids=[world.mediator1],
            ),
        )
        db.session.commit()
        change = db.session.scalars(
            select(AuditLog).where(
                AuditLog.object_type == "LogbookParty", AuditLog.action == "update"
            )
        ).one()
        assert change.before == {"full_name": "***"}
        assert change.after == {"full_name": "*** (đã đổi)"}
    assert "NEWNAME" not in audit_text(app)


def test_admin_browsing_the_audit_log_reads_no_party_name(app, world, login_as):
    admin = login_as("admin")
    with app.app_context():
        ids = db.session.scalars(
            select(AuditLog.id).where(AuditLog.object_type == "LogbookParty")
        ).all()
    listing = admin.get("/audit/?object_type=LogbookParty").get_data(as_text=True)
    assert "Bên tranh chấp" in listing
    pages = [listing] + [admin.get(f"/audit/{i}").get_data(as_text=True) for i in ids]
    for page in pages:
        assert "PARTY-C" not in page
