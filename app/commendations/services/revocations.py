"""Revoking awards (thu hồi khen thưởng, DOMAIN.md §6): by another decision, with its number
and reason; the awards stay, marked revoked, and revoking one twice is refused. They flush,
never commit."""

from datetime import date

from sqlalchemy import select

from app.clock import today
from app.commendations import rules
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.services import CommendationError, add_step, user_id
from app.commendations.services.decisions import REASON_MAX
from app.concurrency import lock_row
from app.extensions import db


def revoke_awards(
    decision: CommendationDecision,
    user,
    award_ids: list[int],
    number: str,
    signed_on: date | None,
    signer_name: str | None,
    reason: str | None,
) -> CommendationRevocation:
    """Revoke chosen awards of a decision by a revoking decision; an award revoked already is
    refused by name. The awards stay, marked revoked. Managers of the decision."""
    problems = []
    if problem := rules.number_problem(number):
        problems.append(("number", problem))
    if signed_on is None:
        problems.append(("signed_on", "Nhập ngày ký quyết định thu hồi."))
    elif signed_on > today():
        problems.append(("signed_on", "Ngày ký không được sau ngày hôm nay."))
    elif signed_on < decision.signed_on:
        problems.append(
            ("signed_on", "Ngày thu hồi không được trước ngày ký quyết định khen thưởng.")
        )
    reason = (reason or "").strip()
    if not reason:
        problems.append(("reason", "Nhập lý do thu hồi."))
    elif len(reason) > REASON_MAX:
        problems.append(("reason", "Lý do tối đa 2.000 ký tự."))
    ids = list(dict.fromkeys(award_ids))
    if not ids:
        problems.append(("awards", "Chọn ít nhất một khen thưởng để thu hồi."))
    if problems:
        raise CommendationError(problems)
    # Two revocations of the same decision wait for each other, then read the awards afresh.
    lock_row(CommendationDecision, decision.id)
    rows = db.session.execute(
        select(CommendationAward, CommendationProposal.nominee_name)
        .join(CommendationProposal, CommendationProposal.id == CommendationAward.proposal_id)
        .where(CommendationAward.id.in_(ids))
        .execution_options(populate_existing=True)
    ).all()
    if len(rows) != len(ids) or any(a.decision_id != decision.id for a, _ in rows):
        raise CommendationError("Khen thưởng đã chọn không thuộc quyết định này.", "awards")
    revoked = [(a, name) for a, name in rows if a.revocation_id is not None]
    if revoked:
        numbers = dict(
            db.session.execute(
                select(CommendationRevocation.id, CommendationRevocation.number).where(
                    CommendationRevocation.id.in_({a.revocation_id for a, _ in revoked})
                )
            ).all()
        )
        raise CommendationError(
            [
                (
                    "awards",
                    f"Khen thưởng của {name} đã bị thu hồi theo Quyết định số "
                    f"{numbers.get(a.revocation_id, '')}.",
                )
                for a, name in revoked
            ]
        )
    revocation = CommendationRevocation(
        decision_id=decision.id,
        number=" ".join(number.split()),
        number_folded=rules.number_key(number),
        year=signed_on.year,
        signed_on=signed_on,
        signer_name=(signer_name or "").strip() or None,
        reason=reason,
        by_user_id=user_id(user),
    )
    db.session.add(revocation)
    db.session.flush()
    proposals = {
        p.id: p
        for p in db.session.scalars(
            select(CommendationProposal).where(
                CommendationProposal.id.in_([a.proposal_id for a, _ in rows])
            )
        )
    }
    for award, _ in rows:
        award.revocation_id = revocation.id
        add_step(
            proposals[award.proposal_id],
            "revoke",
            user,
            from_unit_id=decision.unit_id,
            reason=f"Quyết định số {revocation.number}: {reason}",
        )
    db.session.flush()
    return revocation


# The issuing units offered on the decision form: a province's communes are a few hundred.
