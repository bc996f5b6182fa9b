"""The dashboard (app/reports/dashboard.py, app/reports/routes/dashboard.py): a unit's
indicators against their targets, the trend, the sub-units worst first, what needs attention;
scope, page and fragments, a fixed number of queries and a light page (QUALITY.md P3, P8)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.logbook.models import LogbookCount, LogbookEntry
from app.pilots.models import Checklist, ChecklistItem
from app.registry.models import Mediator, Team
from app.reports.dashboard import attention, drill_rows, success_trend, unit_readings
from app.reports.indicators import BEHIND, MET, Value, sub_units
from app.security.scope import placed_under
from app.units.models import Level, Unit
from tests.queries import count_queries
from tests.test_static import PAGE_LIMIT, page_weight

URL = "/reports/"
FRAGMENT_LIMIT = 15 * 1024
# The page's own HTML: its assets take the rest of the 100 KB (QUALITY.md P8).
PAGE_HTML_LIMIT = 17 * 1024


@pytest.fixture
def many_communes(world, make_unit):
    """50 more communes under D1 (52 in all: more than a page of the drill-down)."""
    return [make_unit("xa", f"Xã Sín Thầu Mường Nhé số {n:02d}", world.d1) for n in range(50)]


def _direct(unit: Unit) -> dict[str, Value]:
    """The world's numbers counted straight from the records, not through measure()."""
    teams = (
        select(func.count())
        .select_from(Team)
        .where(placed_under(Team, unit), Team.dissolved_on.is_(None))
    )
    entries = (
        select(func.count())
        .select_from(LogbookEntry)
        .where(
            placed_under(LogbookEntry, unit),
            LogbookEntry.received_on.between(date(2025, 1, 1), date(2025, 12, 31)),
        )
    )
    won = db.session.scalar(entries.where(LogbookEntry.result == "successful"))
    lost = db.session.scalar(entries.where(LogbookEntry.result == "failed"))
    return {
        "teams_compliant": Value(
            db.session.scalar(teams.where(Team.is_compliant.is_(True))), db.session.scalar(teams)
        ),
        "teams_supported": Value(
            db.session.scalar(teams.where(Team.is_supported.is_(True))), db.session.scalar(teams)
        ),
        "success_rate": Value(won, won + lost),
    }


def test_the_units_values_equal_the_records_and_are_judged(world, ctx):
    d1 = db.session.get(Unit, world.d1)
    readings = unit_readings(d1, 2025, [])
    for key, value in _direct(d1).items():
        assert readings[key].value == value, key
    assert readings["success_rate"].value == Value(2, 4)
    assert readings["teams_compliant"].status == BEHIND
    assert readings["teams_supported"].status == MET
    assert readings["success_rate"].status == BEHIND
    assert readings["trainers"].value == Value(1, 2)


def test_the_country_sums_its_provinces(world, ctx):
    provinces = sub_units(None)
    readings = unit_readings(None, 2025, provinces)
    p1, p2 = (db.session.get(Unit, i) for i in (world.p1, world.p2))
    for key in ("teams_compliant", "teams_supported", "success_rate"):
        a, b = _direct(p1)[key], _direct(p2)[key]
        assert readings[key].value == Value(
            a.numerator + b.numerator, a.denominator + b.denominator
        )
    assert readings["success_rate"].value == Value(3, 6)


def test_the_trend_is_the_success_rate_by_year(world, ctx):
    d1 = db.session.get(Unit, world.d1)
    assert success_trend(d1, 2025, []) == [
        (2023, Value(0, 0)),
        (2024, Value(0, 0)),
        (2025, Value(2, 4)),
    ]
    assert success_trend(None, 2026, sub_units(None))[1] == (2025, Value(3, 6))


def test_the_sub_units_come_worst_first(world, ctx):
    """C2's mediator trained, C1's not: on that indicator C1 (behind) comes before C2 (met),
    though C2 comes first by name."""
    db.session.get(Mediator, world.mediator2).trained_on = date(2025, 5, 10)
    db.session.flush()
    communes = sub_units(db.session.get(Unit, world.d1))
    assert [u.id for u in communes] == [world.c2, world.c1]
    rows = drill_rows(communes, 2025, "mediators_trained")
    assert [r.unit.id for r in rows] == [world.c1, world.c2]
    assert [r.readings["mediators_trained"].status for r in rows] == [BEHIND, MET]


def test_the_officer_sees_the_district_with_words_targets_and_attention(world, login_as, ctx):
    body = login_as("officer").get(f"{URL}?unit={world.d1}&year=2025").get_data(as_text=True)
    assert "Tổ hòa giải đủ số lượng, thành phần" in body
    assert "2 vụ việc hòa giải thành<br>÷ 4 vụ việc đã kết thúc" in body
    assert "Mục tiêu: ≥ 85% · năm 2025" in body
    assert "Chưa đạt" in body and "Đạt</span>" in body
    assert "50%</span> (2 thành / 4 vụ việc kết thúc)" in body
    assert "<svg" in body and 'class="chart-target"' in body
    assert f"/registry/teams/?compliance=no&amp;unit={world.d1}" in body
    assert f"/registry/mediators/?overdue=1&amp;unit={world.d1}" in body
    assert f"/pilots/?overdue=1&amp;unit={world.d1}" in body
    assert f"/logbook/rates?unit={world.c1}" in body, "C1 is below the target (50%)"
    assert f'{URL}?unit={world.c1}&amp;year=2025"' in body, "drill down to C1"
    overdue_items = db.session.scalar(
        select(func.count())
        .select_from(ChecklistItem)
        .join(Checklist)
        .where(
            Checklist.district_id == world.d1,
            Checklist.status != "signed_off",
            ChecklistItem.due_on < date.today(),
            ChecklistItem.progress != "done",
        )
    )
    assert f"<strong>{overdue_items}</strong> việc chỉ đạo điểm quá hạn" in body
    assert "<strong>2</strong> tổ hòa giải chưa đủ" in body
    assert "<strong>2</strong> hòa giải viên quá hạn" in body
    assert "MARKER-P2" not in body and "MARKER-C3" not in body and "PARTY-" not in body


def test_defaults_scope_and_bad_input(world, login_as):
    officer = login_as("officer")
    page = officer.get(URL)
    assert page.status_code == 200 and "MARKER-D1" in page.get_data(as_text=True)
    assert "MARKER-P2" not in page.get_data(as_text=True)
    assert page.headers["Vary"] == "HX-Request" or "HX-Request" in page.headers["Vary"]
    for unit in (world.p2, world.c3, 999999, "abc", "-1"):
        assert officer.get(f"{URL}?unit={unit}").status_code == 404, unit
    odd = officer.get(f"{URL}?year=abc&indicator=zzz&after=x")
    assert odd.status_code == 200
    assert 'aria-sort="ascending"><a href="/reports/?indicator=teams_compliant' in odd.get_data(
        as_text=True
    )
    staff = login_as("commune_staff")
    assert staff.get(URL).status_code == 200
    assert staff.get(f"{URL}?unit={world.d1}").status_code == 404
    assert login_as("judge").get(URL).status_code == 403
    admin = login_as("admin").get(URL).get_data(as_text=True)
    assert "MARKER-P1" in admin and "MARKER-P2" in admin, "the country: both provinces"


def test_page_and_fragments(world, login_as):
    client = login_as("officer")
    url = f"{URL}?unit={world.d1}&year=2025&indicator=success_rate"
    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and 'id="dash-results"' in page
    results = client.get(url, htmx=True)
    body = results.get_data(as_text=True)
    assert results.status_code == 200 and "<html" not in body
    assert "Cần chú ý" in body and 'id="dash-drill"' in body
    drill = client.get(url, htmx="dash-drill").get_data(as_text=True)
    assert "<html" not in drill and "Cần chú ý" not in drill and "MARKER-C1" in drill
    assert 'aria-sort="ascending"><a href="/reports/?indicator=success_rate' in drill


def test_more_rows_and_sizes(world, login_as, many_communes):
    client = login_as("officer")
    url = f"{URL}?unit={world.d1}&year=2025"
    page = client.get(url).get_data(as_text=True)
    assert "Xem tiếp" in page and 'id="drill-rows-more"' in page
    assert page.count(f"{URL}?unit=") - page.count(f"{URL}?unit={world.d1}") <= 25
    assert len(page.encode()) <= PAGE_HTML_LIMIT, len(page.encode())
    # Room for the area's stylesheet (static/css/reports.css), merged later.
    assert page_weight(client, url) + 4 * 1024 <= PAGE_LIMIT
    for target in (True, "dash-drill"):
        assert len(client.get(url, htmx=target).get_data()) <= FRAGMENT_LIMIT, target
    more = client.get(f"{url}&after=40", htmx="drill-rows-more").get_data(as_text=True)
    assert "<tr>" in more and "Xem tiếp" not in more and "<table" not in more
    assert more.count("<tr>") == 52 - 40


def test_a_fixed_number_of_queries(app, world, login_as, make_unit):
    client = login_as("officer")
    urls = [f"{URL}?unit={world.d1}&year=2025", f"{URL}?unit={world.c1}"]
    few = [count_queries(app, client, u) for u in urls]
    fragment = count_queries(app, client, urls[0], htmx="dash-drill")
    for n in range(12):
        make_unit("xa", f"Xã Thêm {n:02d}", world.d1)
    assert [count_queries(app, client, u) for u in urls] == few
    assert count_queries(app, client, urls[0], htmx="dash-drill") == fragment


def test_a_pilot_commune_at_90_percent_is_below_its_own_target(world, ctx):
    """C1 is a pilot (the world's checklist1): 9 of its 10 cases of 2025 successful is 90%,
    above the district's 85% but not above the pilot's 90%; a commune is named for it."""
    db.session.add(
        LogbookCount(
            unit_id=world.c1,
            level=int(Level.COMMUNE),
            province_id=world.p1,
            district_id=world.d1,
            month=date(2025, 4, 1),
            result="successful",
            cases=8,
        )
    )
    db.session.flush()
    found = attention(db.session.get(Unit, world.d1), 2025, date(2026, 11, 22), Decimal(85))
    named = {commune.id: value for commune, value in found.communes_below}
    assert named[world.c1] == Value(9, 10)
