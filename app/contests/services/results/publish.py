"""Publishing a round's results: the ranking as plain JSON data (also what ``flask contests
results`` prints), kept as a new snapshot each time, never updated; a correction needs its
reason and must change something."""

import json

from app.clock import utcnow
from app.contests.models import ContestRound, ResultSnapshot
from app.contests.services import ContestError, reason_problem, user_id
from app.contests.services.lookups import is_last_round
from app.contests.services.results.compute import RoundResults, compute_round
from app.contests.services.results.snapshots import latest_snapshot, points_text, snapshot_data
from app.extensions import db

SNAPSHOT_FORMAT = 1
PUBLISHABLE_CONTEST = ("judging", "published")
PUBLISHABLE_ROUND = ("judging", "published")


def results_data(outcome: RoundResults) -> dict:
    """The ranking as plain JSON data: the published snapshot and ``flask contests results``."""
    contest, round_ = outcome.contest, outcome.round
    names = {p.id: p.name for p in outcome.parts}
    return {
        "format": SNAPSHOT_FORMAT,
        "contest": {"id": contest.id, "name": contest.name, "year": contest.year},
        "round": {"id": round_.id, "name": round_.name, "kind": round_.kind},
        "parts": [
            {"id": p.id, "name": p.name, "kind": p.kind, "max_points": points_text(p.max_points)}
            for p in outcome.parts
        ],
        "entries": [
            {
                **outcome.identity(r.entry_id),
                "parts": [
                    {"part": names[p.id], "result": points_text(r.parts.get(p.id))}
                    for p in outcome.parts
                ],
                "penalty": points_text(r.penalty),
                "total": points_text(r.total),
                "rank": r.rank,
                "prize": outcome.prizes[r.entry_id].name if r.entry_id in outcome.prizes else None,
                "advances": r.entry_id in outcome.advancing,
            }
            for r in outcome.results
        ],
        "tie_decisions": [{"entry_ids": d.order, "reason": d.reason} for d in outcome.decisions],
    }


def publish_state_error(round_: ContestRound) -> str | None:
    """Why results of this round cannot be decided or published at all now (else None)."""
    contest = round_.contest
    if contest.status not in PUBLISHABLE_CONTEST:
        if contest.status == "closed":
            return "Hội thi đã kết thúc: không ghi thêm quyết định hay công bố kết quả."
        return "Hội thi chưa bắt đầu chấm thi: chưa có kết quả để công bố."
    if round_.status not in PUBLISHABLE_ROUND:
        return "Vòng thi chưa mở chấm: chưa có kết quả để công bố."
    return None


def publish_round(round_: ContestRound, user, reason: str | None) -> ResultSnapshot:
    """Publish the round's results as a new snapshot (the board). Refused while a sheet or a
    quiz result is missing or a boundary tie is unresolved; a correction needs its reason and
    must change something."""
    problem = publish_state_error(round_)
    if problem:
        raise ContestError(problem)
    outcome = compute_round(round_)
    problems = outcome.blockers()
    if problems:
        raise ContestError([("", p) for p in problems])
    previous = latest_snapshot(round_.id)
    reason = (reason or "").strip()
    if problem := reason_problem(reason):
        raise ContestError(problem, "reason")
    if previous is not None and not reason:
        raise ContestError("Kết quả đã công bố; công bố lại cần ghi lý do đính chính.", "reason")
    data = results_data(outcome)
    if previous is not None and _same_results(snapshot_data(previous), data):
        raise ContestError(
            f"Kết quả tính lại giống hệt bản đã công bố số {previous.number}: "
            "không có gì để đính chính."
        )
    data["number"] = previous.number + 1 if previous else 1
    data["reason"] = reason or None
    snapshot = ResultSnapshot(
        round_id=round_.id,
        number=data["number"],
        published_at=utcnow(),
        published_by_id=user_id(user),
        reason=reason or None,
        data=json.dumps(data, ensure_ascii=False),
    )
    db.session.add(snapshot)
    round_.status = "published"
    if is_last_round(round_) and outcome.contest.status == "judging":
        outcome.contest.status = "published"
    db.session.flush()
    return snapshot


def _same_results(published: dict, computed: dict) -> bool:
    """The two snapshots' data rank the same (their number and reason aside)."""
    ignored = ("number", "reason")
    return {k: v for k, v in published.items() if k not in ignored} == {
        k: v for k, v in computed.items() if k not in ignored
    }
