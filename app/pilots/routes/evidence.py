"""Pilots: evidence files of a checklist's items — uploaded, attached again to another item,
removed (the commune's staff while they may edit the item), downloaded (its readers)."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from app.concurrency import StaleEdit, run_form
from app.extensions import db
from app.files.services import send_stored
from app.htmx import is_htmx
from app.pilots import bp
from app.pilots.forms.filling import AttachForm, FillForm, UploadForm
from app.pilots.routes import load_checklist, load_item
from app.pilots.routes.checklists import editable_item, form_data, item_form
from app.pilots.services import PilotError
from app.pilots.services.evidence import (
    attach_evidence,
    checklist_file,
    remove_evidence,
    upload_evidence,
)
from app.pilots.services.filling import edit_refusal


@bp.post("/items/<int:item_id>/evidence", endpoint="evidence_upload")
def evidence_upload(item_id: int):
    """Upload an evidence file for an item (PDF, JPEG, PNG, XLSX, DOCX; at most 10 MB; the
    type read from the content); the commune's staff while they may edit the item."""
    checklist, item = editable_item(item_id)
    form = UploadForm()

    def act():
        upload = form.file.data
        return upload_evidence(checklist, item, upload.read(), upload.filename, current_user)

    stored, status = run_form(form, act, rule_error=PilotError)
    done = f"Đã tải lên tệp “{stored.filename}”." if stored is not None else None
    return _answer(item_id, status, form, done)


@bp.post("/items/<int:item_id>/evidence/attach", endpoint="evidence_attach")
def evidence_attach(item_id: int):
    """Attach a file already in the checklist to this item too (nothing when it is there);
    the commune's staff while they may edit the item."""
    checklist, item = editable_item(item_id)
    form = AttachForm()

    def act():
        return attach_evidence(checklist, item, form.file(), current_user)

    attached, status = run_form(form, act, rule_error=PilotError)
    done = "Đã gắn tệp vào mục này." if attached else "Tệp đã có ở mục này."
    return _answer(item_id, status, form, done)


@bp.post("/items/<int:item_id>/evidence/<int:file_id>/delete", endpoint="evidence_remove")
def evidence_remove(item_id: int, file_id: int):
    """Take a file off an item (the file goes when nothing holds it any more); the commune's
    staff while they may edit the item. 404 when the file is not on the item."""
    checklist, item = editable_item(item_id)
    try:
        name = remove_evidence(checklist, item, file_id, current_user)
    except StaleEdit:
        db.session.rollback()
        return _answer(item_id, 409, None, None)
    if name is None:
        abort(404)
    db.session.commit()
    return _answer(item_id, None, None, f"Đã gỡ tệp “{name}” khỏi mục này.")


@bp.get("/checklists/<int:checklist_id>/files/<int:file_id>", endpoint="evidence_download")
def evidence_download(checklist_id: int, file_id: int):
    """A file of the checklist (attached to one of its items, or kept in a signed snapshot),
    as a download; readers of the checklist."""
    checklist = load_checklist(checklist_id)
    stored = checklist_file(checklist.id, file_id)
    if stored is None:
        abort(404)
    return send_stored(stored)


def _answer(item_id: int, status: int | None, form, done: str | None):
    """htmx: the item with its forms (its errors next to the file fields: 422; 409 when the
    checklist was sent meanwhile). Plain: 303 back to the item's page, or that page again."""
    checklist, item = load_item(item_id)
    errors = _errors(form) if status is not None else None
    fill = FillForm(formdata=None, data=form_data(item))
    if status == 409:
        errors, done = [("", edit_refusal(checklist, item))], None
    elif status is not None:
        done = None
    if status is None and not is_htmx():
        flash(done, "success")
        return redirect(
            url_for("pilots.item_save", item_id=item_id, _anchor=f"item-{item_id}"), 303
        )
    return item_form(checklist, item, fill, status or 200, errors=errors, done=done)


def _errors(form) -> list[tuple[str, str]]:
    if form is None:
        return []
    return [(name or "", message) for name, messages in form.errors.items() for message in messages]
