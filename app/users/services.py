"""Account management. Services flush; the caller commits."""

from sqlalchemy import func, select

from app.audit.services import record_event
from app.extensions import db
from app.security.passwords import hash_password, password_problems
from app.text import fold, normalize
from app.units.models import Unit
from app.users.models import Role, User


class UserError(ValueError):
    """A message for the admin."""


def create_user(
    *,
    username: str,
    full_name: str,
    role: str,
    unit: Unit,
    password: str,
    must_change_password: bool = True,
) -> User:
    """Add an account; its password is checked against the policy."""
    problems = password_problems(password, username)
    if problems:
        raise UserError(" ".join(problems))
    user = User(
        username=username.strip().lower(),
        full_name=normalize(full_name),
        full_name_folded=fold(full_name),
        role=str(Role(role)),
        unit_id=unit.id,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, full_name: str, role: str, unit: Unit) -> User:
    """Change name, role or unit; a change of role or unit ends the user's sessions."""
    if user.role == Role.ADMIN and role != Role.ADMIN and admin_count() <= 1:
        raise UserError("Đây là tài khoản quản trị cuối cùng; không thể đổi vai trò.")
    if user.role != role or user.unit_id != unit.id:
        user.session_version += 1
    user.full_name = normalize(full_name)
    user.full_name_folded = fold(full_name)
    user.role = str(Role(role))
    user.unit_id = unit.id
    if db.session.is_modified(user):
        user.bump_version()
    db.session.flush()
    return user


def reset_password(user: User, temporary_password: str) -> None:
    """Set a temporary password that must be changed at the next login; end all sessions."""
    user.password_hash = hash_password(temporary_password)
    user.must_change_password = True
    user.session_version += 1
    user.bump_version()
    db.session.flush()


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate (which ends every session) or reactivate an account."""
    if user.id == acting.id and not active:
        raise UserError("Không thể tự khóa tài khoản của chính mình.")
    if not active and user.role == Role.ADMIN and admin_count() <= 1:
        raise UserError("Đây là tài khoản quản trị cuối cùng; không thể khóa.")
    if user.active != active:
        user.active = active
        user.bump_version()
    if not active:
        user.session_version += 1
    db.session.flush()


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every cookie issued so far stops working."""
    user.session_version += 1
    record_event(
        "update",
        f"Kết thúc mọi phiên đăng nhập của {user.username}",
        object_type="User",
        object_id=user.id,
    )
    db.session.flush()


def admin_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
    )
