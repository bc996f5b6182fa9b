"""The audit log: every change and every security event, append-only."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db

ACTION_LABELS = {
    "create": "Thêm mới",
    "update": "Sửa",
    "delete": "Xóa",
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập sai",
    "login_throttled": "Đăng nhập bị chặn tạm thời",
    "logout": "Đăng xuất",
    "forbidden": "Truy cập bị từ chối",
    "import": "Nhập dữ liệu",
    "personal_data_read": "Xem thông tin cá nhân",
}


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    object_type: Mapped[str | None] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id", "id"),)

    @property
    def object_label(self) -> str:
        return object_type_label(self.object_type)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs, sorted by name."""
        before, after = self.before or {}, self.after or {}
        names = sorted(set(before) | set(after))
        return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def object_type_label(object_type: str | None) -> str:
    """The Vietnamese name of a model (its ``__audit_label__``): "Unit" -> "Đơn vị hành chính"."""
    if not object_type:
        return ""
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == object_type:
            return getattr(mapper.class_, "__audit_label__", object_type)
    return object_type
