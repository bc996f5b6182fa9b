"""Routes: .xlsx and .csv exports of the registry's lists, with the lists' own filters."""

from flask import Response, flash, redirect, request, stream_with_context, url_for
from flask_login import current_user

from app.clock import today
from app.files.services import CONTENT_TYPES, XLSX
from app.registry import bp
from app.registry.excel.export import TooManyRows, csv_chunks, export_query, xlsx_bytes
from app.registry.excel.lists import KINDS, ExportKind

FORMATS = "<any(xlsx, csv):fmt>"


def download(body, filename: str, mimetype: str) -> Response:
    """A file to save, never shown in the browser (the name is ASCII: no quoting needed)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def export_list(kind: ExportKind, fmt: str) -> Response:
    """Every row of a list that the user may see, filtered and ordered as on its page."""
    try:
        stmt = export_query(kind, current_user, request.args)
    except TooManyRows as error:
        flash(str(error), "warning")
        filters = kind.filters.from_args(request.args)
        return redirect(url_for(kind.list_endpoint, **filters.as_args()), 303)
    filename = f"{kind.filename}-{today().isoformat()}.{fmt}"
    if fmt == "csv":
        body = stream_with_context(csv_chunks(kind, stmt))
        return download(body, filename, "text/csv; charset=utf-8")
    return download(xlsx_bytes(kind, stmt), filename, CONTENT_TYPES[XLSX])


@bp.get(f"/mediators/export.{FORMATS}", endpoint="mediators_export")
def mediators_export(fmt: str):
    """The mediator list (the import template's columns, then commune, role, status); readers."""
    return export_list(KINDS["mediators"], fmt)


@bp.get(f"/teams/export.{FORMATS}", endpoint="teams_export")
def teams_export(fmt: str):
    """The team list with compliance in words; readers."""
    return export_list(KINDS["teams"], fmt)


@bp.get(f"/trainers/export.{FORMATS}", endpoint="trainers_export")
def trainers_export(fmt: str):
    """The trainer list; readers."""
    return export_list(KINDS["trainers"], fmt)


@bp.get(f"/trainings/export.{FORMATS}", endpoint="trainings_export")
def trainings_export(fmt: str):
    """The training sessions with their number of attendees; readers."""
    return export_list(KINDS["trainings"], fmt)
