"""The counts kept ahead (logbook_counts) always equal counting the cases: after creating,
correcting (month, result, year) and deleting cases, and for any period — whole months from
the counts, the days at either end from the cases."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.logbook.counts import recount_cases
from app.logbook.models import LogbookCount, LogbookEntry
from app.logbook.queries import child_tallies, split_period, tally_where, unit_tally
from app.logbook.rules import Party
from app.logbook.services import EntryValues, create_entry, delete_entry, update_entry
from app.registry.models import Team
from app.security.scope import placed_under
from app.units.models import Level, Unit


def snapshot() -> set:
    rows = db.session.execute(
        select(
            LogbookCount.unit_id, LogbookCount.month, LogbookCount.result, LogbookCount.cases
        ).where(LogbookCount.cases != 0)
    ).all()
    return set(rows)


def case(world, n, day, result, number=None):
    team = db.session.get(Team, getattr(world, f"team{n}"))
    return create_entry(
        team,
        EntryValues(
            received_on=day,
            started_on=day,
            ended_on=day if result in ("successful", "failed") else None,
            content="Tranh chấp lối đi chung",
            scope="civil",
            result=result,
            agreement="Thống nhất mở lối đi.",
            number=number,
            parties=[Party("Lý A Sử", 40, None)],
            mediator_ids=[getattr(world, f"mediator{n}")],
        ),
    )


def values_of(entry, **changes):
    values = dict(
        received_on=entry.received_on,
        started_on=entry.started_on,
        ended_on=entry.ended_on,
        content=entry.content,
        scope=entry.scope,
        result=entry.result,
        agreement=entry.agreement,
        number=entry.number,
        parties=[Party("Lý A Sử", 40, None)],
        mediator_ids=[],
    )
    values.update(changes)
    return EntryValues(**values)


def test_counts_follow_every_change_of_a_case(ctx, world):
    made = [
        case(world, "1", date(2026, 1, 5), "successful"),
        case(world, "1", date(2026, 1, 31), "failed"),
        case(world, "2", date(2026, 2, 1), "in_progress"),
        case(world, "3", date(2025, 12, 31), "pending"),
    ]
    db.session.flush()
    first = made[0]
    update_entry(
        first,
        values_of(
            first,
            received_on=date(2025, 6, 2),
            started_on=date(2025, 6, 2),
            ended_on=date(2025, 6, 3),
            result="failed",
            number=None,
            mediator_ids=[world.mediator1],
        ),
    )
    assert first.year == 2025 and first.number == 3  # the world has cases 1 and 2 of 2025
    delete_entry(made[1])
    db.session.flush()
    kept = snapshot()
    recount_cases()
    assert snapshot() == kept


def test_a_case_keeps_its_number_when_corrected_within_its_year(ctx, world):
    entry = db.session.get(LogbookEntry, world.entry1)
    number = entry.number
    update_entry(
        entry,
        values_of(entry, number=None, received_on=date(2025, 3, 9), mediator_ids=[world.mediator1]),
    )
    assert entry.number == number


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 2, 3), date(2025, 3, 10)),
        (date(2025, 2, 4), date(2025, 3, 9)),
        (date(2025, 3, 10), date(2025, 3, 10)),
        (date(2025, 2, 15), None),
        (None, date(2025, 2, 28)),
        (date(2026, 1, 1), date(2025, 1, 1)),
    ],
)
def test_tallies_from_the_counts_equal_counting_the_cases(ctx, world, start, end):
    case(world, "1", date(2025, 3, 1), "successful")
    case(world, "2", date(2025, 2, 28), "failed")
    db.session.flush()
    for unit_id in (world.p1, world.d1, world.c1, world.c2, world.p2, world.c3, world.v1):
        unit = db.session.get(Unit, unit_id)
        expected = tally_where(placed_under(LogbookEntry, unit), start, end)
        assert unit_tally(unit, start, end) == expected, (unit.name, start, end)
    assert unit_tally(None, start, end) == tally_where(None, start, end)
    province = db.session.get(Unit, world.p1)
    by_commune = child_tallies(province, Level.COMMUNE, start, end)
    for commune_id in (world.c1, world.c2):
        commune = db.session.get(Unit, commune_id)
        expected = tally_where(placed_under(LogbookEntry, commune), start, end)
        assert by_commune.get(commune_id, expected.__class__()) == expected


def test_split_period_takes_whole_months_and_the_days_around_them():
    months, edges = split_period(date(2025, 1, 15), date(2025, 4, 10))
    assert months == (date(2025, 2, 1), date(2025, 3, 1))
    assert edges == [(date(2025, 1, 15), date(2025, 1, 31)), (date(2025, 4, 1), date(2025, 4, 10))]
    assert split_period(date(2025, 1, 1), date(2025, 12, 31)) == (
        (date(2025, 1, 1), date(2025, 12, 1)),
        [],
    )
    assert split_period(date(2025, 3, 5), date(2025, 3, 20)) == (
        None,
        [(date(2025, 3, 5), date(2025, 3, 20))],
    )
