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


def test_full_page_with_assets_is_under_100_kb(world, login_as):
    client = login_as("officer")
    page = client.get("/")
    total = len(page.get_data())
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.get_data(as_text=True)):
        total += len(client.get(asset).get_data())
    assert total <= 100 * 1024, total


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
