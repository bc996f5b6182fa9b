"""Commendations: decisions. Recording one over the accepted proposals it covers, its page,
a correction of its header, and the revocation of some of its awards."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.clock import today
from app.commendations import bp, permissions, rules
from app.commendations.forms.decisions import (
    DecisionEditForm,
    DecisionForm,
    RevokeForm,
    decision_data,
)
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.routes import load_decision
from app.commendations.services import decisions as services
from app.commendations.services import revocations
from app.commendations.services.candidates import issuing_units
from app.concurrency import run_form, save_versioned
from app.extensions import db
from app.htmx import htmx_target
from app.units.models import Unit
from app.units.services import units_by_id

# The candidates of one decision: a district's year of accepted proposals fits many times.
CANDIDATE_LIMIT = 300
CANDIDATES_ID = "decision-candidates"


def _may_manage(user, decision) -> bool:
    return permissions.can_manage_decision(user, decision)


_may_manage.reason = (
    "Chỉ cán bộ của cơ quan ban hành (hoặc cấp trên) mới được đính chính hay thu hồi "
    "quyết định này."
)


@bp.route("/decisions/new", methods=["GET", "POST"], endpoint="decision_create")
def decision_create():
    """Record a decision over accepted proposals of one form held within the user's subtree;
    officers and admins. ``?form=`` chooses the form; htmx swaps the candidates alone."""
    form = DecisionForm()
    code = (form.form.data if form.is_submitted() else request.args.get("form")) or ""
    code = code if code in rules.FORMS else _default_form()
    unit_id = form.unit_id()
    decision, status = run_form(
        form,
        lambda: services.create_decision(
            current_user,
            db.session.get(Unit, unit_id) if unit_id else None,
            form.values(code),
            form.proposal_ids(),
        ),
    )
    if status is None:
        count = db.session.scalar(
            select(func.count()).where(CommendationAward.decision_id == decision.id)
        )
        flash(f"Đã ghi Quyết định số {decision.number}: {count} khen thưởng.", "success")
        return redirect(url_for("commendations.decision_detail", decision_id=decision.id), 303)
    candidates = db.session.scalars(
        services.candidates_query(current_user, code).limit(CANDIDATE_LIMIT)
    ).all()
    units = issuing_units(current_user, candidates)
    form.unit.choices = [(str(u.id), u.name) for u in units]
    if not form.is_submitted():
        _defaults(form, code, units, candidates)
    chosen = form.proposal_ids() if form.is_submitted() else [p.id for p in candidates]
    context = {
        "form": form,
        "code": code,
        "candidates": candidates,
        "chosen": set(chosen),
        "more": len(candidates) == CANDIDATE_LIMIT,
        "units": units_by_id({p.unit_id for p in candidates} | {p.commune_id for p in candidates}),
        "form_labels": [(c, f.label) for c, f in rules.FORMS.items()],
        "form_label": rules.FORMS[code].label,
    }
    fragment = htmx_target() == CANDIDATES_ID and request.method == "GET"
    template = "_candidates.html" if fragment else "form.html"
    response = make_response(
        render_template(f"commendations/decisions/{template}", oob=fragment, **context), status
    )
    response.vary.add("HX-Request")
    return response


def _default_form() -> str:
    """The form a user's office usually grants: a district's Giấy khen, a province's Bằng khen."""
    level = current_user.unit.level
    for code, info in rules.FORMS.items():
        if info.level == level:
            return code
    return "giay_khen_huyen"


def _defaults(form: DecisionForm, code: str, units: list[Unit], candidates) -> None:
    """What a new decision's form starts with: the user's unit (an admin: the office holding
    the first candidate), its body and signer, the shared achievement, the usual basis."""
    unit = next((u for u in units if u.id == current_user.unit_id), None)
    if unit is None and candidates:
        unit = next((u for u in units if u.id == candidates[0].holder_unit_id), None)
    unit = unit or (units[0] if units else None)
    form.form.data = code
    form.unit.data = str(unit.id) if unit else None
    form.issuer_name.data, form.signer_title.data = services.default_issuer(code, unit)
    year = candidates[0].year if candidates else today().year
    form.achievement.data = services.default_achievement(candidates, year)
    form.legal_basis.data = services.DEFAULT_LEGAL_BASIS
    form.amount_vnd.data = 0


@bp.get("/decisions/<int:decision_id>", endpoint="decision_detail")
def decision_detail(decision_id: int):
    """A decision: its header, recipients with their serials, revocations and the total;
    readers of the issuing unit's subtree."""
    decision = load_decision(decision_id)
    rows = _recipients(decision)
    revocations = db.session.scalars(
        select(CommendationRevocation)
        .where(CommendationRevocation.decision_id == decision.id)
        .order_by(CommendationRevocation.signed_on, CommendationRevocation.id)
    ).all()
    counts = {}
    for award, _ in rows:
        if award.revocation_id:
            counts[award.revocation_id] = counts.get(award.revocation_id, 0) + 1
    unit_ids = {decision.unit_id} | {a.unit_id for a, _ in rows} | {a.commune_id for a, _ in rows}
    can_manage = permissions.can_manage_decision(current_user, decision)
    return render_template(
        "commendations/decisions/detail.html",
        decision=decision,
        rows=rows,
        revocations=revocations,
        counts=counts,
        units=units_by_id(unit_ids),
        total=sum(a.amount_vnd for a, _ in rows),
        standing=sum(a.amount_vnd for a, _ in rows if not a.revocation_id),
        can_manage=can_manage,
        can_revoke=can_manage and any(not a.revocation_id for a, _ in rows),
        can_view_proposal=permissions.can_view_proposal,
        form_info=rules.FORMS.get(decision.form),
        serial_text=rules.serial_text,
    )


def _recipients(decision: CommendationDecision):
    """(award, proposal) of a decision in the order of its serials, in one query."""
    return db.session.execute(
        select(CommendationAward, CommendationProposal)
        .join(CommendationProposal, CommendationProposal.id == CommendationAward.proposal_id)
        .where(CommendationAward.decision_id == decision.id)
        .order_by(CommendationAward.serial, CommendationAward.id)
    ).all()


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"], endpoint="decision_edit")
def decision_edit(decision_id: int):
    """Correct a decision's header (number, date, body, signer, achievement, amount, basis);
    officers of the issuing unit's subtree. A stale form gets 409."""
    decision = load_decision(decision_id, may=_may_manage)
    form = DecisionEditForm(data=decision_data(decision))
    status = save_versioned(
        decision,
        form,
        lambda: services.update_decision(decision, current_user, form.values(decision.form)),
    )
    if status is None:
        flash(f"Đã lưu đính chính Quyết định số {decision.number}.", "success")
        return redirect(url_for("commendations.decision_detail", decision_id=decision.id), 303)
    page = render_template("commendations/decisions/edit.html", form=form, decision=decision)
    return page, status


@bp.route(
    "/decisions/<int:decision_id>/revoke", methods=["GET", "POST"], endpoint="decision_revoke"
)
def decision_revoke(decision_id: int):
    """Revoke chosen awards of a decision by a revoking decision (number, date, signer,
    reason); officers of the issuing unit's subtree. Revoking one twice is refused."""
    decision = load_decision(decision_id, may=_may_manage)
    form = RevokeForm()
    rows = [(a, p) for a, p in _recipients(decision) if not a.revocation_id]
    if not form.is_submitted():
        form.awards.data = [str(a.id) for a, _ in rows]
    chosen = set(form.award_ids())
    revocation, status = run_form(
        form,
        lambda: revocations.revoke_awards(
            decision,
            current_user,
            form.award_ids(),
            form.number.data or "",
            form.signed_on.data,
            form.signer_name.data,
            form.reason.data,
        ),
    )
    if status is None:
        flash(
            f"Đã thu hồi {len(chosen)} khen thưởng theo Quyết định số {revocation.number}.",
            "success",
        )
        return redirect(url_for("commendations.decision_detail", decision_id=decision_id), 303)
    if status != 200:
        decision = load_decision(decision_id, may=_may_manage)
        rows = [(a, p) for a, p in _recipients(decision) if not a.revocation_id]
    page = render_template(
        "commendations/decisions/revoke.html",
        form=form,
        decision=decision,
        rows=rows,
        chosen=chosen,
        units=units_by_id({a.unit_id for a, _ in rows} | {a.commune_id for a, _ in rows}),
        serial_text=rules.serial_text,
    )
    return page, status
