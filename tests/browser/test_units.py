"""The unit tree loads children with htmx when a node is opened; the search is active."""

import re

import pytest

from .helpers import CHILDREN_URL, expect, open_node, tree_node

pytestmark = pytest.mark.browser


def mark_page(page):
    """Leave a marker in the window: it survives htmx swaps, not a full page load."""
    page.evaluate("window.__marker = 1")


def assert_same_page(page):
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"


def search_box(page):
    return page.get_by_role("searchbox", name="Tìm đơn vị theo tên")


ROOT = ["Huyện Beta MARKER-D1"]
COMMUNES = ["Xã Epsilon MARKER-C2", "Xã Gamma MARKER-C1"]


def test_officer_opens_the_tree_from_the_district(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    mark_page(page)

    communes = open_node(page, "Huyện Beta MARKER-D1")
    expect(communes.locator(".tree-name")).to_have_text(
        ["Xã Epsilon MARKER-C2", "Xã Gamma MARKER-C1"]
    )
    assert_same_page(page)

    villages = open_node(page, "Xã Gamma MARKER-C1")
    expect(villages.locator(".tree-name")).to_have_text(["Bản Delta MARKER-V1"])
    expect(page.get_by_text("Bản Zeta MARKER-V2")).to_have_count(0)
    assert_same_page(page)
    assert page.url.endswith("/units/")


def test_admin_opens_the_tree_from_the_province(page, login, world):
    login(page, world.usernames["admin"])
    page.goto("/units/")
    mark_page(page)
    roots = page.locator("ul.tree-root > li > details > summary .tree-name")
    expect(roots).to_have_text(["Tỉnh Alpha MARKER-P1", "Tỉnh Omega MARKER-P2"])

    districts = open_node(page, "Tỉnh Alpha MARKER-P1")
    expect(districts.locator(".tree-name")).to_have_text(["Huyện Beta MARKER-D1"])
    communes = open_node(page, "Huyện Beta MARKER-D1")
    expect(communes.locator(".tree-name")).to_have_text(
        ["Xã Epsilon MARKER-C2", "Xã Gamma MARKER-C1"]
    )
    villages = open_node(page, "Xã Epsilon MARKER-C2")
    expect(villages.locator(".tree-name")).to_have_text(["Bản Zeta MARKER-V2"])
    assert_same_page(page)


def test_a_node_loads_its_children_once(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if CHILDREN_URL.search(r.url) else None)
    communes = open_node(page, "Huyện Beta MARKER-D1")
    summary = tree_node(page, "Huyện Beta MARKER-D1").locator(":scope > details > summary")
    summary.click()
    expect(communes).to_be_hidden()
    summary.click()
    expect(communes.locator(".tree-name")).to_have_count(2)
    page.wait_for_timeout(100)  # room for a second request, which must not come
    assert len(fetched) == 1, fetched


def test_the_tree_works_with_the_keyboard(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    tree_node(page, "Huyện Beta MARKER-D1").locator(":scope > details > summary").focus()
    with page.expect_response(CHILDREN_URL):
        page.keyboard.press("Enter")
    expect(page.locator(".tree-children .tree-name")).to_have_text(COMMUNES)


def test_active_search_finds_a_commune_without_diacritics(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    mark_page(page)

    search_box(page).press_sequentially("gamma")  # no Enter
    results = page.locator("#unit-results")
    expect(results.get_by_role("link", name="Xã Gamma MARKER-C1")).to_be_visible()
    expect(results.get_by_text("Xã Epsilon MARKER-C2")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/units/\?q=gamma$"))
    assert_same_page(page)


def test_search_shows_nothing_outside_the_officers_scope(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    search_box(page).fill("sigma")
    expect(page.locator("#unit-results")).to_contain_text("Không tìm thấy đơn vị nào")
    expect(page.get_by_text("MARKER-C3")).to_have_count(0)


def test_clearing_the_search_brings_back_the_tree(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/?q=gamma")
    mark_page(page)
    with page.expect_response(re.compile(r"/units/\?q=$")):
        search_box(page).fill("")
    expect(page.locator("#unit-results table")).to_have_count(0)
    expect(page.locator("header.topbar")).to_have_count(1)  # not a whole page inside the page
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("#unit-results .tree-root .tree-name")).to_have_text(
        ["Huyện Beta MARKER-D1"]
    )
    assert_same_page(page)


def test_back_after_a_search_shows_the_tree_again(page, login, world):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    search_box(page).fill("gamma")
    expect(page).to_have_url(re.compile(r"\?q=gamma$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/units/$"))
    expect(page.locator("#unit-results .tree-root .tree-name")).to_have_text(
        ["Huyện Beta MARKER-D1"]
    )
    page.go_forward()
    expect(page.locator("#unit-results table")).to_contain_text("Xã Gamma MARKER-C1")
    expect(page.locator("header.topbar")).to_have_count(1)
