"""``flask units ...`` commands: load the official list, or a CSV file of a subtree."""

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli import as_cli_actor, fail
from app.extensions import db
from app.text import format_number
from app.units.importing import ImportFailed, Summary, import_csv, import_official, resolve_parent
from app.units.services import UnitError


@click.group("units", help="Đơn vị hành chính: nhập danh mục chính thức hoặc từ tệp CSV.")
def units_cli():
    pass


@units_cli.command(
    "import-official",
    help="Nhập 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu hiện hành (từ 01/07/2025) "
    "theo danh mục chính thức (gói vietnam-provinces). Chạy lại không thêm trùng.",
)
@click.option("--dry-run", is_flag=True, help="Chỉ cho xem sẽ thêm, sửa gì; không ghi gì.")
@with_appcontext
def import_official_command(dry_run):
    """Load the current official provinces and communes."""
    as_cli_actor()
    started = time.perf_counter()
    summary = _run(lambda: import_official(dry_run=dry_run), dry_run)
    _report(summary, summary.details, dry_run, started)


@units_cli.command(
    "import",
    help="Nhập một nhánh đơn vị (huyện cũ và các xã, các thôn của một xã…) từ tệp CSV. "
    "Định dạng tệp: xem docs/units-import.md. Tệp có dòng lỗi thì không nhập dòng nào.",
)
@click.argument("file", metavar="FILE.csv")
@click.option(
    "--parent",
    "parent_ref",
    help="Đơn vị cấp trên của các dòng để trống cột parent_code: #id, mã hoặc tên đúng.",
)
@click.option("--dry-run", is_flag=True, help="Chỉ cho xem sẽ thêm, sửa gì; không ghi gì.")
@with_appcontext
def import_command(file, parent_ref, dry_run):
    """Load a subtree of units from a CSV file, all or nothing."""
    as_cli_actor()
    started = time.perf_counter()
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as error:
        fail(f"Không đọc được tệp {file}: {error.strerror or error}.")
    root = None
    if parent_ref:
        root, problem = resolve_parent(parent_ref)
        if problem:
            fail(f"--parent {parent_ref}: {problem}")
    summary = _run(lambda: import_csv(data, root, source=path.name, dry_run=dry_run), dry_run)
    _report(summary, summary.listing if dry_run else summary.details, dry_run, started)


def _run(work, dry_run: bool) -> Summary:
    """Run an import; commit it, or roll back on a dry run or on any problem."""
    try:
        summary = work()
    except ImportFailed as error:
        db.session.rollback()
        for line, problem in error.problems:
            click.echo(f"Dòng {line}: {problem}" if line else problem, err=True)
        fail(str(error))
    except UnitError as error:
        db.session.rollback()
        fail(f"{error} Chưa nhập gì.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return summary


def _report(summary: Summary, lines: list[str], dry_run: bool, started: float) -> None:
    for line in lines:
        click.echo(line)
    seconds = format_number(time.perf_counter() - started, 1)
    if dry_run:
        click.echo(f"{summary.text(dry_run=True)} (chạy thử: chưa ghi gì; {seconds} giây).")
    else:
        click.echo(f"{summary.text()} ({seconds} giây).")
