"""Test fixtures: the app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), factories,
and a client that logs in and carries the CSRF token like a browser does."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import text

from app import clock, create_app
from app.extensions import db
from app.units.services import create_unit
from app.users.services import create_user

PASSWORD = "mật khẩu đủ dài 2026"
CSRF_IN_PAGE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"'
)


def backend() -> str:
    """TEST_DB=sqlite (default) or TEST_DB=postgresql (with TEST_DATABASE_URL)."""
    return os.environ.get("TEST_DB", "sqlite")


def database_url(tmp_dir: str) -> str:
    if backend() == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            raise pytest.UsageError("TEST_DB=postgresql needs TEST_DATABASE_URL")
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        return worker_database(url, worker) if worker else url
    return f"sqlite:///{Path(tmp_dir) / 'test.sqlite3'}"


def worker_database(url: str, worker: str) -> str:
    """With pytest -n (xdist), each worker gets its own database next to TEST_DATABASE_URL's
    ("<name>_gw0"...), created when missing: the workers' tables never meet."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    from app.backup import libpq_connection

    base = make_url(url)
    name = f"{base.database}_{worker}"
    conninfo, password = libpq_connection(base)
    with psycopg.connect(conninfo, password=password, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return base.set(database=name).render_as_string(hide_password=False)


def pytest_report_header(config):
    return f"database: {backend()}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say on which database the suite ran and how many browser tests were part of it."""
    stats = terminalreporter.stats
    ran = [
        r for key in ("passed", "failed", "error") for r in stats.get(key, []) if r.when == "call"
    ]
    browser = [r for r in ran if "browser" in r.keywords]
    skipped = len(stats.get("skipped", []))
    terminalreporter.write_line(
        f"Database {backend()}: {len(ran)} tests ran ({len(browser)} in the browser), "
        f"{skipped} skipped."
    )


@pytest.fixture(scope="session")
def app():
    tmp_dir = tempfile.mkdtemp(prefix="hoagiai-test-")
    config = {"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir)}
    if backend() == "postgresql":
        # Tests do not need each commit on disk before going on: much faster, same semantics.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": "-c synchronous_commit=off"},
        }
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts from empty tables and the real clock."""
    yield
    clock.reset()
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        # DELETE, not TRUNCATE: on tables this small it is several times faster on PostgreSQL.
        with db.engine.begin() as connection:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def ctx(app):
    """An application context for calling services directly."""
    with app.app_context():
        yield
        db.session.remove()


class Client:
    """A test client that logs in and sends the CSRF token as forms and htmx do."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()
        self.token = None

    def refresh_token(self, url="/login"):
        page = self.http.get(url)
        self.token = csrf_from(page.get_data(as_text=True))
        return page

    def login(self, username, password=PASSWORD):
        self.refresh_token("/login")
        response = self.http.post(
            "/login", data={"username": username, "password": password, "csrf_token": self.token}
        )
        if response.status_code == 303:
            self.refresh_token("/account/password")
        return response

    def get(self, url, htmx=False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
            if isinstance(htmx, str):
                headers["HX-Target"] = htmx
        return _loaded(self.http.get(url, headers=headers, **kwargs))

    def post(self, url, data=None, htmx=False, csrf=True, **kwargs):
        data = dict(data or {})
        headers = kwargs.pop("headers", {})
        if csrf and self.token:
            if htmx:
                headers["X-CSRFToken"] = self.token
            else:
                data.setdefault("csrf_token", self.token)
        if htmx:
            headers["HX-Request"] = "true"
        return _loaded(self.http.post(url, data=data, headers=headers, **kwargs))


def _loaded(response):
    """Read the body and close the response (files served by send_file stay open otherwise)."""
    response.get_data()
    response.close()
    return response


def csrf_from(html: str) -> str | None:
    match = CSRF_IN_PAGE.search(html)
    return (match.group(1) or match.group(2)) if match else None


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def make_client(app):
    return lambda: Client(app)


@pytest.fixture
def make_unit(app):
    def _make(kind, name, parent=None, **kwargs):
        with app.app_context():
            parent_obj = db.session.get(type_of_unit(), parent) if isinstance(parent, int) else None
            unit = create_unit(parent=parent_obj, kind=kind, name=name, **kwargs)
            db.session.commit()
            return unit.id

    return _make


def type_of_unit():
    from app.units.models import Unit

    return Unit


@pytest.fixture
def make_user(app):
    def _make(username, role, unit_id, password=PASSWORD, **kwargs):
        with app.app_context():
            unit = db.session.get(type_of_unit(), unit_id)
            kwargs.setdefault("must_change_password", False)
            user = create_user(
                username=username,
                full_name=kwargs.pop("full_name", username.title()),
                role=role,
                unit=unit,
                password=password,
                **kwargs,
            )
            db.session.commit()
            return user.id

    return _make


class World:
    """Two provinces with their units, and a user of every role in the first one.

    Every unit's name carries a marker string so that a leak across scope is easy to spot.
    """

    def __init__(self, make_unit, make_user):
        self.p1 = make_unit("tinh", "Tỉnh Alpha MARKER-P1")
        self.d1 = make_unit("huyen", "Huyện Beta MARKER-D1", self.p1)
        self.c1 = make_unit("xa", "Xã Gamma MARKER-C1", self.d1)
        self.v1 = make_unit("ban", "Bản Delta MARKER-V1", self.c1)
        self.c2 = make_unit("xa", "Xã Epsilon MARKER-C2", self.d1)
        self.v2 = make_unit("ban", "Bản Zeta MARKER-V2", self.c2)
        self.p2 = make_unit("tinh", "Tỉnh Omega MARKER-P2")
        self.c3 = make_unit("xa", "Xã Sigma MARKER-C3", self.p2)
        self.v3 = make_unit("thon", "Thôn Tau MARKER-V3", self.c3)
        self.users = {
            "admin": make_user("quantri", "admin", self.p1),
            "officer": make_user("canbo", "officer", self.d1),
            "commune_staff": make_user("congchuc", "commune_staff", self.c1),
            "judge": make_user("giamkhao", "judge", self.d1),
            "viewer": make_user("xembaocao", "viewer", self.d1),
            "officer_p2": make_user("canbop2", "officer", self.p2),
        }
        self.usernames = {
            "admin": "quantri",
            "officer": "canbo",
            "commune_staff": "congchuc",
            "judge": "giamkhao",
            "viewer": "xembaocao",
            "officer_p2": "canbop2",
        }


@pytest.fixture
def world(app, make_unit, make_user):
    w = World(make_unit, make_user)
    with app.app_context():
        from app.audit.models import AuditLog

        w.first_audit_id = db.session.scalar(db.select(db.func.min(AuditLog.id)))
        add_registry(w)
        add_logbook(w)
        db.session.commit()
    return w


def add_registry(w: World) -> None:
    """Teams, mediators, supporters, trainers and trainings in both provinces, with markers."""
    from datetime import date

    from app.registry.services.mediators import create_mediator
    from app.registry.services.teams import attach_supporter, create_supporter, create_team
    from app.registry.services.trainings import add_attendees, create_trainer, create_training
    from app.units.models import Unit

    def unit(unit_id):
        return db.session.get(Unit, unit_id)

    decision = {"decision_number": "01/QĐ-UBND", "decision_date": date(2024, 3, 1)}
    for n, village in (("1", w.v1), ("2", w.v2), ("3", w.v3)):
        commune = {"1": "C1", "2": "C2", "3": "C3"}[n]
        team = create_team(unit=unit(village))
        setattr(w, f"team{n}", team.id)
        mediator = create_mediator(
            team=team,
            values={
                "full_name": f"Giàng Thị Mai MARKER-{commune}",
                "sex": "F",
                "birth_year": 1980,
                "ethnicity_code": "08",
            },
            decision=decision,
        )
        setattr(w, f"mediator{n}", mediator.id)
        supporter = create_supporter(
            unit=unit({"1": w.c1, "2": w.c2, "3": w.c3}[n]),
            full_name=f"Luật Sư MARKER-{commune}",
            background="lawyer",
        )
        setattr(w, f"supporter{n}", supporter.id)
        setattr(w, f"support{n}", attach_supporter(team, supporter, date(2024, 1, 1)).id)
    for n, where, marker in (("1", w.d1, "D1"), ("3", w.p2, "P2")):
        trainer = create_trainer(
            unit=unit(where),
            full_name=f"Tập Huấn Viên MARKER-{marker}",
            sex="M",
            background="jurist",
        )
        setattr(w, f"trainer{n}", trainer.id)
        training = create_training(
            unit=unit(where),
            title=f"Tập huấn kỹ năng MARKER-{marker}",
            starts_on=date(2025, 5, 10),
            level="district" if n == "1" else "province",
        )
        setattr(w, f"training{n}", training.id)
        add_attendees(training, trainer_ids=[trainer.id])
        setattr(w, f"attendance{n}", _attendance_id(training.id, trainer.id))


def add_logbook(w: World) -> None:
    """In each commune: an ended, unpaid case (entryN) and a case paid in paymentN, whose
    parties carry PARTY-Cn markers; a pay rate for each province (pay_rate1, pay_rate3)."""
    from datetime import date

    from app.logbook.rules import Party
    from app.logbook.services import EntryValues, create_entry, create_pay_rate, pay_entries
    from app.registry.models import Team
    from app.units.models import Unit

    for n, province in (("1", w.p1), ("3", w.p2)):
        rate = create_pay_rate(
            db.session.get(Unit, province),
            effective_from=date(2024, 1, 1),
            amount=200_000,
            basis=f"Nghị quyết 05/NQ-HĐND MARKER-{'P1' if n == '1' else 'P2'}",
        )
        setattr(w, f"pay_rate{n}", rate.id)
    for n in ("1", "2", "3"):
        team = db.session.get(Team, getattr(w, f"team{n}"))
        commune = f"C{n}"

        def values(result, day, n=n, commune=commune):
            return EntryValues(
                received_on=day,
                started_on=day,
                ended_on=day,
                content=f"Tranh chấp ranh giới nương rẫy MARKER-{commune}",
                scope="civil",
                result=result,
                agreement="Hai bên thống nhất cắm lại mốc ranh giới.",
                parties=[
                    Party(f"Vàng A Páo PARTY-{commune}", 45, f"Bản Pá Mỳ PARTY-{commune}-ADDR"),
                    Party(f"Lý A Sử PARTY-{commune}", 52, None),
                ],
                mediator_ids=[getattr(w, f"mediator{n}")],
            )

        entry = create_entry(team, values("successful", date(2025, 3, 10)))
        setattr(w, f"entry{n}", entry.id)
        paid = create_entry(team, values("failed", date(2025, 2, 3)))
        setattr(w, f"paid_entry{n}", paid.id)
        if n != "2":
            payment = pay_entries(team, [paid.id], paid_on=date(2025, 6, 30), voucher="PC-01")
            setattr(w, f"payment{n}", payment.id)


def _attendance_id(training_id: int, trainer_id: int) -> int:
    from app.registry.models import TrainingAttendance

    return db.session.scalar(
        db.select(TrainingAttendance.id).where(
            TrainingAttendance.training_id == training_id,
            TrainingAttendance.trainer_id == trainer_id,
        )
    )


@pytest.fixture
def login_as(make_client, world):
    """A logged-in client for a role of the world: login_as("officer")."""

    def _login(role):
        c = make_client()
        response = c.login(world.usernames[role])
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return c

    return _login
