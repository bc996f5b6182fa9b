"""Applying a checked plan: all rows or none (QUALITY.md R8), in a few statements per thousand
rows (P7). The rules are those of services.mediators.create_mediator and update_mediator; they
run here in batches so that a commune's whole register is one transaction, not one per row."""

from flask_login import current_user
from sqlalchemy import func, insert, select

from app.audit.services import record_event
from app.extensions import db
from app.registry.excel.planner import Plan
from app.registry.models import Mediator, MediatorEvent, Team, TeamMembership
from app.registry.rules import training_due
from app.registry.services import RegistryError
from app.registry.services.compliance import refresh_teams
from app.registry.services.mediators import _apply_person, check_decision
from app.text import normalize

BATCH = 1000


class PlanRefused(RegistryError):
    """The plan has bad rows (or is stale): nothing is imported."""


def apply_plan(plan: Plan, source: str) -> dict[str, int]:
    """Import a checked file: update the changed mediators, recognise the new ones, recount
    their teams, and record one import event. Flushes; the route commits."""
    if plan.bad:
        raise PlanRefused(
            f"Tệp còn {len(plan.bad)} dòng lỗi: chưa nhập dòng nào. Sửa các dòng này rồi tải "
            "tệp lên lại."
        )
    teams: set[int] = set()
    for row in plan.updates:
        _apply_person(row.mediator, {key: after for key, (_, after) in row.changes.items()})
        teams.add(row.mediator.team_id)
    db.session.flush()
    created = create_mediators(
        [
            (
                row.team,
                row.values,
                {"decision_number": row.decision_number, "decision_date": row.decision_date},
            )
            for row in plan.creates
        ]
    )
    teams.update(m.team_id for m in created)
    refresh_teams(teams)
    counts = {
        "created": len(created),
        "updated": len(plan.updates),
        "unchanged": len(plan.unchanged),
    }
    if plan.has_changes:
        record_event("import", f"Nhập {source} vào {plan.commune.name}: {plan.summary(True)}.")
    return counts


def create_mediators(items: list[tuple[Team, dict, dict]]) -> list[Mediator]:
    """create_mediator for many people at once: the record, its recognition event and its
    first membership, with the same checks; the caller recounts the teams."""
    recorder = current_user.id if current_user and current_user.is_authenticated else None
    mediators = []
    for team, values, decision in items:
        if not team.is_active:
            raise RegistryError("Tổ hòa giải này đã giải thể.", "team")
        mediator = Mediator(team_id=team.id, role="member", status="active")
        _apply_person(mediator, values)
        mediator.unit_id, mediator.commune_id = team.unit_id, team.commune_id
        mediator.district_id, mediator.province_id = team.district_id, team.province_id
        check_decision(mediator.birth_year, decision.get("decision_date"))
        mediator.recognised_on = decision.get("decision_date")
        mediator.recognition_number = normalize(decision.get("decision_number")) or None
        mediator.training_due = training_due(mediator.recognised_on)
        mediators.append(mediator)
    for start in range(0, len(mediators), BATCH):
        batch = mediators[start : start + BATCH]
        _number(batch)
        db.session.add_all(batch)
        db.session.flush()
        events = [
            MediatorEvent(
                mediator_id=m.id,
                kind="recognise",
                decision_number=m.recognition_number,
                decision_date=m.recognised_on,
                team_id=m.team_id,
                recorded_by_id=recorder,
            )
            for m in batch
        ]
        _number(events)
        db.session.add_all(events)
        db.session.flush()
        db.session.execute(
            insert(TeamMembership),
            [
                {
                    "mediator_id": m.id,
                    "team_id": m.team_id,
                    "role": "member",
                    "start_date": m.recognised_on,
                    "event_id": e.id,
                }
                for m, e in zip(batch, events, strict=True)
            ],
        )
    return mediators


def _number(rows: list) -> None:
    """On PostgreSQL, give new rows their ids from the table's sequence in one query.

    The ORM then inserts them with a plain executemany (psycopg's pipeline) instead of
    INSERT … RETURNING over a thousand rows at a time, whose tens of thousands of parameters
    psycopg parses one by one: the import runs twice as fast (QUALITY.md P7). SQLite numbers
    the rows itself at no such cost.
    """
    if not rows or db.session.get_bind().dialect.name != "postgresql":
        return
    table = type(rows[0]).__table__.name
    sequence = db.session.scalar(select(func.pg_get_serial_sequence(table, "id")))
    if sequence is None:
        return
    numbers = db.session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))
    )
    for row, number in zip(rows, numbers, strict=True):
        row.id = number
