"""Pilots: review by the designating office — accept or return items (htmx answers the item),
sign off (the snapshot), reopen; a past snapshot; the printed report of a commune."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.clock import today
from app.concurrency import check_version, run_form
from app.extensions import db
from app.htmx import is_htmx
from app.pilots import bp, permissions
from app.pilots.forms.review import ReopenForm, ReturnForm, VersionForm
from app.pilots.models import ChecklistSnapshot, TemplateItem
from app.pilots.routes import load_checklist, load_item, refuse
from app.pilots.services import PilotError
from app.pilots.services import review as services
from app.pilots.services.view import checklist_view
from app.units.models import Unit


def _detail_url(checklist_id: int, item_id: int | None = None) -> str:
    anchor = f"item-{item_id}" if item_id else None
    return url_for("pilots.checklist_detail", checklist_id=checklist_id, _anchor=anchor)


@bp.post("/items/<int:item_id>/accept", endpoint="item_accept")
def item_accept(item_id: int):
    """Accept one item of a submitted checklist; officers of the designating office or above."""
    return _review_item(item_id, "accept")


@bp.post("/items/<int:item_id>/return", endpoint="item_return")
def item_return(item_id: int):
    """Return one item with a reason (the checklist goes back to the commune); officers of the
    designating office or above."""
    return _review_item(item_id, "return")


def _review_item(item_id: int, action: str):
    """Load → authorize (403 with the reason) → act. htmx: the item's fragment (422 with the
    reason's error, 409 when the item changed); otherwise 303 to the item on the checklist
    page, or the return form again."""
    checklist, item = load_item(item_id)
    if problem := services.review_refusal(current_user, checklist):
        refuse(problem)
    form = ReturnForm() if action == "return" else VersionForm()

    def act():
        check_version(item, form.version.data)
        if action == "return":
            return services.return_item(checklist, item, current_user, form.reason.data)
        return services.accept_item(checklist, item, current_user)

    _, status = run_form(form, act, rule_error=PilotError)
    checklist, item = load_item(item_id)
    if is_htmx():
        return _item_answer(checklist, item, status or 200, form)
    text = db.session.get(TemplateItem, item.template_item_id).text
    if status is None:
        done = "Đã chấp nhận" if action == "accept" else "Đã trả lại cho xã"
        flash(f"{done} mục “{text}”.", "success")
        return redirect(_detail_url(checklist.id, item.id), 303)
    form.version.data = item.version
    return _refused(action, checklist, status, form=form, item=item, item_text=text)


def _item_answer(checklist, item, status: int, form):
    """The item's fragment (part B's, with a stale message on top and the reason's error next
    to it), and the review panel refreshed out of band: its counts and what the office may do
    next change with every review."""
    from app.pilots.routes.checklists import render_item

    response = render_item(checklist, item, status=status, errors=form.errors)
    panel = render_template(
        "pilots/checklists/_review_panel.html", oob=True, **_panel_context(checklist)
    )
    response.set_data(response.get_data(as_text=True) + panel)
    return response


def _panel_context(checklist) -> dict:
    return {
        "checklist": checklist,
        "view": checklist_view(checklist, today()),
        "can_review": permissions.can_review(current_user, checklist),
        "can_reopen": permissions.can_reopen(current_user, checklist),
        "snapshots": services.snapshots_of(checklist),
    }


@bp.post("/checklists/<int:checklist_id>/signoff", endpoint="checklist_signoff")
def checklist_signoff(checklist_id: int):
    """Sign off a submitted checklist, freezing every value in a snapshot dated today;
    officers of the designating office or above. 422 while an item is returned."""
    checklist = load_checklist(checklist_id)
    if problem := services.review_refusal(current_user, checklist):
        refuse(problem)
    form = VersionForm()

    def act():
        check_version(checklist, form.version.data)
        return services.sign_off_checklist(checklist, current_user, today()).as_of

    as_of, status = run_form(form, act, rule_error=PilotError)
    if status is None:
        flash(f"Đã ký duyệt bảng kiểm; số liệu được chốt ngày {as_of:%d/%m/%Y}.", "success")
        return redirect(_detail_url(checklist_id), 303)
    checklist = load_checklist(checklist_id)
    return _refused(
        "signoff", checklist, status, form=form, view=checklist_view(checklist, today())
    )


@bp.post("/checklists/<int:checklist_id>/reopen", endpoint="checklist_reopen")
def checklist_reopen(checklist_id: int):
    """Reopen a signed-off checklist with a reason (its snapshot kept); officers of the
    designating office or above. 422 without a reason."""
    checklist = load_checklist(checklist_id)
    if problem := services.reopen_refusal(current_user, checklist):
        refuse(problem)
    form = ReopenForm()

    def act():
        check_version(checklist, form.version.data)
        return services.reopen_checklist(checklist, current_user, form.reason.data)

    _, status = run_form(form, act, rule_error=PilotError)
    if status is None:
        flash("Đã mở lại bảng kiểm; số liệu đã chốt trước đây vẫn được lưu.", "success")
        return redirect(_detail_url(checklist_id), 303)
    checklist = load_checklist(checklist_id)
    form.version.data = checklist.version
    return _refused("reopen", checklist, status, form=form)


def _refused(action: str, checklist, status: int, **context):
    """Nothing changed: the form again with its messages (422, 409) on a page of its own."""
    page = render_template(
        "pilots/review/refused.html",
        action=action,
        checklist=checklist,
        commune=db.session.get(Unit, checklist.unit_id),
        back=_detail_url(checklist.id, context["item"].id if "item" in context else None),
        **context,
    )
    return page, status


@bp.get("/snapshots/<int:snapshot_id>", endpoint="snapshot_detail")
def snapshot_detail(snapshot_id: int):
    """A snapshot frozen at a sign-off, read-only, with its date and who signed; readers of
    the checklist."""
    snapshot = db.session.get(ChecklistSnapshot, snapshot_id)
    if snapshot is None:
        abort(404)
    checklist = load_checklist(snapshot.checklist_id)
    page = services.snapshot_page(checklist, snapshot)
    return render_template("pilots/snapshots/detail.html", checklist=checklist, page=page)


@bp.get("/checklists/<int:checklist_id>/print", endpoint="checklist_print")
def checklist_print(checklist_id: int):
    """The printed report of the commune's checklist (Decree 30/2020 layout): frozen values
    once signed off, else as of today; readers of the checklist."""
    checklist = load_checklist(checklist_id)
    report = services.checklist_report(checklist, today())
    return render_template("pilots/print/report.html", report=report, checklist=checklist)
