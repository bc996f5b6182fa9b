"""Pilots: a checklist's page (everyone who may read it), filling in its items with an
autosaving form (the commune's staff) and sending it for review."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.clock import VIETNAM_OFFSET, today
from app.concurrency import StaleEdit, run_form
from app.extensions import db
from app.forms import parse_id
from app.htmx import htmx_target, is_htmx
from app.pilots import bp, permissions
from app.pilots.forms.filling import FillForm, SubmitForm
from app.pilots.models import ChecklistItem, TemplateItem
from app.pilots.routes import load_checklist, load_item, refuse
from app.pilots.routes.pages import answer, can_edit, item_context, page_context
from app.pilots.services import PilotError
from app.pilots.services.evidence import checklist_files
from app.pilots.services.filling import (
    Incomplete,
    edit_refusal,
    is_computed,
    save_item,
    submit_checklist,
    typed_value,
)
from app.units.services import units_by_id

STALE_ITEM = (
    "Người khác vừa lưu mục này trước bạn. Ô nhập bên dưới đã hiện kết quả mới nhất; "
    "điều bạn vừa nhập chưa được lưu — xem lại rồi nhập lại nếu cần."
)


def detail_url(checklist_id: int, item_id: int | None = None) -> str:
    anchor = f"item-{item_id}" if item_id else None
    return url_for("pilots.checklist_detail", checklist_id=checklist_id, _anchor=anchor)


@bp.get("/checklists/<int:checklist_id>", endpoint="checklist_detail")
def checklist_detail(checklist_id: int):
    """A checklist: its designation, totals, items section by section, evidence, review and
    trail; readers of the commune. htmx: one item (HX-Target item-<id>), the whole trail
    (HX-Target checklist-trail)."""
    checklist = load_checklist(checklist_id)
    target = htmx_target() or ""
    if target.startswith("item-"):
        item = db.session.get(ChecklistItem, parse_id(target[5:]) or 0)
        if item is None or item.checklist_id != checklist.id:
            abort(404)
        return render_item(checklist, item)
    full_trail = request.args.get("trail") == "all" or target == "checklist-trail"
    context = page_context(checklist, full_trail=full_trail)
    if target == "checklist-trail":
        return answer(render_template("pilots/checklists/_trail.html", **context))
    return answer(render_template("pilots/checklists/detail.html", **context))


@bp.route("/items/<int:item_id>", methods=["GET", "POST"], endpoint="item_save")
def item_save(item_id: int):
    """An item's form (GET; htmx: in place of the item) and its save: progress and value,
    the commune's staff while they may edit it. htmx autosave answers the status line (the
    version and the errors out of band); "Lưu và đóng" answers the item; a plain form 303 to the
    checklist (422/409: the item's page again, nothing saved)."""
    checklist, item = editable_item(item_id)
    if request.method == "GET":
        form = FillForm(formdata=None, data=form_data(item))
        return item_form(checklist, item, form)
    form = FillForm()
    closing = bool(request.form.get("close"))
    typed = form.value.data

    def act():
        try:
            return save_item(
                checklist, item, form.progress.data, typed, form.version.data, current_user
            )
        except StaleDataError:
            raise StaleEdit() from None

    _, status = run_form(form, act, rule_error=PilotError)
    checklist, item = load_item(item_id)
    if status == 409:
        return _stale_item(checklist, item, typed)
    if is_htmx():
        if not closing:
            return _autosave_answer(checklist, item, form, status)
        if status is None:
            return _in_place(render_item(checklist, item), item)
        return _in_place(item_form(checklist, item, form, status), item)
    if status is not None:
        return item_form(checklist, item, form, status)
    flash(f"Đã lưu mục “{_text(item)}”.", "success")
    return redirect(detail_url(checklist.id, item.id), 303)


@bp.post("/checklists/<int:checklist_id>/submit", endpoint="checklist_submit")
def checklist_submit(checklist_id: int):
    """Send the checklist for review (again, after a return); the commune's staff. 422 with
    the required items still empty, 409 when it changed since the page was read."""
    checklist = load_checklist(checklist_id)
    if not permissions.can_fill(current_user, checklist):
        refuse(edit_refusal(checklist))
    form = SubmitForm()
    missing = []

    def act():
        try:
            return submit_checklist(checklist, form.version.data, current_user, today())
        except Incomplete as error:
            missing.extend(error.rows)
            raise

    action, status = run_form(form, act, rule_error=PilotError)
    if status is None:
        what = "gửi duyệt lại" if action == "resubmitted" else "gửi duyệt"
        flash(f"Đã {what} bảng kiểm; cơ quan chỉ đạo sẽ xem xét từng mục.", "success")
        return redirect(detail_url(checklist_id), 303)
    checklist = load_checklist(checklist_id)
    form.version.data = checklist.version
    context = page_context(checklist, submit_form=form, missing=missing)
    return answer(render_template("pilots/checklists/detail.html", **context), status)


def render_item(checklist, item, status: int = 200, errors=None, **extra):
    """One item's fragment as the checklist page shows it (read mode), for htmx answers of
    this part and of the review (part C): the current user's rights, the row of the live
    (or frozen) view, ``errors`` (messages, (field, message) pairs or a form's errors)."""
    context = item_context(checklist, item, errors=errors, **extra)
    return answer(render_template("pilots/checklists/_item.html", **context), status)


def editable_item(item_id: int):
    """The item, when the current user may change it (404 outside their scope; 403 with the
    reason: sent for review, signed off, not returned, computed)."""
    checklist, item = load_item(item_id)
    if not permissions.can_edit_item(current_user, checklist, item):
        refuse(edit_refusal(checklist, item))
    if is_computed(item):
        refuse(
            "Mục này được tính tự động từ số liệu tổ hòa giải, hòa giải viên và sổ theo dõi; "
            "không nhập tay, không cần tệp minh chứng."
        )
    return checklist, item


def form_data(item) -> dict:
    spec_type = db.session.scalar(
        select(TemplateItem.item_type).where(TemplateItem.id == item.template_item_id)
    )
    return {
        "progress": item.progress,
        "value": typed_value(item, spec_type),
        "version": item.version,
    }


def item_form(checklist, item, form, status: int = 200, message=None, errors=None, done=None):
    """The item with its form (read mode once the user may no longer edit it): in place for
    htmx, else on a page of its own."""
    editing = can_edit(checklist, item)
    context = item_context(
        checklist,
        item,
        errors=errors,
        editing=editing,
        form=form,
        files=checklist_files(checklist.id) if editing else [],
        notice=message,
        done=done,
    )
    if is_htmx():
        return answer(render_template("pilots/checklists/_item.html", **context), status)
    context["units"] = units_by_id([checklist.unit_id])
    return answer(render_template("pilots/checklists/item.html", **context), status)


def _autosave_answer(checklist, item, form, status):
    """The autosave's answer: the status line, and out of band the version, the errors and
    the value as shown (the fields being typed in are left alone)."""
    context = item_context(checklist, item, form=form, saved=status is None)
    context["saved_at"] = f"{item.updated_at + VIETNAM_OFFSET:%H:%M}"
    return answer(render_template("pilots/checklists/_fill_status.html", **context), status or 200)


def _stale_item(checklist, item, typed):
    """Someone saved the item first: theirs is kept and shown in the form, with what this
    person typed named in the message (409). htmx: in place of the whole item."""
    if not can_edit(checklist, item):
        response = render_item(checklist, item, 409, errors=[edit_refusal(checklist, item)])
    else:
        form = FillForm(formdata=None, data=form_data(item))
        yours = f" Bạn đã nhập: “{typed.strip()[:200]}”." if (typed or "").strip() else ""
        response = item_form(checklist, item, form, 409, STALE_ITEM + yours)
    return _in_place(response, item) if is_htmx() else response


def _in_place(response, item):
    """An answer to the form (whose target is its status line) that replaces the whole item."""
    response.headers["HX-Retarget"] = f"#item-{item.id}"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _text(item) -> str:
    return db.session.scalar(
        select(TemplateItem.text).where(TemplateItem.id == item.template_item_id)
    )
