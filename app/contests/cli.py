"""``flask contests ...``: list contests, export one to a JSON file, import a file as a new
contest, print a contest's computed ranking (docs/contest-format.md)."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.cli import as_cli_actor, fail
from app.contests.interchange import ImportRefused, import_contest, parse_json
from app.contests.interchange.exporting import export_json
from app.contests.interchange.shape import dumps
from app.contests.models import Contest, ContestRound
from app.contests.services.results import compute_round, results_data
from app.extensions import db

PRINTED = 100  # problems of a refused file printed, at most


@click.group("contests", help="Hội thi hòa giải viên giỏi: xuất, nhập tệp JSON, in kết quả.")
def contests_cli():
    pass


def _contest(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        fail(f"Không có hội thi #{contest_id} (xem “flask contests list”).")
    return contest


@contests_cli.command("list", help="Liệt kê các hội thi: số hiệu (ID), năm, trạng thái, tên.")
@with_appcontext
def list_command():
    """Print every contest: id, year, status and name."""
    contests = db.session.scalars(select(Contest).order_by(Contest.year.desc(), Contest.id))
    for contest in contests:
        click.echo(f"{contest.id:>5}  {contest.year}  {contest.status_label:<20}  {contest.name}")


@contests_cli.command(
    "export", help="Xuất toàn bộ một hội thi ra một tệp JSON (FILE là “-” thì in ra màn hình)."
)
@click.argument("contest_id", metavar="ID", type=int)
@click.argument("file", metavar="FILE")
@with_appcontext
def export_command(contest_id: int, file: str):
    """Write the whole contest to a JSON file."""
    text = export_json(_contest(contest_id))
    if file == "-":
        click.echo(text, nl=False)
        return
    try:
        Path(file).write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"Không ghi được tệp {file}: {error.strerror or error}.")
    click.echo(f"Đã xuất hội thi #{contest_id} ra {file}.")


@contests_cli.command(
    "import",
    help="Nhập một tệp JSON thành một hội thi mới. Tệp có lỗi thì không nhập gì; một hội thi "
    "đã có (cùng tên, năm, đơn vị tổ chức) thì không nhập lại.",
)
@click.argument("file", metavar="FILE")
@with_appcontext
def import_command(file: str):
    """Import a JSON file as a new contest, all or nothing."""
    as_cli_actor()
    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as error:
        fail(f"Không đọc được tệp {file}: {error.strerror or error}.")
    try:
        summary = import_contest(parse_json(raw))
        db.session.commit()
    except ImportRefused as error:
        db.session.rollback()
        for problem in error.problems[:PRINTED]:
            click.echo(problem, err=True)
        if len(error.problems) > PRINTED:
            click.echo(f"… và {len(error.problems) - PRINTED} lỗi khác.", err=True)
        fail(f"Không nhập được tệp {file} ({len(error.problems)} lỗi); chưa ghi gì.")
    except IntegrityError:
        db.session.rollback()
        fail("Không nhập được: trùng dữ liệu (có thể vừa nhập cùng lúc); chưa ghi gì.")
    except SQLAlchemyError as error:
        db.session.rollback()
        fail(f"Không nhập được, cơ sở dữ liệu từ chối: {error.__class__.__name__}; chưa ghi gì.")
    for line in summary.lines():
        click.echo(line)


@contests_cli.command(
    "results", help="In kết quả tính được của từng vòng thi (JSON): điểm, trừ điểm, hạng, giải."
)
@click.argument("contest_id", metavar="ID", type=int)
@with_appcontext
def results_command(contest_id: int):
    """Print the computed ranking of every round of a contest as JSON."""
    contest = _contest(contest_id)
    rounds = db.session.scalars(
        select(ContestRound)
        .where(ContestRound.contest_id == contest.id)
        .order_by(ContestRound.position)
    )
    data = {
        "contest": {"id": contest.id, "name": contest.name, "year": contest.year},
        "rounds": [results_data(compute_round(round_)) for round_ in rounds],
    }
    click.echo(dumps(data), nl=False)
