"""Sessions, the route policy and security headers, wired into the app in one place."""

import logging

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy import select

from app import clock
from app.extensions import db, login_manager
from app.htmx import is_htmx, redirect_for_htmx
from app.security.policy import POLICY

log = logging.getLogger(__name__)

bp = Blueprint("auth", __name__)

EXEMPT_FROM_PASSWORD_CHANGE = frozenset({"auth.password", "auth.logout", "static", "main.health"})


def init_app(app) -> None:
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(refuse_nul_bytes)
    app.before_request(expire_session)
    app.before_request(enforce_policy)
    app.after_request(set_security_headers)


def refuse_nul_bytes():
    """No keyboard types a NUL byte, and PostgreSQL cannot store one: refuse the request."""
    lists = [*request.args.listvalues(), *request.form.listvalues()]
    if any("\x00" in value for values in lists for value in values):
        abort(400)
    return None


def load_user(session_id: str):
    """Load the user of a session cookie; a stale session version or inactive user is refused."""
    from app.users.models import User

    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user) -> None:
    """Mark the times that idle and absolute expiry count from."""
    now = int(time_now())
    session["auth_at"] = now
    session["seen"] = now
    session.permanent = True


def time_now() -> float:
    return clock.utcnow().timestamp()


def expire_session():
    """Log out a session idle for 30 minutes or older than 12 hours (QUALITY.md S4)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    config = current_app.config
    now = time_now()
    seen, auth_at = session.get("seen"), session.get("auth_at")
    if (
        seen is None
        or auth_at is None
        or now - seen > config["SESSION_IDLE_TIMEOUT"].total_seconds()
        or now - auth_at > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    ):
        logout_user()
        session.clear()
        flash("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.", "warning")
        return None
    session["seen"] = int(now)
    return None


def enforce_policy():
    """Refuse every request that the route policy does not allow (fail-closed)."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # routing failed: Flask answers 404/405
    access = POLICY.get(endpoint)
    if access is None:
        log.error("endpoint %s has no entry in the route policy", endpoint)
        abort(403)
    if access.public:
        return None
    if not current_user.is_authenticated:
        return unauthorized()
    if current_user.must_change_password and endpoint not in EXEMPT_FROM_PASSWORD_CHANGE:
        flash("Bạn cần đổi mật khẩu trước khi tiếp tục.", "warning")
        return redirect(url_for("auth.password"), 303)
    if not access.allows(current_user):
        abort(403)
    return None


def unauthorized():
    """Send an anonymous request to the login page; htmx gets 401 with HX-Redirect."""
    target = request.full_path if request.method == "GET" else None
    if target and target.endswith("?"):
        target = target[:-1]
    login_url = url_for("auth.login", next=target) if target else url_for("auth.login")
    if is_htmx():
        return redirect_for_htmx(login_url, 401)
    return redirect(login_url, 303)


CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


def set_security_headers(response):
    """Headers of QUALITY.md S6 on every response, errors and fragments included."""
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
        response.vary.add("HX-Request")
        response.vary.add("Cookie")
    return response


from app.security import routes  # noqa: E402,F401
