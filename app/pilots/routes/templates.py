"""Pilots: checklist templates (DOMAIN.md §7). The list an officer reads, a new template or a
copy, a revision's page; and on a draft: its name, sections, items and their order, then
publishing it. A published revision changes only through a new draft revision."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from app.concurrency import check_version, run_form, save_versioned
from app.extensions import db
from app.forms import parse_id
from app.htmx import is_htmx, render_page_or_fragment
from app.pilots import bp, permissions
from app.pilots.forms.templates import (
    NATIONWIDE,
    ItemForm,
    MoveForm,
    SectionForm,
    TemplateCreateForm,
    TemplateEditForm,
    VersionForm,
)
from app.pilots.formulas import FORMULA_LABELS
from app.pilots.models import ChecklistTemplate, TemplateItem, TemplateSection
from app.pilots.routes import load_template, refuse
from app.pilots.rules import KIND_LABELS
from app.pilots.services import template_items as items
from app.pilots.services import templates as services
from app.units.services import units_by_id

LIST_LIMIT = 300


def _why_not(template: ChecklistTemplate) -> str:
    """Why the user may not change this revision (a 403's reason)."""
    if not permissions.can_manage_template(current_user, template):
        if template.owner_unit_id is None:
            return (
                "Mẫu mặc định do quản trị hệ thống quản lý; hãy sao chép thành mẫu của đơn vị "
                "để sửa."
            )
        return "Chỉ cán bộ của đơn vị quản lý mẫu (hoặc cấp trên) mới sửa được mẫu này."
    return "Phiên bản này đã phát hành nên không sửa được; hãy tạo phiên bản mới để sửa."


def _editable(template_id: int) -> ChecklistTemplate:
    """A draft the user may change: 404 outside their reach, 403 with the reason."""
    template = load_template(template_id)
    if not permissions.can_edit_template(current_user, template):
        refuse(_why_not(template))
    return template


def _section(section_id: int) -> tuple[ChecklistTemplate, TemplateSection]:
    section = db.session.get(TemplateSection, section_id) or abort(404)
    return _editable(section.template_id), section


def _item(item_id: int) -> tuple[ChecklistTemplate, TemplateItem]:
    item = db.session.get(TemplateItem, item_id) or abort(404)
    return _editable(item.template_id), item


def _to_detail(template_id: int, anchor: str | None = None):
    url = url_for("pilots.template_detail", template_id=template_id)
    return redirect(f"{url}#{anchor}" if anchor else url, 303)


def _versioned(template: ChecklistTemplate, form, action):
    """run_form for an action on a draft as the form read it: 409 when it changed since."""

    def act():
        check_version(template, form.version.data)
        return action()

    return run_form(form, act)


def _problem(form) -> str:
    """A refusal's messages as one line (buttons have no field to show them next to)."""
    messages = list(form.form_errors) + [m for f in form for m in f.errors]
    return " ".join(messages)


@bp.get("/templates/", endpoint="templates")
def templates():
    """The templates the user reads, by code: the published revision and the draft; officers
    and admins. ``?kind=`` filters (htmx swaps the list)."""
    kind = request.args.get("kind", "")
    kind = kind if kind in KIND_LABELS else ""
    groups, more = services.template_groups(current_user, kind, LIST_LIMIT)
    shown = [t for g in groups for t in (g.published, g.draft) if t is not None]
    return render_page_or_fragment(
        "pilots/templates/index.html",
        "pilots/templates/_list.html",
        groups=groups,
        more=more,
        kind=kind,
        KIND_LABELS=KIND_LABELS,
        counts=services.item_counts(t.id for t in shown),
        units=units_by_id(t.owner_unit_id for t in shown),
    )


@bp.route("/templates/new", methods=["GET", "POST"], endpoint="template_create")
def template_create():
    """A new template of the user's office (admins: or a nationwide default), empty or a copy
    of ``?from=`` (a template the user reads); officers and admins."""
    source = None
    if "from" in request.args:
        source = load_template(parse_id(request.args["from"]) or abort(404))
    form = TemplateCreateForm()
    admin = current_user.is_admin
    form.owner.choices = [(NATIONWIDE, "Toàn quốc (mẫu mặc định)")] if admin else []
    form.owner.choices.append((str(current_user.unit_id), current_user.unit.name))
    if not form.is_submitted():
        form.kind.data = source.kind if source else "pilot"
        form.owner.data = NATIONWIDE if admin else str(current_user.unit_id)
        if source is not None:
            form.name.data = f"{source.name} (bản sao)"[: services.NAME_MAX]
            form.description.data = source.description
    owner = None if admin and form.nationwide() else current_user.unit
    template, status = run_form(
        form,
        lambda: services.create_template(
            current_user,
            owner,
            form.kind.data or "",
            form.name.data or "",
            form.description.data or "",
            source,
        ),
    )
    if status is None:
        flash(f"Đã tạo mẫu “{template.name}” (bản nháp).", "success")
        return _to_detail(template.id)
    action = url_for("pilots.template_create", **({"from": source.id} if source else {}))
    page = render_template(
        "pilots/templates/create.html", form=form, source=source, action=action, admin=admin
    )
    return page, status


@bp.get("/templates/<int:template_id>", endpoint="template_detail")
def template_detail(template_id: int):
    """A revision: its sections and items in order, the revisions of its code and the
    checklists using them; officers and admins who read it."""
    return _detail(load_template(template_id))


def _detail(template: ChecklistTemplate, status: int = 200, problem: str = "", form=None):
    """The revision's page, with a refusal's message."""
    can_edit = permissions.can_edit_template(current_user, template)
    parts = services.structure(template)
    revisions = services.revisions(template)
    draft = next((t for t, _ in revisions if t.status == "draft"), None)
    if form is None:
        form = SectionForm(formdata=None, data={"version": template.version})
    page = render_template(
        "pilots/templates/detail.html",
        template=template,
        parts=parts,
        revisions=revisions,
        draft=draft,
        used=next(n for t, n in revisions if t.id == template.id),
        owner=units_by_id([template.owner_unit_id]).get(template.owner_unit_id),
        can_edit=can_edit,
        can_manage=can_edit or permissions.can_manage_template(current_user, template),
        problem=problem,
        form=form,
        points=items.total_points(i for _, section_items in parts for i in section_items),
        formulas=FORMULA_LABELS,
    )
    return page, status


@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"], endpoint="template_edit")
def template_edit(template_id: int):
    """A draft's name and description; its managers. A stale form gets 409."""
    template = _editable(template_id)
    form = TemplateEditForm(data={"name": template.name, "description": template.description})
    status = save_versioned(
        template,
        form,
        lambda: services.update_template(template, form.name.data or "", form.description.data),
    )
    if status is None:
        flash("Đã lưu tên, mô tả của mẫu.", "success")
        return _to_detail(template_id)
    page = render_template("pilots/templates/edit.html", form=form, template=template)
    return page, status


@bp.post("/templates/<int:template_id>/revise", endpoint="template_revise")
def template_revise(template_id: int):
    """The draft revision of a template: the existing one or a new copy of this revision;
    its managers. 303 to the draft."""
    template = load_template(template_id)
    if not permissions.can_manage_template(current_user, template):
        refuse(_why_not(template))
    draft, created = services.revise_template(current_user, template)
    db.session.commit()
    if created:
        flash(f"Đã tạo bản nháp phiên bản {draft.revision}: sửa rồi phát hành.", "success")
    elif draft.id != template_id:
        flash(f"Mẫu đã có bản nháp phiên bản {draft.revision}: sửa tiếp ở đây.", "success")
    return _to_detail(draft.id)


@bp.post("/templates/<int:template_id>/publish", endpoint="template_publish")
def template_publish(template_id: int):
    """Publish a draft with at least one item, retiring the revision it replaces; its
    managers. The page with the reason when refused (422) or stale (409)."""
    template = _editable(template_id)
    form = VersionForm()
    replaced, status = _versioned(template, form, lambda: services.publish_template(template))
    if status is None:
        note = f"; phiên bản {replaced.revision} được thay thế" if replaced else ""
        flash(f"Đã phát hành phiên bản {template.revision}{note}.", "success")
        return _to_detail(template_id)
    return _detail(load_template(template_id), status, _problem(form))


@bp.post("/templates/<int:template_id>/sections", endpoint="section_create")
def section_create(template_id: int):
    """A section at the end of a draft; its managers."""
    template = _editable(template_id)
    form = SectionForm()
    section, status = _versioned(
        template, form, lambda: services.add_section(template, form.title.data or "")
    )
    if status is None:
        flash(f"Đã thêm phần “{section.title}”.", "success")
        return _to_detail(template_id, f"section-{section.id}")
    return _detail(load_template(template_id), status, form=form)


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"], endpoint="section_edit")
def section_edit(section_id: int):
    """Rename a section of a draft; its managers. A stale form gets 409."""
    template, section = _section(section_id)
    form = SectionForm(data={"title": section.title})
    status = save_versioned(
        template, form, lambda: services.update_section(template, section, form.title.data or "")
    )
    if status is None:
        flash("Đã lưu tên phần.", "success")
        return _to_detail(template.id, f"section-{section_id}")
    count = len(services.section_items(section))
    page = render_template(
        "pilots/templates/section.html", form=form, template=template, section=section, count=count
    )
    return page, status


@bp.post("/sections/<int:section_id>/delete", endpoint="section_delete")
def section_delete(section_id: int):
    """Remove an empty section of a draft (one with items is refused, 422); its managers."""
    template, section = _section(section_id)
    form, title = VersionForm(), section.title
    _, status = _versioned(template, form, lambda: services.delete_section(template, section))
    if status is None:
        flash(f"Đã xóa phần “{title}”.", "success")
        return _to_detail(template.id)
    return _detail(load_template(template.id), status, _problem(form))


@bp.route("/sections/<int:section_id>/items/new", methods=["GET", "POST"], endpoint="item_create")
def item_create(section_id: int):
    """An item at the end of a section of a draft; its managers."""
    template, section = _section(section_id)
    form = ItemForm(data={"version": template.version})
    item, status = _versioned(
        template, form, lambda: items.add_item(template, section, form.values())
    )
    if status is None:
        flash("Đã thêm mục vào mẫu.", "success")
        return _to_detail(template.id, f"item-{item.id}")
    return _item_page(form, template, section, None, status)


@bp.route("/template-items/<int:item_id>/edit", methods=["GET", "POST"], endpoint="item_edit")
def item_edit(item_id: int):
    """Change an item of a draft; its managers. A stale form gets 409."""
    template, item = _item(item_id)
    form = ItemForm()
    if not form.is_submitted():
        form.show(items.item_values(item))
    status = save_versioned(
        template, form, lambda: items.update_item(template, item, form.values())
    )
    if status is None:
        flash("Đã lưu mục.", "success")
        return _to_detail(template.id, f"item-{item_id}")
    section = db.session.get(TemplateSection, item.section_id)
    return _item_page(form, template, section, item, status)


def _item_page(form: ItemForm, template, section, item, status: int):
    page = render_template(
        "pilots/templates/item.html",
        form=form,
        template=template,
        section=section,
        item=item,
    )
    return page, status


@bp.post("/template-items/<int:item_id>/delete", endpoint="item_delete")
def item_delete(item_id: int):
    """Remove an item of a draft; its managers."""
    template, item = _item(item_id)
    form, anchor = VersionForm(), f"section-{item.section_id}"
    _, status = _versioned(template, form, lambda: items.delete_item(template, item))
    if status is None:
        flash("Đã xóa mục khỏi mẫu.", "success")
        return _to_detail(template.id, anchor)
    return _detail(load_template(template.id), status, _problem(form))


@bp.post("/template-items/<int:item_id>/move", endpoint="item_move")
def item_move(item_id: int):
    """Move an item up or down in its section; its managers. htmx: the section again."""
    template, item = _item(item_id)
    form, section_id = MoveForm(), item.section_id
    _, status = run_form(form, lambda: items.move_item(template, item, form.direction.data))
    if status is None and not is_htmx():
        return _to_detail(template.id, f"item-{item_id}")
    template = load_template(template.id)
    if not is_htmx():
        return _detail(template, status, _problem(form))
    section = db.session.get(TemplateSection, section_id)
    response = make_response(
        render_template(
            "pilots/templates/_section.html",
            template=template,
            section=section,
            section_items=services.section_items(section),
            can_edit=True,
            problem=_problem(form),
            formulas=FORMULA_LABELS,
        ),
        status or 200,
    )
    response.vary.add("HX-Request")
    return response
