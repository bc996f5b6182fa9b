"""Configuration defaults.

Secrets and deployment settings come from the environment or from ``instance/config.py``;
nothing here is a secret that production may use.
"""

import os
from datetime import timedelta

DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"


class Config:
    """Settings shared by every environment."""

    APP_ENV = "production"
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # set in create_app: DATABASE_URL or instance/hoagiai.sqlite3
    # A connection the server dropped (a PostgreSQL restart) is replaced before use (R4).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 10_000

    # Sessions (QUALITY.md S4): no remember-me, 30 minutes idle, 12 hours in all.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_NAME = "hoagiai_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which expires itself
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    # Passwords (QUALITY.md S7): scrypt with N = 2^17.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    PASSWORD_MIN_LENGTH = 8
    PASSWORD_MAX_LENGTH = 128

    # Login throttling (QUALITY.md S8), counted in the database so that all workers share it.
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 10
    LOGIN_MAX_FAILURES_PER_ADDRESS = 10

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Static URLs carry a content hash (asset_url): a changed file gets a new URL.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
    PAGE_SIZE = 50
    # Mediator rows carry more markup: 35 keep the htmx fragment under 15 KB (QUALITY.md P8).
    MEDIATOR_PAGE_SIZE = 35

    # Number of proxies in front of the app that set X-Forwarded-* (nginx: 1).
    TRUSTED_PROXIES = 0


class DevelopmentConfig(Config):
    """`make run` on a developer's machine."""

    APP_ENV = "development"
    SECRET_KEY = DEV_SECRET_KEY
    SEND_FILE_MAX_AGE_DEFAULT = 0  # edited CSS shows on the next reload


class TestingConfig(Config):
    """pytest: cheap password hashes, everything else as in production."""

    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    """gunicorn behind nginx with TLS."""

    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

# Environment variables read at start-up, with their types.
ENV_SETTINGS = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "SESSION_COOKIE_SECURE": bool,
    "TRUSTED_PROXIES": int,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": int,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": int,
}


def from_environment() -> dict:
    """Read the settings of ENV_SETTINGS that are present in the environment."""
    values = {}
    for name, kind in ENV_SETTINGS.items():
        raw = os.environ.get(name)
        if raw is None or raw == "":
            continue
        if kind is bool:
            values[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
        else:
            values[name] = kind(raw)
    return values
