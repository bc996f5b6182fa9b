"""A contest's status: draft → registration → judging → (published by publishing the last
round) → closed. Judging freezes the rules; what keeps a contest from going on is said."""

from decimal import Decimal

from app.clock import utcnow
from app.contests.models import Contest
from app.contests.rules import format_mark
from app.contests.services import ContestError
from app.contests.services.lookups import contest_rounds, parts_of_rounds
from app.extensions import db

# draft → registration → judging → (published by publishing the last round) → closed; back
# from registration to draft while the rules are not frozen. (from, to) → the button's words.
TRANSITIONS = {
    ("draft", "registration"): "Mở đăng ký dự thi",
    ("registration", "draft"): "Trở lại soạn thể lệ",
    ("registration", "judging"): "Bắt đầu chấm thi (khóa thể lệ)",
    ("published", "closed"): "Kết thúc hội thi",
}
TRANSITION_DONE = {
    "registration": "Đã mở đăng ký dự thi.",
    "draft": "Hội thi đã trở lại bước soạn thể lệ.",
    "judging": "Đã bắt đầu chấm thi; thể lệ đã được khóa.",
    "closed": "Hội thi đã kết thúc.",
}


def next_statuses(contest: Contest) -> list[tuple[str, str]]:
    """The status changes the board may make now: (status, the button's words)."""
    return [
        (to, label)
        for (start, to), label in TRANSITIONS.items()
        if start == contest.status and not (to == "draft" and contest.is_frozen)
    ]


def setup_problems(contest: Contest) -> list[str]:
    """What keeps a contest from opening registration or judging (empty when nothing)."""
    rounds = contest_rounds(contest.id)
    if not rounds:
        return ["Hội thi chưa có vòng thi nào."]
    parts = parts_of_rounds(r.id for r in rounds)
    problems = []
    for round_ in rounds:
        own = [p for p in parts if p.round_id == round_.id]
        if not own:
            problems.append(f"{round_.name} chưa có phần thi nào.")
        for part in own:
            total = sum((c.max_points for c in part.criteria), Decimal(0))
            if part.criteria and total != part.max_points:
                problems.append(
                    f"{round_.name}, phần “{part.name}”: tổng điểm các tiêu chí "
                    f"({format_mark(total)}) khác điểm tối đa ({format_mark(part.max_points)})."
                )
    return problems


def change_status(contest: Contest, to: str, user) -> None:
    """Move a contest to the next status (the board); refused with the reason otherwise.
    Judging freezes the rules; results are published from the last round, not here."""
    if (contest.status, to) not in TRANSITIONS:
        if to == "published":
            raise ContestError(
                "Kết quả được công bố từ trang kết quả của vòng thi cuối, không đổi ở đây.",
                "to",
            )
        raise ContestError(
            f"Không chuyển được hội thi từ “{contest.status_label}” sang trạng thái này.", "to"
        )
    if to == "draft" and contest.is_frozen:
        raise ContestError("Thể lệ đã khóa: không trở lại bước soạn thể lệ được.", "to")
    if to in ("registration", "judging"):
        problems = setup_problems(contest)
        if problems:
            raise ContestError([("to", problem) for problem in problems])
    if to == "judging" and contest.frozen_at is None:
        contest.frozen_at = utcnow()
    contest.status = to
    db.session.flush()
