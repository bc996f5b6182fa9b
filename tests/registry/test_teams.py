"""Teams and their legal-professional supporters: lists, pages, forms, htmx fragments."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event, select

from app.clock import today
from app.extensions import db
from app.registry.models import Mediator, Supporter, Team, TeamSupport
from app.registry.services.mediators import create_mediator, dismiss_mediator, make_leader
from app.registry.services.teams import create_supporter, create_team, update_team
from app.units.models import Unit
from tests.test_authorization_matrix import fingerprint
from tests.test_fuzz import FUZZ, TEXT

DECISION = {"decision_number": "12/QĐ-UBND", "decision_date": date(2025, 3, 1)}


def person(name, sex="M", ethnicity="08"):
    return {"full_name": name, "sex": sex, "birth_year": 1975, "ethnicity_code": ethnicity}


@pytest.fixture
def make_team(app):
    """make_team(unit_id, name=None, members=(("Name", "F"), ...), leader=0) -> team id."""

    def _make(unit_id, name=None, members=(), leader=None, **fields):
        with app.app_context():
            team = create_team(unit=db.session.get(Unit, unit_id), name=name, **fields)
            made = [
                create_mediator(team=team, values=person(n, sex), decision=DECISION)
                for n, sex in members
            ]
            if leader is not None:
                make_leader(made[leader], DECISION)
            db.session.commit()
            return team.id

    return _make


@pytest.fixture
def make_supporter(app):
    def _make(unit_id, name, background="jurist"):
        with app.app_context():
            supporter = create_supporter(
                unit=db.session.get(Unit, unit_id), full_name=name, background=background
            )
            db.session.commit()
            return supporter.id

    return _make


FULL_TEAM = (("Lò Văn Pọm", "M"), ("Lò Thị Ún", "F"), ("Quàng Văn Dũng", "M"))


def get_team(app, team_id) -> Team:
    with app.app_context():
        team = db.session.get(Team, team_id)
        db.session.expunge(team)
        return team


def body(response) -> str:
    return response.get_data(as_text=True)


def summary(html: str) -> str:
    match = re.search(r'<p class="team-summary"[^>]*>(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else ""


# The list


def test_list_is_scoped_to_the_users_subtree(world, login_as):
    officer = body(login_as("officer").get("/registry/teams/"))
    assert "Tổ hòa giải Bản Delta" in officer and "Tổ hòa giải Bản Zeta" in officer
    assert "MARKER-V3" not in officer and "MARKER-C3" not in officer
    staff = body(login_as("commune_staff").get("/registry/teams/"))
    assert "Tổ hòa giải Bản Delta" in staff and "Bản Zeta" not in staff
    admin = body(login_as("admin").get("/registry/teams/"))
    assert "Thôn Tau" in admin


def test_list_shows_counts_problems_in_words_and_support(world, make_team, login_as):
    make_team(world.v1, "Tổ Đủ Người", FULL_TEAM, leader=0)
    page = body(login_as("commune_staff").get("/registry/teams/"))
    assert "Chưa đủ 3 hòa giải viên đang hoạt động" in page
    assert "Chưa có tổ trưởng được công nhận" in page
    assert "Đủ thành phần" in page
    assert "Có hỗ trợ" in page and "Chưa có" in page
    assert summary(page) == "2 tổ, trong đó 1 chưa đủ thành phần"


def test_search_ignores_diacritics_and_case(world, make_team, login_as):
    make_team(world.v1, "Tổ hòa giải Đồng Tâm")
    make_team(world.v3, "Tổ hòa giải Đồng Lương")
    client = login_as("officer")
    for q in ("dong tam", "Đồng", "ĐỒNG TÂM", "dong"):
        page = body(client.get("/registry/teams/", query_string={"q": q}))
        assert "Tổ hòa giải Đồng Tâm" in page, q
        assert "Đồng Lương" not in page, "outside the officer's district"
    page = body(client.get("/registry/teams/?q=%25"))
    assert "Không có tổ hòa giải nào" in page


def test_compliance_problem_and_support_filters(world, make_team, login_as):
    full = make_team(world.v1, "Tổ Đủ Người", FULL_TEAM, leader=0)
    men = make_team(world.v1, "Tổ Toàn Nam", (("A", "M"), ("B", "M"), ("C", "M")), leader=1)
    client = login_as("commune_staff")

    def names(**args):
        page = body(client.get("/registry/teams/", query_string=args))
        return {t for t in ("Tổ Đủ Người", "Tổ Toàn Nam", "Tổ hòa giải Bản Delta") if t in page}

    assert names(compliance="yes") == {"Tổ Đủ Người"}
    assert names(compliance="no") == {"Tổ Toàn Nam", "Tổ hòa giải Bản Delta"}
    assert names(issue="2") == {"Tổ Toàn Nam"}
    assert names(issue="8") == {"Tổ hòa giải Bản Delta"}
    assert names(issue="1") == {"Tổ hòa giải Bản Delta"}
    assert names(supported="yes") == {"Tổ hòa giải Bản Delta"}
    assert names(supported="no") == {"Tổ Đủ Người", "Tổ Toàn Nam"}
    assert names(compliance="no", supported="no") == {"Tổ Toàn Nam"}
    assert names(issue="banana", compliance="maybe") == names()
    assert full and men


def test_summary_counts_follow_the_filters(world, make_team, login_as):
    make_team(world.v1, "Tổ Đủ Người", FULL_TEAM, leader=0)
    make_team(world.v2, "Tổ Hai", (("A", "F"),))
    client = login_as("officer")
    assert summary(body(client.get("/registry/teams/"))) == "4 tổ, trong đó 3 chưa đủ thành phần"
    assert (
        summary(body(client.get("/registry/teams/?compliance=yes")))
        == "1 tổ, trong đó 0 chưa đủ thành phần"
    )
    assert (
        summary(body(client.get(f"/registry/teams/?unit={world.c2}")))
        == "2 tổ, trong đó 2 chưa đủ thành phần"
    )
    assert summary(body(client.get("/registry/teams/?q=khong-co"))) == "0 tổ"


def test_unit_filter_outside_scope_is_ignored(world, login_as):
    page = body(login_as("officer").get(f"/registry/teams/?unit={world.c3}"))
    assert "MARKER-V3" not in page and "Tổ hòa giải Bản Delta" in page


def test_status_filter_shows_dissolved_teams_on_request(app, world, make_team, login_as):
    team_id = make_team(world.v1, "Tổ Đã Giải Thể")
    with app.app_context():
        update_team(db.session.get(Team, team_id), {"dissolved_on": date(2025, 1, 1)})
        db.session.commit()
    client = login_as("commune_staff")
    assert "Tổ Đã Giải Thể" not in body(client.get("/registry/teams/"))
    dissolved = body(client.get("/registry/teams/?status=dissolved"))
    assert "Tổ Đã Giải Thể" in dissolved and "Tổ hòa giải Bản Delta" not in dissolved
    assert "Đã giải thể 01/01/2025" in dissolved
    everything = body(client.get("/registry/teams/?status=all"))
    assert "Tổ Đã Giải Thể" in everything and "Tổ hòa giải Bản Delta" in everything


def test_list_htmx_fragment_and_load_more(app, world, make_team, login_as, monkeypatch):
    for n in range(5):
        make_team(world.v1, f"Tổ số {n}")
    monkeypatch.setitem(app.config, "TEAM_PAGE_SIZE", 2)
    client = login_as("commune_staff")
    page = client.get("/registry/teams/")
    html = body(page)
    assert "<html" in html and 'id="team-results"' in html
    assert "Tổ hòa giải Bản Delta" in html and "Tổ số 0" in html and "Tổ số 1" not in html
    assert "HX-Request" in page.headers["Vary"]

    fragment = body(client.get("/registry/teams/?q=so", htmx="team-results"))
    assert "<html" not in fragment and "<table" in fragment
    assert summary(fragment) == "5 tổ, trong đó 5 chưa đủ thành phần"
    assert "Tổ số 0" in fragment and "Tổ số 1" in fragment and "Tổ số 2" not in fragment

    more = re.search(r'id="team-rows-more">\s*<td[^>]*>\s*<a [^>]*href="([^"]+)"', fragment)
    url = more.group(1).replace("&amp;", "&")
    rows = body(client.get(url, htmx="team-rows-more"))
    assert "<table" not in rows and "team-summary" not in rows
    assert "Tổ số 2" in rows and "Tổ số 3" in rows and "Tổ số 1" not in rows
    plain = body(client.get(url))
    assert "<html" in plain and "Tổ số 2" in plain


def test_list_runs_a_fixed_number_of_queries(app, world, make_team, login_as):
    """QUALITY.md P3: no query per row."""
    client = login_as("officer")
    with app.app_context():
        engine = db.engine

    def count_queries():
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get("/registry/teams/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    few = count_queries()
    for n in range(6):
        make_team(world.v1 if n % 2 else world.v2, f"Tổ {n}", (("A", "F"),))
    assert count_queries() == few


def test_export_links_carry_the_filters(app, world, login_as):
    if "registry.teams_export" not in app.view_functions:
        pytest.skip("the exports are not built yet")
    page = body(login_as("officer").get("/registry/teams/?compliance=no&q=ban"))
    links = re.findall(r'href="([^"]*/teams/export[^"]*)"', page)
    assert len(links) == 2
    for link in links:
        assert "compliance=no" in link and "q=ban" in link and "status=active" in link


def test_viewer_and_judge(world, login_as):
    viewer = body(login_as("viewer").get("/registry/teams/"))
    assert "Tổ hòa giải Bản Delta" in viewer and "Thêm tổ hòa giải" not in viewer
    assert login_as("judge").get("/registry/teams/").status_code == 403


# Adding a team


def test_commune_staff_adds_a_team_with_the_default_name(app, world, login_as):
    client = login_as("commune_staff")
    form = body(client.get("/registry/teams/new"))
    assert "Bản Delta MARKER-V1" in form and "(đã có 1 tổ)" in form
    assert "MARKER-V2" not in form
    response = client.post(
        "/registry/teams/new",
        data={"unit": str(world.v1), "name": "  ", "decision_number": " 7/QĐ-UBND "},
    )
    assert response.status_code == 303
    with app.app_context():
        team = db.session.scalar(select(Team).order_by(Team.id.desc()))
        assert team.name == "Tổ hòa giải Bản Delta MARKER-V1"
        assert team.decision_number == "7/QĐ-UBND"
        assert (team.commune_id, team.unit_id) == (world.c1, world.v1)
        assert team.active_count == 0 and not team.is_compliant
        assert response.headers["Location"].endswith(f"/registry/teams/{team.id}")


def test_officer_chooses_a_commune_first(world, login_as):
    client = login_as("officer")
    chooser = client.get("/registry/teams/new")
    assert chooser.status_code == 200 and 'list="unit-options"' in body(chooser)
    chosen = client.get("/registry/teams/new", query_string={"q": f"Xã Gamma (#{world.c1})"})
    assert chosen.status_code == 303
    assert chosen.headers["Location"].endswith(f"/registry/teams/new?unit={world.c1}")
    wrong = client.get("/registry/teams/new", query_string={"q": f"#{world.c3}"})
    assert wrong.status_code == 422 and "phạm vi" in body(wrong)
    district = client.get("/registry/teams/new", query_string={"q": f"#{world.d1}"})
    assert district.status_code == 422 and "Hãy chọn một xã" in body(district)
    form = body(client.get(f"/registry/teams/new?unit={world.v2}"))
    assert re.search(rf'<option selected value="{world.v2}">|value="{world.v2}" selected', form)


@pytest.mark.parametrize(
    ("role", "where"),
    [
        ("commune_staff", "v2"),
        ("commune_staff", "c2"),
        ("officer", "v3"),
        ("officer", "c3"),
        ("officer", "d1"),
        ("officer", "p1"),
    ],
)
def test_a_unit_outside_scope_or_not_a_village_is_404(app, world, login_as, role, where):
    client = login_as(role)
    unit_id = getattr(world, where)
    assert client.get(f"/registry/teams/new?unit={unit_id}").status_code == 404
    with app.app_context():
        before = db.session.scalar(select(db.func.count(Team.id)))
    posted = client.post(f"/registry/teams/new?unit={world.c1}", data={"unit": str(unit_id)})
    assert posted.status_code == 404
    assert client.post("/registry/teams/new", data={"unit": "abc"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Team.id))) == before


def test_a_village_of_another_commune_in_scope_must_be_chosen_from_the_list(world, login_as):
    """The form's commune comes from the posted village; a choice not in it is refused."""
    client = login_as("officer")
    response = client.post(f"/registry/teams/new?unit={world.c1}", data={"unit": ""})
    assert response.status_code == 422
    assert "Chọn thôn, bản của xã trong danh sách." in body(response)


def test_a_commune_without_villages_gets_a_team_of_its_own(app, world, make_unit, login_as):
    c4 = make_unit("xa", "Xã Không Thôn", world.d1)
    client = login_as("officer")
    form = body(client.get(f"/registry/teams/new?unit={c4}"))
    assert "xã không chia thôn, bản" in form
    response = client.post(f"/registry/teams/new?unit={c4}", data={"unit": str(c4)})
    assert response.status_code == 303
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.unit_id == c4))
        assert team.commune_id == c4 and team.name == "Tổ hòa giải Xã Không Thôn"


def test_create_form_errors_are_422(world, login_as):
    client = login_as("commune_staff")
    response = client.post(
        "/registry/teams/new",
        data={"unit": str(world.v1), "decision_date": "31/02/2025", "name": "x" * 201},
    )
    assert response.status_code == 422
    page = body(response)
    assert "Ngày không hợp lệ" in page and "Tối đa 200 ký tự." in page
    future = (today() + timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(
        "/registry/teams/new", data={"unit": str(world.v1), "decision_date": future}
    )
    assert response.status_code == 422 and "không được ở tương lai" in body(response)


# A team's page


def test_team_page_shows_compliance_in_words_and_members(world, make_team, login_as):
    client = login_as("commune_staff")
    page = body(client.get(f"/registry/teams/{world.team1}"))
    assert "Chưa đủ số lượng, thành phần" in page
    assert "Chưa đủ 3 hòa giải viên đang hoạt động" in page
    assert "Giàng Thị Mai MARKER-C1" in page
    assert f"/registry/mediators/new?team={world.team1}" in page
    assert "Luật Sư MARKER-C1" in page
    assert "Sổ theo dõi hòa giải" in page
    full = make_team(world.v1, "Tổ Đủ Người", FULL_TEAM, leader=0)
    page = body(client.get(f"/registry/teams/{full}"))
    assert "Đủ số lượng, thành phần" in page and "Chưa đủ" not in page
    assert "Tổ trưởng" in page and "Lò Văn Pọm" in page


def test_team_page_lists_former_members(app, world, make_team, login_as):
    team_id = make_team(world.v1, "Tổ Có Người Nghỉ", (*FULL_TEAM, ("Lò Văn Ba", "M")), leader=0)
    with app.app_context():
        un = db.session.scalar(select(Mediator).where(Mediator.full_name == "Lò Thị Ún"))
        dismiss_mediator(un, "own_wish", {"decision_date": date(2025, 6, 1)})
        db.session.commit()
    assert get_team(app, team_id).issue_labels == ["Thiếu hòa giải viên nữ"]
    page = body(login_as("commune_staff").get(f"/registry/teams/{team_id}"))
    former = page.split("Thành viên trước đây", 1)[1]
    assert "Lò Thị Ún" in former and "01/06/2025" in former
    assert "Đã thôi làm hòa giải viên" in former
    assert "Thiếu hòa giải viên nữ" in page


def test_viewer_sees_no_buttons(world, login_as):
    page = body(login_as("viewer").get(f"/registry/teams/{world.team1}"))
    assert "Giàng Thị Mai" in page
    assert "Sửa thông tin tổ" not in page and "Thêm hòa giải viên" not in page
    assert "Ghi nhận hỗ trợ" not in page and "Kết thúc" not in page


def test_team_of_another_province_is_404(world, login_as):
    assert login_as("officer").get(f"/registry/teams/{world.team3}").status_code == 404
    assert login_as("commune_staff").get(f"/registry/teams/{world.team2}").status_code == 404
    assert login_as("admin").get("/registry/teams/999999").status_code == 404


# Editing a team


def test_a_team_with_active_mediators_cannot_be_dissolved(app, world, login_as):
    client = login_as("commune_staff")
    form = body(client.get(f"/registry/teams/{world.team1}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    response = client.post(
        f"/registry/teams/{world.team1}/edit",
        data={"name": "Tổ", "dissolved_on": "01/07/2025", "version": version},
    )
    assert response.status_code == 422
    assert "còn hòa giải viên đang hoạt động" in body(response)
    assert get_team(app, world.team1).dissolved_on is None


def test_edit_and_dissolve(app, world, login_as):
    from app.extensions import db
    from app.registry.models import Mediator
    from app.registry.services.mediators import dismiss_mediator

    with app.app_context():
        mediator = db.session.get(Mediator, world.mediator1)
        dismiss_mediator(mediator, "own_wish", {"decision_date": date(2025, 6, 1)})
        db.session.commit()
    client = login_as("commune_staff")
    form = body(client.get(f"/registry/teams/{world.team1}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    response = client.post(
        f"/registry/teams/{world.team1}/edit",
        data={
            "name": "  Tổ   hòa giải Bản Mới ",
            "decision_number": "9/QĐ-UBND",
            "decision_date": "02/03/2024",
            "dissolved_on": "01/07/2025",
            "note": "Sáp nhập thôn",
            "version": version,
            "unit_id": str(world.v3),
            "is_compliant": "1",
        },
    )
    assert response.status_code == 303
    team = get_team(app, world.team1)
    assert team.name == "Tổ hòa giải Bản Mới" and team.name_folded == "to hoa giai ban moi"
    assert team.decision_date == date(2024, 3, 2) and team.dissolved_on == date(2025, 7, 1)
    assert team.unit_id == world.v1 and not team.is_compliant, "S3: extra fields ignored"
    assert f'href="/registry/teams/{world.team1}"' not in body(client.get("/registry/teams/"))
    page = body(client.get(f"/registry/teams/{world.team1}"))
    assert "Đã giải thể 01/07/2025" in page
    assert "Ghi nhận hỗ trợ" not in page, "a dissolved team takes no new supporter"
    assert "Kết thúc ngày" in page, "but its current supporters can be ended"
    refused = client.post(
        f"/registry/teams/{world.team1}/supporters",
        data={"supporter": str(world.supporter1)},
        htmx=True,
    )
    assert refused.status_code == 422 and "Tổ hòa giải này đã giải thể." in body(refused)


def test_edit_refuses_an_empty_name_and_bad_dates(app, world, login_as):
    client = login_as("commune_staff")
    response = client.post(
        f"/registry/teams/{world.team1}/edit", data={"name": "   ", "version": "1"}
    )
    assert response.status_code == 422 and "Nhập tên tổ hòa giải." in body(response)
    response = client.post(
        f"/registry/teams/{world.team1}/edit",
        data={
            "name": "Tổ",
            "decision_date": "01/03/2024",
            "dissolved_on": "01/01/2024",
            "version": "1",
        },
    )
    assert response.status_code == 422
    assert "Ngày giải thể phải sau ngày quyết định thành lập." in body(response)
    assert get_team(app, world.team1).dissolved_on is None


def test_stale_edit_is_409_and_keeps_the_first_save(app, world, login_as):
    first, second = login_as("commune_staff"), login_as("officer")
    version = get_team(app, world.team1).version
    ok = first.post(
        f"/registry/teams/{world.team1}/edit", data={"name": "Bản đầu", "version": version}
    )
    assert ok.status_code == 303
    stale = second.post(
        f"/registry/teams/{world.team1}/edit", data={"name": "Bản sau", "version": version}
    )
    assert stale.status_code == 409
    assert "vừa được người khác sửa" in body(stale)
    assert get_team(app, world.team1).name == "Bản đầu"


# Supporters of a team


def test_attach_and_end_a_supporter_with_htmx(app, world, make_team, make_supporter, login_as):
    team_id = make_team(world.v1, "Tổ Chưa Hỗ Trợ")
    jurist = make_supporter(world.c1, "Nguyễn Văn Luật")
    client = login_as("commune_staff")
    page = body(client.get(f"/registry/teams/{team_id}"))
    assert "Nguyễn Văn Luật" in page and 'id="team-supporters"' in page
    assert not get_team(app, team_id).is_supported

    response = client.post(
        f"/registry/teams/{team_id}/supporters",
        data={"supporter": str(jurist), "start_date": "01/02/2025"},
        htmx=True,
    )
    assert response.status_code == 200
    fragment = body(response)
    assert "<html" not in fragment and fragment.lstrip().startswith("<section")
    assert "Nguyễn Văn Luật" in fragment and "Hỗ trợ từ 01/02/2025" in fragment
    assert "HX-Request" in response.headers["Vary"]
    assert get_team(app, team_id).is_supported
    listed = body(client.get("/registry/teams/?supported=yes"))
    assert "Tổ Chưa Hỗ Trợ" in listed

    again = client.post(
        f"/registry/teams/{team_id}/supporters", data={"supporter": str(jurist)}, htmx=True
    )
    assert again.status_code == 422 and "đang hỗ trợ tổ này" in body(again)

    with app.app_context():
        support = db.session.scalar(select(TeamSupport).where(TeamSupport.team_id == team_id))
    ended = client.post(
        f"/registry/teams/{team_id}/supporters/{support.id}/end", data={}, htmx=True
    )
    assert ended.status_code == 200 and "Đã từng hỗ trợ (1)" in body(ended)
    assert not get_team(app, team_id).is_supported
    assert "Tổ Chưa Hỗ Trợ" in body(client.get("/registry/teams/?supported=no"))
    with app.app_context():
        assert db.session.get(TeamSupport, support.id).end_date == today()


def test_attach_and_end_without_htmx_redirect_back(app, world, make_supporter, login_as):
    jurist = make_supporter(world.c1, "Trần Thị Hội Thẩm", "assessor")
    client = login_as("officer")
    response = client.post(
        f"/registry/teams/{world.team1}/supporters", data={"supporter": str(jurist)}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registry/teams/{world.team1}")
    page = body(client.get(f"/registry/teams/{world.team1}"))
    assert "Đã ghi nhận Trần Thị Hội Thẩm hỗ trợ tổ." in page
    with app.app_context():
        support = db.session.scalar(select(TeamSupport).where(TeamSupport.supporter_id == jurist))
        assert support.start_date == today()
    ended = client.post(
        f"/registry/teams/{world.team1}/supporters/{world.support1}/end",
        data={"end_date": "01/01/2023"},
    )
    assert ended.status_code == 303
    page = body(client.get(f"/registry/teams/{world.team1}"))
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page
    ended = client.post(
        f"/registry/teams/{world.team1}/supporters/{world.support1}/end",
        data={"end_date": "01/06/2025"},
    )
    assert ended.status_code == 303
    with app.app_context():
        assert db.session.get(TeamSupport, world.support1).end_date == date(2025, 6, 1)
    assert get_team(app, world.team1).is_supported, "the new supporter still supports it"


def test_supporter_must_be_of_the_teams_commune_and_in_scope(app, world, login_as):
    officer = login_as("officer")
    other_commune = officer.post(
        f"/registry/teams/{world.team1}/supporters",
        data={"supporter": str(world.supporter2)},
        htmx=True,
    )
    assert other_commune.status_code == 422 and "cùng xã" in body(other_commune)
    staff = login_as("commune_staff")
    out_of_scope = staff.post(
        f"/registry/teams/{world.team1}/supporters", data={"supporter": str(world.supporter2)}
    )
    assert out_of_scope.status_code == 404
    missing = staff.post(f"/registry/teams/{world.team1}/supporters", data={}, htmx=True)
    assert missing.status_code == 422 and "Chọn người hỗ trợ trong danh sách." in body(missing)
    with app.app_context():
        assert db.session.scalar(select(db.func.count(TeamSupport.id))) == 3


def test_ending_a_support_of_another_team_is_404(app, world, make_team, login_as):
    other = make_team(world.v1, "Tổ Khác")
    client = login_as("commune_staff")
    url = f"/registry/teams/{other}/supporters/{world.support1}/end"
    assert client.post(url).status_code == 404
    with app.app_context():
        assert db.session.get(TeamSupport, world.support1).end_date is None


def test_ending_twice_or_in_the_future_gives_a_message(world, login_as):
    client = login_as("commune_staff")
    url = f"/registry/teams/{world.team1}/supporters/{world.support1}/end"
    future = (today() + timedelta(days=2)).strftime("%d/%m/%Y")
    refused = client.post(url, data={"end_date": future}, htmx=True)
    assert refused.status_code == 422 and "không được ở tương lai" in body(refused)
    assert client.post(url, htmx=True).status_code == 200
    twice = client.post(url, htmx=True)
    assert twice.status_code == 422 and "Việc hỗ trợ này đã kết thúc." in body(twice)


# Supporters


def test_supporter_list_is_scoped_searchable_and_shows_teams(world, make_supporter, login_as):
    make_supporter(world.c1, "Đỗ Đức Công An", "police")
    client = login_as("officer")
    page = body(client.get("/registry/supporters/"))
    assert "Luật Sư MARKER-C1" in page and "Luật Sư MARKER-C2" in page
    assert "MARKER-C3" not in page
    assert "Tổ hòa giải Bản Delta MARKER-V1" in page, "the team it supports"
    assert "Chưa hỗ trợ tổ nào" in page
    found = body(client.get("/registry/supporters/?q=do duc"))
    assert "Đỗ Đức Công An" in found and "Luật Sư" not in found
    police = body(client.get("/registry/supporters/?background=police"))
    assert "Đỗ Đức Công An" in police and "Luật Sư MARKER" not in police
    fragment = body(client.get("/registry/supporters/?q=luat", htmx=True))
    assert "<html" not in fragment and "Luật Sư MARKER-C1" in fragment
    assert "Đỗ Đức" not in fragment
    staff = body(login_as("commune_staff").get("/registry/supporters/"))
    assert "MARKER-C2" not in staff


def test_commune_staff_adds_a_supporter_to_their_commune(app, world, login_as):
    client = login_as("commune_staff")
    assert client.get("/registry/supporters/new").status_code == 200
    response = client.post(
        "/registry/supporters/new",
        data={"full_name": " Hà  Văn Luật ", "background": "lawyer", "phone": "0912 345 678"},
    )
    assert response.status_code == 303
    with app.app_context():
        supporter = db.session.scalar(select(Supporter).where(Supporter.full_name == "Hà Văn Luật"))
        assert supporter.commune_id == world.c1 and supporter.name_folded == "ha van luat"
    assert "Hà Văn Luật" in body(client.get(f"/registry/teams/{world.team1}"))


def test_supporter_form_refuses_bad_input(app, world, login_as):
    client = login_as("commune_staff")
    response = client.post(
        "/registry/supporters/new", data={"full_name": "", "background": "teacher"}
    )
    assert response.status_code == 422
    page = body(response)
    assert "Nhập họ và tên." in page and "Chọn lĩnh vực pháp lý của người hỗ trợ." in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Supporter.id))) == 3


def test_officer_places_a_supporter_in_a_commune_in_scope(app, world, login_as):
    client = login_as("officer")
    assert 'list="unit-options"' in body(client.get("/registry/supporters/new"))
    assert client.get(f"/registry/supporters/new?unit={world.c3}").status_code == 404
    assert client.get(f"/registry/supporters/new?unit={world.d1}").status_code == 404
    response = client.post(
        f"/registry/supporters/new?unit={world.c2}&team={world.team2}",
        data={"full_name": "Lê Quân Đội", "background": "army"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registry/teams/{world.team2}")
    with app.app_context():
        supporter = db.session.scalar(select(Supporter).where(Supporter.full_name == "Lê Quân Đội"))
        assert supporter.commune_id == world.c2 and supporter.district_id == world.d1


def test_supporter_edit_and_stale_edit(app, world, login_as):
    client = login_as("commune_staff")
    url = f"/registry/supporters/{world.supporter1}/edit"
    form = body(client.get(url))
    assert "Tổ hòa giải Bản Delta" in form, "the teams it supports"
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    data = {"full_name": "Luật Sư Đổi Tên", "background": "jurist", "version": version}
    assert client.post(url, data={**data, "commune_id": str(world.c3)}).status_code == 303
    with app.app_context():
        supporter = db.session.get(Supporter, world.supporter1)
        assert supporter.full_name == "Luật Sư Đổi Tên" and supporter.background == "jurist"
        assert supporter.commune_id == world.c1
    stale = client.post(url, data={**data, "full_name": "Lần hai"})
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.get(Supporter, world.supporter1).full_name == "Luật Sư Đổi Tên"
    assert (
        login_as("officer").get(f"/registry/supporters/{world.supporter3}/edit").status_code == 404
    )


def test_forms_survive_fuzzing(app, world, login_as):
    """QUALITY.md R7: no 500, and a refused new team saves nothing."""
    client = login_as("officer")
    fields = [
        "unit",
        "name",
        "decision_number",
        "decision_date",
        "dissolved_on",
        "note",
        "version",
        "supporter",
        "start_date",
        "end_date",
        "full_name",
        "background",
        "organisation",
        "phone",
    ]
    urls = [
        f"/registry/teams/{world.team1}/edit",
        f"/registry/teams/{world.team1}/supporters",
        f"/registry/teams/{world.team1}/supporters/{world.support1}/end",
        f"/registry/supporters/new?unit={world.c1}",
        f"/registry/supporters/{world.supporter1}/edit",
    ]

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        before = fingerprint(app)
        created = client.post(f"/registry/teams/new?unit={world.c1}", data=data)
        assert created.status_code < 500, data
        if created.status_code != 303:
            assert fingerprint(app) == before, "a refused form saved something"
        for url in urls:
            assert client.post(url, data=data).status_code < 500, (url, data)
            assert client.post(url, data=data, htmx=True).status_code < 500, (url, data)
        for url in ("/registry/teams/", "/registry/supporters/"):
            query = {k: data.get(k, "") for k in ("name", "unit", "background", "version")}
            query = {
                "q": query["name"],
                "unit": query["unit"],
                "issue": query["version"],
                "after": query["background"],
                "background": query["background"],
            }
            assert client.http.get(url, query_string=query).status_code < 500

    run()
