"""Users and roles (DOMAIN.md §1)."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import Timestamped, Versioned, folded_text
from app.units.models import Unit


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    COMMUNE_STAFF = "commune_staff"
    JUDGE = "judge"
    VIEWER = "viewer"


ROLE_LABELS = {
    Role.ADMIN: "Quản trị hệ thống",
    Role.OFFICER: "Cán bộ Tư pháp",
    Role.COMMUNE_STAFF: "Công chức Tư pháp - Hộ tịch xã",
    Role.JUDGE: "Thành viên Ban Giám khảo",
    Role.VIEWER: "Xem báo cáo",
}


class User(UserMixin, Timestamped, Versioned, db.Model):
    """A person who logs in. Belongs to one unit and sees that unit's subtree."""

    __tablename__ = "users"
    __audit_label__ = "Tài khoản"
    __audit_redact__ = frozenset({"password_hash"})
    # Logins and logouts are recorded as events of their own.
    __audit_ignore__ = frozenset({"last_login_at", "session_version"})
    # Logins write last_login_at: only edits by a person bump the version (see Versioned).
    __version_bookkeeping__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    full_name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Bumped on logout, password change, deactivation and "end sessions": every cookie that
    # carries an older number stops working (QUALITY.md S4).
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    must_change_password: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(Role(self.role), self.role)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"
