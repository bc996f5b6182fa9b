"""Pilots: the overview of the checklists of the user's subtree (filters, "load more", the
header's counts) and its .xlsx export."""

from flask import flash, redirect, request, url_for
from flask_login import current_user

from app.clock import today
from app.files.services import CONTENT_TYPES, XLSX
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.pilots import bp, permissions
from app.pilots.rules import CHECKLIST_STATUS_LABELS, KIND_LABELS
from app.pilots.services import exports
from app.pilots.services.overview import OverviewFilters, overview_page
from app.registry.excel.export import TooManyRows
from app.registry.routes.exports import download
from app.registry.routes.mediators import unit_options

# Rows per page: what keeps the htmx answer of a filter change (counts, legend, a page of
# rows with their meters) under 15 KB (QUALITY.md P8); a district's communes fit on one page.
PAGE_SIZE = 15


@bp.get("/", endpoint="index")
def index():
    """The checklists of the user's subtree, communes in order: completion and points per
    section, overdue items, the model criteria met now; filtered, with the header's counts;
    readers (commune staff see their commune's)."""
    filters = OverviewFilters.from_args(request.args)
    more = (htmx_target() or "").endswith(MORE_SUFFIX)
    overview = overview_page(
        current_user, filters, request.args.get("after"), PAGE_SIZE, today(), stats=not more
    )
    context = {
        "filters": filters,
        "page": overview.page,
        "stats": overview.stats,
        "legend": overview.legend,
    }
    if not more:
        context.update(unit_options=unit_options(filters.unit), oob=is_htmx())
    if not is_htmx():
        context.update(
            can_designate=permissions.can_designate(current_user),
            KIND_LABELS=KIND_LABELS,
            STATUS_LABELS=CHECKLIST_STATUS_LABELS,
        )
    return render_page_or_fragment(
        "pilots/index.html", "pilots/_list.html", rows_template="pilots/_rows.html", **context
    )


@bp.get("/export.xlsx", endpoint="export")
def export():
    """The overview as .xlsx with the same filters: one row per checklist ("Tổng hợp") and
    one per item ("Chi tiết"); readers."""
    filters = OverviewFilters.from_args(request.args)
    try:
        body = exports.overview_xlsx(current_user, filters, today())
    except TooManyRows as error:
        flash(str(error), "warning")
        return redirect(url_for("pilots.index", **filters.as_args()), 303)
    return download(body, f"chi-dao-diem-{today().isoformat()}.xlsx", CONTENT_TYPES[XLSX])
