"""Commendations: the area's home (what waits, the year's counts, the count per unit) and the
lists of proposals and decisions with their filters, "load more" and .xlsx/.csv exports."""

from flask import render_template, request, url_for
from flask_login import current_user

from app.clock import today
from app.commendations import bp, permissions
from app.commendations.forms.lists import (
    SHORT_FORM_LABELS,
    DecisionFilters,
    ProposalFilters,
    parse_year,
    year_choices,
)
from app.commendations.rules import NOMINEE_KIND_LABELS, PROPOSAL_STATUS_LABELS
from app.commendations.services import counts, exports, queries
from app.extensions import db
from app.forms import parse_id
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.registry.routes.exports import export_list
from app.registry.routes.mediators import unit_options
from app.security.scope import require_in_scope
from app.units.models import Unit
from app.units.services import ancestors

EXPORT_FORMATS = ("xlsx", "csv")
# Rows per page: what keeps an htmx page of rows under 15 KB with real names and bases
# (QUALITY.md P8); a proposal's row is the heavier one.
PROPOSAL_PAGE_SIZE = 30
DECISION_PAGE_SIZE = 40


def _list_context(filters) -> dict:
    """What a list's page and its filter fragment show around the rows: the choices of the
    filters (the unit drill-down swapped out of band when a filter changes)."""
    if (htmx_target() or "").endswith(MORE_SUFFIX):
        return {}
    return {
        "unit_options": unit_options(filters.unit),
        "oob": is_htmx(),
        "years": year_choices(filters.year),
    }


@bp.get("/proposals", endpoint="proposals")
def proposals():
    """The proposals whose nominee lies in the user's subtree, filtered, newest first, with
    checkboxes for a bulk review where the user reviews; ?format=xlsx|csv exports every row
    matching the filters; readers."""
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS:
        return export_list(exports.PROPOSALS, fmt)
    filters = ProposalFilters.from_args(request.args)
    page = queries.proposal_page(
        current_user, filters, request.args.get("after"), PROPOSAL_PAGE_SIZE
    )
    context = {
        "filters": filters,
        "page": page,
        "reviewer": current_user.role in permissions.OFFICES,
        "list_url": url_for("commendations.proposals", **filters.as_args()),
        "basis": queries.basis_summary,
        "FORM_LABELS": SHORT_FORM_LABELS,
        **_list_context(filters),
    }
    if not is_htmx():
        context.update(
            can_propose=permissions.can_propose(current_user),
            STATUS_LABELS=PROPOSAL_STATUS_LABELS,
            KIND_LABELS=NOMINEE_KIND_LABELS,
        )
    return render_page_or_fragment(
        "commendations/proposals/list.html",
        "commendations/proposals/_list.html",
        rows_template="commendations/proposals/_rows.html",
        **context,
    )


@bp.get("/decisions", endpoint="decisions")
def decisions():
    """The decisions issued by bodies of the user's subtree, filtered, newest first, with
    their recipients and total amount; ?format=xlsx|csv exports one row per award; readers."""
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS:
        return export_list(exports.AWARDS, fmt)
    filters = DecisionFilters.from_args(request.args)
    page = queries.decision_page(
        current_user, filters, request.args.get("after"), DECISION_PAGE_SIZE
    )
    context = {
        "filters": filters,
        "page": page,
        "FORM_LABELS": SHORT_FORM_LABELS,
        **_list_context(filters),
    }
    if not is_htmx():
        context["can_decide"] = permissions.can_decide(current_user)
    return render_page_or_fragment(
        "commendations/decisions/list.html",
        "commendations/decisions/_list.html",
        rows_template="commendations/decisions/_rows.html",
        **context,
    )


@bp.get("/", endpoint="index")
def index():
    """The area's home: what waits for the user's review, the year's proposals and decisions,
    and the count of awards per unit below the user's unit (?unit= a unit of the subtree to
    look into, ?year=); readers."""
    year = parse_year(request.args.get("year")) or today().year
    unit = _counts_unit(request.args.get("unit"))
    return render_template(
        "commendations/index.html",
        year=year,
        years=year_choices(year),
        unit=unit,
        trail=_trail(unit),
        counts=counts.award_counts(unit, year),
        groups=list(counts.FORM_GROUPS),
        overview=counts.overview(current_user, year),
        STATUS_LABELS=PROPOSAL_STATUS_LABELS,
        can_propose=permissions.can_propose(current_user),
        can_decide=permissions.can_decide(current_user),
    )


def _counts_unit(raw: str | None) -> Unit | None:
    """The unit whose children are counted: the one asked for (404 outside the subtree),
    else the user's own; the whole country (None) for an admin."""
    unit_id = parse_id(raw)
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        require_in_scope(current_user, unit.id if unit else None)
        return unit
    return None if current_user.is_admin else current_user.unit


def _trail(unit: Unit | None) -> list[Unit]:
    """The units from the top of the user's view down to ``unit`` (to go back up)."""
    if unit is None:
        return []
    chain = ancestors(unit.id)
    if not current_user.is_admin:
        ids = [u.id for u in chain]
        chain = chain[ids.index(current_user.unit_id) :] if current_user.unit_id in ids else []
    return chain
