"""Cases counted ahead: per unit (province, district, commune), month received and result.

The success-rate pages add these up instead of counting cases: the whole country over five
years is ~8,000 province rows instead of ~500,000 cases (QUALITY.md P5, docs/PERFORMANCE.md).
The services keep them in step on every change of a case, in the same transaction, with one
upsert (atomic on both databases, so concurrent writers cannot lose a count);
``recount_cases()`` rebuilds them from the cases (migration, bulk loads, a check).
"""

from datetime import date

from sqlalchemy import Integer, cast, delete, func, insert, literal, null, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.logbook.models import LogbookCount, LogbookEntry
from app.units.models import Level

# (level, column of the case that holds the unit of that level)
LEVELS = (
    (Level.PROVINCE, "province_id"),
    (Level.DISTRICT, "district_id"),
    (Level.COMMUNE, "commune_id"),
)


def month_of(day: date) -> date:
    return day.replace(day=1)


def count_case(entry: LogbookEntry, received_on: date, result: str, delta: int) -> None:
    """Add ``delta`` (+1, -1) to the counts of the case's units for that month and result."""
    rows = [
        {
            "unit_id": getattr(entry, column),
            "level": int(level),
            "province_id": entry.province_id,
            "district_id": entry.district_id if level > Level.DISTRICT else None,
            "month": month_of(received_on),
            "result": result,
            "cases": delta,
        }
        for level, column in LEVELS
        if getattr(entry, column) is not None
    ]
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    upsert = (pg_insert if dialect == "postgresql" else sqlite_insert)(LogbookCount).values(rows)
    upsert = upsert.on_conflict_do_update(
        index_elements=["unit_id", "month", "result"],
        set_={"cases": LogbookCount.cases + upsert.excluded.cases},
    )
    db.session.execute(upsert)


def recount_cases() -> None:
    """Rebuild every count from the cases (one INSERT ... SELECT)."""
    db.session.execute(delete(LogbookCount))
    month = _month_expression()
    parts = []
    for level, column in LEVELS:
        unit = getattr(LogbookEntry, column)
        district = LogbookEntry.district_id if level > Level.DISTRICT else null()
        grouped = [unit, LogbookEntry.province_id, month, LogbookEntry.result]
        if level > Level.DISTRICT:
            grouped.append(LogbookEntry.district_id)
        parts.append(
            select(
                unit,
                literal(int(level)),
                LogbookEntry.province_id,
                cast(district, Integer),
                month,
                LogbookEntry.result,
                func.count(),
            )
            .where(unit.is_not(None))
            .group_by(*grouped)
        )
    db.session.execute(
        insert(LogbookCount).from_select(
            ["unit_id", "level", "province_id", "district_id", "month", "result", "cases"],
            union_all(*parts),
        )
    )


def _month_expression():
    if db.session.get_bind().dialect.name == "postgresql":
        return func.cast(func.date_trunc("month", LogbookEntry.received_on), db.Date)
    return func.date(LogbookEntry.received_on, "start of month")
