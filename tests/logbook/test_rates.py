"""Success rates: the arithmetic and the targets, counts for any period at every level, the
rates page with its drill-down, and the rate on the team, unit and home pages."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.clock import today
from app.extensions import db
from app.logbook import queries
from app.logbook.models import LogbookEntry
from app.logbook.rules import (
    DEFAULT_TARGET,
    ENDED,
    FIVE_GOOD,
    PILOT_COMMUNE_TARGET,
    Party,
    Tally,
    target_for,
)
from app.logbook.services import EntryValues, create_entry
from app.registry.models import Mediator, Team
from app.registry.services.mediators import create_mediator
from app.registry.services.teams import create_team
from app.units.models import Unit
from app.units.services import create_unit
from tests.conftest import backend
from tests.queries import count_queries

DECISION = {"decision_number": "12/QĐ-UBND", "decision_date": date(2020, 3, 1)}


def body(response) -> str:
    return response.get_data(as_text=True)


def plain(html: str) -> str:
    """The text of a page with its tags and repeated spaces removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def cells(html: str, name: str) -> list[str]:
    """The cells of the table row whose header names ``name``."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if name in row:
            return [plain(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    raise AssertionError(f"no row for {name}")


@pytest.fixture
def add_cases(app):
    """add_cases(team_id, day, "successful", "failed", ..., mediators=None): cases received on
    ``day`` ("stopped" is a failed case a party asked to stop)."""

    def _add(team_id, day, *results, mediators=None, scope="civil"):
        with app.app_context():
            team = db.session.get(Team, team_id)
            if mediators is None:
                mediators = list(
                    db.session.scalars(select(Mediator.id).where(Mediator.team_id == team_id))
                )[:1]
            ids = []
            for result in results:
                stopped = result == "stopped"
                result = "failed" if stopped else result
                ended = result in ENDED
                entry = create_entry(
                    team,
                    EntryValues(
                        received_on=day,
                        started_on=day if result != "pending" else None,
                        ended_on=day if ended else None,
                        content="Tranh chấp lối đi chung",
                        scope=scope,
                        result=result,
                        stop_requested=stopped,
                        agreement="Hai bên mở lại lối đi." if result == "successful" else None,
                        parties=[
                            Party("Thào Thị Dợ", 38, "Bản Nậm Vì"),
                            Party("Mùa A Chư", 41, None),
                        ],
                        mediator_ids=list(mediators),
                    ),
                )
                ids.append(entry.id)
            db.session.commit()
            return ids

    return _add


@pytest.fixture
def add_team(app):
    """add_team(unit_id, name) -> (team id, mediator id): a team with one mediator."""

    def _add(unit_id, name):
        with app.app_context():
            team = create_team(unit=db.session.get(Unit, unit_id), name=name)
            mediator = create_mediator(
                team=team,
                values={
                    "full_name": f"Lò Văn Thanh {name}",
                    "sex": "M",
                    "birth_year": 1970,
                    "ethnicity_code": "03",
                },
                decision=DECISION,
            )
            db.session.commit()
            return team.id, mediator.id

    return _add


def make_pilot(app, unit_id):
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        unit.pilot_level, unit.pilot_start_year = "province", 2024
        db.session.commit()


# The arithmetic (DOMAIN.md §4, §8)


def test_rate_is_successful_over_ended_rounded_half_up():
    assert Tally(successful=2, failed=1, in_progress=7).rate == Decimal("66.7")
    assert Tally(successful=49, failed=351).rate == Decimal("12.3")  # 12.25: half up
    assert Tally(successful=1, failed=15).rate == Decimal("6.3")  # 6.25
    assert Tally(successful=5, failed=1).rate == Decimal("83.3")
    assert Tally(successful=3, failed=0, pending=4).rate == Decimal(100)
    assert Tally(in_progress=3, pending=1).rate is None
    assert Tally(successful=2, failed=2, in_progress=1, pending=3).received == 8


def test_fewer_than_five_ended_cases_are_not_judged():
    four = Tally(successful=4, in_progress=10)
    assert four.rate == Decimal(100) and not four.reliable
    for target in (DEFAULT_TARGET, PILOT_COMMUNE_TARGET, FIVE_GOOD):
        assert target.judge(four) is None
    assert DEFAULT_TARGET.judge(Tally(successful=5)) is True


def test_targets_of_decision_315_and_the_five_good_team():
    assert target_for(False) is DEFAULT_TARGET and target_for(True) is PILOT_COMMUNE_TARGET
    assert DEFAULT_TARGET.judge(Tally(successful=17, failed=3)) is True  # 85% reaches ≥ 85%
    assert DEFAULT_TARGET.judge(Tally(successful=84, failed=16)) is False
    assert PILOT_COMMUNE_TARGET.judge(Tally(successful=9, failed=1)) is False  # 90% is not > 90%
    assert PILOT_COMMUNE_TARGET.judge(Tally(successful=91, failed=9)) is True
    assert FIVE_GOOD.judge(Tally(successful=4, failed=1)) is True  # 80% reaches ≥ 80%
    assert FIVE_GOOD.judge(Tally(successful=79, failed=21)) is False


# Counts for a period, at every level, on both databases


@pytest.fixture
def cases_2024(world, add_cases):
    """2024 cases in C1 (team1), C2 (team2) and C3 (team3, other province), and cases just
    outside the year that must not count."""
    add_cases(world.team1, date(2024, 1, 1), "successful", "successful", "successful", "failed")
    add_cases(world.team1, date(2024, 7, 15), "pending", "stopped")
    add_cases(world.team1, date(2023, 12, 31), "successful", "successful")
    add_cases(world.team2, date(2024, 6, 30), "failed", "in_progress")
    add_cases(world.team3, date(2024, 12, 31), "successful", "successful", "successful")
    add_cases(world.team3, date(2025, 1, 1), "failed")


def test_counts_for_a_period_at_every_level(app, world, cases_2024):
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    with app.app_context():
        units = {u.id: u for u in db.session.scalars(select(Unit))}
        assert queries.team_tally(world.team1, start, end) == Tally(3, 2, 0, 1)
        assert queries.unit_tally(units[world.v1], start, end) == Tally(3, 2, 0, 1)
        assert queries.unit_tally(units[world.c1], start, end) == Tally(3, 2, 0, 1)
        assert queries.unit_tally(units[world.c2], start, end) == Tally(0, 1, 1, 0)
        assert queries.unit_tally(units[world.d1], start, end) == Tally(3, 3, 1, 1)
        assert queries.unit_tally(units[world.p1], start, end) == Tally(3, 3, 1, 1)
        assert queries.unit_tally(units[world.p2], start, end) == Tally(3, 0, 0, 0)
        assert queries.unit_tally(None, start, end) == Tally(6, 3, 1, 1)
        half = queries.child_tallies(units[world.d1], 3, start, date(2024, 6, 30))
        assert half == {world.c1: Tally(3, 1, 0, 0), world.c2: Tally(0, 1, 1, 0)}
        by_province = queries.child_tallies(None, 1, start, end)
        assert by_province == {world.p1: Tally(3, 3, 1, 1), world.p2: Tally(3, 0, 0, 0)}
        teams = queries.team_tallies([world.team1, world.team2], start, end)
        assert teams == {world.team1: Tally(3, 2, 0, 1), world.team2: Tally(0, 1, 1, 0)}


# The rates page


def test_rates_page_shows_the_unit_and_its_communes(world, cases_2024, login_as):
    html = body(login_as("officer").get("/logbook/rates?period=year&year=2024"))
    assert "Huyện Beta MARKER-D1" in html and "Năm 2024" in html
    assert cells(html, "Xã Gamma MARKER-C1</a>")[1:] == ["6", "3", "2", "0", "1", "60% Chưa đạt"]
    assert cells(html, "Xã Epsilon MARKER-C2</a>")[1:] == [
        "2",
        "0",
        "1",
        "1",
        "0",
        "0% Chưa đủ 5 vụ",
    ]
    assert cells(html, "Tổng Huyện Beta")[1:] == ["8", "3", "3", "1", "1", "50% Chưa đạt"]
    assert f'href="/logbook/rates?unit={world.c1}&amp;period=year&amp;year=2024"' in html
    assert "MARKER-C3" not in html and "PARTY-" not in html and "Thào Thị Dợ" not in html
    assert 'role="img"' in html and "<title" in html, "the chart is an accessible image"


def test_drill_down_to_a_commune_lists_its_teams_with_the_five_good_criterion(
    world, cases_2024, login_as
):
    client = login_as("officer")
    html = body(client.get(f"/logbook/rates?unit={world.c1}&period=year&year=2024"))
    row = cells(html, "Tổ hòa giải Bản Delta MARKER-V1")
    assert row[1:7] == ["6", "3", "2", "0", "1", "60% Chưa đạt"]
    assert row[7] == "Chưa đạt", "5-good team: 60% < 80%"
    assert "Tổ 5 tốt" in html
    assert f'<a href="/logbook/rates?unit={world.d1}' in html, "breadcrumb back to the district"
    village = body(client.get(f"/logbook/rates?unit={world.v1}&period=year&year=2024"))
    assert cells(village, "Tổ hòa giải Bản Delta MARKER-V1")[1] == "6"


def test_admin_sees_the_country_by_province(world, cases_2024, login_as):
    html = body(login_as("admin").get("/logbook/rates?period=year&year=2024"))
    assert "Toàn quốc" in html
    assert cells(html, "Tỉnh Alpha MARKER-P1</a>")[1:3] == ["8", "3"]
    assert cells(html, "Tỉnh Omega MARKER-P2</a>")[1:3] == ["3", "3"]
    assert cells(html, "Tổng toàn quốc")[1] == "11"
    province = body(login_as("admin").get(f"/logbook/rates?unit={world.p1}&period=year&year=2024"))
    assert cells(province, "Huyện Beta MARKER-D1</a>")[1] == "8"


def test_periods_six_months_last_year_and_custom(world, cases_2024, login_as):
    client = login_as("commune_staff")
    half = body(client.get("/logbook/rates?period=first_half&year=2024"))
    assert "6 tháng đầu năm 2024" in half and "01/01/2024 – 30/06/2024" in half
    assert cells(half, "Tổng Xã Gamma")[1] == "4"
    custom = body(client.get("/logbook/rates?period=custom&start=31/12/2023&end=15/07/2024"))
    assert "Từ 31/12/2023 đến 15/07/2024" in custom
    assert cells(custom, "Tổng Xã Gamma")[1] == "8"
    this_year = body(client.get("/logbook/rates"))
    assert f"Năm nay ({today().year})" in this_year


def test_a_pilot_commune_is_judged_against_more_than_90_percent(app, world, add_cases, login_as):
    make_pilot(app, world.c1)
    add_cases(world.team1, date(2024, 5, 2), *["successful"] * 9, "failed")
    html = body(login_as("officer").get(f"/logbook/rates?unit={world.c1}&period=year&year=2024"))
    assert "Mục tiêu xã chỉ đạo điểm &gt; 90%" in html
    assert cells(html, "Tổng Xã Gamma")[6] == "90% Chưa đạt"
    assert cells(html, "Tổ hòa giải Bản Delta")[7] == "Đạt", "yet a 5-good team (≥ 80%)"
    district = body(login_as("officer").get("/logbook/rates?period=year&year=2024"))
    assert cells(district, "Xã Gamma MARKER-C1</a>")[6] == "90% Chưa đạt"
    assert cells(district, "Tổng Huyện Beta")[6] == "90% Đạt mục tiêu"


def test_invalid_period_is_refused_next_to_the_fields(world, login_as):
    client = login_as("officer")
    response = client.get("/logbook/rates?period=custom&start=31/02/2024&end=")
    assert response.status_code == 422
    html = body(response)
    assert 'id="rate-start-error"' in html and "Ngày không hợp lệ" in html
    backwards = client.get("/logbook/rates?period=custom&start=01/07/2024&end=01/01/2024")
    assert backwards.status_code == 422
    assert "không thể trước ngày bắt đầu" in body(backwards)
    tampered = client.get("/logbook/rates?period=evil&year=1066&sort=drop")
    assert tampered.status_code == 200 and "Năm nay" in body(tampered)


def test_unit_out_of_scope_or_unknown_is_404(world, login_as):
    client = login_as("officer")
    assert client.get(f"/logbook/rates?unit={world.c3}").status_code == 404
    assert client.get(f"/logbook/rates?unit={world.p1}").status_code == 404, "above the officer"
    assert client.get("/logbook/rates?unit=999999").status_code == 404
    assert client.get("/logbook/rates?unit=abc").status_code == 404
    staff = login_as("commune_staff")
    assert staff.get(f"/logbook/rates?unit={world.c2}").status_code == 404
    assert staff.get(f"/logbook/rates?unit={world.v1}").status_code == 200


def test_the_filter_swaps_a_fragment_and_the_page_includes_it(world, cases_2024, login_as):
    client = login_as("officer")
    fragment = client.get("/logbook/rates?period=year&year=2024", htmx=True)
    html = body(fragment)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in html and 'hx-target="#rate-results"' in html
    assert cells(html, "Xã Gamma MARKER-C1</a>")[1] == "6"
    assert len(fragment.get_data()) < 15 * 1024
    page = body(client.get("/logbook/rates?period=year&year=2024"))
    assert "<html" in page and 'id="rate-results"' in page


def test_sort_by_rate_and_load_more_rows(app, world, add_team, add_cases, login_as, monkeypatch):
    from app.logbook.routes import rates

    monkeypatch.setattr(rates, "ROWS_PER_PAGE", 2)
    for name, results in (
        ("Tổ A", ["successful"] * 5),
        ("Tổ B", ["failed"] * 5),
        ("Tổ C", ["successful", "failed"]),
    ):
        team_id, _ = add_team(world.v1, name)
        add_cases(team_id, date(2024, 3, 3), *results)
    client = login_as("commune_staff")
    html = body(client.get("/logbook/rates?period=year&year=2024&sort=rate"))
    order = re.findall(r'<th scope="row"><a [^>]*>(Tổ [^<]+)</a>', html)
    assert order == ["Tổ B", "Tổ C"], "lowest rate first, two per page"
    more = re.search(r'id="rate-rows-more">\s*<td[^>]*>\s*<a [^>]*href="([^"]+)"', html)
    url = more.group(1).replace("&amp;", "&")
    assert "sort=rate" in url and "period=year" in url
    rows = body(client.get(url, htmx="rate-rows-more"))
    assert "<table" not in rows and "Tổ A" in rows and "Tổ B" not in rows
    assert "Tổ hòa giải Bản Delta" in rows, "a team without ended cases comes last"


def test_rates_page_runs_a_fixed_number_of_queries(app, world, add_team, add_cases, login_as):
    """QUALITY.md P3, P5: one GROUP BY per level, whatever the number of units and cases."""
    officer, admin = login_as("officer"), login_as("admin")
    urls = [
        (officer, "/logbook/rates?period=year&year=2024"),
        (officer, f"/logbook/rates?unit={world.c1}&period=year&year=2024"),
        (admin, "/logbook/rates?period=year&year=2024"),
    ]
    few = [count_queries(app, client, url) for client, url in urls]
    with app.app_context():
        district, commune = db.session.get(Unit, world.d1), db.session.get(Unit, world.c1)
        communes = [
            create_unit(parent=district, kind="xa", name=f"Xã Mới {n}").id for n in range(3)
        ]
        villages = [
            create_unit(parent=commune, kind="ban", name=f"Bản Mới {n}").id for n in range(3)
        ]
        db.session.commit()
    for n, unit_id in enumerate(communes + villages):
        team_id, _ = add_team(unit_id, f"Tổ thêm {n}")
        add_cases(team_id, date(2024, 4, 4), "successful", "failed", "pending")
    add_cases(world.team2, date(2024, 4, 4), "successful")
    assert [count_queries(app, client, url) for client, url in urls] == few


# The counts are served by the logbook's indexes alone (QUALITY.md P5)


@pytest.fixture
def many_cases(app, world):
    """Thousands of cases of team3 (the other province) over ten years, a few of team1 and
    team2 in 2024, then fresh planner statistics: the planner has a real choice to make."""
    from sqlalchemy import insert

    # Cases as long as real ones: the table is wider than its indexes.
    content = "Tranh chấp ranh giới đất nương rẫy giữa hai hộ gia đình trong bản. " * 4
    agreement = "Hai bên thống nhất cắm lại mốc ranh giới theo hiện trạng sử dụng. " * 2
    with app.app_context():
        teams = {t.id: t for t in db.session.scalars(select(Team))}
        rows = []
        for team_id, years, per_year in (
            (world.team3, range(2015, 2025), 400),
            (world.team1, (2024,), 20),
            (world.team2, (2024,), 20),
        ):
            team = teams[team_id]
            for year in years:
                for n in range(1, per_year + 1):
                    rows.append(
                        {
                            "unit_id": team.unit_id,
                            "commune_id": team.commune_id,
                            "district_id": team.district_id,
                            "province_id": team.province_id,
                            "team_id": team.id,
                            "year": year,
                            "number": n + 10,
                            "received_on": date(year, 1 + n % 12, 1 + n % 28),
                            "content": content,
                            "agreement": agreement,
                            "scope": "civil",
                            "result": ("successful", "failed", "pending")[n % 3],
                        }
                    )
        db.session.execute(insert(LogbookEntry), rows)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if backend() == "postgresql" else "ANALYZE"))


def plan(app, stmt) -> str:
    """The query plan. On PostgreSQL, whether an index-only scan beats a bitmap scan also
    depends on how much of the table autovacuum has marked all-visible, which a test cannot
    pin down: with the heap-reading plans off, the plan shows which index covers the query."""
    with app.app_context():
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN" if backend() == "postgresql" else "EXPLAIN QUERY PLAN"
        with db.engine.connect() as connection:
            if backend() == "postgresql":
                connection.execute(text("SET enable_seqscan = off"))
                connection.execute(text("SET enable_bitmapscan = off"))
            rows = connection.execute(text(f"{explain} {compiled}")).all()
        return "\n".join(str(r[-1]) for r in rows)


@pytest.mark.parametrize(
    ("level", "index"),
    [
        (None, "ix_logbook_entries_received"),
        (1, "ix_logbook_entries_province"),
        (2, "ix_logbook_entries_district"),
        (3, "ix_logbook_entries_commune"),
        (4, "ix_logbook_entries_unit"),
    ],
)
def test_counts_read_a_covering_index(app, world, many_cases, level, index):
    """Each count (a level's GROUP BY the level below, for a year) reads one index only."""
    from sqlalchemy import func

    from app.models import PLACED_COLUMNS

    below = {
        None: LogbookEntry.province_id,
        1: LogbookEntry.district_id,
        2: LogbookEntry.commune_id,
    }.get(level, LogbookEntry.team_id)
    stmt = (
        select(below, LogbookEntry.result, func.count())
        .where(LogbookEntry.received_on.between(date(2024, 1, 1), date(2024, 12, 31)))
        .group_by(below, LogbookEntry.result)
    )
    if level is not None:
        own = {1: world.p1, 2: world.d1, 3: world.c1, 4: world.v1}[level]
        stmt = stmt.where(getattr(LogbookEntry, PLACED_COLUMNS[level]) == own)
    text_plan = plan(app, stmt)
    assert index in text_plan, text_plan
    if backend() == "postgresql":
        assert "Index Only Scan" in text_plan, text_plan
    else:
        assert "COVERING INDEX" in text_plan, text_plan


# The rate on other pages


def test_team_page_shows_this_years_rate_and_links(world, add_cases, login_as):
    add_cases(world.team1, date(today().year, 1, 1), *["successful"] * 4, "failed")
    html = body(login_as("viewer").get(f"/registry/teams/{world.team1}"))
    assert "Sổ theo dõi hòa giải" in html
    assert "80%" in html and "(4 thành / 5 vụ việc đã kết thúc)" in html
    assert "Chưa đạt mục tiêu" in html, "85% for the commune"
    text_ = plain(html)
    assert "Tiêu chí tổ hòa giải 5 tốt (≥ 80% thành): Đạt" in text_
    assert f"/logbook/teams/{world.team1}/print?year={today().year}" in html
    assert f"/logbook/rates?unit={world.c1}" in html


def test_unit_page_shows_the_subtree_rate(world, add_cases, login_as):
    add_cases(world.team1, date(today().year, 1, 1), "successful", "failed")
    add_cases(world.team2, date(today().year, 1, 1), "successful", "successful")
    html = body(login_as("officer").get(f"/units/{world.d1}"))
    assert f"Tỷ lệ hòa giải thành năm {today().year}" in html
    assert "75%" in html and "(3 thành / 4 vụ việc đã kết thúc)" in html
    assert f'href="/logbook/rates?unit={world.d1}"' in html


def test_home_pages_show_the_units_rate(world, add_cases, login_as):
    add_cases(world.team1, date(today().year, 1, 1), "successful", "failed")
    add_cases(world.team2, date(today().year, 1, 1), "failed")
    for role, shown in (("officer", "33,3%"), ("viewer", "33,3%"), ("commune_staff", "50%")):
        html = body(login_as(role).get("/"))
        assert f"Tỷ lệ hòa giải thành năm {today().year}" in html, role
        assert shown in html, role
        assert "/logbook/rates?unit=" in html, role
    judge = body(login_as("judge").get("/"))
    assert "Tỷ lệ hòa giải thành" not in judge
