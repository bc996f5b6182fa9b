"""Routes: importing mediators from a commune's Excel template — the template, the upload,
the dry run with its bad rows, then applying it all or nothing (QUALITY.md R8)."""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.files.models import StoredFile
from app.files.services import CONTENT_TYPES, XLSX, UploadError, check_upload
from app.forms import parse_id
from app.registry import bp, permissions
from app.registry.excel.importer import apply_plan
from app.registry.excel.planner import Plan, plan_import
from app.registry.excel.reader import FileProblem, read_sheet
from app.registry.excel.template import build_errors, build_template
from app.registry.excel.uploads import commune_of_upload, display_name, find_import, store_import
from app.registry.forms.imports import ApplyForm, CommuneForm, CommuneLookupForm, UploadForm
from app.registry.models import Mediator, Team
from app.registry.routes.exports import download
from app.security.scope import require_in_scope, scope_to_user
from app.text import fold
from app.units.models import Level, Unit
from app.units.services import paths_of
from app.users.models import Role

MAX_CHOICES = 400
# Rows listed per table of the dry run (QUALITY.md P8): the counts are complete, the bad rows
# are all in their .xlsx.
SHOWN_ROWS = 50
SHOWN_BAD_ROWS = 100


def load_commune(commune_id: int | None) -> Unit:
    """Load → authorize: a current commune that the user may manage (404 outside the scope)."""
    unit = db.session.get(Unit, commune_id) if commune_id else None
    if unit is None or unit.level != Level.COMMUNE or unit.valid_to is not None:
        abort(404)
    require_in_scope(current_user, unit.id)
    if not permissions.can_add_in_unit(current_user, unit):
        abort(403)
    return unit


def chosen_commune() -> Unit | None:
    """The commune of ?commune=, else the commune of commune staff, else none yet."""
    if request.args.get("commune"):
        return load_commune(parse_id(request.args["commune"]))
    if current_user.unit.level == Level.COMMUNE:
        return load_commune(current_user.unit_id)
    return None


def load_upload(file_id: int) -> tuple[StoredFile, Unit]:
    """Load → authorize an upload: an import made for a commune that the user may manage, by
    someone who may manage it too; 404 for anything else."""
    stored = db.session.get(StoredFile, file_id)
    commune_id = commune_of_upload(stored) if stored else None
    asked = request.args.get("commune")
    if commune_id is None or (asked is not None and parse_id(asked) != commune_id):
        abort(404)
    commune = load_commune(commune_id)
    if find_import(file_id, commune) is None:
        abort(404)
    return stored, commune


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "xa"


def commune_chooser(commune: Unit | None):
    """The commune choice for officers and admins: a select, or a typed name when the user's
    subtree has too many communes for one."""
    if current_user.role == Role.COMMUNE_STAFF:
        return None
    stmt = select(Unit).where(Unit.level == Level.COMMUNE, Unit.valid_to.is_(None))
    stmt = scope_to_user(stmt, Unit.id, current_user).order_by(Unit.name_folded, Unit.id)
    units = list(db.session.scalars(stmt.limit(MAX_CHOICES + 1)))
    if len(units) > MAX_CHOICES:
        return CommuneLookupForm(request.args)
    paths = paths_of([u.id for u in units])
    form = CommuneForm(data={"commune": str(commune.id) if commune else ""})
    form.commune.choices = [("", "— Chọn xã —")] + [
        (str(u.id), f"{u.name} ({paths[u.id][-1].name})" if paths[u.id] else u.name) for u in units
    ]
    return form


@bp.route("/import", methods=["GET", "POST"], endpoint="import_upload")
def import_upload():
    """Choose the commune, download its template, upload the filled file; editors."""
    if request.args.get("unit") and not request.args.get("commune"):
        lookup = CommuneLookupForm(request.args)
        unit = lookup.unit.unit if lookup.validate() else None
        if unit is not None and unit.level == Level.COMMUNE:
            return redirect(url_for("registry.import_upload", commune=unit.id), 303)
        if not lookup.unit.errors:
            lookup.unit.errors.append("Chọn một xã, phường hoặc thị trấn.")
        return render_template("registry/imports/upload.html", commune=None, chooser=lookup), 422
    commune = chosen_commune()
    form = UploadForm()
    if request.method == "POST":
        if commune is None:
            abort(404)
        if form.validate_on_submit():
            stored = _keep_upload(form, commune)
            if stored is not None:
                db.session.commit()
                return redirect(
                    url_for("registry.import_preview", file_id=stored.id, commune=commune.id), 303
                )
    return render_template(
        "registry/imports/upload.html",
        commune=commune,
        chooser=commune_chooser(commune),
        form=form,
    ), (422 if form.errors else 200)


def _keep_upload(form: UploadForm, commune: Unit) -> StoredFile | None:
    upload = form.file.data
    data = upload.read()
    try:
        check_upload(data, (XLSX,))
        read_sheet(data, header_only=True)
        return store_import(data, upload.filename or "tep.xlsx", commune)
    except (UploadError, FileProblem) as error:
        form.file.errors = [str(error)]
        return None


@bp.get("/import/template", endpoint="import_template")
def import_template():
    """The commune's template: its active mediators, drop-down lists, a help sheet; editors."""
    commune = chosen_commune()
    if commune is None:
        return redirect(url_for("registry.import_upload"), 303)
    teams = list(
        db.session.scalars(
            select(Team).where(Team.commune_id == commune.id).order_by(Team.name_folded, Team.id)
        )
    )
    mediators = db.session.execute(
        select(Mediator)
        .join(Team, Team.id == Mediator.team_id)
        .where(Mediator.commune_id == commune.id, Mediator.status == "active")
        .order_by(Team.name_folded, Team.id, Mediator.name_folded, Mediator.id)
    ).scalars()
    data = build_template(commune, teams, list(mediators))
    filename = f"mau-hoa-giai-vien-{slug(commune.name)}-{today().isoformat()}.xlsx"
    return download(data, filename, CONTENT_TYPES[XLSX])


@bp.get("/import/<int:file_id>", endpoint="import_preview")
def import_preview(file_id: int):
    """The dry run: what the file would create, update, leave alone, and its bad rows."""
    stored, commune = load_upload(file_id)
    try:
        plan = plan_import(stored.content, commune)
    except FileProblem as error:
        context = {"stored": stored, "name": display_name(stored), "commune": commune}
        context["problem"] = str(error)
        return render_template("registry/imports/preview.html", **context), 422
    return render_template(
        "registry/imports/preview.html",
        stored=stored,
        name=display_name(stored),
        commune=commune,
        plan=plan,
        form=ApplyForm(plan=plan.fingerprint()),
        shown=SHOWN_ROWS,
        shown_bad=SHOWN_BAD_ROWS,
    )


@bp.get("/import/<int:file_id>/errors.xlsx", endpoint="import_errors")
def import_errors(file_id: int):
    """The bad rows of an upload as they were, with a column of reasons; editors."""
    stored, commune = load_upload(file_id)
    try:
        plan = plan_import(stored.content, commune)
    except FileProblem:
        abort(404)
    filename = f"dong-loi-{slug(commune.name)}-{today().isoformat()}.xlsx"
    return download(build_errors(plan), filename, CONTENT_TYPES[XLSX])


@bp.post("/import/<int:file_id>/apply", endpoint="import_apply")
def import_apply(file_id: int):
    """Apply an upload, all or nothing, when it has no bad rows and its plan is the one the
    person confirmed; editors of the commune."""
    stored, commune = load_upload(file_id)
    form = ApplyForm()
    preview = url_for("registry.import_preview", file_id=file_id, commune=commune.id)
    try:
        plan = plan_import(stored.content, commune)
    except FileProblem as error:
        flash(str(error), "error")
        return redirect(preview, 303)
    refusal = _refusal(plan, form)
    if refusal:
        flash(refusal, "error" if plan.bad else "warning")
        return redirect(preview, 303)
    name = display_name(stored)
    if plan.has_changes:
        apply_plan(plan, f"tệp {name}")
        db.session.commit()
        flash(f"{plan.summary(done=True)} (tệp {name}).", "success")
    else:
        flash(f"Tệp {name} không có gì khác với dữ liệu đang lưu: không có thay đổi.", "info")
    return redirect(url_for("registry.mediators", unit=commune.id), 303)


def _refusal(plan: Plan, form: ApplyForm) -> str | None:
    if plan.bad:
        return (
            f"Tệp còn {len(plan.bad)} dòng lỗi nên chưa nhập dòng nào. Sửa các dòng lỗi trong "
            "tệp rồi tải tệp lên lại."
        )
    if not form.validate_on_submit() or form.plan.data != plan.fingerprint():
        return (
            "Dữ liệu của xã đã thay đổi từ lúc kiểm tra tệp. Hãy xem lại kết quả kiểm tra dưới "
            "đây rồi bấm “Nhập dữ liệu” lần nữa."
        )
    return None
