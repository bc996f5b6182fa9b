"""The prize table of a contest: rank prizes in order (Nhất, Nhì...) and side prizes; a
change once the rules are frozen is an amendment, and a prize already awarded is kept."""

from collections.abc import Sequence

from sqlalchemy import select

from app.clock import utcnow
from app.contests.models import PRIZE_KIND_LABELS, Contest, ContestAward, ContestPrize
from app.contests.services import ContestError
from app.contests.services.lookups import contest_prizes
from app.contests.services.setup.amendments import amend
from app.contests.services.setup.values import MAX_PRIZES, PrizeValues
from app.extensions import db
from app.text import fold, normalize


def prize_errors(rows: Sequence[PrizeValues]) -> list[tuple[str, str]]:
    """What is wrong with the rows of a prize table (by row and field)."""
    errors = []
    if len(rows) > MAX_PRIZES:
        return [("rows", f"Tối đa {MAX_PRIZES} giải.")]
    seen = set()
    for row in rows:
        prefix = f"rows-{row.row}-"
        name = normalize(row.name)
        if not name:
            errors.append((prefix + "name", "Nhập tên giải."))
        elif len(name) > 100:
            errors.append((prefix + "name", "Tối đa 100 ký tự."))
        elif fold(name) in seen:
            errors.append((prefix + "name", "Tên giải bị trùng."))
        seen.add(fold(name))
        if row.kind not in PRIZE_KIND_LABELS:
            errors.append((prefix + "kind", "Chọn loại giải."))
        if row.count is None or not 1 <= row.count <= 100:
            errors.append((prefix + "count", "Số giải từ 1 đến 100."))
    return errors


def _prize_words(name: str, kind: str, count: int) -> str:
    side = " (giải phụ)" if kind == "side" else ""
    return f"{name}{side}: {count} giải"


def save_prizes(contest: Contest, rows: Sequence[PrizeValues], user, reason: str | None) -> None:
    """Replace the prize table (rank prizes in order, side prizes); the board (an amendment
    once frozen). A prize already awarded is kept."""
    errors = prize_errors(rows)
    if errors:
        raise ContestError(errors)
    existing = contest_prizes(contest.id)
    new = [(normalize(r.name), r.kind, r.count) for r in rows]
    old = [(p.name, p.kind, p.count) for p in existing]
    if new == old:
        return
    removed = existing[len(new) :]
    awarded = set(
        db.session.scalars(
            select(ContestAward.prize_id).where(
                ContestAward.prize_id.in_([p.id for p in existing] or [0])
            )
        )
    )
    for position, prize in enumerate(existing[: len(new)]):
        if prize.id in awarded and (prize.name, prize.kind) != new[position][:2]:
            raise ContestError(
                f"Giải “{prize.name}” đã được trao: không đổi tên hay loại được.",
                f"rows-{rows[position].row}-name",
            )
    if any(p.id in awarded for p in removed):
        raise ContestError("Không bỏ được giải đã trao.", "rows")
    changes = [
        "Cơ cấu giải: "
        + ("; ".join(_prize_words(*p) for p in old) or "(chưa có)")
        + " → "
        + ("; ".join(_prize_words(*p) for p in new) or "(không có giải)")
    ]
    amend(contest, user, reason, changes)
    for position, (name, kind, count) in enumerate(new, start=1):
        if position <= len(existing):
            prize = existing[position - 1]
            prize.name, prize.kind, prize.count, prize.position = name, kind, count, position
        else:
            db.session.add(
                ContestPrize(
                    contest_id=contest.id, position=position, name=name, kind=kind, count=count
                )
            )
    for prize in removed:
        db.session.delete(prize)
    # The prize table is part of the contest: a save makes other open forms of it stale.
    contest.updated_at = utcnow()
    db.session.flush()
