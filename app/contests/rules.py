"""Scoring rules of the "good mediator" contest (DOMAIN.md §5) as plain functions over plain values.

Marks are exact decimals; nothing here uses floats, Flask or the database.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, Inexact, InvalidOperation, localcontext
from fractions import Fraction

from app.text import format_number

PART_KINDS = {
    "intro": "Giới thiệu, chào hỏi",
    "knowledge": "Kiến thức",
    "situation": "Xử lý tình huống",
    "skit": "Tiểu phẩm",
    "other": "Phần thi khác",
}
AGGREGATIONS = {
    "auto": "Theo số giám khảo (2-4: trung bình; từ 5: bỏ cao nhất và thấp nhất)",
    "mean": "Trung bình cộng",
    "trimmed": "Bỏ một điểm cao nhất và một điểm thấp nhất, lấy trung bình",
    "median": "Trung vị",
}
ROUNDING_MODES = {
    "half_up": "Làm tròn nửa lên (0,125 → 0,13)",
    "half_even": "Làm tròn về số chẵn gần nhất",
}
PENALTY_KINDS = {
    "none": "Không trừ điểm",
    "per_minute": "Trừ điểm cho mỗi phút tròn vượt quá",
    "tiered": "Trừ theo mức vượt (ví dụ dưới 1 phút −0,25; từ 1 phút −0,5)",
    "cutoff": "Không chấm phần trình bày sau thời gian quy định",
}
TIE_BREAKS = {
    "skit": "Điểm phần tiểu phẩm cao hơn",
    "situation": "Điểm phần xử lý tình huống cao hơn",
    "knowledge": "Điểm phần kiến thức cao hơn",
    "intro": "Điểm phần giới thiệu cao hơn",
    "raw_sum": "Tổng tất cả điểm của giám khảo (không bỏ điểm) cao hơn",
    "penalties": "Bị trừ ít điểm hơn",
}
DEFAULT_TIE_BREAK = ("skit", "situation", "knowledge", "raw_sum", "penalties")

# A mean that is not a terminating decimal (e.g. 25/3) is kept to this many places: far more
# than any printed result, and a fixed number of places means shifting every mark by a constant
# shifts the aggregate by exactly that constant.
EXACT_PLACES = 20
PRECISION = 28

MARK_NOT_A_NUMBER = "Điểm phải là một số, ví dụ 7,5."
MARK_NEGATIVE = "Điểm không được nhỏ hơn 0."

_MARK = re.compile(r"[-−]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}
_ZERO = Decimal(0)


@dataclass(frozen=True)
class PartRule:
    """One part (phần thi) of a round, as the scoring rules see it."""

    id: int
    kind: str
    max_points: Decimal
    scored_by: str = "judges"
    time_limit_seconds: int | None = None
    penalty_kind: str = "none"
    penalty_points: Decimal | None = None
    penalty_tiers: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class EntryScores:
    """What is recorded for one entry: submitted judges' marks, secretary values, penalties."""

    entry_id: int
    judge_marks: Mapping[int, Sequence[Decimal]]
    expected_judges: Mapping[int, int]
    secretary_marks: Mapping[int, Decimal]
    penalties: Sequence[Decimal] = ()


@dataclass(frozen=True)
class EntryResult:
    """One entry's computed result and rank."""

    entry_id: int
    parts: dict[int, Decimal | None]
    penalty: Decimal
    total: Decimal | None
    complete: bool
    rank: int | None
    raw_sum: Decimal
    tie_keys: tuple


@dataclass(frozen=True)
class Rules:
    """How a round is scored and ranked."""

    parts: Sequence[PartRule]
    aggregation: str = "auto"
    places: int = 2
    rounding: str = "half_up"
    tie_break: Sequence[str] = DEFAULT_TIE_BREAK
    decisions: Sequence[Sequence[int]] = ()


def format_mark(value: Decimal) -> str:
    """A mark the Vietnamese way without trailing zeros: 7,5 — 10 — 0,25 — 1.000."""
    if not value.is_finite():
        raise ValueError("not a finite number")
    exponent = value.normalize().as_tuple().exponent
    return format_number(value, max(0, -int(exponent)))


def method_for(aggregation: str, panel_size: int) -> str:
    """'auto' -> 'mean' for fewer than 5 judges, 'trimmed' for 5 or more; others unchanged."""
    if aggregation == "auto":
        return "mean" if panel_size < 5 else "trimmed"
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    return aggregation


def _divide(total: Decimal, count: int) -> Decimal:
    """total / count: exact when it terminates, else correctly rounded to EXACT_PLACES places."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        ctx.clear_flags()
        ctx.traps[Inexact] = False
        quotient = total / count
        if not ctx.flags[Inexact]:
            return quotient
    # round() of a Fraction is exact (half to even); a non-terminating quotient is never a half.
    scaled = round(Fraction(total) / count * 10**EXACT_PLACES)
    return Decimal(f"{scaled}E-{EXACT_PLACES}")


def aggregate(marks: Sequence[Decimal], method: str) -> Decimal:
    """Unrounded aggregate of one part's marks by mean, trimmed mean or median."""
    if not marks:
        raise ValueError("no marks to aggregate")
    ordered = sorted(marks)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if method == "mean" or (method == "trimmed" and len(ordered) < 3):
            return _divide(sum(ordered, _ZERO), len(ordered))
        if method == "trimmed":
            return _divide(sum(ordered[1:-1], _ZERO), len(ordered) - 2)
        if method == "median":
            middle = len(ordered) // 2
            if len(ordered) % 2:
                return ordered[middle]
            return _divide(ordered[middle - 1] + ordered[middle], 2)
    raise ValueError(f"unknown aggregation method {method!r}")


def round_points(value: Decimal, places: int = 2, mode: str = "half_up") -> Decimal:
    """Quantize to `places` decimals with ROUND_HALF_UP or ROUND_HALF_EVEN."""
    if mode not in _ROUNDING:
        raise ValueError(f"unknown rounding mode {mode!r}")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return value.quantize(Decimal(1).scaleb(-places), rounding=_ROUNDING[mode])


def parse_mark(text: str | None) -> Decimal | None:
    """'7,5', '7.5', ' 8 ' -> Decimal; '' or None -> None; anything else raises ValueError."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if not _MARK.fullmatch(text):
        raise ValueError(MARK_NOT_A_NUMBER)
    try:
        return Decimal(text.replace(",", ".").replace("−", "-"))
    except InvalidOperation as error:  # pragma: no cover - the pattern already rules this out
        raise ValueError(MARK_NOT_A_NUMBER) from error


def mark_error(value: Decimal, maximum: Decimal, step: Decimal) -> str | None:
    """Vietnamese message when a mark is negative, above the maximum or off the step; else None."""
    if value < 0:
        return MARK_NEGATIVE
    if value > maximum:
        return f"Điểm tối đa là {format_mark(maximum)}."
    if step and step > 0 and value % step != 0:
        return f"Điểm chấm theo bước {format_mark(step)}."
    return None


def time_penalty(part: PartRule, used_seconds: int | None) -> Decimal:
    """Points to subtract for a part's timing under the part's penalty rule (0 when none)."""
    if part.penalty_kind not in PENALTY_KINDS:
        raise ValueError(f"unknown penalty kind {part.penalty_kind!r}")
    if part.time_limit_seconds is None or used_seconds is None:
        return _ZERO
    over = used_seconds - part.time_limit_seconds
    if over <= 0:
        return _ZERO
    if part.penalty_kind == "per_minute":
        return (part.penalty_points or _ZERO) * (over // 60)
    if part.penalty_kind == "tiered":
        reached = [
            (threshold, points) for threshold, points in part.penalty_tiers if over >= threshold
        ]
        return max(reached, key=lambda tier: tier[0])[1] if reached else _ZERO
    return _ZERO


def outliers(
    marks: Mapping[int, Decimal], maximum: Decimal, threshold_percent: Decimal
) -> set[int]:
    """Judge ids whose mark is more than threshold_percent % of the maximum from the median."""
    if len(marks) < 3:
        return set()
    median = aggregate(list(marks.values()), "median")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        limit = maximum * threshold_percent / 100
        return {judge for judge, mark in marks.items() if abs(mark - median) > limit}


def _part_result(rules: Rules, part: PartRule, scores: EntryScores) -> Decimal | None:
    """A part's rounded result, or None while it is not final (a missing mark is never 0)."""
    if part.scored_by == "secretary":
        value = scores.secretary_marks.get(part.id)
        return None if value is None else round_points(value, rules.places, rules.rounding)
    marks = scores.judge_marks.get(part.id, ())
    expected = scores.expected_judges.get(part.id, 0)
    if not expected or len(marks) != expected:
        return None
    method = method_for(rules.aggregation, expected)
    return round_points(aggregate(marks, method), rules.places, rules.rounding)


def _raw_sum(rules: Rules, scores: EntryScores) -> Decimal:
    """Untrimmed sum of every judge's mark and every secretary value of the rules' parts."""
    total = _ZERO
    for part in rules.parts:
        if part.scored_by == "secretary":
            total += scores.secretary_marks.get(part.id) or _ZERO
        else:
            total += sum(scores.judge_marks.get(part.id, ()), _ZERO)
    return total


def _tie_keys(rules: Rules, parts: dict[int, Decimal | None], raw: Decimal, penalty: Decimal):
    """The tie-break values of a complete entry, in the configured order."""
    keys = []
    for key in rules.tie_break:
        if key == "raw_sum":
            keys.append(raw)
        elif key == "penalties":
            keys.append(penalty)
        elif key in PART_KINDS:
            keys.append(sum((parts[p.id] for p in rules.parts if p.kind == key), _ZERO))
        else:
            raise ValueError(f"unknown tie-break {key!r}")
    return tuple(keys)


def _sort_key(rules: Rules, result: EntryResult) -> tuple:
    """Smaller is better: higher total and tie keys first, fewer penalty points first."""
    key = [-result.total]
    for name, value in zip(rules.tie_break, result.tie_keys, strict=True):
        key.append(value if name == "penalties" else -value)
    return tuple(key)


def _entry_result(rules: Rules, scores: EntryScores) -> EntryResult:
    """One entry's unranked result."""
    parts = {part.id: _part_result(rules, part, scores) for part in rules.parts}
    penalty = sum(scores.penalties, _ZERO)
    complete = all(value is not None for value in parts.values())
    raw = _raw_sum(rules, scores)
    total = sum(parts.values(), _ZERO) - penalty if complete else None
    tie_keys = _tie_keys(rules, parts, raw, penalty) if complete else ()
    return EntryResult(scores.entry_id, parts, penalty, total, complete, None, raw, tie_keys)


def _apply_decisions(rules: Rules, ranks: dict[int, int]) -> None:
    """Board decisions order a group of entries that still share a rank; others are ignored."""
    for decision in rules.decisions:
        ids = list(decision)
        if len(ids) < 2 or len(set(ids)) != len(ids) or any(i not in ranks for i in ids):
            continue
        rank = ranks[ids[0]]
        group = {entry for entry, r in ranks.items() if r == rank}
        if group != set(ids):
            continue
        for offset, entry in enumerate(ids):
            ranks[entry] = rank + offset


def compute_results(rules: Rules, entries: Sequence[EntryScores]) -> list[EntryResult]:
    """Results of every entry: ranked complete entries first, then incomplete ones by entry id."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        results = [_entry_result(rules, scores) for scores in entries]
        complete = sorted(
            (r for r in results if r.complete), key=lambda r: (_sort_key(rules, r), r.entry_id)
        )
        ranks: dict[int, int] = {}
        previous, rank = None, 0
        for position, result in enumerate(complete, start=1):
            key = _sort_key(rules, result)
            if key != previous:  # competition ranking: 1, 2, 2, 4
                previous, rank = key, position
            ranks[result.entry_id] = rank
        _apply_decisions(rules, ranks)
    ranked = sorted(
        (_with_rank(r, ranks[r.entry_id]) for r in complete), key=lambda r: (r.rank, r.entry_id)
    )
    pending = sorted((r for r in results if not r.complete), key=lambda r: r.entry_id)
    return ranked + pending


def _with_rank(result: EntryResult, rank: int) -> EntryResult:
    """A copy of a result with its rank set."""
    return EntryResult(
        result.entry_id,
        result.parts,
        result.penalty,
        result.total,
        result.complete,
        rank,
        result.raw_sum,
        result.tie_keys,
    )


def _tied_groups(results: Sequence[EntryResult]) -> list[tuple[int, list[int]]]:
    """(rank, sorted entry ids) of every rank shared by two or more entries, by rank."""
    by_rank: dict[int, list[int]] = {}
    for result in results:
        if result.complete and result.rank is not None:
            by_rank.setdefault(result.rank, []).append(result.entry_id)
    return [(rank, sorted(ids)) for rank, ids in sorted(by_rank.items()) if len(ids) > 1]


def boundary_ties(
    results: Sequence[EntryResult], boundaries: Iterable[int]
) -> list[tuple[int, list[int]]]:
    """(boundary, sorted entry ids) of each group sharing a rank across a prize or advance cut."""
    cuts = sorted(set(boundaries))
    straddled = []
    for rank, ids in _tied_groups(results):
        for cut in cuts:
            if rank <= cut < rank + len(ids) - 1:
                straddled.append((cut, ids))
                break
    return straddled


def prize_boundaries(counts: Sequence[int]) -> list[int]:
    """Cumulative cut-offs of rank prizes: [1, 2, 3, 4] -> [1, 3, 6, 10]; zero counts skipped."""
    cuts, total = [], 0
    for count in counts:
        if count > 0:
            total += count
            cuts.append(total)
    return cuts


def assign_prizes(
    results: Sequence[EntryResult], prizes: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """Entry id -> prize id for ranked entries whose rank falls in a prize's cumulative range."""
    ranges, total = [], 0
    for prize_id, count in prizes:
        if count > 0:
            ranges.append((total + 1, total + count, prize_id))
            total += count
    awarded = {}
    for result in results:
        if result.rank is None:
            continue
        for first, last, prize_id in ranges:
            if first <= result.rank <= last:
                awarded[result.entry_id] = prize_id
                break
    return awarded


def advancing(results: Sequence[EntryResult], count: int) -> list[int]:
    """Entry ids with rank <= count, in rank order."""
    ranked = [r for r in results if r.rank is not None and r.rank <= count]
    return [r.entry_id for r in sorted(ranked, key=lambda r: (r.rank, r.entry_id))]


def printed_total_ok(result: EntryResult) -> bool:
    """sum(parts) - penalty == total (False for an incomplete result)."""
    if not result.complete or result.total is None or None in result.parts.values():
        return False
    return sum(result.parts.values(), _ZERO) - result.penalty == result.total
