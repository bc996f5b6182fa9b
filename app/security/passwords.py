"""Password hashing and the password policy (QUALITY.md S7, ASVS V2.1)."""

from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from app.text import fold

_COMMON = Path(__file__).with_name("common_passwords.txt")
# A real hash of a random string: verifying against it costs as much as against a user's hash,
# so that "no such user" and "wrong password" take the same time.
_DUMMY_PASSWORD = "không-có-tài-khoản-này"


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt N=2^17 in production)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; without a hash, spend the same time and answer no."""
    if password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(_DUMMY_PASSWORD, method=method)


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problems(password: str, username: str = "") -> list[str]:
    """Reasons, in Vietnamese, why a new password is refused; empty when it is acceptable.

    Length counts characters, not bytes; there are no composition rules (ASVS 2.1.9).
    """
    config = current_app.config
    problems = []
    if len(password) < config["PASSWORD_MIN_LENGTH"]:
        problems.append(f"Mật khẩu phải có ít nhất {config['PASSWORD_MIN_LENGTH']} ký tự.")
    if len(password) > config["PASSWORD_MAX_LENGTH"]:
        problems.append(f"Mật khẩu dài tối đa {config['PASSWORD_MAX_LENGTH']} ký tự.")
    folded = fold(password)
    variants = {password.lower(), folded, folded.replace(" ", "")}
    if variants & common_passwords():
        problems.append("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.")
    elif username and fold(username) and fold(username) in fold(password):
        problems.append("Mật khẩu không được chứa tên đăng nhập.")
    return problems
