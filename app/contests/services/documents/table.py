"""The score table of a round as printed: from the published snapshot, or for the board the
ranking as it stands, printed "DỰ THẢO"."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.clock import VIETNAM_OFFSET, today
from app.contests import rules
from app.contests.models import ContestRound, ResultSnapshot
from app.contests.services.results.compute import compute_round
from app.contests.services.results.publish import results_data
from app.contests.services.results.snapshots import latest_snapshot, points_value, snapshot_data


@dataclass
class TableRow:
    entry_id: int
    order: int | None
    name: str
    unit: str
    parts: list[Decimal | None]
    penalty: Decimal
    total: Decimal | None
    rank: int | None
    prize: str | None
    advances: bool

    @property
    def adds_up(self) -> bool:
        """The printed parts minus the printed penalty make the printed total."""
        if self.total is None or None in self.parts:
            return False
        return sum(self.parts, Decimal(0)) - self.penalty == self.total


@dataclass
class ScoreTable:
    """A ranking as printed: from a published snapshot, or the board's draft (``snapshot``
    None) of the results as they stand."""

    data: dict
    snapshot: ResultSnapshot | None
    parts: list[dict]
    rows: list[TableRow]

    @property
    def draft(self) -> bool:
        return self.snapshot is None

    @property
    def made_on(self) -> date:
        """The date of the document: the day of publishing (Vietnam time), or today."""
        if self.snapshot is None:
            return today()
        return (self.snapshot.published_at + VIETNAM_OFFSET).date()

    @property
    def has_prizes(self) -> bool:
        return any(r.prize for r in self.rows)

    @property
    def has_advances(self) -> bool:
        return any(r.advances for r in self.rows)


def table_from_data(data: dict, snapshot: ResultSnapshot | None) -> ScoreTable:
    """The rows of a results JSON (results.results_data or a snapshot), as Decimals."""
    rows = [
        TableRow(
            entry_id=e["entry_id"],
            order=e["order"],
            name=e["name"],
            unit=e["unit"],
            parts=[points_value(p["result"]) for p in e["parts"]],
            penalty=points_value(e["penalty"]) or Decimal(0),
            total=points_value(e["total"]),
            rank=e["rank"],
            prize=e["prize"],
            advances=bool(e.get("advances")),
        )
        for e in data["entries"]
    ]
    parts = [{**p, "max_label": rules.format_mark(Decimal(p["max_points"]))} for p in data["parts"]]
    return ScoreTable(data=data, snapshot=snapshot, parts=parts, rows=rows)


def published_table(round_: ContestRound) -> ScoreTable | None:
    """The latest published ranking of a round (None while nothing is published)."""
    snapshot = latest_snapshot(round_.id)
    if snapshot is None:
        return None
    return table_from_data(snapshot_data(snapshot), snapshot)


def draft_table(round_: ContestRound) -> ScoreTable:
    """The ranking as it stands now, unpublished: for the board only, printed "DỰ THẢO"."""
    return table_from_data(results_data(compute_round(round_)), None)
