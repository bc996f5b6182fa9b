"""Mediators (hòa giải viên), the legal acts of their lifecycle and their team history."""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models import Placed, Timestamped, Versioned, folded_text
from app.registry.rules import (
    BACKGROUND_LABELS,
    DISMISSAL_GROUNDS,
    EDUCATION_LABELS,
    LEGAL_PROFESSIONAL,
    ROLE_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    ethnic_groups,
    is_minority,
)


class Mediator(Placed, Timestamped, Versioned, db.Model):
    """A mediator. Placed at the village of their team; the lifecycle fields (status, role,
    decisions) are kept current by the services from the events below."""

    __tablename__ = "mediators"
    __audit_label__ = "Hòa giải viên"
    __audit_ignore__ = frozenset({"trained_on"})

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False)
    # The folded name with the given name first ("duc nguyen van"): searching "đức" is then a
    # prefix search on an index too (see registry/queries.py).
    given_name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False)
    sex: Mapped[str] = mapped_column(String(1), nullable=False)
    birth_year: Mapped[int] = mapped_column(Integer, nullable=False)
    ethnicity_code: Mapped[str] = mapped_column(String(2), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(30))
    phone_digits: Mapped[str | None] = mapped_column(String(20), index=True)
    occupation: Mapped[str | None] = mapped_column(String(200))
    background: Mapped[str | None] = mapped_column(String(30))
    education: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="member")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="active")
    recognised_on: Mapped[date | None] = mapped_column(Date)
    recognition_number: Mapped[str | None] = mapped_column(String(50))
    dismissed_on: Mapped[date | None] = mapped_column(Date)
    dismissal_number: Mapped[str | None] = mapped_column(String(50))
    dismissal_ground: Mapped[str | None] = mapped_column(String(30))
    training_due: Mapped[date | None] = mapped_column(Date)
    trained_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        Index("ix_mediators_name", "name_folded", "id"),
        Index("ix_mediators_commune_name", "commune_id", "name_folded", "id"),
        Index("ix_mediators_district_name", "district_id", "name_folded", "id"),
        Index("ix_mediators_province_name", "province_id", "name_folded", "id"),
        # Covers the filter and the sort of a given-name search (docs/PERFORMANCE.md, P4).
        Index("ix_mediators_given", "given_name_folded", "status", "name_folded", "id"),
        Index("ix_mediators_commune_given", "commune_id", "given_name_folded", "id"),
        Index("ix_mediators_district_given", "district_id", "given_name_folded", "id"),
        Index("ix_mediators_province_given", "province_id", "given_name_folded", "id"),
        Index("ix_mediators_duplicates", "commune_id", "name_folded", "birth_year"),
    )

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_leader(self) -> bool:
        return self.role == "leader" and self.is_active

    @property
    def is_trained(self) -> bool:
        return self.trained_on is not None

    @property
    def is_minority(self) -> bool:
        return is_minority(self.ethnicity_code)

    @property
    def is_legal_professional(self) -> bool:
        return self.background in LEGAL_PROFESSIONAL

    @property
    def sex_label(self) -> str:
        return SEX_LABELS.get(self.sex, "")

    @property
    def ethnicity(self) -> str:
        return ethnic_groups().get(self.ethnicity_code, "")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def background_label(self) -> str:
        return BACKGROUND_LABELS.get(self.background or "", "")

    @property
    def education_label(self) -> str:
        return EDUCATION_LABELS.get(self.education or "", "")

    @property
    def dismissal_ground_label(self) -> str:
        return DISMISSAL_GROUNDS.get(self.dismissal_ground or "", "")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})"


EVENT_LABELS = {
    "recognise": "Công nhận hòa giải viên",
    "move": "Chuyển tổ hòa giải",
    "make_leader": "Công nhận tổ trưởng",
    "dismiss": "Thôi làm hòa giải viên",
    "reinstate": "Công nhận lại hòa giải viên",
}


class MediatorEvent(Timestamped, db.Model):
    """A legal act in a mediator's life, with its decision. ``decision_date`` is the date on
    the paper; ``created_at`` is when it was entered here."""

    __tablename__ = "mediator_events"
    __audit_label__ = "Quyết định về hòa giải viên"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    signer: Mapped[str | None] = mapped_column(String(200))
    ground: Mapped[str | None] = mapped_column(String(30))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    from_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    note: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def kind_label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)

    @property
    def ground_label(self) -> str:
        return DISMISSAL_GROUNDS.get(self.ground or "", "")

    def __str__(self) -> str:
        number = f" {self.decision_number}" if self.decision_number else ""
        return f"{self.kind_label}{number}"


class TeamMembership(db.Model):
    """A period during which a mediator belonged to a team in a role."""

    __tablename__ = "team_memberships"
    __audit__ = False  # derived from the audited events and mediator changes

    id: Mapped[int] = mapped_column(primary_key=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediators.id"), nullable=False, index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), nullable=False)
    role: Mapped[str] = mapped_column(String(10), nullable=False)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("mediator_events.id"))

    __table_args__ = (Index("ix_team_memberships_team", "team_id", "end_date"),)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)
