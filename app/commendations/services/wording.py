"""The wording of the printed commendation documents (Decree 30/2020 layout): plain functions
over plain values — dates in words, the issuer's and signer's lines, the articles' phrases,
the legal bases and amounts in words."""

from datetime import date

from app.commendations.rules import CENTRAL, FORMS, amount_text
from app.logbook.money import amount_in_words
from app.text import fold
from app.units.models import KINDS, Level, Unit

COMMITTEE = "Ủy ban nhân dân"
# Deputies sign "KT. <head>" above their own title (Decree 30/2020, Appendix I).
DEPUTIES = {"pho ": None, "thu truong": "Bộ trưởng"}


def long_date(when: date) -> str:
    """ "ngày 05 tháng 02 năm 2026": days below 10 and months 1-2 take a leading 0."""
    month = f"{when.month:02d}" if when.month <= 2 else str(when.month)
    return f"ngày {when.day:02d} tháng {month} năm {when.year}"


def issuer_text(issuer_name: str) -> str:
    """The issuing body as written in a sentence: "UBND huyện X" → "Ủy ban nhân dân huyện X"."""
    name = " ".join((issuer_name or "").split())
    if fold(name).startswith("ubnd "):
        return f"{COMMITTEE} {name[5:]}"
    return name


def body_lines(issuer_name: str) -> tuple[str, ...]:
    """The header of the issuing body, upper case: ("ỦY BAN NHÂN DÂN", "HUYỆN MƯỜNG NHÉ") for a
    People's Committee, the name on one line otherwise ("BỘ TƯ PHÁP")."""
    name = issuer_text(issuer_name)
    if fold(name).startswith(fold(COMMITTEE) + " "):
        return (COMMITTEE.upper(), name[len(COMMITTEE) + 1 :].upper())
    return (name.upper(),)


def head_title(signer_title: str) -> str:
    """The head of the body a signer acts for: "Phó Chủ tịch" → "Chủ tịch"; "Thứ trưởng" →
    "Bộ trưởng"; a head's own title as it is."""
    title = " ".join((signer_title or "").split())
    folded = fold(title)
    for prefix, head in DEPUTIES.items():
        if folded.startswith(prefix):
            rest = head or title[len(prefix) :]
            return rest[:1].upper() + rest[1:]
    return title


def signature_lines(signer_title: str) -> tuple[str, ...]:
    """The title lines above the signature: ("CHỦ TỊCH",) or ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")."""
    title = " ".join((signer_title or "").split())
    head = head_title(title)
    if head != title:
        return (f"KT. {head.upper()}", title.upper())
    return (title.upper(),)


def authority(signer_title: str, issuer_name: str) -> str:
    """Who decides, in a sentence: "Chủ tịch Ủy ban nhân dân huyện Mường Nhé"."""
    return f"{head_title(signer_title)} {issuer_text(issuer_name)}"


def in_sentence(unit_name: str, kind: str) -> str:
    """A unit's name inside a sentence: "Huyện Mường Nhé" → "huyện Mường Nhé"."""
    label = KINDS.get(kind, (None, ""))[1]
    if label and unit_name.startswith(label + " "):
        return label.lower() + unit_name[len(label) :]
    return unit_name


def achievement_phrase(text: str) -> str:
    """An achievement as the decision words it, after the nominee: "đã có thành tích …"."""
    phrase = " ".join((text or "").split()).rstrip(" .;")
    folded = fold(phrase)
    if folded.startswith("da co thanh tich"):
        return phrase[:1].lower() + phrase[1:]
    if folded.startswith("co thanh tich"):
        return "đã " + phrase[:1].lower() + phrase[1:]
    return "đã có thành tích " + phrase[:1].lower() + phrase[1:]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def grant_words(form: str) -> str:
    """What the decision does: "tặng Giấy khen", "biểu dương", "tặng Kỷ niệm chương …"."""
    spec = FORMS[form]
    if spec.certificate:
        return f"tặng {spec.certificate.capitalize()}"
    if form == "bieu_duong":
        return "biểu dương"
    return f"tặng {spec.label}"


def recipients_words(collectives: int, persons: int, counted: bool) -> str:
    """ "2 tập thể và 10 cá nhân" (counted) or "các tập thể và cá nhân"; a zero part left out."""
    if counted:
        parts = [f"{n} {noun}" for n, noun in ((collectives, "tập thể"), (persons, "cá nhân")) if n]
        return " và ".join(parts)
    nouns = [noun for n, noun in ((collectives, "tập thể"), (persons, "cá nhân")) if n]
    if not nouns:
        return ""
    plural = "các " if collectives + persons > 1 else ""
    return plural + " và ".join(nouns)


def each_words(collectives: int, persons: int) -> str:
    """ "Mỗi tập thể, cá nhân" / "Mỗi cá nhân" / "Mỗi tập thể"."""
    nouns = [noun for n, noun in ((collectives, "tập thể"), (persons, "cá nhân")) if n]
    return "Mỗi " + ", ".join(nouns or ["cá nhân"])


def law_of_local_government(signed_on: date) -> str:
    """The Law on the Organisation of Local Government in force on the day of signing."""
    if signed_on >= date(2025, 7, 1):
        return "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    if signed_on >= date(2025, 3, 1):
        return "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;"
    return "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"


def default_basis(form: str, signed_on: date) -> list[str]:
    """The legal basis printed when the decision records none."""
    local = [] if FORMS[form].level == CENTRAL else [law_of_local_government(signed_on)]
    return [
        *local,
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
        "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;",
    ]


def basis_lines(legal_basis: str | None, form: str, signed_on: date) -> list[str]:
    """The decision's own basis, one line each, or the default one."""
    lines = [" ".join(line.split()) for line in (legal_basis or "").splitlines()]
    return [line for line in lines if line] or default_basis(form, signed_on)


def proposer_line(unit: Unit) -> str:
    """ "Xét đề nghị của Trưởng phòng Tư pháp huyện Mường Nhé." — the justice office of the
    issuing unit, which brings the proposals to the body that signs."""
    name = in_sentence(unit.name, unit.kind)
    who = {
        Level.PROVINCE: "Giám đốc Sở Tư pháp",
        Level.DISTRICT: "Trưởng phòng Tư pháp",
    }.get(Level(unit.level), "công chức Tư pháp - Hộ tịch")
    return f"Xét đề nghị của {who} {name}."


def money_words(amount: int) -> str:
    """ "500.000 đồng (Năm trăm nghìn đồng)"."""
    return f"{amount_text(amount)} đồng ({amount_in_words(amount)})"


# What a page prints
