"""Remuneration queries: unpaid ended cases per team and in a scope, estimated amounts at
the rates in force, recent payments. Grouped queries over the partial "unpaid" indexes; no
query per team, and never the parties of a case."""

from collections import defaultdict
from datetime import date

from sqlalchemy import and_, distinct, func, or_, select

from app.extensions import db
from app.logbook import services as logbook
from app.logbook.models import LogbookEntry, PayRate, RemunerationPayment
from app.logbook.rules import ENDED, rate_on
from app.pagination import decode_cursor, encode_cursor
from app.registry.models import Team
from app.security.scope import placed_under
from app.units.models import Unit
from app.units.services import units_by_id

RECENT_PAYMENTS = 10
# A team rarely has more than a few dozen unpaid cases; a page (and a payment request) lists
# at most this many, the longest waiting first, which keeps it light on slow links (P8).
MAX_UNPAID = 50


def rates_by_province(province_ids) -> dict[int, list[PayRate]]:
    """The rates of some provinces in one query, newest first."""
    ids = {i for i in province_ids if i is not None}
    if not ids:
        return {}
    found: dict[int, list[PayRate]] = defaultdict(list)
    stmt = select(PayRate).where(PayRate.province_id.in_(ids))
    for rate in db.session.scalars(stmt.order_by(PayRate.effective_from.desc())):
        found[rate.province_id].append(rate)
    return found


def estimate(counts, rates: dict[int, list[PayRate]]) -> tuple[int, int]:
    """(amount, cases without a rate) of (province_id, ended_on, cases) rows: each case at the
    rate in force in its province on the day it ended."""
    amount = missing = 0
    for province_id, ended_on, n in counts:
        rate = rate_on(rates.get(province_id, []), ended_on)
        if rate is None:
            missing += n
        else:
            amount += rate.amount * n
    return amount, missing


def unpaid_clause(unit: Unit | None):
    clause = and_(LogbookEntry.payment_id.is_(None), LogbookEntry.result.in_(ENDED))
    return and_(placed_under(LogbookEntry, unit), clause) if unit is not None else clause


def unpaid_teams(clause, after: str | None, per_page: int) -> tuple[list, str | None]:
    """(team_id, cases, oldest ended date) of the teams with unpaid cases, the longest
    waiting first; keyset on (oldest, team_id) through HAVING, since both are aggregates."""
    oldest = func.min(LogbookEntry.ended_on)
    stmt = select(LogbookEntry.team_id, func.count(), oldest).where(clause)
    stmt = stmt.group_by(LogbookEntry.team_id)
    cursor = decode_cursor(after, 2)
    if cursor is not None:
        try:
            day, team_id = date.fromisoformat(str(cursor[0])), int(cursor[1])
        except ValueError:
            cursor = None
        else:
            later = or_(oldest > day, and_(oldest == day, LogbookEntry.team_id > team_id))
            stmt = stmt.having(later)
    rows = db.session.execute(stmt.order_by(oldest, LogbookEntry.team_id).limit(per_page + 1)).all()
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = encode_cursor((rows[-1][2].isoformat(), rows[-1][0]))
    return rows, next_cursor


def team_rows(rows, rates_for) -> list[dict]:
    """The page's teams with their estimated amounts: one grouped query for all of them."""
    ids = [team_id for team_id, _n, _oldest in rows]
    if not ids:
        return []
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(ids)))}
    by_day = db.session.execute(
        select(LogbookEntry.team_id, LogbookEntry.ended_on, func.count())
        .where(unpaid_clause(None), LogbookEntry.team_id.in_(ids))
        .group_by(LogbookEntry.team_id, LogbookEntry.ended_on)
    ).all()
    rates = rates_for({t.province_id for t in teams.values()})
    counts: dict[int, list] = defaultdict(list)
    for team_id, ended_on, n in by_day:
        counts[team_id].append((teams[team_id].province_id, ended_on, n))
    places = units_by_id(i for t in teams.values() for i in (t.unit_id, t.commune_id))
    result = []
    for team_id, n, oldest in rows:
        team = teams[team_id]
        amount, missing = estimate(counts[team_id], rates)
        result.append(
            {
                "team": team,
                "village": places.get(team.unit_id) if team.unit_id != team.commune_id else None,
                "commune": places.get(team.commune_id),
                "cases": n,
                "oldest": oldest,
                "amount": amount,
                "missing": missing,
            }
        )
    return result


def scope_summary(clause, rates_for) -> dict:
    """Teams, cases and the estimated amount over the whole scope, in two grouped queries."""
    teams, cases = db.session.execute(
        select(func.count(distinct(LogbookEntry.team_id)), func.count()).where(clause)
    ).one()
    counts = db.session.execute(
        select(LogbookEntry.province_id, LogbookEntry.ended_on, func.count())
        .where(clause)
        .group_by(LogbookEntry.province_id, LogbookEntry.ended_on)
    ).all()
    amount, missing = estimate(counts, rates_for({p for p, _d, _n in counts}))
    return {"teams": teams or 0, "cases": cases or 0, "amount": amount, "missing": missing}


def cached_rates():
    """rates_for(province_ids) that reads each province's rates once per request."""
    cache: dict[int, list[PayRate]] = {}

    def rates_for(ids) -> dict[int, list[PayRate]]:
        wanted = {i for i in ids if i is not None and i not in cache}
        if wanted:
            found = rates_by_province(wanted)
            cache.update({i: found.get(i, []) for i in wanted})
        return cache

    return rates_for


def recent_payments(unit: Unit | None) -> list[RemunerationPayment]:
    stmt = select(RemunerationPayment)
    if unit is not None:
        stmt = stmt.where(placed_under(RemunerationPayment, unit))
    stmt = stmt.order_by(RemunerationPayment.paid_on.desc(), RemunerationPayment.id.desc())
    return list(db.session.scalars(stmt.limit(RECENT_PAYMENTS)))


def priced(entries: list[LogbookEntry], rates: list[PayRate]) -> list[dict]:
    """Each case with the rate in force on the day it ended (None: no rate applies)."""
    return [{"entry": e, "rate": rate_on(rates, e.ended_on)} for e in entries]


def unpaid_of(team: Team) -> tuple[list[LogbookEntry], bool]:
    """The team's unpaid ended cases, the longest waiting first, and whether there are more."""
    stmt = logbook.unpaid_entries_stmt(team.id).limit(MAX_UNPAID + 1)
    entries = list(db.session.scalars(stmt))
    return entries[:MAX_UNPAID], len(entries) > MAX_UNPAID


def team_rates(team: Team) -> list[PayRate]:
    return logbook.pay_rates(team.province_id) if team.province_id else []


def total_of(rows: list[dict]) -> int:
    return sum(row["rate"].amount for row in rows if row["rate"] is not None)
