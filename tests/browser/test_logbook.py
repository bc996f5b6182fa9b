"""The logbook in the browser: commune staff copy three cases from the paper book through the
fast-entry form and the team's book shows the success rate; the htmx filters of the list;
accessibility and the look of the pages at 1366 and 360 px."""

import os
import re
from pathlib import Path

import pytest

from app.clock import today

from .helpers import DESKTOP, PHONE, expect, horizontal_overflow
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

FORM_URL = re.compile(r"/logbook/entries/new\?team=\d+")
BOOK_URL = re.compile(r"/logbook/teams/\d+\?year=\d{4}$")


def fill_case(page, content, result, *, ended=True, agreement=None, parties=()):
    """Fill the form of a case received, started (and ended) today."""
    day = today().strftime("%d/%m/%Y")
    page.get_by_label("Ngày tiếp nhận").fill(day)
    for n, (name, age, address) in enumerate(parties):
        page.locator(f"#parties-{n}-full_name").fill(name)
        page.locator(f"#parties-{n}-age").fill(age)
        page.locator(f"#parties-{n}-address").fill(address)
    page.get_by_label("Nội dung chính của vụ việc").fill(content)
    page.get_by_label("Dân sự").check()
    page.get_by_label("Giàng Thị Mai MARKER-C1").check()
    page.get_by_label("Ngày bắt đầu hòa giải").fill(day)
    page.get_by_label(result, exact=True).check()
    if ended:
        page.get_by_label("Ngày kết thúc").fill(day)
    if agreement:
        page.get_by_label("Thỏa thuận đạt được hoặc yêu cầu của các bên").fill(agreement)


def save_and_next(page, number):
    page.get_by_role("button", name="Lưu và nhập vụ việc tiếp theo").click()
    expect(page).to_have_url(FORM_URL)
    expect(page.locator(".flash-success")).to_have_text(f"Đã lưu vụ việc số {number}")
    expect(page.get_by_label("Nội dung chính của vụ việc")).to_have_value("")


def test_staff_copy_three_cases_and_the_book_shows_the_rate(page, login, world):
    year = today().year
    login(page, world.usernames["commune_staff"])
    page.goto(f"/logbook/teams/{world.team1}")
    expect(page.locator("h1")).to_contain_text("Tổ hòa giải Bản Delta")
    expect(page.locator(".logbook-rate")).to_contain_text("Chưa có vụ việc")
    page.get_by_role("link", name="Nhập vụ việc").click()
    expect(page).to_have_url(FORM_URL)
    expect(page.get_by_label("Số thứ tự")).to_have_value("1")
    expect(page.get_by_label("Số thứ tự")).to_be_focused()

    # A third party: the form comes back with one more row, nothing saved, typing kept.
    page.locator("#parties-0-full_name").fill("Thào Thị Dợ")
    page.get_by_role("button", name="Thêm bên").click()
    expect(page.locator("#parties-2-full_name")).to_be_focused()
    expect(page.locator("#parties-0-full_name")).to_have_value("Thào Thị Dợ")
    fill_case(
        page,
        "Tranh chấp lối đi chung giữa ba hộ",
        "Hòa giải thành",
        agreement="Các bên thống nhất mở lối đi rộng 2 m.",
        parties=[
            ("Thào Thị Dợ", "40", "Bản Delta"),
            ("Mùa A Chư", "38", "Bản Delta"),
            ("Lý A Sử", "61", "Bản Delta"),
        ],
    )
    save_and_next(page, f"1/{year}")
    expect(page.get_by_label("Số thứ tự")).to_have_value("2")

    fill_case(
        page,
        "Mâu thuẫn vợ chồng về chia tài sản",
        "Hòa giải không thành",
        agreement="Bên vợ yêu cầu chia đôi; bên chồng không đồng ý.",
        parties=[("Sùng Thị Mai", "29", "Bản Delta"), ("Giàng A Páo", "31", "Bản Delta")],
    )
    save_and_next(page, f"2/{year}")
    expect(page.get_by_label("Số thứ tự")).to_have_value("3")

    fill_case(
        page,
        "Tranh chấp nguồn nước tưới ruộng",
        "Đang giải quyết",
        ended=False,
        parties=[("Lò Văn Thanh", "50", "Bản Delta"), ("Quàng Văn Ươi", "47", "Bản Delta")],
    )
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page).to_have_url(BOOK_URL)
    expect(page.locator(".flash-success")).to_have_text(f"Đã lưu vụ việc số 3/{year}")
    rate = page.locator(".logbook-rate .success-rate")
    expect(rate.locator(".rate-value")).to_have_text("50%")
    expect(rate).to_contain_text("1 thành / 2 vụ việc đã kết thúc")
    rows = page.locator(".logbook-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(f"Số 1/{year}")
    expect(rows.nth(0)).to_contain_text("3 bên")
    expect(rows.nth(2)).to_contain_text("Đang giải quyết")
    expect(page.locator("main")).not_to_contain_text("Thào Thị Dợ")

    # The same rate, with its counts, on the team's page, on the commune's page and on the
    # rates page of the commune (this year's cases: the fixture's are of 2025).
    for url in (
        f"/registry/teams/{world.team1}",
        f"/units/{world.c1}",
        f"/logbook/rates?unit={world.c1}",
    ):
        page.goto(url)
        shown = page.locator(".success-rate").first
        expect(shown.locator(".rate-value")).to_have_text("50%")
        expect(shown).to_contain_text("1 thành / 2 vụ việc đã kết thúc")
    assert page.errors == []


def test_list_filters_swap_the_results_in_place(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/logbook/")
    rows = page.locator("#entry-rows tr")
    expect(rows).to_have_count(4)
    page.evaluate("window.__marker = 1")
    with page.expect_response(re.compile(r"/logbook/\?")) as response:
        page.get_by_label("Kết quả").select_option("successful")
    assert response.value.request.headers.get("hx-request") == "true"
    expect(rows).to_have_count(2)
    expect(page.locator(".logbook-results .success-rate")).to_contain_text("2 thành / 2 vụ việc")
    expect(page).to_have_url(re.compile(r"result=successful"))
    with page.expect_response(re.compile(r"/logbook/\?")):
        page.get_by_label("Địa bàn").select_option(str(world.c2))
    expect(rows).to_have_count(1)
    expect(page.get_by_label("Tổ hòa giải")).to_be_enabled()
    expect(page.get_by_label("Tổ hòa giải").locator("option")).to_have_count(2)
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
    assert page.errors == []


def test_logbook_pages_are_accessible(page, login, world, axe_source):
    login(page, world.usernames["commune_staff"])
    for url in (
        "/logbook/",
        f"/logbook/entries/new?team={world.team1}",
        f"/logbook/teams/{world.team1}?year=2025",
        f"/logbook/entries/{world.entry1}",
    ):
        page.goto(url)
        assert_accessible(page, axe_source)
    # The form with its errors shown.
    page.goto(f"/logbook/entries/new?team={world.team1}")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".flash-error")).to_be_visible()
    assert_accessible(page, axe_source)


def test_logbook_pages_at_office_and_phone_widths(new_page, login, world):
    """No sideways scrolling, no errors; screenshots when SCREENSHOT_DIR is set."""
    shots = os.environ.get("SCREENSHOT_DIR")
    page = new_page()
    login(page, world.usernames["commune_staff"])
    pages = [
        ("logbook-list", "/logbook/"),
        ("logbook-form", f"/logbook/entries/new?team={world.team1}"),
        ("logbook-book", f"/logbook/teams/{world.team1}?year=2025"),
        ("logbook-case", f"/logbook/entries/{world.entry1}"),
    ]
    problems = []
    for name, url in pages:
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            assert page.goto(url).status == 200
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=Path(shots) / f"{name}-{viewport['width']}.png", full_page=True
                )
            width, culprits = horizontal_overflow(page)
            if width > viewport["width"] + 1:
                problems.append(f"{name} is {width} px wide: {culprits}")
    assert not problems and page.errors == [], problems + page.errors
