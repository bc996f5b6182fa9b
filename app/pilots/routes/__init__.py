"""Routes of the pilots area (one module per part). Loading a checklist, an item or a template
for a route: load → authorize (STYLE.md "A request"); 404 outside the user's scope, 403 with
the reason when the user sees it but may not do this."""

from flask import abort
from flask_login import current_user

from app.extensions import db
from app.pilots import permissions
from app.pilots.models import Checklist, ChecklistItem, ChecklistTemplate
from app.security.scope import OutOfScope


def load_checklist(checklist_id: int, may=None, reason: str | None = None) -> Checklist:
    """The checklist; 404 when missing or out of scope, 403 (``reason``) when ``may`` says no."""
    checklist = db.session.get(Checklist, checklist_id)
    if checklist is None:
        abort(404)
    if not permissions.can_view(current_user, checklist):
        raise OutOfScope()
    if may is not None and not may(current_user, checklist):
        refuse(reason)
    return checklist


def load_item(item_id: int) -> tuple[Checklist, ChecklistItem]:
    """An item and its checklist (404 when missing or out of scope)."""
    item = db.session.get(ChecklistItem, item_id)
    if item is None:
        abort(404)
    return load_checklist(item.checklist_id), item


def load_template(template_id: int, may=None, reason: str | None = None) -> ChecklistTemplate:
    """A template revision the user may read (404 otherwise), 403 when ``may`` says no."""
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None:
        abort(404)
    if not permissions.can_view_template(current_user, template):
        raise OutOfScope()
    if may is not None and not may(current_user, template):
        refuse(reason)
    return template


def refuse(message: str | None):
    """403 with its reason in Vietnamese (shown and logged like every other 403)."""
    abort(403, message or "Bạn không có quyền thực hiện thao tác này.")
