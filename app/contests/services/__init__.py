"""Contest services: they flush, the request (or the command) commits. What every service
shares: ContestError, the acting user's id, a reason's checks, reading typed points."""

from decimal import Decimal

from app.contests import rules
from app.refusals import RuleError

REASON_MAX = 2000
REASON_TOO_LONG = "Tối đa 2.000 ký tự."


class ContestError(RuleError):
    """A rule of the contest broken by an action (see app.refusals.RuleError)."""


def user_id(user) -> int | None:
    """The id of the user acting (None for a command or an import run without one)."""
    return getattr(user, "id", None)


def reason_problem(reason: str, needed: str | None = None) -> str | None:
    """What is wrong with the (stripped) reason given for a decision: missing, when ``needed``
    is the message saying so, or longer than REASON_MAX; None when nothing."""
    if not reason:
        return needed
    if len(reason) > REASON_MAX:
        return REASON_TOO_LONG
    return None


def read_mark(text: str | None, maximum: Decimal, step: Decimal) -> tuple[Decimal | None, str]:
    """Points typed by a person and what is wrong with them ("" when nothing): not a number,
    below 0, above ``maximum`` or off the contest's ``step`` (rules.parse_mark, mark_error).
    Nothing typed is (None, "")."""
    try:
        value = rules.parse_mark(text)
    except ValueError as error:
        return None, str(error)
    if value is None:
        return None, ""
    return value, rules.mark_error(value, maximum, step) or ""
