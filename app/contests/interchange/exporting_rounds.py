"""Exporting a round: its parts and criteria, running order and panel, then everything scored
in it (sheets and marks, the secretary's records, decisions, reviews, published snapshots)."""

import json

from sqlalchemy import select

from app.contests.interchange.keys import Keys, rows
from app.contests.interchange.shape import iso_date, iso_datetime, points, remap_snapshot
from app.contests.models import (
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


def export_round(round_: ContestRound, n: int, keys: Keys) -> dict:
    """A round with its rules, panel and scores; its records get keys "R<n>.…"."""
    key = keys.add("round", round_.id, f"R{n}")
    parts = rows(ContestPart, ContestPart.round_id == round_.id, order=[ContestPart.position])
    data = {
        "key": key,
        "name": round_.name,
        "kind": round_.kind,
        "held_on": iso_date(round_.held_on),
        "venue": round_.venue,
        "advance_count": round_.advance_count,
        "status": round_.status,
        "parts": [_part(p, f"{key}.P{i}", keys) for i, p in enumerate(parts, start=1)],
        "entries": [
            {
                "entry": keys.get("entry", re.entry_id),
                "order": re.order_number,
                "drawn_at": iso_datetime(re.drawn_at),
            }
            for re in rows(
                ContestRoundEntry,
                ContestRoundEntry.round_id == round_.id,
                order=[ContestRoundEntry.order_number.is_(None), ContestRoundEntry.order_number],
            )
        ],
    }
    judges = rows(
        ContestJudge,
        ContestJudge.round_id == round_.id,
        order=[ContestJudge.position, ContestJudge.id],
    )
    usernames = _usernames([j.user_id for j in judges])
    data["judges"] = [
        {
            "key": keys.add("judge", j.id, f"{key}.J{i}"),
            "full_name": j.full_name,
            "title": j.title,
            "unit": keys.unit(j.unit_id),
            "is_head": j.is_head,
            "username": usernames.get(j.user_id),
            "declared_at": iso_datetime(j.declared_at),
        }
        for i, j in enumerate(judges, start=1)
    ]
    data |= _scores(round_, key, keys)
    return data


def _usernames(user_ids: list[int | None]) -> dict[int, str]:
    from app.users.models import User

    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


def _part(part: ContestPart, key: str, keys: Keys) -> dict:
    keys.add("part", part.id, key)
    return {
        "key": key,
        "name": part.name,
        "kind": part.kind,
        "max_points": points(part.max_points),
        "scored_by": part.scored_by,
        "time_limit_seconds": part.time_limit_seconds,
        "penalty_kind": part.penalty_kind,
        "penalty_points": points(part.penalty_points),
        "penalty_tiers": part.penalty_tiers,
        "guidance": part.guidance,
        "criteria": [
            {
                "key": keys.add("criterion", c.id, f"{key}.C{i}"),
                "name": c.name,
                "max_points": points(c.max_points),
            }
            for i, c in enumerate(part.criteria, start=1)
        ],
    }


def _scores(round_: ContestRound, key: str, keys: Keys) -> dict:
    """Sheets with their marks, the secretary's records, decisions and snapshots of a round."""
    sheets = rows(ScoreSheet, ScoreSheet.round_id == round_.id)
    sheet_ids = [s.id for s in sheets] or [0]
    marks = rows(ScoreMark, ScoreMark.sheet_id.in_(sheet_ids))
    criterion_position = dict(
        db.session.execute(
            select(ContestCriterion.id, ContestCriterion.position).where(
                ContestCriterion.id.in_({m.criterion_id for m in marks} or {0})
            )
        ).all()
    )
    versions = {s.id: s.version for s in sheets}
    data = {"sheets": []}
    for n, sheet in enumerate(sheets, start=1):
        own = sorted(
            (m for m in marks if m.sheet_id == sheet.id),
            key=lambda m: (m.criterion_id is not None, criterion_position.get(m.criterion_id, 0)),
        )
        data["sheets"].append(
            {
                "key": keys.add("sheet", sheet.id, f"{key}.S{n}"),
                "judge": keys.get("judge", sheet.judge_id),
                "entry": keys.get("entry", sheet.entry_id),
                "part": keys.get("part", sheet.part_id),
                "status": sheet.status,
                "submitted_at": iso_datetime(sheet.submitted_at),
                "note": sheet.note,
                "marks": [
                    {"criterion": keys.get("criterion", m.criterion_id), "value": points(m.value)}
                    for m in own
                ],
            }
        )
    data["secretary_marks"] = [
        {
            "entry": keys.get("entry", m.entry_id),
            "part": keys.get("part", m.part_id),
            "value": points(m.value),
            "correct_answers": m.correct_answers,
            "question_count": m.question_count,
        }
        for m in rows(SecretaryMark, SecretaryMark.round_id == round_.id)
    ]
    data["penalties"] = [
        {
            "entry": keys.get("entry", p.entry_id),
            "part": keys.get("part", p.part_id),
            "kind": p.kind,
            "used_seconds": p.used_seconds,
            "points": points(p.points),
            "reason": p.reason,
        }
        for p in rows(ContestPenalty, ContestPenalty.round_id == round_.id)
    ]
    data["tie_decisions"] = [
        {
            "entries": [keys.get("entry", i) for i in d.order],
            "reason": d.reason,
            "at": iso_datetime(d.at),
        }
        for d in rows(TieDecision, TieDecision.round_id == round_.id)
    ]
    data["reopenings"] = [
        {
            "sheet": keys.get("sheet", r.sheet_id),
            "at": iso_datetime(r.at),
            "reason": r.reason,
            "marks_before": _marks_json(r.marks_before, keys),
            "marks_after": _marks_json(r.marks_after, keys),
        }
        for r in rows(SheetReopening, SheetReopening.sheet_id.in_(sheet_ids))
    ]
    data["outlier_reviews"] = [
        {
            "sheet": keys.get("sheet", r.sheet_id),
            "current": r.sheet_version == versions[r.sheet_id],
            "decision": r.decision,
            "note": r.note,
            "at": iso_datetime(r.at),
        }
        for r in rows(OutlierReview, OutlierReview.sheet_id.in_(sheet_ids))
    ]
    data["snapshots"] = [_snapshot(s, key, keys) for s in _snapshots(round_)]
    return data


def _snapshots(round_: ContestRound) -> list[ResultSnapshot]:
    return rows(ResultSnapshot, ResultSnapshot.round_id == round_.id, order=[ResultSnapshot.number])


def _snapshot(snapshot: ResultSnapshot, round_key: str, keys: Keys) -> dict:
    parts = {i: k for (kind, i), k in keys.of.items() if kind == "part"}
    entries = {i: k for (kind, i), k in keys.of.items() if kind == "entry"}
    data, _ = remap_snapshot(json.loads(snapshot.data), None, round_key, parts, entries)
    return {
        "key": keys.add("snapshot", snapshot.id, f"{round_key}.K{snapshot.number}"),
        "number": snapshot.number,
        "published_at": iso_datetime(snapshot.published_at),
        "reason": snapshot.reason,
        "data": data,
    }


def _marks_json(text: str | None, keys: Keys) -> dict | None:
    """A reopening's {"criterion id" or "part": "7.50"} with criterion ids as file keys."""
    if text is None:
        return None
    marks = json.loads(text)
    out = {}
    for name, value in marks.items():
        criterion = keys.get("criterion", int(name)) if name.isdigit() else None
        out[criterion or name] = value
    return out
