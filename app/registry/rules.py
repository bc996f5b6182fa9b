"""The legal rules of the registry (DOMAIN.md §3) as plain functions over plain values."""

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

KINH = "01"
MIN_AGE = 18
TRAINING_DUE_MONTHS = 6

SEX_LABELS = {"F": "Nữ", "M": "Nam"}
STATUS_LABELS = {"active": "Đang hoạt động", "dismissed": "Đã thôi làm hòa giải viên"}
ROLE_LABELS = {"leader": "Tổ trưởng", "member": "Thành viên"}

# Art. 11 of the Law on Grassroots Mediation: the three grounds for dismissal.
DISMISSAL_GROUNDS = {
    "own_wish": "Theo nguyện vọng của hòa giải viên",
    "no_longer_eligible": "Không còn đáp ứng tiêu chuẩn quy định tại Điều 7 Luật Hòa giải ở cơ sở",
    "violation": "Vi phạm nguyên tắc tại Điều 4 Luật Hòa giải ở cơ sở hoặc bị xử lý kỷ luật, "
    "xử phạt vi phạm hành chính, bị kết án",
}

EDUCATION_LABELS = {
    "none": "Chưa qua đào tạo",
    "primary": "Tiểu học",
    "lower_secondary": "Trung học cơ sở",
    "upper_secondary": "Trung học phổ thông",
    "vocational": "Trung cấp",
    "college": "Cao đẳng",
    "university": "Đại học",
    "postgraduate": "Sau đại học",
}

# Backgrounds of mediators and supporters; the legal-professional ones count toward the
# "legal-professional support" target (DOMAIN.md §3).
BACKGROUND_LABELS = {
    "village_head": "Trưởng thôn, tổ trưởng dân phố",
    "party_cell": "Bí thư chi bộ",
    "front": "Ban công tác Mặt trận",
    "womens_union": "Hội Liên hiệp Phụ nữ",
    "farmers_union": "Hội Nông dân",
    "veterans": "Hội Cựu chiến binh",
    "youth_union": "Đoàn Thanh niên",
    "elder": "Người có uy tín, già làng, trưởng dòng họ",
    "teacher": "Giáo viên",
    "retired_official": "Cán bộ hưu trí",
    "lawyer": "Luật sư",
    "jurist": "Luật gia",
    "assessor": "Hội thẩm nhân dân",
    "police": "Công an",
    "army": "Quân đội",
    "legal_official": "Công chức ngành tư pháp, pháp chế",
    "former_judge": "Nguyên thẩm phán, kiểm sát viên, điều tra viên",
    "other": "Khác",
}
LEGAL_PROFESSIONAL = frozenset(
    {"lawyer", "jurist", "assessor", "police", "army", "legal_official", "former_judge"}
)

TRAINER_BACKGROUNDS = {
    "judge": "Thẩm phán",
    "prosecutor": "Kiểm sát viên",
    "assessor": "Hội thẩm nhân dân",
    "lawyer": "Luật sư",
    "jurist": "Luật gia",
    "police": "Công an",
    "army": "Quân đội",
    "justice_officer": "Cán bộ, công chức tư pháp",
    "other": "Khác",
}

TRAINING_LEVELS = {
    "central": "Trung ương",
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
}


@cache
def ethnic_groups() -> dict[str, str]:
    """The 54 official ethnic groups (codes of Decision 121-TCTK/PPCĐ), code -> name."""
    path = Path(__file__).with_name("ethnic_groups.csv")
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def is_minority(ethnicity_code: str | None) -> bool:
    """Every official group but Kinh is an ethnic minority."""
    return bool(ethnicity_code) and ethnicity_code != KINH and ethnicity_code in ethnic_groups()


@dataclass(frozen=True)
class Member:
    """What the compliance rule needs to know of one mediator of a team."""

    active: bool
    sex: str
    ethnicity_code: str | None
    is_leader: bool
    recognised: bool = True


# Bits of a team's compliance problems, with the words shown to people.
TOO_FEW = 1
NO_WOMAN = 2
NO_MINORITY = 4
NO_LEADER = 8
ISSUE_LABELS = {
    TOO_FEW: "Chưa đủ 3 hòa giải viên đang hoạt động",
    NO_WOMAN: "Thiếu hòa giải viên nữ",
    NO_MINORITY: "Thiếu hòa giải viên là người dân tộc thiểu số (vùng đồng bào DTTS)",
    NO_LEADER: "Chưa có tổ trưởng được công nhận",
}


def compliance_issues(members: list[Member], ethnic_minority_area: bool) -> int:
    """Art. 12: ≥3 active mediators, a woman, a minority one in a minority area, a leader."""
    active = [m for m in members if m.active and m.recognised]
    return issues_from_counts(
        active=len(active),
        women=sum(m.sex == "F" for m in active),
        minority=sum(is_minority(m.ethnicity_code) for m in active),
        has_leader=any(m.is_leader for m in active),
        ethnic_minority_area=ethnic_minority_area,
    )


def issues_from_counts(
    active: int, women: int, minority: int, has_leader: bool, ethnic_minority_area: bool
) -> int:
    """The same rule over the counts a database query gives."""
    issues = 0
    if active < 3:
        issues |= TOO_FEW
    if women == 0:
        issues |= NO_WOMAN
    if ethnic_minority_area and minority == 0:
        issues |= NO_MINORITY
    if not has_leader:
        issues |= NO_LEADER
    return issues


def describe_issues(issues: int) -> list[str]:
    """The problems of a team in words, in a fixed order."""
    return [label for bit, label in ISSUE_LABELS.items() if issues & bit]


def add_months(day: date, months: int) -> date:
    """The same day n months later (the last day of the month when it does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def training_due(recognised_on: date | None) -> date | None:
    """A new mediator must be trained within 6 months of recognition."""
    return add_months(recognised_on, TRAINING_DUE_MONTHS) if recognised_on else None


def is_training_overdue(
    recognised_on: date | None, trained_on: date | None, active: bool, today: date
) -> bool:
    """Active, not yet trained, and the 6 months since recognition have passed."""
    due = training_due(recognised_on)
    return active and trained_on is None and due is not None and due < today


def age_problem(birth_year: int | None, today: date) -> str | None:
    """A mediator is an adult citizen: a year of birth in the future or under 18 is refused."""
    if birth_year is None:
        return "Nhập năm sinh."
    if birth_year > today.year:
        return "Năm sinh không được ở tương lai."
    if birth_year < today.year - 110:
        return "Năm sinh không hợp lệ."
    if today.year - birth_year < MIN_AGE:
        return f"Hòa giải viên phải từ đủ {MIN_AGE} tuổi."
    return None
