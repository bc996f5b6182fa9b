"""What needs an officer's or a commune's attention in the registry, as counts with links."""

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.registry.models import Mediator, Team
from app.security.scope import scope_placed


def registry_attention(user, today: date) -> dict:
    """Counts of teams not compliant, overdue trainings and untrained mediators in scope."""
    teams = scope_placed(select(func.count()).select_from(Team), Team, user).where(
        Team.dissolved_on.is_(None)
    )
    mediators = scope_placed(select(func.count()).select_from(Mediator), Mediator, user).where(
        Mediator.status == "active"
    )
    return {
        "teams": db.session.scalar(teams),
        "teams_not_compliant": db.session.scalar(teams.where(Team.is_compliant.is_(False))),
        "teams_supported": db.session.scalar(teams.where(Team.is_supported.is_(True))),
        "mediators": db.session.scalar(mediators),
        "mediators_trained": db.session.scalar(mediators.where(Mediator.trained_on.is_not(None))),
        "mediators_overdue": db.session.scalar(
            mediators.where(Mediator.trained_on.is_(None), Mediator.training_due < today)
        ),
    }
