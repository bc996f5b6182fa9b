"""Factories of pilot records for tests: templates, checklists, values, evidence and sign-off
made directly as rows (designation through its service), so that a test of one part does not
depend on another part's routes."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.files.services import store_file
from app.pilots.defaults import MODEL_CODE, PILOT_CODE, install_defaults
from app.pilots.models import (
    Checklist,
    ChecklistEvidence,
    ChecklistItem,
    ChecklistSnapshot,
    ChecklistTemplate,
    TemplateItem,
    TemplateSection,
)
from app.pilots.services.designation import designate
from app.pilots.services.view import checklist_view, snapshot_data
from app.units.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def default_template(kind: str = "pilot") -> ChecklistTemplate:
    """The shipped default (installed when missing)."""
    install_defaults(db.session.connection(), utcnow())
    code = PILOT_CODE if kind == "pilot" else MODEL_CODE
    return db.session.scalar(
        select(ChecklistTemplate)
        .where(ChecklistTemplate.code == code)
        .order_by(ChecklistTemplate.revision.desc())
    )


def make_template(
    *,
    owner_unit_id: int | None,
    name: str,
    status: str = "draft",
    kind: str = "pilot",
    items: tuple = (("Khảo sát thực trạng", "check", None, None),),
) -> ChecklistTemplate:
    """A template with one section and its items: (text, type, target or None, formula)."""
    template = ChecklistTemplate(
        code=f"mau-{utcnow().timestamp()}-{name[:10]}",
        revision=1,
        kind=kind,
        name=name,
        status=status,
        owner_unit_id=owner_unit_id,
        published_at=utcnow() if status == "published" else None,
    )
    db.session.add(template)
    db.session.flush()
    section = TemplateSection(template_id=template.id, position=1, title=f"Phần I — {name}")
    db.session.add(section)
    db.session.flush()
    for position, (text, item_type, target, formula) in enumerate(items, start=1):
        db.session.add(
            TemplateItem(
                template_id=template.id,
                section_id=section.id,
                position=position,
                text=text,
                item_type=item_type,
                target_operator=">=" if target is not None else None,
                target_value=Decimal(target) if target is not None else None,
                due_months=3,
                points=Decimal(10),
                required=True,
                formula=formula,
            )
        )
    db.session.flush()
    return template


def make_checklist(
    *,
    commune_id: int,
    office_unit_id: int,
    kind: str = "pilot",
    template: ChecklistTemplate | None = None,
    level: str = "district",
    starts_on: date = date(2024, 1, 1),
    ends_on: date = date(2026, 12, 31),
    note: str | None = None,
) -> Checklist:
    """A designated checklist (through the designation service), open."""
    template = template or default_template(kind)
    return designate(
        db.session.get(Unit, commune_id),
        template,
        db.session.get(Unit, office_unit_id),
        level,
        starts_on,
        ends_on,
        note=note,
    )


def items_of(checklist: Checklist, item_type: str | None = None, computed: bool | None = None):
    """The checklist's items (with their template item), in template order, optionally of
    one type or only computed / only typed ones."""
    rows = db.session.execute(
        select(ChecklistItem, TemplateItem)
        .join(TemplateItem, TemplateItem.id == ChecklistItem.template_item_id)
        .where(ChecklistItem.checklist_id == checklist.id)
        .order_by(TemplateItem.position)
    ).all()
    return [
        item
        for item, spec in rows
        if (item_type is None or spec.item_type == item_type)
        and (computed is None or bool(spec.formula) == computed)
    ]


def fill_all(checklist: Checklist, text: str = "Đã thực hiện") -> None:
    """Give every typed item a value and mark it done (evidence items get a PDF)."""
    rows = db.session.execute(
        select(ChecklistItem, TemplateItem)
        .join(TemplateItem, TemplateItem.id == ChecklistItem.template_item_id)
        .where(ChecklistItem.checklist_id == checklist.id)
    ).all()
    for item, spec in rows:
        if spec.formula:
            continue
        item.progress = "done"
        if spec.item_type == "check":
            item.value_bool = True
        elif spec.item_type in ("number", "percent"):
            item.value_number = spec.target_value if spec.target_value is not None else Decimal(1)
        elif spec.item_type == "date":
            item.value_date = checklist.starts_on
        elif spec.item_type == "text":
            item.value_text = text
        elif spec.item_type == "evidence":
            attach(checklist, item, PDF, "minh-chung.pdf")
    db.session.flush()


def attach(checklist: Checklist, item: ChecklistItem, data: bytes, filename: str):
    """Store a file and attach it to an item."""
    stored = store_file(data, filename, ("pdf", "jpeg", "png", "xlsx", "docx"))
    db.session.add(ChecklistEvidence(checklist_id=checklist.id, item_id=item.id, file_id=stored.id))
    db.session.flush()
    return stored


def sign_off(checklist: Checklist, today: date | None = None) -> ChecklistSnapshot:
    """Accept every item and freeze the snapshot, as the sign-off does."""
    today = today or date.today()
    for item in items_of(checklist):
        item.review_status = "accepted"
    db.session.flush()
    view = checklist_view(checklist, today, live=True)
    snapshot = ChecklistSnapshot(checklist_id=checklist.id, as_of=today, data=snapshot_data(view))
    db.session.add(snapshot)
    checklist.status = "signed_off"
    checklist.signed_off_at = utcnow()
    db.session.flush()
    return snapshot
