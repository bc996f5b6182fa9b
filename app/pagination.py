"""Keyset pagination: the next page starts after the last row seen, never with OFFSET.

The cursor is the sort key of the last row, encoded in the ``after`` query parameter, so the
last pages of a long list cost what the first one does (QUALITY.md P2).
"""

import base64
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Date, Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db


@dataclass
class Page:
    items: list
    next_cursor: str | None
    per_page: int
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def encode_cursor(values: tuple) -> str:
    raw = json.dumps(list(values), default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list | None:
    """The values of a cursor, or None for the first page or a cursor that is not ours."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, json.JSONDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    if not all(_plausible_key(v) for v in values):
        return None
    return values


def _plausible_key(value) -> bool:
    """Cursor values are short strings or integers that fit a database column."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**31) <= value <= 2**31 - 1
    return isinstance(value, str) and len(value) <= 500


def cursor_for(keys, after: str | None) -> list | None:
    """Decode a cursor for these sort keys; dates come back as dates (JSON has no date)."""
    values = decode_cursor(after, len(keys))
    if values is None:
        return None
    converted = []
    for (column, _desc), value in zip(keys, values, strict=True):
        if isinstance(column.type, Date) and isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return None
        converted.append(value)
    return converted


def key_values(obj, keys) -> tuple:
    """The sort-key values of a row, as a cursor stores them."""
    values = []
    for column, _desc in keys:
        value = getattr(obj, column.key)
        values.append(value.isoformat() if isinstance(value, date) else value)
    return tuple(values)


def keyset_page(
    stmt: Select,
    keys: list[tuple[InstrumentedAttribute, bool]],
    after: str | None,
    per_page: int,
    scalars: bool = True,
) -> Page:
    """One page of ``stmt`` ordered by ``keys`` ((column, descending) pairs, unique overall).

    The last key must be unique (the primary key) so that the order is total. Key columns must
    be strings, integers or dates, and never NULL.
    """
    cursor = cursor_for(keys, after)
    if cursor is not None:
        stmt = stmt.where(_after(keys, cursor))
    stmt = stmt.order_by(*[(col.desc() if desc else col.asc()) for col, desc in keys])
    stmt = stmt.limit(per_page + 1)
    result = db.session.execute(stmt)
    rows = list(result.scalars() if scalars else result)
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = encode_cursor(tuple(_key_values(rows[-1], keys, scalars)))

    return Page(items=rows, next_cursor=next_cursor, per_page=per_page)


def _after(keys, cursor: list[Any]):
    """(k1, k2, ...) > (v1, v2, ...) in the sort order, written out for both databases."""
    clauses = []
    for i, (col, desc) in enumerate(keys):
        equal = [keys[j][0] == cursor[j] for j in range(i)]
        beyond = col < cursor[i] if desc else col > cursor[i]
        clauses.append(and_(*equal, beyond))
    # Implied by the OR, but it is what lets both planners start the index range at the cursor
    # instead of reading from the first row (docs/PERFORMANCE.md, P2).
    first, first_desc = keys[0]
    bound = first <= cursor[0] if first_desc else first >= cursor[0]
    return and_(bound, or_(*clauses))


def _key_values(row, keys, scalars: bool):
    for col, _desc in keys:
        if scalars:
            value = getattr(row, col.key)
        else:
            value = getattr(row, col.key, None)
            if value is None:
                value = row._mapping[col]
        yield value.isoformat() if isinstance(value, date) else value


def list_page(rows: list, after: str | None, per_page: int) -> Page:
    """A page of rows already computed and sorted in memory (tallies, indicators): ``after``
    is how many were shown before, so this is no OFFSET query."""
    from app.forms import parse_id

    start = parse_id(after) or 0
    more = start + per_page < len(rows)
    return Page(rows[start : start + per_page], str(start + per_page) if more else None, per_page)
