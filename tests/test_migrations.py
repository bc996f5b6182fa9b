"""R6: the Alembic migrations build the models' schema from empty and take it down again."""

import logging
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from alembic.script import ScriptDirectory
from psycopg import sql
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL, make_url

from app import create_app
from app.backup import libpq_connection
from app.extensions import db
from app.units.models import Unit, UnitClosure
from app.units.services import create_unit
from app.users.models import User
from app.users.services import create_user
from tests.conftest import PASSWORD

# A migration that rebuilds `units` (SQLite cannot alter a column type in place), to show that
# batch migrations work on a database that has data in it.
REBUILD_UNITS = '''"""rebuild units (test only)"""
import sqlalchemy as sa
from alembic import op

revision = "test_rebuild_units"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("units") as batch_op:
        batch_op.alter_column("pilot_level", existing_type=sa.String(20), type_=sa.String(40))


def downgrade():
    with op.batch_alter_table("units") as batch_op:
        batch_op.alter_column("pilot_level", existing_type=sa.String(40), type_=sa.String(20))
'''


@contextmanager
def throwaway_database(server_url: URL, prefix: str) -> Iterator[URL]:
    """A new empty PostgreSQL database on the server of server_url, dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    conninfo, password = libpq_connection(server_url)
    with psycopg.connect(conninfo, password=password, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server_url.set(database=name)
    finally:
        with psycopg.connect(conninfo, password=password, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(autouse=True)
def keep_logging():
    """Undo the fileConfig() of migrations/env.py for the tests that follow."""
    # fileConfig disables every logger that exists already (app.errors, app.security, ...)
    # and replaces the root handlers with one that writes to the CLI runner's closed stream.
    loggers = {
        name: (lg.disabled, lg.level, list(lg.handlers), lg.propagate)
        for name, lg in logging.Logger.manager.loggerDict.items()
        if isinstance(lg, logging.Logger)
    }
    root = logging.getLogger()
    root_state = (root.level, list(root.handlers))
    yield
    root.setLevel(root_state[0])
    root.handlers[:] = root_state[1]
    for name, lg in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(lg, logging.Logger):
            disabled, level, handlers, propagate = loggers.get(name, (False, 0, [], True))
            lg.disabled, lg.propagate = disabled, propagate
            lg.setLevel(level)
            lg.handlers[:] = handlers


@pytest.fixture
def fresh_url(app, tmp_path) -> Iterator[str]:
    """An empty database on the backend the suite runs on."""
    server = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if server.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    with throwaway_database(server, "hoagiai_mig") as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture
def fresh_app(fresh_url):
    """The app on the empty database; its engine is closed before the database goes away."""
    fresh = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": fresh_url})
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


def flask_db(app, *args: str) -> None:
    """Run `flask db ARGS` on app; fail the test with the command's output if it fails."""
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, f"flask db {' '.join(args)} failed:\n{result.output}"


def schema_objects(app) -> dict[str, set[str]]:
    """Tables, and on PostgreSQL sequences, that exist in the app's database."""
    with app.app_context():
        inspector = inspect(db.engine)
        objects = {"tables": set(inspector.get_table_names())}
        if db.engine.dialect.name == "postgresql":
            objects["sequences"] = set(inspector.get_sequence_names())
        else:
            objects["indexes"] = {
                name
                for (name,) in db.session.execute(
                    text(
                        "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger', "
                        "'view') AND tbl_name != 'alembic_version'"
                    )
                )
            }
        db.session.remove()
    return objects


def test_migrations_have_a_single_head(fresh_app):
    with fresh_app.app_context():
        config = fresh_app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several heads, merge them (flask db merge): {heads}"


def test_upgrade_check_downgrade_upgrade_from_empty(fresh_app):
    model_tables = set(db.metadata.tables)

    flask_db(fresh_app, "upgrade")
    assert schema_objects(fresh_app)["tables"] == model_tables | {"alembic_version"}
    flask_db(fresh_app, "check")  # exit status 1 and the operations it found, on drift

    flask_db(fresh_app, "downgrade", "base")
    left = schema_objects(fresh_app)
    assert left["tables"] <= {"alembic_version"}
    assert not left.get("sequences") and not left.get("indexes"), left

    flask_db(fresh_app, "upgrade")
    assert schema_objects(fresh_app)["tables"] == model_tables | {"alembic_version"}
    flask_db(fresh_app, "check")


def test_a_batch_migration_keeps_the_data(fresh_app, tmp_path):
    """Rebuilding a table that others reference must neither fail nor cascade-delete rows."""
    flask_db(fresh_app, "upgrade")
    before = seed_tree(fresh_app)
    directory = tmp_path / "migrations"
    shutil.copytree(fresh_app.extensions["migrate"].directory, directory)
    with fresh_app.app_context():
        config = fresh_app.extensions["migrate"].migrate.get_config()
        (head,) = ScriptDirectory.from_config(config).get_heads()
    (directory / "versions" / "9999_test_rebuild_units.py").write_text(
        REBUILD_UNITS.format(head=head), encoding="utf-8"
    )
    flask_db(fresh_app, "upgrade", "--directory", str(directory))
    assert row_counts(fresh_app) == before
    flask_db(fresh_app, "downgrade", "--directory", str(directory), head)
    assert row_counts(fresh_app) == before


def seed_tree(app) -> dict[str, int]:
    """A province, a district, a commune and a user, with their closure and audit rows."""
    with app.app_context():
        province = create_unit(parent=None, kind="tinh", name="Tỉnh Di Trú")
        district = create_unit(parent=province, kind="huyen", name="Huyện Di Trú")
        commune = create_unit(parent=district, kind="xa", name="Xã Di Trú")
        create_user(
            username="ditru",
            full_name="Người Di Trú",
            role="admin",
            unit=commune,
            password=PASSWORD,
        )
        db.session.commit()
        db.session.remove()
    return row_counts(app)


def row_counts(app) -> dict[str, int]:
    """Rows per table, and on SQLite the result of the foreign key check."""
    from app.audit.models import AuditLog

    with app.app_context():
        counts = {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Unit, UnitClosure, User, AuditLog)
        }
        if db.engine.dialect.name == "sqlite":
            counts["foreign_key_problems"] = len(
                db.session.execute(text("PRAGMA foreign_key_check")).all()
            )
        db.session.remove()
    return counts


def test_0004_moves_the_contests_proposals_to_commendations(fresh_app):
    """A contest's proposal of 0003 (one per winning entry) becomes one commendation proposal
    per member who is a registry mediator, held by the office above the organiser; going
    back to 0003 gives the entry's proposal back."""
    from app.contests import models as m
    from app.contests.services import results
    from app.registry.services.mediators import create_mediator
    from app.registry.services.teams import create_team
    from tests.contests.factories import make_round, score_round

    flask_db(fresh_app, "upgrade", "0003")
    with fresh_app.app_context():
        setup = make_round(entries=2, judges=2)
        village_unit = create_unit(
            parent=db.session.get(Unit, setup.entry_unit_ids[0]), kind="ban", name="Bản Di Trú"
        )
        team = create_team(unit=village_unit)
        mediator = create_mediator(
            team=team,
            values={
                "full_name": "Giàng A Páo",
                "sex": "M",
                "birth_year": 1975,
                "ethnicity_code": "17",
            },
            decision={"decision_number": "01/QĐ-UBND", "decision_date": None},
        )
        entry_id = setup.entry_ids[0]
        db.session.add_all(
            [
                m.ContestEntryMember(
                    entry_id=entry_id,
                    position=1,
                    role="captain",
                    mediator_id=mediator.id,
                    full_name="Giàng A Páo",
                ),
                m.ContestEntryMember(
                    entry_id=entry_id, position=2, role="actor", full_name="Diễn Viên"
                ),
            ]
        )
        score_round(setup, lambda j, e, p: 9 - e)
        snapshot = results.publish_round(setup.round, user=None, reason=None)
        db.session.execute(
            text(
                "INSERT INTO contest_proposals (contest_id, entry_id, prize_name, snapshot_id,"
                " status, at) VALUES (:c, :e, 'Giải Nhất', :s, 'proposed', :at)"
            ),
            {"c": setup.contest_id, "e": entry_id, "s": snapshot.id, "at": "2026-11-01 08:00:00"},
        )
        district = setup.organiser_id
        ids = {"mediator": mediator.id, "village": village_unit.id}
        db.session.commit()
        db.session.remove()

    flask_db(fresh_app, "upgrade")
    with fresh_app.app_context():
        rows = db.session.execute(
            text(
                "SELECT nominee_kind, mediator_id, nominee_name, form, status, holder_unit_id,"
                " prize_name, contest_entry_id, unit_id FROM commendation_proposals"
            )
        ).all()
        steps = db.session.scalar(text("SELECT count(*) FROM commendation_steps"))
        db.session.remove()
    assert rows == [
        (
            "mediator",
            ids["mediator"],
            "Giàng A Páo",
            "giay_khen_huyen",
            "submitted",
            district,
            "Giải Nhất",
            entry_id,
            ids["village"],
        )
    ]
    assert steps == 1

    flask_db(fresh_app, "downgrade", "0003")
    with fresh_app.app_context():
        back = db.session.execute(
            text("SELECT contest_id, entry_id, prize_name FROM contest_proposals")
        ).all()
        db.session.remove()
    assert back == [(setup.contest_id, entry_id, "Giải Nhất")]
