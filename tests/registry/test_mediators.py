"""Mediators: the list (scope, filters, search, pages), recognition with duplicates, the legal
acts and the team compliance they change, bad input, scanned decisions, bulk training."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.clock import today
from app.concurrency import STALE_MESSAGE
from app.extensions import db
from app.files.models import StoredFile
from app.registry.models import (
    Mediator,
    MediatorEvent,
    Team,
    TeamMembership,
    Training,
    TrainingAttendance,
)
from app.registry.services.mediators import create_mediator, dismiss_mediator, make_leader
from app.registry.services.teams import create_team
from app.registry.services.trainings import add_attendees, create_training
from app.units.models import Unit
from tests.test_authorization_matrix import fingerprint

LIST = "/registry/mediators/"
NEW = "/registry/mediators/new"
CHECK = "/registry/mediators/check"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
ROW = re.compile(r'<td><a href="/registry/mediators/\d+">')
DECISION = {"decision_number": "15/QĐ-UBND", "decision_date": "02/04/2024", "signer": "Lò Văn A"}
# Acts on mediators recognised by the ``add`` fixture (30 days ago) are dated today.
TODAY_DECISION = {**DECISION, "decision_date": today().strftime("%d/%m/%Y")}


@pytest.fixture
def add(app):
    """add(team_id, "Họ Tên", sex=..., year=..., ethnicity=..., phone=...) -> mediator id."""

    def _add(team_id, full_name, sex="M", year=1975, ethnicity="01", phone=None, on=None):
        on = on or today() - timedelta(days=30)
        with app.app_context():
            mediator = create_mediator(
                team=db.session.get(Team, team_id),
                values={
                    "full_name": full_name,
                    "sex": sex,
                    "birth_year": year,
                    "ethnicity_code": ethnicity,
                    "phone": phone,
                },
                decision={"decision_number": "9/QĐ-UBND", "decision_date": on},
            )
            db.session.commit()
            return mediator.id

    return _add


@pytest.fixture
def new_team(app):
    def _team(village_id):
        with app.app_context():
            team = create_team(unit=db.session.get(Unit, village_id))
            db.session.commit()
            return team.id

    return _team


def get_mediator(app, mediator_id) -> Mediator:
    with app.app_context():
        mediator = db.session.get(Mediator, mediator_id)
        db.session.expunge(mediator)
        return mediator


def get_team(app, team_id) -> Team:
    with app.app_context():
        team = db.session.get(Team, team_id)
        db.session.expunge(team)
        return team


def person(**overrides) -> dict:
    data = {
        "full_name": "Lò Văn Thanh",
        "sex": "M",
        "birth_year": "1985",
        "ethnicity_code": "03",
        "phone": "",
        **DECISION,
    }
    data.update(overrides)
    return data


def new_in(world) -> str:
    """The form to recognise a mediator in the team of commune C1."""
    return f"{NEW}?team={world.team1}"


def body(response) -> str:
    return response.get_data(as_text=True)


# The list


def test_list_is_scoped_to_the_users_subtree(world, login_as):
    staff = body(login_as("commune_staff").get(LIST))
    assert "MARKER-C1" in staff and "MARKER-C2" not in staff and "MARKER-C3" not in staff
    officer = body(login_as("officer").get(LIST))
    assert "Giàng Thị Mai MARKER-C1" in officer and "Giàng Thị Mai MARKER-C2" in officer
    assert "MARKER-C3" not in officer
    assert "MARKER-C3" in body(login_as("admin").get(LIST))
    assert login_as("viewer").get(LIST).status_code == 200
    assert login_as("judge").get(LIST).status_code == 403


def test_filters(app, world, login_as, add, new_team):
    leader = add(world.team1, "Vàng A Dính", ethnicity="08")
    kinh = add(world.team1, "Nguyễn Văn Bình")
    gone = add(world.team1, "Thào Thị Dợ", sex="F", ethnicity="08")
    add(world.team1, "Lý A Sử", ethnicity="08", on=today() - timedelta(days=200))
    with app.app_context():
        make_leader(db.session.get(Mediator, leader), {"decision_date": today()})
        dismiss_mediator(db.session.get(Mediator, gone), "own_wish", {"decision_number": "1"})
        db.session.commit()
    client = login_as("officer")

    def names(query):
        return body(client.get(f"{LIST}?{query}"))

    page = names("")
    assert "Thào Thị Dợ" not in page, "active ones by default"
    assert "Tổ trưởng" in page
    assert "Thào Thị Dợ" in names("status=dismissed")
    assert "Vàng A Dính" not in names("status=dismissed")
    everyone = names("status=all")
    assert "Thào Thị Dợ" in everyone and "Vàng A Dính" in everyone
    women = names("sex=F")
    assert "Giàng Thị Mai MARKER-C1" in women and "Nguyễn Văn Bình" not in women
    assert "Nguyễn Văn Bình" in names("ethnicity=01")
    assert "Vàng A Dính" not in names("ethnicity=01")
    assert "Nguyễn Văn Bình" in names("minority=no")
    assert "Nguyễn Văn Bình" not in names("minority=yes")
    late = names("overdue=1")
    assert "Lý A Sử" in late and "Vàng A Dính" not in late
    assert "Quá hạn" in late
    # The team of C1 now has a leader, three active members and a woman: compliant.
    assert get_team(app, world.team1).is_compliant
    compliant = names("compliance=yes")
    assert "Nguyễn Văn Bình" in compliant and "Giàng Thị Mai MARKER-C2" not in compliant
    assert "Giàng Thị Mai MARKER-C2" in names("compliance=no")
    assert "Nguyễn Văn Bình" in names(f"unit={world.c1}")
    assert "Giàng Thị Mai MARKER-C2" not in names(f"unit={world.c1}")
    outside = names(f"unit={world.c3}")
    assert "MARKER-C3" not in outside, "a unit outside the scope is ignored"
    assert "Giàng Thị Mai MARKER-C1" in outside
    with app.app_context():
        training = create_training(
            unit=db.session.get(Unit, world.d1),
            title="Kỹ năng hòa giải",
            starts_on=date(2025, 1, 10),
            level="district",
        )
        add_attendees(training, mediator_ids=[kinh])
        db.session.commit()
    trained = names("trained=yes")
    assert "Nguyễn Văn Bình" in trained and "10/01/2025" in trained
    assert "Vàng A Dính" not in trained
    assert "Vàng A Dính" in names("trained=no")
    assert "Nguyễn Văn Bình" not in names("trained=no")


def test_filter_form_works_without_javascript_and_links_exports(world, login_as):
    page = body(login_as("officer").get(f"{LIST}?sex=F&sort=-name"))
    assert 'method="get"' in page and 'name="q"' in page
    assert 'hx-target="#mediator-rows"' in page and 'hx-push-url="true"' in page
    assert "/registry/mediators/export" in page or "fmt=xlsx" in page
    assert "sex=F" in page.split('id="mediator-export"')[1].split("</p>")[0]
    assert '<option value="-name" selected>' in page


def test_unit_select_drills_down_within_scope(world, login_as):
    client = login_as("officer")
    page = body(client.get(LIST))
    assert "Huyện Beta MARKER-D1 (tất cả)" in page
    assert f'<option value="{world.c1}">Xã Gamma MARKER-C1</option>' in page
    assert f'<option value="{world.c2}">Xã Epsilon MARKER-C2</option>' in page
    assert "Bản Delta MARKER-V1</option>" not in page, "villages appear once the commune is chosen"
    page = body(client.get(f"{LIST}?unit={world.c1}"))
    assert f'<option value="{world.c1}" selected>Xã Gamma MARKER-C1</option>' in page
    assert f'<option value="{world.v1}">· Bản Delta MARKER-V1</option>' in page
    fragment = body(client.get(f"{LIST}?unit={world.c1}", htmx="mediator-rows"))
    assert 'id="mediator-unit-field" hx-swap-oob="true"' in fragment
    assert f'<option value="{world.v1}">· Bản Delta MARKER-V1</option>' in fragment
    assert "MARKER-P2" not in body(login_as("officer").get(f"{LIST}?unit={world.p2}"))


@pytest.mark.parametrize(
    "query", ["nguyen van duc", "Nguyễn Văn Đức", "NGUYEN VAN", "duc", "Đức", "duc nguyen"]
)
def test_search_ignores_diacritics_and_name_order(world, login_as, add, query):
    add(world.team1, "Nguyễn Văn Đức", phone="0912 345 678")
    add(world.team1, "Nguyễn Thị Hoa", sex="F")
    add(world.team2, "Đức Ngoài Xã", phone="0987 000 111")
    page = body(login_as("commune_staff").get(LIST, query_string={"q": query}))
    assert "Nguyễn Văn Đức" in page
    assert "Đức Ngoài Xã" not in page, "another commune"


def test_search_dong_finds_dong_and_phone_digits(world, login_as, add):
    add(world.team1, "Đồng Văn Tâm", phone="0912 345 678")
    add(world.team1, "Lò Văn Thanh", phone="0987 654 321")
    client = login_as("commune_staff")
    page = body(client.get(LIST, query_string={"q": "dong"}))
    assert "Đồng Văn Tâm" in page and "Lò Văn Thanh" not in page
    page = body(client.get(LIST, query_string={"q": "0912 345"}))
    assert "Đồng Văn Tâm" in page and "Lò Văn Thanh" not in page
    page = body(client.get(LIST, query_string={"q": "zzz"}))
    assert "Không có hòa giải viên nào phù hợp." in page


def test_search_as_htmx_fragment(world, login_as, add):
    add(world.team1, "Nguyễn Văn Đức")
    response = login_as("commune_staff").get(f"{LIST}?q=duc&sex=M", htmx="mediator-rows")
    fragment = body(response)
    assert "<html" not in fragment and "Nguyễn Văn Đức" in fragment
    assert "<tr>" in fragment
    assert 'id="mediator-export" hx-swap-oob="true"' in fragment
    assert "q=duc" in fragment.split('id="mediator-export"')[1]
    assert "HX-Request" in response.headers["Vary"]
    assert '<template>\n<thead id="mediator-head" hx-swap-oob="true">' in fragment
    assert "Trạng thái</th>" not in fragment, "active ones only: no status column"
    every = body(login_as("commune_staff").get(f"{LIST}?status=all", htmx="mediator-rows"))
    assert "Trạng thái</th>" in every and "Đang hoạt động</td>" in every


def test_keyset_load_more(app, world, login_as, add, monkeypatch):
    for n in range(5):
        add(world.team1, f"Hòa Giải Viên Số {n}")
    monkeypatch.setitem(app.config, "MEDIATOR_PAGE_SIZE", 4)
    client = login_as("commune_staff")
    page = body(client.get(LIST))
    assert len(ROW.findall(page)) == 4
    assert 'id="mediator-rows-more"' in page
    start = page.index('id="mediator-rows-more"')
    link = page[start:].split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    assert "after=" in link and "OFFSET" not in link
    more = client.get(link, htmx="mediator-rows-more")
    rows = body(more)
    assert "<html" not in rows and "mediator-export" not in rows, "rows only"
    assert len(ROW.findall(rows)) == 2
    assert "mediator-rows-more" not in rows, "the last page has no more row"
    seen = set(page.split("Hòa Giải Viên Số ")[1:]) | set(rows.split("Hòa Giải Viên Số ")[1:])
    assert len({s[0] for s in seen}) == 5
    full = client.get(link)
    assert "<html" in body(full), "without htmx the link is a full page"


def test_list_queries_do_not_grow_with_rows(app, world, login_as, add):
    """P3: a page costs the same number of queries whatever the number of rows."""
    client = login_as("officer")

    def count_queries():
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"{LIST}?status=all").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    few = count_queries()
    for n in range(6):
        add(world.team1 if n % 2 else world.team2, f"Người Thứ {n}")
    assert count_queries() == few


# Recognising a mediator


def test_create_form_for_commune_staff_and_choice_of_commune(world, login_as):
    staff = login_as("commune_staff")
    page = body(staff.get(NEW))
    assert 'enctype="multipart/form-data"' in page
    assert (
        f'<option selected value="{world.team1}">Tổ hòa giải Bản Delta MARKER-V1</option>' in page
    ), "the only team, chosen"
    assert 'hx-post="/registry/mediators/check"' in page
    assert "Mông" in page and "Kinh" in page
    officer = login_as("officer")
    assert "Chọn xã" in body(officer.get(NEW)) or "chọn xã" in body(officer.get(NEW))
    assert f'value="{world.team1}">Tổ hòa giải Bản Delta MARKER-V1</option>' in body(
        officer.get(f"{NEW}?unit={world.c1}")
    )
    assert f'<option selected value="{world.team1}">' in body(
        officer.get(f"{NEW}?team={world.team1}")
    )
    assert officer.get(f"{NEW}?team={world.team3}").status_code == 404
    assert officer.get(f"{NEW}?unit={world.c3}").status_code == 404
    assert "không phải là một xã" in body(officer.get(f"{NEW}?unit={world.d1}"))


def test_create_with_a_duplicate_warning_then_confirm(app, world, login_as):
    client = login_as("commune_staff")
    twin = person(full_name="giang thi mai marker-c1", sex="F", birth_year="1980")
    before = fingerprint(app)
    warned = client.post(new_in(world), data=twin)
    assert warned.status_code == 422
    page = body(warned)
    assert "Có thể trùng" in page
    assert f"/registry/mediators/{world.mediator1}" in page
    assert "Tôi đã kiểm tra, đây không phải người trùng" in page
    assert fingerprint(app) == before
    saved = client.post(new_in(world), data={**twin, "confirm_not_duplicate": "y"})
    assert saved.status_code == 303
    with app.app_context():
        new = db.session.scalar(
            select(Mediator).where(Mediator.full_name == "giang thi mai marker-c1")
        )
        assert (new.team_id, new.commune_id, new.status, new.role) == (
            world.team1,
            world.c1,
            "active",
            "member",
        )
        assert new.recognised_on == date(2024, 4, 2) and new.recognition_number == "15/QĐ-UBND"
        assert new.training_due == date(2024, 10, 2)
        kinds = db.session.scalars(
            select(MediatorEvent.kind).where(MediatorEvent.mediator_id == new.id)
        ).all()
        assert kinds == ["recognise"]
        assert db.session.get(Team, world.team1).active_count == 2
    assert saved.headers["Location"].endswith(f"/registry/mediators/{new.id}")


def test_duplicate_by_phone(world, login_as, add):
    add(world.team1, "Lò Văn Thanh", phone="0912 345 678")
    client = login_as("commune_staff")
    response = client.post(
        new_in(world), data=person(full_name="Người Khác", phone="+84 912 345 678")
    )
    assert response.status_code == 422 and "Lò Văn Thanh" in body(response)


def test_inline_check_fragment_and_full_page(world, login_as):
    client = login_as("commune_staff")
    data = {"full_name": "Giàng Thị Mai MARKER-C1", "birth_year": "1980", "team": world.team1}
    fragment = client.post(CHECK, data=data, htmx=True)
    assert fragment.status_code == 200
    text = body(fragment)
    assert "<html" not in text and "Có thể trùng" in text and "Giàng Thị Mai MARKER-C1" in text
    page = client.post(CHECK, data=data)
    assert "<html" in body(page) and "Có thể trùng" in body(page)
    young = body(client.post(CHECK, data={"birth_year": str(today().year - 10)}, htmx=True))
    assert "phải từ đủ 18 tuổi" in young
    assert "Nhập họ và tên" not in young, "fields not typed yet are not judged"
    fine = body(client.post(CHECK, data={**data, "full_name": "Người Mới"}, htmx=True))
    assert "Không thấy hòa giải viên nào trùng" in fine
    bad = body(client.post(CHECK, data={"birth_year": "19x5", "phone": "abc"}, htmx=True))
    assert "4 chữ số" in bad and "Số điện thoại không hợp lệ" in bad
    assert client.post(CHECK, data={**data, "team": world.team3}).status_code == 404


def test_inline_check_in_the_commune_of_a_new_form(world, login_as):
    """A commune with several teams: no team is chosen yet, the form names its commune."""
    client = login_as("commune_staff")
    data = {"full_name": "giang thi mai marker-c1", "birth_year": "1980"}
    text = body(client.post(CHECK, data={**data, "commune": world.c1}, htmx=True))
    assert "Có thể trùng" in text
    assert f'name="commune" value="{world.c1}"' in body(client.get(NEW))
    assert client.post(CHECK, data={**data, "commune": world.c3}).status_code == 404
    assert client.post(CHECK, data={**data, "commune": world.v1}).status_code == 403


def test_inline_check_on_edit_does_not_find_the_person_themself(world, login_as):
    client = login_as("commune_staff")
    data = {"full_name": "Giàng Thị Mai MARKER-C1", "birth_year": "1980"}
    text = body(client.post(CHECK, data={**data, "mediator": world.mediator1}, htmx=True))
    assert "Có thể trùng" not in text


# Bad input: a clear Vietnamese message, status 422 and nothing saved


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_year": str(date.today().year + 1)}, "Năm sinh không được ở tương lai."),
        ({"birth_year": str(date.today().year - 17)}, "Hòa giải viên phải từ đủ 18 tuổi."),
        ({"birth_year": "19a0"}, "Nhập năm sinh gồm 4 chữ số"),
        ({"full_name": "   "}, "Nhập họ và tên."),
        ({"ethnicity_code": "99"}, "Chọn dân tộc trong danh mục 54 dân tộc."),
        ({"sex": "X"}, "Chọn giới tính."),
        ({"phone": "gọi tôi"}, "Số điện thoại không hợp lệ"),
        ({"decision_date": "01/01/1979", "birth_year": "1980"}, "trước năm sinh"),
        ({"decision_date": "01/01/2999"}, "không được ở tương lai"),
        ({"decision_date": "31/02/2024"}, "Ngày không hợp lệ"),
        ({"decision_number": ""}, "Nhập số quyết định."),
    ],
)
def test_bad_new_mediator_is_422_and_saves_nothing(app, world, login_as, overrides, message):
    client = login_as("commune_staff")
    before = fingerprint(app)
    response = client.post(new_in(world), data=person(**overrides))
    assert response.status_code == 422
    assert message in body(response)
    assert fingerprint(app) == before


def test_a_team_of_another_commune_is_refused(app, world, login_as):
    staff_client, admin_client = login_as("commune_staff"), login_as("admin")
    before = fingerprint(app)
    staff = staff_client.post(new_in(world), data=person(team=world.team2))
    assert staff.status_code == 422 and "Chọn một tổ hòa giải của xã này." in body(staff)
    admin = admin_client.post(new_in(world), data=person(team=world.team3))
    assert admin.status_code == 422
    assert "MARKER-C3" not in body(staff)
    assert fingerprint(app) == before


def test_bad_lifecycle_input_is_422_and_saves_nothing(app, world, login_as, make_unit, new_team):
    new_team(make_unit("ban", "Bản Nậm Pố", world.c1))
    client = login_as("commune_staff")
    url = f"/registry/mediators/{world.mediator1}"
    cases = [
        (f"{url}/dismiss", DECISION, "Chọn căn cứ thôi làm hòa giải viên"),
        (f"{url}/dismiss", {**DECISION, "ground": "bored"}, "Chọn căn cứ thôi làm hòa giải viên"),
        (
            f"{url}/dismiss",
            {**DECISION, "ground": "own_wish", "decision_date": "01/01/1970"},
            "trước năm sinh",
        ),
        (f"{url}/move", {**DECISION, "team": world.team2}, "cùng xã"),
        (f"{url}/reinstate", {**DECISION, "team": world.team1}, "đang hoạt động"),
        (f"{url}/make-leader", {**DECISION, "decision_date": ""}, "Nhập ngày ký quyết định."),
    ]
    before = fingerprint(app)
    for target, data, message in cases:
        response = client.post(target, data=data)
        assert response.status_code == 422, target
        assert message in body(response), (target, message)
    assert fingerprint(app) == before


def test_a_file_that_is_not_a_scan_is_refused(app, world, login_as):
    client = login_as("commune_staff")
    before = fingerprint(app)
    fake = (BytesIO(b"just some text, not a PDF"), "quyet-dinh.pdf")
    response = client.post(
        f"/registry/mediators/{world.mediator1}/dismiss",
        data={**DECISION, "ground": "own_wish", "decision_file": fake},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Chỉ nhận tệp PDF, JPEG, PNG" in body(response)
    assert fingerprint(app) == before


def test_a_file_over_10_mb_is_refused(app, world, login_as):
    client = login_as("commune_staff")
    before = fingerprint(app)
    big = FileStorage(BytesIO(PDF + b"0" * (10 * 1024 * 1024)), "lon.pdf", "decision_file")
    # The body is encoded in memory: the test client would spool it to a file it never closes.
    boundary, payload = encode_multipart(
        {**person(), "csrf_token": client.token, "decision_file": big}
    )
    response = client.http.post(
        new_in(world), data=payload, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413, response.headers.get("Location")
    assert "Tệp quá lớn" in body(response)
    assert fingerprint(app) == before


# The legal acts and the team's compliance


def test_each_act_changes_the_teams_compliance(app, world, login_as, add, make_unit, new_team):
    client = login_as("commune_staff")
    woman, url = world.mediator1, "/registry/mediators/{}/{}"
    man1 = add(world.team1, "Vàng A Páo", ethnicity="08")
    add(world.team1, "Lò Văn Thanh", ethnicity="03")
    assert get_team(app, world.team1).issue_labels == ["Chưa có tổ trưởng được công nhận"]

    response = client.post(url.format(man1, "make-leader"), data=TODAY_DECISION)
    assert response.status_code == 303
    assert get_team(app, world.team1).is_compliant
    assert get_mediator(app, man1).role == "leader"
    assert "đủ số lượng, thành phần" in body(client.get(f"/registry/mediators/{man1}"))

    response = client.post(
        url.format(woman, "dismiss"), data={**TODAY_DECISION, "ground": "own_wish"}
    )
    assert response.status_code == 303
    team = get_team(app, world.team1)
    assert "Thiếu hòa giải viên nữ" in team.issue_labels
    assert "Chưa đủ 3 hòa giải viên đang hoạt động" in team.issue_labels
    assert "Thiếu hòa giải viên nữ" in body(client.get(f"/registry/mediators/{man1}"))
    assert "Thiếu hòa giải viên nữ" in body(client.get(f"/registry/teams/{world.team1}"))
    dismissed = get_mediator(app, woman)
    assert (dismissed.status, dismissed.dismissal_ground) == ("dismissed", "own_wish")
    assert dismissed.dismissal_number == "15/QĐ-UBND"

    response = client.post(
        url.format(woman, "reinstate"), data={**TODAY_DECISION, "team": world.team1}
    )
    assert response.status_code == 303
    assert get_team(app, world.team1).is_compliant

    other_village = make_unit("ban", "Bản Nậm Pố", world.c1)
    team_b = new_team(other_village)
    move_page = body(client.get(url.format(man1, "move")))
    assert f'<option value="{team_b}">' in move_page
    assert "Tổ hòa giải Bản Delta MARKER-V1</option>" not in move_page, "not the team they are in"
    response = client.post(url.format(man1, "move"), data={**TODAY_DECISION, "team": team_b})
    assert response.status_code == 303
    assert get_team(app, world.team1).issue_labels == [
        "Chưa đủ 3 hòa giải viên đang hoạt động",
        "Chưa có tổ trưởng được công nhận",
    ]
    moved = get_mediator(app, man1)
    assert (moved.team_id, moved.role, moved.unit_id) == (team_b, "member", other_village)
    assert get_team(app, team_b).active_count == 1
    with app.app_context():
        periods = db.session.scalars(
            select(TeamMembership)
            .where(TeamMembership.mediator_id == man1)
            .order_by(TeamMembership.id)
        ).all()
        assert [(p.team_id, p.role, p.end_date is None) for p in periods] == [
            (world.team1, "member", False),
            (world.team1, "leader", False),
            (team_b, "member", True),
        ]


def test_detail_shows_history_teams_trainings_and_placeholders(app, world, login_as):
    client = login_as("commune_staff")
    client.post(
        f"/registry/mediators/{world.mediator1}/make-leader",
        data={**DECISION, "decision_note": "Bầu tại cuộc họp tổ"},
    )
    with app.app_context():
        add_attendees(db.session.get(Training, world.training1), mediator_ids=[world.mediator1])
        db.session.commit()
    page = body(client.get(f"/registry/mediators/{world.mediator1}"))
    for text in (
        "Công nhận hòa giải viên",
        "Công nhận tổ trưởng",
        "15/QĐ-UBND",
        "02/04/2024",
        "Lò Văn A",
        "Bầu tại cuộc họp tổ",
        "Congchuc",
        "Tập huấn kỹ năng MARKER-D1",
        "10/05/2025",
        "Vụ việc hòa giải",
        "Khen thưởng",
        "Tổ trưởng",
        "Mông",
    ):
        assert text in page, text
    assert f"/registry/trainings/{world.training1}" not in page, "not in the commune's scope"
    officer_page = body(login_as("officer").get(f"/registry/mediators/{world.mediator1}"))
    assert f"/registry/trainings/{world.training1}" in officer_page


def test_overdue_training_is_shown(app, world, login_as, add):
    late = add(world.team1, "Lý A Sử", on=today() - timedelta(days=200))
    page = body(login_as("viewer").get(f"/registry/mediators/{late}"))
    assert "Quá hạn tập huấn" in page
    assert "Sửa hồ sơ" not in page and "Thôi làm hòa giải viên</a>" not in page


def test_action_pages_say_when_an_act_does_not_apply(world, login_as):
    client = login_as("commune_staff")
    page = body(client.get(f"/registry/mediators/{world.mediator1}/reinstate"))
    assert "Hòa giải viên đang hoạt động" in page and 'type="submit"' not in page.split("<main")[1]
    page = body(client.get(f"/registry/mediators/{world.mediator1}/move"))
    assert "chưa có tổ hòa giải nào khác" in page
    page = body(client.get(f"/registry/mediators/{world.mediator1}/dismiss"))
    assert "Theo nguyện vọng của hòa giải viên" in page


# Scanned decisions


def test_a_scanned_decision_is_stored_and_downloadable_in_scope(app, world, login_as):
    client = login_as("commune_staff")
    response = client.post(
        f"/registry/mediators/{world.mediator1}/dismiss",
        data={**DECISION, "ground": "violation", "decision_file": (BytesIO(PDF), "QĐ 15.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    with app.app_context():
        event_ = db.session.scalar(select(MediatorEvent).where(MediatorEvent.kind == "dismiss"))
        stored = db.session.get(StoredFile, event_.file_id)
        assert (stored.content_type, stored.filename) == ("application/pdf", "QĐ 15.pdf")
        event_id = event_.id
    url = f"/registry/mediators/{world.mediator1}/events/{event_id}/file"
    assert url in body(client.get(f"/registry/mediators/{world.mediator1}"))
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert login_as("officer").get(url).status_code == 200
    assert login_as("officer_p2").get(url).status_code == 404
    assert login_as("judge").get(url).status_code == 403
    wrong = f"/registry/mediators/{world.mediator2}/events/{event_id}/file"
    assert login_as("officer").get(wrong).status_code == 404, "the event of another mediator"
    no_file = db_event_id(app, world.mediator1, "recognise")
    assert (
        client.get(f"/registry/mediators/{world.mediator1}/events/{no_file}/file").status_code
        == 404
    )


def db_event_id(app, mediator_id, kind):
    with app.app_context():
        return db.session.scalar(
            select(MediatorEvent.id).where(
                MediatorEvent.mediator_id == mediator_id, MediatorEvent.kind == kind
            )
        )


def test_a_new_mediator_with_a_scanned_recognition(app, world, login_as):
    client = login_as("commune_staff")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post(
        new_in(world),
        data={**person(), "decision_file": (BytesIO(png), "scan.PNG")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    with app.app_context():
        stored = db.session.scalar(select(StoredFile).order_by(StoredFile.id.desc()))
        assert stored.content_type == "image/png" and stored.filename == "scan.png"


# Editing


def test_edit_corrects_the_record(app, world, login_as):
    client = login_as("commune_staff")
    url = f"/registry/mediators/{world.mediator1}/edit"
    form = body(client.get(url))
    assert 'name="version" type="hidden" value="1"' in form
    data = person(full_name="Giàng Thị Mai", sex="F", birth_year="1981", ethnicity_code="08")
    response = client.post(
        url, data={**data, "version": "1", "status": "dismissed", "team_id": world.team3}
    )
    assert response.status_code == 303
    mediator = get_mediator(app, world.mediator1)
    assert (mediator.full_name, mediator.birth_year, mediator.name_folded) == (
        "Giàng Thị Mai",
        1981,
        "giang thi mai",
    )
    assert (mediator.status, mediator.team_id) == ("active", world.team1), (
        "S3: extra fields ignored"
    )


def test_stale_edit_is_409_and_the_first_save_stands(app, world, login_as):
    url = f"/registry/mediators/{world.mediator1}/edit"
    data = person(sex="F", ethnicity_code="08", version="1")
    staff, officer = login_as("commune_staff"), login_as("officer")
    first = staff.post(url, data={**data, "full_name": "Bản Thứ Nhất"})
    assert first.status_code == 303
    before = fingerprint(app)
    second = officer.post(url, data={**data, "full_name": "Bản Thứ Hai"})
    assert second.status_code == 409
    assert STALE_MESSAGE in body(second)
    assert fingerprint(app) == before
    assert get_mediator(app, world.mediator1).full_name == "Bản Thứ Nhất"


def test_user_text_is_escaped(world, login_as, add):
    add(world.team1, "<script>alert(1)</script> Tòng Văn Sáu")
    page = body(login_as("commune_staff").get(LIST))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


# Adding to a training in bulk


def test_bulk_add_to_a_training(app, world, login_as):
    officer = login_as("officer")
    page = body(officer.get(LIST))
    assert "Tập huấn kỹ năng MARKER-D1" in page and 'name="ids"' in page
    response = officer.post(
        "/registry/mediators/bulk?sex=F",
        data={
            "training": world.training1,
            "ids": [world.mediator1, world.mediator2, world.mediator3],
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registry/trainings/{world.training1}")
    with app.app_context():
        attendees = set(
            db.session.scalars(
                select(TrainingAttendance.mediator_id).where(
                    TrainingAttendance.training_id == world.training1,
                    TrainingAttendance.mediator_id.is_not(None),
                )
            )
        )
        assert attendees == {world.mediator1, world.mediator2}
        assert db.session.get(Mediator, world.mediator1).trained_on == date(2025, 5, 10)
    flashed = body(officer.get(LIST))
    assert "Đã thêm 2 hòa giải viên vào lớp" in flashed and "Bỏ qua 1" in flashed
    again = officer.post(
        "/registry/mediators/bulk", data={"training": world.training1, "ids": [world.mediator1]}
    )
    assert again.status_code == 303
    assert "1 người đã có trong danh sách lớp" in body(officer.get(LIST))


def test_bulk_for_commune_staff_and_refusals(app, world, login_as):
    with app.app_context():
        training = create_training(
            unit=db.session.get(Unit, world.c1),
            title="Tập huấn tại xã",
            starts_on=date(2025, 6, 1),
            level="commune",
        )
        db.session.commit()
        training_id = training.id
    staff = login_as("commune_staff")
    assert "Tập huấn tại xã" in body(staff.get(LIST))
    assert "Tập huấn kỹ năng MARKER-D1" not in body(staff.get(LIST))
    data = {"training": training_id, "ids": [world.mediator1]}
    assert staff.post("/registry/mediators/bulk", data=data).status_code == 303
    before = fingerprint(app)
    refused = staff.post(
        "/registry/mediators/bulk", data={"training": world.training1, "ids": [world.mediator1]}
    )
    assert refused.status_code == 404
    nothing = staff.post("/registry/mediators/bulk?status=all", data={"training": training_id})
    assert nothing.status_code == 303 and "status=all" in nothing.headers["Location"]
    assert "Chưa chọn hòa giải viên nào" in body(staff.get(LIST))
    assert fingerprint(app) == before


# Fuzzing (QUALITY.md R7)


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "31/02/2025", "1980", "08"]),
)


def test_mediator_forms_survive_fuzzing(app, world, login_as):
    client = login_as("admin")
    fields = [*person(), "team", "ground", "confirm_not_duplicate", "version", "mediator"]
    targets = [
        f"{NEW}?team={world.team1}",
        f"/registry/mediators/{world.mediator1}/edit",
        f"/registry/mediators/{world.mediator1}/dismiss",
        f"/registry/mediators/{world.mediator1}/move",
        CHECK,
    ]

    @FUZZ
    @given(
        st.sampled_from(targets),
        st.fixed_dictionaries({}, optional={f: TEXT for f in fields}),
    )
    def run(url, data):
        data = {k: v.replace("\x00", "") for k, v in data.items()}
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)

    run()
