"""Shared model pieces: timestamps and optimistic versioning."""

from datetime import datetime

from sqlalchemy import DateTime, Integer
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
