"""Recomputing what lists filter on: team compliance and support, mediators' training."""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import case, func, select, update

from app.extensions import db
from app.registry.models import Mediator, Team, TeamSupport, Trainer, Training, TrainingAttendance
from app.registry.rules import KINH, LEGAL_PROFESSIONAL, issues_from_counts
from app.units.models import Unit, UnitClosure
from app.units.services import ETHNIC_AREA_HOOKS

CHUNK = 500
# Inside ``refresh_later()``, team ids to recount are collected and recounted once at the end.
_pending: ContextVar[set[int] | None] = ContextVar("pending_team_refresh", default=None)


@contextmanager
def refresh_later():
    """Batch work (imports, demo data): recount each touched team once, when the block ends."""
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    refresh_teams(pending)


def _chunks(ids: Iterable[int]):
    ids = sorted({i for i in ids if i is not None})
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh_teams(team_ids: Iterable[int]) -> None:
    """Recount members, leader, ethnic area and support of these teams, in a few queries."""
    pending = _pending.get()
    if pending is not None:
        pending.update(i for i in team_ids if i is not None)
        return
    db.session.flush()
    for chunk in _chunks(team_ids):
        counts = {
            row.team_id: row
            for row in db.session.execute(
                select(
                    Mediator.team_id,
                    func.count().label("active"),
                    func.sum(case((Mediator.sex == "F", 1), else_=0)).label("women"),
                    func.sum(case((Mediator.ethnicity_code != KINH, 1), else_=0)).label("minority"),
                    func.sum(case((Mediator.role == "leader", 1), else_=0)).label("leaders"),
                    func.sum(case((Mediator.background.in_(LEGAL_PROFESSIONAL), 1), else_=0)).label(
                        "legal"
                    ),
                )
                .where(Mediator.team_id.in_(chunk), Mediator.status == "active")
                .group_by(Mediator.team_id)
            )
        }
        ethnic = set(
            db.session.scalars(
                select(Team.id)
                .join(UnitClosure, UnitClosure.descendant_id == Team.unit_id)
                .join(Unit, Unit.id == UnitClosure.ancestor_id)
                .where(Team.id.in_(chunk), Unit.is_ethnic_minority_area.is_(True))
                .distinct()
            )
        )
        supported = set(
            db.session.scalars(
                select(TeamSupport.team_id)
                .where(TeamSupport.team_id.in_(chunk), TeamSupport.end_date.is_(None))
                .distinct()
            )
        )
        for team_id in chunk:
            row = counts.get(team_id)
            active = row.active if row else 0
            women = int(row.women or 0) if row else 0
            minority = int(row.minority or 0) if row else 0
            leader = bool(row and row.leaders)
            legal = bool(row and row.legal)
            issues = issues_from_counts(active, women, minority, leader, team_id in ethnic)
            db.session.execute(
                update(Team)
                .where(Team.id == team_id)
                .values(
                    active_count=active,
                    women_count=women,
                    minority_count=minority,
                    has_leader=leader,
                    ethnic_area=team_id in ethnic,
                    issues=issues,
                    is_compliant=issues == 0,
                    is_supported=legal or team_id in supported,
                )
                .execution_options(synchronize_session="fetch")
            )


def refresh_teams_below(unit_id: int) -> None:
    """After a unit's ethnic-minority flag changed: every team in its subtree."""
    team_ids = db.session.scalars(
        select(Team.id)
        .join(UnitClosure, UnitClosure.descendant_id == Team.unit_id)
        .where(UnitClosure.ancestor_id == unit_id)
    ).all()
    refresh_teams(team_ids)


def refresh_trained(mediator_ids: Iterable[int] = (), trainer_ids: Iterable[int] = ()) -> None:
    """A person is trained from the first framework-programme session they attended."""
    db.session.flush()
    for chunk in _chunks(mediator_ids):
        first = (
            select(func.min(Training.starts_on))
            .join(TrainingAttendance, TrainingAttendance.training_id == Training.id)
            .where(TrainingAttendance.mediator_id == Mediator.id, Training.is_framework.is_(True))
            .scalar_subquery()
        )
        db.session.execute(
            update(Mediator)
            .where(Mediator.id.in_(chunk))
            .values(trained_on=first)
            .execution_options(synchronize_session="fetch")
        )
    for chunk in _chunks(trainer_ids):
        first = (
            select(func.min(Training.starts_on))
            .join(TrainingAttendance, TrainingAttendance.training_id == Training.id)
            .where(TrainingAttendance.trainer_id == Trainer.id, Training.is_framework.is_(True))
            .scalar_subquery()
        )
        db.session.execute(
            update(Trainer)
            .where(Trainer.id.in_(chunk))
            .values(trained_on=first)
            .execution_options(synchronize_session="fetch")
        )


def _on_ethnic_area_changed(unit) -> None:
    refresh_teams_below(unit.id)


ETHNIC_AREA_HOOKS.append(_on_ethnic_area_changed)
