"""Making a proposal, one or many at once (DOMAIN.md §6); changing one is in changes.py.
Proposals are placed at the nominee's unit and go to the office above the proposer; their
basis is pulled from the registry and the logbook."""

from dataclasses import dataclass

from app.clock import today
from app.commendations.models import CommendationProposal
from app.commendations.services import (
    CommendationError,
    add_step,
    office_of,
    user_id,
)
from app.commendations.services.basis import (
    Basis,
    apply_basis,
    basis_of,
    bulk_bases,
)
from app.commendations.services.proposal_checks import (
    DETAIL_LENGTH,
    OtherNominee,
    normalize_text,
    other_nominee_errors,
    value_errors,
)
from app.extensions import db
from app.registry.models import Mediator, Team
from app.security.scope import in_scope, placed_in_scope, sees_everything
from app.text import fold, normalize
from app.units.models import Unit
from app.units.services import place

OUT_OF_SCOPE = {
    "mediator": "Hòa giải viên này không thuộc phạm vi quản lý của bạn.",
    "team": "Tổ hòa giải này không thuộc phạm vi quản lý của bạn.",
    "unit": "Đơn vị này không thuộc phạm vi quản lý của bạn.",
}


@dataclass(frozen=True)
class ContestLink:
    """The contest prize a proposal rests on."""

    contest_id: int
    entry_id: int
    snapshot_id: int
    prize_name: str


Nominee = Mediator | Team | OtherNominee


def find_nominee(kind: str, nominee_id: int | None) -> Mediator | Team:
    """The mediator or team of an id typed or posted; an unknown id is answered like one
    outside the user's scope (nothing is confirmed about ids that do not exist)."""
    model = Mediator if kind == "mediator" else Team
    found = db.session.get(model, nominee_id) if nominee_id else None
    if found is None:
        raise CommendationError(
            OUT_OF_SCOPE["mediator" if kind == "mediator" else "team"], "nominee"
        )
    return found


def kind_of(nominee: Nominee) -> str:
    if isinstance(nominee, Mediator):
        return "mediator"
    if isinstance(nominee, Team):
        return "team"
    return nominee.kind


def create_proposal(
    user,
    nominee: Nominee,
    form: str,
    achievement: str,
    period_start: int,
    period_end: int,
    basis_note: str | None = None,
    contest: ContestLink | None = None,
    *,
    basis: Basis | None = None,
    offices: dict | None = None,
) -> CommendationProposal:
    """Propose a nominee of the user's subtree for a form (commune staff, officers, admins):
    placed at the nominee's unit, sent to the office above the user's unit, basis pulled."""
    try:
        placed = require_nominee_in_scope(user, nominee)
    except CommendationError as error:
        if not isinstance(nominee, OtherNominee):
            raise
        # A typed-in nominee: say at once everything else that is wrong with the form.
        others = other_nominee_errors(nominee)
        others += value_errors(
            nominee.kind, None, form, achievement, period_start, period_end, basis_note
        )
        raise CommendationError(error.errors + others) from None
    if not sees_everything(user):
        proposer_unit_id = user.unit_id
    elif isinstance(placed, Unit):
        proposer_unit_id = placed.id
    else:
        proposer_unit_id = placed.commune_id or placed.unit_id
    return make_proposal(
        user,
        nominee,
        form=form,
        achievement=achievement,
        period_start=period_start,
        period_end=period_end,
        basis_note=basis_note,
        proposer_unit_id=proposer_unit_id,
        contest=contest,
        basis=basis,
        offices=offices,
    )


def require_nominee_in_scope(user, nominee: Nominee):
    """The record the proposal is placed like (the mediator, the team, or the unit chosen);
    CommendationError when it lies outside the user's subtree."""
    if isinstance(nominee, Mediator | Team):
        if not placed_in_scope(user, nominee):
            raise CommendationError(OUT_OF_SCOPE[kind_of(nominee)], "nominee")
        return nominee
    unit = db.session.get(Unit, nominee.unit_id) if nominee.unit_id else None
    if unit is None:
        raise CommendationError("Chọn đơn vị của người/tập thể được đề nghị.", "nominee_unit")
    if not in_scope(user, unit.id):
        raise CommendationError(OUT_OF_SCOPE["unit"], "nominee_unit")
    return unit


def make_proposal(
    user,
    nominee: Nominee,
    *,
    form: str,
    achievement: str,
    period_start: int,
    period_end: int,
    basis_note: str | None,
    proposer_unit_id: int,
    contest: ContestLink | None = None,
    year: int | None = None,
    basis: Basis | None = None,
    offices: dict | None = None,
) -> CommendationProposal:
    """Make the proposal once the caller has checked who may propose this nominee (the
    rules of the form, the text and the period are checked here). ``basis`` and ``offices``
    (proposer unit id → office) let a bulk proposal read them once for all."""
    kind = kind_of(nominee)
    mediator_id = nominee.id if kind == "mediator" else None
    errors = value_errors(
        kind, mediator_id, form, achievement, period_start, period_end, basis_note
    )
    if isinstance(nominee, OtherNominee):
        errors += other_nominee_errors(nominee)
    if errors:
        raise CommendationError(errors)
    offices = {} if offices is None else offices
    if proposer_unit_id not in offices:
        offices[proposer_unit_id] = office_of(proposer_unit_id).id
    proposal = CommendationProposal(
        year=year or today().year,
        form=form,
        status="submitted",
        nominee_kind=kind,
        achievement=normalize_text(achievement),
        period_start=period_start,
        period_end=period_end,
        basis_note=normalize_text(basis_note) or None,
        proposer_unit_id=proposer_unit_id,
        proposed_by_id=user_id(user),
        holder_unit_id=offices[proposer_unit_id],
    )
    _set_nominee(proposal, nominee)
    if contest is not None:
        proposal.contest_id = contest.contest_id
        proposal.contest_entry_id = contest.entry_id
        proposal.contest_snapshot_id = contest.snapshot_id
        proposal.prize_name = contest.prize_name
    if basis is not None:
        apply_basis(proposal, basis)
    elif kind in ("mediator", "team"):
        apply_basis(
            proposal,
            basis_of(
                nominee if kind == "mediator" else None,
                nominee if kind == "team" else None,
                period_start,
                period_end,
            ),
        )
    db.session.add(proposal)
    db.session.flush()
    add_step(
        proposal,
        "submit",
        user,
        from_unit_id=proposer_unit_id,
        to_unit_id=proposal.holder_unit_id,
    )
    return proposal


def _set_nominee(proposal: CommendationProposal, nominee: Nominee) -> None:
    """The nominee's name and detail as printed, and the proposal placed at their unit (a
    mediator or a team is Placed already: its columns are copied, no query)."""
    if isinstance(nominee, OtherNominee):
        name = normalize(nominee.name)
        proposal.nominee_name = name
        proposal.nominee_folded = fold(name)
        proposal.nominee_birth_year = nominee.birth_year if nominee.kind == "person" else None
        proposal.nominee_sex = (nominee.sex or None) if nominee.kind == "person" else None
        proposal.nominee_detail = normalize(nominee.detail) or None
        place(proposal, db.session.get(Unit, nominee.unit_id))
        return
    for column in ("unit_id", "commune_id", "district_id", "province_id"):
        setattr(proposal, column, getattr(nominee, column))
    if isinstance(nominee, Mediator):
        team = db.session.get(Team, nominee.team_id)
        proposal.mediator_id = nominee.id
        proposal.nominee_name = nominee.full_name
        proposal.nominee_folded = nominee.name_folded
        proposal.nominee_birth_year = nominee.birth_year
        proposal.nominee_sex = nominee.sex
        proposal.nominee_detail = mediator_detail(nominee, team, _commune_name(nominee))
    else:
        proposal.team_id = nominee.id
        proposal.nominee_name = nominee.name
        proposal.nominee_folded = nominee.name_folded
        proposal.nominee_detail = _commune_name(nominee) or None


def _commune_name(placed) -> str:
    commune = db.session.get(Unit, placed.commune_id) if placed.commune_id else None
    return commune.name if commune else ""


def mediator_detail(mediator: Mediator, team: Team | None, commune_name: str) -> str:
    """ "Hòa giải viên, Tổ trưởng, Tổ hòa giải Bản Nậm Pồ, Xã Sín Thầu"."""
    parts = ["Hòa giải viên"]
    if mediator.role == "leader":
        parts.append("Tổ trưởng")
    if team is not None:
        parts.append(team.name)
    if commune_name:
        parts.append(commune_name)
    return ", ".join(parts)[:DETAIL_LENGTH]


def create_proposals(
    user,
    nominees: list[Mediator | Team],
    form: str,
    achievement: str,
    period_start: int,
    period_end: int,
    basis_note: str | None = None,
) -> list[CommendationProposal]:
    """One proposal per nominee with the same form, achievement and period (commune staff,
    officers, admins), all or nothing: CommendationError names every nominee refused."""
    # What is wrong for every nominee alike is said once, next to its field.
    errors = value_errors("mediator", None, form, achievement, period_start, period_end, basis_note)
    if errors:
        raise CommendationError(errors)
    if not nominees:
        raise CommendationError("Đánh dấu ít nhất một người hoặc tổ để đề nghị.", "nominees")
    mediators = [n for n in nominees if isinstance(n, Mediator)]
    teams = [n for n in nominees if isinstance(n, Team)]
    bases = bulk_bases(mediators, teams, period_start, period_end)
    made, refused, offices = [], [], {}
    for nominee in nominees:
        try:
            made.append(
                create_proposal(
                    user,
                    nominee,
                    form,
                    achievement,
                    period_start,
                    period_end,
                    basis_note,
                    basis=bases[kind_of(nominee), nominee.id],
                    offices=offices,
                )
            )
        except CommendationError as error:
            refused.append(("nominees", f"{_name(nominee)}: {error}"))
    if refused:
        raise CommendationError(refused)
    return made


def _name(nominee: Nominee) -> str:
    return nominee.full_name if isinstance(nominee, Mediator) else nominee.name
