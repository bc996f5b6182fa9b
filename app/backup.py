"""``flask backup``: a consistent copy of the database while users keep working (QUALITY.md R5).

SQLite is copied with the online backup API in one step, which reads one snapshot while writers
carry on (WAL); PostgreSQL with ``pg_dump --format=custom``, which dumps one snapshot too. The
copy is written next to its final name and renamed only once it is complete and checked, so a
file named ``hoagiai-*.sqlite3`` or ``hoagiai-*.dump`` is never half a backup.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL

from app.clock import VIETNAM_OFFSET, utcnow
from app.extensions import db
from app.text import format_number

SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
PRIVATE_FILE = 0o600  # a backup holds personal data and password hashes
PRIVATE_DIR = 0o700


class BackupError(RuntimeError):
    """A backup that could not be made; the message is for the operator."""


@click.command(
    "backup",
    help="Sao lưu cơ sở dữ liệu vào tệp DEST (hoặc vào thư mục DEST); mặc định vào "
    "instance/backups/hoagiai-YYYYmmdd-HHMMSS.sqlite3 (PostgreSQL: .dump). "
    "Chạy được trong khi mọi người vẫn đang làm việc.",
)
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@with_appcontext
def backup_command(dest: Path | None) -> None:
    """Copy the database to DEST (a file or a directory); run by the server's operator."""
    try:
        path = backup_database(dest)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    size = path.stat().st_size
    click.echo(f"Đã sao lưu cơ sở dữ liệu vào {path} ({human_size(size)}).")


def backup_database(dest: Path | None = None) -> Path:
    """Back up the app's database to dest (default instance/backups/) and return the file."""
    url = db.engine.url
    backend = url.get_backend_name()
    if backend not in SUFFIXES:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {backend}.")
    target = target_path(dest, SUFFIXES[backend])
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)  # left over from a backup that was interrupted
    try:
        if backend == "sqlite":
            backup_sqlite(partial)
        else:
            backup_postgresql(url, partial)
        partial.chmod(PRIVATE_FILE)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def target_path(dest: Path | None, suffix: str) -> Path:
    """The file to write: dest itself, or a dated name inside dest or instance/backups/."""
    stamp = (utcnow() + VIETNAM_OFFSET).strftime("%Y%m%d-%H%M%S")
    name = f"hoagiai-{stamp}{suffix}"
    if dest is None:
        dest = Path(current_app.instance_path) / "backups"
        dest.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if dest.is_dir():
        dest = dest / name
    if dest.exists():
        raise BackupError(f"Tệp {dest} đã có; hãy chọn tên khác để không ghi đè bản sao lưu cũ.")
    if not dest.parent.is_dir():
        raise BackupError(f"Thư mục {dest.parent} không tồn tại.")
    return dest


def backup_sqlite(target: Path) -> None:
    """Copy the SQLite database in one backup step, then check the copy."""
    if db.engine.url.database in (None, "", ":memory:"):
        raise BackupError("Cơ sở dữ liệu SQLite nằm trong bộ nhớ, không có tệp để sao lưu.")
    source = db.engine.raw_connection()
    try:
        copy = sqlite3.connect(target)
        try:
            # pages=-1: the whole database in one step, that is, from one read snapshot.
            source.driver_connection.backup(copy, pages=-1)
            problems = copy.execute("PRAGMA quick_check").fetchall()
            if problems != [("ok",)]:
                raise BackupError(f"Bản sao lưu bị lỗi: {problems[:5]}")
            # One self-contained file; the app switches it back to WAL when it opens it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu SQLite: {error}") from error
    finally:
        source.close()


def backup_postgresql(url: URL, target: Path) -> None:
    """Dump the PostgreSQL database with pg_dump in its custom format (for pg_restore)."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "Không tìm thấy chương trình pg_dump. Hãy cài gói postgresql-client (cùng phiên bản "
            "với máy chủ PostgreSQL) rồi chạy lại lệnh."
        )
    conninfo, password = libpq_connection(url)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password  # not on the command line, where `ps` would show it
    result = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
        [pg_dump, "--format=custom", "--no-password", f"--file={target}", f"--dbname={conninfo}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump không sao lưu được: {result.stderr.strip()}")


def libpq_connection(url: URL) -> tuple[str, str | None]:
    """libpq conninfo (host, port, user, dbname, options) of a URL, and its password apart."""
    params = {
        "host": url.host,
        "port": str(url.port) if url.port else None,
        "user": url.username,
        "dbname": url.database,
    }
    params.update({key: value for key, value in url.query.items() if isinstance(value, str)})
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None}), url.password


def human_size(size: int) -> str:
    """A file size the Vietnamese way: 12,3 MB."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{format_number(size / scale, 1)} {unit}"
    return f"{size} byte"
