"""An uploaded file, stored in the database (outside the web root) and served only by routes
that check the user's right to the record it belongs to."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.clock import utcnow
from app.extensions import db


class StoredFile(db.Model):
    __tablename__ = "stored_files"
    __audit_label__ = "Tệp đính kèm"
    __audit_redact__ = frozenset({"content"})

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    def __str__(self) -> str:
        return self.filename
