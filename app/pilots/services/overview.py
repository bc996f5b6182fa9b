"""The officers' overview of pilot and model communes (DOMAIN.md §7): the checklists of the
user's subtree, filtered, with each one's completion and points per section, its overdue items
and, for the model-commune criteria, whether the commune meets them now; the header's counts.
Reads only, in a fixed number of queries whatever the number of checklists (QUALITY.md P3):
the views are built for many checklists at once (app/pilots/services/view.py)."""

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import Select, case, distinct, exists, func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.forms import parse_id
from app.pagination import Page, keyset_page
from app.pilots.models import Checklist, ChecklistItem, ChecklistTemplate
from app.pilots.rules import (
    CHECKLIST_STATUS_LABELS,
    KIND_LABELS,
    SIGNED_OFF,
    Tally,
)
from app.pilots.services.view import ChecklistView, build_views
from app.registry.queries import restrict_to_unit
from app.security.scope import scope_placed
from app.text import format_decimal
from app.units.models import Level, Unit

# Past this many checklists the header counts only what SQL counts (designated, signed off):
# overdue items and the model criteria need every checklist's view (a province has tens, the
# whole country a few thousand).
STATS_LIMIT = 500
PAGE_KEYS = [(Unit.name_folded, False), (Checklist.id, False)]
ROMAN = re.compile(r"^([IVXLC]+)[.)\s]")


@dataclass
class OverviewFilters:
    """What the overview, its "load more" and its export are filtered by; a value that is not
    a choice is ignored, never an error."""

    kind: str = ""
    status: str = ""
    unit: int | None = None
    overdue: bool = False

    @classmethod
    def from_args(cls, args: MultiDict) -> "OverviewFilters":
        kind = (args.get("kind") or "").strip()
        status = (args.get("status") or "").strip()
        return cls(
            kind=kind if kind in KIND_LABELS else "",
            status=status if status in CHECKLIST_STATUS_LABELS else "",
            unit=parse_id(args.get("unit")),
            overdue=(args.get("overdue") or "") in ("1", "on", "yes", "true"),
        )

    def as_args(self) -> dict:
        """The filters to repeat in links (next page, export)."""
        args = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ("", None, False):
                args[f.name] = 1 if value is True else value
        return args

    @property
    def narrowed(self) -> bool:
        return bool(self.as_args())


def checklists_stmt(user, f: OverviewFilters, today: date) -> Select:
    """The checklists placed in the user's subtree, filtered (no order). "Only overdue" keeps
    those not signed off with an item past its due date and not done (a computed item that
    meets its target is done: the rows are checked once more on their views)."""
    stmt = scope_placed(select(Checklist), Checklist, user)
    stmt, _ = restrict_to_unit(stmt, Checklist, f.unit, user)
    if f.kind:
        stmt = stmt.where(Checklist.kind == f.kind)
    if f.status:
        stmt = stmt.where(Checklist.status == f.status)
    if f.overdue:
        stmt = stmt.where(
            Checklist.status != SIGNED_OFF,
            exists().where(
                ChecklistItem.checklist_id == Checklist.id,
                ChecklistItem.due_on < today,
                ChecklistItem.progress != "done",
            ),
        )
    return stmt


@dataclass
class Views:
    """The views of some checklists: as shown (a signed-off one from its snapshot) and live
    (the model criteria "now", and the overdue items of those not signed off)."""

    shown: dict[int, ChecklistView]
    live: dict[int, ChecklistView]

    def overdue(self, checklist: Checklist) -> int:
        live = self.live.get(checklist.id)
        return live.tally.overdue if live is not None and checklist.status != SIGNED_OFF else 0

    def meets_now(self, checklist: Checklist) -> bool | None:
        live = self.live.get(checklist.id)
        return live.meets_all if checklist.kind == "model" and live is not None else None


def load_views(checklists: list[Checklist], today: date) -> Views:
    """The views of these checklists in a fixed number of queries."""
    needs_live = [c for c in checklists if c.status != SIGNED_OFF or c.kind == "model"]
    live = build_views(needs_live, today, live=True) if needs_live else {}
    shown = {c.id: live[c.id] for c in needs_live if c.status != SIGNED_OFF}
    signed = [c for c in checklists if c.status == SIGNED_OFF]
    if signed:
        shown.update(build_views(signed, today))
    return Views(shown, live)


@dataclass
class SectionCell:
    """One section of a row: its short label ("II"), title, completion and points."""

    label: str
    title: str
    completion: int
    earned: str
    points: str


@dataclass
class OverviewRow:
    checklist: Checklist
    commune: str
    template: str
    sections: list[SectionCell]
    tally: Tally
    earned: str
    points: str
    overdue: int
    meets_now: bool | None  # model-commune criteria only
    meets_frozen: bool | None  # ... as signed off


def short_label(title: str, position: int) -> str:
    """The section's numeral as its title writes it ("II. Bồi dưỡng" → "II"), else its
    position."""
    match = ROMAN.match(title)
    return match.group(1) if match else str(position)


def make_row(checklist: Checklist, commune: str, template: str, views: Views) -> OverviewRow:
    view = views.shown[checklist.id]
    tally = view.tally
    signed_model = checklist.kind == "model" and checklist.status == SIGNED_OFF
    return OverviewRow(
        checklist=checklist,
        commune=commune,
        template=template,
        sections=[
            SectionCell(
                short_label(s.title, n),
                s.title,
                s.tally.completion,
                format_decimal(s.tally.points_earned),
                format_decimal(s.tally.points),
            )
            for n, s in enumerate(view.sections, start=1)
        ],
        tally=tally,
        earned=format_decimal(tally.points_earned),
        points=format_decimal(tally.points),
        overdue=views.overdue(checklist),
        meets_now=views.meets_now(checklist),
        meets_frozen=view.meets_all if signed_model else None,
    )


@dataclass
class OverviewStats:
    """The header's counts over every checklist the filters keep. ``overdue`` and
    ``meeting`` are None past STATS_LIMIT checklists (the views would cost too much)."""

    checklists: int
    communes: int
    signed_off: int
    model_communes: int
    overdue: int | None = None
    meeting: int | None = None


def _stats_of(checklists: list[Checklist], views: Views) -> OverviewStats:
    models = [c for c in checklists if c.kind == "model"]
    return OverviewStats(
        checklists=len(checklists),
        communes=len({c.unit_id for c in checklists}),
        signed_off=sum(c.status == SIGNED_OFF for c in checklists),
        model_communes=len({c.unit_id for c in models}),
        overdue=sum(views.overdue(c) for c in checklists),
        meeting=len({c.unit_id for c in models if views.meets_now(c)}),
    )


def _counted(stmt: Select) -> OverviewStats:
    """The counts SQL gives alone, for a large subtree."""
    counted = stmt.subquery()
    row = db.session.execute(
        select(
            func.count(),
            func.count(distinct(counted.c.unit_id)),
            func.sum(case((counted.c.status == SIGNED_OFF, 1), else_=0)),
            func.count(distinct(case((counted.c.kind == "model", counted.c.unit_id)))),
        ).select_from(counted)
    ).one()
    return OverviewStats(row[0], row[1], int(row[2] or 0), row[3])


@dataclass
class Overview:
    """What the overview shows: a page of rows, the header's counts (None for "load more")
    and the sections of each template on it (their numerals' titles), by template name."""

    page: Page
    stats: OverviewStats | None
    legend: list[tuple[str, list[tuple[str, str]]]]


def _legend(pairs: list[tuple[Checklist, str]], views: Views) -> list:
    """(template name, [(numeral, section title)]) of the templates of these checklists."""
    found: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for checklist, name in pairs:
        view = views.shown.get(checklist.id)
        if checklist.template_id not in found and view is not None:
            sections = [(short_label(s.title, n), s.title) for n, s in enumerate(view.sections, 1)]
            found[checklist.template_id] = (name, sections)
    return sorted(found.values(), key=lambda pair: pair[0])


def named_checklists(stmt: Select, *columns) -> Select:
    """The checklists with their commune's and their template's names."""
    return (
        stmt.join(Unit, Unit.id == Checklist.unit_id)
        .join(ChecklistTemplate, ChecklistTemplate.id == Checklist.template_id)
        .with_only_columns(
            Checklist,
            *columns,
            Unit.name.label("commune_name"),
            ChecklistTemplate.name.label("template_name"),
        )
    )


def overview_page(
    user, f: OverviewFilters, after: str | None, per_page: int, today: date, stats: bool = True
) -> Overview:
    """One page of the overview, communes in alphabetical order, and (``stats``) the header's
    counts over every checklist the filters keep, with the legend of their sections."""
    stmt = checklists_stmt(user, f, today)
    views, counts, named = None, None, []
    if stats:
        everything = db.session.execute(
            named_checklists(stmt).order_by(Checklist.id).limit(STATS_LIMIT + 1)
        ).all()
        named = [(row[0], row.template_name) for row in everything]
        if len(named) <= STATS_LIMIT:
            views = load_views([c for c, _name in named], today)
            if f.overdue:
                named = [(c, name) for c, name in named if views.overdue(c)]
            counts = _stats_of([c for c, _name in named], views)
        else:
            counts = _counted(stmt)
    page = keyset_page(
        named_checklists(stmt, Checklist.id, Unit.name_folded),
        PAGE_KEYS,
        after,
        per_page,
        scalars=False,
    )
    pairs = [(row[0], row.template_name) for row in page.items]
    if views is None:
        views = load_views([c for c, _name in pairs], today)
        named = pairs if stats else []
    elif missing := [c for c, _name in pairs if c.id not in views.shown]:
        # Designated between the two reads (READ COMMITTED): its view too.
        extra = load_views(missing, today)
        views.shown.update(extra.shown)
        views.live.update(extra.live)
    rows = [make_row(row[0], row.commune_name, row.template_name, views) for row in page.items]
    page.items = [row for row in rows if row.overdue] if f.overdue else rows
    return Overview(page, counts, _legend(named, views))


def commune_checklists(user, unit: Unit) -> list[tuple[Checklist, str]]:
    """The checklists of a commune with their template's name, for the commune's own page
    (one query; none for another level or a role that does not read checklists)."""
    from app.pilots.permissions import READERS

    if unit.level != Level.COMMUNE or user.role not in READERS:
        return []
    return [
        (checklist, name)
        for checklist, name in db.session.execute(
            select(Checklist, ChecklistTemplate.name)
            .join(ChecklistTemplate, ChecklistTemplate.id == Checklist.template_id)
            .where(Checklist.unit_id == unit.id)
            .order_by(Checklist.starts_on.desc(), Checklist.id.desc())
        )
    ]
