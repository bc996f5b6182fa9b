"""Services of the pilot-commune checklists: they flush, the route commits."""

from app.refusals import RuleError


class PilotError(RuleError):
    """A refusal by the rules of checklists, with its message (and the field it concerns)."""


def add_event(checklist, action: str, user=None, item=None, reason: str | None = None):
    """Keep one step of a checklist's way (who, when, why); flushes with the caller's work."""
    from app.extensions import db
    from app.pilots.models import ChecklistEvent

    event = ChecklistEvent(
        checklist_id=checklist.id,
        item_id=item.id if item is not None else None,
        action=action,
        reason=reason,
        by_user_id=user.id if user is not None and user.is_authenticated else None,
    )
    db.session.add(event)
    return event


def user_id(user) -> int | None:
    return user.id if user is not None and getattr(user, "is_authenticated", False) else None
