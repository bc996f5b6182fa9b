"""The printed documents of commendation (Decree 30/2020 layout): a decision with its annex,
and the certificates (giấy khen, bằng khen) of its awards. Everything a page prints is gathered
here in a fixed number of queries, whatever the number of recipients; the wording rules are
plain functions over plain values."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.rules import CENTRAL, FORMS, PERSON_KINDS, amount_text, serial_text
from app.documents import short_name
from app.extensions import db
from app.logbook.money import amount_in_words
from app.text import fold
from app.units.models import KINDS, Level, Unit

COMMITTEE = "Ủy ban nhân dân"
MINISTRY_PLACE = "Hà Nội"
# Deputies sign "KT. <head>" above their own title (Decree 30/2020, Appendix I).
DEPUTIES = {"pho ": None, "thu truong": "Bộ trưởng"}
SALUTATIONS = {"M": "Ông", "F": "Bà"}
NO_CERTIFICATE = "Hình thức “{label}” không in giấy khen/bằng khen tại đây."
NO_DECISION = "Đề nghị này chưa có quyết định khen thưởng: chưa in được giấy khen."


# Wording (pure)


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


@dataclass
class Letter:
    """The issuing body's pieces of a decision and of its certificates."""

    body: tuple[str, ...]
    authority: str
    signature: tuple[str, ...]
    signer_name: str
    place_date: str
    dated: str  # "ngày 20 tháng 12 năm 2025"
    reference: str  # "Quyết định số 2145/QĐ-UBND ngày 20/12/2025"


@dataclass
class Recipient:
    """One award as printed: the proposal it came from and its revocation, if any."""

    award: CommendationAward
    proposal: CommendationProposal
    revocation: CommendationRevocation | None

    @property
    def is_collective(self) -> bool:
        return self.proposal.nominee_kind not in PERSON_KINDS

    @property
    def salutation(self) -> str:
        if self.is_collective:
            return ""
        return SALUTATIONS.get(self.proposal.nominee_sex or "", "")

    @property
    def serial(self) -> str:
        return serial_text(self.award.serial, self.award.year)

    @property
    def achievement(self) -> str:
        return capitalised(achievement_phrase(self.proposal.achievement))

    @property
    def revoked_note(self) -> str | None:
        if self.revocation is None:
            return None
        return (
            f"đã thu hồi theo Quyết định số {self.revocation.number} ngày "
            f"{self.revocation.signed_on:%d/%m/%Y}"
        )


@dataclass
class DecisionDocument:
    """A decision as printed, with its annex: the recipients, collectives first."""

    decision: CommendationDecision
    letter: Letter
    recipients: list[Recipient]
    certificate: str | None
    title: str = ""
    articles: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)
    annex_title: str = ""
    annex_reference: str = ""

    @property
    def collectives(self) -> list[Recipient]:
        return [r for r in self.recipients if r.is_collective]

    @property
    def persons(self) -> list[Recipient]:
        return [r for r in self.recipients if not r.is_collective]

    @property
    def total(self) -> int:
        return sum(r.award.amount_vnd for r in self.recipients)

    @property
    def printable(self) -> list[Recipient]:
        """The certificates to print: awards not revoked."""
        return [r for r in self.recipients if r.revocation is None]


def letter_of(decision: CommendationDecision, unit: Unit) -> Letter:
    place = MINISTRY_PLACE if FORMS[decision.form].level == CENTRAL else short_name(unit)
    dated = long_date(decision.signed_on)
    return Letter(
        body=body_lines(decision.issuer_name),
        authority=authority(decision.signer_title, decision.issuer_name),
        signature=signature_lines(decision.signer_title),
        signer_name=decision.signer_name,
        place_date=f"{place}, {dated}",
        dated=dated,
        reference=f"Quyết định số {decision.number} ngày {decision.signed_on:%d/%m/%Y}",
    )


def recipients_of(
    *, decision_id: int | None = None, proposal_id: int | None = None
) -> list[Recipient]:
    """The awards of a decision (or the one of a proposal) with their proposal and
    revocation: one query. Collectives first, then by serial."""
    stmt = (
        select(CommendationAward, CommendationProposal, CommendationRevocation)
        .join(CommendationProposal, CommendationProposal.id == CommendationAward.proposal_id)
        .outerjoin(
            CommendationRevocation,
            CommendationRevocation.id == CommendationAward.revocation_id,
        )
        .order_by(CommendationAward.serial, CommendationAward.id)
    )
    if decision_id is not None:
        stmt = stmt.where(CommendationAward.decision_id == decision_id)
    if proposal_id is not None:
        stmt = stmt.where(CommendationAward.proposal_id == proposal_id)
    rows = [Recipient(*row) for row in db.session.execute(stmt).tuples()]
    return sorted(rows, key=lambda r: not r.is_collective)


def decision_document(decision: CommendationDecision) -> DecisionDocument:
    """Everything the printed decision and its certificates show (two queries: the issuing
    unit, the awards with their proposals and revocations)."""
    unit = db.session.get(Unit, decision.unit_id)
    document = DecisionDocument(
        decision=decision,
        letter=letter_of(decision, unit),
        recipients=recipients_of(decision_id=decision.id),
        certificate=FORMS[decision.form].certificate,
    )
    _word(document, unit)
    return document


def _word(document: DecisionDocument, unit: Unit) -> None:
    """The title, the basis and the articles of the decision."""
    decision, letter = document.decision, document.letter
    collectives, persons = len(document.collectives), len(document.persons)
    grant = grant_words(decision.form)
    achievement = achievement_phrase(decision.achievement)
    whom = recipients_words(collectives, persons, counted=False)
    document.title = f"Về việc {grant} cho {whom} {achievement}"
    document.basis = [
        *basis_lines(decision.legal_basis, decision.form, decision.signed_on),
        proposer_line(unit),
    ]
    counted = recipients_words(collectives, persons, counted=True)
    articles = [
        f"{capitalised(grant)} cho {counted} có tên trong danh sách kèm theo, {achievement}."
    ]
    if document.total > 0:
        amounts = {r.award.amount_vnd for r in document.recipients}
        if amounts == {decision.amount_vnd}:
            each = (
                f"{each_words(collectives, persons)} được thưởng "
                f"{money_words(decision.amount_vnd)}."
            )
        else:
            each = "Tiền thưởng của từng tập thể, cá nhân theo danh sách kèm theo."
        articles.append(
            f"{each} Tổng số tiền thưởng: {money_words(document.total)}, chi từ nguồn kinh phí "
            "thi đua, khen thưởng theo quy định."
        )
    articles.append(
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các cơ quan, "
        "đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
        "hành Quyết định này."
    )
    document.articles = articles
    document.annex_title = (
        f"{recipients_words(collectives, persons, counted=False).removeprefix('các ')} được {grant}"
    ).upper()
    document.annex_reference = (
        f"Kèm theo Quyết định số {decision.number} {letter.dated} của {letter.authority}"
    )


def certificate_letter(decision: CommendationDecision) -> Letter:
    """The letter of one award's certificate (one query: the issuing unit)."""
    return letter_of(decision, db.session.get(Unit, decision.unit_id))


def award_of_proposal(proposal: CommendationProposal) -> Recipient | None:
    """The award a decision made of this proposal, with its revocation (one query)."""
    found = recipients_of(proposal_id=proposal.id)
    return found[0] if found else None


def certificate_problem(form: str, recipient: Recipient | None = None) -> str | None:
    """Why no certificate is printed: a form without one, or an award revoked."""
    if not FORMS[form].certificate:
        return NO_CERTIFICATE.format(label=FORMS[form].label)
    if recipient is not None and recipient.revocation is not None:
        return (
            f"Khen thưởng này đã bị thu hồi theo Quyết định số {recipient.revocation.number} "
            f"ngày {recipient.revocation.signed_on:%d/%m/%Y}: không in giấy khen/bằng khen."
        )
    return None
