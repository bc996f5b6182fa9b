"""The rules of commendation as plain values (DOMAIN.md §6): the forms and who may grant them,
the way a proposal travels up the unit tree, and the warnings a reviewer reads. No request,
no session: tested directly, used by the services, the forms and the templates alike."""

import re
from dataclasses import dataclass

from app.text import fold
from app.units.models import Level

# The level that grants a form (Level values; 0 = the Ministry, above every unit of the tree).
CENTRAL = 0


@dataclass(frozen=True)
class Form:
    """A form of commendation: its label, the level that grants it, the title printed on the
    certificate (None: no certificate is printed here) and whether a person may receive it
    once in a lifetime only."""

    label: str
    level: int
    certificate: str | None
    once_in_lifetime: bool = False
    persons_only: bool = False
    issuer_hint: str = ""


FORMS: dict[str, Form] = {
    "bieu_duong": Form("Biểu dương", Level.COMMUNE, None, issuer_hint="Cơ quan đề nghị"),
    "giay_khen_xa": Form(
        "Giấy khen của Chủ tịch UBND cấp xã",
        Level.COMMUNE,
        "GIẤY KHEN",
        issuer_hint="Ủy ban nhân dân xã",
    ),
    "giay_khen_huyen": Form(
        "Giấy khen của Chủ tịch UBND cấp huyện",
        Level.DISTRICT,
        "GIẤY KHEN",
        issuer_hint="Ủy ban nhân dân huyện",
    ),
    "bang_khen_tinh": Form(
        "Bằng khen của Chủ tịch UBND cấp tỉnh",
        Level.PROVINCE,
        "BẰNG KHEN",
        issuer_hint="Ủy ban nhân dân tỉnh",
    ),
    "bang_khen_bo": Form(
        "Bằng khen của Bộ trưởng Bộ Tư pháp", CENTRAL, "BẰNG KHEN", issuer_hint="Bộ Tư pháp"
    ),
    "ky_niem_chuong": Form(
        "Kỷ niệm chương “Vì sự nghiệp Tư pháp”",
        CENTRAL,
        None,
        once_in_lifetime=True,
        persons_only=True,
        issuer_hint="Bộ Tư pháp",
    ),
}

NOMINEE_KIND_LABELS = {
    "mediator": "Hòa giải viên",
    "team": "Tổ hòa giải",
    "person": "Cá nhân khác",
    "organisation": "Tập thể, tổ chức khác",
}
PERSON_KINDS = frozenset({"mediator", "person"})

PROPOSAL_STATUS_LABELS = {
    "submitted": "Chờ xét",
    "accepted": "Đã chấp thuận",
    "returned": "Bị trả lại",
    "withdrawn": "Đã rút",
    "decided": "Đã có quyết định",
}
# Statuses a proposal may still be changed by its proposer in.
EDITABLE_STATUSES = frozenset({"submitted", "returned"})
# Statuses that still count as "proposed" (a second proposal for the same once-in-a-lifetime
# form is refused while one of these exists).
OPEN_STATUSES = frozenset({"submitted", "accepted", "decided"})

STEP_LABELS = {
    "submit": "Đề nghị",
    "forward": "Chuyển lên cấp trên",
    "accept": "Chấp thuận",
    "return": "Trả lại",
    "resubmit": "Đề nghị lại",
    "withdraw": "Rút đề nghị",
    "decide": "Có quyết định khen thưởng",
    "revoke": "Thu hồi khen thưởng",
}

# Offices that review proposals sit at a province or a district (DOMAIN.md §1).
OFFICE_LEVELS = frozenset({Level.PROVINCE, Level.DISTRICT})


def form_choices(nominee_kind: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of the forms a nominee of this kind may receive, for select fields."""
    return [
        (code, form.label)
        for code, form in FORMS.items()
        if not (form.persons_only and nominee_kind and nominee_kind not in PERSON_KINDS)
    ]


def may_accept(form: str, office_level: int, office_is_top: bool) -> bool:
    """May an office of this level accept a proposal for this form? Up to its own level; the
    top office of the tree also accepts the Ministry's forms (it submits them to the Ministry,
    whose decision it then records)."""
    return FORMS[form].level >= office_level or office_is_top


def warnings(
    *,
    dismissed: bool = False,
    team_compliant: bool | None = None,
    team_name: str | None = None,
    team_dissolved: bool = False,
) -> list[str]:
    """What argues against a proposal, in words: a reviewer may still accept it."""
    found = []
    if dismissed:
        found.append("Người được đề nghị đã thôi làm hòa giải viên.")
    if team_dissolved:
        found.append(f"{team_name or 'Tổ hòa giải'} đã giải thể.")
    if team_compliant is False:
        found.append(
            f"{team_name or 'Tổ hòa giải'} hiện chưa đủ số lượng, thành phần theo quy định."
        )
    return found


NUMBER_PATTERN = re.compile(r"^\d{1,6}/[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-]*$")


def number_problem(number: str | None) -> str | None:
    """A decision number as printed: "123/QĐ-UBND"."""
    text = (number or "").strip()
    if not text:
        return "Nhập số quyết định."
    if not NUMBER_PATTERN.match(text):
        return "Số quyết định viết như “123/QĐ-UBND”: số, dấu “/”, rồi ký hiệu."
    return None


def number_key(number: str) -> str:
    """The number as compared for uniqueness: case, spaces and diacritics do not matter."""
    return fold(re.sub(r"\s+", "", number or ""))


def issuer_key(name: str) -> str:
    return fold(" ".join((name or "").split()))


def serial_text(serial: int, year: int) -> str:
    """The certificate's number in the issuing unit's book: "015/2026"."""
    return f"{serial:03d}/{year}"


def amount_text(amount: int) -> str:
    """1500000 -> "1.500.000"."""
    return f"{amount:,}".replace(",", ".")
