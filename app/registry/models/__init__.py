"""Registry models: teams, mediators and their history, supporters, trainers, trainings."""

from app.registry.models.mediators import Mediator, MediatorEvent, TeamMembership
from app.registry.models.teams import Supporter, Team, TeamSupport
from app.registry.models.trainings import Trainer, Training, TrainingAttendance

__all__ = [
    "Mediator",
    "MediatorEvent",
    "Supporter",
    "Team",
    "TeamMembership",
    "TeamSupport",
    "Trainer",
    "Training",
    "TrainingAttendance",
]
