"""Who may see and change what in the registry. Routes and templates ask these functions.

Commune staff manage their commune; officers their subtree; viewers read; judges see nothing
here (DOMAIN.md §1). Every object is Placed: the check is one comparison, no query.
"""

from app.security.scope import placed_in_scope
from app.units.models import Level
from app.users.models import Role

READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF, Role.VIEWER})
EDITORS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF})
SUPERVISORS = frozenset({Role.ADMIN, Role.OFFICER})


def can_view(user, obj) -> bool:
    """Read a team, mediator, supporter, trainer or training of the user's subtree."""
    return user.role in READERS and placed_in_scope(user, obj)


def can_manage(user, obj) -> bool:
    """Change a team, mediator or supporter (or add one to a unit placed like ``obj``)."""
    return user.role in EDITORS and placed_in_scope(user, obj)


def can_manage_trainers(user, obj=None) -> bool:
    """Trainers belong to provinces and districts: admins and officers manage them."""
    return user.role in SUPERVISORS and (obj is None or placed_in_scope(user, obj))


def can_manage_training(user, training=None) -> bool:
    """Officers organise sessions in their subtree; commune staff those of their commune."""
    if user.role not in EDITORS:
        return False
    return training is None or placed_in_scope(user, training)


def can_add_in_unit(user, unit) -> bool:
    """Add a team (to a village) or a mediator within a unit of the user's subtree."""
    from app.security.scope import in_scope

    return user.role in EDITORS and unit.level >= Level.COMMUNE and in_scope(user, unit.id)
