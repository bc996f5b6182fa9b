"""Who may do what with pilot-commune checklists (DOMAIN.md §1, §7). Routes and templates ask
these.

- Everyone but judges reads the checklists placed in their subtree (the commune's).
- Officers (and admins) designate communes of their subtree, review the checklists that an
  office of their subtree designated, sign them off and reopen them.
- The commune's staff fill in their checklist (its items, its evidence) and submit it:
  everything while it is open, only the returned items after a return, nothing once it is
  sent or signed off. Reviewers do not fill in what they review.
- Templates: officers and admins read the defaults and the templates of the offices above and
  below them; admins keep the defaults, officers the templates of their own subtree; only a
  draft revision changes.
"""

from app.pilots.models import Checklist, ChecklistItem, ChecklistTemplate
from app.pilots.rules import OPEN, RETURNED, SIGNED_OFF, SUBMITTED
from app.security.scope import is_within, placed_in_scope, sees_everything
from app.users.models import Role

READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF, Role.VIEWER})
OFFICES = frozenset({Role.ADMIN, Role.OFFICER})
FILLERS = frozenset({Role.COMMUNE_STAFF})


def can_view(user, checklist: Checklist) -> bool:
    """A checklist of a commune in the user's subtree."""
    return user.role in READERS and placed_in_scope(user, checklist)


def can_designate(user) -> bool:
    """Designate communes (of the user's subtree, below their unit: checked on the commune)."""
    return user.role in OFFICES


def _office(user, checklist: Checklist) -> bool:
    return user.role in OFFICES and (
        sees_everything(user) or is_within(checklist.office_unit_id, user.unit_id)
    )


def can_fill(user, checklist: Checklist) -> bool:
    """Fill in and submit: the commune's staff, while it is open or returned."""
    return (
        user.role in FILLERS
        and checklist.status in (OPEN, RETURNED)
        and placed_in_scope(user, checklist)
    )


def can_edit_item(user, checklist: Checklist, item: ChecklistItem) -> bool:
    """An item changes while the checklist is open, or after a return if it was returned."""
    return can_fill(user, checklist) and (
        checklist.status == OPEN or item.review_status == "returned"
    )


def can_review(user, checklist: Checklist) -> bool:
    """Accept or return items and sign off: officers of the designating office or above, once
    it is submitted (and while some items are back with the commune: more may be returned)."""
    return checklist.status in (SUBMITTED, RETURNED) and _office(user, checklist)


def can_reopen(user, checklist: Checklist) -> bool:
    """Reopen a signed-off checklist (with a reason): the same offices."""
    return checklist.status == SIGNED_OFF and _office(user, checklist)


def can_manage(user, checklist: Checklist) -> bool:
    """Change the designation (period, level) until it is signed off: the same offices."""
    return checklist.status != SIGNED_OFF and _office(user, checklist)


def can_view_template(user, template: ChecklistTemplate) -> bool:
    """The defaults, and templates of an office above or below the user's unit."""
    if user.role not in OFFICES:
        return False
    if sees_everything(user) or template.owner_unit_id is None:
        return True
    return is_within(user.unit_id, template.owner_unit_id) or is_within(
        template.owner_unit_id, user.unit_id
    )


def can_use_template(user, template: ChecklistTemplate) -> bool:
    """Designate with a published revision: the defaults and the templates of the offices at
    or above the user's unit."""
    if user.role not in OFFICES or template.status != "published":
        return False
    if sees_everything(user) or template.owner_unit_id is None:
        return True
    return is_within(user.unit_id, template.owner_unit_id)


def can_manage_template(user, template: ChecklistTemplate) -> bool:
    """Revise, publish: admins any template; officers those owned in their subtree."""
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.OFFICER
        and template.owner_unit_id is not None
        and is_within(template.owner_unit_id, user.unit_id)
    )


def can_edit_template(user, template: ChecklistTemplate) -> bool:
    """Change sections and items: a draft revision the user manages."""
    return template.status == "draft" and can_manage_template(user, template)
