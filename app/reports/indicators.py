"""The indicators of Decision 315 (DOMAIN.md §8) as data, judged against a target, and
computed from the records for every sub-unit of a unit at once: one grouped query per source
on the Placed column of the sub-units' level, whatever their number (QUALITY.md P3, P5).

Each indicator says what it counts (numerator, denominator) in words, shown on screen beside
the value so that a number can be checked by hand."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.logbook.models import LogbookCount
from app.models import PLACED_COLUMNS
from app.registry.models import Mediator, Team, Trainer
from app.units.models import Level, Unit

MET, CLOSE, BEHIND = "met", "close", "behind"
STATUS_LABELS = {MET: "Đạt", CLOSE: "Gần đạt", BEHIND: "Chưa đạt"}
# "Close": within this many percentage points below a share's target, or a fifth of a small
# target (10% supported: from 8%); a ratio: covering 80% of what the target asks.
CLOSE_POINTS = Decimal(5)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    numerator: str  # what the numerator counts, in words
    denominator: str
    target: Decimal  # a share in percent, or for a ratio "1 per N": N
    ratio: bool = False  # "at least one numerator per ``target`` denominators"

    def target_label(self, target: Decimal | None = None) -> str:
        """ "≥ 85%", or for the trainers "≥ 1 tập huấn viên / 80 tổ"."""
        target = self.target if target is None else target
        if self.ratio:
            return f"≥ 1 tập huấn viên / {target:f} tổ"
        return f"≥ {target:f}%"


# The scheme's defaults; a province's plan may set its own numbers (Mường Nhé: 1 trainer per
# 116 teams, 5% of teams supported).
INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator(
            "trainers",
            "Tập huấn viên so với số tổ hòa giải",
            "tập huấn viên đang hoạt động của đơn vị và các đơn vị trực thuộc",
            "tổ hòa giải chưa giải thể",
            Decimal(100),
            ratio=True,
        ),
        Indicator(
            "trainers_trained",
            "Tập huấn viên được tập huấn, cấp tài liệu",
            "tập huấn viên đã dự tập huấn theo Chương trình khung và đã nhận tài liệu",
            "tập huấn viên đang hoạt động",
            Decimal(100),
        ),
        Indicator(
            "teams_compliant",
            "Tổ hòa giải đủ số lượng, thành phần",
            "tổ đủ ≥ 3 hòa giải viên, có nữ, có người DTTS (vùng DTTS), có tổ trưởng",
            "tổ hòa giải chưa giải thể",
            Decimal(100),
        ),
        Indicator(
            "teams_supported",
            "Tổ hòa giải có người hỗ trợ chuyên môn pháp lý",
            "tổ có người hỗ trợ hoặc hòa giải viên là luật sư, luật gia, hội thẩm, công an…",
            "tổ hòa giải chưa giải thể",
            Decimal(10),
        ),
        Indicator(
            "mediators_trained",
            "Hòa giải viên được tập huấn theo Chương trình khung",
            "hòa giải viên đang hoạt động đã dự ít nhất một buổi tập huấn",
            "hòa giải viên đang hoạt động",
            Decimal(80),
        ),
        Indicator(
            "new_mediators_trained",
            "Hòa giải viên mới được tập huấn trong 6 tháng",
            "hòa giải viên đã quá 6 tháng kể từ khi được công nhận và đã được tập huấn",
            "hòa giải viên đang hoạt động đã quá 6 tháng kể từ khi được công nhận",
            Decimal(100),
        ),
        Indicator(
            "success_rate",
            "Tỷ lệ hòa giải thành",
            "vụ việc hòa giải thành",
            "vụ việc đã kết thúc (thành và không thành)",
            Decimal(85),
        ),
    )
}


@dataclass(frozen=True)
class Value:
    """An indicator's numbers for one unit."""

    numerator: int
    denominator: int

    def share(self) -> Decimal | None:
        """The share in percent (one decimal), None when there is nothing to count."""
        if not self.denominator:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )


def default_target(indicator: Indicator, level: int) -> Decimal:
    """The scheme's target for a unit of this level: a district needs one trainer per 80
    teams, a province one per 100 (DOMAIN.md §8)."""
    if indicator.key == "trainers" and level == Level.DISTRICT:
        return Decimal(80)
    return indicator.target


def judge(indicator: Indicator, value: Value, target: Decimal | None = None) -> str | None:
    """Met, close (a share within 5 points or a fifth of the target; trainers covering 80% of
    the teams) or behind the target (the indicator's default unless a plan gives one); None
    when there is nothing to judge."""
    target = indicator.target if target is None else target
    if indicator.ratio:
        if not value.denominator:
            return None
        covered = value.numerator * target  # teams that the trainers cover
        if covered >= value.denominator:
            return MET
        return CLOSE if covered * Decimal("1.25") >= value.denominator else BEHIND
    share = value.share()
    if share is None:
        return None
    if share >= target:
        return MET
    return CLOSE if share >= target - min(CLOSE_POINTS, target / 5) else BEHIND


def sub_units(unit: Unit | None) -> list[Unit]:
    """The units an indicator table has rows for: the children of ``unit`` that are in force
    (the provinces for the whole country), by name."""
    parent = Unit.parent_id.is_(None) if unit is None else Unit.parent_id == unit.id
    return list(
        db.session.scalars(
            select(Unit).where(parent, Unit.valid_to.is_(None)).order_by(Unit.name_folded, Unit.id)
        )
    )


def _column(model, level: int):
    return getattr(model, PLACED_COLUMNS[level])


def measure(units: list[Unit], start: date, end: date) -> dict[int, dict[str, Value]]:
    """{unit id: {indicator key: Value}} for units of one level (each over its subtree): the
    registry as it is now, the cases received from ``start`` to ``end``."""
    if not units:
        return {}
    levels = {u.level for u in units}
    if len(levels) != 1:
        raise ValueError("units of one level")
    level = levels.pop()
    ids = [u.id for u in units]
    found: dict[int, dict[str, Value]] = {i: {} for i in ids}
    for source in (
        team_values(level, ids),
        mediator_values(level, ids, end),
        trainer_values(level, ids),
        case_values(ids, start, end),
    ):
        for unit_id, values in source.items():
            found[unit_id].update(values)
    for values in found.values():
        teams = values.get("teams_compliant", Value(0, 0)).denominator
        trainers = values.get("trainers", Value(0, 0)).numerator
        values["trainers"] = Value(trainers, teams)
        for key in INDICATORS:
            values.setdefault(key, Value(0, 0))
        if level >= Level.COMMUNE:  # trainers belong to provinces and districts
            del values["trainers"], values["trainers_trained"]
    return found


# One grouped query per source, for units of one ``level`` (their ids): also what the pilot
# checklists' computed criteria read (app/pilots/formulas.py).


def team_values(level: int, ids: list[int]) -> dict[int, dict[str, Value]]:
    """Teams not dissolved: compliant, and supported by a legal professional."""
    team = _column(Team, level)
    found = {}
    for unit_id, total, compliant, supported in db.session.execute(
        select(
            team,
            func.count(),
            func.sum(case((Team.is_compliant, 1), else_=0)),
            func.sum(case((Team.is_supported, 1), else_=0)),
        )
        .where(team.in_(ids), Team.dissolved_on.is_(None))
        .group_by(team)
    ):
        found[unit_id] = {
            "teams_compliant": Value(int(compliant or 0), total),
            "teams_supported": Value(int(supported or 0), total),
        }
    return found


def mediator_values(
    level: int, ids: list[int], end: date, recognised_since: date | None = None
) -> dict[int, dict[str, Value]]:
    """Active mediators: trained; of those whose 6 months had passed by ``end`` (recognised
    since ``recognised_since``, when given), trained within them."""
    mediator = _column(Mediator, level)
    due = and_(Mediator.training_due.is_not(None), Mediator.training_due <= end)
    if recognised_since is not None:
        due = and_(due, Mediator.recognised_on >= recognised_since)
    on_time = and_(
        due, Mediator.trained_on.is_not(None), Mediator.trained_on <= Mediator.training_due
    )
    found = {}
    for unit_id, total, trained, new, new_on_time in db.session.execute(
        select(
            mediator,
            func.count(),
            func.sum(case((Mediator.trained_on.is_not(None), 1), else_=0)),
            func.sum(case((due, 1), else_=0)),
            func.sum(case((on_time, 1), else_=0)),
        )
        .where(mediator.in_(ids), Mediator.status == "active")
        .group_by(mediator)
    ):
        found[unit_id] = {
            "mediators_trained": Value(int(trained or 0), total),
            "new_mediators_trained": Value(int(new_on_time or 0), int(new or 0)),
        }
    return found


def trainer_values(level: int, ids: list[int]) -> dict[int, dict[str, Value]]:
    """Active trainers (the numerator of "trainers"), and those trained and given materials."""
    trainer = _column(Trainer, level)
    ready = and_(Trainer.trained_on.is_not(None), Trainer.materials_received.is_(True))
    found = {}
    for unit_id, total, trained in db.session.execute(
        select(trainer, func.count(), func.sum(case((ready, 1), else_=0)))
        .where(trainer.in_(ids), Trainer.active.is_(True))
        .group_by(trainer)
    ):
        found[unit_id] = {
            "trainers_trained": Value(int(trained or 0), total),
            "trainers": Value(total, 0),
        }
    return found


def case_values(ids: list[int], start: date, end: date) -> dict[int, dict[str, Value]]:
    """Successful of ended cases received from ``start`` to ``end`` (by month, from the counts
    kept ahead per unit: app/logbook/counts.py)."""
    ended = LogbookCount.result.in_(("successful", "failed"))
    found = {}
    for unit_id, done, successful in db.session.execute(
        select(
            LogbookCount.unit_id,
            func.sum(case((ended, LogbookCount.cases), else_=0)),
            func.sum(case((LogbookCount.result == "successful", LogbookCount.cases), else_=0)),
        )
        .where(
            LogbookCount.unit_id.in_(ids),
            LogbookCount.month >= start.replace(day=1),
            LogbookCount.month <= end,
        )
        .group_by(LogbookCount.unit_id)
    ):
        found[unit_id] = {"success_rate": Value(int(successful or 0), int(done or 0))}
    return found
