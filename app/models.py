"""Shared model pieces: timestamps and optimistic versioning."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.clock import utcnow


class Timestamped:
    """created_at / updated_at in UTC."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Versioned:
    """A version counter that travels in edit forms; a stale save is refused (QUALITY.md R3).

    Every UPDATE checks the version it read, so two concurrent saves can never both win. The
    number goes up on every update unless the model sets ``__version_bookkeeping__ = False``:
    then services bump it with ``bump_version()`` on the edits a person makes, so that
    bookkeeping writes (a user's last login) do not make an open edit form stale.
    """

    __version_bookkeeping__ = True

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805
        if cls.__version_bookkeeping__:
            return {"version_id_col": cls.version}
        return {"version_id_col": cls.version, "version_id_generator": False}

    def bump_version(self) -> None:
        self.version = (self.version or 1) + 1


class Placed:
    """A record that belongs to a unit, with that unit's ancestors at each level copied in.

    ``scope_to_user`` filters these on one indexed column (the column of the user's level)
    instead of a join over the unit tree: a province's list is ``province_id = ?``, ordered
    through a composite index, at any scale. ``place()`` in app/units/services.py fills them.
    """

    @declared_attr
    def unit_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("units.id"), nullable=False, index=True)

    @declared_attr
    def commune_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("units.id"), index=True)

    @declared_attr
    def district_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("units.id"), index=True)

    @declared_attr
    def province_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("units.id"), index=True)


# The Placed column that holds the ancestor of each level (app.units.models.Level values).
PLACED_COLUMNS = {1: "province_id", 2: "district_id", 3: "commune_id", 4: "unit_id"}


def folded_text(length: int = 200) -> String:
    """A column of fold()ed search keys: byte order ("C") on PostgreSQL, as SQLite sorts, so
    that prefix ranges and keyset cursors use the index the same way on both databases."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")
