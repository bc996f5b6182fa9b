"""A tour of the main pages at 1366 and 360 px: no errors, no sideways scrolling, screenshots.

Screenshots are taken only when SCREENSHOT_DIR is set, for people to look at:
``SCREENSHOT_DIR=/tmp/shots make test-sqlite PYTEST_ARGS=tests/browser/test_screenshots.py``.
"""

import os
from pathlib import Path

import pytest

from .helpers import DESKTOP, PHONE, horizontal_overflow, open_node

pytestmark = pytest.mark.browser


def open_tree(page):
    open_node(page, "Huyện Beta MARKER-D1")
    open_node(page, "Xã Epsilon MARKER-C2")


def tour(world):
    """(name, role or None for anonymous, url, what to do once there)."""
    return [
        ("login", None, "/login", None),
        ("officer-home", "officer", "/", None),
        ("units-tree", "officer", "/units/", open_tree),
        ("units-search", "officer", "/units/?q=xa", None),
        ("unit-detail", "officer", f"/units/{world.c1}", None),
        ("unit-print", "officer", f"/units/{world.d1}/print", None),
        ("admin-home", "admin", "/", None),
        ("users", "admin", "/users/", None),
        ("commune-home", "commune_staff", "/", None),
        ("commendations", "officer", "/commendations/", None),
        ("commendation-proposals", "officer", "/commendations/proposals?year=", None),
        ("commendation-proposal", "officer", f"/commendations/proposals/{world.proposal1}", None),
        (
            "commendation-new",
            "commune_staff",
            f"/commendations/proposals/new?mediator={world.mediator1}",
            None,
        ),
        ("commendation-bulk", "officer", "/commendations/proposals/bulk", None),
        ("commendation-decisions", "officer", "/commendations/decisions?year=", None),
        ("commendation-decision", "officer", f"/commendations/decisions/{world.decision1}", None),
        ("commendation-decision-new", "officer", "/commendations/decisions/new", None),
        ("mediator-awards", "officer", f"/registry/mediators/{world.mediator2}", None),
        (
            "commendation-edit",
            "commune_staff",
            f"/commendations/proposals/{world.proposal1}/edit",
            None,
        ),
        (
            "commendation-withdraw",
            "commune_staff",
            f"/commendations/proposals/{world.proposal1}/withdraw",
            None,
        ),
        ("decision-edit", "officer", f"/commendations/decisions/{world.decision1}/edit", None),
        ("decision-revoke", "officer", f"/commendations/decisions/{world.decision1}/revoke", None),
        ("decision-print", "officer", f"/commendations/decisions/{world.decision1}/print", None),
        ("contest-proposals", "officer", f"/contests/{world.contest1}/proposals", None),
        ("pilots", "officer", "/pilots/", None),
        ("pilot-designate", "officer", f"/pilots/checklists/new?unit={world.c2}", None),
        ("pilot-review", "officer", f"/pilots/checklists/{world.checklist2}", None),
        ("pilot-signed", "officer", f"/pilots/checklists/{world.checklist4}", None),
        ("pilot-print", "officer", f"/pilots/checklists/{world.checklist1}/print", None),
        ("pilot-templates", "officer", "/pilots/templates/", None),
        ("pilot-template", "officer", f"/pilots/templates/{world.template1}", None),
        ("pilot-template-item", "officer", f"/pilots/template-items/{world.titem1}/edit", None),
        ("pilot-fill", "commune_staff", f"/pilots/checklists/{world.checklist1}", None),
        ("pilot-item", "commune_staff", f"/pilots/items/{world.citem1_evidence}", None),
        ("reports", "officer", "/reports/", None),
        ("report-plans", "officer", "/reports/plans", None),
        ("report-plan", "officer", f"/reports/plans/{world.plan1}", None),
        ("reports-commune", "commune_staff", "/reports/", None),
        ("reports-country", "admin", "/reports/", None),
    ]


def test_tour_of_the_main_pages(new_page, login, world):
    shots = os.environ.get("SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    problems = []
    pages = {}
    for name, role, url, action in tour(world):
        if role not in pages:
            pages[role] = new_page()
            if role:
                login(pages[role], world.usernames[role])
        page = pages[role]
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            response = page.goto(url)
            assert response.status == 200, f"{url}: {response.status}"
            if action:
                action(page)
            if shots:
                path = Path(shots) / f"{name}-{viewport['width']}.png"
                page.screenshot(path=path, full_page=True)
            width, culprits = horizontal_overflow(page)
            if width > viewport["width"] + 1:
                problems.append(f"{name} ({url}) is {width} px wide: {culprits}")
        problems += [f"{name} ({url}): {error}" for error in page.errors]
        page.errors.clear()
    assert not problems, "\n".join(problems)
