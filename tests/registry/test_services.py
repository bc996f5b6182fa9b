"""Registry services: the lifecycle of a mediator and what it does to the team."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.registry.models import Mediator, MediatorEvent, Team, TeamMembership
from app.registry.services import RegistryError
from app.registry.services.mediators import (
    create_mediator,
    dismiss_mediator,
    find_duplicates,
    make_leader,
    move_mediator,
    reinstate_mediator,
    update_mediator,
)
from app.registry.services.teams import create_team
from app.registry.services.trainings import (
    add_attendees,
    create_training,
    remove_attendance,
    update_training,
)
from app.units.models import Unit
from app.units.services import update_unit

DECISION = {"decision_number": "12/QĐ-UBND", "decision_date": date(2025, 3, 1)}


def person(name, sex="M", year=1975, ethnicity="08", **extra):
    return {"full_name": name, "sex": sex, "birth_year": year, "ethnicity_code": ethnicity, **extra}


@pytest.fixture
def team(ctx, world):
    t = create_team(unit=db.session.get(Unit, world.v1), name="Tổ Thử")
    db.session.commit()
    return t


def issues(team_id):
    db.session.expire_all()
    return db.session.get(Team, team_id).issue_labels


def test_a_team_fills_up_and_becomes_compliant(team):
    assert "Chưa đủ 3 hòa giải viên đang hoạt động" in issues(team.id)
    a = create_mediator(team=team, values=person("Giàng A Páo"), decision=DECISION)
    create_mediator(team=team, values=person("Vàng A Dính"), decision=DECISION)
    assert issues(team.id) == [
        "Chưa đủ 3 hòa giải viên đang hoạt động",
        "Thiếu hòa giải viên nữ",
        "Chưa có tổ trưởng được công nhận",
    ]
    mai = create_mediator(team=team, values=person("Sùng Thị Mai", sex="F"), decision=DECISION)
    make_leader(a, DECISION)
    assert issues(team.id) == []
    dismiss_mediator(mai, "own_wish", DECISION)
    assert issues(team.id) == [
        "Chưa đủ 3 hòa giải viên đang hoạt động",
        "Thiếu hòa giải viên nữ",
    ]


def test_ethnic_area_flag_changes_the_rule(team, world):
    for name in ("Nguyễn Văn Đức", "Trần Văn Bình"):
        create_mediator(team=team, values=person(name, ethnicity="01"), decision=DECISION)
    leader = create_mediator(
        team=team, values=person("Trần Thị Thu Hà", sex="F", ethnicity="01"), decision=DECISION
    )
    make_leader(leader, DECISION)
    assert issues(team.id) == []
    update_unit(db.session.get(Unit, world.c1), {"is_ethnic_minority_area": True})
    assert issues(team.id) == ["Thiếu hòa giải viên là người dân tộc thiểu số (vùng đồng bào DTTS)"]


def test_history_of_a_mediator(team, world):
    other = create_team(unit=db.session.get(Unit, world.v1), name="Tổ Khác")
    m = create_mediator(team=team, values=person("Lý A Sử"), decision=DECISION)
    make_leader(m, {**DECISION, "decision_date": date(2025, 4, 1)})
    move_mediator(m, other, {**DECISION, "decision_date": date(2025, 5, 1)})
    dismiss_mediator(m, "no_longer_eligible", {**DECISION, "decision_date": date(2025, 6, 1)})
    reinstate_mediator(m, team, {**DECISION, "decision_date": date(2025, 7, 1)})
    kinds = db.session.scalars(
        select(MediatorEvent.kind)
        .where(MediatorEvent.mediator_id == m.id)
        .order_by(MediatorEvent.id)
    ).all()
    assert kinds == ["recognise", "make_leader", "move", "dismiss", "reinstate"]
    periods = db.session.execute(
        select(
            TeamMembership.team_id,
            TeamMembership.role,
            TeamMembership.start_date,
            TeamMembership.end_date,
        )
        .where(TeamMembership.mediator_id == m.id)
        .order_by(TeamMembership.id)
    ).all()
    assert periods == [
        (team.id, "member", date(2025, 3, 1), date(2025, 4, 1)),
        (team.id, "leader", date(2025, 4, 1), date(2025, 5, 1)),
        (other.id, "member", date(2025, 5, 1), date(2025, 6, 1)),
        (team.id, "member", date(2025, 7, 1), None),
    ]
    assert m.is_active and m.team_id == team.id and m.role == "member"


def test_a_new_leader_replaces_the_old_one(team):
    a = create_mediator(team=team, values=person("Giàng A Páo"), decision=DECISION)
    b = create_mediator(team=team, values=person("Mùa A Chư"), decision=DECISION)
    make_leader(a, DECISION)
    make_leader(b, DECISION)
    assert (a.role, b.role) == ("member", "leader")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (person("X", year=2030), "birth_year"),
        (person("X", year=2015), "birth_year"),
        (person("", year=1970), "full_name"),
        (person("X", ethnicity="99"), "ethnicity_code"),
        (person("X", sex="?"), "sex"),
    ],
)
def test_bad_personal_data_is_refused(team, values, field):
    with pytest.raises(RegistryError) as error:
        create_mediator(team=team, values=values, decision=DECISION)
    assert error.value.field == field


def test_decision_dates(team):
    with pytest.raises(RegistryError, match="trước năm sinh"):
        create_mediator(
            team=team,
            values=person("X", year=1990),
            decision={"decision_date": date(1985, 1, 1)},
        )
    with pytest.raises(RegistryError, match="tương lai"):
        create_mediator(team=team, values=person("X"), decision={"decision_date": date(2099, 1, 1)})


def test_dismissal_needs_a_legal_ground(team):
    m = create_mediator(team=team, values=person("Thào Thị Dợ", sex="F"), decision=DECISION)
    with pytest.raises(RegistryError) as error:
        dismiss_mediator(m, None, DECISION)
    assert error.value.field == "ground"


def test_moving_to_another_commune_is_refused(team, world):
    m = create_mediator(team=team, values=person("Lò Văn Thanh", ethnicity="03"), decision=DECISION)
    elsewhere = db.session.get(Team, world.team3)
    with pytest.raises(RegistryError, match="cùng xã"):
        move_mediator(m, elsewhere, DECISION)


def test_duplicates_in_the_same_commune(team, world):
    create_mediator(
        team=team,
        values=person("Pờ Thị Lan", sex="F", year=1980, phone="0912 345 678"),
        decision=DECISION,
    )
    db.session.flush()
    commune = world.c1
    assert [m.full_name for m in find_duplicates(commune, "PO THI LAN", 1980, None)] == [
        "Pờ Thị Lan"
    ]
    assert find_duplicates(commune, "Pờ Thị Lan", 1981, None) == []
    assert len(find_duplicates(commune, "Ai Đó", 1990, "+84 912345678")) == 1
    assert find_duplicates(world.c3, "Pờ Thị Lan", 1980, None) == []


def test_training_makes_a_mediator_trained(team, world):
    m = create_mediator(team=team, values=person("Chu Thị Dé", sex="F"), decision=DECISION)
    assert m.training_due == date(2025, 9, 1)
    unit = db.session.get(Unit, world.d1)
    other = create_training(
        unit=unit,
        title="Kỹ năng khác",
        starts_on=date(2025, 4, 1),
        level="district",
        is_framework=False,
    )
    add_attendees(other, mediator_ids=[m.id])
    assert db.session.get(Mediator, m.id).trained_on is None
    framework = create_training(
        unit=unit, title="Chương trình khung", starts_on=date(2025, 5, 2), level="district"
    )
    add_attendees(framework, mediator_ids=[m.id])
    db.session.expire_all()
    assert db.session.get(Mediator, m.id).trained_on == date(2025, 5, 2)
    update_training(framework, {"starts_on": date(2025, 5, 20)})
    db.session.expire_all()
    assert db.session.get(Mediator, m.id).trained_on == date(2025, 5, 20)
    from app.registry.models import TrainingAttendance

    attendance = db.session.scalar(
        select(TrainingAttendance).where(TrainingAttendance.training_id == framework.id)
    )
    remove_attendance(attendance)
    db.session.expire_all()
    assert db.session.get(Mediator, m.id).trained_on is None


def test_updating_a_person_recounts_the_team(team):
    members = [
        create_mediator(team=team, values=person(n), decision=DECISION)
        for n in ("A Một", "B Hai", "C Ba")
    ]
    make_leader(members[0], DECISION)
    assert "Thiếu hòa giải viên nữ" in issues(team.id)
    update_mediator(members[1], {"sex": "F"})
    assert issues(team.id) == []
