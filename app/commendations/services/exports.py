"""The lists of proposals and decisions as .xlsx/.csv, for the registry's writer
(app/registry/excel/export.py): the list page's filters, scope and order, every row rather
than a page. A list of decisions is exported one row per award (per recipient)."""

from sqlalchemy import Select, func
from sqlalchemy.orm import aliased

from app.clock import VIETNAM_OFFSET
from app.commendations.forms.lists import DecisionFilters, ProposalFilters
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.rules import (
    FORMS,
    NOMINEE_KIND_LABELS,
    PROPOSAL_STATUS_LABELS,
    serial_text,
)
from app.commendations.services.queries import basis_summary, decisions_stmt, proposals_stmt
from app.registry.excel.lists import ExportKind
from app.text import format_date
from app.units.models import Unit

Place = aliased(Unit, name="place")
Proposer = aliased(Unit, name="proposer")
Holder = aliased(Unit, name="holder")


def form_label(code: str) -> str:
    return FORMS[code].label if code in FORMS else code


def period_text(start: int, end: int) -> str:
    return str(end) if start == end else f"{start}–{end}"


def _proposals(user, f: ProposalFilters) -> Select:
    order = CommendationProposal.id.desc()
    stmt = (
        proposals_stmt(user, f)
        .join(Place, Place.id == CommendationProposal.unit_id)
        .join(Proposer, Proposer.id == CommendationProposal.proposer_unit_id)
        .join(Holder, Holder.id == CommendationProposal.holder_unit_id)
        .outerjoin(CommendationAward, CommendationAward.proposal_id == CommendationProposal.id)
        .outerjoin(CommendationDecision, CommendationDecision.id == CommendationAward.decision_id)
    )
    return stmt.with_only_columns(
        func.row_number().over(order_by=order).label("n"),
        CommendationProposal.nominee_name,
        CommendationProposal.nominee_kind,
        CommendationProposal.nominee_birth_year,
        CommendationProposal.nominee_detail,
        Place.name.label("place_name"),
        CommendationProposal.form,
        CommendationProposal.achievement,
        CommendationProposal.period_start,
        CommendationProposal.period_end,
        CommendationProposal.prize_name,
        CommendationProposal.basis_successful,
        CommendationProposal.basis_failed,
        CommendationProposal.basis_compliant,
        CommendationProposal.basis_service_years,
        CommendationProposal.basis_trained,
        CommendationProposal.basis_note,
        Proposer.name.label("proposer_name"),
        Holder.name.label("holder_name"),
        CommendationProposal.status,
        CommendationDecision.number.label("decision_number"),
        CommendationDecision.signed_on.label("decision_date"),
        CommendationAward.revocation_id,
        CommendationProposal.created_at,
    ).order_by(order)


def _decision_text(row) -> str | None:
    if not row.decision_number:
        return None
    text = f"{row.decision_number} ngày {format_date(row.decision_date)}"
    return f"{text} (đã thu hồi)" if row.revocation_id else text


def _proposal_cells(row) -> list:
    status = PROPOSAL_STATUS_LABELS.get(row.status, row.status)
    return [
        row.n,
        row.nominee_name,
        NOMINEE_KIND_LABELS.get(row.nominee_kind, row.nominee_kind),
        row.nominee_birth_year,
        row.nominee_detail or row.place_name,
        form_label(row.form),
        row.achievement,
        period_text(row.period_start, row.period_end),
        basis_summary(row, full=True),
        row.proposer_name,
        row.holder_name if row.status in ("submitted", "accepted") else None,
        status,
        _decision_text(row),
        (row.created_at + VIETNAM_OFFSET).date(),
    ]


def _decisions(user, f: DecisionFilters) -> Select:
    stmt = (
        decisions_stmt(user, f)
        .join(CommendationAward, CommendationAward.decision_id == CommendationDecision.id)
        .join(CommendationProposal, CommendationProposal.id == CommendationAward.proposal_id)
        .join(Place, Place.id == CommendationProposal.unit_id)
        .outerjoin(
            CommendationRevocation,
            CommendationRevocation.id == CommendationAward.revocation_id,
        )
    )
    return stmt.with_only_columns(
        CommendationDecision.number,
        CommendationDecision.signed_on,
        CommendationDecision.issuer_name,
        CommendationDecision.form,
        CommendationAward.serial,
        CommendationAward.year,
        CommendationProposal.nominee_name,
        CommendationProposal.nominee_birth_year,
        CommendationProposal.nominee_detail,
        Place.name.label("place_name"),
        CommendationProposal.achievement,
        CommendationAward.amount_vnd,
        CommendationRevocation.number.label("revocation_number"),
        CommendationRevocation.signed_on.label("revocation_date"),
    ).order_by(CommendationDecision.id.desc(), CommendationAward.serial, CommendationAward.id)


def _award_cells(row) -> list:
    revoked = None
    if row.revocation_number:
        revoked = f"{row.revocation_number} ngày {format_date(row.revocation_date)}"
    return [
        row.number,
        row.signed_on,
        row.issuer_name,
        form_label(row.form),
        serial_text(row.serial, row.year),
        row.nominee_name,
        row.nominee_birth_year,
        row.nominee_detail or row.place_name,
        row.achievement,
        row.amount_vnd,
        revoked,
    ]


PROPOSALS = ExportKind(
    "commendation_proposals",
    "Đề nghị khen thưởng",
    "de-nghi-khen-thuong",
    "commendations.proposals",
    ProposalFilters,
    (
        ("STT", 6),
        ("Người/tập thể được đề nghị", 28),
        ("Loại", 16),
        ("Năm sinh", 10),
        ("Đơn vị", 32),
        ("Hình thức", 30),
        ("Thành tích", 40),
        ("Giai đoạn", 11),
        ("Căn cứ", 40),
        ("Đơn vị đề nghị", 24),
        ("Đang xét tại", 24),
        ("Trạng thái", 16),
        ("Quyết định", 26),
        ("Ngày đề nghị", 13),
    ),
    _proposals,
    _proposal_cells,
)

AWARDS = ExportKind(
    "commendation_awards",
    "Khen thưởng",
    "quyet-dinh-khen-thuong",
    "commendations.decisions",
    DecisionFilters,
    (
        ("Số QĐ", 16),
        ("Ngày", 12),
        ("Cơ quan ban hành", 28),
        ("Hình thức", 30),
        ("Số vào sổ", 11),
        ("Người/tập thể", 28),
        ("Năm sinh", 10),
        ("Đơn vị", 32),
        ("Thành tích", 40),
        ("Số tiền (đồng)", 14),
        ("Thu hồi", 24),
    ),
    _decisions,
    _award_cells,
)
