"""A contest's rounds: adding one (with the previous round's parts), editing it (its kind and
advance count are rules) and opening it for scoring."""

from sqlalchemy import func, select

from app.contests.models import (
    ROUND_KIND_LABELS,
    Contest,
    ContestJudge,
    ContestRound,
    ContestRoundEntry,
)
from app.contests.services import ContestError
from app.contests.services.lookups import contest_rounds, round_parts
from app.contests.services.setup.amendments import amend, change_line
from app.contests.services.setup.parts import copy_part
from app.contests.services.setup.values import RoundValues, check_length, short_text
from app.extensions import db
from app.text import normalize


def _round_errors(values: RoundValues) -> list[tuple[str, str]]:
    errors = []
    if not normalize(values.name):
        errors.append(("name", "Nhập tên vòng thi."))
    check_length(errors, "name", normalize(values.name), 200)
    check_length(errors, "venue", short_text(values.venue), 200)
    if values.kind not in ROUND_KIND_LABELS:
        errors.append(("kind", "Chọn loại vòng thi."))
    if values.advance_count is not None and not 1 <= values.advance_count <= 500:
        errors.append(("advance_count", "Số đội đi tiếp từ 1 đến 500, hoặc để trống."))
    elif values.advance_count and values.kind == "final":
        errors.append(("advance_count", "Vòng chung khảo không có đội đi tiếp: để trống."))
    return errors


def create_round(
    contest: Contest, values: RoundValues, user, reason: str | None = None
) -> ContestRound:
    """Add a round after the last one, copying the previous round's parts and criteria; the
    board (an amendment once the rules are frozen)."""
    errors = _round_errors(values)
    if errors:
        raise ContestError(errors)
    previous = contest_rounds(contest.id)[-1:] or [None]
    source = previous[0]
    parts = [] if source is None else round_parts(source.id)
    name = normalize(values.name)
    copied = f" (sao chép {len(parts)} phần thi của {source.name})" if parts else ""
    amend(contest, user, reason, [f"Thêm vòng thi “{name}”{copied}."])
    round_ = ContestRound(
        contest_id=contest.id,
        position=(source.position + 1) if source else 1,
        name=name,
        kind=values.kind,
        held_on=values.held_on,
        venue=short_text(values.venue),
        advance_count=values.advance_count,
        status="preparing",
    )
    db.session.add(round_)
    db.session.flush()
    for part in parts:
        copy_part(part, round_.id)
    db.session.flush()
    return round_


def update_round(round_: ContestRound, values: RoundValues, user, reason: str | None) -> None:
    """Save a round's name, kind, date, venue and advance count; the board. The kind and the
    advance count are rules: once frozen, changing them is an amendment."""
    errors = _round_errors(values)
    if errors:
        raise ContestError(errors)
    changes = [
        change
        for change in (
            change_line(
                f"{round_.name}, loại vòng",
                round_.kind,
                values.kind,
                lambda v: ROUND_KIND_LABELS.get(v, v),
            ),
            change_line(
                f"{round_.name}, số đội đi tiếp",
                round_.advance_count,
                values.advance_count,
            ),
        )
        if change
    ]
    amend(round_.contest, user, reason, changes)
    round_.name = normalize(values.name)
    round_.kind = values.kind
    round_.held_on = values.held_on
    round_.venue = short_text(values.venue)
    round_.advance_count = values.advance_count
    db.session.flush()


def open_round(round_: ContestRound) -> None:
    """Open a round for scoring (preparing → judging); the board. Needs the contest in
    judging, at least one entry in the round and at least one judge on its panel."""
    problems = []
    if round_.status != "preparing":
        problems.append(f"{round_.name} đã được mở chấm ({round_.status_label.lower()}).")
    if round_.contest.status != "judging":
        problems.append(
            "Hội thi chưa ở bước chấm thi: Ban Tổ chức bấm “Bắt đầu chấm thi” trước khi mở "
            "chấm một vòng."
        )
    for model, missing in (
        (ContestRoundEntry, "chưa có đội/thí sinh nào"),
        (ContestJudge, "chưa có giám khảo nào"),
    ):
        count = db.session.scalar(
            select(func.count()).select_from(model).where(model.round_id == round_.id)
        )
        if not count:
            problems.append(f"{round_.name} {missing}.")
    if not round_parts(round_.id):
        problems.append(f"{round_.name} chưa có phần thi nào.")
    if problems:
        raise ContestError([("", problem) for problem in problems])
    round_.status = "judging"
    db.session.flush()
