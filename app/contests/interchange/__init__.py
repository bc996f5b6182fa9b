"""A whole contest as one JSON file, and back (docs/contest-format.md).

``export_contest`` writes every record of a contest with file-local keys instead of database
ids; ``import_contest`` checks a whole file first (``checking``) and only then writes a new
contest (``loading``), flushing, never committing: nothing is written when anything is wrong.
"""

from app.contests.interchange.checking import ImportRefused, check_file, parse_json
from app.contests.interchange.exporting import export_contest
from app.contests.interchange.loading import ImportSummary, import_contest, load_plan
from app.contests.interchange.shape import FORMAT_NAME, FORMAT_VERSION

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ImportRefused",
    "ImportSummary",
    "check_file",
    "export_contest",
    "import_contest",
    "load_plan",
    "parse_json",
]
