"""Checklist templates (DOMAIN.md §7): versioned revisions of sections and items, kept by an
officer's office (or by admins: the nationwide defaults). Only a draft revision changes; every
change of a draft bumps its version so that a form read before it (an edit, the publishing)
is refused as stale. Publishing retires the revision it replaces; checklists keep theirs."""

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from app.clock import utcnow
from app.extensions import db
from app.pilots import rules
from app.pilots.models import Checklist, ChecklistTemplate, TemplateItem, TemplateSection
from app.pilots.services import PilotError, user_id
from app.security.scope import sees_everything, subtree_ids
from app.text import fold, normalize
from app.units.models import Unit, UnitClosure

NAME_MAX, DESCRIPTION_MAX, TITLE_MAX = 300, 4000, 300


@dataclass
class TemplateGroup:
    """The revisions of one template code a list shows: the published one and the draft."""

    code: str
    published: ChecklistTemplate | None = None
    draft: ChecklistTemplate | None = None

    @property
    def main(self) -> ChecklistTemplate:
        return self.published or self.draft


def readable(stmt, user):
    """Restrict a SELECT of templates to those the user reads: the defaults and the templates
    of the offices above and below the user's unit (permissions.can_view_template)."""
    if sees_everything(user):
        return stmt
    above = select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == user.unit_id)
    owner = ChecklistTemplate.owner_unit_id
    return stmt.where(or_(owner.is_(None), owner.in_(above), owner.in_(subtree_ids(user.unit_id))))


def template_groups(user, kind: str | None, limit: int) -> tuple[list[TemplateGroup], bool]:
    """The templates the user reads, by code (defaults first, then by name): at most ``limit``
    revisions, published or draft; and whether there were more."""
    stmt = select(ChecklistTemplate).where(ChecklistTemplate.status.in_(("published", "draft")))
    if kind:
        stmt = stmt.where(ChecklistTemplate.kind == kind)
    rows = db.session.scalars(
        readable(stmt, user)
        .order_by(
            case((ChecklistTemplate.owner_unit_id.is_(None), 0), else_=1),
            ChecklistTemplate.name,
            ChecklistTemplate.code,
            ChecklistTemplate.revision,
        )
        .limit(limit + 1)
    ).all()
    groups: dict[str, TemplateGroup] = {}
    for template in rows[:limit]:
        group = groups.setdefault(template.code, TemplateGroup(template.code))
        setattr(group, template.status, template)
    return list(groups.values()), len(rows) > limit


def item_counts(template_ids) -> dict[int, int]:
    """{template id: number of items}, in one query."""
    ids = list(template_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(TemplateItem.template_id, func.count())
            .where(TemplateItem.template_id.in_(ids))
            .group_by(TemplateItem.template_id)
        ).all()
    )


def structure(template: ChecklistTemplate) -> list[tuple[TemplateSection, list[TemplateItem]]]:
    """The sections of a revision in order, each with its items in order (two queries)."""
    sections = db.session.scalars(
        select(TemplateSection)
        .where(TemplateSection.template_id == template.id)
        .order_by(TemplateSection.position, TemplateSection.id)
    ).all()
    items: dict[int, list[TemplateItem]] = {s.id: [] for s in sections}
    for item in db.session.scalars(
        select(TemplateItem)
        .where(TemplateItem.template_id == template.id)
        .order_by(TemplateItem.position, TemplateItem.id)
    ):
        items.setdefault(item.section_id, []).append(item)
    return [(s, items[s.id]) for s in sections]


def section_items(section: TemplateSection) -> list[TemplateItem]:
    return db.session.scalars(
        select(TemplateItem)
        .where(TemplateItem.section_id == section.id)
        .order_by(TemplateItem.position, TemplateItem.id)
    ).all()


def revisions(template: ChecklistTemplate) -> list[tuple[ChecklistTemplate, int]]:
    """Every revision of the template's code with how many checklists use it (one query)."""
    used = (
        select(func.count(Checklist.id))
        .where(Checklist.template_id == ChecklistTemplate.id)
        .scalar_subquery()
    )
    return [
        (row[0], row[1])
        for row in db.session.execute(
            select(ChecklistTemplate, used)
            .where(ChecklistTemplate.code == template.code)
            .order_by(ChecklistTemplate.revision.desc())
        )
    ]


def _header_problems(kind: str, name: str, description: str) -> list[tuple[str, str]]:
    problems = []
    if kind not in rules.KIND_LABELS:
        problems.append(("kind", "Chọn loại mẫu: chỉ đạo điểm hoặc xã điển hình."))
    if not name:
        problems.append(("name", "Nhập tên mẫu bảng kiểm."))
    elif len(name) > NAME_MAX:
        problems.append(("name", f"Tên tối đa {NAME_MAX} ký tự."))
    if len(description) > DESCRIPTION_MAX:
        problems.append(("description", "Mô tả tối đa 4.000 ký tự."))
    return problems


def new_code(name: str) -> str:
    """A fresh code for a new template: its name as a slug and a random tail."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:24].strip("-") or "mau"
    return f"{slug}-{secrets.token_hex(3)}"


def create_template(
    user,
    owner: Unit | None,
    kind: str,
    name: str,
    description: str = "",
    source: ChecklistTemplate | None = None,
) -> ChecklistTemplate:
    """A new template (new code, revision 1, draft) owned by ``owner`` (None: a nationwide
    default), empty or a full copy of ``source``; the caller checks who may. Flushes."""
    name, description = normalize(name), (description or "").strip()
    if problems := _header_problems(kind, name, description):
        raise PilotError(problems)
    template = ChecklistTemplate(
        code=new_code(name),
        revision=1,
        kind=kind,
        name=name,
        description=description or None,
        status="draft",
        owner_unit_id=owner.id if owner is not None else None,
        created_by_id=user_id(user),
    )
    db.session.add(template)
    db.session.flush()
    if source is not None:
        _copy_structure(source, template)
    return template


def _copy_structure(source: ChecklistTemplate, target: ChecklistTemplate) -> None:
    """Every section and item of ``source`` into ``target``, in the same order."""
    parts = structure(source)
    sections = [
        TemplateSection(template_id=target.id, position=s.position, title=s.title) for s, _ in parts
    ]
    db.session.add_all(sections)
    db.session.flush()
    copied = ("position", "text", "guidance", "item_type", "target_operator", "target_value")
    copied += ("due_months", "points", "required", "formula")
    db.session.add_all(
        TemplateItem(
            template_id=target.id,
            section_id=new.id,
            **{name: getattr(item, name) for name in copied},
        )
        for new, (_, items) in zip(sections, parts, strict=True)
        for item in items
    )
    db.session.flush()


def check_editable(template: ChecklistTemplate) -> None:
    """Only a draft that no checklist uses changes (a used one is published by then)."""
    if template.status != "draft":
        raise PilotError("Chỉ sửa được bản nháp; hãy tạo phiên bản mới của mẫu để sửa.")
    used = db.session.scalar(select(Checklist.id).where(Checklist.template_id == template.id))
    if used is not None:
        raise PilotError("Mẫu này đã được dùng cho bảng kiểm của xã nên không sửa được nữa.")


def touch(template: ChecklistTemplate) -> None:
    """A change of the draft's content: its version goes up (forms read before are stale)."""
    template.updated_at = utcnow()


def update_template(template: ChecklistTemplate, name: str, description: str) -> None:
    """Rename a draft and change its description; its managers. Flushes."""
    check_editable(template)
    name, description = normalize(name), (description or "").strip()
    if problems := _header_problems(template.kind, name, description):
        raise PilotError(problems)
    template.name, template.description = name, description or None
    db.session.flush()


def _lock_code(code: str) -> None:
    """Serialise the writers of one template's revisions (a second revise or publish waits on
    PostgreSQL for the first one's commit; SQLite writes are serial already)."""
    db.session.execute(
        select(ChecklistTemplate.id).where(ChecklistTemplate.code == code).with_for_update()
    )


def revise_template(user, template: ChecklistTemplate) -> tuple[ChecklistTemplate, bool]:
    """The draft of the template's code and whether it is new: the one there is, or a new
    revision copied from this one (numbered after the newest); its managers. Flushes."""
    _lock_code(template.code)
    if template.status == "draft":
        return template, False
    rows = db.session.scalars(
        select(ChecklistTemplate).where(ChecklistTemplate.code == template.code)
    ).all()
    draft = next((t for t in rows if t.status == "draft"), None)
    if draft is not None:
        return draft, False
    draft = ChecklistTemplate(
        code=template.code,
        revision=max(t.revision for t in rows) + 1,
        kind=template.kind,
        name=template.name,
        description=template.description,
        status="draft",
        owner_unit_id=template.owner_unit_id,
        created_by_id=user_id(user),
    )
    db.session.add(draft)
    db.session.flush()
    _copy_structure(template, draft)
    return draft, True


def publish_template(template: ChecklistTemplate) -> ChecklistTemplate | None:
    """A draft with at least one item becomes the revision new checklists take; the one it
    replaces (returned) is retired, its checklists keep it. Its managers. Flushes."""
    _lock_code(template.code)
    check_editable(template)
    if not item_counts([template.id]):
        raise PilotError("Mẫu chưa có mục nào: thêm ít nhất một mục trước khi phát hành.")
    replaced = db.session.scalar(
        select(ChecklistTemplate).where(
            ChecklistTemplate.code == template.code, ChecklistTemplate.status == "published"
        )
    )
    if replaced is not None:
        replaced.status = "retired"
        db.session.flush()
    template.status, template.published_at = "published", utcnow()
    db.session.flush()
    return replaced


def _title(title: str) -> str:
    title = normalize(title)
    if not title:
        raise PilotError("Nhập tên phần.", "title")
    if len(title) > TITLE_MAX:
        raise PilotError(f"Tên phần tối đa {TITLE_MAX} ký tự.", "title")
    return title


def add_section(template: ChecklistTemplate, title: str) -> TemplateSection:
    """A section at the end of a draft. Flushes."""
    check_editable(template)
    last = db.session.scalar(
        select(func.max(TemplateSection.position)).where(TemplateSection.template_id == template.id)
    )
    section = TemplateSection(template_id=template.id, position=(last or 0) + 1, title="")
    section.title = _title(title)
    db.session.add(section)
    touch(template)
    db.session.flush()
    return section


def update_section(template: ChecklistTemplate, section: TemplateSection, title: str) -> None:
    """Rename a section of a draft. Flushes."""
    check_editable(template)
    section.title = _title(title)
    touch(template)
    db.session.flush()


def delete_section(template: ChecklistTemplate, section: TemplateSection) -> None:
    """Remove an empty section of a draft (one with items is refused). Flushes."""
    check_editable(template)
    if section_items(section):
        raise PilotError("Phần này còn mục: xóa hoặc sửa các mục trước khi xóa phần.")
    db.session.delete(section)
    touch(template)
    db.session.flush()
