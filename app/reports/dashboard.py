"""The dashboard of a unit (DOMAIN.md §8): each indicator of the unit's subtree against its
target, the success rate's trend by year, the sub-units worst first on one indicator, and what
needs attention. Counts only, never a person's data; a fixed number of grouped queries however
many sub-units there are (QUALITY.md P3, P5)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, select, true

from app.extensions import db
from app.logbook.models import LogbookCount
from app.logbook.rules import PILOT_TARGET
from app.pilots.models import Checklist, ChecklistItem
from app.pilots.rules import SIGNED_OFF
from app.registry.models import Mediator, Team
from app.reports.indicators import (
    BEHIND,
    CLOSE,
    INDICATORS,
    MET,
    STATUS_LABELS,
    Indicator,
    Value,
    judge,
    measure,
)
from app.reports.targets import targets_for, targets_for_many
from app.security.scope import placed_under
from app.text import format_number, format_percent
from app.units.models import Level, Unit

TREND_YEARS = 3
DEFAULT_INDICATOR = "teams_compliant"
# Worst first: behind, close, met, then what cannot be judged.
STATUS_RANK = {BEHIND: 0, CLOSE: 1, MET: 2, None: 3}
# Column heads of the drill-down table.
SHORT_LABELS = {
    "trainers": "Tập huấn viên / tổ",
    "trainers_trained": "THV được tập huấn",
    "teams_compliant": "Tổ đủ thành phần",
    "teams_supported": "Tổ có hỗ trợ pháp lý",
    "mediators_trained": "HGV được tập huấn",
    "new_mediators_trained": "HGV mới tập huấn đúng hạn",
    "success_rate": "Tỷ lệ hòa giải thành",
}
# Communes named in the attention list; the rest are counted.
NAMED_COMMUNES = 10


@dataclass(frozen=True)
class Reading:
    """An indicator's value for one unit, judged against that unit's target."""

    indicator: Indicator
    value: Value
    target: Decimal

    @property
    def status(self) -> str | None:
        return judge(self.indicator, self.value, self.target)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "Chưa có số liệu")

    @property
    def shown(self) -> str:
        """The value as people read it: "50%", or for the trainers "1 / 2 tổ"."""
        if self.indicator.ratio:
            v = self.value
            return f"{format_number(v.numerator)} / {format_number(v.denominator)} tổ"
        return format_percent(self.value.share())

    @property
    def score(self) -> Decimal:
        """How far along, in percent of the target met (for sorting and the chart's bars)."""
        v = self.value
        if not v.denominator:
            return Decimal(-1)
        if self.indicator.ratio:
            covered = Decimal(100) * v.numerator * self.target / v.denominator
            return min(covered, Decimal(100))
        return v.share() or Decimal(0)

    @property
    def target_label(self) -> str:
        return self.indicator.target_label(self.target)


@dataclass
class Row:
    """A sub-unit of the drill-down with its readings."""

    unit: Unit
    readings: dict[str, Reading]


@dataclass
class Attention:
    """What needs attention in a unit's subtree: counts, and the communes below target."""

    teams_not_compliant: int = 0
    mediators_overdue: int = 0
    pilot_items_overdue: int = 0
    pilot_checklists_overdue: int = 0
    communes_below: list[tuple[Unit, Value]] = field(default_factory=list)
    communes_below_count: int = 0


def parse_year(raw: str | None, today: date) -> int:
    """?year= within 2000..next year; anything else is this year (never an error)."""
    if raw and raw.isdigit() and 2000 <= int(raw) <= today.year + 1:
        return int(raw)
    return today.year


def indicator_keys(level: int) -> list[str]:
    """The indicators that units of this level have (communes and villages: no trainers)."""
    if level >= Level.COMMUNE:
        return [k for k in INDICATORS if k not in ("trainers", "trainers_trained")]
    return list(INDICATORS)


def parse_indicator(raw: str | None, keys: list[str]) -> str:
    """?indicator= among ``keys``; anything else is the default."""
    return raw if raw in keys else DEFAULT_INDICATOR


def year_window(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _sum(values: list[dict[str, Value]]) -> dict[str, Value]:
    """The whole country: the provinces' values added up, indicator by indicator."""
    total: dict[str, Value] = {}
    for values_ in values:
        for key, v in values_.items():
            t = total.get(key, Value(0, 0))
            total[key] = Value(t.numerator + v.numerator, t.denominator + v.denominator)
    for key in INDICATORS:
        total.setdefault(key, Value(0, 0))
    return total


def unit_readings(unit: Unit | None, year: int, provinces: list[Unit]) -> dict[str, Reading]:
    """The unit's own readings (the country: its provinces summed) for the year; any reader
    of the unit."""
    start, end = year_window(year)
    if unit is None:
        values = _sum(list(measure(provinces, start, end).values()))
    else:
        values = measure([unit], start, end)[unit.id]
    targets = targets_for(unit)
    return {
        key: Reading(INDICATORS[key], values[key], targets[key])
        for key in INDICATORS
        if key in values
    }


def success_trend(unit: Unit | None, year: int, provinces: list[Unit]) -> list[tuple[int, Value]]:
    """The success rate of the unit's subtree for the last years up to ``year``, oldest first:
    one query grouped by month."""
    first = year - TREND_YEARS + 1
    ids = [p.id for p in provinces] if unit is None else [unit.id]
    ended = func.sum(
        case((LogbookCount.result.in_(("successful", "failed")), LogbookCount.cases), else_=0)
    )
    successful = func.sum(case((LogbookCount.result == "successful", LogbookCount.cases), else_=0))
    by_year = {y: [0, 0] for y in range(first, year + 1)}
    if ids:
        for month, done, won in db.session.execute(
            select(LogbookCount.month, ended, successful)
            .where(
                LogbookCount.unit_id.in_(ids),
                LogbookCount.month >= date(first, 1, 1),
                LogbookCount.month <= date(year, 12, 31),
            )
            .group_by(LogbookCount.month)
        ):
            by_year[month.year][0] += int(won or 0)
            by_year[month.year][1] += int(done or 0)
    return [(y, Value(won, done)) for y, (won, done) in by_year.items()]


def drill_rows(subs: list[Unit], year: int, key: str) -> list[Row]:
    """The sub-units with their readings, worst first on the indicator ``key`` (behind, close,
    met, nothing to judge; then the lowest value, then by name)."""
    start, end = year_window(year)
    values = measure(subs, start, end)
    targets_of = targets_for_many(subs)
    rows = []
    for sub in subs:
        targets = targets_of[sub.id]
        rows.append(
            Row(
                sub,
                {k: Reading(INDICATORS[k], v, targets[k]) for k, v in values[sub.id].items()},
            )
        )
    rows.sort(
        key=lambda r: (
            STATUS_RANK[r.readings[key].status] if key in r.readings else 4,
            r.readings[key].score if key in r.readings else 0,
        )
    )
    return rows


def _subtree(model, unit: Unit | None):
    """Clause: the Placed row lies under ``unit`` (the whole country: always true)."""
    return placed_under(model, unit) if unit is not None else true()


def attention(unit: Unit | None, year: int, today: date, success_target: Decimal) -> Attention:
    """Counts of what needs attention under the unit (four queries): teams not compliant,
    mediators past their training deadline, pilot items overdue, communes whose success rate
    for the year is below the target."""
    found = Attention()
    found.teams_not_compliant = db.session.scalar(
        select(func.count())
        .select_from(Team)
        .where(_subtree(Team, unit), Team.dissolved_on.is_(None), Team.is_compliant.is_(False))
    )
    found.mediators_overdue = db.session.scalar(
        select(func.count())
        .select_from(Mediator)
        .where(
            _subtree(Mediator, unit),
            Mediator.status == "active",
            Mediator.trained_on.is_(None),
            Mediator.training_due < today,
        )
    )
    items, checklists = db.session.execute(
        select(func.count(), func.count(func.distinct(Checklist.id)))
        .select_from(ChecklistItem)
        .join(Checklist, Checklist.id == ChecklistItem.checklist_id)
        .where(
            _subtree(Checklist, unit),
            Checklist.status != SIGNED_OFF,
            ChecklistItem.due_on < today,
            ChecklistItem.progress != "done",
        )
    ).one()
    found.pilot_items_overdue, found.pilot_checklists_overdue = items, checklists
    found.communes_below, found.communes_below_count = _communes_below(unit, year, success_target)
    return found


def _below(commune: Unit, share: Decimal, target: Decimal) -> bool:
    """Below its target: a pilot commune's is more than 90% (DOMAIN.md §8), the others' the
    plan's."""
    if commune.is_pilot:
        return share <= PILOT_TARGET
    return share < target


def _communes_below(
    unit: Unit | None, year: int, target: Decimal
) -> tuple[list[tuple[Unit, Value]], int]:
    """The communes under the unit whose success rate for the year is below ``target`` (a
    pilot commune: below its own, more than 90%; the lowest first, at most NAMED_COMMUNES of
    them) and how many there are."""
    if unit is not None and unit.level > Level.COMMUNE:
        return [], 0
    where = [LogbookCount.level == Level.COMMUNE]
    if unit is not None:
        column = {
            Level.PROVINCE: LogbookCount.province_id,
            Level.DISTRICT: LogbookCount.district_id,
            Level.COMMUNE: LogbookCount.unit_id,
        }[Level(unit.level)]
        where.append(column == unit.id)
    start, end = year_window(year)
    ended = func.sum(
        case((LogbookCount.result.in_(("successful", "failed")), LogbookCount.cases), else_=0)
    )
    successful = func.sum(case((LogbookCount.result == "successful", LogbookCount.cases), else_=0))
    rows = db.session.execute(
        select(Unit, successful, ended)
        .join(LogbookCount, LogbookCount.unit_id == Unit.id)
        .where(and_(*where), LogbookCount.month >= start, LogbookCount.month <= end)
        .group_by(Unit.id)
    ).all()
    below = [
        (commune, Value(int(won or 0), int(done or 0)))
        for commune, won, done in rows
        if done and _below(commune, Value(int(won or 0), int(done)).share(), target)
    ]
    below.sort(key=lambda pair: (pair[1].share(), pair[0].name_folded))
    return below[:NAMED_COMMUNES], len(below)
