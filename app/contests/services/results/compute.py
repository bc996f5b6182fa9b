"""A round's results from what is recorded (sheets, secretary marks, penalties, board
decisions), through the pure rules of app/contests/rules.py."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.contests import rules
from app.contests.models import (
    Contest,
    ContestJudge,
    ContestPart,
    ContestPenalty,
    ContestPrize,
    ContestRound,
    ContestRoundEntry,
    ScoreSheet,
    SecretaryMark,
    TieDecision,
)
from app.contests.services.lookups import (
    conflicts,
    contest_prizes,
    is_last_round,
    round_entries,
    round_judges,
    round_parts,
)
from app.contests.services.words import parse_tiers
from app.extensions import db
from app.units.models import Unit
from app.units.services import units_by_id


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


def counted(sheet: ScoreSheet, judge_ids: set[int], pairs: set[tuple[int, int]]) -> bool:
    """A sheet counts toward its entry's result: submitted, complete, and from a judge of the
    panel who may score the entry."""
    return (
        sheet.is_submitted
        and sheet.total is not None
        and sheet.judge_id in judge_ids
        and (sheet.judge_id, sheet.entry_id) not in pairs
    )


def panel_size(judges: list[ContestJudge], pairs: set[tuple[int, int]], entry_id: int) -> int:
    """How many judges of the panel score an entry (those without a conflict with it)."""
    return sum(1 for j in judges if (j.id, entry_id) not in pairs)


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

    def identity(self, entry_id: int) -> dict:
        """An entry as every listing of the round names it: id, name, unit, running order."""
        place = self.entries[entry_id]
        return {
            "entry_id": entry_id,
            "name": place.entry.name,
            "unit": self.units[place.entry.unit_id].name,
            "order": place.order_number,
        }

    def panel(self, entry_id: int) -> int:
        """How many judges score this entry."""
        return panel_size(self.judges, self.conflicts, entry_id)

    def counted_sheets(self) -> list[ScoreSheet]:
        """The sheets that count toward the results."""
        judge_ids = {j.id for j in self.judges}
        return [s for s in self.sheets if counted(s, judge_ids, self.conflicts)]

    @property
    def missing_sheets(self) -> int:
        """Judged parts × entries × judges (without conflicts) not submitted yet."""
        judged = [p for p in self.parts if p.is_judged]
        expected = sum(self.panel(entry_id) for entry_id in self.entries) * len(judged)
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
    outcome = RoundResults(
        round=round_,
        contest=contest,
        parts=parts,
        entries=entries,
        units=units_by_id(re.entry.unit_id for re in entries.values()),
        results=[],
        judges=judges,
        conflicts=conflicts(judges, list(entries)),
        sheets=list(
            db.session.scalars(
                select(ScoreSheet).where(
                    ScoreSheet.round_id == round_.id,
                    ScoreSheet.entry_id.in_(list(entries) or [0]),
                )
            )
        ),
        decisions=list(
            db.session.scalars(
                select(TieDecision)
                .where(TieDecision.round_id == round_.id)
                .order_by(TieDecision.id)
            )
        ),
    )
    round_rules = rules.Rules(
        parts=[part_rule(p) for p in parts],
        aggregation=contest.aggregation,
        places=contest.places,
        rounding=contest.rounding,
        tie_break=contest.tie_break_keys,
        decisions=[d.order for d in outcome.decisions],
    )
    outcome.results = rules.compute_results(round_rules, _scores(outcome))
    _boundaries(outcome)
    return outcome


def _scores(outcome: RoundResults) -> list[rules.EntryScores]:
    """What each entry of the round was given: the judges' submitted totals, the secretary's
    marks and the penalties."""
    round_id = outcome.round.id
    secretary = db.session.execute(
        select(SecretaryMark.entry_id, SecretaryMark.part_id, SecretaryMark.value).where(
            SecretaryMark.round_id == round_id
        )
    ).all()
    penalties = db.session.execute(
        select(ContestPenalty.entry_id, ContestPenalty.points).where(
            ContestPenalty.round_id == round_id
        )
    ).all()
    marks: dict[int, dict[int, list[Decimal]]] = {}
    for sheet in outcome.counted_sheets():
        marks.setdefault(sheet.entry_id, {}).setdefault(sheet.part_id, []).append(sheet.total)
    return [
        rules.EntryScores(
            entry_id=entry_id,
            judge_marks=marks.get(entry_id, {}),
            expected_judges={p.id: outcome.panel(entry_id) for p in outcome.parts if p.is_judged},
            secretary_marks={p: v for e, p, v in secretary if e == entry_id},
            penalties=[points for e, points in penalties if e == entry_id],
        )
        for entry_id in outcome.entries
    ]


def _boundaries(outcome: RoundResults) -> None:
    """The prizes of the last round, or who goes through from an earlier one, and the ties
    the board has to decide at those boundaries."""
    round_, computed = outcome.round, outcome.results
    if is_last_round(round_):
        prizes = contest_prizes(outcome.contest.id, "rank")
        outcome.boundaries = rules.prize_boundaries([p.count for p in prizes])
        by_id = {p.id: p for p in prizes}
        awarded = rules.assign_prizes(computed, [(p.id, p.count) for p in prizes])
        outcome.prizes = {entry: by_id[prize] for entry, prize in awarded.items()}
    elif round_.advance_count:
        outcome.boundaries = [round_.advance_count]
        outcome.advancing = rules.advancing(computed, round_.advance_count)
    outcome.ties = rules.boundary_ties(computed, outcome.boundaries)
