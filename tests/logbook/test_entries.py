"""Cases of the logbook through the routes: the list and its tally, filters, htmx fragments, the
export, a case's page and who reads the parties, fast entry, corrections, deletion, a team's
book."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from app.audit.models import AuditLog
from app.concurrency import STALE_MESSAGE
from app.extensions import db
from app.logbook import services
from app.logbook.models import LogbookEntry, LogbookMediator, LogbookParty
from app.logbook.routes.entries import DUPLICATE_NUMBER
from app.logbook.rules import Party
from app.logbook.services import EntryValues, create_entry
from app.registry.models import Mediator, Team
from app.registry.services.mediators import dismiss_mediator

DAY = "10/03/2026"
PARTY_FIELDS = [f"parties-{n}-{name}" for n in (0, 1) for name in ("full_name", "age", "address")]


def body(response) -> str:
    return response.get_data(as_text=True)


def form_data(world, **changes) -> dict:
    """A valid successful case as the form posts it; ``None`` removes a field."""
    data = {
        "number": "",
        "page_number": "4",
        "received_on": DAY,
        "started_on": DAY,
        "ended_on": "12/03/2026",
        "parties-0-full_name": "Thào Thị Dợ",
        "parties-0-age": "40",
        "parties-0-address": "Bản Delta",
        "parties-1-full_name": "Mùa A Chư",
        "parties-1-age": "38",
        "parties-1-address": "",
        "content": "Tranh chấp lối đi chung giữa hai hộ",
        "scope": "civil",
        "mediators": [str(world.mediator1)],
        "result": "successful",
        "agreement": "Hai bên thống nhất mở lối đi rộng 2 m.",
        "save": "book",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def entry_count(app) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(LogbookEntry.id))),
            db.session.scalar(select(func.count(LogbookParty.id))),
            db.session.scalar(select(func.count(LogbookMediator.id))),
        )


def reads(app) -> list[AuditLog]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "personal_data_read").order_by(AuditLog.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def newest(app) -> LogbookEntry:
    with app.app_context():
        entry = db.session.scalar(select(LogbookEntry).order_by(LogbookEntry.id.desc()))
        db.session.expunge(entry)
        return entry


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def group_errors(html: str, group: str) -> str:
    """The messages above a group of the form (parties, mediators)."""
    match = re.search(rf'<fieldset [^>]*id="{group}">(.*?)</fieldset>', html, re.S)
    return " ".join(re.findall(r'<p class="error">(.*?)</p>', match.group(1) if match else ""))


def add_case(app, world, team_attr="team1", mediator_attr="mediator1", **changes):
    """A case added by the services (received 10/03/2026 unless told); its id."""
    from datetime import date

    day = changes.pop("day", date(2026, 3, 10))
    with app.app_context():
        team = db.session.get(Team, getattr(world, team_attr))
        values = EntryValues(
            received_on=day,
            started_on=day,
            ended_on=day,
            content="Tranh chấp ranh giới đất",
            scope="civil",
            result="successful",
            agreement="Hai bên thống nhất.",
            parties=[Party("Lò Thị Hoa PARTY-C1", 30, None)],
            mediator_ids=[getattr(world, mediator_attr)],
        )
        for key, value in changes.items():
            setattr(values, key, value)
        entry = create_entry(team, values)
        db.session.commit()
        return entry.id


# The list


def test_list_is_scoped_and_shows_counts_of_parties_only(world, login_as):
    officer = body(login_as("officer").get("/logbook/"))
    assert "MARKER-C1" in officer and "MARKER-C2" in officer and "MARKER-C3" not in officer
    assert "2 bên" in officer and "PARTY-" not in officer
    staff = body(login_as("commune_staff").get("/logbook/"))
    assert "MARKER-C1" in staff and "MARKER-C2" not in staff and "PARTY-" not in staff
    admin = body(login_as("admin").get("/logbook/"))
    assert "MARKER-C3" in admin and "PARTY-" not in admin
    assert login_as("judge").get("/logbook/").status_code == 403


def test_list_tally_follows_the_filters(world, login_as):
    client = login_as("commune_staff")
    page = body(client.get("/logbook/"))
    assert "(1 thành / 2 vụ việc đã kết thúc)" in page and "50%" in page
    officer = body(login_as("officer").get("/logbook/?year=2025"))
    assert "(2 thành / 4 vụ việc đã kết thúc)" in officer
    only = body(client.get("/logbook/?result=successful"))
    assert "(1 thành / 1 vụ việc đã kết thúc)" in only


def case_numbers(html: str) -> list[str]:
    return re.findall(r">Số (\d+/\d{4})</a>", html)


def test_filters(app, world, login_as):
    add_case(app, world, result="in_progress", ended_on=None, agreement=None)
    client = login_as("officer")
    assert sorted(case_numbers(body(client.get("/logbook/")))) == [
        "1/2025",
        "1/2025",
        "1/2026",
        "2/2025",
        "2/2025",
    ]
    assert case_numbers(body(client.get("/logbook/?year=2026"))) == ["1/2026"]
    assert case_numbers(body(client.get("/logbook/?result=in_progress"))) == ["1/2026"]
    assert len(case_numbers(body(client.get("/logbook/?result=ended")))) == 4
    assert len(case_numbers(body(client.get("/logbook/?result=failed&year=2025")))) == 2
    c2 = body(client.get(f"/logbook/?unit={world.c2}"))
    assert "MARKER-C2" in c2 and "Bản Delta" not in c2 and len(case_numbers(c2)) == 2
    team1 = body(client.get(f"/logbook/?team={world.team1}&number=1"))
    assert sorted(case_numbers(team1)) == ["1/2025", "1/2026"]
    assert case_numbers(body(client.get(f"/logbook/?team={world.team1}&number=1/2026"))) == [
        "1/2026"
    ]
    assert case_numbers(body(client.get("/logbook/?number=abc"))) == []
    assert case_numbers(body(client.get("/logbook/?number=1/2025&year=2026"))) == []
    assert case_numbers(body(client.get("/logbook/?scope=family"))) == []
    # Out of scope or nonsense: ignored, never shown.
    other = body(client.get(f"/logbook/?unit={world.c3}&team={world.team3}&result=x&year=ab"))
    assert "MARKER-C3" not in other and len(case_numbers(other)) == 5
    # A team of another commune than the chosen one: the commune wins.
    mixed = body(client.get(f"/logbook/?unit={world.c2}&team={world.team1}"))
    assert len(case_numbers(mixed)) == 2 and "Bản Delta" not in mixed


def test_team_filter_offers_the_communes_teams(world, login_as):
    staff = body(login_as("commune_staff").get("/logbook/"))
    assert f'<option value="{world.team1}"' in staff and f'value="{world.team2}"' not in staff
    officer = body(login_as("officer").get("/logbook/"))
    assert 'id="entry-team" name="team" disabled' in officer
    chosen = body(login_as("officer").get(f"/logbook/?unit={world.c2}"))
    assert f'<option value="{world.team2}"' in chosen


def test_list_htmx_fragment_and_more_rows(app, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "LOGBOOK_PAGE_SIZE", 1)
    client = login_as("commune_staff")
    page = client.get("/logbook/")
    assert "<html" in body(page) and 'id="entry-results"' in body(page)
    assert "HX-Request" in page.headers["Vary"]

    fragment = client.get("/logbook/?year=2025", htmx="entry-results")
    html = body(fragment)
    assert "<html" not in html and "<table" in html and "HX-Request" in fragment.headers["Vary"]
    assert "(1 thành / 2 vụ việc đã kết thúc)" in html
    assert 'id="entry-unit-field" hx-swap-oob="true"' in html
    # The unit and team choices travel only when the unit changed.
    same = body(client.get("/logbook/?year=2026&unit=&shown_unit=", htmx="entry-results"))
    assert "hx-swap-oob" not in same and "<table" in same
    changed = body(client.get(f"/logbook/?unit={world.v1}&shown_unit=", htmx="entry-results"))
    assert 'id="entry-team-field" hx-swap-oob="true"' in changed
    assert f'name="shown_unit" value="{world.v1}"' in changed
    assert case_numbers(html) == ["1/2025"]
    more = re.search(r'id="entry-rows-more">\s*<td[^>]*>\s*<a [^>]*href="([^"]+)"', html)
    url = more.group(1).replace("&amp;", "&")
    assert "year=2025" in url
    rows = body(client.get(url, htmx="entry-rows-more"))
    assert "<table" not in rows and "success-rate" not in rows and "hx-swap-oob" not in rows
    assert case_numbers(rows) == ["2/2025"] and "entry-rows-more" not in rows
    assert "<html" in body(client.get(url))


def test_a_full_fragment_stays_under_15_kb(app, world, login_as):
    """QUALITY.md P8, with long names and contents on every row of a page."""
    long_name = "Tổ hòa giải Thôn Nậm Pố Thượng Huổi Lếnh Sín Thầu Mường Nhé"
    with app.app_context():
        team = db.session.get(Team, world.team1)
        team.name = long_name
        db.session.commit()
    for _ in range(25):
        add_case(app, world, content="Tranh chấp quyền sử dụng đất nương rẫy giáp ranh " * 8)
    for role in ("commune_staff", "officer"):
        client = login_as(role)
        for target in ("entry-results", "entry-rows-more"):
            response = client.get("/logbook/", htmx=target)
            assert len(case_numbers(body(response))) == 20
            assert len(response.get_data()) <= 15_000, (role, target, len(response.get_data()))


def test_list_runs_a_fixed_number_of_queries(app, world, login_as):
    """QUALITY.md P3: no query per row."""
    client = login_as("officer")
    with app.app_context():
        engine = db.engine

    def count_queries(url):
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    add_case(app, world)  # an empty page skips loading the teams' places
    urls = ("/logbook/", f"/logbook/?unit={world.c1}&team={world.team1}&year=2026")
    few = [count_queries(url) for url in urls]
    for n in range(6):
        add_case(
            app,
            world,
            team_attr="team1" if n % 2 else "team2",
            mediator_attr=f"mediator{2 - n % 2}",
        )
    assert [count_queries(url) for url in urls] == few


# The export


def sheet_rows(response) -> list[tuple]:
    book = load_workbook(BytesIO(response.get_data()), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


@pytest.mark.parametrize("role", ["officer", "viewer", "commune_staff", "admin"])
def test_export_has_counts_of_parties_never_names(world, login_as, role):
    client = login_as(role)
    response = client.get("/logbook/export.xlsx?year=2025")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = sheet_rows(response)
    header = rows[0]
    assert "Số bên" in header and not any("Họ" in (h or "") for h in header)
    text = "\n".join(str(v) for row in rows for v in row if v is not None)
    assert "PARTY-" not in text and "Vàng A Páo" not in text and "Pá Mỳ" not in text
    parties = header.index("Số bên")
    assert {row[parties] for row in rows[1:]} == {2}
    expected = {"officer": 4, "viewer": 4, "commune_staff": 2, "admin": 6}[role]
    assert len(rows) - 1 == expected
    csv = client.get("/logbook/export.csv?year=2025&result=successful")
    text = body(csv)
    assert text.startswith("\ufeffSố thứ tự") and "PARTY-" not in text
    assert "Giàng Thị Mai MARKER-C1" in text  # the mediators are named
    assert text.count("Hòa giải thành") == expected // 2


def test_export_carries_the_filters_of_the_page(world, login_as):
    page = body(login_as("officer").get(f"/logbook/?unit={world.c2}&result=failed"))
    links = re.findall(r'href="([^"]*/logbook/export\.[a-z]+[^"]*)"', page)
    assert len(links) == 2
    for link in links:
        assert f"unit={world.c2}" in link and "result=failed" in link
    rows = sheet_rows(login_as("officer").get(links[0].replace("&amp;", "&")))
    assert len(rows) == 2 and "MARKER-C2" in rows[1][8]


# A case's page


@pytest.mark.parametrize("role", ["officer", "commune_staff"])
def test_keepers_read_the_parties_and_each_reading_is_recorded(app, world, login_as, role):
    client = login_as(role)
    before = len(reads(app))
    page = body(client.get(f"/logbook/entries/{world.entry1}"))
    assert "Vàng A Páo PARTY-C1" in page and "Bản Pá Mỳ PARTY-C1-ADDR" in page
    assert "45" in page and "Giàng Thị Mai MARKER-C1" in page
    rows = reads(app)
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row.object_type, row.object_id) == ("LogbookEntry", world.entry1)
    assert "PARTY" not in row.summary and "Vàng" not in row.summary
    assert "1/2025" in row.summary


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_viewers_and_admins_see_how_many_parties_only(app, world, login_as, role):
    before = len(reads(app))
    page = body(login_as(role).get(f"/logbook/entries/{world.entry1}"))
    assert "PARTY-" not in page and "Vàng A Páo" not in page
    assert "2 bên" in page and "chỉ công chức tư pháp của xã" in page
    assert "Sửa vụ việc" not in page and "Xóa vụ việc" not in page
    assert len(reads(app)) == before


def test_case_page_scope_and_links(world, login_as):
    client = login_as("officer")
    assert client.get(f"/logbook/entries/{world.entry3}").status_code == 404
    assert client.get("/logbook/entries/999999").status_code == 404
    assert login_as("commune_staff").get(f"/logbook/entries/{world.entry2}").status_code == 404
    assert login_as("judge").get(f"/logbook/entries/{world.entry1}").status_code == 403
    page = body(client.get(f"/logbook/entries/{world.paid_entry1}"))
    assert "Đã chi thù lao" in page and "200.000 đ" in page
    assert f"/logbook/teams/{world.team1}?year=2025" in page
    assert "hủy đợt chi trả trước" in page and "Xóa vụ việc số" not in page
    unpaid = body(client.get(f"/logbook/entries/{world.entry1}"))
    assert f"/logbook/entries/{world.entry1}/delete" in unpaid
    assert f"/logbook/entries/{world.entry1}/edit" in unpaid


# Fast entry


def test_fast_entry_form_and_the_add_party_round_trip(app, world, login_as):
    client = login_as("commune_staff")
    form = body(client.get(f"/logbook/entries/new?team={world.team1}"))
    assert 'name="number" type="text" value="1"' in form  # the 2026 book is empty
    assert "parties-1-full_name" in form and "parties-2-full_name" not in form
    assert f'name="mediators" value="{world.mediator1}"' in form
    assert "Không ghi họ tên các bên vào nội dung" in form
    assert re.search(r'<input [^>]*autofocus[^>]*id="number"', form)
    before = entry_count(app)
    data = form_data(world, add_party="1", save=None, **{"parties-0-full_name": "Sùng Thị Mai"})
    again = client.post(f"/logbook/entries/new?team={world.team1}", data=data)
    assert again.status_code == 200 and entry_count(app) == before
    html = body(again)
    assert "parties-2-full_name" in html and 'value="Sùng Thị Mai"' in html
    assert re.search(r'<input [^>]*autofocus[^>]*id="parties-2-full_name"', html)
    assert not re.search(r'<input [^>]*autofocus[^>]*id="number"', html)
    assert '<p class="error"' not in html
    response = client.post(
        f"/logbook/entries/new?team={world.team1}",
        data=form_data(world, **{"parties-2-full_name": "Lý A Sử", "parties-2-age": "61"}),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/logbook/teams/{world.team1}?year=2026")
    entry = newest(app)
    assert (entry.number, entry.year, entry.page_number, entry.party_count) == (1, 2026, 4, 3)
    assert (entry.team_id, entry.commune_id, entry.result) == (world.team1, world.c1, "successful")
    with app.app_context():
        names = db.session.scalars(
            select(LogbookParty.full_name)
            .where(LogbookParty.entry_id == entry.id)
            .order_by(LogbookParty.position)
        ).all()
        assert names == ["Thào Thị Dợ", "Mùa A Chư", "Lý A Sử"]
    book = body(client.get(response.headers["Location"]))
    assert "Đã lưu vụ việc số 1/2026" in book


def test_save_and_next(app, world, login_as):
    client = login_as("commune_staff")
    url = f"/logbook/entries/new?team={world.team1}"
    response = client.post(url, data=form_data(world, save="next", page_number="7"))
    assert response.status_code == 303
    location = response.headers["Location"]
    assert f"team={world.team1}" in location and "page=8" in location and "year=2026" in location
    form = body(client.get(location))
    assert "Đã lưu vụ việc số 1/2026" in form
    assert 'name="number" type="text" value="2"' in form
    assert 'name="page_number" type="text" value="8"' in form
    assert "Thào Thị Dợ" not in form  # a blank form
    response = client.post(url, data=form_data(world, save="next", number="2", result="failed"))
    assert response.status_code == 303
    assert (newest(app).number, newest(app).result) == (2, "failed")


@pytest.mark.parametrize(
    ("changes", "where", "message"),
    [
        ({"ended_on": "09/03/2026"}, "ended_on", "Ngày kết thúc không thể trước ngày tiếp nhận."),
        (
            {"agreement": "  "},
            "agreement",
            "Vụ việc hòa giải thành phải ghi nội dung thỏa thuận đạt được.",
        ),
        ({"parties-1-age": "-1"}, "parties", "Bên thứ 2: tuổi phải từ 0 đến 120."),
        ({"parties-0-age": "121"}, "parties", "Bên thứ 1: tuổi phải từ 0 đến 120."),
        ({"parties-0-age": "bốn"}, "parties-0-age", "Tuổi là một số nguyên, ví dụ 45."),
        ({"received_on": "31/02/2026"}, "received_on", "Ngày không hợp lệ"),
        ({"received_on": ""}, "received_on", "Nhập ngày tiếp nhận vụ việc."),
        ({"number": "1/2025"}, "number", "Số thứ tự là một số nguyên dương, ví dụ 12."),
        ({"number": "0"}, "number", "Số thứ tự phải là số nguyên dương."),
        ({"scope": "war"}, "scope", "Chọn lĩnh vực của vụ việc."),
        ({"result": None}, "result", "Chọn kết quả hòa giải."),
        ({"mediators": None}, "mediators", "Chọn ít nhất một hòa giải viên tiến hành hòa giải."),
        ({"content": ""}, "content", "Nhập nội dung chính của vụ việc."),
        (dict.fromkeys(PARTY_FIELDS, ""), "parties", "Nhập ít nhất"),
    ],
)
def test_bad_input_is_422_with_the_message_next_to_the_field(
    app, world, login_as, changes, where, message
):
    client = login_as("commune_staff")
    before = entry_count(app)
    response = client.post(
        f"/logbook/entries/new?team={world.team1}", data=form_data(world, **changes)
    )
    assert response.status_code == 422
    html = body(response)
    found = (
        group_errors(html, where) if where in ("parties", "mediators") else error_of(html, where)
    )
    if where in ("scope", "result"):
        found = group_errors(html, where)
    assert message in found, html[html.find("flash-error") :][:3000]
    assert "Chưa lưu được" in html
    assert entry_count(app) == before


def test_a_number_used_in_the_same_year_and_a_dismissed_mediator(app, world, login_as):
    client = login_as("commune_staff")
    url = f"/logbook/entries/new?team={world.team1}"
    day = {"received_on": "03/02/2025", "started_on": "03/02/2025", "ended_on": "03/02/2025"}
    before = entry_count(app)
    response = client.post(url, data=form_data(world, number="2", **day))
    assert response.status_code == 422
    assert "Số 2/2025 đã dùng trong sổ của tổ này" in error_of(body(response), "number")
    assert "Số tiếp theo còn trống: 3." in error_of(body(response), "number")
    with app.app_context():
        from datetime import date

        mediator = db.session.get(Mediator, world.mediator1)
        dismiss_mediator(mediator, "own_wish", {"decision_date": date(2026, 3, 1)})
        db.session.commit()
    response = client.post(url, data=form_data(world))
    assert response.status_code == 422
    html = body(response)
    assert "đã thôi làm hòa giải viên từ 01/03/2026" in group_errors(html, "mediators")
    assert "(đã thôi từ 01/03/2026)" in html
    assert entry_count(app) == before


def test_a_concurrent_duplicate_number_is_a_message_not_a_500(app, world, login_as, monkeypatch):
    """Two saves of the same number at once: the check passed for both, the database refuses
    the second."""
    monkeypatch.setattr(services, "_number_taken", lambda *args: [])
    client = login_as("commune_staff")
    day = {"received_on": "03/02/2025", "started_on": "03/02/2025", "ended_on": "03/02/2025"}
    before = entry_count(app)
    response = client.post(
        f"/logbook/entries/new?team={world.team1}", data=form_data(world, number="1", **day)
    )
    assert response.status_code == 422
    assert DUPLICATE_NUMBER in error_of(body(response), "number")
    assert entry_count(app) == before


def test_choosing_the_team(world, login_as):
    staff = login_as("commune_staff")
    page = body(staff.get("/logbook/entries/new"))
    assert f"/logbook/entries/new?team={world.team1}" in page and "MARKER-V2" not in page
    officer = login_as("officer")
    chooser = officer.get("/logbook/entries/new")
    assert chooser.status_code == 200 and 'list="unit-options"' in body(chooser)
    chosen = officer.get("/logbook/entries/new", query_string={"q": f"#{world.c2}"})
    assert chosen.status_code == 303 and chosen.headers["Location"].endswith(f"unit={world.c2}")
    teams = body(officer.get(chosen.headers["Location"]))
    assert f"/logbook/entries/new?team={world.team2}" in teams
    assert officer.get(f"/logbook/entries/new?unit={world.c3}").status_code == 404
    assert officer.get(f"/logbook/entries/new?team={world.team3}").status_code == 404
    assert officer.get("/logbook/entries/new?team=abc").status_code == 404
    assert staff.get(f"/logbook/entries/new?team={world.team2}").status_code == 404
    assert login_as("viewer").get(f"/logbook/entries/new?team={world.team1}").status_code == 403


def test_mass_assignment_changes_nothing_it_should_not(app, world, login_as):
    client = login_as("commune_staff")
    extra = {
        "team_id": str(world.team2),
        "team": str(world.team2),
        "unit_id": str(world.c3),
        "commune_id": str(world.c3),
        "province_id": str(world.p2),
        "payment_id": str(world.payment1),
        "paid_amount": "999",
        "version": "9",
        "year": "1999",
        "party_count": "40",
    }
    response = client.post(
        f"/logbook/entries/new?team={world.team1}", data=form_data(world, **extra)
    )
    assert response.status_code == 303
    entry = newest(app)
    assert (entry.team_id, entry.unit_id, entry.commune_id) == (world.team1, world.v1, world.c1)
    assert (entry.payment_id, entry.paid_amount, entry.version) == (None, None, 1)
    assert (entry.year, entry.party_count) == (2026, 2)
    # On edit too: the version travels, the rest is ignored.
    form = body(client.get(f"/logbook/entries/{entry.id}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    extra["version"] = version
    response = client.post(
        f"/logbook/entries/{entry.id}/edit", data=form_data(world, number="1", **extra)
    )
    assert response.status_code == 303
    entry = newest(app)
    assert (entry.team_id, entry.commune_id, entry.payment_id) == (world.team1, world.c1, None)


# Corrections


def edit_form(client, entry_id) -> tuple[str, str]:
    html = body(client.get(f"/logbook/entries/{entry_id}/edit"))
    return html, re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_edit_shows_the_case_and_saves_a_correction(app, world, login_as):
    client = login_as("officer")
    before = len(reads(app))
    html, version = edit_form(client, world.entry1)
    assert 'value="Vàng A Páo PARTY-C1"' in html and 'value="45"' in html
    assert re.search(r'<input checked [^>]*type="radio" value="successful"', html)
    assert len(reads(app)) == before + 1
    data = form_data(
        world,
        number="1",
        version=version,
        received_on="10/03/2025",
        started_on="10/03/2025",
        ended_on="10/03/2025",
        result="stopped",
        agreement="Bên A yêu cầu chấm dứt hòa giải.",
    )
    response = client.post(f"/logbook/entries/{world.entry1}/edit", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/logbook/entries/{world.entry1}")
    with app.app_context():
        entry = db.session.get(LogbookEntry, world.entry1)
        assert (entry.result, entry.stop_requested, entry.party_count) == ("failed", True, 2)
    page = body(client.get(f"/logbook/entries/{world.entry1}"))
    assert "một bên yêu cầu chấm dứt" in page and "Thào Thị Dợ" in page


def test_a_stale_edit_is_409_and_the_first_save_stays(app, world, login_as):
    first, second = login_as("commune_staff"), login_as("officer")
    _, version = edit_form(first, world.entry1)
    _, same_version = edit_form(second, world.entry1)
    day = {"received_on": "10/03/2025", "started_on": "10/03/2025", "ended_on": "10/03/2025"}
    saved = first.post(
        f"/logbook/entries/{world.entry1}/edit",
        data=form_data(world, number="1", version=version, note="Lần sửa đầu", **day),
    )
    assert saved.status_code == 303
    stale = second.post(
        f"/logbook/entries/{world.entry1}/edit",
        data=form_data(world, number="1", version=same_version, note="Lần sửa sau", **day),
    )
    assert stale.status_code == 409
    assert STALE_MESSAGE in body(stale)
    with app.app_context():
        assert db.session.get(LogbookEntry, world.entry1).note == "Lần sửa đầu"


def test_editing_a_paid_case_cannot_reopen_it(app, world, login_as):
    client = login_as("commune_staff")
    _, version = edit_form(client, world.paid_entry1)
    day = {"received_on": "03/02/2025", "started_on": "03/02/2025"}
    response = client.post(
        f"/logbook/entries/{world.paid_entry1}/edit",
        data=form_data(
            world, number="2", version=version, result="in_progress", ended_on="", **day
        ),
    )
    assert response.status_code == 422
    assert "hủy đợt chi trả trước khi đổi kết quả" in group_errors(body(response), "result")
    with app.app_context():
        assert db.session.get(LogbookEntry, world.paid_entry1).result == "failed"


def test_edit_needs_a_number_and_keeps_scope(world, login_as):
    client = login_as("commune_staff")
    _, version = edit_form(client, world.entry1)
    response = client.post(
        f"/logbook/entries/{world.entry1}/edit", data=form_data(world, version=version)
    )
    assert response.status_code == 422
    assert "Nhập số thứ tự của vụ việc." in error_of(body(response), "number")
    assert client.get(f"/logbook/entries/{world.entry2}/edit").status_code == 404
    assert login_as("viewer").get(f"/logbook/entries/{world.entry1}/edit").status_code == 403


# Deletion


def test_delete_a_case_entered_by_mistake(app, world, login_as):
    client = login_as("commune_staff")
    before = entry_count(app)
    response = client.post(f"/logbook/entries/{world.entry1}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/logbook/teams/{world.team1}?year=2025")
    assert entry_count(app) == (before[0] - 1, before[1] - 2, before[2] - 1)
    assert "Đã xóa vụ việc số 1/2025." in body(client.get(response.headers["Location"]))


def test_a_paid_case_is_not_deleted(app, world, login_as):
    client = login_as("officer")
    before = entry_count(app)
    response = client.post(f"/logbook/entries/{world.paid_entry1}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/logbook/entries/{world.paid_entry1}")
    assert entry_count(app) == before
    page = body(client.get(response.headers["Location"]))
    assert "hủy đợt chi trả trước khi xóa vụ việc" in page
    assert client.post(f"/logbook/entries/{world.entry3}/delete").status_code == 404
    assert entry_count(app) == before


# A team's book


def test_team_book_of_a_year(app, world, login_as):
    add_case(app, world, result="in_progress", ended_on=None, agreement=None)
    client = login_as("commune_staff")
    page = body(client.get(f"/logbook/teams/{world.team1}?year=2025"))
    assert case_numbers(page) == ["1/2025", "2/2025"]
    assert "(1 thành / 2 vụ việc đã kết thúc)" in page and "50%" in page
    # C1 is a pilot commune (the world's checklist1): its stricter target applies.
    assert "Tiêu chí tổ hòa giải 5 tốt ≥ 80%" in page
    assert "Mục tiêu xã chỉ đạo điểm &gt; 90%" in page
    assert "PARTY-" not in page and "2 bên" in page
    assert f"/logbook/entries/new?team={world.team1}" in page
    assert "Năm 2026" in page and "Năm 2025" in page
    this_year = body(client.get(f"/logbook/teams/{world.team1}"))
    assert case_numbers(this_year) == ["1/2026"]
    assert "Chưa có vụ việc kết thúc" in this_year
    empty = body(client.get(f"/logbook/teams/{world.team1}?year=2019"))
    assert "Chưa có vụ việc nào trong sổ năm 2019" in empty
    viewer = body(login_as("viewer").get(f"/logbook/teams/{world.team1}?year=2025"))
    assert "Nhập vụ việc" not in viewer and "PARTY-" not in viewer
    assert client.get(f"/logbook/teams/{world.team2}").status_code == 404
    assert login_as("judge").get(f"/logbook/teams/{world.team1}").status_code == 403


def test_the_case_form_survives_fuzzing(app, world, login_as):
    """QUALITY.md R7: never a 500, and a refused post saves nothing."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.test_fuzz import FUZZ, TEXT

    client = login_as("commune_staff")
    fields = [
        "number",
        "page_number",
        "received_on",
        "started_on",
        "ended_on",
        "parties-0-full_name",
        "parties-0-age",
        "parties-0-address",
        "parties-9-full_name",
        "content",
        "scope",
        "result",
        "mediators",
        "agreement",
        "written_settlement",
        "invited_persons",
        "note",
        "version",
    ]
    base = form_data(world)

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        before = entry_count(app)
        response = client.post(f"/logbook/entries/new?team={world.team1}", data={**base, **data})
        assert response.status_code in (303, 400, 422), (data, response.status_code)
        if response.status_code != 303:
            assert entry_count(app) == before
        edited = client.post(
            f"/logbook/entries/{world.entry1}/edit", data={**base, **data, "version": "1"}
        )
        assert edited.status_code in (303, 400, 409, 422), (data, edited.status_code)

    run()
