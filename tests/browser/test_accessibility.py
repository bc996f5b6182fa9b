"""axe-core finds no serious or critical accessibility problem on the main pages."""

import pytest

from .helpers import open_node

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

RUN_AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then(result =>
  result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary}))
  })))"""


def axe_violations(page, axe_source) -> list[dict]:
    """Run axe-core in the page; evaluate() is not subject to the page's CSP."""
    page.evaluate(axe_source)
    return page.evaluate(RUN_AXE)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page, axe_source):
    violations = axe_violations(page, axe_source)
    print(f"axe on {page.url}:\n{describe(violations) or 'no violations'}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {page.url}:\n{describe(blocking)}"


def test_login_page(page, axe_source):
    page.goto("/login")
    assert_accessible(page, axe_source)


def test_officer_home_page(page, login, world, axe_source):
    login(page, world.usernames["officer"])
    assert_accessible(page, axe_source)


def test_units_page_with_an_open_node(page, login, world, axe_source):
    login(page, world.usernames["officer"])
    page.goto("/units/")
    open_node(page, "Huyện Beta MARKER-D1")
    assert_accessible(page, axe_source)
