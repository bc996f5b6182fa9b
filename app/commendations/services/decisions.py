"""Decisions (Quyết định khen thưởng, DOMAIN.md §6): recording one over the accepted proposals
it covers (an award each, with its serial in the issuing unit's book), correcting its header,
and revoking some of its awards by another decision. They flush, never commit."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from app.clock import today
from app.commendations import rules
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
)
from app.commendations.services import (
    CommendationError,
    add_step,
    once_in_lifetime_problem,
    user_id,
)
from app.concurrency import lock_row
from app.extensions import db
from app.models import PLACED_COLUMNS
from app.security.scope import (
    in_scope,
    is_within,
    placed_in_scope,
    scope_placed,
    sees_everything,
    subtree_ids,
)
from app.units.models import Level, Unit
from app.units.services import place

REASON_MAX = 2000
# Amounts are whole đồng in an INTEGER column.
AMOUNT_MAX = 999_999_999
DEFAULT_LEGAL_BASIS = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
    "Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;"
)


@dataclass
class DecisionValues:
    """The header of a decision as typed (form and issuing unit are set on creation only)."""

    number: str = ""
    signed_on: date | None = None
    issuer_name: str = ""
    signer_title: str = ""
    signer_name: str = ""
    achievement: str = ""
    amount_vnd: int | None = 0
    legal_basis: str | None = None
    note: str | None = None
    form: str = ""


def default_issuer(form: str, unit: Unit | None) -> tuple[str, str]:
    """The issuing body and the signer's title a decision of this form usually carries:
    ("Ủy ban nhân dân huyện Mường Nhé", "Chủ tịch"), ("Bộ Tư pháp", "Bộ trưởng")."""
    if form in rules.FORMS and rules.FORMS[form].level == rules.CENTRAL:
        return "Bộ Tư pháp", "Bộ trưởng"
    if unit is None:
        return "Ủy ban nhân dân", "Chủ tịch"
    name, kind = unit.name, unit.kind_label
    # "Huyện Mường Nhé" is written "huyện Mường Nhé" after "Ủy ban nhân dân".
    if name.startswith(kind + " "):
        name = kind.lower() + name[len(kind) :]
    return f"Ủy ban nhân dân {name}", "Chủ tịch"


def default_achievement(proposals, year: int) -> str:
    """The achievement the chosen proposals share, else the usual sentence for the year."""
    texts = {" ".join(p.achievement.split()) for p in proposals}
    if len(texts) == 1:
        return texts.pop()
    return f"Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm {year}"


def number_used_message(number: str, issuer: str, year: int) -> str:
    return (
        f"Số quyết định {number.strip()} đã dùng cho một quyết định khác của {issuer.strip()} "
        f"năm {year}."
    )


def _header_problems(values: DecisionValues, except_id: int | None = None) -> list:
    """What is wrong with a decision's header (number free for the issuer and year too)."""
    problems = []
    if problem := rules.number_problem(values.number):
        problems.append(("number", problem))
    if values.signed_on is None:
        problems.append(("signed_on", "Nhập ngày ký quyết định."))
    elif values.signed_on > today():
        problems.append(("signed_on", "Ngày ký không được sau ngày hôm nay."))
    for name, label in (
        ("issuer_name", "cơ quan ban hành"),
        ("signer_title", "chức vụ người ký"),
        ("signer_name", "họ tên người ký"),
        ("achievement", "thành tích được khen thưởng"),
    ):
        if not (getattr(values, name) or "").strip():
            problems.append((name, f"Nhập {label}."))
    amount = values.amount_vnd or 0
    if amount < 0:
        problems.append(("amount_vnd", "Số tiền thưởng không được âm."))
    elif amount > AMOUNT_MAX:
        problems.append(("amount_vnd", "Số tiền thưởng quá lớn."))
    if not problems and _number_taken(values, except_id):
        year = values.signed_on.year
        problems.append(("number", number_used_message(values.number, values.issuer_name, year)))
    return problems


def _number_taken(values: DecisionValues, except_id: int | None) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    CommendationDecision.issuer_folded == rules.issuer_key(values.issuer_name),
                    CommendationDecision.year == values.signed_on.year,
                    CommendationDecision.number_folded == rules.number_key(values.number),
                    CommendationDecision.id != (except_id or 0),
                )
            )
        )
    )


def _set_header(decision: CommendationDecision, values: DecisionValues) -> None:
    decision.number = " ".join(values.number.split())
    decision.number_folded = rules.number_key(values.number)
    decision.signed_on = values.signed_on
    decision.year = values.signed_on.year
    decision.issuer_name = " ".join(values.issuer_name.split())
    decision.issuer_folded = rules.issuer_key(values.issuer_name)
    decision.signer_title = values.signer_title.strip()
    decision.signer_name = values.signer_name.strip()
    decision.achievement = values.achievement.strip()
    decision.amount_vnd = values.amount_vnd or 0
    decision.legal_basis = (values.legal_basis or "").strip() or None
    decision.note = (values.note or "").strip() or None


def issuing_unit_problem(user, unit: Unit | None) -> str | None:
    """A decision is issued by a body of the user's subtree, at commune level or above."""
    if unit is None or unit.level > Level.COMMUNE or not in_scope(user, unit.id):
        return "Chọn cơ quan ban hành trong phạm vi của bạn (cấp tỉnh, huyện hoặc xã)."
    return None


def candidates_query(user, form: str):
    """Accepted proposals of a form that the user sees and that an office of their subtree
    holds: what a decision of theirs may cover."""
    stmt = select(CommendationProposal).where(
        CommendationProposal.status == "accepted", CommendationProposal.form == form
    )
    stmt = scope_placed(stmt, CommendationProposal, user)
    if not sees_everything(user):
        stmt = stmt.where(CommendationProposal.holder_unit_id.in_(subtree_ids(user.unit_id)))
    return stmt.order_by(CommendationProposal.nominee_folded, CommendationProposal.id)


def _proposal_problems(user, unit: Unit, form: str, proposals, ids) -> list:
    """Each chosen proposal must be accepted, of the decision's form, visible to the user,
    held within their subtree and placed within the issuing unit."""
    problems = []
    # One the user may not see is not named: that would tell them it exists.
    if len(proposals) != len(ids) or not all(placed_in_scope(user, p) for p in proposals):
        problems.append(
            ("proposals", "Một số đề nghị đã chọn không có hoặc không thuộc phạm vi của bạn.")
        )
    column = PLACED_COLUMNS[unit.level]
    for p in proposals:
        if not placed_in_scope(user, p):
            continue
        if not (sees_everything(user) or is_within(p.holder_unit_id, user.unit_id)):
            why = "đang do cơ quan ngoài phạm vi của bạn xét"
        elif p.status != "accepted":
            why = f"chưa được chấp thuận ({p.status_label.lower()})"
        elif p.form != form:
            why = f"đề nghị hình thức khác ({p.form_label})"
        elif getattr(p, column) != unit.id:
            why = f"không thuộc {unit.name}"
        else:
            why = once_in_lifetime_problem(form, p.mediator_id, p.id)
        if why:
            problems.append(("proposals", f"{p.nominee_name}: {why}"))
    return problems


def create_decision(
    user, unit: Unit | None, values: DecisionValues, proposal_ids: list[int]
) -> CommendationDecision:
    """Record a decision over accepted proposals of its form: one award each, numbered in
    the issuing unit's book for the year; the proposals become decided. Officers, admins."""
    problems = []
    if values.form not in rules.FORMS:
        problems.append(("form", "Chọn hình thức khen thưởng."))
    if problem := issuing_unit_problem(user, unit):
        problems.append(("unit", problem))
    ids = list(dict.fromkeys(proposal_ids))
    if not ids:
        problems.append(("proposals", "Chọn ít nhất một đề nghị đã được chấp thuận."))
    problems += _header_problems(values)
    if problems:
        raise CommendationError(problems)
    # Writers of one book wait for each other: the serials follow without a gap or a twin,
    # and the proposals are read after the wait (one decided meanwhile is refused).
    lock_row(Unit, unit.id)
    proposals = db.session.scalars(
        select(CommendationProposal)
        .where(CommendationProposal.id.in_(ids))
        .order_by(CommendationProposal.nominee_folded, CommendationProposal.id)
    ).all()
    if problems := _proposal_problems(user, unit, values.form, proposals, ids):
        raise CommendationError(problems)
    decision = CommendationDecision(form=values.form, created_by_id=user_id(user))
    _set_header(decision, values)
    place(decision, unit)
    _insert_decision(decision, values)
    serial = _last_serial(unit.id, decision.year)
    for proposal in proposals:
        serial += 1
        db.session.add(CommendationAward.of(decision, proposal, serial))
        proposal.status = "decided"
        add_step(proposal, "decide", user, from_unit_id=unit.id, reason=decision.number)
    db.session.flush()
    return decision


def _insert_decision(decision: CommendationDecision, values: DecisionValues) -> None:
    """Add and flush the new decision (its id is needed by the awards)."""
    db.session.add(decision)
    _flush_number(values)


def _flush_number(values: DecisionValues) -> None:
    """Flush a decision's number in a savepoint: a number taken meanwhile by a concurrent
    save (the unique constraint) is refused with the same words as the check before it."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        text = str(error.orig)
        if "uq_commendation_decisions_number" not in text and "decisions.number" not in text:
            raise
        message = number_used_message(values.number, values.issuer_name, values.signed_on.year)
        raise CommendationError(message, "number") from None


def _last_serial(unit_id: int, year: int) -> int:
    return (
        db.session.scalar(
            select(func.max(CommendationAward.serial)).where(
                CommendationAward.book_unit_id == unit_id, CommendationAward.year == year
            )
        )
        or 0
    )


def update_decision(decision: CommendationDecision, user, values: DecisionValues):
    """Correct a decision's header (the audit keeps what it said before); the amount goes to
    its awards too. The year stays: the serials were given in that year's book. Managers."""
    problems = _header_problems(values, except_id=decision.id)
    if values.signed_on and values.signed_on.year != decision.year:
        problems.append(
            (
                "signed_on",
                f"Ngày ký phải trong năm {decision.year}: số khen thưởng đã cấp theo sổ năm "
                f"{decision.year}.",
            )
        )
    if problems:
        raise CommendationError(problems)
    _set_header(decision, values)
    for award in db.session.scalars(
        select(CommendationAward).where(CommendationAward.decision_id == decision.id)
    ):
        award.amount_vnd = decision.amount_vnd
    _flush_number(values)
    return decision
