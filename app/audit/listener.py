"""One SQLAlchemy listener that records every insert, update and delete (QUALITY.md S12).

Rows are written with a Core insert on the session's own connection inside the flush, so the
audit entry commits or rolls back with the change it describes.
"""

from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from app.audit.models import AuditLog
from app.clock import utcnow

REDACTED = "***"
# Bookkeeping columns: a change of these alone is not worth an audit row.
ALWAYS_IGNORED = frozenset({"updated_at", "version"})


def install() -> None:
    """Attach the listener to every Session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def current_actor() -> tuple[int | None, str, str | None]:
    """(user id, name, address) of whoever is acting: the logged-in user, or the CLI."""
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.username, request.remote_addr
        return None, g.get("actor_name", "ẩn danh"), request.remote_addr
    if has_app_context():
        return None, g.get("actor_name", "hệ thống"), None
    return None, "hệ thống", None


def _after_flush(session: Session, _flush_context) -> None:
    rows = []
    for obj in session.new:
        if _audited(obj):
            rows.append(_row(obj, "create", None, _snapshot(obj)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _diff(obj)
            if before != after:
                rows.append(_row(obj, "update", before, after))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_row(obj, "delete", _snapshot(obj, committed=True), None))
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def _audited(obj) -> bool:
    return getattr(obj, "__audit__", True) and hasattr(obj, "__table__")


def _row(obj, action: str, before: dict | None, after: dict | None) -> dict:
    user_id, actor, address = current_actor()
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return {
        "at": utcnow(),
        "user_id": user_id,
        "actor": actor,
        "action": action,
        "object_type": type(obj).__name__,
        "object_id": identity[0] if identity and len(identity) == 1 else None,
        "summary": str(obj)[:300],
        "before": before,
        "after": after,
        "address": address,
    }


def _columns(obj):
    mapper = inspect(obj).mapper
    return [(attr.key, attr) for attr in mapper.column_attrs]


def _snapshot(obj, committed: bool = False) -> dict:
    state = inspect(obj)
    redact = getattr(obj, "__audit_redact__", frozenset())
    data = {}
    for key, _attr in _columns(obj):
        value = state.attrs[key].loaded_value if committed else getattr(obj, key)
        data[key] = REDACTED if key in redact and value is not None else _jsonable(value)
    return data


def _diff(obj) -> tuple[dict, dict]:
    """Only the columns that changed, with their old and new values."""
    state = inspect(obj)
    redact = getattr(obj, "__audit_redact__", frozenset())
    ignore = ALWAYS_IGNORED | getattr(obj, "__audit_ignore__", frozenset())
    before, after = {}, {}
    for key, _attr in _columns(obj):
        if key in ignore:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if key in redact:
            before[key], after[key] = REDACTED, REDACTED + " (đã đổi)"
        else:
            before[key], after[key] = _jsonable(old), _jsonable(new)
    return before, after


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} byte>"
    return str(value)
