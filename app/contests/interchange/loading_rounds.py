"""Writing a checked round: parts and criteria, running order, panel, sheets and marks, the
secretary's records, decisions, reviews and published snapshots (ids from the file's keys)."""

import json

from app.clock import utcnow
from app.contests.interchange.shape import points, remap_snapshot
from app.contests.models import (
    Contest,
    ContestCriterion,
    ContestJudge,
    ContestPart,
    ContestPenalty,
    ContestRound,
    ContestRoundEntry,
    OutlierReview,
    ResultSnapshot,
    ScoreMark,
    ScoreSheet,
    SecretaryMark,
    SheetReopening,
    TieDecision,
)
from app.extensions import db


def add(model):
    """Add and flush a new row (its id is needed by the next ones)."""
    db.session.add(model)
    db.session.flush()
    return model


def load_round(contest: Contest, position: int, plan: dict, summary) -> None:
    """Write a round of the plan and everything recorded in it."""
    round_ = add(
        ContestRound(
            contest_id=contest.id,
            position=position,
            name=plan["name"],
            kind=plan["kind"],
            held_on=plan["held_on"],
            venue=plan["venue"],
            advance_count=plan["advance_count"],
            status=plan["status"],
        )
    )
    summary.counts["rounds"] += 1
    for n, part in enumerate(plan["parts"], start=1):
        _part(round_, n, part)
    for item in plan["entries"]:
        db.session.add(
            ContestRoundEntry(
                round_id=round_.id,
                entry_id=item["entry"]["model"].id,
                order_number=item["order"],
                drawn_at=item["drawn_at"],
            )
        )
    for n, judge in enumerate(plan["judges"], start=1):
        _judge(round_, n, judge, summary)
    db.session.flush()
    _sheets(round_, plan["sheets"], summary)
    _records(round_, plan, summary)
    _snapshots(contest, round_, plan, summary)


def _part(round_: ContestRound, position: int, plan: dict) -> None:
    plan["model"] = part = add(
        ContestPart(
            round_id=round_.id,
            position=position,
            name=plan["name"],
            kind=plan["kind"],
            max_points=plan["max_points"],
            scored_by=plan["scored_by"],
            time_limit_seconds=plan["time_limit_seconds"],
            penalty_kind=plan["penalty_kind"],
            penalty_points=plan["penalty_points"],
            penalty_tiers=plan["penalty_tiers"],
            guidance=plan["guidance"],
        )
    )
    for n, criterion in enumerate(plan["criteria"], start=1):
        criterion["model"] = ContestCriterion(
            part_id=part.id, position=n, name=criterion["name"], max_points=criterion["max_points"]
        )
        db.session.add(criterion["model"])
    db.session.flush()


def _judge(round_: ContestRound, position: int, plan: dict, summary) -> None:
    plan["model"] = ContestJudge(
        round_id=round_.id,
        user_id=plan["user_id"],
        full_name=plan["full_name"],
        title=plan["title"],
        unit_id=plan["unit"].id if plan["unit"] else None,
        is_head=plan["is_head"],
        position=position,
        declared_at=plan["declared_at"],
    )
    db.session.add(plan["model"])
    summary.counts["judges"] += 1
    summary.counts["accounts"] += plan["user_id"] is not None
    if plan["username"] and plan["user_id"] is None:
        summary.notes.append(
            f"Giám khảo “{plan['full_name']}” ({round_.name}): không có tài khoản giám khảo "
            f"“{plan['username']}” trong hệ thống; giữ theo tên, không có tài khoản chấm."
        )


def _sheets(round_: ContestRound, sheets: list[dict], summary) -> None:
    for plan in sheets:
        plan["model"] = ScoreSheet(
            round_id=round_.id,
            judge_id=plan["judge"]["model"].id,
            entry_id=plan["entry"]["model"].id,
            part_id=plan["part"]["model"].id,
            status=plan["status"],
            total=plan["total"],
            note=plan["note"],
            submitted_at=plan["submitted_at"],
        )
        db.session.add(plan["model"])
    db.session.flush()
    for plan in sheets:
        for criterion, value in plan["marks"]:
            db.session.add(
                ScoreMark(
                    sheet_id=plan["model"].id,
                    criterion_id=criterion["model"].id if criterion else None,
                    value=value,
                )
            )
    summary.counts["sheets"] += len(sheets)
    db.session.flush()


def _records(round_: ContestRound, plan: dict, summary) -> None:
    """The secretary's records, the board's decisions and the head judge's reviews."""
    for mark in plan["secretary_marks"]:
        db.session.add(
            SecretaryMark(
                round_id=round_.id,
                entry_id=mark["entry"]["model"].id,
                part_id=mark["part"]["model"].id,
                value=mark["value"],
                correct_answers=mark["correct_answers"],
                question_count=mark["question_count"],
            )
        )
    for penalty in plan["penalties"]:
        db.session.add(
            ContestPenalty(
                round_id=round_.id,
                entry_id=penalty["entry"]["model"].id,
                part_id=penalty["part"]["model"].id if penalty["part"] else None,
                kind=penalty["kind"],
                used_seconds=penalty["used_seconds"],
                points=penalty["points"],
                reason=penalty["reason"],
            )
        )
    for decision in plan["tie_decisions"]:
        db.session.add(
            TieDecision(
                round_id=round_.id,
                entry_ids=",".join(str(e["model"].id) for e in decision["entries"]),
                reason=decision["reason"],
                at=decision["at"] or utcnow(),
            )
        )
    for reopening in plan["reopenings"]:
        sheet = reopening["sheet"]
        db.session.add(
            SheetReopening(
                sheet_id=sheet["model"].id,
                at=reopening["at"] or utcnow(),
                reason=reopening["reason"],
                marks_before=_marks_json(reopening["marks_before"], sheet),
                marks_after=_marks_json(reopening["marks_after"], sheet),
            )
        )
    for review in plan["outlier_reviews"]:
        sheet = review["sheet"]["model"]
        db.session.add(
            OutlierReview(
                sheet_id=sheet.id,
                # A review of earlier marks stays bound to no current version of the sheet.
                sheet_version=sheet.version if review["current"] else 0,
                decision=review["decision"],
                note=review["note"],
                at=review["at"] or utcnow(),
            )
        )
    summary.counts["secretary"] += len(plan["secretary_marks"])
    summary.counts["penalties"] += len(plan["penalties"])
    summary.counts["ties"] += len(plan["tie_decisions"])
    db.session.flush()


def _marks_json(marks: dict | None, sheet: dict) -> str | None:
    """A reopening's marks with the file's criterion keys as the new criterion ids."""
    if marks is None:
        return None
    ids = {c["key"]: str(c["model"].id) for c in sheet["part"]["criteria"]}
    values = {ids.get(key, key): points(value) for key, value in marks.items()}
    return json.dumps(values, ensure_ascii=False)


def _snapshots(contest: Contest, round_: ContestRound, plan: dict, summary) -> None:
    parts = {p["key"]: p["model"].id for p in plan["parts"]}
    entries = {e["entry"]["key"]: e["entry"]["model"].id for e in plan["entries"]}
    for snapshot in plan["snapshots"]:
        data, _ = remap_snapshot(snapshot["data"], contest.id, round_.id, parts, entries)
        snapshot["model"] = ResultSnapshot(
            round_id=round_.id,
            number=snapshot["number"],
            published_at=snapshot["published_at"] or utcnow(),
            reason=snapshot["reason"],
            data=json.dumps(data, ensure_ascii=False, default=str),
        )
        db.session.add(snapshot["model"])
    summary.counts["snapshots"] += len(plan["snapshots"])
    db.session.flush()
