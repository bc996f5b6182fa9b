"""Who may do what with a unit. Routes and templates ask these same functions."""

from app.security.scope import in_scope
from app.units.models import Level, Unit
from app.users.models import Role


def can_view(user, unit: Unit) -> bool:
    return user.role != Role.JUDGE and in_scope(user, unit.id)


def can_add_child(user, parent: Unit) -> bool:
    """Admins add any unit; officers and commune staff add villages to communes in scope."""
    if user.is_admin:
        return parent.level < Level.VILLAGE
    if user.role in (Role.OFFICER, Role.COMMUNE_STAFF):
        return parent.level == Level.COMMUNE and in_scope(user, parent.id)
    return False


def can_edit(user, unit: Unit) -> bool:
    """Admins edit any unit; officers the units below their own; commune staff their villages."""
    if user.is_admin:
        return True
    if unit.id == user.unit_id or not in_scope(user, unit.id):
        return False
    if user.role == Role.OFFICER:
        return True
    return user.role == Role.COMMUNE_STAFF and unit.level == Level.VILLAGE


def can_set_flags(user, unit: Unit) -> bool:
    """The ethnic-minority and pilot flags are set by admins and supervising officers."""
    if user.is_admin:
        return True
    return user.role == Role.OFFICER and unit.id != user.unit_id and in_scope(user, unit.id)


def can_edit_identity(user, unit: Unit) -> bool:
    """Official codes and validity dates: admins only (they come from the official lists)."""
    return user.is_admin
