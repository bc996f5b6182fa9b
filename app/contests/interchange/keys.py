"""Export bookkeeping: database ids become the file's keys as records are written, and the
units met on the way are collected for the file's unit list."""

from sqlalchemy import select

from app.extensions import db


class Keys:
    """Database ids → file keys, and the units referenced on the way."""

    def __init__(self):
        self.of: dict[tuple[str, int], str] = {}
        self.unit_ids: list[int] = []

    def add(self, kind: str, id_: int, key: str) -> str:
        """Give a record its key."""
        self.of[(kind, id_)] = key
        return key

    def get(self, kind: str, id_: int | None) -> str | None:
        """The key of a record already written (None for no record)."""
        return None if id_ is None else self.of.get((kind, id_))

    def unit(self, unit_id: int | None) -> str | None:
        """The key of a unit ("U1"...), collected for the file's unit list."""
        if unit_id is None:
            return None
        if unit_id not in self.unit_ids:
            self.unit_ids.append(unit_id)
        return f"U{self.unit_ids.index(unit_id) + 1}"


def rows(model, *where, order=None) -> list:
    """Every row of a model matching the conditions, in the given order (by id by default)."""
    stmt = select(model).where(*where).order_by(*(order or (model.id,)))
    return list(db.session.scalars(stmt))
