"""Commendations: a proposal's page and its review by the supervising office (accept, return,
forward), one proposal or many ticked in a list."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from app.commendations import bp, permissions, rules
from app.commendations.forms.review import BulkReviewForm, ReviewForm
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
    ProposalStep,
)
from app.commendations.routes import load_proposal, refuse
from app.commendations.services import review as services
from app.concurrency import check_version, run_form
from app.contests.models import Contest
from app.contests.permissions import can_view as can_view_contest
from app.extensions import db
from app.registry import permissions as registry_permissions
from app.registry.models import Mediator, Team
from app.units.services import units_by_id
from app.users.models import User

DONE = {
    "accept": "Đã chấp thuận đề nghị khen thưởng {name}.",
    "return": "Đã trả lại đề nghị khen thưởng {name}.",
    "forward": "Đã chuyển đề nghị khen thưởng {name} lên {office}.",
}


@bp.get("/proposals/<int:proposal_id>", endpoint="proposal_detail")
def proposal_detail(proposal_id: int):
    """A proposal: nominee, basis, live warnings, its steps, its award and the review block;
    readers of the nominee's subtree."""
    proposal = load_proposal(proposal_id)
    form = ReviewForm(formdata=None, data={"version": proposal.version})
    return _page(proposal, form)


@bp.post("/proposals/<int:proposal_id>/accept", endpoint="proposal_accept")
def proposal_accept(proposal_id: int):
    """Accept a proposal within the holding office's authority; its reviewers."""
    return _review(proposal_id, "accept")


@bp.post("/proposals/<int:proposal_id>/return", endpoint="proposal_return")
def proposal_return(proposal_id: int):
    """Return a proposal to its proposer with a reason; its reviewers."""
    return _review(proposal_id, "return")


@bp.post("/proposals/<int:proposal_id>/forward", endpoint="proposal_forward")
def proposal_forward(proposal_id: int):
    """Forward a proposal above the holding office's authority to the office above; its
    reviewers."""
    return _review(proposal_id, "forward")


def _review(proposal_id: int, action: str):
    """Load → authorize (403 with the reason) → act: 303 back to the proposal; its page with
    the message (422) when the rules refuse, 409 when it changed since it was read."""
    proposal = load_proposal(proposal_id)
    if problem := services.review_refusal(current_user, proposal):
        refuse(problem)
    form = ReviewForm()
    name = proposal.nominee_name

    def act():
        check_version(proposal, form.version.data)
        if action == "accept":
            services.accept_proposal(proposal, current_user)
        elif action == "return":
            services.return_proposal(proposal, current_user, form.reason.data)
        else:
            services.forward_proposal(proposal, current_user)
        return units_by_id([proposal.holder_unit_id]).get(proposal.holder_unit_id)

    office, status = run_form(form, act)
    if status is None:
        flash(DONE[action].format(name=name, office=office.name if office else ""), "success")
        return redirect(url_for("commendations.proposal_detail", proposal_id=proposal_id), 303)
    proposal = load_proposal(proposal_id)
    return _page(proposal, form, status)


def _page(proposal: CommendationProposal, form: ReviewForm, status: int = 200):
    """The proposal's page with everything it shows read up front (no lazy loads)."""
    steps = db.session.scalars(
        select(ProposalStep)
        .where(ProposalStep.proposal_id == proposal.id)
        .order_by(ProposalStep.at, ProposalStep.id)
    ).all()
    award_row = db.session.execute(
        select(CommendationAward, CommendationDecision, CommendationRevocation)
        .join(CommendationDecision, CommendationDecision.id == CommendationAward.decision_id)
        .outerjoin(
            CommendationRevocation,
            CommendationRevocation.id == CommendationAward.revocation_id,
        )
        .where(CommendationAward.proposal_id == proposal.id)
    ).first()
    unit_ids = {proposal.unit_id, proposal.commune_id, proposal.proposer_unit_id}
    unit_ids |= {proposal.holder_unit_id}
    unit_ids |= {s.from_unit_id for s in steps} | {s.to_unit_id for s in steps}
    user_ids = {s.by_user_id for s in steps} | {proposal.proposed_by_id}
    users = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids - {None})))
    }
    reviewable = permissions.can_review(current_user, proposal)
    basis_team = db.session.get(Team, proposal.basis_team_id) if proposal.basis_team_id else None
    context = {
        "proposal": proposal,
        "form": form,
        "steps": steps,
        "units": units_by_id(unit_ids),
        "users": users,
        "award": award_row,
        "nominee": _registry_url(proposal.mediator_id, proposal.team_id),
        "basis_team": basis_team,
        "basis_team_url": _registry_url(None, proposal.basis_team_id) if basis_team else None,
        "contest": _contest(proposal),
        "warnings": services.proposal_warnings(proposal),
        "authority": services.authority(proposal) if reviewable else None,
        "can_review": reviewable,
        "can_edit": permissions.can_edit_proposal(current_user, proposal),
        "can_view_decision": award_row is not None
        and permissions.can_view_decision(current_user, award_row[1]),
        "form_info": rules.FORMS.get(proposal.form),
        "serial_text": rules.serial_text,
    }
    return render_template("commendations/proposals/detail.html", **context), status


def _registry_url(mediator_id: int | None, team_id: int | None) -> str | None:
    """The registry page of a mediator (else a team), when the user may open it."""
    if mediator_id:
        record, endpoint, arg = db.session.get(Mediator, mediator_id), "mediator", "mediator_id"
    elif team_id:
        record, endpoint, arg = db.session.get(Team, team_id), "team", "team_id"
    else:
        return None
    if record is None or not registry_permissions.can_view(current_user, record):
        return None
    return url_for(f"registry.{endpoint}_detail", **{arg: record.id})


def _contest(proposal: CommendationProposal):
    """The contest of the prize in the basis, when the user may open it."""
    if not proposal.contest_id:
        return None
    contest = db.session.get(Contest, proposal.contest_id)
    if contest is None or not can_view_contest(current_user, contest):
        return None
    return contest


@bp.post("/proposals/review", endpoint="review_bulk")
def review_bulk():
    """Accept, return or forward the proposals ticked in a list, all or nothing; reviewers.
    One not visible: 404; one the user may not review: 403 naming it; one the rules refuse:
    422 naming each with its reason."""
    form = BulkReviewForm()
    back = _same_site(form.next.data) or url_for("commendations.proposals")
    if form.validate_on_submit():
        try:
            count = services.review_many(
                form.proposal_ids(), form.action.data or "", current_user, form.reason.data
            )
        except services.ReviewRefused as error:
            db.session.rollback()
            refuse(" ".join(message for _, message in error.errors))
        except services.CommendationError as error:
            db.session.rollback()
            problems = [message for _, message in error.errors]
        else:
            db.session.commit()
            label = services.ACTIONS[form.action.data].lower()
            flash(f"Đã {label} {count} đề nghị khen thưởng.", "success")
            return redirect(back, 303)
    else:
        problems = [message for errors in form.errors.values() for message in errors]
    return (
        render_template(
            "commendations/proposals/review_refused.html",
            problems=problems,
            action=services.ACTIONS.get(form.action.data or "", ""),
            back=back,
        ),
        422,
    )


def _same_site(path: str | None) -> str | None:
    """A relative path of this site to go back to ("/commendations/proposals?year=2026")."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or len(path) > 2000:
        return None
    if any(ord(c) < 32 for c in path):
        return None
    return path
