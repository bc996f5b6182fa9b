"""Jinja filters and globals shared by every template."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, url_for
from flask_login import current_user

from app import text
from app.users.models import ROLE_LABELS, Role

HTMX_VERSION = "2.0.11"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["area_stylesheet"] = area_stylesheet
    app.jinja_env.filters["date"] = text.format_date
    app.jinja_env.filters["datetime"] = text.format_datetime
    app.jinja_env.filters["number"] = text.format_number
    app.jinja_env.filters["decimal"] = text.format_decimal
    app.jinja_env.filters["percent"] = text.format_percent
    app.jinja_env.globals["htmx_script"] = f"vendor/htmx-{HTMX_VERSION}.min.js"
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
    app.context_processor(_navigation)


def _navigation() -> dict:
    """The navigation of base.html, by role: the same policy table that guards the routes."""
    from app.security.policy import POLICY

    if not current_user.is_authenticated:
        return {"nav_items": [], "menu_items": []}
    visible = [
        (endpoint, label, sections)
        for endpoint, label, sections in NAVIGATION
        if endpoint in current_app.view_functions and POLICY[endpoint].allows(current_user)
    ]
    bar = [item for item in visible if item[0] not in ACCOUNT_MENU]
    menu = [item for item in visible if item[0] in ACCOUNT_MENU]
    return {"nav_items": bar, "menu_items": menu, "nav_current": _current_section(visible)}


# (endpoint, label, endpoint prefixes of the pages that belong to the item)
NAVIGATION = [
    ("main.index", "Trang chủ", ("main.",)),
    ("registry.teams", "Tổ hòa giải", ("registry.team", "registry.supporter")),
    ("registry.mediators", "Hòa giải viên", ("registry.mediator", "registry.import")),
    ("registry.trainings", "Tập huấn", ("registry.training", "registry.trainer")),
    ("logbook.index", "Sổ hòa giải", ("logbook.",)),
    ("contests.index", "Hội thi", ("contests.",)),
    (
        "contests.scoring",
        "Chấm thi",
        ("contests.scoring", "contests.declare", "contests.sheet", "contests.head"),
    ),
    ("commendations.index", "Khen thưởng", ("commendations.",)),
    ("pilots.index", "Chỉ đạo điểm", ("pilots.",)),
    ("reports.dashboard", "Báo cáo", ("reports.",)),
    ("units.index", "Đơn vị", ("units.",)),
    ("users.index", "Tài khoản", ("users.",)),
    ("audit.index", "Nhật ký", ("audit.",)),
]


# Administration pages (admins' only): in the account menu, so that the bar stays one line
# at 1366 px for every role.
ACCOUNT_MENU = frozenset({"users.index", "audit.index"})


def _current_section(items) -> str | None:
    from flask import request

    endpoint = request.endpoint or ""
    for item_endpoint, _label, sections in items:
        if endpoint.startswith(sections):
            return item_endpoint
    return None


def asset_url(filename: str) -> str:
    """URL of a static file with its content hash: browsers may cache it for a year."""
    return url_for(
        "static", filename=filename, v=_content_hash(current_app.static_folder, filename)
    )


def area_stylesheet(blueprint: str | None) -> str | None:
    """URL of the stylesheet of one area (static/css/<blueprint>.css), if it has one: rules
    that only its pages use travel only with them (QUALITY.md P8); app.css holds the rest."""
    if not blueprint or not _has_stylesheet(current_app.static_folder, blueprint):
        return None
    return asset_url(f"css/{blueprint}.css")


@cache
def _has_stylesheet(folder: str, blueprint: str) -> bool:
    return blueprint.isidentifier() and (Path(folder) / "css" / f"{blueprint}.css").is_file()


@cache
def _content_hash(folder: str, filename: str) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]
