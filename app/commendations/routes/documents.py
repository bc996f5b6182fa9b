"""Commendations: the printed documents. A decision in the Decree 30/2020 layout with its
annex (the list of recipients), and the certificates (giấy khen, bằng khen) of its awards, one
A4 landscape page each with its serial number in the issuing unit's book."""

from flask import render_template, url_for

from app.commendations import bp
from app.commendations.routes import load_decision, load_proposal
from app.commendations.rules import FORMS
from app.commendations.services import documents


@bp.get("/decisions/<int:decision_id>/print", endpoint="decision_print")
def decision_print(decision_id: int):
    """The decision as printed, with its annex (revoked awards marked); readers of the
    issuing unit's subtree."""
    decision = load_decision(decision_id)
    return render_template(
        "commendations/documents/decision.html", doc=documents.decision_document(decision)
    )


@bp.get("/decisions/<int:decision_id>/certificates", endpoint="decision_certificates")
def decision_certificates(decision_id: int):
    """The certificate of every award of the decision not revoked, one page each; readers of
    the issuing unit's subtree. 422 for a form printed without a certificate."""
    decision = load_decision(decision_id)
    back = url_for("commendations.decision_detail", decision_id=decision.id)
    problem = documents.certificate_problem(decision.form)
    if problem:
        return refused(problem, back, "Quay lại quyết định")
    doc = documents.decision_document(decision)
    if not doc.printable:
        message = "Mọi khen thưởng của quyết định này đã bị thu hồi: không còn giấy nào để in."
        return refused(message, back, "Quay lại quyết định")
    return render_template(
        "commendations/documents/certificates.html",
        decision=decision,
        letter=doc.letter,
        certificate=doc.certificate,
        recipients=doc.printable,
        back=back,
    )


@bp.get("/proposals/<int:proposal_id>/certificate", endpoint="award_certificate")
def award_certificate(proposal_id: int):
    """The certificate of the award a decision made of this proposal; readers who see both
    the proposal and the decision. 422 while there is no decision, once the award is revoked,
    or for a form printed without a certificate."""
    proposal = load_proposal(proposal_id)
    recipient = documents.award_of_proposal(proposal)
    back = url_for("commendations.proposal_detail", proposal_id=proposal.id)
    if recipient is None:
        return refused(documents.NO_DECISION, back, "Quay lại đề nghị")
    decision = load_decision(recipient.award.decision_id)
    problem = documents.certificate_problem(decision.form, recipient)
    if problem:
        return refused(problem, back, "Quay lại đề nghị")
    return render_template(
        "commendations/documents/certificates.html",
        decision=decision,
        letter=documents.certificate_letter(decision),
        certificate=FORMS[decision.form].certificate,
        recipients=[recipient],
        back=back,
    )


def refused(message: str, back: str, back_label: str):
    """Nothing to print: the reason, with 422 (nothing is changed)."""
    page = render_template(
        "commendations/documents/refused.html", message=message, back=back, back_label=back_label
    )
    return page, 422
