"""What the browser tests share besides fixtures: viewports and moves in the unit tree."""

import re

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - the fixtures skip or fail the tests (see conftest.py)
    expect = None

DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 360, "height": 740}
CHILDREN_URL = re.compile(r"/units/\d+/children$")


def tree_node(page, name):
    """The <li> of the unit tree whose own summary (not a descendant's) shows ``name``."""
    return page.locator(
        "li.tree-node", has=page.locator(":scope > details > summary", has_text=name)
    )


def open_node(page, name):
    """Open a node of the unit tree, check that htmx fetched its children, return their box."""
    node = tree_node(page, name)
    expect(node).to_have_count(1)
    with page.expect_response(CHILDREN_URL) as response:
        node.locator(":scope > details > summary").click()
    assert response.value.status == 200, response.value.url
    assert response.value.request.headers.get("hx-request") == "true"
    expect(node.locator(":scope > details")).to_have_attribute("open", "")
    children = node.locator(":scope > details > .tree-children")
    expect(children.locator(".tree-node, .muted").first).to_be_visible()
    return children


def horizontal_overflow(page) -> tuple[int, list[str]]:
    """The document's scroll width, and the first elements that stick out to the right."""
    width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + [...e.classList].map(c => "." + c).join(""))"""
    )
    return width, culprits
