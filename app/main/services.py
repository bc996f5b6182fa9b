"""What the home pages show, computed in a fixed number of queries."""

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditLog
from app.clock import today, utcnow
from app.extensions import db
from app.main.attention import registry_attention
from app.registry.models import Team
from app.security.scope import subtree_ids
from app.units.models import Level, Unit, UnitClosure
from app.units.services import ancestors
from app.users.models import Role, User


def level_counts_below(unit_ids: list[int]) -> dict[int, dict[int, int]]:
    """For each unit, the number of current units of each level in its subtree."""
    if not unit_ids:
        return {}
    rows = db.session.execute(
        select(UnitClosure.ancestor_id, Unit.level, func.count())
        .join(Unit, Unit.id == UnitClosure.descendant_id)
        .where(UnitClosure.ancestor_id.in_(unit_ids), Unit.valid_to.is_(None))
        .group_by(UnitClosure.ancestor_id, Unit.level)
    ).all()
    counts: dict[int, dict[int, int]] = {uid: {} for uid in unit_ids}
    for unit_id, level, count in rows:
        counts[unit_id][level] = count
    return counts


def officer_overview(user) -> dict:
    """The units under an officer (or viewer) and what needs their attention."""
    from app.logbook.routes.rates import unit_rate_summary

    unit = db.session.get(Unit, user.unit_id)
    children = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.parent_id == unit.id, Unit.valid_to.is_(None))
            .order_by(Unit.name_folded, Unit.id)
            .limit(200)
        )
    )
    counts = level_counts_below([unit.id] + [c.id for c in children])
    communes_in_scope = select(Unit.id).where(
        Unit.id.in_(subtree_ids(unit.id)), Unit.level == Level.COMMUNE, Unit.valid_to.is_(None)
    )
    staffed = select(User.unit_id).where(User.role == Role.COMMUNE_STAFF, User.active)
    without_staff = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.id.in_(communes_in_scope), Unit.id.not_in(staffed))
            .order_by(Unit.name_folded)
            .limit(50)
        )
    )
    pilots = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.id.in_(communes_in_scope), Unit.pilot_level.is_not(None))
            .order_by(Unit.name_folded)
        )
    )
    path = ancestors(unit.id)[:-1]
    return {
        "unit": unit,
        "path": path,
        "registry": registry_attention(user, today()),
        "rate": unit_rate_summary(unit, path),
        "children": children,
        "counts": counts,
        "without_staff": without_staff,
        "pilots": pilots,
    }


def commune_overview(user) -> dict:
    """Commune staff: their commune, its villages and its accounts."""
    from app.logbook.routes.rates import unit_rate_summary

    unit = db.session.get(Unit, user.unit_id)
    villages = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.parent_id == unit.id, Unit.valid_to.is_(None))
            .order_by(Unit.name_folded, Unit.id)
        )
    )
    colleagues = list(
        db.session.scalars(
            select(User).where(User.unit_id == unit.id, User.active).order_by(User.full_name_folded)
        )
    )
    teams = list(
        db.session.scalars(
            select(Team)
            .where(Team.commune_id == unit.id, Team.dissolved_on.is_(None))
            .order_by(Team.is_compliant, Team.name_folded)
        )
    )
    path = ancestors(unit.id)[:-1]
    return {
        "unit": unit,
        "path": path,
        "registry": registry_attention(user, today()),
        "rate": unit_rate_summary(unit, path),
        "teams": teams,
        "villages": villages,
        "colleagues": colleagues,
    }


def admin_overview() -> dict:
    """Admins: the size of the data, the accounts and the latest security events."""
    by_level = dict(
        db.session.execute(
            select(Unit.level, func.count()).where(Unit.valid_to.is_(None)).group_by(Unit.level)
        ).all()
    )
    by_role = dict(
        db.session.execute(
            select(User.role, func.count()).where(User.active).group_by(User.role)
        ).all()
    )
    since = utcnow() - timedelta(hours=24)
    failed = db.session.scalar(
        select(func.count())
        .select_from(AuditLog)
        .where(AuditLog.action.in_(["login_failed", "login_throttled"]), AuditLog.at >= since)
    )
    recent = list(db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(10)))
    return {"by_level": by_level, "by_role": by_role, "failed_logins": failed, "recent": recent}
