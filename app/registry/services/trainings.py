"""Trainers, training sessions and attendance."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.registry.models import Mediator, Trainer, Training, TrainingAttendance
from app.registry.rules import SEX_LABELS, TRAINER_BACKGROUNDS, TRAINING_LEVELS
from app.registry.services import RegistryError
from app.registry.services.compliance import refresh_trained
from app.text import fold, normalize
from app.units.models import Level, Unit
from app.units.services import place


def create_trainer(*, unit: Unit, full_name: str, sex: str, background: str, **fields) -> Trainer:
    """A trainer of a province or district."""
    if unit.level not in (Level.PROVINCE, Level.DISTRICT):
        raise RegistryError("Tập huấn viên thuộc cấp tỉnh hoặc cấp huyện.", "unit")
    if sex not in SEX_LABELS:
        raise RegistryError("Chọn giới tính.", "sex")
    if background not in TRAINER_BACKGROUNDS:
        raise RegistryError("Chọn thành phần.", "background")
    full_name = normalize(full_name)
    if not full_name:
        raise RegistryError("Nhập họ và tên.", "full_name")
    trainer = Trainer(
        full_name=full_name, name_folded=fold(full_name), sex=sex, background=background, **fields
    )
    place(trainer, unit)
    db.session.add(trainer)
    db.session.flush()
    return trainer


def update_trainer(trainer: Trainer, changes: dict) -> Trainer:
    changes = dict(changes)
    if "full_name" in changes:
        changes["full_name"] = normalize(changes["full_name"])
        if not changes["full_name"]:
            raise RegistryError("Nhập họ và tên.", "full_name")
        changes["name_folded"] = fold(changes["full_name"])
    for key, value in changes.items():
        setattr(trainer, key, value)
    db.session.flush()
    return trainer


def create_training(*, unit: Unit, title: str, starts_on: date, level: str, **fields) -> Training:
    """A session organised by a unit."""
    _check_training(title, starts_on, fields.get("ends_on"), level)
    title = normalize(title)
    training = Training(
        title=title, title_folded=fold(title), starts_on=starts_on, level=level, **fields
    )
    place(training, unit)
    db.session.add(training)
    db.session.flush()
    return training


def update_training(training: Training, changes: dict) -> Training:
    """Change a session; attendees' training dates follow a change of date or programme."""
    merged = {
        "title": training.title,
        "starts_on": training.starts_on,
        "ends_on": training.ends_on,
        "level": training.level,
        **changes,
    }
    _check_training(merged["title"], merged["starts_on"], merged["ends_on"], merged["level"])
    changes = dict(changes)
    if "title" in changes:
        changes["title"] = normalize(changes["title"])
        changes["title_folded"] = fold(changes["title"])
    for key, value in changes.items():
        setattr(training, key, value)
    db.session.flush()
    mediators, trainers = attendee_ids(training.id)
    refresh_trained(mediators, trainers)
    return training


def _check_training(title, starts_on, ends_on, level) -> None:
    if not normalize(title):
        raise RegistryError("Nhập nội dung tập huấn.", "title")
    if starts_on is None:
        raise RegistryError("Nhập ngày tập huấn.", "starts_on")
    if ends_on and ends_on < starts_on:
        raise RegistryError("Ngày kết thúc phải sau ngày bắt đầu.", "ends_on")
    if level not in TRAINING_LEVELS:
        raise RegistryError("Chọn cấp tổ chức.", "level")


def attendee_ids(training_id: int) -> tuple[list[int], list[int]]:
    rows = db.session.execute(
        select(TrainingAttendance.mediator_id, TrainingAttendance.trainer_id).where(
            TrainingAttendance.training_id == training_id
        )
    ).all()
    return [m for m, _ in rows if m], [t for _, t in rows if t]


def add_attendees(
    training: Training, mediator_ids: list[int] = (), trainer_ids: list[int] = ()
) -> int:
    """Add people to a session (those already there are skipped); returns how many were added."""
    have_mediators, have_trainers = attendee_ids(training.id)
    new_mediators = sorted(set(mediator_ids) - set(have_mediators))
    new_trainers = sorted(set(trainer_ids) - set(have_trainers))
    rows = [{"training_id": training.id, "mediator_id": m} for m in new_mediators] + [
        {"training_id": training.id, "trainer_id": t} for t in new_trainers
    ]
    for row in rows:
        db.session.add(TrainingAttendance(**row))
    db.session.flush()
    refresh_trained(new_mediators, new_trainers)
    return len(rows)


def remove_attendance(attendance: TrainingAttendance) -> None:
    """Take a person off a session's list."""
    mediator_id, trainer_id = attendance.mediator_id, attendance.trainer_id
    db.session.delete(attendance)
    db.session.flush()
    refresh_trained([mediator_id] if mediator_id else [], [trainer_id] if trainer_id else [])


def active_mediator_ids(team_id: int | None = None, commune_id: int | None = None) -> list[int]:
    """The active mediators of a team or a commune (bulk attendance)."""
    stmt = select(Mediator.id).where(Mediator.status == "active")
    if team_id is not None:
        stmt = stmt.where(Mediator.team_id == team_id)
    if commune_id is not None:
        stmt = stmt.where(Mediator.commune_id == commune_id)
    return list(db.session.scalars(stmt))
