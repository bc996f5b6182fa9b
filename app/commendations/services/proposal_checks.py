"""What a proposal must say, checked before it is made or changed (DOMAIN.md §6): the form
fits the nominee (persons only, once in a lifetime), the achievement and the note are given and
not too long, the period is whole years up to this year, a typed-in nominee has a name. Each
problem comes with the field it belongs to."""

from dataclasses import dataclass

from app.clock import today
from app.commendations.rules import FORMS, PERSON_KINDS
from app.commendations.services import once_in_lifetime_problem
from app.registry.rules import SEX_LABELS
from app.text import normalize

FIRST_YEAR = 2000
ACHIEVEMENT_LENGTH = 2000
NOTE_LENGTH = 2000
NAME_LENGTH = 200
DETAIL_LENGTH = 300


@dataclass
class OtherNominee:
    """A person or an organisation outside the registry that supported mediation, typed in:
    placed at the unit chosen."""

    kind: str  # "person" | "organisation"
    name: str
    unit_id: int | None
    birth_year: int | None = None
    sex: str | None = None
    detail: str | None = None


def normalize_text(text: str | None) -> str:
    """Free text as stored: trimmed, line breaks kept."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())


def value_errors(
    kind: str,
    mediator_id: int | None,
    form: str,
    achievement: str | None,
    period_start: int | None,
    period_end: int | None,
    basis_note: str | None,
    except_id: int | None = None,
) -> list[tuple[str, str]]:
    """What is wrong with a proposal's form, achievement, period and note, each with the
    field it belongs to (empty when nothing)."""
    errors = []
    chosen = FORMS.get(form)
    if chosen is None:
        errors.append(("form", "Chọn hình thức khen thưởng."))
    elif chosen.persons_only and kind not in PERSON_KINDS:
        errors.append(("form", f"{chosen.label} chỉ tặng cho cá nhân, không tặng cho tập thể."))
    else:
        problem = once_in_lifetime_problem(form, mediator_id, except_id)
        if problem:
            errors.append(("form", problem))
    text = normalize_text(achievement)
    if not text:
        errors.append(("achievement", "Nhập thành tích của người/tập thể được đề nghị."))
    elif len(text) > ACHIEVEMENT_LENGTH:
        errors.append(("achievement", f"Thành tích viết tối đa {ACHIEVEMENT_LENGTH} ký tự."))
    if len(normalize_text(basis_note)) > NOTE_LENGTH:
        errors.append(("basis_note", f"Ghi chú viết tối đa {NOTE_LENGTH} ký tự."))
    errors += period_errors(period_start, period_end)
    return errors


def period_errors(start: int | None, end: int | None) -> list[tuple[str, str]]:
    """The period is whole years, from 2000 to this year, the first not after the last."""
    this_year = today().year
    errors = []
    if start is None:
        errors.append(("period_start", "Nhập năm bắt đầu của thời gian lập thành tích."))
    elif not FIRST_YEAR <= start <= this_year:
        errors.append(("period_start", f"Năm bắt đầu phải từ {FIRST_YEAR} đến {this_year}."))
    if end is None:
        errors.append(("period_end", "Nhập năm kết thúc của thời gian lập thành tích."))
    elif not FIRST_YEAR <= end <= this_year:
        errors.append(("period_end", f"Năm kết thúc phải từ {FIRST_YEAR} đến {this_year}."))
    elif start is not None and start > end:
        errors.append(("period_end", "Năm kết thúc không được trước năm bắt đầu."))
    return errors


def other_nominee_errors(nominee: OtherNominee) -> list[tuple[str, str]]:
    """A typed-in person or organisation: a name, a sensible birth year and sex."""
    errors = []
    name = normalize(nominee.name)
    if not name:
        errors.append(("nominee_name", "Nhập họ tên người hoặc tên tập thể được đề nghị."))
    elif len(name) > NAME_LENGTH:
        errors.append(("nominee_name", f"Tên viết tối đa {NAME_LENGTH} ký tự."))
    if nominee.kind == "person":
        year = nominee.birth_year
        if year is not None and not 1900 <= year <= today().year:
            errors.append(("nominee_birth_year", "Năm sinh không hợp lệ."))
        if nominee.sex and nominee.sex not in SEX_LABELS:
            errors.append(("nominee_sex", "Chọn giới tính."))
    if len(normalize(nominee.detail)) > DETAIL_LENGTH:
        errors.append(("nominee_detail", f"Chức vụ, đơn vị viết tối đa {DETAIL_LENGTH} ký tự."))
    return errors
