"""Commendations: making proposals (one, or many from a filtered list), changing a proposal,
resubmitting it after a return, withdrawing it. The contest's winners are proposed from the
contest's own page (contests.propose)."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.clock import today
from app.commendations import bp, permissions
from app.commendations.forms.proposals import (
    BulkForm,
    ProposalEditForm,
    ProposalForm,
    WithdrawForm,
)
from app.commendations.routes import load_proposal, refuse
from app.commendations.services import CommendationError, changes
from app.commendations.services import basis as bases
from app.commendations.services import candidates as lists
from app.commendations.services import proposals as services
from app.concurrency import run_form, save_versioned
from app.extensions import db
from app.forms import parse_id
from app.htmx import htmx_target, is_htmx, render_page_or_fragment
from app.registry.models import Mediator, Team
from app.security.scope import OutOfScope, placed_in_scope
from app.units.services import units_by_id

OTHER_KINDS = {"person": "Cá nhân khác", "organisation": "Tập thể, tổ chức khác"}
PROPOSERS_ONLY = (
    "Chỉ công chức Tư pháp - Hộ tịch cấp xã và cán bộ Tư pháp được đề nghị khen thưởng."
)


def _require_proposer() -> None:
    if not permissions.can_propose(current_user):
        refuse(PROPOSERS_ONLY)


@bp.route("/proposals/new", methods=["GET", "POST"], endpoint="proposal_create")
def proposal_create():
    """Propose one nominee of the user's subtree: a mediator or a team (?mediator= / ?team=,
    found by a search), or another person or organisation (?other=person|organisation);
    commune staff, officers and admins."""
    _require_proposer()
    kind, nominee = _nominee_from_args()
    if kind is None:
        return _search_page(status=422 if request.method == "POST" else 200)
    form = ProposalForm(kind)
    _period_from_args(form)
    if kind in OTHER_KINDS:
        form.set_units(lists.unit_options(current_user))
    elif htmx_target() == "basis-preview":
        return render_template(
            "commendations/proposals/_basis_preview.html",
            basis=_preview(nominee, form),
            kind=kind,
            period=_period(form),
        )

    def save():
        who = nominee or services.OtherNominee(
            kind=kind,
            name=form.nominee_name.data or "",
            unit_id=form.unit_id(),
            birth_year=form.nominee_birth_year.data,
            sex=form.nominee_sex.data,
            detail=form.nominee_detail.data,
        )
        return services.create_proposal(current_user, who, **form.values())

    proposal, status = run_form(form, save)
    if status is None:
        flash(f"Đã đề nghị khen thưởng {proposal.nominee_name}.", "success")
        return redirect(url_for("commendations.proposal_detail", proposal_id=proposal.id), 303)
    return render_template(
        "commendations/proposals/form.html",
        form=form,
        kind=kind,
        kind_label=OTHER_KINDS.get(kind)
        or ("Hòa giải viên" if kind == "mediator" else "Tổ hòa giải"),
        nominee=nominee,
        place=_place_of(nominee),
        basis=_preview(nominee, form) if nominee is not None else None,
        period=_period(form),
        proposal=None,
    ), status


def _nominee_from_args() -> tuple[str | None, Mediator | Team | None]:
    """The nominee named in the URL: (kind, the mediator or team) or (a kind of other
    nominee, None) or (None, None) when none is named yet. A mediator or team unknown or
    outside the user's subtree: 404 with the reason, nothing confirmed about the id."""
    for kind in ("mediator", "team"):
        if kind in request.args:
            try:
                nominee = services.find_nominee(kind, parse_id(request.args.get(kind)))
            except CommendationError as error:
                raise OutOfScope(str(error)) from None
            if not placed_in_scope(current_user, nominee):
                raise OutOfScope(services.OUT_OF_SCOPE[kind])
            return kind, nominee
    other = request.args.get("other")
    return (other, None) if other in OTHER_KINDS else (None, None)


def _period_from_args(form) -> None:
    """A GET carries the period in the query string (the live preview, the bulk list's
    filters): read it into the form, this year for what is missing or unreadable."""
    if request.method != "GET":
        return
    this_year = today().year
    for name in ("period_start", "period_end"):
        value = parse_id(request.args.get(name))
        getattr(form, name).data = value if value and 2000 <= value <= this_year else this_year


def _period(form) -> tuple[int, int]:
    """The form's period when readable (else this year), for a preview of the basis."""
    this_year = today().year
    start, end = form.period_start.data, form.period_end.data
    start = start if isinstance(start, int) and 2000 <= start <= this_year else this_year
    end = end if isinstance(end, int) and start <= end <= this_year else start
    return start, end


def _preview(nominee, form) -> bases.Basis:
    """The basis that will be pulled for the form's period."""
    start, end = _period(form)
    if isinstance(nominee, Mediator):
        return bases.basis_of(nominee, None, start, end)
    return bases.basis_of(None, nominee, start, end)


def _place_of(nominee) -> dict:
    """The names of the nominee's commune (and team, for a mediator)."""
    if nominee is None:
        return {}
    communes = units_by_id([nominee.commune_id])
    place = {"commune": communes[nominee.commune_id].name if nominee.commune_id else ""}
    if isinstance(nominee, Mediator):
        place["team"] = db.session.get(Team, nominee.team_id)
    return place


def _search_page(status: int = 200):
    """The nominee search (active search into #nominee-results) and the other kinds."""
    found = lists.search_nominees(current_user, request.args.get("q", ""))
    if status == 422:
        flash("Chọn người hoặc tổ hòa giải được đề nghị trước.", "error")
    return render_page_or_fragment(
        "commendations/proposals/form.html",
        "commendations/proposals/_nominee_search.html",
        status=status,
        found=found,
        kind=None,
        others=OTHER_KINDS,
    )


@bp.route("/proposals/bulk", methods=["GET", "POST"], endpoint="proposal_bulk")
def proposal_bulk():
    """Propose many mediators or teams of the user's subtree at once, from a filtered list
    with each one's basis; all or nothing. Commune staff, officers and admins."""
    _require_proposer()
    source = request.form if request.method == "POST" else request.args
    filters = lists.BulkFilters.from_args(source)
    form = BulkForm(filters.kind)
    _period_from_args(form)
    start, end = _period(form)
    keys = request.form.getlist("nominee")[: lists.BULK_LIMIT]

    def save():
        chosen, unknown = lists.chosen_nominees(keys)
        if unknown or any(not placed_in_scope(current_user, n) for n in chosen):
            raise OutOfScope(
                services.OUT_OF_SCOPE["mediator" if filters.kind != "team" else "team"]
            )
        return services.create_proposals(current_user, chosen, **form.values())

    made, status = run_form(form, save) if request.method == "POST" else (None, 200)
    if status is None:
        flash(f"Đã đề nghị khen thưởng {len(made)} người/tổ hòa giải.", "success")
        return redirect(url_for("commendations.proposals"), 303)
    listing = lists.bulk_candidates(current_user, filters, start, end)
    context = {
        "form": form,
        "filters": filters,
        "listing": listing,
        "checked": set(keys),
        "units": lists.unit_options(current_user),
        "start": start,
        "end": end,
    }
    if is_htmx() and request.method == "GET":
        return render_page_or_fragment(
            "commendations/proposals/bulk.html",
            "commendations/proposals/_bulk_rows.html",
            **context,
        )
    return render_template("commendations/proposals/bulk.html", **context), status


def _editable(proposal_id: int):
    """A proposal the user may change or withdraw: 404 outside their subtree, 403 with the
    reason otherwise (already accepted, decided, withdrawn, or another unit's)."""
    proposal = load_proposal(proposal_id)
    if not permissions.can_edit_proposal(current_user, proposal):
        refuse(changes.not_editable_reason(proposal))
    return proposal


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"], endpoint="proposal_edit")
def proposal_edit(proposal_id: int):
    """Change a proposal's form, achievement, period and note; saving a returned proposal
    resubmits it. The proposer's side until it is accepted; a stale form is 409."""
    proposal = _editable(proposal_id)
    form = ProposalEditForm(
        proposal.nominee_kind, obj=proposal if request.method == "GET" else None
    )
    done = []
    status = save_versioned(
        proposal,
        form,
        lambda: done.append(changes.update_proposal(proposal, current_user, **form.values())),
    )
    if status is None:
        message = "Đã lưu và đề nghị lại." if done == ["resubmit"] else "Đã lưu đề nghị."
        flash(message, "success")
        return redirect(url_for("commendations.proposal_detail", proposal_id=proposal_id), 303)
    return render_template(
        "commendations/proposals/form.html",
        form=form,
        kind=proposal.nominee_kind,
        kind_label=proposal.nominee_kind_label,
        nominee=None,
        place={},
        basis=None,
        proposal=proposal,
        withdraw_form=WithdrawForm(formdata=None),
    ), status


@bp.route(
    "/proposals/<int:proposal_id>/withdraw", methods=["GET", "POST"], endpoint="proposal_withdraw"
)
def proposal_withdraw(proposal_id: int):
    """Withdraw a proposal (kept, marked withdrawn), after a confirmation page with an
    optional reason; the proposer's side until it is accepted."""
    proposal = _editable(proposal_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_template(
            "commendations/proposals/form.html",
            kind=proposal.nominee_kind,
            kind_label=proposal.nominee_kind_label,
            proposal=proposal,
            withdraw_only=True,
            withdraw_form=form,
        ), 422 if form.is_submitted() else 200
    try:
        changes.withdraw_proposal(proposal, current_user, form.reason.data)
    except CommendationError as error:
        db.session.rollback()
        refuse(str(error))
    db.session.commit()
    flash(f"Đã rút đề nghị khen thưởng {proposal.nominee_name}.", "success")
    return redirect(url_for("commendations.proposal_detail", proposal_id=proposal_id), 303)
