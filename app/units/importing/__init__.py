"""Unit imports: the official list of provinces and communes, and CSV files of a subtree.

Every row is checked before anything is written (QUALITY.md R8), and a unit that is already
there is matched rather than added again, so importing the same data twice changes nothing.
The functions flush and never commit: the command commits.

``common`` holds what both imports share, ``bulk`` creates units in batches, ``official`` loads
the vietnam-provinces list, and ``csv_file`` (with ``csv_rows`` and ``csv_planner``) loads a file.
"""

from app.units.importing.bulk import create_units
from app.units.importing.common import ImportFailed, NewUnit, Summary
from app.units.importing.csv_file import import_csv, plan_csv, read_csv, resolve_parent
from app.units.importing.csv_rows import CsvRow
from app.units.importing.official import import_official, official_commune, official_province

__all__ = [
    "CsvRow",
    "ImportFailed",
    "NewUnit",
    "Summary",
    "create_units",
    "import_csv",
    "import_official",
    "official_commune",
    "official_province",
    "plan_csv",
    "read_csv",
    "resolve_parent",
]
