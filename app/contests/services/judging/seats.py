"""A judge's seat on a round's panel: what they score (every judged part × every entry in
running order, without the entries they have a conflict with), their home page and their
declaration of no conflict of interest."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.clock import utcnow
from app.contests.models import (
    Contest,
    ContestEntry,
    ContestJudge,
    ContestPart,
    ContestRound,
    ContestRoundEntry,
    ScoreSheet,
)
from app.contests.services import ContestError
from app.contests.services.lookups import conflicts, judging_state, round_entries, round_parts
from app.extensions import db

STATUS_NONE = "none"
ASSIGNMENT_LABELS = {STATUS_NONE: "Chưa chấm", "draft": "Nháp", "submitted": "Đã nộp"}
CONFLICT_MESSAGE = (
    "Bạn không chấm đội/thí sinh này: giám khảo công tác tại đơn vị của đội/thí sinh dự thi "
    "(xung đột lợi ích)."
)
NOT_DECLARED_MESSAGE = (
    "Bạn cần cam đoan không có xung đột lợi ích trước khi chấm điểm vòng thi này."
)
CLOSED_MESSAGES = {
    "preparing": "Vòng thi chưa mở chấm. Ban Tổ chức sẽ mở vòng thi khi bắt đầu.",
    "published": "Vòng thi đã công bố kết quả; phiếu chấm không sửa được.",
}


class ScoringClosed(ContestError):
    """The contest or the round is not being judged now (HTTP 409)."""


class NotAssigned(LookupError):
    """The part or entry is not part of the judge's round (answered as 404)."""


class NotDeclared(ContestError):
    """The judge has not declared that they have no conflict of interest (HTTP 403)."""

    def __init__(self):
        super().__init__(NOT_DECLARED_MESSAGE)


class ConflictOfInterest(ContestError):
    """The judge works in the entry's unit or below it (HTTP 403)."""

    def __init__(self):
        super().__init__(CONFLICT_MESSAGE)


@dataclass(frozen=True)
class Assignment:
    """One sheet a judge has to fill: an entry (in running order) on a judged part."""

    part: ContestPart
    round_entry: ContestRoundEntry
    status: str = STATUS_NONE
    sheet_id: int | None = None

    @property
    def entry(self) -> ContestEntry:
        return self.round_entry.entry

    @property
    def status_label(self) -> str:
        return ASSIGNMENT_LABELS[self.status]

    @property
    def is_submitted(self) -> bool:
        return self.status == "submitted"


@dataclass
class SeatView:
    """A judge's seat on a round's panel as the judge's home page shows it."""

    seat: ContestJudge
    round: ContestRound
    open_message: str | None
    assignments: list[Assignment] = field(default_factory=list)
    excluded: int = 0

    @property
    def contest(self) -> Contest:
        return self.round.contest

    @property
    def is_open(self) -> bool:
        return self.open_message is None

    @property
    def next(self) -> Assignment | None:
        return next((a for a in self.assignments if not a.is_submitted), None)

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.assignments if a.is_submitted)

    def by_part(self) -> list[tuple[ContestPart, list[Assignment]]]:
        """The assignments grouped by part, in the parts' order."""
        groups: dict[int, tuple[ContestPart, list[Assignment]]] = {}
        for item in self.assignments:
            groups.setdefault(item.part.id, (item.part, []))[1].append(item)
        return list(groups.values())


def scoring_closed(round_: ContestRound) -> str | None:
    """Why sheets of this round cannot be saved now (None while it is being judged)."""
    state = judging_state(round_)
    if state == "contest":
        status = round_.contest.status_label
        return f"Hội thi đang ở giai đoạn “{status}”, không nhận điểm chấm."
    return CLOSED_MESSAGES.get(state)


def require_assigned(seat: ContestJudge, entry: ContestEntry, part: ContestPart) -> None:
    """The part is a judged part of the seat's round and the entry is in that round (else
    NotAssigned), and the judge has no conflict with the entry (else ConflictOfInterest)."""
    if part.round_id != seat.round_id or not part.is_judged:
        raise NotAssigned()
    in_round = db.session.scalar(
        select(ContestRoundEntry.id)
        .join(ContestEntry, ContestEntry.id == ContestRoundEntry.entry_id)
        .where(
            ContestRoundEntry.round_id == seat.round_id,
            ContestRoundEntry.entry_id == entry.id,
            ContestEntry.status == "registered",
        )
    )
    if in_round is None:
        raise NotAssigned()
    if (seat.id, entry.id) in conflicts([seat], [entry.id]):
        raise ConflictOfInterest()


# The judge's home


def judge_seats(user) -> list[SeatView]:
    """The user's seats on every panel, newest contest first, each with its assignments; the
    judge themself."""
    seats = db.session.execute(
        select(ContestJudge, ContestRound)
        .join(ContestRound, ContestRound.id == ContestJudge.round_id)
        .join(Contest, Contest.id == ContestRound.contest_id)
        .where(ContestJudge.user_id == user.id, Contest.status != "closed")
        .order_by(Contest.year.desc(), Contest.id.desc(), ContestRound.position)
    ).all()
    views = []
    for seat, round_ in seats:
        view = SeatView(seat=seat, round=round_, open_message=scoring_closed(round_))
        if view.is_open:
            view.assignments, view.excluded = _assignments(seat)
        views.append(view)
    return views


def assignments(seat: ContestJudge) -> list[Assignment]:
    """What the seat's judge scores: every judged part (in order) × every entry of the round
    in running order, without the entries they have a conflict with; the judge themself."""
    return _assignments(seat)[0]


def _assignments(seat: ContestJudge) -> tuple[list[Assignment], int]:
    """The assignments and the number of entries left out by a conflict of interest."""
    entries = round_entries(seat.round_id)
    parts = [p for p in round_parts(seat.round_id) if p.is_judged]
    excluded = _conflicted(seat, entries)
    sheets = {
        (entry_id, part_id): (sheet_id, status)
        for sheet_id, entry_id, part_id, status in db.session.execute(
            select(ScoreSheet.id, ScoreSheet.entry_id, ScoreSheet.part_id, ScoreSheet.status).where(
                ScoreSheet.judge_id == seat.id
            )
        )
    }
    listed = []
    for part in parts:
        for round_entry in entries:
            if round_entry.entry_id in excluded:
                continue
            sheet_id, status = sheets.get((round_entry.entry_id, part.id), (None, STATUS_NONE))
            listed.append(Assignment(part, round_entry, status, sheet_id))
    return listed, len(excluded)


def next_assignment(seat: ContestJudge) -> Assignment | None:
    """The first assignment in order whose sheet is not submitted yet (None when all are)."""
    return next((a for a in assignments(seat) if not a.is_submitted), None)


def locate(
    seat: ContestJudge, entry_id: int, part_id: int
) -> tuple[Assignment | None, Assignment | None, Assignment | None]:
    """The assignment before this one, this one and the one after (for the sheet's links)."""
    listed = assignments(seat)
    for index, item in enumerate(listed):
        if item.entry.id == entry_id and item.part.id == part_id:
            before = listed[index - 1] if index > 0 else None
            after = listed[index + 1] if index + 1 < len(listed) else None
            return before, item, after
    return None, None, None


def excluded_entries(seat: ContestJudge) -> list[ContestRoundEntry]:
    """The round's entries the judge may not score (their unit is the entry's or below it)."""
    entries = round_entries(seat.round_id)
    excluded = _conflicted(seat, entries)
    return [re for re in entries if re.entry_id in excluded]


def _conflicted(seat: ContestJudge, entries: list[ContestRoundEntry]) -> set[int]:
    """The ids of the entries the seat's judge may not score."""
    return {e for _, e in conflicts([seat], [re.entry_id for re in entries])}


def declare(seat: ContestJudge) -> None:
    """Record the judge's declaration of no conflict of interest (once); the judge themself."""
    if seat.declared_at is None:
        seat.declared_at = utcnow()
        db.session.flush()
