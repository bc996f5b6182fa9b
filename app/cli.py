"""Command-line commands: ``flask units ...``, ``flask users ...``, ``flask contests ...``,
``flask demo``."""

import getpass
from typing import NoReturn

import click
from flask import Flask, g


def init_app(app: Flask) -> None:
    from app.backup import backup_command
    from app.contests.cli import contests_cli
    from app.demo import demo_command
    from app.units.cli import units_cli
    from app.users.cli import users_cli

    app.cli.add_command(units_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(contests_cli)

    @app.before_request
    def _no_cli_actor():
        g.pop("actor_name", None)


def as_cli_actor() -> None:
    """Audit rows written by a command name the operating-system user who ran it."""
    try:
        who = getpass.getuser()
    except Exception:  # no login name in some containers
        who = "?"
    g.actor_name = f"dòng lệnh ({who})"[:64]


def fail(message: str) -> NoReturn:
    """Stop a command with a Vietnamese message on stderr and exit status 1."""
    click.echo(f"Lỗi: {message}", err=True)
    raise SystemExit(1)
