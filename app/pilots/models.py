"""Pilot communes and the model commune (DOMAIN.md §7): checklist templates (versioned:
sections and items), checklists of a commune made from a template revision, their items'
values and review, evidence files, the trail of what happened and the snapshot frozen at
sign-off."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db
from app.models import Placed, Timestamped, Versioned
from app.pilots.rules import (
    CHECKLIST_STATUS_LABELS,
    EVENT_LABELS,
    ITEM_TYPE_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    PROGRESS_LABELS,
    REVIEW_LABELS,
    TEMPLATE_STATUS_LABELS,
    Period,
    target_label,
)


class ChecklistTemplate(Timestamped, Versioned, db.Model):
    """One revision of a checklist template. Revisions of the same template share ``code``;
    a checklist keeps the revision it was made from, so editing a template never changes a
    commune's checklist. ``owner_unit_id`` is None for the defaults shipped nationwide,
    otherwise the office (province, district) whose officers keep it and whose subtree may
    use it. Only a draft changes; publishing makes it the revision new checklists take."""

    __tablename__ = "pilot_templates"
    __audit_label__ = "Mẫu bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="draft")
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("code", "revision", name="uq_pilot_templates_revision"),)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return TEMPLATE_STATUS_LABELS.get(self.status, self.status)

    def __str__(self) -> str:
        return f"{self.name} (phiên bản {self.revision})"


class TemplateSection(db.Model):
    """A section (phần) of a template revision, in order."""

    __tablename__ = "pilot_template_sections"
    __audit_label__ = "Phần của mẫu bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_templates.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)

    def __str__(self) -> str:
        return self.title


class TemplateItem(db.Model):
    """An item of a template revision: what it asks (type), its target, its due date in months
    after the pilot's start, its points, whether it must be filled before submitting, and
    optionally the formula (app/pilots/formulas.py) that computes it from live data."""

    __tablename__ = "pilot_template_items"
    __audit_label__ = "Mục của mẫu bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_templates.id"), nullable=False, index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_template_sections.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    guidance: Mapped[str | None] = mapped_column(Text)
    item_type: Mapped[str] = mapped_column(String(10), nullable=False)
    target_operator: Mapped[str | None] = mapped_column(String(2))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    due_months: Mapped[int | None] = mapped_column(Integer)
    points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    formula: Mapped[str | None] = mapped_column(String(40))

    @property
    def type_label(self) -> str:
        return ITEM_TYPE_LABELS.get(self.item_type, self.item_type)

    @property
    def target_label(self) -> str:
        return target_label(self.item_type, self.target_operator, self.target_value)

    def __str__(self) -> str:
        return self.text


class Checklist(Placed, Timestamped, Versioned, db.Model):
    """A commune's checklist (bảng kiểm), made when an office designates it a pilot (or
    assesses it against the model-commune criteria) from one template revision. Placed at the
    commune. ``office_unit_id`` is the office that designated it: its officers, and those
    above, review and sign off."""

    __tablename__ = "pilot_checklists"
    __audit_label__ = "Bảng kiểm chỉ đạo điểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("pilot_templates.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False)
    designated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        # One checklist of a template revision per commune; the lists of each level.
        UniqueConstraint("unit_id", "template_id", name="uq_pilot_checklists_commune_template"),
        Index("ix_pilot_checklists_province", "province_id", "id"),
        Index("ix_pilot_checklists_district", "district_id", "id"),
        Index("ix_pilot_checklists_office", "office_unit_id", "status"),
    )

    @property
    def period(self) -> Period:
        return Period(self.starts_on, self.ends_on)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def status_label(self) -> str:
        return CHECKLIST_STATUS_LABELS.get(self.status, self.status)

    @property
    def period_label(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"


class ChecklistItem(Timestamped, Versioned, db.Model):
    """One item of a checklist: the commune's progress and value, and the officer's review.
    Each item has its own version: two staff saving different items do not conflict; two
    saving the same one get 409 (QUALITY.md R3). A computed item keeps no value: it is read
    live, and frozen in the snapshot at sign-off."""

    __tablename__ = "pilot_checklist_items"
    __audit_label__ = "Mục bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_checklists.id"), nullable=False, index=True
    )
    template_item_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_template_items.id"), nullable=False
    )
    due_on: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[str] = mapped_column(String(12), nullable=False, default="not_started")
    value_bool: Mapped[bool | None] = mapped_column(Boolean)
    value_number: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    value_date: Mapped[date | None] = mapped_column(Date)
    value_text: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    return_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        UniqueConstraint("checklist_id", "template_item_id", name="uq_pilot_checklist_items"),
    )

    @property
    def progress_label(self) -> str:
        return PROGRESS_LABELS.get(self.progress, self.progress)

    @property
    def review_label(self) -> str:
        return REVIEW_LABELS.get(self.review_status, self.review_status)


class ChecklistEvidence(db.Model):
    """An evidence file attached to an item. One stored file may serve several items of the
    same checklist (one row per item)."""

    __tablename__ = "pilot_evidence"
    __audit_label__ = "Minh chứng bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_checklists.id"), nullable=False, index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_checklist_items.id"), nullable=False, index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), nullable=False)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attached_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    __table_args__ = (UniqueConstraint("item_id", "file_id", name="uq_pilot_evidence_item_file"),)


class ChecklistEvent(db.Model):
    """One step of a checklist's way, with who and why: designated, submitted, an item
    accepted or returned (with its reason), signed off, reopened (with its reason)."""

    __tablename__ = "pilot_events"
    __audit_label__ = "Bước của bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_checklists.id"), nullable=False, index=True
    )
    item_id: Mapped[int | None] = mapped_column(ForeignKey("pilot_checklist_items.id"))
    action: Mapped[str] = mapped_column(String(12), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    @property
    def action_label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class ChecklistSnapshot(db.Model):
    """Every value of a checklist, computed ones included, frozen at sign-off (never changed;
    a reopen and a new sign-off make a new one: a signed-off checklist shows its latest).
    ``data`` is the checklist's view as plain JSON (app/pilots/services/view.py)."""

    __tablename__ = "pilot_snapshots"
    __audit_label__ = "Số liệu chốt bảng kiểm"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("pilot_checklists.id"), nullable=False, index=True
    )
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    taken_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(JSON, nullable=False)
