"""Who may do what with reports and plans (DOMAIN.md §1, §8). Routes and templates ask these.

- Everyone but judges reads the plans of their subtree and of the units above them (the plan
  that sets their targets).
- Officers keep the plans of the provinces and districts of their subtree; admins any plan.
"""

from app.reports.models import ReportingPlan
from app.security.scope import is_within, sees_everything
from app.users.models import Role

READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF, Role.VIEWER})
OFFICES = frozenset({Role.ADMIN, Role.OFFICER})


def can_view_plan(user, plan: ReportingPlan) -> bool:
    """A plan of a unit in the user's subtree or above the user's unit."""
    if user.role not in READERS:
        return False
    if sees_everything(user):
        return True
    return is_within(plan.unit_id, user.unit_id) or is_within(user.unit_id, plan.unit_id)


def can_create_plan(user) -> bool:
    """Draw up a plan (for a province or district of the user's subtree: checked on the unit)."""
    return user.role in OFFICES


def can_manage_plan(user, plan: ReportingPlan) -> bool:
    """Change a plan: admins any; officers those of their subtree."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.OFFICER and is_within(plan.unit_id, user.unit_id)
