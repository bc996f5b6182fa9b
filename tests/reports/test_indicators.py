"""The indicators of Decision 315 computed for the sub-units of a unit, and judged."""

from datetime import date
from decimal import Decimal

from sqlalchemy import event

from app.extensions import db
from app.reports.indicators import (
    BEHIND,
    CLOSE,
    INDICATORS,
    MET,
    Value,
    default_target,
    judge,
    measure,
    sub_units,
)
from app.units.models import Level, Unit

YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def test_a_district_measured_from_the_world(world, ctx):
    """D1: teams 1 and 2 (one mediator each, not compliant, each supported by a lawyer), its
    trainer (trained at a framework session, no materials yet), two cases per commune in 2025
    (one successful)."""
    (d1,) = sub_units(db.session.get(Unit, world.p1))
    values = measure([d1], *YEAR_2025)[d1.id]
    assert values["teams_compliant"] == Value(0, 2)
    assert values["teams_supported"] == Value(2, 2)
    assert values["mediators_trained"] == Value(0, 2)
    assert values["new_mediators_trained"] == Value(0, 2)
    assert values["success_rate"] == Value(2, 4)
    assert values["success_rate"].share() == Decimal("50.0")
    assert values["trainers"] == Value(1, 2)
    assert values["trainers_trained"] == Value(0, 1)


def test_communes_have_no_trainer_indicators_and_the_country_sums_its_provinces(world, ctx):
    communes = sub_units(db.session.get(Unit, world.d1))
    assert {c.id for c in communes} == {world.c1, world.c2}
    values = measure(communes, *YEAR_2025)
    assert all("trainers" not in v for v in values.values())
    assert values[world.c1]["success_rate"] == Value(1, 2)
    provinces = sub_units(None)
    country = measure(provinces, *YEAR_2025)
    assert {u.id for u in provinces} == {world.p1, world.p2}
    assert country[world.p1]["teams_compliant"].denominator == 2
    assert country[world.p2]["success_rate"] == Value(1, 2)


def test_the_query_count_does_not_grow_with_the_units(world, ctx):
    seen = []

    def record(*args):
        seen.append(args[2])

    provinces = sub_units(None)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        measure(provinces[:1], *YEAR_2025)
        one = len(seen)
        seen.clear()
        measure(provinces, *YEAR_2025)
        many = len(seen)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert one == many == 4


def test_shares_are_met_close_or_behind():
    compliant = INDICATORS["teams_compliant"]
    assert judge(compliant, Value(10, 10)) == MET
    assert judge(compliant, Value(96, 100)) == CLOSE
    assert judge(compliant, Value(94, 100)) == BEHIND
    assert judge(compliant, Value(0, 0)) is None
    supported = INDICATORS["teams_supported"]
    assert judge(supported, Value(6, 116), Decimal(5)) == MET, "Mường Nhé's own 5%"
    assert judge(supported, Value(6, 116)) == BEHIND


def test_trainers_cover_their_teams_by_the_level_of_the_unit():
    trainers = INDICATORS["trainers"]
    assert default_target(trainers, Level.DISTRICT) == 80
    assert default_target(trainers, Level.PROVINCE) == 100
    assert judge(trainers, Value(1, 116), Decimal(116)) == MET, "Mường Nhé: 1 per 116"
    assert judge(trainers, Value(1, 116), Decimal(80)) == BEHIND
    assert judge(trainers, Value(1, 95), Decimal(80)) == CLOSE
    assert judge(trainers, Value(2, 116), Decimal(80)) == MET
    assert judge(trainers, Value(0, 0), Decimal(80)) is None


def test_targets_read_in_words():
    assert INDICATORS["success_rate"].target_label() == "≥ 85%"
    assert INDICATORS["trainers"].target_label(Decimal(116)) == "≥ 1 tập huấn viên / 116 tổ"
