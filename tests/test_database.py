"""The database layer: SQLite pragmas and BEGIN IMMEDIATE (R1), many writers at once (R2)."""

import os
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditLog
from app.extensions import db
from app.units.models import Unit, UnitClosure
from app.units.services import create_unit, subtree_counts

# R2 asks for 10 seconds; the suite runs 3 per database. STRESS_SECONDS=10 for the full bar.
STRESS_SECONDS = float(os.environ.get("STRESS_SECONDS", "3"))
WRITERS = 8
READERS = 2
READER_PAUSE_SECONDS = 0.01
LOCK_HOLD_SECONDS = 0.5


def require_sqlite(app) -> str:
    """Skip on PostgreSQL; return the path of the SQLite database file."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no pragmas and takes row locks, not a file lock")
    return url.database


def pragmas(connection) -> dict:
    """The R1 pragmas of one connection, read inside its own short transaction."""
    values = {
        name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    }
    connection.rollback()
    return values


def test_every_pooled_connection_has_wal_foreign_keys_and_busy_timeout(app):
    require_sqlite(app)
    with app.app_context():
        engine = db.engine
        engine.dispose()
        for _round in range(2):  # new connections, then the same ones back from the pool
            with ExitStack() as stack:
                connections = [stack.enter_context(engine.connect()) for _ in range(3)]
                assert len({id(c.connection.dbapi_connection) for c in connections}) == 3
                for connection in connections:
                    assert pragmas(connection) == {
                        "journal_mode": "wal",
                        "foreign_keys": 1,
                        "busy_timeout": app.config["SQLITE_BUSY_TIMEOUT_MS"],
                        "synchronous": 1,  # NORMAL: safe with WAL, one fsync per checkpoint
                    }
        assert app.config["SQLITE_BUSY_TIMEOUT_MS"] > 0


def test_foreign_keys_are_enforced(app, ctx):
    with pytest.raises(IntegrityError):
        db.session.execute(
            insert(UnitClosure).values(ancestor_id=987654, descendant_id=987654, depth=0)
        )
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(UnitClosure)) == 0


@pytest.fixture
def begin_statements(app):
    """Every BEGIN the engine sends, in order."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def _record(_conn, _cursor, statement, *_args):
        if statement.upper().startswith("BEGIN"):
            seen.append(statement.upper())

    event.listen(engine, "before_cursor_execute", _record)
    yield seen
    event.remove(engine, "before_cursor_execute", _record)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("POST", "BEGIN IMMEDIATE"),
        ("PUT", "BEGIN IMMEDIATE"),
        ("DELETE", "BEGIN IMMEDIATE"),
        ("GET", "BEGIN"),
        ("HEAD", "BEGIN"),
        (None, "BEGIN IMMEDIATE"),  # a CLI command: an app context without a request
    ],
)
def test_writes_begin_immediate_and_reads_of_get_do_not(app, begin_statements, method, expected):
    require_sqlite(app)
    with ExitStack() as stack:
        if method is None:
            stack.enter_context(app.app_context())
        else:
            stack.enter_context(app.test_request_context("/", method=method))
        db.session.scalar(select(func.count()).select_from(Unit))
        db.session.rollback()
    assert begin_statements == [expected]


def hold_write_lock(path: str) -> sqlite3.Connection:
    """A second, raw connection that takes the write lock and keeps it until commit."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_write_transaction_waits_for_the_lock_up_front(app, make_unit):
    """A POST that reads then writes waits at BEGIN; it never fails with "database is locked".

    With a deferred BEGIN it would read first, and its write would then find its snapshot
    stale (another connection committed meanwhile): SQLITE_BUSY at once, busy_timeout or not.
    """
    path = require_sqlite(app)
    province_id = make_unit("tinh", "Tỉnh Khóa")
    outcome: dict = {}
    read_done = threading.Event()

    def post_request():
        try:
            with app.test_request_context("/units/new", method="POST"):
                province = db.session.get(Unit, province_id)
                outcome["note_seen"] = province.note
                outcome["read_at"] = time.monotonic()
                read_done.set()
                child = create_unit(parent=province, kind="huyen", name="Huyện Chờ Khóa")
                db.session.commit()
                outcome["child_id"] = child.id
        except Exception as error:  # reported by the assertions below
            outcome["error"] = error
            read_done.set()

    worker = threading.Thread(target=post_request)
    holder = hold_write_lock(path)
    try:
        holder.execute("UPDATE units SET note = 'ghi bởi kết nối khác' WHERE id = ?", [province_id])
        worker.start()
        waited = not read_done.wait(LOCK_HOLD_SECONDS)
        committed_at = time.monotonic()
        holder.execute("COMMIT")
    finally:
        holder.close()
    worker.join(timeout=30)
    assert waited, "the transaction read before the other connection let go of the lock"
    assert "error" not in outcome, outcome.get("error")
    assert outcome["read_at"] >= committed_at
    assert outcome["note_seen"] == "ghi bởi kết nối khác"
    with app.app_context():
        assert db.session.get(Unit, outcome["child_id"]).parent_id == province_id


def test_reads_of_a_get_request_do_not_wait_for_writers(app, make_unit):
    path = require_sqlite(app)
    province_id = make_unit("tinh", "Tỉnh Đọc")
    holder = hold_write_lock(path)
    try:
        holder.execute("UPDATE units SET note = 'chưa lưu' WHERE id = ?", [province_id])
        started = time.monotonic()
        with app.test_request_context("/units/", method="GET"):
            note = db.session.scalar(select(Unit.note).where(Unit.id == province_id))
        assert time.monotonic() - started < LOCK_HOLD_SECONDS
        assert note is None  # the reader sees the last committed state
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def test_concurrent_writers_and_readers_lose_nothing(app, make_unit):
    """R2: writers (as POST requests and as CLI commands) and readers at once, zero errors."""
    province_id = make_unit("tinh", "Tỉnh Đồng Thời")
    district_id = make_unit("huyen", "Huyện Đồng Thời", province_id)
    deadline = time.monotonic() + STRESS_SECONDS
    stop_readers = threading.Event()

    def writer(number: int) -> list[int]:
        created = []
        while time.monotonic() < deadline:
            with ExitStack() as stack:
                if number % 2:
                    stack.enter_context(app.app_context())
                else:
                    stack.enter_context(app.test_request_context("/units/new", method="POST"))
                district = db.session.get(Unit, district_id)
                unit = create_unit(
                    parent=district, kind="xa", name=f"Xã {number}-{len(created)} Đồng Thời"
                )
                db.session.commit()
                created.append(unit.id)
        return created

    def reader() -> int:
        reads, last_count = 0, 0
        orphans = (
            select(func.count())
            .select_from(Unit)
            .where(
                ~select(UnitClosure.ancestor_id)
                .where(UnitClosure.descendant_id == Unit.id, UnitClosure.depth == 0)
                .exists()
            )
        )
        while not stop_readers.is_set():
            with app.test_request_context("/units/", method="GET"):
                count = sum(subtree_counts(province_id).values())
                assert count >= last_count, "a reader saw committed units disappear"
                assert db.session.scalar(orphans) == 0, "a reader saw a unit without its closure"
                last_count = count
                reads += 1
            time.sleep(READER_PAUSE_SECONDS)  # leave the GIL to the writers, as page views do
        return reads

    with ThreadPoolExecutor(max_workers=WRITERS + READERS) as pool:
        readers = [pool.submit(reader) for _ in range(READERS)]
        writers = [pool.submit(writer, n) for n in range(WRITERS)]
        try:
            created_by_writer = [w.result() for w in writers]  # re-raises a writer's error
        finally:
            stop_readers.set()
        reads = [r.result() for r in readers]

    created = {uid for ids in created_by_writer for uid in ids}
    print(f"{len(created)} units by {WRITERS} writers, {sum(reads)} reads in {STRESS_SECONDS} s")
    assert all(created_by_writer), (
        f"a writer never committed: {[len(ids) for ids in created_by_writer]}"
    )
    assert all(reads)
    assert_committed_units_are_complete(app, created, district_id, province_id)


def assert_committed_units_are_complete(app, created, district_id, province_id):
    """Every committed unit exists with its three closure rows and one audit row."""
    with app.app_context():
        units = set(db.session.scalars(select(Unit.id).where(Unit.parent_id == district_id)))
        assert units == created
        closure = dict(
            db.session.execute(
                select(UnitClosure.descendant_id, func.count())
                .where(UnitClosure.descendant_id.in_(created))
                .group_by(UnitClosure.descendant_id)
            ).all()
        )
        assert closure == dict.fromkeys(created, 3)
        below_province = select(UnitClosure.descendant_id).where(
            UnitClosure.ancestor_id == province_id, UnitClosure.depth == 2
        )
        assert set(db.session.scalars(below_province)) == created
        audited = db.session.execute(
            select(AuditLog.object_id, func.count())
            .where(AuditLog.object_type == "Unit", AuditLog.action == "create")
            .where(AuditLog.object_id.in_(created))
            .group_by(AuditLog.object_id)
        ).all()
        assert dict(audited) == dict.fromkeys(created, 1)
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
