"""Factories for contest tests: a round with N entries, K judges and its parts, and the
records scoring produces (sheets, secretary marks, penalties, tie decisions).

Every function needs an application context (the ``ctx`` fixture, or ``with app.app_context()``);
each one flushes and never commits, like the services: call ``db.session.commit()`` before
requests read the data. Typical use::

    setup = make_round(entries=3, judges=5)
    for judge in setup.judge_ids:
        for entry in setup.entry_ids:
            submit_sheet(setup, judge, entry, setup.part("intro"), "8.5")
            submit_sheet(setup, judge, entry, setup.part("skit"), {"Nội dung": "10", ...})
    for entry in setup.entry_ids:
        secretary_mark(setup, entry, setup.part("knowledge"), "7")
    db.session.commit()

``make_round(organiser_id=world.d1, entry_unit_ids=[world.v1, ...])`` builds a round inside
the world fixture's units (so that its users see it); without them it makes its own province,
district (the organiser) and one commune per entry.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from app.clock import utcnow
from app.contests import models as m
from app.contests.rules import time_penalty
from app.contests.services.results import part_rule
from app.extensions import db
from app.units.models import Unit
from app.units.services import create_unit, place

# (name, kind, max points, scored by, criteria as (name, max) pairs)
DEFAULT_PARTS: tuple = (
    ("Giới thiệu", "intro", "10", "judges", ()),
    ("Kiến thức", "knowledge", "10", "secretary", ()),
    ("Tiểu phẩm", "skit", "20", "judges", (("Nội dung", "12"), ("Diễn xuất", "8"))),
)
DEFAULT_PRIZES: tuple = (("Giải Nhất", 1), ("Giải Nhì", 1), ("Giải Ba", 1))

_serial = count(1)


@dataclass
class RoundSetup:
    """Ids of what make_round built (entries and judges in creation order)."""

    contest_id: int
    round_id: int
    part_ids: list[int]
    part_kinds: dict[int, str]
    secretary_parts: set[int]  # parts scored once by the secretary (multiple-choice)
    criteria: dict[int, dict[str, int]]  # part id -> criterion name -> criterion id
    entry_ids: list[int]
    judge_ids: list[int]
    organiser_id: int
    entry_unit_ids: list[int]
    prize_ids: list[int] = field(default_factory=list)

    def part(self, kind: str) -> int:
        """The id of the first part of a kind ("intro", "knowledge", "skit"...)."""
        return next(p for p in self.part_ids if self.part_kinds[p] == kind)

    @property
    def judged_parts(self) -> list[int]:
        return [p for p in self.part_ids if p not in self.secretary_parts]

    @property
    def round(self) -> m.ContestRound:
        return db.session.get(m.ContestRound, self.round_id)

    @property
    def contest(self) -> m.Contest:
        return db.session.get(m.Contest, self.contest_id)


def make_units(communes: int) -> tuple[int, list[int]]:
    """A province, a district in it and ``communes`` communes below the district."""
    n = next(_serial)
    province = create_unit(parent=None, kind="tinh", name=f"Tỉnh Thử {n}")
    district = create_unit(parent=province, kind="huyen", name=f"Huyện Thử {n}")
    ids = [
        create_unit(parent=district, kind="xa", name=f"Xã Thử {n}.{i}").id
        for i in range(1, communes + 1)
    ]
    db.session.flush()
    return district.id, ids


def make_contest(
    organiser_id: int,
    *,
    status: str = "judging",
    aggregation: str = "auto",
    tie_break: str | None = None,
    step: str = "0.25",
    name: str | None = None,
    **columns,
) -> m.Contest:
    """A contest of individual entries organised by a unit (rules frozen when judging)."""
    contest = m.Contest(
        name=name or f"Hội thi thử {next(_serial)}",
        level="district",
        year=2026,
        status=status,
        entry_kind="individual",
        official_count=1,
        reserve_min=0,
        reserve_max=0,
        actor_max=0,
        aggregation=aggregation,
        step=Decimal(step),
        frozen_at=utcnow() if status in ("judging", "published", "closed") else None,
        **columns,
    )
    if tie_break is not None:
        contest.tie_break = tie_break
    place(contest, db.session.get(Unit, organiser_id))
    db.session.add(contest)
    db.session.flush()
    return contest


def add_round(
    contest: m.Contest,
    *,
    position: int = 1,
    kind: str = "final",
    status: str = "judging",
    parts: Sequence = DEFAULT_PARTS,
    advance_count: int | None = None,
    name: str | None = None,
) -> tuple[m.ContestRound, list[m.ContestPart], dict[int, dict[str, int]]]:
    """A round of a contest with its parts and their criteria."""
    round_ = m.ContestRound(
        contest_id=contest.id,
        position=position,
        name=name or ("Vòng chung khảo" if kind == "final" else f"Vòng sơ khảo {position}"),
        kind=kind,
        status=status,
        held_on=date(2026, 10, position),
        advance_count=advance_count,
    )
    db.session.add(round_)
    db.session.flush()
    made, criteria = [], {}
    for index, (part_name, kind_, maximum, scored_by, part_criteria) in enumerate(parts, 1):
        part = m.ContestPart(
            round_id=round_.id,
            position=index,
            name=part_name,
            kind=kind_,
            max_points=Decimal(maximum),
            scored_by=scored_by,
        )
        db.session.add(part)
        db.session.flush()
        criteria[part.id] = {}
        for position_, (criterion_name, criterion_max) in enumerate(part_criteria, 1):
            criterion = m.ContestCriterion(
                part_id=part.id,
                position=position_,
                name=criterion_name,
                max_points=Decimal(criterion_max),
            )
            db.session.add(criterion)
            db.session.flush()
            criteria[part.id][criterion_name] = criterion.id
        made.append(part)
    return round_, made, criteria


def make_round(
    *,
    entries: int = 3,
    judges: int = 3,
    parts: Sequence = DEFAULT_PARTS,
    prizes: Sequence[tuple[str, int]] = DEFAULT_PRIZES,
    aggregation: str = "auto",
    tie_break: str | None = None,
    advance_count: int | None = None,
    last: bool = True,
    contest_status: str = "judging",
    round_status: str = "judging",
    organiser_id: int | None = None,
    entry_unit_ids: Sequence[int] | None = None,
    judge_unit_ids: Sequence[int | None] | None = None,
    judge_user_ids: Sequence[int | None] | None = None,
) -> RoundSetup:
    """A contest with one round to score: ``entries`` entries in running order 1..N (names
    "Đội số 1"...), ``judges`` declared judges (the first is the head judge; no user account
    and no unit, hence no conflicts, unless given), the parts and the rank prizes. With
    ``last=False`` a later round follows, so this round's top ``advance_count`` advance
    instead of winning prizes."""
    if organiser_id is None:
        organiser_id, communes = make_units(entries)
        entry_unit_ids = entry_unit_ids or communes
    if entry_unit_ids is None:
        entry_unit_ids = [organiser_id] * entries
    contest = make_contest(
        organiser_id, status=contest_status, aggregation=aggregation, tie_break=tie_break
    )
    prize_ids = []
    for position, (prize_name, prize_count) in enumerate(prizes, 1):
        prize = m.ContestPrize(
            contest_id=contest.id, position=position, name=prize_name, count=prize_count
        )
        db.session.add(prize)
        db.session.flush()
        prize_ids.append(prize.id)
    round_, made, criteria = add_round(
        contest, status=round_status, parts=parts, advance_count=advance_count
    )
    if not last:
        add_round(contest, position=2, status="preparing", parts=parts)
    entry_ids = []
    for index in range(entries):
        entry = m.ContestEntry(contest_id=contest.id, name=f"Đội số {index + 1}")
        place(entry, db.session.get(Unit, entry_unit_ids[index % len(entry_unit_ids)]))
        db.session.add(entry)
        db.session.flush()
        db.session.add(
            m.ContestRoundEntry(round_id=round_.id, entry_id=entry.id, order_number=index + 1)
        )
        entry_ids.append(entry.id)
    judge_ids = []
    for index in range(judges):
        seat = m.ContestJudge(
            round_id=round_.id,
            user_id=(judge_user_ids or [None] * judges)[index],
            full_name=f"Giám khảo {index + 1}",
            title="Thành viên Ban Giám khảo",
            unit_id=(judge_unit_ids or [None] * judges)[index],
            is_head=index == 0,
            position=index + 1,
            declared_at=utcnow(),
        )
        db.session.add(seat)
        db.session.flush()
        judge_ids.append(seat.id)
    return RoundSetup(
        contest_id=contest.id,
        round_id=round_.id,
        part_ids=[p.id for p in made],
        part_kinds={p.id: p.kind for p in made},
        secretary_parts={p.id for p in made if not p.is_judged},
        criteria=criteria,
        entry_ids=entry_ids,
        judge_ids=judge_ids,
        organiser_id=organiser_id,
        entry_unit_ids=list(entry_unit_ids),
        prize_ids=prize_ids,
    )


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def submit_sheet(
    setup: RoundSetup,
    judge_id: int,
    entry_id: int,
    part_id: int,
    marks: object,
    status: str = "submitted",
) -> int:
    """A judge's sheet with its marks: one value for the part, or {criterion name: value} for a
    part with criteria. Replaces the judge's earlier sheet for the same entry and part."""
    existing = db.session.scalar(
        select(m.ScoreSheet).where(
            m.ScoreSheet.judge_id == judge_id,
            m.ScoreSheet.entry_id == entry_id,
            m.ScoreSheet.part_id == part_id,
        )
    )
    if existing is not None:
        db.session.execute(db.delete(m.ScoreMark).where(m.ScoreMark.sheet_id == existing.id))
        db.session.delete(existing)
        db.session.flush()
    if isinstance(marks, Mapping):
        named = setup.criteria[part_id]
        values = {named[name]: _decimal(value) for name, value in marks.items()}
    else:
        values = {None: _decimal(marks)}
    sheet = m.ScoreSheet(
        round_id=setup.round_id,
        judge_id=judge_id,
        entry_id=entry_id,
        part_id=part_id,
        status=status,
        total=sum(values.values(), Decimal(0)),
        submitted_at=utcnow() if status == "submitted" else None,
    )
    db.session.add(sheet)
    db.session.flush()
    for criterion_id, value in values.items():
        db.session.add(m.ScoreMark(sheet_id=sheet.id, criterion_id=criterion_id, value=value))
    db.session.flush()
    return sheet.id


def secretary_mark(setup: RoundSetup, entry_id: int, part_id: int, value) -> int:
    """The secretary's result of a multiple-choice part for an entry."""
    mark = m.SecretaryMark(
        round_id=setup.round_id, entry_id=entry_id, part_id=part_id, value=_decimal(value)
    )
    db.session.add(mark)
    db.session.flush()
    return mark.id


def add_penalty(
    setup: RoundSetup,
    entry_id: int,
    points=None,
    *,
    part_id: int | None = None,
    used_seconds: int | None = None,
    reason: str | None = "Vi phạm thể lệ",
) -> int:
    """A penalty: a rule breach of ``points``, or a timing (points from the part's rule)."""
    if used_seconds is not None:
        part = db.session.get(m.ContestPart, part_id)
        penalty = m.ContestPenalty(
            round_id=setup.round_id,
            entry_id=entry_id,
            part_id=part_id,
            kind="time",
            used_seconds=used_seconds,
            points=time_penalty(part_rule(part), used_seconds),
        )
    else:
        penalty = m.ContestPenalty(
            round_id=setup.round_id,
            entry_id=entry_id,
            part_id=part_id,
            kind="rule",
            points=_decimal(points),
            reason=reason,
        )
    db.session.add(penalty)
    db.session.flush()
    return penalty.id


def score_round(
    setup: RoundSetup,
    mark: Callable[[int, int, int], object],
    *,
    secretary: Callable[[int], object] | None = None,
    judges: Sequence[int] | None = None,
) -> None:
    """Every judge submits every judged part of every entry: ``mark(judge index, entry index,
    part id)`` gives the value (or {criterion name: value}); ``secretary(entry index)`` the
    multiple-choice results (default 5). ``judges`` limits (and orders) the judges who submit."""
    for judge_id in judges if judges is not None else setup.judge_ids:
        j = setup.judge_ids.index(judge_id)
        for e, entry_id in enumerate(setup.entry_ids):
            for part_id in setup.judged_parts:
                submit_sheet(setup, judge_id, entry_id, part_id, mark(j, e, part_id))
    if judges is None:
        for e, entry_id in enumerate(setup.entry_ids):
            for part_id in setup.secretary_parts:
                secretary_mark(setup, entry_id, part_id, secretary(e) if secretary else 5)
