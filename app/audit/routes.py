"""Admins browse the audit log, filtered by user, object, action and date."""

from datetime import datetime, time, timedelta

from flask import abort, current_app, render_template, request
from sqlalchemy import select

from app.audit import bp
from app.audit.models import ACTION_LABELS, AuditLog, object_type_label
from app.clock import VIETNAM_OFFSET
from app.extensions import db
from app.forms import parse_id, parse_vn_date
from app.htmx import render_page_or_fragment
from app.pagination import keyset_page


@bp.get("/")
def index():
    """The newest entries first, with filters; admins."""
    filters = {
        "actor": request.args.get("actor", "").strip().lower(),
        "action": request.args.get("action", ""),
        "object_type": request.args.get("object_type", "").strip(),
        "object_id": request.args.get("object_id", "").strip(),
        "date_from": request.args.get("date_from", "").strip(),
        "date_to": request.args.get("date_to", "").strip(),
    }
    stmt = _filtered(select(AuditLog), filters)
    page = keyset_page(
        stmt, [(AuditLog.id, True)], request.args.get("after"), current_app.config["PAGE_SIZE"]
    )
    object_types = db.session.scalars(
        select(AuditLog.object_type).where(AuditLog.object_type.is_not(None)).distinct()
    ).all()
    return render_page_or_fragment(
        "audit/index.html",
        "audit/_audit_rows.html",
        rows_template="audit/_audit_rows.html",
        page=page,
        filters=filters,
        actions=ACTION_LABELS,
        object_types=sorted(object_types),
        type_label=object_type_label,
    )


def _filtered(stmt, filters: dict):
    if filters["actor"]:
        stmt = stmt.where(AuditLog.actor == filters["actor"])
    if filters["action"] in ACTION_LABELS:
        stmt = stmt.where(AuditLog.action == filters["action"])
    if filters["object_type"]:
        stmt = stmt.where(AuditLog.object_type == filters["object_type"])
    object_id = parse_id(filters["object_id"])
    if object_id is not None:
        stmt = stmt.where(AuditLog.object_id == object_id)
    start, end = parse_vn_date(filters["date_from"]), parse_vn_date(filters["date_to"])
    # Dates are typed in Vietnam time; the log is stored in UTC.
    if start:
        stmt = stmt.where(AuditLog.at >= datetime.combine(start, time()) - VIETNAM_OFFSET)
    if end:
        limit = datetime.combine(end + timedelta(days=1), time()) - VIETNAM_OFFSET
        stmt = stmt.where(AuditLog.at < limit)
    return stmt


@bp.get("/<int:entry_id>")
def detail(entry_id: int):
    """One entry with its before and after values side by side; admins."""
    entry = db.session.get(AuditLog, entry_id)
    if entry is None:
        abort(404)
    return render_template("audit/detail.html", entry=entry)
