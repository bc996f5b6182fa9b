"""Reading published snapshots: the one in force, an earlier one by its number, the history
of a round's publishing, and a snapshot's JSON with its points as Decimals. Nothing but the
snapshot is read, so what a published page shows never changes."""

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.contests.models import ResultSnapshot
from app.extensions import db
from app.users.models import User


def latest_snapshot(round_id: int) -> ResultSnapshot | None:
    """The round's snapshot in force (the highest number), None before publishing."""
    return db.session.scalar(
        select(ResultSnapshot)
        .where(ResultSnapshot.round_id == round_id)
        .order_by(ResultSnapshot.number.desc())
        .limit(1)
    )


def snapshot_by_number(round_id: int, number: int) -> ResultSnapshot | None:
    """One published snapshot of a round by its number."""
    return db.session.scalar(
        select(ResultSnapshot).where(
            ResultSnapshot.round_id == round_id, ResultSnapshot.number == number
        )
    )


def snapshot_data(snapshot: ResultSnapshot) -> dict:
    """A snapshot's JSON as stored (results_data with its number and reason)."""
    return json.loads(snapshot.data)


def points_text(value: Decimal | None) -> str | None:
    """Points as JSON text with 2 places ("8.25"), None kept: snapshots and reopenings."""
    return None if value is None else f"{value:.2f}"


def points_value(text: str | None) -> Decimal | None:
    """A snapshot's points text ("8.25") back to a Decimal, None kept."""
    return None if text is None else Decimal(text)


def shared_ranks(ranks: Iterable[int | None]) -> set[int]:
    """The ranks held by more than one entry (printed "đồng hạng")."""
    counts = Counter(rank for rank in ranks if rank is not None)
    return {rank for rank, count in counts.items() if count > 1}


def decision_lines(data: dict) -> list[dict]:
    """The board's tie decisions of a snapshot's JSON: the entries' names, best placed first,
    and the reason."""
    names = {entry["entry_id"]: entry["name"] for entry in data["entries"]}
    return [
        {"names": [names.get(i, f"#{i}") for i in d["entry_ids"]], "reason": d["reason"]}
        for d in data.get("tie_decisions", [])
    ]


def snapshot_view(snapshot: ResultSnapshot) -> dict:
    """A snapshot's JSON with its points as Decimals, for pages and documents."""
    data = snapshot_data(snapshot)
    shared = shared_ranks(entry["rank"] for entry in data["entries"])
    entries = [
        {
            **entry,
            "parts": [points_value(p["result"]) for p in entry["parts"]],
            "penalty": points_value(entry["penalty"]),
            "total": points_value(entry["total"]),
            "shared": entry["rank"] in shared,
        }
        for entry in data["entries"]
    ]
    return {
        **data,
        "parts": [{**p, "max_points": points_value(p["max_points"])} for p in data["parts"]],
        "entries": entries,
        "tie_decisions": decision_lines(data),
    }


@dataclass(frozen=True)
class SnapshotInfo:
    """A line of a round's publishing history."""

    number: int
    published_at: datetime
    by: str | None
    reason: str | None


def snapshot_history(round_id: int) -> list[SnapshotInfo]:
    """Every snapshot of a round, the newest first, with who published it (one query, the
    JSON itself not read)."""
    rows = db.session.execute(
        select(
            ResultSnapshot.number,
            ResultSnapshot.published_at,
            User.full_name,
            ResultSnapshot.reason,
        )
        .outerjoin(User, User.id == ResultSnapshot.published_by_id)
        .where(ResultSnapshot.round_id == round_id)
        .order_by(ResultSnapshot.number.desc())
    ).all()
    return [SnapshotInfo(*row) for row in rows]
