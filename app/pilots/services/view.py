"""What a checklist shows: each item's value (computed ones read live), whether it meets its
target, whether it is done or overdue, its evidence; tallies per section and in all. Built
for many checklists at once in a fixed number of queries (the overview, the export), and
from the snapshot for a signed-off checklist, so that its values no longer change.

Rows are plain values (no ORM object needed to render them): the snapshot is the same rows
as JSON, and one template renders both."""

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.files.models import StoredFile
from app.pilots import rules
from app.pilots.formulas import FORMULAS, compute
from app.pilots.models import (
    Checklist,
    ChecklistEvidence,
    ChecklistItem,
    ChecklistSnapshot,
    TemplateItem,
    TemplateSection,
)
from app.pilots.rules import Tally, tally_item
from app.text import format_decimal


@dataclass
class ItemRow:
    id: int  # the ChecklistItem's id
    section_id: int
    text: str
    guidance: str | None
    item_type: str
    required: bool
    target: str
    points: str  # a plain decimal ("2.5"): the templates format it
    due_on: str | None  # ISO date
    formula: str | None
    value: str | None  # the raw value as text (ISO date, number, "1"/"0", text)
    display: str  # the value as shown
    note: str  # the numbers behind a computed value
    met: bool | None
    done: bool
    filled: bool
    overdue: bool
    progress: str
    review_status: str
    return_reason: str | None
    evidence: list[dict] = field(default_factory=list)  # {"id": file id, "name": filename}
    link: list | None = None  # [endpoint, args] of the records behind a computed value

    @property
    def progress_label(self) -> str:
        return rules.PROGRESS_LABELS.get(self.progress, self.progress)

    @property
    def review_label(self) -> str:
        return rules.REVIEW_LABELS.get(self.review_status, self.review_status)

    @property
    def due_date(self) -> date | None:
        return date.fromisoformat(self.due_on) if self.due_on else None

    @property
    def computed(self) -> bool:
        return self.formula is not None


@dataclass
class SectionRow:
    id: int
    title: str
    items: list[ItemRow]

    @property
    def tally(self) -> Tally:
        total = Tally()
        for row in self.items:
            total += tally_item(row.done, row.met, Decimal(row.points), row.overdue)
        return total


@dataclass
class ChecklistView:
    checklist: Checklist
    sections: list[SectionRow]
    as_of: date
    frozen: bool  # read from the sign-off snapshot
    snapshot: ChecklistSnapshot | None = None

    @property
    def tally(self) -> Tally:
        total = Tally()
        for section in self.sections:
            total += section.tally
        return total

    @property
    def rows(self) -> list[ItemRow]:
        return [row for section in self.sections for row in section.items]

    def row(self, item_id: int) -> ItemRow | None:
        return next((row for row in self.rows if row.id == item_id), None)

    @property
    def missing(self) -> list[ItemRow]:
        """Required items not filled in (submitting is refused while there are any)."""
        return [row for row in self.rows if row.required and not row.filled]

    @property
    def meets_all(self) -> bool:
        """Every item meets its target (the model-commune criteria are met)."""
        rows = self.rows
        return bool(rows) and all(row.met for row in rows)


def window(checklist: Checklist, today: date) -> tuple[date, date]:
    """The period live values are counted over: from the start to today (or the end)."""
    return checklist.starts_on, max(checklist.starts_on, min(today, checklist.ends_on))


def build_views(checklists: list[Checklist], today: date, live: bool = False) -> dict:
    """{checklist id: ChecklistView}; signed-off ones from their snapshot unless ``live``."""
    views: dict[int, ChecklistView] = {}
    frozen = {c.id: c for c in checklists if c.status == rules.SIGNED_OFF and not live}
    if frozen:
        latest = {}
        for snapshot in db.session.scalars(
            select(ChecklistSnapshot)
            .where(ChecklistSnapshot.checklist_id.in_(frozen))
            .order_by(ChecklistSnapshot.id)
        ):
            latest[snapshot.checklist_id] = snapshot
        for checklist_id, snapshot in latest.items():
            views[checklist_id] = from_snapshot(frozen[checklist_id], snapshot)
    rest = [c for c in checklists if c.id not in views]
    if rest:
        views.update(_live_views(rest, today))
    return views


def checklist_view(checklist: Checklist, today: date, live: bool = False) -> ChecklistView:
    return build_views([checklist], today, live)[checklist.id]


def _live_views(checklists: list[Checklist], today: date) -> dict[int, ChecklistView]:
    ids = [c.id for c in checklists]
    template_ids = {c.template_id for c in checklists}
    sections = db.session.scalars(
        select(TemplateSection)
        .where(TemplateSection.template_id.in_(template_ids))
        .order_by(TemplateSection.position, TemplateSection.id)
    ).all()
    specs = {
        t.id: t
        for t in db.session.scalars(
            select(TemplateItem).where(TemplateItem.template_id.in_(template_ids))
        )
    }
    items = db.session.scalars(
        select(ChecklistItem).where(ChecklistItem.checklist_id.in_(ids))
    ).all()
    evidence: dict[int, list[dict]] = {}
    for item_id, file_id, filename in db.session.execute(
        select(ChecklistEvidence.item_id, StoredFile.id, StoredFile.filename)
        .join(StoredFile, StoredFile.id == ChecklistEvidence.file_id)
        .where(ChecklistEvidence.checklist_id.in_(ids))
        .order_by(ChecklistEvidence.id)
    ):
        evidence.setdefault(item_id, []).append({"id": file_id, "name": filename})
    windows = {c.unit_id: window(c, today) for c in checklists}
    measures = compute({s.formula for s in specs.values() if s.formula}, windows)

    items_of: dict[int, list[ChecklistItem]] = {}
    for item in items:
        items_of.setdefault(item.checklist_id, []).append(item)
    views = {}
    for checklist in checklists:
        rows_by_section: dict[int, list[tuple[int, ItemRow]]] = {}
        for item in items_of.get(checklist.id, []):
            spec = specs[item.template_item_id]
            measure = measures.get((checklist.unit_id, spec.formula)) if spec.formula else None
            row = _row(item, spec, measure, evidence.get(item.id, []), checklist, today)
            rows_by_section.setdefault(spec.section_id, []).append((spec.position, row))
        views[checklist.id] = ChecklistView(
            checklist,
            [
                SectionRow(s.id, s.title, [r for _, r in sorted(rows_by_section[s.id], key=_first)])
                for s in sections
                if s.template_id == checklist.template_id and s.id in rows_by_section
            ],
            today,
            frozen=False,
        )
    return views


def _first(pair):
    return pair[0]


def _row(item, spec: TemplateItem, measure, files: list[dict], checklist, today) -> ItemRow:
    value, display, note, link = None, "—", "", None
    if spec.formula:
        formula = FORMULAS.get(spec.formula)
        if measure is not None:
            value = None if measure.value is None else str(measure.value)
            note = measure.note
            if measure.value is not None:
                display = format_decimal(measure.value) + ("%" if formula.percent else "")
        if formula is not None:
            endpoint, args = formula.link(checklist.unit_id)
            link = [endpoint, args]
        met = rules.meets(value, spec.item_type, spec.target_operator, spec.target_value)
        if value is None and measure is not None and measure.met_if_empty:
            met = True
        done, filled = bool(met), True
    else:
        value, display = _typed(item, spec.item_type, len(files))
        met = rules.meets(
            len(files) if spec.item_type == rules.EVIDENCE else _comparable(item, spec.item_type),
            spec.item_type,
            spec.target_operator,
            spec.target_value,
        )
        done = item.progress == "done"
        filled = value is not None
    overdue = checklist.status != rules.SIGNED_OFF and rules.is_overdue(
        item.due_on, "done" if done else item.progress, today
    )
    return ItemRow(
        id=item.id,
        section_id=spec.section_id,
        text=spec.text,
        guidance=spec.guidance,
        item_type=spec.item_type,
        required=spec.required,
        target=spec.target_label,
        points=str(Decimal(spec.points or 0).normalize()),
        due_on=item.due_on.isoformat() if item.due_on else None,
        formula=spec.formula,
        value=value,
        display=display,
        note=note,
        met=met,
        done=done,
        filled=filled,
        overdue=overdue,
        progress=item.progress,
        review_status=item.review_status,
        return_reason=item.return_reason,
        evidence=list(files),
        link=link,
    )


def _comparable(item: ChecklistItem, item_type: str):
    return {
        rules.CHECK: item.value_bool,
        rules.NUMBER: item.value_number,
        rules.PERCENT: item.value_number,
        rules.DATE: item.value_date,
        rules.TEXT: item.value_text or None,
    }.get(item_type)


def _typed(item: ChecklistItem, item_type: str, files: int) -> tuple[str | None, str]:
    """(raw value as text or None, display) of a typed item."""
    if item_type == rules.CHECK:
        if item.value_bool is None:
            return None, "—"
        return ("1", "Đã hoàn thành") if item.value_bool else ("0", "Chưa hoàn thành")
    if item_type in rules.VALUE_TYPES:
        if item.value_number is None:
            return None, "—"
        suffix = "%" if item_type == rules.PERCENT else ""
        return str(item.value_number), format_decimal(item.value_number) + suffix
    if item_type == rules.DATE:
        if item.value_date is None:
            return None, "—"
        return item.value_date.isoformat(), f"{item.value_date:%d/%m/%Y}"
    if item_type == rules.TEXT:
        return (item.value_text, item.value_text) if item.value_text else (None, "—")
    return (str(files), f"{files} tệp") if files else (None, "Chưa có tệp")


def snapshot_data(view: ChecklistView) -> dict:
    """The view as JSON, frozen at sign-off (links dropped: the records change)."""
    return {
        "as_of": view.as_of.isoformat(),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "items": [{**asdict(r), "link": None} for r in s.items],
            }
            for s in view.sections
        ],
    }


def from_snapshot(checklist: Checklist, snapshot: ChecklistSnapshot) -> ChecklistView:
    data = snapshot.data
    sections = [
        SectionRow(s["id"], s["title"], [ItemRow(**row) for row in s["items"]])
        for s in data["sections"]
    ]
    return ChecklistView(
        checklist, sections, date.fromisoformat(data["as_of"]), frozen=True, snapshot=snapshot
    )
