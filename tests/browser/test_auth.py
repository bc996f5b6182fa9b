"""Log in through the form and out through the account menu, for every role."""

import re

import pytest

from .helpers import expect

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    "admin": "Tổng quan hệ thống",
    "officer": "Huyện Beta MARKER-D1",
    "commune_staff": "Xã Gamma MARKER-C1",
    "judge": "Phần chấm thi của tôi",
    "viewer": "Huyện Beta MARKER-D1",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_login_and_logout(page, login, world, role):
    username = world.usernames[role]
    login(page, username)

    assert page.url.endswith("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(HOME_HEADINGS[role])
    menu = page.locator("header details.menu")
    expect(menu.locator(".account-name")).to_have_text(username.title())

    menu.locator("summary").click()
    logout = menu.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_visible()
    with page.expect_navigation():
        logout.click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login(\?|$)"))
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    expect(page.locator("header.topbar")).to_have_count(0)


def test_wrong_password_stays_on_the_login_form(page, login, world):
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(world.usernames["officer"])
    page.get_by_label("Mật khẩu").fill("không phải mật khẩu")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value(world.usernames["officer"])
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
