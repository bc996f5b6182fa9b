"""Criteria computed from live data (DOMAIN.md §7): the registry and the logbook as they are,
for many communes in a fixed number of queries."""

from datetime import date
from decimal import Decimal

from sqlalchemy import event

from app.extensions import db
from app.pilots.formulas import FORMULAS, compute
from app.registry.models import Team
from app.registry.services.mediators import create_mediator, make_leader

WINDOW = (date(2024, 1, 1), date(2026, 11, 22))


def measure(world, key, commune="c1"):
    commune_id = getattr(world, commune)
    return compute([key], {commune_id: WINDOW})[(commune_id, key)]


def test_the_world_measured(world, ctx):
    """C1: one team of one mediator (not compliant, supported by a lawyer, not trained,
    recognised 01/03/2024); a successful and a failed case in 2025, the failed one paid 147
    days after it ended, the other not paid."""
    compliant = measure(world, "teams_compliant")
    assert (compliant.value, compliant.note) == (Decimal("0.0"), "0/1 tổ")
    assert measure(world, "teams_supported").value == 1
    assert measure(world, "mediators_trained").value == 0
    assert measure(world, "new_mediators_trained").note == "0/1 hòa giải viên mới"
    rate = measure(world, "success_rate")
    assert (rate.value, rate.note) == (Decimal("50.0"), "1/2 vụ việc")
    assert measure(world, "logbooks_kept").value == 100
    assert measure(world, "remuneration_on_time").note == "0/2 vụ việc"


def test_a_team_made_compliant_in_the_registry_shows_at_once(world, ctx):
    team = db.session.get(Team, world.team1)
    decision = {"decision_number": "05/QĐ-UBND", "decision_date": date(2025, 1, 6)}
    for name, sex in (("Sùng A Chư", "M"), ("Lò Văn Thanh", "M")):
        leader = create_mediator(
            team=team,
            values={"full_name": name, "sex": sex, "birth_year": 1975, "ethnicity_code": "08"},
            decision=decision,
        )
    make_leader(leader, decision)
    db.session.flush()
    compliant = measure(world, "teams_compliant")
    assert (compliant.value, compliant.note) == (Decimal("100.0"), "1/1 tổ")


def test_nothing_to_count_is_not_a_zero(world, ctx):
    empty = compute(["success_rate", "new_mediators_trained"], {world.v1: WINDOW})
    assert empty[(world.v1, "success_rate")].value is None
    assert not empty[(world.v1, "success_rate")].met_if_empty
    assert empty[(world.v1, "new_mediators_trained")].met_if_empty, "nobody is late"


def test_many_communes_cost_the_same_queries_as_one(world, app, ctx):
    seen = []

    def record(*args):
        seen.append(args[2])

    compute(FORMULAS, {world.c2: WINDOW})
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        compute(FORMULAS, {world.c1: WINDOW})
        one = len(seen)
        seen.clear()
        compute(FORMULAS, {world.c1: WINDOW, world.c2: WINDOW, world.c3: WINDOW})
        many = len(seen)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert one == many
