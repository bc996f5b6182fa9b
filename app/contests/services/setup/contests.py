"""A contest and its rules: creating it with the usual prize table, and editing it (an
amendment with its reason once the rules are frozen)."""

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select

from app.contests import rules
from app.contests.models import (
    ENTRY_KIND_LABELS,
    LEVEL_LABELS,
    Contest,
    ContestCriterion,
    ContestPart,
    ContestPrize,
    ContestRound,
)
from app.contests.rules import format_mark
from app.contests.services import ContestError
from app.contests.services.setup.amendments import amend, change_line
from app.contests.services.setup.values import (
    CENT,
    MAX_STEP,
    PLACES_RANGE,
    ContestValues,
    check_length,
    decimal_error,
    long_text,
    on_step,
    short_text,
)
from app.contests.services.words import tie_break_words
from app.extensions import db
from app.security.scope import in_scope
from app.text import normalize
from app.units.models import Level, Unit
from app.units.services import place

# A new contest is offered the usual prize table (DOMAIN.md §5); the board edits it.
DEFAULT_PRIZES = (
    ("Giải Nhất", "rank", 1),
    ("Giải Nhì", "rank", 2),
    ("Giải Ba", "rank", 3),
    ("Giải Khuyến khích", "rank", 4),
    ("Phần giới thiệu ấn tượng nhất", "side", 1),
    ("Tiểu phẩm hay nhất", "side", 1),
    ("Hòa giải viên khéo léo nhất", "side", 1),
)

RULE_FIELDS: dict[str, tuple[str, Callable]] = {
    "level": ("Cấp tổ chức", lambda v: LEVEL_LABELS.get(v, v)),
    "year": ("Năm", str),
    "rule_document": ("Số Thể lệ", str),
    "entry_kind": ("Hình thức dự thi", lambda v: ENTRY_KIND_LABELS.get(v, v)),
    "official_count": ("Số thành viên chính thức", str),
    "reserve_min": ("Số dự bị tối thiểu", str),
    "reserve_max": ("Số dự bị tối đa", str),
    "actor_max": ("Số diễn viên phụ họa tối đa", str),
    "every_unit_represented": (
        "Mỗi đơn vị phải có thành viên",
        lambda v: "Có" if v else "Không",
    ),
    "aggregation": ("Cách tổng hợp điểm", lambda v: rules.AGGREGATIONS.get(v, v)),
    "places": ("Số chữ số thập phân", str),
    "rounding": ("Cách làm tròn", lambda v: rules.ROUNDING_MODES.get(v, v)),
    "step": ("Bước điểm", format_mark),
    "outlier_percent": ("Ngưỡng điểm chênh lệch (%)", format_mark),
    "tie_break": (
        "Thứ tự xét khi bằng điểm",
        lambda v: "; ".join(tie_break_words(v.split(","))) if v else "(không xét)",
    ),
}


def contest_errors(values: ContestValues) -> list[tuple[str, str]]:
    """What is wrong with a contest's values (in Vietnamese, by field)."""
    errors: list[tuple[str, str]] = []
    if not normalize(values.name):
        errors.append(("name", "Nhập tên hội thi."))
    check_length(errors, "name", normalize(values.name), 300)
    if values.level not in LEVEL_LABELS:
        errors.append(("level", "Chọn cấp tổ chức hội thi."))
    if values.year is None or not 2000 <= values.year <= 2100:
        errors.append(("year", "Nhập năm tổ chức, ví dụ 2026."))
    check_length(errors, "rule_document", short_text(values.rule_document), 100)
    check_length(errors, "note", long_text(values.note), 4000)
    if values.entry_kind not in ENTRY_KIND_LABELS:
        errors.append(("entry_kind", "Chọn thi theo đội hay cá nhân."))
    if values.entry_kind == "team":
        errors.extend(_composition_errors(values))
    if values.aggregation not in rules.AGGREGATIONS:
        errors.append(("aggregation", "Chọn cách tổng hợp điểm của giám khảo."))
    if values.places not in PLACES_RANGE:
        errors.append(("places", "Số chữ số thập phân từ 0 đến 3."))
    if values.rounding not in rules.ROUNDING_MODES:
        errors.append(("rounding", "Chọn cách làm tròn."))
    if problem := decimal_error(values.step, "bước điểm", MAX_STEP):
        errors.append(("step", problem))
    if problem := decimal_error(values.outlier_percent, "ngưỡng chênh lệch", Decimal(100)):
        errors.append(("outlier_percent", problem))
    keys = [key for key in values.tie_break if key]
    if any(key not in rules.TIE_BREAKS for key in keys):
        errors.append(("tie_break", "Chọn tiêu chí xét bằng điểm trong danh sách."))
    elif len(set(keys)) != len(keys):
        errors.append(("tie_break", "Mỗi tiêu chí xét bằng điểm chỉ chọn một lần."))
    return errors


def _composition_errors(values: ContestValues) -> list[tuple[str, str]]:
    errors = []
    for name, low, high, label in (
        ("official_count", 1, 20, "Số thành viên chính thức"),
        ("reserve_min", 0, 20, "Số dự bị tối thiểu"),
        ("reserve_max", 0, 20, "Số dự bị tối đa"),
        ("actor_max", 0, 30, "Số diễn viên phụ họa tối đa"),
    ):
        value = getattr(values, name)
        if value is None or not low <= value <= high:
            errors.append((name, f"{label} từ {low} đến {high}."))
    if (
        values.reserve_min is not None
        and values.reserve_max is not None
        and values.reserve_min > values.reserve_max
    ):
        errors.append(("reserve_max", "Số dự bị tối đa không được nhỏ hơn số tối thiểu."))
    return errors


def _stored(values: ContestValues) -> dict:
    """The columns a contest's values set (composition reset for individual entries)."""
    stored = {
        "name": normalize(values.name),
        "level": values.level,
        "year": values.year,
        "rule_document": short_text(values.rule_document),
        "note": long_text(values.note),
        "entry_kind": values.entry_kind,
        "official_count": values.official_count,
        "reserve_min": values.reserve_min,
        "reserve_max": values.reserve_max,
        "actor_max": values.actor_max,
        "every_unit_represented": bool(values.every_unit_represented),
        "aggregation": values.aggregation,
        "places": values.places,
        "rounding": values.rounding,
        "step": values.step.quantize(CENT),
        "outlier_percent": values.outlier_percent.quantize(CENT),
        "tie_break": ",".join(key for key in values.tie_break if key),
    }
    if values.entry_kind == "individual":
        stored.update(
            official_count=1,
            reserve_min=0,
            reserve_max=0,
            actor_max=0,
            every_unit_represented=False,
        )
    return stored


def _organiser_error(user, unit: Unit | None) -> str | None:
    if unit is None:
        return "Chọn đơn vị tổ chức."
    if unit.level >= Level.VILLAGE:
        return "Đơn vị tổ chức là xã, huyện hoặc tỉnh."
    if unit.valid_to is not None:
        return "Đơn vị này đã hết hiệu lực."
    if not in_scope(user, unit.id):
        return "Chọn đơn vị của bạn hoặc một đơn vị cấp dưới."
    return None


def create_contest(unit: Unit | None, values: ContestValues, user) -> Contest:
    """A new contest (draft) organised by a unit of the user's subtree, with the usual prize
    table; organisers (admins, officers, commune staff)."""
    errors = contest_errors(values)
    if problem := _organiser_error(user, unit):
        errors.insert(0, ("unit", problem))
    if errors:
        raise ContestError(errors)
    contest = Contest(status="draft", **_stored(values))
    place(contest, unit)
    db.session.add(contest)
    db.session.flush()
    for position, (name, kind, count) in enumerate(DEFAULT_PRIZES, start=1):
        db.session.add(
            ContestPrize(
                contest_id=contest.id, position=position, name=name, kind=kind, count=count
            )
        )
    db.session.flush()
    return contest


def update_contest(contest: Contest, values: ContestValues, user, reason: str | None) -> None:
    """Save a contest's name, note and rules; the board. Once frozen, a change of the rules
    (anything but the name and the note) needs a reason and is recorded as an amendment."""
    errors = contest_errors(values)
    if not errors and values.step != contest.step:
        errors.extend(_step_errors(contest, values.step))
    if errors:
        raise ContestError(errors)
    stored = _stored(values)
    changes = []
    for name, (label, show) in RULE_FIELDS.items():
        if change := change_line(label, getattr(contest, name), stored[name], show):
            changes.append(change)
    amend(contest, user, reason, changes)
    for name, value in stored.items():
        if getattr(contest, name) != value:
            setattr(contest, name, value)
    db.session.flush()


def _step_errors(contest: Contest, step: Decimal) -> list[tuple[str, str]]:
    """A new step must divide every maximum of the contest's parts and criteria."""
    rows = db.session.execute(
        select(ContestRound.name, ContestPart.name, ContestPart.max_points)
        .join(ContestPart, ContestPart.round_id == ContestRound.id)
        .where(ContestRound.contest_id == contest.id)
        .order_by(ContestRound.position, ContestPart.position)
    ).all()
    rows += db.session.execute(
        select(ContestRound.name, ContestCriterion.name, ContestCriterion.max_points)
        .join(ContestPart, ContestPart.round_id == ContestRound.id)
        .join(ContestCriterion, ContestCriterion.part_id == ContestPart.id)
        .where(ContestRound.contest_id == contest.id)
    ).all()
    for round_name, name, maximum in rows:
        if not on_step(maximum, step):
            return [
                (
                    "step",
                    f"Điểm tối đa {format_mark(maximum)} của “{name}” ({round_name}) không "
                    f"chia hết cho bước {format_mark(step)}.",
                )
            ]
    return []
