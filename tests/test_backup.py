"""R5: `flask backup` copies the database while users write; the copy boots the app."""

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.audit.models import AuditLog
from app.backup import backup_command, backup_postgresql, human_size, libpq_connection
from app.extensions import db
from app.units.models import Unit, UnitClosure
from app.units.services import create_unit
from app.users.models import User
from tests.test_migrations import throwaway_database

UNITS_BEFORE_BACKUP = 20  # the writer has committed at least this many when the backup starts


def run_backup(app, *args: str):
    """`flask backup ARGS` on the test app."""
    return app.test_cli_runner().invoke(backup_command, list(args))


@contextmanager
def restored(app, backup: Path, tmp_path: Path) -> Iterator:
    """An app booted on a restored copy of the backup."""
    server = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if server.get_backend_name() == "sqlite":
        copy = tmp_path / "restored.sqlite3"
        shutil.copyfile(backup, copy)
        with booted(f"sqlite:///{copy}") as restored_app:
            yield restored_app
        return
    with throwaway_database(server, "hoagiai_bak") as url:
        conninfo, password = libpq_connection(url)
        env = {**os.environ, **({"PGPASSWORD": password} if password else {})}
        restore = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={conninfo}", str(backup)],
            env=env,
            check=False,
            capture_output=True,
            text=True,
        )
        assert restore.returncode == 0, restore.stderr
        with booted(url.render_as_string(hide_password=False)) as restored_app:
            yield restored_app


@contextmanager
def booted(url: str) -> Iterator:
    """create_app on url; the engine is closed afterwards."""
    restored_app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    try:
        yield restored_app
    finally:
        with restored_app.app_context():
            db.session.remove()
            db.engine.dispose()


def contents(app) -> dict:
    """Units, users and the ids of units with a closure row and a creation audit row."""
    with app.app_context():
        data = {
            "units": dict(db.session.execute(select(Unit.id, Unit.name)).all()),
            "users": set(
                db.session.execute(select(User.id, User.username, User.password_hash)).all()
            ),
            "closed": set(
                db.session.scalars(select(UnitClosure.descendant_id).where(UnitClosure.depth == 0))
            ),
            "audited": set(
                db.session.scalars(
                    select(AuditLog.object_id).where(
                        AuditLog.object_type == "Unit", AuditLog.action == "create"
                    )
                )
            ),
        }
        db.session.remove()
    return data


class Writer(threading.Thread):
    """Creates communes one by one, committing each, until stopped."""

    def __init__(self, app, district_id: int):
        super().__init__()
        self.app, self.district_id = app, district_id
        self.committed: list[int] = []
        self.enough = threading.Event()
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self):
        try:
            while not self.stop.is_set():
                with self.app.app_context():
                    district = db.session.get(Unit, self.district_id)
                    name = f"Xã Sao Lưu {len(self.committed)}"
                    unit = create_unit(parent=district, kind="xa", name=name)
                    db.session.commit()
                    self.committed.append(unit.id)
                if len(self.committed) >= UNITS_BEFORE_BACKUP:
                    self.enough.set()
        except Exception as error:  # reported by the test
            self.error = error
            self.enough.set()


def test_backup_while_writing_restores_the_same_data(app, make_unit, make_user, tmp_path):
    province = make_unit("tinh", "Tỉnh Sao Lưu")
    district = make_unit("huyen", "Huyện Sao Lưu", province)
    make_user("saoluu", "admin", province)
    make_user("canbosaoluu", "officer", district)
    writer = Writer(app, district)
    writer.start()
    try:
        assert writer.enough.wait(30), "the writer did not get going"
        committed_before = list(writer.committed)
        result = run_backup(app, str(tmp_path / "copy"))
        committed_during = len(writer.committed)
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    backup = tmp_path / "copy"
    assert f"Đã sao lưu cơ sở dữ liệu vào {backup} (" in result.output
    assert not list(tmp_path.glob("*.part"))

    source = contents(app)
    with restored(app, backup, tmp_path) as restored_app:
        copy = contents(restored_app)
        if restored_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            with restored_app.app_context():
                assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
                db.session.remove()
        page = restored_app.test_client().get("/login")
        assert page.status_code == 200

    assert copy["users"] == source["users"]
    # One snapshot: the writer's units up to some point, in commit order, and nothing torn.
    copied = [uid for uid in writer.committed if uid in copy["units"]]
    assert copied == writer.committed[: len(copied)]
    assert set(committed_before) <= set(copied)
    assert len(copied) <= committed_during
    assert set(copy["units"]) == {province, district, *copied}
    assert all(copy["units"][uid] == source["units"][uid] for uid in copy["units"])
    assert copy["closed"] == set(copy["units"]) == copy["audited"]


def test_default_destination_is_instance_backups_with_a_dated_name(app, make_unit, tmp_path):
    make_unit("tinh", "Tỉnh Mặc Định")
    instance_path = app.instance_path
    app.instance_path = str(tmp_path)
    try:
        result = run_backup(app)
    finally:
        app.instance_path = instance_path
    assert result.exit_code == 0, result.output
    (backup,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"hoagiai-\d{8}-\d{6}\.(sqlite3|dump)", backup.name)
    assert str(backup) in result.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    if backup.suffix == ".sqlite3":
        with closing(sqlite3.connect(backup)) as copy:
            assert copy.execute("SELECT name FROM units").fetchall() == [("Tỉnh Mặc Định",)]


def test_a_directory_destination_gets_a_dated_file(app, tmp_path):
    result = run_backup(app, str(tmp_path))
    assert result.exit_code == 0, result.output
    (backup,) = tmp_path.iterdir()
    assert backup.name.startswith("hoagiai-")


def test_an_existing_file_is_not_overwritten(app, tmp_path):
    existing = tmp_path / "old.sqlite3"
    existing.write_bytes(b"an older backup")
    result = run_backup(app, str(existing))
    assert result.exit_code == 1
    assert "đã có" in result.output
    assert existing.read_bytes() == b"an older backup"


def test_a_missing_directory_is_refused(app, tmp_path):
    result = run_backup(app, str(tmp_path / "no" / "such" / "backup.sqlite3"))
    assert result.exit_code == 1
    assert "không tồn tại" in result.output


def test_missing_pg_dump_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    from app.backup import BackupError

    with pytest.raises(BackupError, match="Không tìm thấy chương trình pg_dump"):
        backup_postgresql(make_url("postgresql+psycopg://u@localhost/hoagiai"), tmp_path / "x")


def test_libpq_connection_keeps_the_password_out_of_the_conninfo():
    url = make_url(
        "postgresql+psycopg://hoa:b%C3%AD%20m%E1%BA%ADt@db.local:5433/hoagiai?sslmode=require"
    )
    conninfo, password = libpq_connection(url)
    assert password == "bí mật"
    assert "bí" not in conninfo and "password" not in conninfo
    parts = dict(part.split("=", 1) for part in conninfo.split())
    assert parts == {
        "host": "db.local",
        "port": "5433",
        "user": "hoa",
        "dbname": "hoagiai",
        "sslmode": "require",
    }


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (512, "512 byte"),
        (2048, "2,0 KB"),
        (5 * 1024**2 + 300 * 1024, "5,3 MB"),
        (3 * 1024**3, "3,0 GB"),
    ],
)
def test_human_size(size, text):
    assert human_size(size) == text
