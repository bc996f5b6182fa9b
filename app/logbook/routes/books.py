"""A team's book: its cases of a year on screen, and printed in the paper layout "Sổ theo
dõi hoạt động hòa giải ở cơ sở" (DOMAIN.md §4): a cover, Part I (one row per case, A4
landscape) and Part II (results by mediator and the team's totals). Parties' names and
addresses are printed only for those who may read them, and that reading is logged once per
print."""

from dataclasses import dataclass, field
from datetime import date

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import distinct, select

from app.audit.services import record_read
from app.clock import today
from app.documents import issuer_lines, short_name
from app.extensions import db
from app.forms import parse_id
from app.logbook import bp, permissions
from app.logbook.models import LogbookEntry, LogbookMediator, LogbookParty
from app.logbook.periods import FIRST_YEAR
from app.logbook.queries import team_tally
from app.logbook.routes import load
from app.logbook.rules import FIVE_GOOD, RESULT_LABELS, SCOPE_LABELS, Tally, target_for
from app.registry.models import Mediator, Team
from app.units.models import Level
from app.units.services import ancestors


@dataclass
class MediatorResults:
    """Part II: the cases a mediator conducted in the year, by result."""

    name: str
    sort_name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def tally(self) -> Tally:
        return Tally.from_counts(self.counts)


@dataclass
class Book:
    """Everything the printed book shows, loaded in a fixed number of queries."""

    entries: list[LogbookEntry]
    parties: dict[int, list[LogbookParty]] | None  # None: the reader sees counts only
    mediators: dict[int, list[str]]
    by_mediator: list[MediatorResults]
    by_scope: dict[str, Tally]

    @property
    def tally(self) -> Tally:
        return sum(self.by_scope.values(), Tally())


def book_year(raw: str | None) -> int:
    """?year=YYYY between the first logbooks and next year; this year otherwise."""
    year = parse_id(raw)
    if year is None or not FIRST_YEAR <= year <= today().year + 1:
        return today().year
    return year


@bp.get("/teams/<int:team_id>/print", endpoint="print")
def print_book(team_id: int):
    """A team's book for a year, ready to print; logbook readers in scope. Parties' names
    and addresses only for those who may read them (one audit row per print)."""
    team = load(Team, team_id)
    year = book_year(request.args.get("year"))
    with_parties = permissions.can_read_parties(current_user, team)
    book = load_book(team, year, with_parties)
    if book.parties is not None and book.entries:
        record_read(
            f"In sổ theo dõi hoạt động hòa giải năm {year} của {team.name} "
            f"({len(book.entries)} vụ việc, có họ tên, tuổi, địa chỉ các bên)",
            object_type="Team",
            object_id=team.id,
        )
    return render_template("logbook/print/book.html", **_context(team, year, book))


def load_book(team: Team, year: int, with_parties: bool) -> Book:
    """The year's cases in number order, their mediators and (if allowed) their parties: one
    query each, whatever the number of cases."""
    entries = list(
        db.session.scalars(
            select(LogbookEntry)
            .where(LogbookEntry.team_id == team.id, LogbookEntry.year == year)
            .order_by(LogbookEntry.number, LogbookEntry.id)
        )
    )
    ids = [e.id for e in entries]
    parties = None
    if with_parties:
        parties = {i: [] for i in ids}
        if ids:
            for party in db.session.scalars(
                select(LogbookParty)
                .where(LogbookParty.entry_id.in_(ids))
                .order_by(LogbookParty.entry_id, LogbookParty.position)
            ):
                parties[party.entry_id].append(party)
    links = []
    if ids:
        links = db.session.execute(
            select(LogbookMediator.entry_id, Mediator.id, Mediator.full_name, Mediator.name_folded)
            .join(Mediator, Mediator.id == LogbookMediator.mediator_id)
            .where(LogbookMediator.entry_id.in_(ids))
            .order_by(LogbookMediator.entry_id, LogbookMediator.id)
        ).all()
    return Book(entries, parties, *_mediator_results(entries, links), _by_scope(entries))


def _mediator_results(entries, links) -> tuple[dict[int, list[str]], list[MediatorResults]]:
    result_of = {e.id: e.result for e in entries}
    names: dict[int, list[str]] = {e.id: [] for e in entries}
    people: dict[int, MediatorResults] = {}
    for entry_id, mediator_id, full_name, folded in links:
        names[entry_id].append(full_name)
        person = people.setdefault(mediator_id, MediatorResults(full_name, folded))
        result = result_of[entry_id]
        person.counts[result] = person.counts.get(result, 0) + 1
    return names, sorted(people.values(), key=lambda p: p.sort_name)


def _by_scope(entries) -> dict[str, Tally]:
    counts: dict[str, dict[str, int]] = {scope: {} for scope in SCOPE_LABELS}
    for entry in entries:
        row = counts.setdefault(entry.scope, {})
        row[entry.result] = row.get(entry.result, 0) + 1
    return {scope: Tally.from_counts(c) for scope, c in counts.items()}


def _context(team: Team, year: int, book: Book) -> dict:
    path = ancestors(team.unit_id)
    commune = next((u for u in path if u.level == Level.COMMUNE), None)
    village = path[-1] if path and path[-1].level == Level.VILLAGE else None
    leader = db.session.scalar(
        select(Mediator.full_name).where(
            Mediator.team_id == team.id, Mediator.role == "leader", Mediator.status == "active"
        )
    )
    years = set(
        db.session.scalars(
            select(distinct(LogbookEntry.year)).where(LogbookEntry.team_id == team.id)
        )
    )
    years |= {year, today().year}
    return {
        "team": team,
        "year": year,
        "years": sorted(years, reverse=True),
        "book": book,
        "path": path,
        "commune": commune,
        "village": village,
        "issuer": issuer_lines(commune) if commune else ("", ""),
        "places": {u.level: short_name(u) for u in path},
        "leader": leader,
        "scope_labels": SCOPE_LABELS,
        "result_labels": RESULT_LABELS,
        "five_good": FIVE_GOOD,
        "back_url": url_for("logbook.team_book", team_id=team.id),
    }


@bp.get("/teams/<int:team_id>", endpoint="team_book")
def team_book(team_id: int):
    """A team's cases of a year by number, with the year's success rate against the 5-good
    criterion and the commune's target; readers in scope."""
    team = load(Team, team_id)
    used = set(
        db.session.scalars(
            select(LogbookEntry.year).where(LogbookEntry.team_id == team.id).distinct()
        )
    )
    year = parse_id(request.args.get("year")) or today().year
    if year not in used and not 2000 <= year <= today().year:
        year = today().year
    entries = list(
        db.session.scalars(
            select(LogbookEntry)
            .where(LogbookEntry.team_id == team.id, LogbookEntry.year == year)
            .order_by(LogbookEntry.number, LogbookEntry.id)
        )
    )
    path = ancestors(team.unit_id)
    commune = next((u for u in path if u.id == team.commune_id), None)
    can_keep = permissions.can_keep(current_user, team)
    return render_template(
        "logbook/entries/team_book.html",
        team=team,
        path=path,
        commune=commune,
        year=year,
        years=sorted(used | {today().year, year}, reverse=True),
        entries=entries,
        tally=team_tally(team.id, date(year, 1, 1), date(year, 12, 31)),
        five_good=FIVE_GOOD,
        target=target_for(commune.is_pilot if commune else False),
        create_url=(
            url_for("logbook.create", team=team.id, year=year)
            if can_keep and team.is_active
            else None
        ),
        print_url=url_for("logbook.print", team_id=team.id, year=year),
        pay_url=url_for("logbook.team_remuneration", team_id=team.id),
    )
