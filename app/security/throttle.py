"""Login throttling shared by every worker (QUALITY.md S8)."""

from sqlalchemy import func, insert, select

from app.clock import utcnow
from app.extensions import db
from app.security.models import LoginAttempt


def is_throttled(username: str, address: str, config) -> bool:
    """True once an account or an address has failed too often within the window."""
    since = utcnow() - config["LOGIN_WINDOW"]
    failures = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    )
    by_account = db.session.scalar(failures.where(LoginAttempt.username == username))
    if by_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]:
        return True
    by_address = db.session.scalar(failures.where(LoginAttempt.address == address))
    return by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]


def record_attempt(username: str, address: str, success: bool) -> None:
    """Count one attempt; the caller commits."""
    db.session.execute(
        insert(LoginAttempt).values(
            at=utcnow(), username=username[:64], address=address[:64], success=success
        )
    )
