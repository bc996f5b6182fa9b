"""Timings and penalties (DOMAIN.md §5): separate records, never edits of a judge's marks.
A timing's points follow from the part's rule; a breach of the rules is taken off with its
reason."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.concurrency import StaleEdit
from app.contests import rules
from app.contests.models import ContestEntry, ContestPart, ContestPenalty, ContestRound
from app.contests.services import ContestError, read_mark, reason_problem, user_id
from app.contests.services.lookups import round_entries, round_parts
from app.contests.services.results.compute import part_rule
from app.contests.services.secretary.recording import (
    ENTRY_NOT_IN_ROUND,
    part_of,
    require_open,
    round_entry_ids,
)
from app.contests.services.words import format_duration
from app.extensions import db

PART_NOT_TIMED = "Phần thi này không quy định thời gian."
REASON_REQUIRED = "Ghi lý do trừ điểm (vi phạm quy định nào của thể lệ)."
POINTS_POSITIVE = "Điểm trừ phải lớn hơn 0."


def timed_parts(parts: list[ContestPart]) -> list[ContestPart]:
    """The parts with a time limit: the ones the secretary times."""
    return [p for p in parts if p.time_limit_seconds]


def timing_of(round_id: int, entry_id: int, part_id: int) -> ContestPenalty | None:
    """The timing recorded for an entry on a part of a round, if any."""
    return db.session.scalar(
        select(ContestPenalty).where(
            ContestPenalty.round_id == round_id,
            ContestPenalty.entry_id == entry_id,
            ContestPenalty.part_id == part_id,
            ContestPenalty.kind == "time",
        )
    )


def record_timing(
    round_: ContestRound,
    entry_id: int,
    part_id: int,
    used_seconds: int,
    version: str | int | None,
    user,
) -> ContestPenalty:
    """Record the time an entry used on a timed part (the secretary, for the board): a "time"
    penalty whose points come from the part's rule, 0 when on time so the timing is on record.
    Entering it again for the same entry and part updates that record, from its version."""
    require_open(round_)
    if entry_id not in round_entry_ids(round_.id):
        raise ContestError(ENTRY_NOT_IN_ROUND, "entry")
    part = part_of(round_, part_id, "part")
    if not part.time_limit_seconds:
        raise ContestError(PART_NOT_TIMED, "part")
    points = rules.time_penalty(part_rule(part), used_seconds)
    existing = timing_of(round_.id, entry_id, part.id)
    if existing is None:
        if str(version or "").strip():
            raise StaleEdit()  # the timing being corrected was deleted meanwhile
        penalty = ContestPenalty(
            round_id=round_.id,
            entry_id=entry_id,
            part_id=part.id,
            kind="time",
            used_seconds=used_seconds,
            points=points,
            recorded_by_id=user_id(user),
        )
        db.session.add(penalty)
    else:
        if str(existing.version) != str(version or "").strip():
            raise StaleEdit(
                description=(
                    "Đội/thí sinh này đã có thời gian ghi cho phần thi này "
                    f"({format_duration(existing.used_seconds)}). Thời gian vừa nhập chưa được "
                    "lưu; bấm “Sửa” ở dòng đó trong danh sách để ghi lại."
                )
            )
        penalty = existing
        penalty.used_seconds = used_seconds
        penalty.points = points
        penalty.recorded_by_id = user_id(user)
    db.session.flush()
    return penalty


def record_rule_penalty(
    round_: ContestRound,
    entry_id: int,
    part_id: int | None,
    points_text: str | None,
    reason: str | None,
    user,
) -> ContestPenalty:
    """Record points taken off an entry for a breach of the rules, with the reason (the
    secretary, for the board). Bounded by the part's maximum (the round's total without a
    part) and on the contest's step."""
    require_open(round_)
    errors = []
    if entry_id not in round_entry_ids(round_.id):
        errors.append(("entry", ENTRY_NOT_IN_ROUND))
    part = part_of(round_, part_id, "part") if part_id else None
    maximum = (
        part.max_points
        if part is not None
        else sum((p.max_points for p in round_parts(round_.id)), Decimal(0))
    )
    points, problem = read_mark(points_text, maximum, round_.contest.step)
    if (points is None and not problem) or (points is not None and points <= 0):
        problem = POINTS_POSITIVE
    if problem:
        errors.append(("points", problem.replace("Điểm tối đa", "Điểm trừ tối đa")))
    reason = (reason or "").strip()
    if problem := reason_problem(reason, REASON_REQUIRED):
        errors.append(("reason", problem))
    if errors:
        raise ContestError(errors)
    penalty = ContestPenalty(
        round_id=round_.id,
        entry_id=entry_id,
        part_id=part.id if part else None,
        kind="rule",
        points=points,
        reason=reason,
        recorded_by_id=user_id(user),
    )
    db.session.add(penalty)
    db.session.flush()
    return penalty


def delete_penalty(penalty: ContestPenalty, round_: ContestRound) -> None:
    """Delete a penalty recorded by mistake (the board; the audit log keeps what it was)."""
    require_open(round_)
    db.session.delete(penalty)
    db.session.flush()


@dataclass
class PenaltyRow:
    """A penalty as the list shows it."""

    penalty: ContestPenalty
    entry: ContestEntry
    order: int | None
    part: ContestPart | None

    @property
    def used(self) -> str:
        return format_duration(self.penalty.used_seconds)

    @property
    def limit(self) -> str:
        return format_duration(self.part.time_limit_seconds if self.part else None)

    @property
    def on_time(self) -> bool:
        limit = self.part.time_limit_seconds if self.part else None
        return (
            self.penalty.used_seconds is not None
            and bool(limit)
            and (self.penalty.used_seconds <= limit)
        )


def penalty_rows(round_: ContestRound, parts: list[ContestPart]) -> list[PenaltyRow]:
    """The round's penalties in running order, then by part (two queries)."""
    places = {re.entry_id: re for re in round_entries(round_.id)}
    penalties = db.session.scalars(
        select(ContestPenalty).where(ContestPenalty.round_id == round_.id)
    ).all()
    entries = {
        e.id: e
        for e in db.session.scalars(
            select(ContestEntry).where(ContestEntry.id.in_({p.entry_id for p in penalties} or {0}))
        )
    }
    by_part = {p.id: p for p in parts}
    rows = [
        PenaltyRow(
            penalty=p,
            entry=entries[p.entry_id],
            order=places[p.entry_id].order_number if p.entry_id in places else None,
            part=by_part.get(p.part_id),
        )
        for p in penalties
    ]
    rows.sort(
        key=lambda r: (
            r.order is None,
            r.order or 0,
            r.entry.name,
            r.part.position if r.part else 0,
            r.penalty.id,
        )
    )
    return rows
