"""Mediators and the legal acts of their lifecycle (DOMAIN.md §3, Law 35/2013 Art. 7-11).

Each act is a MediatorEvent with its decision (number, date on the paper, signer, optional
scanned file); the mediator's current status, role and team, and the membership periods, follow
from it. Every act ends with the affected teams' compliance recomputed.
"""

import re
from datetime import date

from flask_login import current_user
from sqlalchemy import or_, select, update

from app.clock import today
from app.extensions import db
from app.files.models import StoredFile
from app.registry.models import Mediator, MediatorEvent, Team, TeamMembership
from app.registry.rules import (
    BACKGROUND_LABELS,
    DISMISSAL_GROUNDS,
    EDUCATION_LABELS,
    SEX_LABELS,
    age_problem,
    ethnic_groups,
    training_due,
)
from app.registry.services import RegistryError
from app.registry.services.compliance import refresh_teams
from app.text import fold, given_name_first, normalize
from app.units.models import Unit

PERSONAL_FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "ethnicity_code",
    "phone",
    "occupation",
    "background",
    "education",
    "address",
    "note",
)


def digits(phone: str | None) -> str | None:
    """A phone number reduced to its digits, +84 written as 0, for duplicate checks."""
    only = re.sub(r"\D", "", phone or "")
    if only.startswith("84") and len(only) >= 11:
        only = "0" + only[2:]
    return only or None


def person_problems(values: dict) -> dict[str, str]:
    """Field -> Vietnamese message for every personal field that breaks a rule."""
    problems = {}
    if not normalize(values.get("full_name")):
        problems["full_name"] = "Nhập họ và tên."
    if values.get("sex") not in SEX_LABELS:
        problems["sex"] = "Chọn giới tính."
    age = age_problem(values.get("birth_year"), today())
    if age:
        problems["birth_year"] = age
    if values.get("ethnicity_code") not in ethnic_groups():
        problems["ethnicity_code"] = "Chọn dân tộc trong danh mục 54 dân tộc."
    if values.get("background") and values["background"] not in BACKGROUND_LABELS:
        problems["background"] = "Thành phần không có trong danh mục."
    if values.get("education") and values["education"] not in EDUCATION_LABELS:
        problems["education"] = "Trình độ không có trong danh mục."
    return problems


def check_decision(birth_year: int | None, decision_date: date | None) -> None:
    """A decision is dated between the person's birth and today."""
    if decision_date is None:
        return
    if decision_date > today():
        raise RegistryError("Ngày quyết định không được ở tương lai.", "decision_date")
    if birth_year and decision_date.year < birth_year:
        raise RegistryError("Ngày quyết định trước năm sinh của hòa giải viên.", "decision_date")


def _clean(values: dict) -> dict:
    cleaned = {key: values.get(key) for key in PERSONAL_FIELDS if key in values}
    for key in ("full_name", "phone", "occupation", "address"):
        if key in cleaned:
            cleaned[key] = normalize(cleaned[key]) or None
    for key in ("background", "education"):
        if key in cleaned:
            cleaned[key] = cleaned[key] or None
    return cleaned


def _apply_person(mediator: Mediator, values: dict) -> None:
    problems = person_problems({**_person_of(mediator), **values})
    if problems:
        field, message = next(iter(problems.items()))
        raise RegistryError(message, field)
    for key, value in _clean(values).items():
        setattr(mediator, key, value)
    mediator.name_folded = fold(mediator.full_name)
    mediator.given_name_folded = given_name_first(mediator.name_folded)
    mediator.phone_digits = digits(mediator.phone)


def _person_of(mediator: Mediator) -> dict:
    return {key: getattr(mediator, key) for key in PERSONAL_FIELDS}


def _event(mediator: Mediator, kind: str, decision: dict, **extra) -> MediatorEvent:
    check_decision(mediator.birth_year, decision.get("decision_date"))
    day = decision.get("decision_date")
    recognised = mediator.recognised_on
    if day and recognised and kind in ("move", "make_leader", "dismiss") and day < recognised:
        raise RegistryError("Ngày quyết định trước ngày công nhận hòa giải viên.", "decision_date")
    if day and kind == "reinstate" and mediator.dismissed_on and day < mediator.dismissed_on:
        raise RegistryError(
            "Ngày công nhận lại trước ngày thôi làm hòa giải viên.", "decision_date"
        )
    file: StoredFile | None = decision.get("file")
    event = MediatorEvent(
        mediator_id=mediator.id,
        kind=kind,
        decision_number=normalize(decision.get("decision_number")) or None,
        decision_date=decision.get("decision_date"),
        signer=normalize(decision.get("signer")) or None,
        note=decision.get("note") or None,
        file_id=file.id if file else None,
        recorded_by_id=current_user.id if current_user and current_user.is_authenticated else None,
        **extra,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _open_membership(mediator: Mediator, role: str, start: date | None, event: MediatorEvent):
    db.session.add(
        TeamMembership(
            mediator_id=mediator.id,
            team_id=mediator.team_id,
            role=role,
            start_date=start,
            event_id=event.id,
        )
    )


def _close_membership(mediator: Mediator, end: date | None) -> None:
    db.session.execute(
        update(TeamMembership)
        .where(TeamMembership.mediator_id == mediator.id, TeamMembership.end_date.is_(None))
        .values(end_date=end or today())
        .execution_options(synchronize_session=False)
    )


def create_mediator(*, team: Team, values: dict, decision: dict) -> Mediator:
    """Recognise a new mediator in a team (Art. 8): the record and its recognition decision."""
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
    db.session.add(mediator)
    db.session.flush()
    event = _event(mediator, "recognise", decision, team_id=team.id)
    _open_membership(mediator, "member", mediator.recognised_on, event)
    refresh_teams([team.id])
    return mediator


def update_mediator(mediator: Mediator, values: dict) -> Mediator:
    """Correct the personal record (no legal act); the team is recounted when a field its
    compliance reads (sex, ethnicity, background) changed."""
    before = (mediator.sex, mediator.ethnicity_code, mediator.background)
    _apply_person(mediator, values)
    db.session.flush()
    if (mediator.sex, mediator.ethnicity_code, mediator.background) != before:
        refresh_teams([mediator.team_id])
    return mediator


def _require_active(mediator: Mediator) -> None:
    if not mediator.is_active:
        raise RegistryError("Hòa giải viên đã thôi làm hòa giải viên.")


def move_mediator(mediator: Mediator, team: Team, decision: dict) -> Mediator:
    """Move to another team of the same commune; a leader becomes a member of the new team."""
    _require_active(mediator)
    if team.id == mediator.team_id:
        raise RegistryError("Hòa giải viên đang ở tổ này.", "team")
    if team.commune_id != mediator.commune_id:
        raise RegistryError("Chỉ chuyển sang tổ hòa giải cùng xã.", "team")
    if not team.is_active:
        raise RegistryError("Tổ hòa giải này đã giải thể.", "team")
    old_team_id = mediator.team_id
    event = _event(mediator, "move", decision, team_id=team.id, from_team_id=old_team_id)
    _close_membership(mediator, decision.get("decision_date"))
    mediator.team_id, mediator.role, mediator.unit_id = team.id, "member", team.unit_id
    _open_membership(mediator, "member", decision.get("decision_date"), event)
    db.session.flush()
    refresh_teams([old_team_id, team.id])
    return mediator


def make_leader(mediator: Mediator, decision: dict) -> Mediator:
    """Recognise as team leader (elected by > 50% of the team); the former leader steps down."""
    _require_active(mediator)
    if mediator.role == "leader":
        raise RegistryError("Hòa giải viên này đã là tổ trưởng.")
    event = _event(mediator, "make_leader", decision, team_id=mediator.team_id)
    start = decision.get("decision_date")
    former = db.session.scalars(
        select(Mediator).where(
            Mediator.team_id == mediator.team_id,
            Mediator.role == "leader",
            Mediator.id != mediator.id,
        )
    ).all()
    for leader in former:
        _close_membership(leader, start)
        leader.role = "member"
        if leader.is_active:
            _open_membership(leader, "member", start, event)
    _close_membership(mediator, start)
    mediator.role = "leader"
    _open_membership(mediator, "leader", start, event)
    db.session.flush()
    refresh_teams([mediator.team_id])
    return mediator


def dismiss_mediator(mediator: Mediator, ground: str | None, decision: dict) -> Mediator:
    """Art. 11: dismissal on one of the three legal grounds, with the chairman's decision."""
    _require_active(mediator)
    if ground not in DISMISSAL_GROUNDS:
        raise RegistryError("Chọn căn cứ thôi làm hòa giải viên (Điều 11).", "ground")
    _event(mediator, "dismiss", decision, ground=ground, team_id=mediator.team_id)
    _close_membership(mediator, decision.get("decision_date"))
    mediator.status, mediator.role = "dismissed", "member"
    mediator.dismissed_on = decision.get("decision_date")
    mediator.dismissal_number = normalize(decision.get("decision_number")) or None
    mediator.dismissal_ground = ground
    db.session.flush()
    refresh_teams([mediator.team_id])
    return mediator


def reinstate_mediator(mediator: Mediator, team: Team, decision: dict) -> Mediator:
    """Recognise a former mediator again, in a team of the same commune."""
    if mediator.is_active:
        raise RegistryError("Hòa giải viên đang hoạt động.")
    if team.commune_id != mediator.commune_id:
        raise RegistryError("Chỉ công nhận lại vào tổ hòa giải cùng xã.", "team")
    event = _event(mediator, "reinstate", decision, team_id=team.id)
    mediator.status, mediator.role = "active", "member"
    mediator.team_id, mediator.unit_id = team.id, team.unit_id
    mediator.dismissed_on = mediator.dismissal_number = mediator.dismissal_ground = None
    mediator.recognised_on = decision.get("decision_date") or mediator.recognised_on
    mediator.recognition_number = (
        normalize(decision.get("decision_number")) or mediator.recognition_number
    )
    mediator.training_due = training_due(mediator.recognised_on)
    _open_membership(mediator, "member", decision.get("decision_date"), event)
    db.session.flush()
    refresh_teams([team.id])
    return mediator


def find_duplicates(
    commune_id: int | None,
    full_name: str | None,
    birth_year: int | None,
    phone: str | None,
    exclude_id: int | None = None,
) -> list[Mediator]:
    """Mediators of the same commune with the same folded name and year, or the same phone."""
    if commune_id is None:
        return []
    conditions = []
    if normalize(full_name) and birth_year:
        conditions.append(
            (Mediator.name_folded == fold(full_name)) & (Mediator.birth_year == birth_year)
        )
    phone_key = digits(phone)
    if phone_key and len(phone_key) >= 9:
        conditions.append(Mediator.phone_digits == phone_key)
    if not conditions:
        return []
    stmt = select(Mediator).where(Mediator.commune_id == commune_id, or_(*conditions))
    if exclude_id:
        stmt = stmt.where(Mediator.id != exclude_id)
    return list(db.session.scalars(stmt.order_by(Mediator.name_folded).limit(10)))


def teams_of_commune(commune_id: int) -> list[Team]:
    """The active teams of a commune, for a choice of team."""
    return list(
        db.session.scalars(
            select(Team)
            .where(Team.commune_id == commune_id, Team.dissolved_on.is_(None))
            .order_by(Team.name_folded)
        )
    )


def commune_of(unit: Unit) -> int | None:
    """The commune id of a unit (itself when it is a commune)."""
    from app.units.models import Level
    from app.units.services import ancestors

    for u in ancestors(unit.id):
        if u.level == Level.COMMUNE:
            return u.id
    return None
