"""The running order of a round, drawn by lot (here or in the hall), and the entries that go
through from the previous round's published ranking to the next round."""

import secrets
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from app.clock import utcnow
from app.contests.models import ContestEntry, ContestRound, ContestRoundEntry
from app.contests.services import ContestError
from app.contests.services.lookups import has_records, previous_round, round_entries
from app.contests.services.results.snapshots import latest_snapshot, snapshot_data
from app.extensions import db


def draw_refusal(round_: ContestRound) -> str | None:
    """Why the running order of a round cannot be drawn now (None when it can)."""
    if round_.status != "preparing":
        return (
            "Vòng thi đã bắt đầu chấm: không bốc thăm lại thứ tự thi được "
            "(thứ tự đã bốc được giữ nguyên)."
        )
    return None


def draw_order(
    round_: ContestRound, user, numbers: dict[int, int | None] | None = None
) -> list[ContestRoundEntry]:
    """Record the running order of a round (the board): drawn here by lot when ``numbers`` is
    None, else the numbers drawn in the hall (round entry id -> 1..n, each once)."""
    refusal = draw_refusal(round_)
    if refusal:
        raise ContestError(refusal)
    rows = round_entries(round_.id)
    if not rows:
        raise ContestError("Vòng thi chưa có đội/thí sinh nào để bốc thăm.")
    n = len(rows)
    if numbers is None:
        drawn = list(range(1, n + 1))
        secrets.SystemRandom().shuffle(drawn)
        assigned = dict(zip((r.id for r in rows), drawn, strict=True))
    else:
        assigned = _check_numbers(rows, numbers)
    # One statement frees the numbers that change and those of withdrawn entries (the pair
    # round/number is unique); then each row gets its number: one audit row per entry, from
    # its old number to its new one.
    moving = [r.id for r in rows if r.order_number != assigned[r.id]]
    db.session.execute(
        update(ContestRoundEntry)
        .where(
            ContestRoundEntry.round_id == round_.id,
            or_(
                ContestRoundEntry.id.in_(moving or [0]),
                ContestRoundEntry.id.not_in([r.id for r in rows]),
            ),
        )
        .values(order_number=None)
        .execution_options(synchronize_session=False)
    )
    now = utcnow()
    for row in rows:
        row.order_number = assigned[row.id]
        row.drawn_at, row.drawn_by_id = now, user.id
    db.session.flush()
    return rows


def _check_numbers(rows: list[ContestRoundEntry], numbers: dict[int, int | None]) -> dict:
    n = len(rows)
    errors = []
    seen: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        number = numbers.get(row.id)
        if number is None:
            errors.append((f"order-{row.id}", "Nhập số thứ tự đã bốc được."))
        elif not 1 <= number <= n:
            errors.append((f"order-{row.id}", f"Số thứ tự phải từ 1 đến {n}."))
        else:
            seen[number].append(row.id)
    for number, ids in seen.items():
        if len(ids) > 1:
            errors += [(f"order-{i}", f"Số {number} bị ghi cho nhiều đội.") for i in ids]
    if errors:
        raise ContestError(errors)
    return {row.id: numbers[row.id] for row in rows}


@dataclass
class Advancement:
    """What the board chooses from: the previous round's published ranking."""

    previous: ContestRound | None
    rows: list[dict]  # snapshot entries, each with "in_round" and "registered" added
    number: int | None = None
    problem: str | None = None


def advancement(round_: ContestRound) -> Advancement:
    """The previous round's latest published snapshot, marked with who is in this round."""
    previous = previous_round(round_)
    if previous is None:
        return Advancement(
            None, [], problem="Đây là vòng thi đầu tiên: đội/thí sinh vào vòng này khi đăng ký."
        )
    snapshot = latest_snapshot(previous.id)
    if snapshot is None or previous.status != "published":
        return Advancement(
            previous,
            [],
            problem=f"{previous.name} chưa công bố kết quả: chưa chọn được đội vào vòng sau.",
        )
    rows = snapshot_data(snapshot)["entries"]
    ids = [row["entry_id"] for row in rows] or [0]
    inside = set(
        db.session.scalars(
            select(ContestRoundEntry.entry_id).where(
                ContestRoundEntry.round_id == round_.id, ContestRoundEntry.entry_id.in_(ids)
            )
        )
    )
    registered = set(
        db.session.scalars(
            select(ContestEntry.id).where(
                ContestEntry.id.in_(ids), ContestEntry.status == "registered"
            )
        )
    )
    for row in rows:
        row["in_round"] = row["entry_id"] in inside
        row["registered"] = row["entry_id"] in registered
    return Advancement(previous, rows, number=snapshot.number)


def set_advancing(round_: ContestRound, chosen: list[int]) -> tuple[int, int]:
    """Put the chosen entries of the previous round's ranking into this round and take out
    the others (the board); (added, removed). Taking out is refused once scoring began."""
    if round_.status == "published":
        raise ContestError("Vòng thi đã công bố kết quả: không thay đổi danh sách đội được.")
    options = advancement(round_)
    if options.problem:
        raise ContestError(options.problem, "entries")
    rows = {row["entry_id"]: row for row in options.rows}
    errors = []
    chosen = list(dict.fromkeys(chosen))
    for entry_id in chosen:
        row = rows.get(entry_id)
        if row is None:
            errors.append(("entries", "Chỉ chọn được đội/thí sinh có trong kết quả vòng trước."))
        elif not row["registered"]:
            errors.append(("entries", f"{row['name']} đã rút đăng ký."))
    leaving = [i for i, row in rows.items() if row["in_round"] and i not in chosen]
    if leaving and round_.status != "preparing":
        names = ", ".join(rows[i]["name"] for i in leaving)
        errors.append(
            (
                "entries",
                f"Vòng thi đã bắt đầu chấm: không bỏ {names} khỏi vòng thi được.",
            )
        )
    if leaving and has_records(round_id=round_.id, entry_ids=leaving):
        errors.append(("entries", "Đội đã có phiếu chấm, điểm hoặc điểm trừ trong vòng này."))
    if errors:
        raise ContestError(list(dict.fromkeys(errors)))
    added = [i for i in chosen if not rows[i]["in_round"]]
    for entry_id in added:
        db.session.add(ContestRoundEntry(round_id=round_.id, entry_id=entry_id))
    for row in db.session.scalars(
        select(ContestRoundEntry).where(
            ContestRoundEntry.round_id == round_.id,
            ContestRoundEntry.entry_id.in_(leaving or [0]),
        )
    ):
        db.session.delete(row)
    db.session.flush()
    return len(added), len(leaving)
