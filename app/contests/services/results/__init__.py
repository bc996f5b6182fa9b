"""A round's results from what is recorded (sheets, secretary marks, penalties, board
decisions), through the pure rules of app/contests/rules.py; publishing them as a snapshot.

``compute`` (compute_round, RoundResults), ``publish`` (results_data, publish_round),
``snapshots`` (reading what was published) and ``ranking`` (the board's pages: gaps, ties and
decisions); the structure they read (parts, entries, judges, conflicts) is
app/contests/services/lookups.py, re-exported here with the rest."""

from app.contests.services import REASON_MAX
from app.contests.services.lookups import (
    conflicts,
    is_last_round,
    round_entries,
    round_judges,
    round_parts,
)
from app.contests.services.results.compute import (
    RoundResults,
    compute_round,
    counted,
    panel_size,
    part_rule,
)
from app.contests.services.results.publish import (
    PUBLISHABLE_CONTEST,
    PUBLISHABLE_ROUND,
    SNAPSHOT_FORMAT,
    publish_round,
    publish_state_error,
    results_data,
)
from app.contests.services.results.ranking import (
    REASON_NEEDED,
    TIE_VALUE_LABELS,
    DecisionInfo,
    RankingRow,
    TieGroup,
    decide_tie,
    entry_gaps,
    ranking_rows,
    tie_decisions,
    tie_groups,
)
from app.contests.services.results.snapshots import (
    SnapshotInfo,
    latest_snapshot,
    points_text,
    points_value,
    snapshot_by_number,
    snapshot_data,
    snapshot_history,
    snapshot_view,
)
from app.contests.services.words import parse_tiers

__all__ = [
    "PUBLISHABLE_CONTEST",
    "PUBLISHABLE_ROUND",
    "REASON_MAX",
    "REASON_NEEDED",
    "SNAPSHOT_FORMAT",
    "TIE_VALUE_LABELS",
    "DecisionInfo",
    "RankingRow",
    "RoundResults",
    "SnapshotInfo",
    "TieGroup",
    "compute_round",
    "conflicts",
    "counted",
    "decide_tie",
    "entry_gaps",
    "is_last_round",
    "latest_snapshot",
    "panel_size",
    "parse_tiers",
    "part_rule",
    "points_text",
    "points_value",
    "publish_round",
    "publish_state_error",
    "ranking_rows",
    "results_data",
    "round_entries",
    "round_judges",
    "round_parts",
    "snapshot_by_number",
    "snapshot_data",
    "snapshot_history",
    "snapshot_view",
    "tie_decisions",
    "tie_groups",
]
