"""The board's results pages: the ranking as it stands with what each entry still lacks,
the ties at a prize or advancement boundary, and the board's decisions on them."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.clock import utcnow
from app.contests import rules
from app.contests.models import ContestEntry, ContestRound, TieDecision
from app.contests.services import ContestError, reason_problem, user_id
from app.contests.services.results.compute import RoundResults, compute_round
from app.contests.services.results.publish import publish_state_error
from app.contests.services.results.snapshots import shared_ranks
from app.extensions import db
from app.users.models import User

REASON_NEEDED = "Ghi căn cứ của quyết định, ví dụ: Bốc thăm, Ban Giám khảo biểu quyết."
# The tie-break values as columns (rules.TIE_BREAKS words them as criteria: "higher ...").
TIE_VALUE_LABELS = {
    "skit": "Điểm tiểu phẩm",
    "situation": "Điểm xử lý tình huống",
    "knowledge": "Điểm kiến thức",
    "intro": "Điểm giới thiệu",
    "raw_sum": "Tổng điểm của mọi giám khảo (không bỏ điểm)",
    "penalties": "Điểm bị trừ",
}


def entry_gaps(outcome: RoundResults) -> dict[int, list[str]]:
    """For each incomplete entry, what it still lacks, part by part ("Tiểu phẩm: còn 2 phiếu
    chấm chưa nộp"), read from what compute_round loaded (no query)."""
    submitted = Counter((s.entry_id, s.part_id) for s in outcome.counted_sheets())
    gaps: dict[int, list[str]] = {}
    for result in outcome.results:
        if result.complete:
            continue
        panel = outcome.panel(result.entry_id)
        lines = []
        for part in outcome.parts:
            if result.parts.get(part.id) is not None:
                continue
            if not part.is_judged:
                lines.append(f"{part.name}: chưa nhập kết quả")
            elif not panel:
                lines.append(f"{part.name}: chưa có giám khảo chấm")
            else:
                missing = panel - submitted[(result.entry_id, part.id)]
                lines.append(f"{part.name}: còn {missing} phiếu chấm chưa nộp")
        gaps[result.entry_id] = lines
    return gaps


@dataclass
class RankingRow:
    """One line of the board's ranking."""

    entry_id: int
    name: str
    unit: str
    order: int | None
    parts: list[Decimal | None]
    penalty: Decimal
    total: Decimal | None
    rank: int | None
    shared: bool
    prize: str | None
    advances: bool
    gaps: list[str]
    tie: int | None  # the boundary of an unresolved tie this entry is in


def ranking_rows(outcome: RoundResults) -> list[RankingRow]:
    """The computed results as rows for the board's page (ranked first, then incomplete)."""
    gaps = entry_gaps(outcome)
    tied = {entry: boundary for boundary, ids in outcome.ties for entry in ids}
    shared = shared_ranks(result.rank for result in outcome.results)
    rows = []
    for result in outcome.results:
        prize = outcome.prizes.get(result.entry_id)
        rows.append(
            RankingRow(
                **outcome.identity(result.entry_id),
                parts=[result.parts.get(p.id) for p in outcome.parts],
                penalty=result.penalty,
                total=result.total,
                rank=result.rank,
                shared=result.rank in shared,
                prize=prize.name if prize else None,
                advances=result.entry_id in outcome.advancing,
                gaps=gaps.get(result.entry_id, []),
                tie=tied.get(result.entry_id),
            )
        )
    return rows


@dataclass
class TieGroup:
    """An unresolved tie at a boundary: the entries with their totals and tie-break values."""

    boundary: int
    rank: int
    entry_ids: list[int]
    entries: list[dict]

    @property
    def key(self) -> str:
        return ",".join(map(str, self.entry_ids))


def tie_groups(outcome: RoundResults) -> list[TieGroup]:
    """The unresolved boundary ties, each entry with its total and tie-break values."""
    by_id = {r.entry_id: r for r in outcome.results}
    keys = outcome.contest.tie_break_keys
    # A part kind the round does not have decides nothing: its column is left out.
    kinds = {p.kind for p in outcome.parts}
    shown = [i for i, key in enumerate(keys) if key not in rules.PART_KINDS or key in kinds]
    groups = []
    for boundary, ids in outcome.ties:
        entries = [
            {
                **outcome.identity(entry_id),
                "total": by_id[entry_id].total,
                "tie_values": [
                    (TIE_VALUE_LABELS.get(keys[i], keys[i]), by_id[entry_id].tie_keys[i])
                    for i in shown
                ],
            }
            for entry_id in ids
        ]
        groups.append(TieGroup(boundary, by_id[ids[0]].rank, ids, entries))
    return groups


def decide_tie(round_: ContestRound, order: list[int], reason: str | None, user) -> TieDecision:
    """Record the board's order of entries tied at a prize or advancement boundary (the
    board). ``order`` lists the entry ids best first; it must be exactly one unresolved tie."""
    problem = publish_state_error(round_)
    if problem:
        raise ContestError(problem)
    reason = (reason or "").strip()
    errors = []
    if problem := reason_problem(reason, REASON_NEEDED):
        errors.append(("reason", problem))
    groups = {frozenset(ids) for _, ids in compute_round(round_).ties}
    if len(set(order)) != len(order) or frozenset(order) not in groups:
        errors.append(
            (
                "",
                "Các đội/thí sinh này không (còn) đồng điểm ở ranh giới giải thưởng hay vào "
                "vòng sau; tải lại trang để xem các trường hợp cần quyết định.",
            )
        )
    if errors:
        raise ContestError(errors)
    decision = TieDecision(
        round_id=round_.id,
        entry_ids=",".join(map(str, order)),
        reason=reason,
        by_user_id=user_id(user),
        at=utcnow(),
    )
    db.session.add(decision)
    db.session.flush()
    return decision


@dataclass(frozen=True)
class DecisionInfo:
    """A recorded tie decision as the board reads it."""

    names: list[str]
    reason: str
    by: str | None
    at: datetime


def tie_decisions(round_id: int) -> list[DecisionInfo]:
    """The board's tie decisions of a round, the latest first, with the entries' names (two
    queries)."""
    rows = db.session.execute(
        select(TieDecision, User.full_name)
        .outerjoin(User, User.id == TieDecision.by_user_id)
        .where(TieDecision.round_id == round_id)
        .order_by(TieDecision.id.desc())
    ).all()
    ids = {i for decision, _ in rows for i in decision.order}
    names = dict(
        db.session.execute(
            select(ContestEntry.id, ContestEntry.name).where(ContestEntry.id.in_(ids or {0}))
        ).all()
    )
    return [
        DecisionInfo([names.get(i, f"#{i}") for i in d.order], d.reason, by, d.at) for d, by in rows
    ]
