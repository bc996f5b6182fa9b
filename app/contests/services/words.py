"""A contest's numbers and rules in words, both ways: points as printed, durations as people
type and read them, penalty tiers (as typed, as stored, as a sentence), the composition of an
entry and the tie-break order. One wording of each for the contest's page, the forms, the
secretary and the printed documents."""

import re
from collections.abc import Sequence
from decimal import Decimal

from app.contests import rules
from app.contests.models import Contest, ContestPart
from app.contests.rules import format_mark
from app.text import fold, format_number

PLACES_LABELS = {
    0: "Số nguyên (ví dụ 8)",
    1: "1 chữ số thập phân (ví dụ 8,1)",
    2: "2 chữ số thập phân (ví dụ 8,13)",
    3: "3 chữ số thập phân (ví dụ 8,125)",
}
NO_PENALTY = "không trừ điểm khi quá giờ"


def print_points(value: Decimal | None) -> str:
    """Points as printed and told: two decimals with the Vietnamese comma (8,25); blank for
    None."""
    return "" if value is None else format_number(value, 2)


# Durations


def duration_words(seconds: int) -> str:
    """180 → "3 phút", 150 → "2 phút 30 giây", 45 → "45 giây"."""
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f"{minutes} phút {rest} giây"
    return f"{minutes} phút" if minutes else f"{rest} giây"


def format_duration(seconds: int | None) -> str:
    """255 → "4:15" (minutes:seconds, as a stopwatch shows it and as the forms take it)."""
    if seconds is None:
        return ""
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"


_CLOCK = re.compile(r"(\d{1,3})\s*[:'.,]\s*(\d{2})")
_MINUTES = re.compile(r"\d{1,3}")
_WORDS = re.compile(r"(?:(\d{1,3})\s*(?:phut|p|')\s*)?(?:(\d{1,4})\s*(?:giay|s|\"))?")
DURATION_UNREADABLE = "Nhập thời gian theo phút:giây, ví dụ 3:00, 2:30 hoặc 5 (phút)."


def parse_duration(text: str | None) -> int | None:
    """A duration typed by a person, in seconds: "3:00", "3:25", "3'25", "5" (minutes),
    "3 phút", "90 giây", "3 phút 30 giây"; None for nothing typed; else ValueError."""
    folded = fold(text)
    if not folded:
        return None
    if match := _CLOCK.fullmatch(folded):
        minutes, seconds = int(match.group(1)), int(match.group(2))
        if seconds >= 60:
            raise ValueError(DURATION_UNREADABLE)
        return minutes * 60 + seconds
    if _MINUTES.fullmatch(folded):
        return int(folded) * 60
    seconds = _worded_seconds(folded)
    if seconds is None:
        raise ValueError(DURATION_UNREADABLE)
    return seconds


def _worded_seconds(folded: str) -> int | None:
    """ "3 phut 30 giay" → 210, "90 giay" → 90, "1 phut" → 60; None when not so worded."""
    match = _WORDS.fullmatch(folded)
    if match and (match.group(1) or match.group(2)):
        return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    return None


# Penalty tiers: stored "1:0.25;60:0.5" = below 1 minute over, 0.25; from 1 minute, 0.5

TIER_HELP = "Viết mỗi mức một dòng, ví dụ “dưới 1 phút: 0,25” và “từ 1 phút: 0,5”."
_ANY_OVERRUN = ("qua gio", "vuot gio", "bat ky", "")


def parse_tiers(text: str | None) -> tuple[tuple[int, Decimal], ...]:
    """ "1:0.25;60:0.5" (as stored) → ((1, Decimal("0.25")), (60, Decimal("0.5")))."""
    tiers = []
    for item in (text or "").split(";"):
        if item.strip():
            seconds, points = item.split(":")
            tiers.append((int(seconds), Decimal(points.strip())))
    return tuple(sorted(tiers))


def tiers_text(tiers: Sequence[tuple[int, Decimal]]) -> str | None:
    """Tiers as stored in ContestPart.penalty_tiers: "1:0.25;60:0.5"."""
    if not tiers:
        return None
    return ";".join(f"{seconds}:{format(points.normalize(), 'f')}" for seconds, points in tiers)


def _tier_duration(text: str) -> int | None:
    """ "1 phut" → 60, "1 phut 30 giay" → 90, "30 giay" → 30, "45" → 45 (seconds)."""
    text = text.strip()
    if text.isdigit() and len(text) <= 5:
        return int(text)
    return _worded_seconds(text)


def _tier_line(line: str) -> tuple[str, int, Decimal]:
    """One tier line → (kind "below"/"from", seconds, points); ValueError when unreadable."""
    folded = fold(line)
    cut = max(folded.rfind(":"), folded.rfind("="))
    if cut < 0:
        raise ValueError
    left, right = folded[:cut].strip(), folded[cut + 1 :].strip()
    right = re.sub(r"^(?:tru|-|−)\s*|\s*diem$", "", right).strip()
    points = rules.parse_mark(right)
    if points is None:
        raise ValueError
    left = re.sub(r"^(?:qua|vuot)\s+(?=duoi|tu|\d)", "", left)
    if left in _ANY_OVERRUN:
        return "from", 1, points
    kind, seconds = "from", None
    for word, word_kind in (("duoi", "below"), ("tu", "from")):
        if left.startswith(word + " "):
            kind, seconds = word_kind, _tier_duration(left[len(word) + 1 :])
            break
    else:
        seconds = _tier_duration(left)
    if seconds is None or seconds < 1:
        raise ValueError
    return kind, seconds, points


def parse_tier_lines(text: str | None) -> list[tuple[int, Decimal]]:
    """Typed tiers → [(seconds over, points)] sorted. "dưới 1 phút: 0,25" is any overrun below
    the next tier ("từ 1 phút: 0,5"); the stored form "1:0.25;60:0.5" is read too."""
    tiers: dict[int, Decimal] = {}
    below: list[int] = []
    lines = [line for line in re.split(r"[;\n]", text or "") if line.strip()]
    for number, line in enumerate(lines, start=1):
        try:
            kind, seconds, points = _tier_line(line)
        except ValueError:
            raise ValueError(
                f"Dòng {number} (“{line.strip()[:60]}”) không đọc được. {TIER_HELP}"
            ) from None
        threshold = 1 if kind == "below" else seconds
        if kind == "below":
            below.append(seconds)
        if threshold in tiers:
            raise ValueError(f"Dòng {number}: mức này đã có ở dòng trên. {TIER_HELP}")
        tiers[threshold] = points
    for seconds in below:
        if seconds not in tiers:
            raise ValueError(
                f"Sau mức “dưới {duration_words(seconds)}” cần có mức "
                f"“từ {duration_words(seconds)}”."
            )
    return sorted(tiers.items())


def _tier_labels(tiers: Sequence[tuple[int, Decimal]]) -> list[tuple[str, Decimal]]:
    """Each tier's overrun in words with its points: ("dưới 1 phút", 0.25), ("từ 1 phút",
    0.5); a lone tier from the first second is "quá giờ"."""
    labels = []
    for index, (seconds, points) in enumerate(tiers):
        following = tiers[index + 1][0] if index + 1 < len(tiers) else None
        if seconds <= 1 and following:
            labels.append((f"dưới {duration_words(following)}", points))
        elif seconds <= 1:
            labels.append(("quá giờ", points))
        else:
            labels.append((f"từ {duration_words(seconds)}", points))
    return labels


def tier_lines(tiers: Sequence[tuple[int, Decimal]]) -> str:
    """Tiers as typed in the form, one a line: "dưới 1 phút: 0,25\ntừ 1 phút: 0,5"."""
    return "\n".join(f"{label}: {format_mark(points)}" for label, points in _tier_labels(tiers))


# Penalty rules


def penalty_clause(
    kind: str, points: Decimal | None, tiers: Sequence[tuple[int, Decimal]]
) -> str | None:
    """A part's penalty rule as a clause ("quá dưới 1 phút trừ 0,25 điểm; từ 1 phút trừ 0,5
    điểm"), None when there is none."""
    if kind == "per_minute":
        return f"quá mỗi phút tròn trừ {format_mark(points or Decimal(0))} điểm"
    if kind == "cutoff":
        return "phần trình bày sau thời gian quy định không được chấm"
    if kind != "tiered" or not tiers:
        return None
    text = "; ".join(
        f"{label} trừ {format_mark(amount)} điểm" for label, amount in _tier_labels(tiers)
    )
    return text if text.startswith("quá") else "quá " + text


def penalty_words(
    kind: str, points: Decimal | None, tiers: Sequence[tuple[int, Decimal]]
) -> str | None:
    """A part's penalty rule as a sentence ("Quá dưới 1 phút trừ 0,25 điểm; từ 1 phút trừ 0,5
    điểm."), None when there is none."""
    clause = penalty_clause(kind, points, tiers)
    return None if clause is None else clause[0].upper() + clause[1:] + "."


def part_penalty_words(part: ContestPart) -> str | None:
    """The penalty rule of a part as a sentence, None when it has none."""
    return penalty_words(part.penalty_kind, part.penalty_points, parse_tiers(part.penalty_tiers))


def part_penalty_clause(part: ContestPart) -> str:
    """The penalty rule of a part as a clause, for the timekeeper ("không trừ điểm khi quá
    giờ" when it has none)."""
    clause = penalty_clause(part.penalty_kind, part.penalty_points, parse_tiers(part.penalty_tiers))
    return clause or NO_PENALTY


# The composition of an entry, the tie-break order


def composition_words(contest: Contest) -> str:
    """The composition rule of an entry in words."""
    if contest.entry_kind == "individual":
        return "Thi cá nhân: mỗi đơn vị cử hòa giải viên dự thi."
    reserves = (
        f"{contest.reserve_min}-{contest.reserve_max}"
        if contest.reserve_min != contest.reserve_max
        else str(contest.reserve_min)
    )
    text = (
        f"Mỗi đội {contest.official_count} thành viên chính thức (có 1 đội trưởng), "
        f"{reserves} thành viên dự bị"
    )
    if contest.actor_max:
        text += f", tối đa {contest.actor_max} diễn viên phụ họa (không đóng vai hòa giải viên)"
    text += "; thành viên là hòa giải viên đang hoạt động, đã được công nhận của đơn vị."
    if contest.every_unit_represented:
        text += " Mỗi đơn vị (xã của cụm) phải có thành viên trong đội."
    return text


def tie_break_words(keys: Sequence[str]) -> list[str]:
    """The tie-break keys in words, in their order."""
    return [rules.TIE_BREAKS.get(key, key) for key in keys]
