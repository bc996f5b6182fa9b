"""Criteria computed from live data (DOMAIN.md §7: "criteria that the registry can compute are
computed, not typed in"). Each formula works on many communes at once, in a few grouped
queries, so that an overview of a province's checklists costs the same as one checklist
(QUALITY.md P3). Values are percentages (one decimal) or counts, with the numbers behind them
and a link to the records."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, distinct, func, select

from app.extensions import db
from app.logbook.models import LogbookEntry, RemunerationPayment
from app.logbook.rules import ENDED
from app.registry.models import Team
from app.reports.indicators import Value, case_values, mediator_values, team_values
from app.units.models import Level

# Remuneration is "paid on time" when paid within this many days of the case's end (a quarter:
# provinces pay per quarter; configurable here until a province needs its own).
PAYMENT_DUE_DAYS = 90


@dataclass(frozen=True)
class Measure:
    """A computed value for one commune. ``value`` is None when there is nothing to count;
    ``met_if_empty`` then says whether the criterion holds (no new mediator: none is late)."""

    value: Decimal | None
    numerator: int
    denominator: int | None
    note: str
    met_if_empty: bool = False


@dataclass(frozen=True)
class Formula:
    key: str
    label: str
    percent: bool
    compute: Callable[[list[int], date, date], dict[int, Measure]]
    # The records behind the value: an endpoint and its arguments for a commune.
    link: Callable[[int], tuple[str, dict]]


def _share(numerator: int, denominator: int, what: str, met_if_empty=False) -> Measure:
    if not denominator:
        return Measure(None, 0, 0, f"Chưa có {what}", met_if_empty)
    value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Measure(value, numerator, denominator, f"{numerator}/{denominator} {what}")


def _from(values: dict[int, dict[str, Value]], ids, key: str, what: str, met_if_empty=False):
    """Measures of shares that app/reports/indicators.py counts (the scheme's indicators)."""
    empty = Value(0, 0)
    return {i: _share(*_pair(values.get(i, {}).get(key, empty)), what, met_if_empty) for i in ids}


def _pair(value: Value) -> tuple[int, int]:
    return value.numerator, value.denominator


def teams_compliant(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Share of the commune's teams (not dissolved) that are compliant (Art. 12)."""
    return _from(team_values(Level.COMMUNE, ids), ids, "teams_compliant", "tổ")


def teams_supported(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Number of the commune's teams with legal-professional support."""
    values = team_values(Level.COMMUNE, ids)
    found = {}
    for i in ids:
        supported, total = _pair(values.get(i, {}).get("teams_supported", Value(0, 0)))
        found[i] = Measure(Decimal(supported), supported, total, f"{supported}/{total} tổ")
    return found


def mediators_trained(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Share of the commune's active mediators trained under the framework programme."""
    return _from(
        mediator_values(Level.COMMUNE, ids, end), ids, "mediators_trained", "hòa giải viên"
    )


def new_mediators_trained(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Of the mediators recognised since the pilot began whose 6 months have passed, the share
    trained within them (none due yet: met, nobody is late)."""
    values = mediator_values(Level.COMMUNE, ids, end, recognised_since=start)
    return _from(values, ids, "new_mediators_trained", "hòa giải viên mới", met_if_empty=True)


def success_rate(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Successful ÷ (successful + failed) of the commune's cases received in the period."""
    return _from(case_values(ids, start, end), ids, "success_rate", "vụ việc")


def logbooks_kept(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Share of the commune's teams whose logbook has cases received in the period."""
    teams = {
        i: v["teams_compliant"].denominator for i, v in team_values(Level.COMMUNE, ids).items()
    }
    kept = dict(
        db.session.execute(
            select(LogbookEntry.commune_id, func.count(distinct(LogbookEntry.team_id)))
            .join(Team, Team.id == LogbookEntry.team_id)
            .where(
                LogbookEntry.commune_id.in_(ids),
                Team.dissolved_on.is_(None),
                LogbookEntry.received_on.between(start, end),
            )
            .group_by(LogbookEntry.commune_id)
        ).all()
    )
    return {i: _share(int(kept.get(i, 0)), int(teams.get(i, 0)), "tổ") for i in ids}


def _paid_within(days: int):
    paid, ended = RemunerationPayment.paid_on, LogbookEntry.ended_on
    if db.session.get_bind().dialect.name == "postgresql":
        return (paid - ended) <= days
    return func.julianday(paid) - func.julianday(ended) <= days


def remuneration_on_time(ids: list[int], start: date, end: date) -> dict[int, Measure]:
    """Of the cases ended in the period whose payment was due (PAYMENT_DUE_DAYS after the
    end) by the end of the period, the share paid by then."""
    due_by = end - timedelta(days=PAYMENT_DUE_DAYS)
    on_time = and_(RemunerationPayment.id.is_not(None), _paid_within(PAYMENT_DUE_DAYS))
    rows = db.session.execute(
        select(LogbookEntry.commune_id, func.count(), func.sum(case((on_time, 1), else_=0)))
        .outerjoin(RemunerationPayment, RemunerationPayment.id == LogbookEntry.payment_id)
        .where(
            LogbookEntry.commune_id.in_(ids),
            LogbookEntry.result.in_(ENDED),
            LogbookEntry.ended_on.between(start, due_by),
        )
        .group_by(LogbookEntry.commune_id)
    )
    counts = {commune_id: (int(paid or 0), due) for commune_id, due, paid in rows}
    return {i: _share(*counts.get(i, (0, 0)), "vụ việc") for i in ids}


def _link(endpoint: str, **args) -> Callable[[int], tuple[str, dict]]:
    return lambda commune_id: (endpoint, {"unit": commune_id, **args})


FORMULAS: dict[str, Formula] = {
    f.key: f
    for f in (
        Formula(
            "teams_compliant",
            "Tỷ lệ tổ hòa giải đủ số lượng, thành phần",
            True,
            teams_compliant,
            _link("registry.teams", compliance="no"),
        ),
        Formula(
            "mediators_trained",
            "Tỷ lệ hòa giải viên được tập huấn",
            True,
            mediators_trained,
            _link("registry.mediators", trained="no"),
        ),
        Formula(
            "new_mediators_trained",
            "Tỷ lệ hòa giải viên mới được tập huấn trong 6 tháng",
            True,
            new_mediators_trained,
            _link("registry.mediators", overdue="1"),
        ),
        Formula(
            "success_rate",
            "Tỷ lệ hòa giải thành",
            True,
            success_rate,
            _link("logbook.rates"),
        ),
        Formula(
            "teams_supported",
            "Số tổ hòa giải có người hỗ trợ chuyên môn pháp lý",
            False,
            teams_supported,
            _link("registry.teams", supported="yes"),
        ),
        Formula(
            "logbooks_kept",
            "Tỷ lệ tổ hòa giải có ghi sổ theo dõi trong kỳ",
            True,
            logbooks_kept,
            _link("logbook.index"),
        ),
        Formula(
            "remuneration_on_time",
            f"Tỷ lệ vụ việc được chi thù lao đúng hạn ({PAYMENT_DUE_DAYS} ngày)",
            True,
            remuneration_on_time,
            _link("logbook.remuneration"),
        ),
    )
}
FORMULA_LABELS = {key: f.label for key, f in FORMULAS.items()}


def compute(keys: Iterable[str], windows: dict[int, tuple[date, date]]) -> dict:
    """{(commune_id, key): Measure} for every commune (with its period) and formula: one or
    two queries per formula and distinct period, whatever the number of communes."""
    by_window: dict[tuple[date, date], list[int]] = {}
    for commune_id, window in windows.items():
        by_window.setdefault(window, []).append(commune_id)
    found = {}
    for key in set(keys):
        formula = FORMULAS.get(key)
        if formula is None:
            continue
        for (start, end), ids in by_window.items():
            for commune_id, measure in formula.compute(ids, start, end).items():
                found[(commune_id, key)] = measure
    return found
