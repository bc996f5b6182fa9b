"""The vendored htmx is the pinned file, and pages stay small (QUALITY.md P8)."""

import hashlib
import re
from pathlib import Path

from app.templating import HTMX_VERSION

ROOT = Path(__file__).resolve().parent.parent


def test_htmx_file_matches_the_recorded_hash():
    path = ROOT / "static" / "vendor" / f"htmx-{HTMX_VERSION}.min.js"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    readme = (ROOT / "static" / "vendor" / "README.md").read_text(encoding="utf-8")
    assert f"htmx-{HTMX_VERSION}.min.js" in readme
    assert digest in readme
    assert HTMX_VERSION.startswith("2.0.")


def test_no_asset_comes_from_the_internet():
    pattern = re.compile(r"(src|href)=\"(https?:)?//", re.IGNORECASE)
    for template in (ROOT / "templates").rglob("*.html"):
        assert not pattern.search(template.read_text(encoding="utf-8")), template


def test_templates_use_no_inline_script_or_hx_on():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "hx-on" not in text and "hx-delete" not in text, template
        assert re.search(r"<script(?![^>]*\bsrc=)", text) is None, template
        assert "|safe" not in text, template


PAGE_LIMIT = 100 * 1024
FRAGMENT_LIMIT = 15 * 1024
ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
# The lists whose htmx answers travel most: URL and the id of their rows (see more_row).
LISTS = {
    "/registry/mediators/": "mediator-rows",
    "/registry/teams/": "team-rows",
    "/logbook/": "entry-rows",
    "/logbook/rates": "rate-rows",
    "/commendations/proposals?year=": "proposal-rows",
    "/commendations/decisions?year=": "decision-rows",
}


def heaviest_pages(world) -> list[str]:
    """The heaviest pages of the test world for an officer: home, lists, a team, a team's book,
    a contest's page and entries, a round's progress, results, printed score table and minutes,
    the pilots' overview, a checklist being filled in and one under review (its review forms),
    its printed report, the default pilot template."""
    return [
        "/",
        *LISTS,
        f"/registry/teams/{world.team1}",
        f"/logbook/teams/{world.team1}",
        f"/contests/{world.contest1}",
        f"/contests/{world.contest1}/entries",
        f"/contests/rounds/{world.round1}/progress",
        f"/contests/rounds/{world.round1}/results",
        f"/contests/rounds/{world.round0}/print/table",
        f"/contests/rounds/{world.round0}/print/minutes",
        "/commendations/",
        "/pilots/",
        f"/pilots/checklists/{world.checklist1}",
        f"/pilots/checklists/{world.checklist2}",
        f"/pilots/checklists/{world.checklist1}/print",
        f"/pilots/templates/{world.template_pilot}",
        "/reports/",
        "/reports/plans",
    ]


def judge_pages(world) -> list[str]:
    """The judge's heaviest page: a score sheet, on a tablet."""
    return [f"/contests/parts/{world.part1_intro}/entries/{world.contest_entry1}/sheet"]


def page_weight(client, url: str) -> int:
    """Bytes of a full page and of every asset it references (CSS, JS, icons), each once."""
    page = client.get(url)
    assert page.status_code == 200, url
    assets = set(ASSET.findall(page.get_data(as_text=True)))
    assert any(a.startswith("/static/css/") for a in assets), url
    return len(page.get_data()) + sum(len(client.get(a).get_data()) for a in assets)


def test_full_pages_with_their_assets_are_under_100_kb(world, login_as):
    """P8: a full page with all its assets ≤ 100 KB uncompressed on first load."""
    client = login_as("officer")
    weights = {url: page_weight(client, url) for url in heaviest_pages(world)}
    judge = login_as("judge")
    weights |= {url: page_weight(judge, url) for url in judge_pages(world)}
    assert all(weight <= PAGE_LIMIT for weight in weights.values()), weights


def test_htmx_fragments_of_the_lists_are_under_15_kb(world, login_as):
    """P8: an htmx fragment ≤ 15 KB: a change of filters, and "load more" rows."""
    client = login_as("officer")
    for url, rows in LISTS.items():
        for target in (True, f"{rows}-more"):
            response = client.get(url, htmx=target)
            body = response.get_data(as_text=True)
            assert response.status_code == 200, (url, target)
            assert "<html" not in body, (url, target, "a fragment, not a page")
            assert len(response.get_data()) <= FRAGMENT_LIMIT, (url, target, len(body))


def test_htmx_fragments_of_a_contest_round_are_under_15_kb(world, login_as):
    """P8: what htmx polls while a round is scored (progress, ranking, head judge's board)."""
    fragments = {
        "officer": [
            f"/contests/rounds/{world.round1}/progress",
            f"/contests/rounds/{world.round1}/results",
        ],
        "head_judge": [f"/contests/rounds/{world.round1}/head"],
    }
    for role, urls in fragments.items():
        client = login_as(role)
        for url in urls:
            response = client.get(url, htmx=True)
            body = response.get_data(as_text=True)
            assert response.status_code == 200 and "<html" not in body, (role, url)
            assert len(response.get_data()) <= FRAGMENT_LIMIT, (role, url, len(body))


def test_no_markup_bypass_in_code():
    """S9: autoescaping is never switched off in Python either."""
    for source in (ROOT / "app").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "Markup(" not in text and "autoescape=False" not in text, source


def test_static_urls_carry_a_content_hash_and_are_cached(world, login_as):
    client = login_as("officer")
    body = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', body)
    assert css, "the stylesheet URL has its hash"
    response = client.get(css.group(1))
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_our_stylesheet_and_script_are_served_minified(world, login_as):
    """P8: the CSS and JS we write are sent without comments and indentation, and the
    minified stylesheet still holds every rule (a sample of selectors is there)."""
    client = login_as("officer")
    body = client.get("/").get_data(as_text=True)
    for name in ("css/app.css", "js/app.js"):
        url = re.search(rf'="(/static/{name}\?v=[0-9a-f]{{12}})"', body).group(1)
        response = client.get(url)
        source = (ROOT / "static" / name).read_bytes()
        assert response.status_code == 200
        assert len(response.get_data()) < 0.9 * len(source), name
        assert b"/*" not in response.get_data(), name
        assert "max-age=31536000" in response.headers["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    css = client.get(re.search(r'href="(/static/css/app\.css[^"]*)"', body).group(1))
    assert b".topbar{" in css.get_data() and b"@media print" in css.get_data()


def test_an_area_stylesheet_travels_only_with_its_pages(world, login_as):
    """P8: rules that one area's pages use are in static/css/<area>.css, linked (with its
    hash) on that area's pages only, and served minified like app.css."""
    client = login_as("officer")
    pilots = client.get("/pilots/").get_data(as_text=True)
    link = re.search(r'href="(/static/css/pilots\.css\?v=[0-9a-f]{12})"', pilots)
    assert link and pilots.index("css/app.css") < pilots.index("css/pilots.css")
    css = client.get(link.group(1))
    assert css.status_code == 200 and b"/*" not in css.get_data()
    assert b".pilot-item{" in css.get_data()
    for url in ("/", "/commendations/", f"/contests/{world.contest1}"):
        assert "css/pilots.css" not in client.get(url).get_data(as_text=True), url
    assert "css/registry.css" in client.get("/registry/teams/").get_data(as_text=True)
