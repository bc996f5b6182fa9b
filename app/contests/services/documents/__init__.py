"""The printed documents of a round (Decree 30/2020 layout): each judge's score sheet, the
score table and the minutes of results (biên bản). Everything a template prints is prepared
here, in a fixed number of queries, from what is recorded or from the published snapshot.

``layout`` (header, signatures), ``sheets``, ``table`` and ``minutes``,
re-exported here."""

from app.contests.services.documents.layout import Letterhead, head_judge, letterhead
from app.contests.services.documents.minutes import (
    Minutes,
    Reopening,
    Review,
    describe_marks,
    method_in_words,
    minutes,
)
from app.contests.services.documents.sheets import (
    JudgeSheet,
    SheetCell,
    SheetPart,
    SheetRow,
    judge_sheets,
)
from app.contests.services.documents.table import (
    ScoreTable,
    TableRow,
    draft_table,
    published_table,
    table_from_data,
)
from app.contests.services.results.snapshots import points_value as points
from app.contests.services.words import print_points

__all__ = [
    "JudgeSheet",
    "Letterhead",
    "Minutes",
    "Reopening",
    "Review",
    "ScoreTable",
    "SheetCell",
    "SheetPart",
    "SheetRow",
    "TableRow",
    "describe_marks",
    "draft_table",
    "head_judge",
    "judge_sheets",
    "letterhead",
    "method_in_words",
    "minutes",
    "points",
    "print_points",
    "published_table",
    "table_from_data",
]
