"""Commendation (khen thưởng, DOMAIN.md §6): proposals and their review trail, decisions, the
awards they make (one per accepted proposal, with its certificate's serial) and revocations."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.commendations.rules import (
    FORMS,
    NOMINEE_KIND_LABELS,
    PROPOSAL_STATUS_LABELS,
    STEP_LABELS,
)
from app.extensions import db
from app.models import Placed, Timestamped, Versioned, folded_text


class CommendationProposal(Placed, Timestamped, Versioned, db.Model):
    """A proposal (đề nghị khen thưởng) for one nominee and one form. Placed at the nominee's
    unit (a mediator's village, a team's village, or the unit chosen for another person or
    organisation), so that the nominee's commune and every office above it see it.

    ``holder_unit_id`` is the office that reviews it now: the nearest district or province
    above the proposer, then the next one up each time it is forwarded. The basis pulled from
    the registry, the logbook and the contest is copied here when the proposal is made, so
    that the reviewer and the decision's annex read what the proposer saw.
    """

    __tablename__ = "commendation_proposals"
    __audit_label__ = "Đề nghị khen thưởng"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="submitted")

    nominee_kind: Mapped[str] = mapped_column(String(12), nullable=False)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediators.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    nominee_name: Mapped[str] = mapped_column(String(200), nullable=False)
    nominee_folded: Mapped[str] = mapped_column(folded_text(), nullable=False)
    nominee_birth_year: Mapped[int | None] = mapped_column(Integer)
    nominee_sex: Mapped[str | None] = mapped_column(String(1))
    # "Hòa giải viên, Tổ hòa giải bản Nậm Pồ, xã Sín Thầu": position and unit as printed.
    nominee_detail: Mapped[str | None] = mapped_column(String(300))

    achievement: Mapped[str] = mapped_column(Text, nullable=False)
    period_start: Mapped[int] = mapped_column(Integer, nullable=False)
    period_end: Mapped[int] = mapped_column(Integer, nullable=False)

    proposer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    holder_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    return_reason: Mapped[str | None] = mapped_column(Text)

    # The basis (căn cứ đề nghị), pulled, not typed.
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contests.id"), index=True)
    contest_entry_id: Mapped[int | None] = mapped_column(ForeignKey("contest_entries.id"))
    contest_snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("contest_results.id"))
    prize_name: Mapped[str | None] = mapped_column(String(100))
    basis_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    basis_successful: Mapped[int | None] = mapped_column(Integer)
    basis_failed: Mapped[int | None] = mapped_column(Integer)
    basis_compliant: Mapped[bool | None] = mapped_column(Boolean)
    basis_issues: Mapped[str | None] = mapped_column(String(300))
    basis_service_years: Mapped[int | None] = mapped_column(Integer)
    basis_trained: Mapped[bool | None] = mapped_column(Boolean)
    basis_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        # The review queue of an office and the lists of a province/district/commune by year.
        Index("ix_commendation_proposals_holder", "holder_unit_id", "status", "id"),
        Index("ix_commendation_proposals_province", "province_id", "year", "id"),
        Index("ix_commendation_proposals_district", "district_id", "year", "id"),
        Index("ix_commendation_proposals_commune", "commune_id", "year", "id"),
        Index("ix_commendation_proposals_year", "year", "id"),
        # Proposing a contest's winners twice makes nothing twice.
        UniqueConstraint(
            "contest_id", "contest_entry_id", "mediator_id", name="uq_commendation_contest_member"
        ),
    )

    @property
    def form_label(self) -> str:
        return FORMS[self.form].label if self.form in FORMS else self.form

    @property
    def status_label(self) -> str:
        return PROPOSAL_STATUS_LABELS.get(self.status, self.status)

    @property
    def nominee_kind_label(self) -> str:
        return NOMINEE_KIND_LABELS.get(self.nominee_kind, self.nominee_kind)

    @property
    def period_label(self) -> str:
        if self.period_start == self.period_end:
            return f"Năm {self.period_end}"
        return f"{self.period_start}–{self.period_end}"

    def __str__(self) -> str:
        return f"{self.nominee_name} — {self.form_label}"


class ProposalStep(db.Model):
    """One step of a proposal's way: made, forwarded, accepted, returned (with its reason),
    resubmitted, withdrawn, decided, revoked. The page shows them in order."""

    __tablename__ = "commendation_steps"
    __audit_label__ = "Bước xét đề nghị khen thưởng"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("commendation_proposals.id"), nullable=False, index=True
    )
    action: Mapped[str] = mapped_column(String(12), nullable=False)
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    @property
    def action_label(self) -> str:
        return STEP_LABELS.get(self.action, self.action)


class CommendationDecision(Placed, Timestamped, Versioned, db.Model):
    """A decision (Quyết định khen thưởng) of one issuing body for one form. Placed at the
    unit whose People's Committee (or office) issued it; a Ministry decision is recorded at
    the province that proposed it. The number is unique for the body and the year."""

    __tablename__ = "commendation_decisions"
    __audit_label__ = "Quyết định khen thưởng"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(50), nullable=False)
    number_folded: Mapped[str] = mapped_column(String(50), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    signed_on: Mapped[date] = mapped_column(Date, nullable=False)
    issuer_name: Mapped[str] = mapped_column(String(200), nullable=False)
    issuer_folded: Mapped[str] = mapped_column(String(200), nullable=False)
    signer_title: Mapped[str] = mapped_column(String(100), nullable=False)
    signer_name: Mapped[str] = mapped_column(String(200), nullable=False)
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    achievement: Mapped[str] = mapped_column(Text, nullable=False)
    amount_vnd: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint(
            "issuer_folded", "year", "number_folded", name="uq_commendation_decisions_number"
        ),
        Index("ix_commendation_decisions_province", "province_id", "year", "id"),
        Index("ix_commendation_decisions_district", "district_id", "year", "id"),
        Index("ix_commendation_decisions_commune", "commune_id", "year", "id"),
        Index("ix_commendation_decisions_year", "year", "id"),
    )

    @property
    def form_label(self) -> str:
        return FORMS[self.form].label if self.form in FORMS else self.form

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"


class CommendationAward(Placed, Timestamped, db.Model):
    """What a decision gave one accepted proposal: the amount, the serial of its certificate
    in the issuing unit's book for the year, and the revocation that took it back, if any.
    Placed like the proposal (the nominee's unit): counts per unit and the nominee's pages
    read it on the Placed columns."""

    __tablename__ = "commendation_awards"
    __audit_label__ = "Khen thưởng"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("commendation_decisions.id"), nullable=False, index=True
    )
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("commendation_proposals.id"), nullable=False, unique=True
    )
    form: Mapped[str] = mapped_column(String(20), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    book_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_vnd: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediators.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    revocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("commendation_revocations.id"), index=True
    )

    __table_args__ = (
        UniqueConstraint("book_unit_id", "year", "serial", name="uq_commendation_awards_serial"),
        Index("ix_commendation_awards_province", "province_id", "year", "form"),
        Index("ix_commendation_awards_district", "district_id", "year", "form"),
        Index("ix_commendation_awards_commune", "commune_id", "year", "form"),
    )

    @classmethod
    def of(cls, decision: "CommendationDecision", proposal: CommendationProposal, serial: int):
        """The award a decision gives a proposal: the decision's form, year and amount, the
        serial in the decision's unit's book, the nominee and placement of the proposal."""
        return cls(
            decision_id=decision.id,
            proposal_id=proposal.id,
            form=decision.form,
            year=decision.year,
            book_unit_id=decision.unit_id,
            serial=serial,
            amount_vnd=decision.amount_vnd,
            mediator_id=proposal.mediator_id,
            team_id=proposal.team_id,
            unit_id=proposal.unit_id,
            commune_id=proposal.commune_id,
            district_id=proposal.district_id,
            province_id=proposal.province_id,
        )

    @property
    def is_revoked(self) -> bool:
        return self.revocation_id is not None

    @property
    def form_label(self) -> str:
        return FORMS[self.form].label if self.form in FORMS else self.form


class CommendationRevocation(Timestamped, db.Model):
    """A decision that takes back awards of an earlier decision (all of them or some): its
    number, date, signer and reason. The awards stay, marked revoked."""

    __tablename__ = "commendation_revocations"
    __audit_label__ = "Quyết định thu hồi khen thưởng"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("commendation_decisions.id"), nullable=False, index=True
    )
    number: Mapped[str] = mapped_column(String(50), nullable=False)
    number_folded: Mapped[str] = mapped_column(String(50), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    signed_on: Mapped[date] = mapped_column(Date, nullable=False)
    signer_name: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
