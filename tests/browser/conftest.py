"""Browser fixtures: the app on a live server, headless Chromium, a page per test, a login helper.

Without Playwright or Chromium the browser tests are skipped, unless REQUIRE_BROWSER=1, which
makes them fail (CI must not pass by skipping them). The browser is Debian's chromium
(``apt-get install chromium``) or the one named by CHROMIUM_PATH; Playwright's own download is
used when neither is there.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

from .helpers import DESKTOP

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None
    PlaywrightError = Exception

ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = [
    "--no-sandbox",  # the tests may run as root in a container
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Reports CSP violations through console.error, so that the console listener (record_errors) sees
# them with the other errors. Init scripts are not subject to the page's CSP.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER") == "1"


def unavailable(reason: str):
    """Fail when the browser is required (REQUIRE_BROWSER=1), skip otherwise."""
    if browser_required():
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else Debian's chromium, else None (Playwright's own download)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def closing_every_response(app):
    """Read each response whole and close it at once.

    When a test ends, its browser context is closed and requests in flight are dropped; the
    development server then skips closing the response, and the open file of a static asset
    raises a ResourceWarning later, in whatever test runs then (``filterwarnings = error``).
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served over HTTP on a free port, in a background thread."""
    server = make_server("127.0.0.1", 0, closing_every_response(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if sync_playwright is None:
        unavailable("Playwright is not installed (pip install playwright)")
    executable = chromium_path()
    try:
        playwright = sync_playwright().start()
    except PlaywrightError as error:
        unavailable(f"Playwright does not start: {error}")
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=LAUNCH_ARGS
        )
    except PlaywrightError as error:
        playwright.stop()
        unavailable(
            f"Chromium does not start ({executable or 'Playwright download'}): "
            f"{str(error).splitlines()[0]}. Install it with `apt-get install chromium` "
            "or set CHROMIUM_PATH."
        )
    yield chromium
    chromium.close()
    playwright.stop()


def record_errors(page) -> list[str]:
    """Collect the page's console errors (CSP violations included) and uncaught errors."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            where = message.location
            errors.append(f"{message.text} ({where.get('url')}:{where.get('lineNumber')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught error: {error}"))
    return errors


@pytest.fixture
def new_page(browser, live_server):
    """Make pages in fresh contexts (no shared cookies): ``new_page(viewport=PHONE)``.

    ``page.errors`` lists the console errors, CSP violations and uncaught errors of the page.
    """
    contexts = []

    def _new_page(viewport=DESKTOP):
        context = browser.new_context(
            base_url=live_server,
            viewport=viewport,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(5_000)
        context.add_init_script(CSP_REPORTER)
        contexts.append(context)
        page = context.new_page()
        page.errors = record_errors(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page at 1366 × 800 in a fresh context; ``page.errors`` lists what went wrong in it."""
    return new_page()


@pytest.fixture
def login():
    """Log in through the real form: ``login(page, "canbo")``; ends on the page it leads to."""

    def _login(page, username, password=PASSWORD):
        page.goto("/login")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Đăng nhập").click()
        assert "/login" not in page.url, f"login of {username} failed: {page.url}"
        return page

    return _login


@pytest.fixture(scope="session")
def axe_source():
    """The source of axe-core (npm ci installs it), to evaluate in a page."""
    if not AXE_PATH.exists():
        unavailable(f"axe-core is missing ({AXE_PATH}): run `npm ci`")
    return AXE_PATH.read_text(encoding="utf-8")
