"""The rules of the mediation logbook (DOMAIN.md §4, §8) as plain functions over plain values.

No request, no session: routes, exports, reports and the benchmark all count the same way.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# The three classes of the statistics form (Circular 03/2019/TT-BTP).
SCOPE_LABELS = {
    "civil": "Dân sự",
    "family": "Hôn nhân và gia đình",
    "other": "Khác",
}

# Result states used by the statistics. "A party asked to stop" is recorded as a failed case
# with ``stop_requested`` set (DOMAIN.md §4).
RESULT_LABELS = {
    "successful": "Hòa giải thành",
    "failed": "Hòa giải không thành",
    "in_progress": "Đang giải quyết",
    "pending": "Chưa giải quyết",
}
ENDED = frozenset({"successful", "failed"})
OPEN = frozenset({"in_progress", "pending"})

MIN_AGE = 0
MAX_AGE = 120
MAX_PARTIES = 6

# DOMAIN.md §8 and §7: the scheme's targets for the success rate, and the "5-good team"
# criterion. A province's plan may set its own (the reports area makes them configurable).
SUCCESS_TARGET = Decimal(85)
PILOT_TARGET = Decimal(90)  # pilot communes: strictly more than 90%
FIVE_GOOD_TARGET = Decimal(80)
# Below this many ended cases a percentage says more than the data: show the counts.
MIN_ENDED_FOR_RATE = 5


@dataclass(frozen=True)
class Tally:
    """Cases received in a period, by result. The success rate is successful ÷ (successful +
    failed), as the Ministry reports it — not ÷ received (DOMAIN.md §4)."""

    successful: int = 0
    failed: int = 0
    in_progress: int = 0
    pending: int = 0

    @classmethod
    def from_counts(cls, counts: Mapping[str, int]) -> "Tally":
        """Build from {result: count}; unknown keys are ignored."""
        return cls(**{key: int(counts.get(key) or 0) for key in RESULT_LABELS})

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.successful + other.successful,
            self.failed + other.failed,
            self.in_progress + other.in_progress,
            self.pending + other.pending,
        )

    @property
    def ended(self) -> int:
        return self.successful + self.failed

    @property
    def received(self) -> int:
        return self.ended + self.in_progress + self.pending

    @property
    def rate(self) -> Decimal | None:
        """The success rate in percent, rounded half up to one decimal; None without ended
        cases."""
        if not self.ended:
            return None
        value = Decimal(self.successful * 100) / Decimal(self.ended)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def reliable(self) -> bool:
        """Enough ended cases for a bare percentage to mean something."""
        return self.ended >= MIN_ENDED_FOR_RATE

    def meets(self, target: Decimal, strictly: bool = False) -> bool | None:
        """Whether the rate reaches the target; None when it cannot be judged (too few cases)."""
        if not self.reliable:
            return None
        exact = Decimal(self.successful * 100) / Decimal(self.ended)
        return exact > target if strictly else exact >= target


def total(tallies: Iterable[Tally]) -> Tally:
    result = Tally()
    for tally in tallies:
        result = result + tally
    return result


@dataclass(frozen=True)
class Target:
    """The success-rate target that applies to a unit: 85%, or more than 90% for a pilot."""

    value: Decimal
    strictly: bool
    label: str

    def judge(self, tally: Tally) -> bool | None:
        return tally.meets(self.value, self.strictly)


DEFAULT_TARGET = Target(SUCCESS_TARGET, False, "Mục tiêu ≥ 85%")
PILOT_COMMUNE_TARGET = Target(PILOT_TARGET, True, "Mục tiêu xã chỉ đạo điểm > 90%")
FIVE_GOOD = Target(FIVE_GOOD_TARGET, False, "Tiêu chí tổ hòa giải 5 tốt ≥ 80%")


def target_for(is_pilot: bool) -> Target:
    """The target of Decision 315 for a unit (DOMAIN.md §8)."""
    return PILOT_COMMUNE_TARGET if is_pilot else DEFAULT_TARGET


@dataclass(frozen=True)
class Party:
    full_name: str
    age: int | None
    address: str | None


@dataclass(frozen=True)
class MediatorOnCase:
    """What the rules need to know of a mediator named on a case."""

    id: int
    name: str
    dismissed_on: date | None


def check_entry(
    *,
    received_on: date | None,
    started_on: date | None,
    ended_on: date | None,
    result: str | None,
    scope: str | None,
    agreement: str | None,
    content: str | None,
    parties: list[Party],
    mediators: list[MediatorOnCase],
    today: date,
) -> list[tuple[str, str]]:
    """Every rule an entry breaks, as (field, message in Vietnamese); empty when valid."""
    errors: list[tuple[str, str]] = []
    if received_on is None:
        errors.append(("received_on", "Nhập ngày tiếp nhận vụ việc."))
    elif received_on > today:
        errors.append(("received_on", "Ngày tiếp nhận không thể sau hôm nay."))
    if scope not in SCOPE_LABELS:
        errors.append(("scope", "Chọn lĩnh vực của vụ việc."))
    if result not in RESULT_LABELS:
        errors.append(("result", "Chọn kết quả hòa giải."))
    if not (content or "").strip():
        errors.append(("content", "Nhập nội dung chính của vụ việc."))
    errors += _check_dates(received_on, started_on, ended_on, result, today)
    if result == "successful" and not (agreement or "").strip():
        errors.append(
            ("agreement", "Vụ việc hòa giải thành phải ghi nội dung thỏa thuận đạt được.")
        )
    errors += _check_parties(parties)
    if not mediators:
        errors.append(("mediators", "Chọn ít nhất một hòa giải viên tiến hành hòa giải."))
    for mediator in mediators:
        if mediator.dismissed_on and received_on and received_on > mediator.dismissed_on:
            errors.append(
                (
                    "mediators",
                    f"{mediator.name} đã thôi làm hòa giải viên từ "
                    f"{mediator.dismissed_on:%d/%m/%Y}, trước ngày tiếp nhận vụ việc.",
                )
            )
    return errors


def _check_dates(received_on, started_on, ended_on, result, today) -> list[tuple[str, str]]:
    errors = []
    if started_on and received_on and started_on < received_on:
        errors.append(("started_on", "Ngày bắt đầu hòa giải không thể trước ngày tiếp nhận."))
    if started_on and started_on > today:
        errors.append(("started_on", "Ngày bắt đầu hòa giải không thể sau hôm nay."))
    if result in ENDED and ended_on is None:
        errors.append(("ended_on", "Vụ việc đã kết thúc: nhập ngày kết thúc hòa giải."))
    if result in OPEN and ended_on is not None:
        errors.append(
            ("ended_on", "Vụ việc chưa kết thúc thì chưa có ngày kết thúc; hãy xóa ngày này.")
        )
    if ended_on and received_on and ended_on < received_on:
        errors.append(("ended_on", "Ngày kết thúc không thể trước ngày tiếp nhận."))
    if ended_on and started_on and ended_on < started_on:
        errors.append(("ended_on", "Ngày kết thúc không thể trước ngày bắt đầu hòa giải."))
    if ended_on and ended_on > today:
        errors.append(("ended_on", "Ngày kết thúc không thể sau hôm nay."))
    return errors


def _check_parties(parties: list[Party]) -> list[tuple[str, str]]:
    errors = []
    if not parties:
        errors.append(("parties", "Nhập ít nhất một bên tranh chấp."))
    if len(parties) > MAX_PARTIES:
        errors.append(("parties", f"Sổ ghi tối đa {MAX_PARTIES} bên cho một vụ việc."))
    for n, party in enumerate(parties, start=1):
        if not party.full_name.strip():
            errors.append(("parties", f"Bên thứ {n}: nhập họ và tên."))
        if party.age is not None and not MIN_AGE <= party.age <= MAX_AGE:
            errors.append(("parties", f"Bên thứ {n}: tuổi phải từ {MIN_AGE} đến {MAX_AGE}."))
    return errors


def days_to_start(received_on: date, started_on: date | None) -> int | None:
    """Days between receiving and starting; the law asks for at most 3 (DOMAIN.md §4)."""
    if started_on is None:
        return None
    return (started_on - received_on).days


START_WITHIN_DAYS = 3


# Remuneration (thù lao): a rate per case, dated, set per province (DOMAIN.md §4).


def rate_on(rates: Iterable, day: date):
    """The rate in force on a day: of the rates (anything with ``effective_from``), the
    latest whose start is on or before it; None when none has started."""
    best = None
    for rate in rates:
        if rate.effective_from <= day and (
            best is None or rate.effective_from > best.effective_from
        ):
            best = rate
    return best


# The result as a person picks it on the form: the four states, plus "a party asked to stop",
# which the statistics count as failed.
RESULT_CHOICES = {
    "successful": RESULT_LABELS["successful"],
    "failed": RESULT_LABELS["failed"],
    "stopped": "Một bên yêu cầu chấm dứt hòa giải (tính là không thành)",
    "in_progress": RESULT_LABELS["in_progress"],
    "pending": RESULT_LABELS["pending"],
}


def split_result(choice: str) -> tuple[str, bool]:
    """A form's result choice → (result, stop_requested)."""
    if choice == "stopped":
        return "failed", True
    return choice, False


def result_choice(result: str, stop_requested: bool) -> str:
    """(result, stop_requested) → the form's result choice."""
    return "stopped" if result == "failed" and stop_requested else result
