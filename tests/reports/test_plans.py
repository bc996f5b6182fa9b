"""Reporting plans (targets as data, DOMAIN.md §8, §9): a plan on a unit applies to its
subtree, the nearest plan covering the year wins, the defaults fill in what it leaves out; the
service's rules; the pages (list with the defaults and their formulas, detail, create, edit)
with their refusals: 422 next to the fields, 409 on a stale form, 403 and 404."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.reports.indicators import INDICATORS
from app.reports.models import PlanTarget, ReportingPlan
from app.reports.plans import PlanError, PlanValues, create_plan, values_of
from app.reports.targets import plan_for, targets_for, targets_for_many
from app.units.models import Unit
from app.users.models import User
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint
from tests.test_static import PAGE_LIMIT, page_weight


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def unit(unit_id: int) -> Unit:
    return db.session.get(Unit, unit_id)


def user(world, role: str) -> User:
    return db.session.scalar(select(User).where(User.username == world.usernames[role]))


def values(**changes) -> PlanValues:
    base = {
        "name": "Kế hoạch của huyện",
        "document": "12/KH-UBND",
        "from_year": 2024,
        "to_year": 2030,
        "six_month_deadline": "16/6",
        "annual_deadline": "18/11",
        "targets": {"success_rate": "90"},
    }
    base.update(changes)
    return PlanValues(**base)


def form(**changes) -> dict:
    data = {
        "name": "Kế hoạch của huyện",
        "document": "12/KH-UBND",
        "from_year": "2024",
        "to_year": "2030",
        "six_month_deadline": "16/06",
        "annual_deadline": "18/11",
        "target_success_rate": "90",
    }
    data.update(changes)
    return data


def plan_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ReportingPlan))


# Inheritance


def test_a_province_plan_applies_to_its_whole_subtree(world, ctx):
    """plan1 (P1: 1 trainer per 116 teams, 5% supported) applies to P1, D1 and C1; the
    indicators it leaves out keep the defaults (a district: 1 trainer per 80 teams)."""
    for unit_id in (world.p1, world.d1, world.c1, world.v1):
        plan, source = plan_for(unit(unit_id))
        assert plan.id == world.plan1 and source.id == world.p1
        targets = targets_for(unit(unit_id))
        assert targets["trainers"] == 116
        assert targets["teams_supported"] == 5
        assert targets["success_rate"] == 85
        assert targets["mediators_trained"] == 80
    assert targets_for(unit(world.c3))["success_rate"] == 90  # P2's own plan
    assert targets_for(unit(world.c3))["teams_supported"] == 10
    assert targets_for(None) == {k: i.target for k, i in INDICATORS.items()}


def test_a_district_plan_overrides_the_province_plan_in_its_subtree_only(world, ctx):
    admin = user(world, "admin")
    create_plan(admin, unit(world.d1), values(targets={"success_rate": "92,5"}))
    db.session.commit()
    for unit_id in (world.d1, world.c1, world.c2):
        _plan, source = plan_for(unit(unit_id))
        assert source.id == world.d1
        targets = targets_for(unit(unit_id))
        assert targets["success_rate"] == Decimal("92.5")
        # Not P1's 116 and 5: the nearest plan gives its targets, the defaults the rest.
        assert targets["teams_supported"] == 10
    assert targets_for(unit(world.d1))["trainers"] == 80
    assert targets_for(unit(world.p1))["trainers"] == 116
    assert targets_for(unit(world.p1))["success_rate"] == 85


def test_many_units_get_their_targets_at_once_as_each_alone(world, ctx):
    """A dashboard's rows: a district with its own plan, the communes below it, a province
    with its own and one of its communes; the same as asking unit by unit, in two queries."""
    create_plan(user(world, "admin"), unit(world.d1), values(targets={"success_rate": "92,5"}))
    db.session.flush()
    units = [unit(i) for i in (world.p1, world.d1, world.c1, world.c2, world.p2, world.c3)]
    many = targets_for_many(units)
    assert many == {u.id: targets_for(u) for u in units}
    assert many[world.c1]["success_rate"] == Decimal("92.5")
    assert many[world.p1]["trainers"] == 116 and many[world.d1]["trainers"] == 80


def test_only_a_plan_covering_the_year_applies(world, ctx):
    admin = user(world, "admin")
    create_plan(admin, unit(world.d1), values(from_year=2020, to_year=2023))
    db.session.commit()
    assert plan_for(unit(world.c1), 2022)[1].id == world.d1
    assert plan_for(unit(world.c1), 2025)[1].id == world.p1
    assert plan_for(unit(world.c1), 2031) == (None, None)
    assert plan_for(None) == (None, None)


# The service's rules


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"from_year": None}, "from_year"),
        ({"from_year": 1899}, "from_year"),
        ({"from_year": 2030, "to_year": 2024}, "to_year"),
        ({"from_year": 2024, "to_year": 2060}, "to_year"),
        ({"six_month_deadline": "31/02"}, "six_month_deadline"),
        ({"annual_deadline": "18-nov"}, "annual_deadline"),
        ({"targets": {"success_rate": "101"}}, "target_success_rate"),
        ({"targets": {"success_rate": "-1"}}, "target_success_rate"),
        ({"targets": {"success_rate": "abc"}}, "target_success_rate"),
        ({"targets": {"trainers": "0"}}, "target_trainers"),
        ({"targets": {"trainers": "1001"}}, "target_trainers"),
        ({"document": "x" * 101}, "document"),
    ],
)
def test_a_plan_breaking_a_rule_is_refused(world, ctx, changes, field):
    before = plan_count()
    with pytest.raises(PlanError) as refused:
        create_plan(user(world, "admin"), unit(world.d1), values(**changes))
    db.session.rollback()
    assert field in {f for f, _ in refused.value.errors}
    assert plan_count() == before


def test_targets_at_the_edges_and_deadlines_are_read(world, ctx):
    plan = create_plan(
        user(world, "admin"),
        unit(world.d1),
        values(
            six_month_deadline="29/2",
            targets={"trainers": "1000", "success_rate": "0", "teams_supported": "100"},
        ),
    )
    assert (plan.six_month_day, plan.six_month_month) == (29, 2)
    assert plan.six_month_deadline == "29/02" and plan.annual_deadline == "18/11"
    assert values_of(plan).targets == {
        "trainers": "1000",
        "success_rate": "0",
        "teams_supported": "100",
    }


def test_one_plan_per_unit_and_year(world, ctx):
    admin = user(world, "admin")
    with pytest.raises(PlanError) as refused:
        create_plan(admin, unit(world.p1), values(from_year=2030, to_year=2031))
    assert refused.value.errors[0][0] == "from_year"
    db.session.rollback()
    # Other years of the same unit, or the same years of another unit, are fine.
    create_plan(admin, unit(world.p1), values(from_year=2031, to_year=2035))
    create_plan(admin, unit(world.d1), values())
    db.session.commit()


@pytest.mark.parametrize(
    ("role", "unit_name"),
    [("officer", "c1"), ("officer", "p1"), ("officer", "p2"), ("admin", "c1")],
)
def test_a_plan_belongs_to_a_province_or_district_of_the_subtree(world, ctx, role, unit_name):
    with pytest.raises(PlanError) as refused:
        create_plan(user(world, role), unit(getattr(world, unit_name)), values())
    assert refused.value.errors[0][0] == "unit"


# The pages


def test_the_list_shows_the_plans_around_the_user_and_the_defaults(world, login_as):
    page = login_as("viewer").get("/reports/plans")
    assert page.status_code == 200
    text = text_of(body(page))
    assert "Kế hoạch Đề án 315 MARKER-P1" in text  # P1's plan, above the viewer's district
    assert "MARKER-P2" not in text
    assert "Đang áp dụng cho" in text and "16/06" in text
    for indicator in INDICATORS.values():
        assert indicator.numerator in text and indicator.denominator in text
    assert "≥ 1 tập huấn viên / 100 tổ" in text and "≥ 1 tập huấn viên / 80 tổ" in text
    assert "Lập kế hoạch" not in text  # viewers do not draw up plans


def test_the_detail_shows_own_and_default_targets(world, login_as):
    page = login_as("commune_staff").get(f"/reports/plans/{world.plan1}")
    text = text_of(body(page))
    assert page.status_code == 200
    assert "≥ 1 tập huấn viên / 116 tổ" in text and "≥ 5%" in text
    assert "≥ 85% Mặc định" in text
    assert "trước ngày 18/11" in text and "59/KH-UBND" in text
    assert "Sửa kế hoạch" not in text


def test_an_officer_draws_up_a_plan_for_the_district(app, world, login_as):
    client = login_as("officer")
    page = client.get("/reports/plans/new")
    assert page.status_code == 200 and f"(#{world.d1})" in body(page)
    response = client.post("/reports/plans/new", data=form(unit=f"#{world.d1}"))
    assert response.status_code == 303
    with app.app_context():
        plan = db.session.scalar(select(ReportingPlan).where(ReportingPlan.unit_id == world.d1))
        assert (plan.from_year, plan.to_year, plan.annual_deadline) == (2024, 2030, "18/11")
        targets = db.session.execute(
            select(PlanTarget.indicator, PlanTarget.target).where(PlanTarget.plan_id == plan.id)
        ).all()
        assert targets == [("success_rate", Decimal(90))]
        assert targets_for(db.session.get(Unit, world.c1))["success_rate"] == 90
    assert response.headers["Location"].endswith(f"/reports/plans/{plan.id}")
    detail = client.get(response.headers["Location"])
    assert "Sửa kế hoạch" in body(detail)


def test_invalid_input_is_refused_next_to_the_fields(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        "/reports/plans/new",
        data=form(
            unit=f"#{world.d1}",
            from_year="20x4",
            annual_deadline="32/12",
            target_teams_supported="150",
        ),
    )
    assert response.status_code == 422
    html = body(response)
    assert 'id="from_year-error"' in html
    response = client.post(
        "/reports/plans/new",
        data=form(unit=f"#{world.d1}", annual_deadline="32/12", target_teams_supported="150"),
    )
    assert response.status_code == 422
    html = body(response)
    assert 'id="annual_deadline-error"' in html
    assert 'id="target_teams_supported-error"' in html
    response = client.post("/reports/plans/new", data=form(unit=f"#{world.c1}"))
    assert response.status_code == 422 and 'id="unit-error"' in body(response)
    assert fingerprint(app) == before


def test_editing_a_plan_saves_and_a_stale_form_gets_409(app, world, login_as):
    client = login_as("admin")
    page = client.get(f"/reports/plans/{world.plan1}/edit")
    assert page.status_code == 200 and 'value="116"' in body(page)
    data = form(
        name="Kế hoạch đã sửa",
        version="1",
        target_trainers="120",
        target_teams_supported="",
        target_success_rate="",
    )
    response = client.post(f"/reports/plans/{world.plan1}/edit", data=data)
    assert response.status_code == 303
    with app.app_context():
        plan = db.session.get(ReportingPlan, world.plan1)
        assert plan.version == 2 and plan.name == "Kế hoạch đã sửa"
        assert targets_for(db.session.get(Unit, world.c1))["trainers"] == 120
        assert targets_for(db.session.get(Unit, world.c1))["teams_supported"] == 10
    before = fingerprint(app)
    stale = client.post(f"/reports/plans/{world.plan1}/edit", data=form(name="Cũ", version="1"))
    assert stale.status_code == 409
    assert fingerprint(app) == before


def test_a_change_of_targets_alone_makes_a_new_version(app, world, login_as):
    client = login_as("admin")
    data = form(
        name="Kế hoạch Đề án 315 MARKER-P1",
        document="59/KH-UBND",
        version="1",
        target_trainers="116",
        target_teams_supported="6",
        target_success_rate="",
        note="Ghi chú Kế hoạch Đề án 315 MARKER-P1",
    )
    assert client.post(f"/reports/plans/{world.plan1}/edit", data=data).status_code == 303
    with app.app_context():
        assert db.session.get(ReportingPlan, world.plan1).version == 2


def test_refusals(world, login_as):
    officer = login_as("officer")
    refused = officer.get(f"/reports/plans/{world.plan1}/edit")
    assert refused.status_code == 403 and "đơn vị ban hành" in body(refused)
    assert officer.get(f"/reports/plans/{world.plan3}").status_code == 404
    assert officer.get("/reports/plans/999999").status_code == 404
    assert officer.get(f"/reports/plans/new?unit={world.c3}").status_code == 404
    assert officer.get("/reports/plans/new?unit=abc").status_code == 404
    assert login_as("viewer").get("/reports/plans/new").status_code == 403
    assert login_as("judge").get("/reports/plans").status_code == 403


def test_pages_are_light_and_the_list_costs_a_fixed_number_of_queries(app, world, login_as):
    client = login_as("officer")
    for url in ("/reports/plans", f"/reports/plans/{world.plan1}", "/reports/plans/new"):
        assert page_weight(client, url) <= PAGE_LIMIT
        assert len(client.get(url).get_data()) <= 15 * 1024, url
    first = count_queries(app, client, "/reports/plans")
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "quantri"))
        for year in range(2031, 2091, 5):
            create_plan(
                admin,
                db.session.get(Unit, world.d1),
                values(from_year=year, to_year=year + 4, targets={"trainers": "90"}),
            )
        db.session.commit()
    assert count_queries(app, client, "/reports/plans") == first
