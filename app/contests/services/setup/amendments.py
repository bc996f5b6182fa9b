"""Rules freeze when judging opens: a change afterwards needs a reason and is recorded as a
ContestAmendment listing what changed (old → new)."""

from collections.abc import Callable

from app.clock import utcnow
from app.contests.models import Contest, ContestAmendment
from app.contests.services import ContestError, reason_problem, user_id
from app.extensions import db

REASON_FIELD = "amendment_reason"
REASON_NEEDED = (
    "Thể lệ đã khóa khi bắt đầu chấm thi: ghi lý do sửa đổi thể lệ (sẽ lưu vào danh sách sửa đổi)."
)
CLOSED = "Hội thi đã kết thúc: không sửa thể lệ được nữa."


def amend(contest: Contest, user, reason: str | None, changes: list[str]) -> None:
    """Record changes of frozen rules with their reason; refuse them without one (nothing to
    record while the rules are not frozen or nothing changed)."""
    if not changes or not contest.is_frozen:
        return
    if contest.status == "closed":
        raise ContestError(CLOSED, REASON_FIELD)
    reason = (reason or "").strip()
    if problem := reason_problem(reason, REASON_NEEDED):
        raise ContestError(problem, REASON_FIELD)
    db.session.add(
        ContestAmendment(
            contest_id=contest.id,
            at=utcnow(),
            user_id=user_id(user),
            reason=reason,
            changes="\n".join(changes),
        )
    )


def change_line(label: str, old, new, show: Callable = str) -> str | None:
    """ "Bước điểm: 0,25 → 0,5", or None when nothing changed."""
    if old == new:
        return None
    return f"{label}: {shown(old, show)} → {shown(new, show)}"


def shown(value, show: Callable) -> str:
    """A value of a rule as an amendment states it ("(trống)" for nothing)."""
    if value is None or value == "":
        return "(trống)"
    return show(value)
