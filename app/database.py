"""Engine set-up: SQLite pragmas on every pooled connection, BEGIN IMMEDIATE for writes."""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Set WAL, foreign keys and a busy timeout on every connection (QUALITY.md R1).

    pysqlite's own transaction handling is switched off so that we can start write
    transactions with BEGIN IMMEDIATE: a transaction that reads and then writes never fails
    with "database is locked" half-way, it waits for the lock up front instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_expected() else "BEGIN")


def _writes_expected() -> bool:
    """Reads of a GET request run deferred; everything else (POST, CLI) takes the write lock."""
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True
