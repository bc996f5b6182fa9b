"""The registry in the browser: a team filled mediator by mediator until it complies, a
dismissal, the active search of mediators, and an Excel import with a bad row."""

import io
import re
from datetime import date
from urllib.parse import unquote_plus

import pytest

from .helpers import expect

pytestmark = pytest.mark.browser

TEAM_NAME = "Tổ hòa giải Bản Delta Mới"
TOO_FEW = "Chưa đủ 3 hòa giải viên đang hoạt động"
NO_WOMAN = "Thiếu hòa giải viên nữ"
NO_LEADER = "Chưa có tổ trưởng được công nhận"
COMPLIANT = "Đủ số lượng, thành phần"
TEAM_URL = re.compile(r"/registry/teams/(\d+)$")
MEDIATOR_URL = re.compile(r"/registry/mediators/(\d+)$")
DECISION_DATE = "01/03/2025"


def compliance(page):
    return page.locator("section.team-compliance")


def issues(page):
    return page.locator(".team-compliance-issues li")


def fill_decision(page, number):
    page.get_by_label("Số quyết định").fill(number)
    page.get_by_label("Ngày ký quyết định").fill(DECISION_DATE)


def add_mediator(page, team_id, name, sex, year, number):
    """Recognise a mediator through the form of /registry/mediators/new?team=…, in the team."""
    page.goto(f"/registry/mediators/new?team={team_id}")
    expect(page.get_by_role("combobox", name="Tổ hòa giải", exact=True)).to_have_value(str(team_id))
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Giới tính").select_option(label=sex)
    page.get_by_label("Năm sinh").fill(str(year))
    page.get_by_role("combobox", name="Dân tộc", exact=True).select_option(label="Kinh")
    fill_decision(page, number)
    with page.expect_navigation():  # to the new record, or back to the form (422)
        page.get_by_role("button", name="Công nhận hòa giải viên").click()
    confirm = page.get_by_label("Tôi đã kiểm tra, đây không phải người trùng")
    if "/new" in page.url and confirm.count():  # a possible namesake: the person was checked
        confirm.check()
        page.get_by_role("button", name="Công nhận hòa giải viên").click()
    expect(page).to_have_url(MEDIATOR_URL)  # not the form again with inline errors
    expect(page.locator("h1")).to_contain_text(name)
    return int(MEDIATOR_URL.search(page.url).group(1))


def show_team(page, team_id):
    page.goto(f"/registry/teams/{team_id}")
    expect(page.locator("h1")).to_contain_text(TEAM_NAME)


def test_staff_builds_a_team_until_it_complies(page, login, world):
    login(page, world.usernames["commune_staff"])
    page.goto("/registry/teams/")
    page.get_by_role("link", name="Thêm tổ hòa giải").click()
    expect(page.locator("h1")).to_have_text("Thêm tổ hòa giải")
    page.get_by_label("Thôn, bản, tổ dân phố").select_option(str(world.v1))
    page.get_by_label("Tên tổ hòa giải").fill(TEAM_NAME)
    page.get_by_role("button", name="Thêm tổ hòa giải").click()
    expect(page).to_have_url(TEAM_URL)
    team_id = int(TEAM_URL.search(page.url).group(1))
    expect(page.locator("h1")).to_contain_text(TEAM_NAME)
    expect(issues(page)).to_contain_text([TOO_FEW])

    page.get_by_role("link", name="Thêm hòa giải viên").first.click()
    expect(page).to_have_url(re.compile(rf"/registry/mediators/new\?team={team_id}$"))

    men = [("Lò Văn Tú", 1970), ("Hoàng Văn Nam", 1975), ("Vàng A Sử", 1981)]
    ids = []
    for count, (name, year) in enumerate(men, start=1):
        ids.append(add_mediator(page, team_id, name, "Nam", year, f"{count}/QĐ-UBND"))
        show_team(page, team_id)
        expect(page.locator(".team-compliance-counts")).to_contain_text(
            f"Hòa giải viên đang hoạt động{count}"
        )
        if count < 3:
            expect(issues(page)).to_contain_text([TOO_FEW, NO_WOMAN, NO_LEADER])
        else:
            expect(issues(page)).to_have_text([NO_WOMAN, NO_LEADER])
        expect(compliance(page)).to_have_class(re.compile("team-compliance-bad"))

    add_mediator(page, team_id, "Lường Thị Hoa", "Nữ", 1985, "4/QĐ-UBND")
    show_team(page, team_id)
    expect(issues(page)).to_have_text([NO_LEADER])

    page.goto(f"/registry/mediators/{ids[0]}")
    page.get_by_role("link", name="Công nhận tổ trưởng").click()
    expect(page.locator("h1")).to_have_text("Công nhận tổ trưởng")
    fill_decision(page, "5/QĐ-UBND")
    page.get_by_role("button", name="Công nhận tổ trưởng").click()
    expect(page).to_have_url(re.compile(rf"/registry/mediators/{ids[0]}$"))

    show_team(page, team_id)
    expect(compliance(page)).to_have_class(re.compile("team-compliance-ok"))
    expect(page.locator("#compliance-title")).to_have_text(re.compile(rf"^\W*{COMPLIANT}$"))
    expect(issues(page)).to_have_count(0)
    expect(page.locator(".team-compliance-counts")).to_contain_text("Tổ trưởngLò Văn Tú")
    assert page.errors == []


def compliant_team(app, world):
    """A team of V1 with three men, a woman and a leader, made by the services; its ids."""
    from app.extensions import db
    from app.registry.services.mediators import create_mediator, make_leader
    from app.registry.services.teams import create_team
    from app.units.models import Unit

    decision = {"decision_number": "9/QĐ-UBND", "decision_date": date(2025, 3, 1)}
    people = [
        ("Lò Văn Tú", "M"),
        ("Hoàng Văn Nam", "M"),
        ("Vàng A Sử", "M"),
        ("Lường Thị Hoa", "F"),
    ]
    with app.app_context():
        team = create_team(unit=db.session.get(Unit, world.v1), name=TEAM_NAME)
        made = [
            create_mediator(
                team=team,
                values={"full_name": n, "sex": s, "birth_year": 1980, "ethnicity_code": "01"},
                decision=decision,
            )
            for n, s in people
        ]
        make_leader(made[0], decision)
        db.session.commit()
        return team.id, made[-1].id


def test_dismissing_the_only_woman_shows_the_team_lacks_one(page, login, world, app):
    team_id, woman_id = compliant_team(app, world)
    login(page, world.usernames["commune_staff"])
    show_team(page, team_id)
    expect(compliance(page)).to_have_class(re.compile("team-compliance-ok"))

    page.get_by_role("link", name="Lường Thị Hoa").click()
    expect(page).to_have_url(re.compile(rf"/registry/mediators/{woman_id}$"))
    page.get_by_role("link", name="Thôi làm hòa giải viên").click()
    expect(page.locator("h1")).to_have_text("Thôi làm hòa giải viên")
    page.get_by_label("Căn cứ thôi làm hòa giải viên").select_option("own_wish")
    fill_decision(page, "10/QĐ-UBND")
    page.get_by_role("button", name="Ghi nhận thôi làm hòa giải viên").click()
    expect(page).to_have_url(re.compile(rf"/registry/mediators/{woman_id}$"))

    show_team(page, team_id)
    expect(compliance(page)).to_have_class(re.compile("team-compliance-bad"))
    expect(issues(page)).to_have_text([NO_WOMAN])
    expect(page.locator(".team-history")).to_contain_text("Lường Thị Hoa")
    assert page.errors == []


def search_box(page):
    return page.get_by_role("searchbox", name="Tìm hòa giải viên theo họ tên")


def add_to_team(app, team_id, full_name, sex="F"):
    """A mediator added by the services, for the tests that only read the registry."""
    from app.extensions import db
    from app.registry.models import Team
    from app.registry.services.mediators import create_mediator

    decision = {"decision_number": "9/QĐ-UBND", "decision_date": date(2025, 3, 1)}
    values = {"full_name": full_name, "sex": sex, "birth_year": 1990, "ethnicity_code": "01"}
    with app.app_context():
        create_mediator(team=db.session.get(Team, team_id), values=values, decision=decision)
        db.session.commit()


def search(page, typed):
    """Type in the search field, without Enter, and wait for the htmx answer."""
    page.evaluate("window.__marker = 1")
    wanted = "/registry/mediators/?q=" + typed

    def answered(response):
        url = unquote_plus(response.url)
        return url.endswith(wanted) or wanted + "&" in url

    with page.expect_response(answered) as response:
        search_box(page).press_sequentially(typed)
    assert response.value.request.headers.get("hx-request") == "true"
    query = typed.replace(" ", r"(\+|%20)")
    expect(page).to_have_url(re.compile(rf"/registry/mediators/\?q={query}(&|$)"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
    return page.locator("#mediator-rows")


def test_active_search_finds_a_mediator_without_diacritics(page, login, world):
    login(page, world.usernames["commune_staff"])
    page.goto("/registry/mediators/?q=zzz")
    expect(page.locator("#mediator-rows")).to_contain_text("Không có hòa giải viên nào phù hợp")
    with page.expect_response(re.compile(r"/registry/mediators/\?q=&")):
        search_box(page).fill("")
    rows = search(page, "giang thi mai")
    names = rows.locator("a[href*='/registry/mediators/']")
    expect(names).to_have_text(["Giàng Thị Mai MARKER-C1"])
    expect(page.get_by_text("MARKER-C2")).to_have_count(0)
    assert page.errors == []


def test_active_search_finds_a_mediator_by_given_name(page, login, world, app):
    add_to_team(app, world.team1, "Lò Thị Mai")
    add_to_team(app, world.team1, "Mai Văn Hùng", sex="M")
    login(page, world.usernames["commune_staff"])
    page.goto("/registry/mediators/")
    rows = search(page, "mai")
    names = rows.locator("a[href*='/registry/mediators/']")
    expect(names).to_have_count(2)
    assert sorted(names.all_inner_texts()) == ["Lò Thị Mai", "Mai Văn Hùng"]
    assert page.errors == []


def test_import_with_a_bad_row_is_refused_and_lists_the_reason(page, login, world):
    from openpyxl import load_workbook

    login(page, world.usernames["commune_staff"])
    page.goto("/registry/import")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu của xã (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook["Hòa giải viên"]
    headers = [c.value for c in sheet[1]]
    assert "Họ và tên" in headers, headers
    column = {h: i for i, h in enumerate(headers) if h}
    existing = [c.value for c in sheet[2]]
    assert existing[column["Họ và tên"]] == "Giàng Thị Mai MARKER-C1"
    team_name = existing[column["Tổ hòa giải"]]

    future = date.today().year + 1
    rows = [("Lò Văn Tú", 1985), ("Vừ Thị Sinh", future)]
    for name, year in rows:
        values = [None] * len(headers)
        for header, value in {
            "Họ và tên": name,
            "Giới tính": "Nam" if year == 1985 else "Nữ",
            "Năm sinh": year,
            "Dân tộc": "Thái",
            "Tổ hòa giải": team_name,
            "Số QĐ công nhận": "15/QĐ-UBND",
            "Ngày QĐ công nhận (dd/mm/yyyy)": "01/03/2024",
        }.items():
            values[column[header]] = value
        sheet.append(values)
    bad_line = sheet.max_row
    filled = io.BytesIO()
    workbook.save(filled)

    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(
        {
            "name": "hoa-giai-vien.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": filled.getvalue(),
        }
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator("h1")).to_have_text("Kết quả kiểm tra tệp")

    bad = page.locator("section.card", has=page.get_by_role("heading", name="Dòng lỗi (1)"))
    expect(bad.locator("tbody tr")).to_have_count(1)
    expect(bad.locator("tbody tr")).to_contain_text(str(bad_line))
    expect(bad.locator("tbody tr")).to_contain_text("Vừ Thị Sinh")
    expect(bad.locator("tbody tr")).to_contain_text("tương lai")
    creates = page.locator("section.card", has=page.get_by_role("heading", name="Sẽ thêm mới (1)"))
    expect(creates).to_contain_text("Lò Văn Tú")

    expect(page.locator("#import-blocked")).to_contain_text("chưa thể nhập")
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_disabled()
    expect(page.locator("form[action*='/apply']")).to_have_count(0)
    # Posting anyway (as a stale tab or a crafted request would) is refused, and nothing is written.
    preview_url = page.url
    file_id = re.search(r"/registry/import/(\d+)", preview_url).group(1)
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    refused = page.request.post(
        f"/registry/import/{file_id}/apply?commune={world.c1}",
        headers={"X-CSRFToken": token},
        form={"plan": "whatever"},
        max_redirects=0,
    )
    assert refused.status == 303, refused.status
    assert refused.headers["location"].endswith(preview_url.split("/registry", 1)[1])
    page.reload()
    expect(page.locator(".flash-error").first).to_contain_text("chưa nhập dòng nào")

    with page.expect_download() as errors_download:
        page.get_by_role("link", name="Tải danh sách dòng lỗi (.xlsx)").click()
    errors = load_workbook(io.BytesIO(errors_download.value.path().read_bytes()))["Hòa giải viên"]
    table = [[c.value for c in row] for row in errors.iter_rows()]
    assert table[0][-1] == "Lý do", table[0]
    assert table[0][:-1] == [h for h in headers if h], table[0]
    assert len(table) == 2, table
    assert table[1][column["Họ và tên"]] == "Vừ Thị Sinh"
    assert table[1][-1].startswith(f"Dòng {bad_line}:"), table[1][-1]
    assert "tương lai" in table[1][-1], table[1][-1]

    page.goto("/registry/mediators/?q=lo+van+tu")
    expect(page.locator("#mediator-rows")).to_contain_text("Không có hòa giải viên nào phù hợp")
    assert page.errors == []
