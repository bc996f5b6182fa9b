"""Who may read and keep the logbook, and who may read the parties' personal data.

The commune keeps its teams' logbooks; the officers who supervise it (district, province) may
correct them. Parties' names and addresses are personal data (Decree 13/2023/NĐ-CP): only those
two roles, in scope, read them. Viewers and admins see counts only; judges see nothing here.
Routes and templates ask these functions.
"""

from app.security.scope import placed_in_scope
from app.units.models import Level
from app.users.models import Role

READERS = frozenset({Role.ADMIN, Role.OFFICER, Role.COMMUNE_STAFF, Role.VIEWER})
KEEPERS = frozenset({Role.OFFICER, Role.COMMUNE_STAFF})
PERSONAL_DATA_READERS = KEEPERS
RATE_MANAGERS = frozenset({Role.ADMIN, Role.OFFICER})


def can_view(user, obj) -> bool:
    """Read a case (without its parties), a team's book, a payment: readers in scope."""
    return user.role in READERS and placed_in_scope(user, obj)


def can_keep(user, obj) -> bool:
    """Add, edit or delete cases of a team, or record a payment: commune staff and officers
    whose subtree holds ``obj`` (a team, a case or a payment)."""
    return user.role in KEEPERS and placed_in_scope(user, obj)


def can_read_parties(user, obj) -> bool:
    """Read the parties' names and addresses of a case (or of a team's cases)."""
    return user.role in PERSONAL_DATA_READERS and placed_in_scope(user, obj)


def can_manage_pay_rates(user, province) -> bool:
    """Set a province's remuneration rates: admins, and officers of the province itself."""
    if user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.OFFICER
        and province.level == Level.PROVINCE
        and user.unit_id == province.id
    )
