"""The basis of a proposal (căn cứ đề nghị), pulled from the registry and the logbook, never
typed: the team's cases over the period's years and its compliance now, the mediator's years
of service and training. Copied onto the proposal when it is made (or its period changes)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.clock import today
from app.commendations.models import CommendationProposal
from app.extensions import db
from app.logbook.queries import team_tallies, team_tally
from app.logbook.rules import Tally
from app.registry.models import Mediator, Team

ISSUES_LENGTH = 300


@dataclass(frozen=True)
class Basis:
    """What the registry and the logbook say about a nominee over a period."""

    team_id: int | None = None
    team_name: str | None = None
    successful: int | None = None
    failed: int | None = None
    compliant: bool | None = None
    issues: str | None = None
    service_years: int | None = None
    trained: bool | None = None

    @property
    def rate(self) -> Decimal | None:
        """The team's success rate in percent over the period (None without ended cases)."""
        if self.successful is None:
            return None
        return Tally(successful=self.successful, failed=self.failed or 0).rate


def period_dates(start: int, end: int) -> tuple[date, date]:
    """1/1 of the first year to 31/12 of the last."""
    return date(start, 1, 1), date(end, 12, 31)


def service_years(recognised_on: date | None, on: date | None = None) -> int | None:
    """Whole years from the recognition decision to ``on`` (today)."""
    if recognised_on is None:
        return None
    on = on or today()
    years = (
        on.year
        - recognised_on.year
        - ((on.month, on.day) < (recognised_on.month, recognised_on.day))
    )
    return max(years, 0)


def _team_basis(team: Team, tally: Tally) -> dict:
    issues = "; ".join(team.issue_labels)[:ISSUES_LENGTH] or None
    return {
        "team_id": team.id,
        "team_name": team.name,
        "successful": tally.successful,
        "failed": tally.failed,
        "compliant": team.is_compliant,
        "issues": None if team.is_compliant else issues,
    }


def mediator_basis(mediator: Mediator, team: Team, tally: Tally) -> Basis:
    """A mediator's basis from their team's tally (read by the caller)."""
    return Basis(
        **_team_basis(team, tally),
        service_years=service_years(mediator.recognised_on),
        trained=mediator.trained_on is not None,
    )


def team_basis(team: Team, tally: Tally) -> Basis:
    return Basis(**_team_basis(team, tally))


def basis_of(mediator: Mediator | None, team: Team | None, start: int, end: int) -> Basis:
    """The basis of one nominee (a mediator, or a team) for a period; nobody's: empty."""
    if mediator is not None:
        team = team if team is not None and team.id == mediator.team_id else None
        team = team or db.session.get(Team, mediator.team_id)
    if team is None:
        return Basis()
    tally = team_tally(team.id, *period_dates(start, end))
    return mediator_basis(mediator, team, tally) if mediator else team_basis(team, tally)


def bulk_bases(
    mediators: list[Mediator], teams: list[Team], start: int, end: int
) -> dict[tuple[str, int], Basis]:
    """The bases of a list of nominees with a fixed number of queries (the mediators' teams,
    then every team's tally in one GROUP BY), keyed ("mediator", id) / ("team", id)."""
    known = {t.id: t for t in teams}
    missing = {m.team_id for m in mediators} - set(known)
    if missing:
        known.update(
            (t.id, t) for t in db.session.scalars(select(Team).where(Team.id.in_(missing)))
        )
    tallies = team_tallies(list(known), *period_dates(start, end))
    bases: dict[tuple[str, int], Basis] = {}
    for mediator in mediators:
        team = known[mediator.team_id]
        bases["mediator", mediator.id] = mediator_basis(
            mediator, team, tallies.get(team.id, Tally())
        )
    for team in teams:
        bases["team", team.id] = team_basis(team, tallies.get(team.id, Tally()))
    return bases


def apply_basis(proposal: CommendationProposal, basis: Basis) -> None:
    """Copy a basis onto the proposal's basis_* columns."""
    proposal.basis_team_id = basis.team_id
    proposal.basis_successful = basis.successful
    proposal.basis_failed = basis.failed
    proposal.basis_compliant = basis.compliant
    proposal.basis_issues = basis.issues
    proposal.basis_service_years = basis.service_years
    proposal.basis_trained = basis.trained


def pull_basis(proposal: CommendationProposal) -> None:
    """Fill the proposal's basis from the registry and the logbook for its period (a mediator
    or a team; another person or organisation has none)."""
    mediator = db.session.get(Mediator, proposal.mediator_id) if proposal.mediator_id else None
    team = db.session.get(Team, proposal.team_id) if proposal.team_id else None
    apply_basis(proposal, basis_of(mediator, team, proposal.period_start, proposal.period_end))
