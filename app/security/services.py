"""Logging in and out, and changing one's password."""

from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select

from app.audit.services import record_event
from app.clock import utcnow
from app.extensions import db
from app.security import start_session
from app.security.models import LoginAttempt
from app.security.passwords import hash_password, verify_password
from app.security.throttle import is_throttled, record_attempt
from app.users.models import User


class Throttled(Exception):
    """Too many failed logins for this account or address."""


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


def authenticate(username: str, password: str) -> User | None:
    """Check credentials, count the attempt and log it; raises Throttled past the limit."""
    username = normalize_username(username)
    address = request.remote_addr or "?"
    if is_throttled(username, address, current_app.config):
        record_event("login_throttled", "Sai quá nhiều lần: tạm chặn 15 phút", actor=username)
        raise Throttled
    user = db.session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        record_attempt(username, address, success=False)
        record_event("login_failed", "", actor=username)
        return None
    record_attempt(username, address, success=True)
    _forget_old_attempts(username)
    return user


def _forget_old_attempts(username: str) -> None:
    """Keep the attempts table small: one day of history per account is plenty."""
    cutoff = utcnow() - timedelta(days=1)
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.username == username, LoginAttempt.at < cutoff)
    )


def log_in(user: User) -> None:
    """Start a fresh session for the user (a new cookie: no session fixation)."""
    session.clear()
    login_user(user, remember=False)
    start_session(user)
    user.last_login_at = utcnow()
    record_event("login", "", user_id=user.id, actor=user.username)


def log_out(user: User) -> None:
    """End this and every other session of the user: old cookies stop working."""
    record_event("logout", "", user_id=user.id, actor=user.username)
    user.session_version += 1
    logout_user()
    session.clear()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end the user's other sessions; keep this one alive."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.session_version += 1
    db.session.flush()
    login_user(user, remember=False)
    start_session(user)
