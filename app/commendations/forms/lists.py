"""The filters of the lists of proposals and decisions, read from the query string (a GET form:
the page, its htmx fragment, "load more" and the exports read the same values). A value that
is not one of the choices is ignored, never an error: a list always answers."""

from dataclasses import dataclass, fields

from werkzeug.datastructures import MultiDict

from app.clock import today
from app.commendations.rules import FORMS, NOMINEE_KIND_LABELS, PROPOSAL_STATUS_LABELS
from app.forms import parse_id

# How far back the year select goes (the scheme runs 2024-2030; an older year can still be
# asked for in the address).
YEARS_BACK = 5


# The forms as a filter and a list column name them (the export keeps the full names).
SHORT_FORM_LABELS = {
    "bieu_duong": "Biểu dương",
    "giay_khen_xa": "Giấy khen cấp xã",
    "giay_khen_huyen": "Giấy khen cấp huyện",
    "bang_khen_tinh": "Bằng khen cấp tỉnh",
    "bang_khen_bo": "Bằng khen Bộ Tư pháp",
    "ky_niem_chuong": "Kỷ niệm chương",
}


def parse_year(raw: str | None) -> int | None:
    """A four-digit year, or None ("all years")."""
    text = (raw or "").strip()
    if len(text) == 4 and text.isdigit() and 1900 < int(text) < 2200:
        return int(text)
    return None


def year_choices(selected: int | None = None) -> list[int]:
    """This year first and the five before it (and a year typed into the address, if other)."""
    this_year = today().year
    years = list(range(this_year, this_year - YEARS_BACK - 1, -1))
    if selected is not None and selected not in years:
        years.append(selected)
        years.sort(reverse=True)
    return years


@dataclass
class ListFilters:
    """Common to both lists: the year (absent: this year; "" : every year), the form, a unit
    of the user's subtree and the search text."""

    year: int | None = None
    form: str = ""
    unit: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args: MultiDict) -> "ListFilters":
        values = {}
        for f in fields(cls):
            raw = (args.get(f.name) or "").strip()
            if f.name == "year":
                values["year"] = parse_year(raw) if "year" in args else today().year
            elif f.type == (int | None):
                values[f.name] = parse_id(raw) if raw else None
            elif f.type is bool:
                values[f.name] = raw in ("1", "on", "yes", "true")
            else:
                values[f.name] = raw[:100]
        filters = cls(**values)
        filters.clean()
        return filters

    def clean(self) -> None:
        """Drop choices that do not exist."""
        if self.form not in FORMS:
            self.form = ""

    def as_args(self) -> dict:
        """The filters to repeat in links (next page, export, the bulk form's way back). The
        year always travels: leaving it out means this year, "" means every year."""
        args = {"year": "" if self.year is None else self.year}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "year" and value not in ("", None, False):
                args[f.name] = 1 if value is True else value
        return args

    @property
    def narrowed(self) -> bool:
        """Something beyond the year is chosen (the empty list then says "try fewer filters")."""
        return any(v for k, v in self.as_args().items() if k != "year")


@dataclass
class ProposalFilters(ListFilters):
    """The list of proposals: also the status, the kind of nominee and "waiting for me"."""

    status: str = ""
    kind: str = ""
    mine: bool = False

    def clean(self) -> None:
        super().clean()
        if self.status not in PROPOSAL_STATUS_LABELS:
            self.status = ""
        if self.kind not in NOMINEE_KIND_LABELS:
            self.kind = ""


@dataclass
class DecisionFilters(ListFilters):
    """The list of decisions: year, form, issuing unit and number."""
