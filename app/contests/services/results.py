"""A round's results from what is recorded (sheets, secretary marks, penalties, board
decisions), through the pure rules of app/contests/rules.py; publishing them as a snapshot."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from app.clock import utcnow
from app.contests import rules
from app.contests.models import (
    Contest,
    ContestEntry,
    ContestEntryUnit,
    ContestJudge,
    ContestPart,
    ContestPenalty,
    ContestPrize,
    ContestRound,
    ContestRoundEntry,
    ResultSnapshot,
    ScoreSheet,
    SecretaryMark,
    TieDecision,
)
from app.contests.services import ContestError
from app.extensions import db
from app.units.models import Unit, UnitClosure

SNAPSHOT_FORMAT = 1


def parse_tiers(text: str | None) -> tuple[tuple[int, Decimal], ...]:
    """ "1:0.25;60:0.5" → ((1, Decimal("0.25")), (60, Decimal("0.5")))."""
    tiers = []
    for item in (text or "").split(";"):
        if item.strip():
            seconds, points = item.split(":")
            tiers.append((int(seconds), Decimal(points.strip())))
    return tuple(sorted(tiers))


def part_rule(part: ContestPart) -> rules.PartRule:
    """A part as the pure rules see it."""
    return rules.PartRule(
        id=part.id,
        kind=part.kind,
        max_points=part.max_points,
        scored_by=part.scored_by,
        time_limit_seconds=part.time_limit_seconds,
        penalty_kind=part.penalty_kind,
        penalty_points=part.penalty_points,
        penalty_tiers=parse_tiers(part.penalty_tiers),
    )


def round_parts(round_id: int) -> list[ContestPart]:
    return list(
        db.session.scalars(
            select(ContestPart)
            .where(ContestPart.round_id == round_id)
            .order_by(ContestPart.position)
        )
    )


def round_entries(round_id: int) -> list[ContestRoundEntry]:
    """The entries of a round that are still in the contest, in running order."""
    return list(
        db.session.scalars(
            select(ContestRoundEntry)
            .join(ContestEntry, ContestEntry.id == ContestRoundEntry.entry_id)
            .where(ContestRoundEntry.round_id == round_id, ContestEntry.status == "registered")
            .order_by(
                ContestRoundEntry.order_number.is_(None),
                ContestRoundEntry.order_number,
                ContestEntry.name,
            )
        )
    )


def round_judges(round_id: int) -> list[ContestJudge]:
    return list(
        db.session.scalars(
            select(ContestJudge)
            .where(ContestJudge.round_id == round_id)
            .order_by(ContestJudge.position, ContestJudge.id)
        )
    )


def conflicts(judges: list[ContestJudge], entry_ids: list[int]) -> set[tuple[int, int]]:
    """(judge id, entry id) pairs a judge may not score: the judge works in the entry's unit
    or in a unit it represents, or below one (DOMAIN.md §5). Two queries for a whole round."""
    judges = [j for j in judges if j.unit_id is not None]
    if not judges or not entry_ids:
        return set()
    units: dict[int, set[int]] = {}
    for entry_id, unit_id in db.session.execute(
        select(ContestEntry.id, ContestEntry.unit_id).where(ContestEntry.id.in_(entry_ids))
    ):
        units.setdefault(unit_id, set()).add(entry_id)
    for entry_id, unit_id in db.session.execute(
        select(ContestEntryUnit.entry_id, ContestEntryUnit.unit_id).where(
            ContestEntryUnit.entry_id.in_(entry_ids)
        )
    ):
        units.setdefault(unit_id, set()).add(entry_id)
    judge_units = {j.unit_id for j in judges}
    inside = db.session.execute(
        select(UnitClosure.ancestor_id, UnitClosure.descendant_id).where(
            UnitClosure.ancestor_id.in_(units), UnitClosure.descendant_id.in_(judge_units)
        )
    ).all()
    pairs = set()
    for ancestor, descendant in inside:
        for judge in judges:
            if judge.unit_id == descendant:
                pairs.update((judge.id, entry_id) for entry_id in units[ancestor])
    return pairs


def is_last_round(round_: ContestRound) -> bool:
    later = db.session.scalar(
        select(func.count())
        .select_from(ContestRound)
        .where(
            ContestRound.contest_id == round_.contest_id, ContestRound.position > round_.position
        )
    )
    return not later


def rank_prizes(contest_id: int) -> list[ContestPrize]:
    return list(
        db.session.scalars(
            select(ContestPrize)
            .where(ContestPrize.contest_id == contest_id, ContestPrize.kind == "rank")
            .order_by(ContestPrize.position)
        )
    )


@dataclass
class RoundResults:
    """Everything a results page, a document, the CLI or a snapshot needs about a round."""

    round: ContestRound
    contest: Contest
    parts: list[ContestPart]
    entries: dict[int, ContestRoundEntry]
    units: dict[int, Unit]
    results: list[rules.EntryResult]
    judges: list[ContestJudge]
    conflicts: set[tuple[int, int]]
    sheets: list[ScoreSheet]
    prizes: dict[int, ContestPrize] = field(default_factory=dict)  # entry id -> rank prize
    advancing: list[int] = field(default_factory=list)
    boundaries: list[int] = field(default_factory=list)
    ties: list[tuple[int, list[int]]] = field(default_factory=list)  # unresolved
    decisions: list[TieDecision] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.results) and all(r.complete for r in self.results)

    @property
    def missing_sheets(self) -> int:
        """Judged parts × entries × judges (without conflicts) not submitted yet."""
        judged = [p for p in self.parts if p.is_judged]
        expected = sum(
            1
            for entry_id in self.entries
            for judge in self.judges
            if (judge.id, entry_id) not in self.conflicts
        ) * len(judged)
        submitted = sum(1 for s in self.sheets if s.is_submitted)
        return max(expected - submitted, 0)

    def blockers(self) -> list[str]:
        """Why the round cannot be published yet (empty when it can)."""
        problems = []
        if not self.entries:
            problems.append("Vòng thi chưa có đội/thí sinh nào.")
        if self.missing_sheets:
            problems.append(f"Còn {self.missing_sheets} phiếu chấm chưa nộp.")
        pending_secretary = sum(
            1
            for r in self.results
            for p in self.parts
            if not p.is_judged and r.parts.get(p.id) is None
        )
        if pending_secretary:
            problems.append(f"Còn {pending_secretary} kết quả phần thi trắc nghiệm chưa nhập.")
        for boundary, ids in self.ties:
            names = ", ".join(self.entries[i].entry.name for i in ids)
            problems.append(
                f"Đồng điểm ở ranh giới xếp hạng {boundary}: {names}. "
                "Ban Tổ chức cần ghi quyết định xếp hạng."
            )
        return problems


def compute_round(round_: ContestRound) -> RoundResults:
    """The round's results as they stand now (a fixed number of queries for any size)."""
    contest = round_.contest
    parts = round_parts(round_.id)
    entries = {re.entry_id: re for re in round_entries(round_.id)}
    judges = round_judges(round_.id)
    pairs = conflicts(judges, list(entries))
    sheets = list(
        db.session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.round_id == round_.id, ScoreSheet.entry_id.in_(list(entries) or [0])
            )
        )
    )
    secretary = db.session.execute(
        select(SecretaryMark.entry_id, SecretaryMark.part_id, SecretaryMark.value).where(
            SecretaryMark.round_id == round_.id
        )
    ).all()
    penalties = db.session.execute(
        select(ContestPenalty.entry_id, ContestPenalty.points).where(
            ContestPenalty.round_id == round_.id
        )
    ).all()
    decisions = list(
        db.session.scalars(
            select(TieDecision).where(TieDecision.round_id == round_.id).order_by(TieDecision.id)
        )
    )
    judge_ids = {j.id for j in judges}
    scores = []
    for entry_id in entries:
        panel = sum(1 for j in judges if (j.id, entry_id) not in pairs)
        marks: dict[int, list[Decimal]] = {}
        for sheet in sheets:
            if (
                sheet.entry_id == entry_id
                and sheet.is_submitted
                and sheet.judge_id in judge_ids
                and (sheet.judge_id, entry_id) not in pairs
                and sheet.total is not None
            ):
                marks.setdefault(sheet.part_id, []).append(sheet.total)
        scores.append(
            rules.EntryScores(
                entry_id=entry_id,
                judge_marks=marks,
                expected_judges={p.id: panel for p in parts if p.is_judged},
                secretary_marks={p: v for e, p, v in secretary if e == entry_id},
                penalties=[points for e, points in penalties if e == entry_id],
            )
        )
    round_rules = rules.Rules(
        parts=[part_rule(p) for p in parts],
        aggregation=contest.aggregation,
        places=contest.places,
        rounding=contest.rounding,
        tie_break=contest.tie_break_keys,
        decisions=[d.order for d in decisions],
    )
    computed = rules.compute_results(round_rules, scores)
    outcome = RoundResults(
        round=round_,
        contest=contest,
        parts=parts,
        entries=entries,
        units={
            u.id: u
            for u in db.session.scalars(
                select(Unit).where(
                    Unit.id.in_({re.entry.unit_id for re in entries.values()} or {0})
                )
            )
        },
        results=computed,
        judges=judges,
        conflicts=pairs,
        sheets=sheets,
        decisions=decisions,
    )
    if is_last_round(round_):
        prizes = rank_prizes(contest.id)
        outcome.boundaries = rules.prize_boundaries([p.count for p in prizes])
        by_id = {p.id: p for p in prizes}
        awarded = rules.assign_prizes(computed, [(p.id, p.count) for p in prizes])
        outcome.prizes = {entry: by_id[prize] for entry, prize in awarded.items()}
    elif round_.advance_count:
        outcome.boundaries = [round_.advance_count]
        outcome.advancing = rules.advancing(computed, round_.advance_count)
    outcome.ties = rules.boundary_ties(computed, outcome.boundaries)
    return outcome


def _points(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def results_data(outcome: RoundResults) -> dict:
    """The ranking as plain JSON data: the published snapshot and ``flask contests results``."""
    contest, round_ = outcome.contest, outcome.round
    names = {p.id: p.name for p in outcome.parts}
    return {
        "format": SNAPSHOT_FORMAT,
        "contest": {"id": contest.id, "name": contest.name, "year": contest.year},
        "round": {"id": round_.id, "name": round_.name, "kind": round_.kind},
        "parts": [
            {"id": p.id, "name": p.name, "kind": p.kind, "max_points": _points(p.max_points)}
            for p in outcome.parts
        ],
        "entries": [
            {
                "entry_id": r.entry_id,
                "name": outcome.entries[r.entry_id].entry.name,
                "unit": outcome.units[outcome.entries[r.entry_id].entry.unit_id].name,
                "order": outcome.entries[r.entry_id].order_number,
                "parts": [
                    {"part": names[p.id], "result": _points(r.parts.get(p.id))}
                    for p in outcome.parts
                ],
                "penalty": _points(r.penalty),
                "total": _points(r.total),
                "rank": r.rank,
                "prize": outcome.prizes[r.entry_id].name if r.entry_id in outcome.prizes else None,
                "advances": r.entry_id in outcome.advancing,
            }
            for r in outcome.results
        ],
        "tie_decisions": [{"entry_ids": d.order, "reason": d.reason} for d in outcome.decisions],
    }


def latest_snapshot(round_id: int) -> ResultSnapshot | None:
    return db.session.scalar(
        select(ResultSnapshot)
        .where(ResultSnapshot.round_id == round_id)
        .order_by(ResultSnapshot.number.desc())
        .limit(1)
    )


def publish_round(round_: ContestRound, user, reason: str | None) -> ResultSnapshot:
    """Publish the round's results as a new snapshot (the board). Refused while a sheet or a
    quiz result is missing or a boundary tie is unresolved; a correction needs its reason."""
    outcome = compute_round(round_)
    problems = outcome.blockers()
    if problems:
        raise ContestError([("", p) for p in problems])
    previous = latest_snapshot(round_.id)
    reason = (reason or "").strip() or None
    if previous is not None and not reason:
        raise ContestError("Kết quả đã công bố; công bố lại cần ghi lý do đính chính.", "reason")
    data = results_data(outcome)
    data["number"] = previous.number + 1 if previous else 1
    data["reason"] = reason
    snapshot = ResultSnapshot(
        round_id=round_.id,
        number=data["number"],
        published_at=utcnow(),
        published_by_id=getattr(user, "id", None),
        reason=reason,
        data=json.dumps(data, ensure_ascii=False),
    )
    db.session.add(snapshot)
    round_.status = "published"
    if is_last_round(round_) and outcome.contest.status == "judging":
        outcome.contest.status = "published"
    db.session.flush()
    return snapshot


def snapshot_data(snapshot: ResultSnapshot) -> dict:
    return json.loads(snapshot.data)
