"""The one source of the current time, so that tests can move the clock."""

from datetime import UTC, date, datetime, timedelta

VIETNAM_OFFSET = timedelta(hours=7)
_offset = timedelta(0)


def utcnow() -> datetime:
    """Current time in UTC, naive (how it is stored in the database)."""
    return datetime.now(UTC).replace(tzinfo=None) + _offset


def today() -> date:
    """Today's date in Vietnam (UTC+7), where the offices are."""
    return (utcnow() + VIETNAM_OFFSET).date()


def travel(delta: timedelta) -> None:
    """Move the clock forward (tests only)."""
    global _offset
    _offset += delta


def reset() -> None:
    """Put the clock back to real time (tests only)."""
    global _offset
    _offset = timedelta(0)
