"""What the checklist's pages show, read up front in a fixed number of queries (QUALITY.md
P3): the whole page, or one item as _item.html renders it."""

from flask import current_app, make_response, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import defer

from app.clock import today
from app.extensions import db
from app.pilots import permissions
from app.pilots.forms.filling import SubmitForm
from app.pilots.models import ChecklistEvent, ChecklistItem, ChecklistSnapshot, ChecklistTemplate
from app.pilots.services.view import checklist_view
from app.security.policy import POLICY
from app.units.services import units_by_id
from app.users.models import User

TRAIL_SHOWN = 10
# Errors shown next to their field inside an item (the rest above the item).
BESIDE_FIELDS = frozenset({"reason", "file", "file_id"})


def item_context(checklist, item, errors=None, **extra) -> dict:
    """The context of _item.html for one item: ``errors`` by field (the review's reason, an
    evidence file) and the other messages shown on the item."""
    view = checklist_view(checklist, today())
    by_field = _by_field(errors)
    return {
        "checklist": checklist,
        "row": view.row(item.id),
        "item": item,
        "view": view,
        "can_edit": can_edit(checklist, item),
        "can_review": permissions.can_review(current_user, checklist),
        "errors": by_field,
        "messages": [m for k, ms in by_field.items() if k not in BESIDE_FIELDS for m in ms],
        "records_url": records_url,
        **extra,
    }


def page_context(checklist, full_trail=False, submit_form=None, missing=()) -> dict:
    """Everything the checklist page shows, read up front in a fixed number of queries."""
    view = checklist_view(checklist, today())
    items = {
        i.id: i
        for i in db.session.scalars(
            select(ChecklistItem).where(ChecklistItem.checklist_id == checklist.id)
        )
    }
    events_query = (
        select(ChecklistEvent)
        .where(ChecklistEvent.checklist_id == checklist.id)
        .order_by(ChecklistEvent.at.desc(), ChecklistEvent.id.desc())
    )
    events = db.session.scalars(
        events_query if full_trail else events_query.limit(TRAIL_SHOWN + 1)
    ).all()
    more_events = not full_trail and len(events) > TRAIL_SHOWN
    events = events[:TRAIL_SHOWN] if more_events else events
    snapshots = db.session.scalars(
        select(ChecklistSnapshot)
        .options(defer(ChecklistSnapshot.data))
        .where(ChecklistSnapshot.checklist_id == checklist.id)
        .order_by(ChecklistSnapshot.id.desc())
    ).all()
    user_ids = {e.by_user_id for e in events} | {s.taken_by_id for s in snapshots}
    user_ids |= {checklist.designated_by_id, checklist.signed_off_by_id}
    can_fill = permissions.can_fill(current_user, checklist)
    if submit_form is None:
        submit_form = SubmitForm(formdata=None, data={"version": checklist.version})
    return {
        "checklist": checklist,
        "view": view,
        "items": items,
        "template": db.session.get(ChecklistTemplate, checklist.template_id),
        "units": units_by_id([checklist.unit_id, checklist.office_unit_id]),
        "users": _users(user_ids),
        "events": events,
        "more_events": more_events,
        "full_trail": full_trail,
        "snapshots": snapshots,
        "editable": {i for i, item in items.items() if can_edit(checklist, item)},
        "can_fill": can_fill,
        "can_manage": permissions.can_manage(current_user, checklist),
        "can_review": permissions.can_review(current_user, checklist),
        "can_reopen": permissions.can_reopen(current_user, checklist),
        "submit_form": submit_form,
        "missing": list(missing) or (view.missing if can_fill else []),
        "refused_missing": bool(missing),
        "records_url": records_url,
        "errors": {},
        "messages": [],
    }


def records_url(row) -> str | None:
    """The records behind a computed value (a registry or logbook list of the commune), when
    the user may open that list."""
    if not row.link:
        return None
    endpoint, args = row.link
    access = POLICY.get(endpoint)
    if endpoint not in current_app.view_functions or access is None:
        return None
    return url_for(endpoint, **args) if access.allows(current_user) else None


def can_edit(checklist, item) -> bool:
    return permissions.can_edit_item(current_user, checklist, item)


def _users(ids) -> dict[int, User]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _by_field(errors) -> dict:
    """{field: [messages]} from a form's errors, (field, message) pairs or plain messages."""
    if not errors:
        return {}
    if isinstance(errors, dict):
        return {k: list(v) for k, v in errors.items()}
    found: dict = {}
    for error in errors:
        field, message = ("", error) if isinstance(error, str) else error
        found.setdefault(field, []).append(message)
    return found


def answer(body: str, status: int = 200):
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
