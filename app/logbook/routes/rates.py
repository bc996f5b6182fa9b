"""Success rates for any period (DOMAIN.md §4, §8): a unit's subtree against its target, and
the same for each of its sub-units (or, for a commune or a village, each of its teams).

Counts only, never a party's data. Every number comes from one GROUP BY over a logbook index
(app/logbook/queries.py), so the page runs the same few queries for a commune or the country.
"""

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from app.clock import today
from app.documents import short_name
from app.extensions import db
from app.htmx import render_page_or_fragment
from app.logbook import bp, permissions, queries
from app.logbook.forms.rates import RatesForm
from app.logbook.models import LogbookEntry
from app.logbook.periods import Period, whole_year
from app.logbook.rules import FIVE_GOOD, Tally, Target, target_for
from app.pagination import list_page
from app.registry.models import Team
from app.security.scope import openable_ancestors, placed_under, unit_in_view
from app.units.models import Level, Unit
from app.units.services import ancestors

# Sub-units per page: a province has up to a few hundred communes; 20 rows and their bars keep
# the fragment within the budget of slow commune links (QUALITY.md P8).
ROWS_PER_PAGE = 20
CHART_LABEL_LENGTH = 24


@dataclass
class RateRow:
    """One line of the table (and one bar of the chart): a sub-unit or a team."""

    name: str
    short: str
    sort_name: str
    tally: Tally
    target: Target
    url: str | None
    kind: str  # "unit", "team"
    former: bool = False

    @property
    def five_good(self) -> bool | None:
        return FIVE_GOOD.judge(self.tally) if self.kind == "team" else None

    @property
    def chart_label(self) -> str:
        label = self.short
        if len(label) > CHART_LABEL_LENGTH:
            label = label[: CHART_LABEL_LENGTH - 1].rstrip() + "…"
        return label


@bp.get("/rates", endpoint="rates")
def rates():
    """Success rates of a unit's subtree and of its sub-units or teams for a period; logbook
    readers, for units in their subtree (admins: the whole country by default)."""
    unit = unit_in_view(request.args.get("unit"))
    form = RatesForm(request.args, today())
    status = 200 if form.validate() else 422
    period = form.chosen_period()
    path = ancestors(unit.id) if unit is not None else []
    target = _target_of(unit, path)
    rows, label = _rows(unit, path, period, form.args())
    total = queries.unit_tally(unit, period.start, period.end)
    _sort(rows, form.sort.data)
    return render_page_or_fragment(
        "logbook/rates/index.html",
        "logbook/rates/_results.html",
        rows_template="logbook/rates/_rows.html",
        status=status,
        unit=unit,
        trail=openable_ancestors(path),
        form=form,
        period=period,
        target=target,
        total=total,
        rest=_rest(total, rows),
        page=list_page(rows, request.args.get("after"), ROWS_PER_PAGE),
        rows_label=label,
        team_rows=bool(rows) and rows[0].kind == "team",
        five_good_label=FIVE_GOOD.label,
    )


def _target_of(unit: Unit | None, path: list[Unit]) -> Target:
    """A pilot commune's target (> 90%), or the scheme's (≥ 85%); a village takes its
    commune's."""
    commune = next((u for u in path if u.level == Level.COMMUNE), None)
    return target_for(bool(commune and commune.is_pilot))


def _rows(unit, path, period: Period, args: dict) -> tuple[list[RateRow], str]:
    if unit is not None and unit.level >= Level.COMMUNE:
        return _team_rows(unit, _target_of(unit, path), period), "Tổ hòa giải"
    return _unit_rows(unit, period, args)


def _unit_rows(unit: Unit | None, period: Period, args: dict) -> tuple[list[RateRow], str]:
    """The unit's children (current ones, and former ones that have cases in the period), each
    with its tally: one query for the children, one GROUP BY per level among them."""
    parent = Unit.parent_id == unit.id if unit is not None else Unit.parent_id.is_(None)
    children = list(db.session.scalars(select(Unit).where(parent)))
    tallies: dict[int, Tally] = {}
    for level in sorted({c.level for c in children}):
        tallies.update(queries.child_tallies(unit, level, period.start, period.end))
    rows = [
        RateRow(
            name=child.name,
            short=short_name(child),
            sort_name=child.name_folded,
            tally=tallies.get(child.id, Tally()),
            target=target_for(child.is_pilot),
            url=url_for("logbook.rates", unit=child.id, **args),
            kind="unit",
            former=child.valid_to is not None,
        )
        for child in children
        if child.valid_to is None or child.id in tallies
    ]
    return rows, _children_label(unit, children)


def _children_label(unit: Unit | None, children: list[Unit]) -> str:
    if unit is None:
        return "Tỉnh, thành phố"
    levels = {c.level for c in children}
    if levels == {Level.DISTRICT}:
        return "Huyện, quận, thị xã, thành phố"
    if levels == {Level.COMMUNE}:
        return "Xã, phường, đặc khu"
    return "Đơn vị trực thuộc"


def _team_rows(unit: Unit, target: Target, period: Period) -> list[RateRow]:
    """The teams of a commune or a village (dissolved ones only when they have cases)."""
    tallies = queries.tallies_by(
        LogbookEntry.team_id, placed_under(LogbookEntry, unit), period.start, period.end
    )
    shown = Team.dissolved_on.is_(None)
    if tallies:
        shown = or_(shown, Team.id.in_(list(tallies)))
    teams = db.session.scalars(select(Team).where(placed_under(Team, unit), shown))
    return [
        RateRow(
            name=team.name,
            short=team.name.removeprefix("Tổ hòa giải "),
            sort_name=team.name_folded,
            tally=tallies.get(team.id, Tally()),
            target=target,
            url=url_for("logbook.team_book", team_id=team.id)
            or url_for("registry.team_detail", team_id=team.id),
            kind="team",
            former=not team.is_active,
        )
        for team in teams
    ]


def _sort(rows: list[RateRow], key: str) -> None:
    """By name; by rate, lowest first (rows without an ended case last); or by cases."""
    rows.sort(key=lambda r: r.sort_name)
    if key == "rate":
        rows.sort(key=lambda r: (r.tally.rate is None, r.tally.rate or 0))
    elif key == "received":
        rows.sort(key=lambda r: -r.tally.received)


def _rest(total: Tally, rows: list[RateRow]) -> Tally | None:
    """Cases of the subtree that no row shows (placed under a unit no longer in the tree)."""
    shown = sum((r.tally for r in rows), Tally())
    rest = Tally(
        total.successful - shown.successful,
        total.failed - shown.failed,
        total.in_progress - shown.in_progress,
        total.pending - shown.pending,
    )
    return rest if rest.received > 0 else None


# This year's rate as the team, unit and home pages show it: one GROUP BY each.


@dataclass
class RateSummary:
    year: int
    tally: Tally
    target: Target
    url: str
    breakdown: str = "tổ"  # what the rates page breaks the number down by

    @property
    def five_good(self) -> bool | None:
        """A team's "5-good" criterion (≥ 80% successful); None when it cannot be judged."""
        return FIVE_GOOD.judge(self.tally)


def unit_rate_summary(unit: Unit, path: list[Unit] | None = None) -> RateSummary | None:
    """This year's rate of a unit's subtree against its target (a village takes its commune's,
    from ``path``, the unit's ancestors); None for those who may not read the logbook."""
    if current_user.role not in permissions.READERS:
        return None
    year = whole_year(today().year)
    return RateSummary(
        year.start.year,
        queries.unit_tally(unit, year.start, year.end),
        _target_of(unit, [*(path or []), unit]),
        url_for("logbook.rates", unit=unit.id),
        "tổ" if unit.level >= Level.COMMUNE else "đơn vị",
    )


def team_rate_summary(team: Team, path: list[Unit]) -> RateSummary | None:
    """This year's rate of a team against its commune's target; None for those who may not
    read its book."""
    if not permissions.can_view(current_user, team):
        return None
    year = whole_year(today().year)
    return RateSummary(
        year.start.year,
        queries.team_tally(team.id, year.start, year.end),
        _target_of(None, path),
        url_for("logbook.rates", unit=team.commune_id or team.unit_id),
    )
