"""The secretary and the board during judging (DOMAIN.md §5): timings and penalties (separate
records, never edits of a judge's marks), the multiple-choice results the secretary scores
once, and the live progress matrix of a round.

``recording`` (the checks every record makes), ``penalties``, ``quiz`` and ``progress``,
re-exported here."""

from app.contests.services.secretary.penalties import (
    PART_NOT_TIMED,
    POINTS_POSITIVE,
    REASON_REQUIRED,
    PenaltyRow,
    delete_penalty,
    penalty_rows,
    record_rule_penalty,
    record_timing,
    timed_parts,
    timing_of,
)
from app.contests.services.secretary.progress import (
    Cell,
    EntryProgress,
    JudgeProgress,
    Progress,
    round_progress,
)
from app.contests.services.secretary.quiz import (
    CORRECT_ABOVE_COUNT,
    CORRECT_WITHOUT_POINTS,
    COUNT_POSITIVE,
    MarkCell,
    record_secretary_marks,
    secretary_marks,
    secretary_parts,
)
from app.contests.services.secretary.recording import (
    CONTEST_NOT_JUDGING,
    ENTRY_NOT_IN_ROUND,
    PART_NOT_IN_ROUND,
    ROUND_PREPARING,
    ROUND_PUBLISHED,
    closed_reason,
)
from app.contests.services.words import format_duration

__all__ = [
    "CONTEST_NOT_JUDGING",
    "CORRECT_ABOVE_COUNT",
    "CORRECT_WITHOUT_POINTS",
    "COUNT_POSITIVE",
    "ENTRY_NOT_IN_ROUND",
    "PART_NOT_IN_ROUND",
    "PART_NOT_TIMED",
    "POINTS_POSITIVE",
    "REASON_REQUIRED",
    "ROUND_PREPARING",
    "ROUND_PUBLISHED",
    "Cell",
    "EntryProgress",
    "JudgeProgress",
    "MarkCell",
    "PenaltyRow",
    "Progress",
    "closed_reason",
    "delete_penalty",
    "format_duration",
    "penalty_rows",
    "record_rule_penalty",
    "record_secretary_marks",
    "record_timing",
    "round_progress",
    "secretary_marks",
    "secretary_parts",
    "timed_parts",
    "timing_of",
]
