"""What every record of the secretary checks first: the round is being judged (its writers
then wait for each other), and the entry and the part are the round's."""

from app.concurrency import lock_row
from app.contests.models import ContestPart, ContestRound
from app.contests.services import ContestError
from app.contests.services.lookups import judging_state, round_entries
from app.extensions import db

CONTEST_NOT_JUDGING = (
    "Hội thi không ở giai đoạn chấm thi: không ghi được thời gian, điểm trừ hay kết quả "
    "phần thi trắc nghiệm."
)
ROUND_PREPARING = "Vòng thi chưa mở chấm: Ban Tổ chức cần mở chấm vòng thi trước."
ROUND_PUBLISHED = (
    "Kết quả vòng thi đã công bố: chỉ ghi lại được khi vòng thi được mở lại để đính chính "
    "(Trưởng Ban Giám khảo mở lại phiếu chấm)."
)
CLOSED_REASONS = {
    "contest": CONTEST_NOT_JUDGING,
    "preparing": ROUND_PREPARING,
    "published": ROUND_PUBLISHED,
}
ENTRY_NOT_IN_ROUND = "Chọn đội/thí sinh trong danh sách của vòng thi."
PART_NOT_IN_ROUND = "Chọn phần thi trong danh sách của vòng thi."


def closed_reason(round_: ContestRound) -> str | None:
    """Why the secretary cannot record in this round now (None: the round is being judged)."""
    state = judging_state(round_)
    return None if state is None else CLOSED_REASONS[state]


def require_open(round_: ContestRound) -> None:
    """Refuse any recording outside a round being judged, and serialise the round's writers:
    two secretaries saving at once wait for each other, so a timing or a quiz result is never
    recorded twice."""
    reason = closed_reason(round_)
    if reason:
        raise ContestError(reason)
    lock_row(ContestRound, round_.id)


def round_entry_ids(round_id: int) -> set[int]:
    """The ids of the entries still in the round."""
    return {re.entry_id for re in round_entries(round_id)}


def part_of(round_: ContestRound, part_id: int | None, field_name: str) -> ContestPart:
    """The round's part of that id; else ContestError next to ``field_name``."""
    part = db.session.get(ContestPart, part_id) if part_id else None
    if part is None or part.round_id != round_.id:
        raise ContestError(PART_NOT_IN_ROUND, field_name)
    return part
