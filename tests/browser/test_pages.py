"""Main pages: no console errors, no CSP violations, no sideways scrolling on a phone."""

import pytest

from .helpers import PHONE, expect, horizontal_overflow, open_node

pytestmark = pytest.mark.browser


def test_no_console_errors_or_csp_violations(page, login, world):
    page.goto("/login")
    expect(page.get_by_role("heading", name="Hòa giải ở cơ sở")).to_be_visible()
    login(page, world.usernames["officer"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Huyện Beta MARKER-D1")
    page.goto("/units/")
    open_node(page, "Huyện Beta MARKER-D1")
    page.get_by_role("searchbox").fill("gamma")
    expect(page.locator("#unit-results table")).to_be_visible()
    assert page.errors == [], "\n".join(page.errors)


def test_a_csp_violation_would_be_noticed(page):
    """The listener the test above relies on works: the CSP blocks an inline script."""
    page.goto("/login")
    with page.expect_console_message(lambda m: "CSP violation: script-src" in m.text):
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.__inline = 1"; document.body.append(s); }"""
        )
    assert page.evaluate("window.__inline") is None
    assert any("CSP violation: script-src" in e for e in page.errors), page.errors


def test_no_horizontal_scrolling_on_a_phone(new_page, login, world):
    page = new_page(viewport=PHONE)
    login(page, world.usernames["officer"])
    too_wide = []
    for url in ("/", "/units/"):
        page.goto(url)
        if url == "/units/":
            open_node(page, "Huyện Beta MARKER-D1")
            open_node(page, "Xã Epsilon MARKER-C2")
        width, culprits = horizontal_overflow(page)
        if width > PHONE["width"] + 1:
            too_wide.append(f"{url} is {width} px wide at 360 px: {culprits}")
    assert not too_wide, "\n".join(too_wide)
