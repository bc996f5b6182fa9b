"""The printed documents of commendation (Decree 30/2020 layout): a decision with its annex,
and the certificates (giấy khen, bằng khen) of its awards. Everything a page prints is gathered
here in a fixed number of queries, whatever the number of recipients; the wording is in
wording.py."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.rules import CENTRAL, FORMS, PERSON_KINDS, serial_text
from app.commendations.services.wording import (
    achievement_phrase,
    authority,
    basis_lines,
    body_lines,
    capitalised,
    each_words,
    grant_words,
    long_date,
    money_words,
    proposer_line,
    recipients_words,
    signature_lines,
)
from app.documents import short_name
from app.extensions import db
from app.units.models import Unit

MINISTRY_PLACE = "Hà Nội"
SALUTATIONS = {"M": "Ông", "F": "Bà"}
NO_CERTIFICATE = "Hình thức “{label}” không in giấy khen/bằng khen tại đây."
NO_DECISION = "Đề nghị này chưa có quyết định khen thưởng: chưa in được giấy khen."


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
