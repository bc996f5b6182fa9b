"""What is wrong with a part's values: its name, kind, maximum on the contest's step, time
limit and penalty rule, criteria adding up to the maximum; and, once marks are recorded,
the changes that would break them."""

from decimal import Decimal

from sqlalchemy import func, select

from app.contests import rules
from app.contests.models import (
    SCORED_BY_LABELS,
    Contest,
    ContestPart,
    ScoreMark,
    ScoreSheet,
    SecretaryMark,
)
from app.contests.rules import format_mark
from app.contests.services.setup.values import (
    MAX_CRITERIA,
    MAX_POINTS,
    MAX_SECONDS,
    PartValues,
    check_length,
    decimal_error,
    long_text,
    on_step,
)
from app.contests.services.words import TIER_HELP, duration_words
from app.extensions import db
from app.text import normalize


def part_errors(contest: Contest, values: PartValues) -> list[tuple[str, str]]:
    """What is wrong with a part's values under the contest's step."""
    errors: list[tuple[str, str]] = []
    step = contest.step
    if not normalize(values.name):
        errors.append(("name", "Nhập tên phần thi."))
    check_length(errors, "name", normalize(values.name), 200)
    check_length(errors, "guidance", long_text(values.guidance), 4000)
    if values.kind not in rules.PART_KINDS:
        errors.append(("kind", "Chọn loại phần thi."))
    if values.scored_by not in SCORED_BY_LABELS:
        errors.append(("scored_by", "Chọn ai chấm phần thi."))
    maximum = values.max_points
    if problem := decimal_error(maximum, "điểm tối đa", MAX_POINTS):
        errors.append(("max_points", problem))
        maximum = None
    elif not on_step(maximum, step):
        errors.append(("max_points", f"Điểm tối đa phải chia hết cho bước {format_mark(step)}."))
    limit = values.time_limit_seconds
    if limit is not None and not 1 <= limit <= MAX_SECONDS:
        errors.append(("time_limit", "Thời gian từ 1 giây đến 120 phút."))
    errors.extend(_penalty_errors(values, maximum))
    errors.extend(_criteria_errors(values, maximum, step))
    return errors


def _penalty_errors(values: PartValues, maximum: Decimal | None) -> list[tuple[str, str]]:
    kind = values.penalty_kind
    if kind not in rules.PENALTY_KINDS:
        return [("penalty_kind", "Chọn cách trừ điểm khi quá thời gian.")]
    errors = []
    if kind != "none" and values.time_limit_seconds is None:
        errors.append(("time_limit", "Nhập thời gian quy định để áp dụng cách trừ điểm này."))
    ceiling = maximum or MAX_POINTS
    per_minute = decimal_error(values.penalty_points, "số điểm trừ mỗi phút", ceiling)
    if kind == "per_minute" and per_minute:
        errors.append(("penalty_points", per_minute))
    if kind == "tiered":
        if not values.penalty_tiers:
            errors.append(("penalty_tiers", f"Nhập các mức trừ điểm. {TIER_HELP}"))
        for seconds, points in values.penalty_tiers:
            if problem := decimal_error(points, "số điểm trừ", ceiling):
                errors.append(("penalty_tiers", f"Mức {duration_words(seconds)}: {problem}"))
                break
    return errors


def _criteria_errors(
    values: PartValues, maximum: Decimal | None, step: Decimal
) -> list[tuple[str, str]]:
    criteria = values.criteria
    if not criteria:
        return []
    if values.scored_by == "secretary":
        return [("criteria", "Phần thi do thư ký chấm (trắc nghiệm) không chia tiêu chí.")]
    if len(criteria) > MAX_CRITERIA:
        return [("criteria", f"Tối đa {MAX_CRITERIA} tiêu chí.")]
    errors = []
    for criterion in criteria:
        prefix = f"criteria-{criterion.row}-"
        name = normalize(criterion.name)
        if not name:
            errors.append((prefix + "name", "Nhập tên tiêu chí."))
        elif len(name) > 300:
            errors.append((prefix + "name", "Tối đa 300 ký tự."))
        if problem := decimal_error(criterion.max_points, "điểm tối đa", MAX_POINTS):
            errors.append((prefix + "max_points", problem))
        elif not on_step(criterion.max_points, step):
            errors.append((prefix + "max_points", f"Phải chia hết cho bước {format_mark(step)}."))
    if errors or maximum is None:
        return errors
    total = sum((c.max_points for c in criteria), Decimal(0))
    if total != maximum:
        errors.append(
            (
                "criteria",
                f"Tổng điểm các tiêu chí là {format_mark(total)}, phải bằng điểm tối đa "
                f"của phần thi ({format_mark(maximum)}).",
            )
        )
    return errors


def scored_part_errors(part: ContestPart, values: PartValues) -> list[tuple[str, str]]:
    """Changes that would break recorded scores: the scorer, the set of criteria, or a
    maximum below a mark already given."""
    sheets = db.session.scalar(
        select(func.count()).select_from(ScoreSheet).where(ScoreSheet.part_id == part.id)
    )
    secretary = db.session.scalar(
        select(func.max(SecretaryMark.value)).where(SecretaryMark.part_id == part.id)
    )
    if not sheets and secretary is None:
        return []
    errors = []
    if values.scored_by != part.scored_by:
        errors.append(("scored_by", "Đã có điểm của phần thi này: không đổi người chấm được."))
    if len(values.criteria) != len(part.criteria):
        errors.append(
            (
                "criteria",
                "Đã có phiếu chấm của phần thi này: không thêm, bớt tiêu chí được (chỉ sửa "
                "tên và điểm tối đa).",
            )
        )
    if errors:
        return errors
    if secretary is not None and secretary > values.max_points:
        errors.append(("max_points", f"Đã có điểm {format_mark(secretary)} cao hơn mức này."))
    highest = dict(
        db.session.execute(
            select(ScoreMark.criterion_id, func.max(ScoreMark.value))
            .join(ScoreSheet, ScoreSheet.id == ScoreMark.sheet_id)
            .where(ScoreSheet.part_id == part.id)
            .group_by(ScoreMark.criterion_id)
        ).all()
    )
    whole = highest.get(None)
    if whole is not None and whole > values.max_points:
        errors.append(("max_points", f"Đã có điểm {format_mark(whole)} cao hơn mức này."))
    for criterion, new in zip(part.criteria, values.criteria, strict=True):
        given = highest.get(criterion.id)
        if given is not None and new.max_points is not None and given > new.max_points:
            errors.append(
                (f"criteria-{new.row}-max_points", f"Đã có điểm {format_mark(given)} cao hơn.")
            )
    return errors
