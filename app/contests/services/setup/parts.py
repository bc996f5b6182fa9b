"""A round's parts with their criteria, time limit and penalty rule: adding, editing (an
amendment once frozen; never breaking a recorded mark), deleting and copying one."""

from collections.abc import Callable, Sequence
from decimal import Decimal

from sqlalchemy import func, select

from app.contests import rules
from app.contests.models import (
    SCORED_BY_LABELS,
    ContestCriterion,
    ContestPart,
    ContestRound,
)
from app.contests.rules import format_mark
from app.contests.services import ContestError
from app.contests.services.lookups import has_records
from app.contests.services.setup.amendments import amend, shown
from app.contests.services.setup.part_checks import part_errors, scored_part_errors
from app.contests.services.setup.values import (
    CENT,
    PartValues,
    long_text,
)
from app.contests.services.words import duration_words, tiers_text
from app.extensions import db
from app.text import normalize

# The columns a change of which is an amendment (the guidance is not a rule), with their
# words.
PART_FIELDS: dict[str, tuple[str, Callable]] = {
    "name": ("tên", str),
    "kind": ("loại", lambda v: rules.PART_KINDS.get(v, v)),
    "max_points": ("điểm tối đa", format_mark),
    "scored_by": ("người chấm", lambda v: SCORED_BY_LABELS.get(v, v)),
    "time_limit_seconds": ("thời gian", duration_words),
    "penalty_kind": ("cách trừ điểm", lambda v: rules.PENALTY_KINDS.get(v, v)),
    "penalty_points": ("điểm trừ mỗi phút", format_mark),
    "penalty_tiers": ("các mức trừ điểm", lambda v: v.replace(";", "; ")),
}
PART_COLUMNS = (*PART_FIELDS, "guidance")


def _part_columns(values: PartValues) -> dict:
    """The part's columns from valid values (penalty fields kept only where they apply)."""
    kind = values.penalty_kind
    return {
        "name": normalize(values.name),
        "kind": values.kind,
        "max_points": values.max_points.quantize(CENT),
        "scored_by": values.scored_by,
        "time_limit_seconds": values.time_limit_seconds,
        "penalty_kind": kind,
        "penalty_points": values.penalty_points.quantize(CENT) if kind == "per_minute" else None,
        "penalty_tiers": tiers_text(values.penalty_tiers) if kind == "tiered" else None,
        "guidance": long_text(values.guidance),
    }


def _part_summary(columns: dict, criteria: Sequence) -> str:
    """ "tối đa 20 điểm, 6 phút; tiêu chí: Nội dung 12, Diễn xuất 8"."""
    text = f"tối đa {format_mark(columns['max_points'])} điểm"
    if columns["time_limit_seconds"]:
        text += f", {duration_words(columns['time_limit_seconds'])}"
    if criteria:
        text += "; tiêu chí: " + ", ".join(
            f"{normalize(c.name)} {format_mark(c.max_points)}" for c in criteria
        )
    return text


def create_part(round_: ContestRound, values: PartValues, user, reason: str | None) -> ContestPart:
    """Add a part to a round with its criteria; the board (an amendment once frozen)."""
    contest = round_.contest
    errors = part_errors(contest, values)
    if errors:
        raise ContestError(errors)
    columns = _part_columns(values)
    summary = _part_summary(columns, values.criteria)
    amend(contest, user, reason, [f"{round_.name}: thêm phần thi “{columns['name']}” ({summary})."])
    last = db.session.scalar(
        select(func.max(ContestPart.position)).where(ContestPart.round_id == round_.id)
    )
    part = ContestPart(round_id=round_.id, position=(last or 0) + 1, **columns)
    db.session.add(part)
    db.session.flush()
    for position, criterion in enumerate(values.criteria, start=1):
        db.session.add(
            ContestCriterion(
                part_id=part.id,
                position=position,
                name=normalize(criterion.name),
                max_points=criterion.max_points.quantize(CENT),
            )
        )
    db.session.flush()
    return part


def update_part(part: ContestPart, values: PartValues, user, reason: str | None) -> None:
    """Save a part and its criteria; the board (an amendment once frozen). Once sheets exist,
    criteria are neither added nor removed, and no maximum drops below a mark given."""
    round_ = part.round
    contest = round_.contest
    errors = part_errors(contest, values)
    if not errors:
        errors = scored_part_errors(part, values)
    if errors:
        raise ContestError(errors)
    columns = _part_columns(values)
    where = f"{round_.name}, phần “{part.name}”"
    changes = [
        f"{where}, {label}: {shown(getattr(part, name), show)} → {shown(columns[name], show)}"
        for name, (label, show) in PART_FIELDS.items()
        if getattr(part, name) != columns[name]
    ]
    old = [(c.name, c.max_points) for c in part.criteria]
    new = [(normalize(c.name), c.max_points.quantize(CENT)) for c in values.criteria]
    if old != new:
        changes.append(f"{where}, tiêu chí: {_criteria_words(old)} → {_criteria_words(new)}")
    amend(contest, user, reason, changes)
    for name, value in columns.items():
        if getattr(part, name) != value:
            setattr(part, name, value)
    _replace_criteria(part, new)
    db.session.flush()


def _criteria_words(criteria: Sequence[tuple[str, Decimal]]) -> str:
    if not criteria:
        return "(không chia tiêu chí)"
    return ", ".join(f"{name} {format_mark(maximum)}" for name, maximum in criteria)


def _replace_criteria(part: ContestPart, new: list[tuple[str, Decimal]]) -> None:
    """Update criteria in place by position (marks keep pointing at theirs); add or remove
    the rest (removal only happens while no mark was given, see _scored_part_errors)."""
    existing = list(part.criteria)
    for position, (name, maximum) in enumerate(new, start=1):
        if position <= len(existing):
            criterion = existing[position - 1]
            if (criterion.name, criterion.max_points, criterion.position) != (
                name,
                maximum,
                position,
            ):
                criterion.name, criterion.max_points, criterion.position = name, maximum, position
        else:
            db.session.add(
                ContestCriterion(part_id=part.id, position=position, name=name, max_points=maximum)
            )
    for criterion in existing[len(new) :]:
        db.session.delete(criterion)
    db.session.flush()
    db.session.expire(part, ["criteria"])


def delete_part(part: ContestPart) -> None:
    """Delete a part entered by mistake; the board, only while the rules are not frozen and
    nothing was recorded for it."""
    contest = part.round.contest
    if contest.is_frozen:
        raise ContestError(
            "Thể lệ đã khóa: không xóa phần thi được (sửa phần thi, ghi lý do sửa đổi).", ""
        )
    if has_records(part_id=part.id):
        raise ContestError("Đã có điểm hoặc điểm trừ ghi cho phần thi này: không xóa được.", "")
    for criterion in part.criteria:
        db.session.delete(criterion)
    db.session.flush()
    db.session.delete(part)
    db.session.flush()


def copy_part(part: ContestPart, round_id: int) -> None:
    """The same part with its criteria in another round (a new round starts from the parts
    of the one before)."""
    copy = ContestPart(
        round_id=round_id,
        position=part.position,
        **{name: getattr(part, name) for name in PART_COLUMNS},
    )
    db.session.add(copy)
    db.session.flush()
    for criterion in part.criteria:
        db.session.add(
            ContestCriterion(
                part_id=copy.id,
                position=criterion.position,
                name=criterion.name,
                max_points=criterion.max_points,
            )
        )
