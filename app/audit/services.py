"""Recording security events (logins, refusals) next to the data changes."""

from sqlalchemy import insert

from app.audit.listener import current_actor
from app.audit.models import AuditLog
from app.clock import utcnow
from app.extensions import db


def record_event(
    action: str,
    summary: str,
    *,
    user_id: int | None = None,
    actor: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
) -> None:
    """Add one audit row for an event that is not a data change; the caller commits."""
    current_id, current_name, address = current_actor()
    db.session.execute(
        insert(AuditLog).values(
            at=utcnow(),
            user_id=user_id if user_id is not None else current_id,
            actor=(actor or current_name)[:64],
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary[:300] or None,
            address=address,
        )
    )


def record_read(
    summary: str, *, object_type: str, object_id: int, action: str = "personal_data_read"
) -> None:
    """Log that personal data was shown (Decree 13/2023/NĐ-CP), committed at once on a
    connection of its own: the GET that shows the data keeps its read-only transaction (on
    SQLite a read transaction that turns into a write can fail with "database is locked"), and
    the record stays even if the page fails later."""
    current_id, current_name, address = current_actor()
    with db.engine.begin() as connection:
        connection.execute(
            insert(AuditLog).values(
                at=utcnow(),
                user_id=current_id,
                actor=current_name[:64],
                action=action,
                object_type=object_type,
                object_id=object_id,
                summary=summary[:300] or None,
                address=address,
            )
        )
