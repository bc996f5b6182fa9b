"""Counting the SQL statements a request runs (QUALITY.md P3: a fixed number per page)."""

from sqlalchemy import event

from app.extensions import db


def count_queries(app, client, url, **kwargs) -> int:
    """The statements sent to the database while ``client`` gets ``url`` (which must answer
    200); ``kwargs`` go to ``client.get`` (htmx=True for a fragment)."""
    with app.app_context():
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url, **kwargs).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)
