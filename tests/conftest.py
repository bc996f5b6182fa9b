"""Test fixtures: the app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), factories,
and a client that logs in and carries the CSRF token like a browser does."""

import copy
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
        # DELETE, not TRUNCATE: on tables this small it is several times faster on PostgreSQL,
        # where all of them go in one round trip (psycopg runs a multi-statement string).
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("; ".join(f"DELETE FROM {t}" for t in tables))
            else:
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
            "head_judge": make_user(
                "giamkhao2", "judge", self.d1, full_name="Trưởng Ban Giám Khảo"
            ),
        }
        self.usernames = {
            "admin": "quantri",
            "officer": "canbo",
            "commune_staff": "congchuc",
            "judge": "giamkhao",
            "viewer": "xembaocao",
            "officer_p2": "canbop2",
            "head_judge": "giamkhao2",
        }


# The world's rows and attributes, per app (one per test process): built once through the
# services, then copied back row for row before every other test that asks for it.
_BUILT_WORLDS: dict[int, tuple[dict[str, list[dict]], dict]] = {}


@pytest.fixture
def world(app, make_unit, make_user):
    """The world of both provinces (see World), on empty tables.

    Building it through the services takes most of a short test's time, and thousands of
    tests (the authorization matrix above all) ask for it; so the first test of a process
    builds it and keeps every row, and the next ones get the same rows (same ids, same
    timestamps) inserted back in one statement per table.
    """
    built = _BUILT_WORLDS.get(id(app))
    if built is not None:
        rows, attributes = built
        restore_rows(app, rows)
        w = World.__new__(World)
        w.__dict__.update(copy.deepcopy(attributes))
        return w
    w = World(make_unit, make_user)
    with app.app_context():
        from app.audit.models import AuditLog

        w.first_audit_id = db.session.scalar(db.select(db.func.min(AuditLog.id)))
        add_registry(w)
        add_logbook(w)
        add_contests(w)
        add_commendations(w)
        add_pilots(w)
        add_reports(w)
        db.session.commit()
    _BUILT_WORLDS[id(app)] = (table_rows(app), copy.deepcopy(vars(w)))
    return w


def table_rows(app) -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order (a parent unit before its children)."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(
                    db.select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in db.metadata.sorted_tables
        }


def restore_rows(app, rows: dict[str, list[dict]]) -> None:
    """Insert the rows back, parents first. The ids stay below every sequence's next value
    (the rows were made by it, and cleaning up with DELETE does not rewind it)."""
    with app.app_context(), db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                connection.execute(table.insert(), rows[table.name])


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


def add_contests(w: World) -> None:
    """Contest1 (organised by D1, individual entries, judging): a preliminary round already
    published (round0) and a final being scored (round1) with entries contest_entry1 (mediator1)
    and contest_entry2 (a member kept by name only, both of C1 so that every role that sees the
    contest may see them); the world's judge (seat1, declared) has a draft sheet, the head judge
    giamkhao2 (seat2) a submitted one whose note carries NOTE-J2 (no other judge may read it).
    Contest3 (organised by C3 in P2, registration) with contest_entry3 (mediator3)."""
    from datetime import date
    from decimal import Decimal

    from app.clock import utcnow
    from app.contests import models as m
    from app.contests.services.results import publish_round
    from app.registry.models import Mediator
    from app.units.models import Unit
    from app.units.services import place
    from app.users.models import User

    def contest(unit_id, name, status, level):
        c = m.Contest(
            name=name,
            level=level,
            year=2026,
            status=status,
            entry_kind="individual",
            official_count=1,
            reserve_min=0,
            reserve_max=0,
            actor_max=0,
            rule_document="12/TL-BTC",
            frozen_at=utcnow() if status == "judging" else None,
        )
        place(c, db.session.get(Unit, unit_id))
        db.session.add(c)
        return c

    def round_(c, position, name, kind, status):
        r = m.ContestRound(
            contest=c,
            position=position,
            name=name,
            kind=kind,
            status=status,
            held_on=date(2026, 10, position),
            advance_count=None,
        )
        db.session.add(r)
        intro = m.ContestPart(
            round=r,
            position=1,
            name="Giới thiệu",
            kind="intro",
            max_points=Decimal(10),
            time_limit_seconds=180,
            penalty_kind="tiered",
            penalty_tiers="1:0.25;60:0.5",
        )
        quiz = m.ContestPart(
            round=r,
            position=2,
            name="Kiến thức",
            kind="knowledge",
            max_points=Decimal(10),
            scored_by="secretary",
        )
        skit = m.ContestPart(
            round=r,
            position=3,
            name="Tiểu phẩm",
            kind="skit",
            max_points=Decimal(20),
            time_limit_seconds=360,
            penalty_kind="per_minute",
            penalty_points=Decimal(1),
        )
        db.session.add_all([intro, quiz, skit])
        skit.criteria = [
            m.ContestCriterion(position=1, name="Nội dung", max_points=Decimal(12)),
            m.ContestCriterion(position=2, name="Diễn xuất", max_points=Decimal(8)),
        ]
        return r, (intro, quiz, skit)

    def entry(c, unit_id, name, mediator_id, member_unit):
        # A member without a registry record, as an imported archive keeps them.
        mediator = db.session.get(Mediator, mediator_id) if mediator_id else None
        member = m.ContestEntryMember(
            position=1,
            role="captain",
            mediator_id=mediator_id,
            full_name=mediator.full_name if mediator else "Lò Văn Hùng MARKER-C1",
            birth_year=mediator.birth_year if mediator else 1975,
            sex=mediator.sex if mediator else "M",
            unit_id=member_unit,
        )
        e = m.ContestEntry(contest_id=c.id, name=name, members=[member])
        place(e, db.session.get(Unit, unit_id))
        db.session.add(e)
        return e

    def seat(r, user_id, position, head=False):
        user = db.session.get(User, user_id)
        s = m.ContestJudge(
            round_id=r.id,
            user_id=user.id,
            full_name=user.full_name,
            title="Phó Trưởng phòng Tư pháp",
            unit_id=user.unit_id,
            is_head=head,
            position=position,
            declared_at=utcnow(),
        )
        db.session.add(s)
        return s

    def sheet(s, r, e, part, value, status, note):
        sh = m.ScoreSheet(
            marks=[m.ScoreMark(criterion_id=None, value=value)],
            round_id=r.id,
            judge_id=s.id,
            entry_id=e.id,
            part_id=part.id,
            status=status,
            total=value,
            note=note,
            submitted_at=utcnow() if status == "submitted" else None,
        )
        db.session.add(sh)
        return sh

    # Flushed a phase at a time (ids are needed for the next phase): the world is built for
    # every test that uses it, so each flush counts.
    c1 = contest(w.d1, "Hội thi hòa giải viên giỏi MARKER-D1", "judging", "district")
    c3 = contest(w.c3, "Hội thi hòa giải viên giỏi MARKER-C3", "registration", "commune")
    db.session.flush()
    w.contest1, w.contest3 = c1.id, c3.id
    for position, name in ((1, "Giải Nhất"), (2, "Giải Nhì")):
        db.session.add(m.ContestPrize(contest_id=c1.id, position=position, name=name, count=1))
    db.session.add(
        m.ContestPrize(
            contest_id=c1.id, position=3, name="Tiểu phẩm hay nhất", kind="side", count=1
        )
    )
    e1 = entry(c1, w.v1, "Giàng Thị Mai (Bản Delta)", w.mediator1, w.c1)
    e2 = entry(c1, w.v1, "Lò Văn Hùng (Bản Delta)", None, w.c1)
    e3 = entry(c3, w.v3, "Giàng Thị Mai (Thôn Tau)", w.mediator3, w.c3)
    r0, parts0 = round_(c1, 1, "Vòng sơ khảo", "preliminary", "judging")
    r1, parts1 = round_(c1, 2, "Vòng chung khảo", "final", "judging")
    r3, parts3 = round_(c3, 1, "Vòng chung khảo", "final", "preparing")
    db.session.flush()
    w.contest_entry1, w.contest_entry2, w.contest_entry3 = e1.id, e2.id, e3.id
    w.round0, w.round1, w.round3 = r0.id, r1.id, r3.id
    w.part3_intro = parts3[0].id
    w.part1_intro, w.part1_quiz, w.part1_skit = (p.id for p in parts1)
    for r in (r0, r1):
        for order, e in enumerate((e1, e2), start=1):
            db.session.add(m.ContestRoundEntry(round_id=r.id, entry_id=e.id, order_number=order))
    db.session.add(m.ContestRoundEntry(round_id=r3.id, entry_id=e3.id, order_number=1))
    seats0 = [seat(r0, w.users["judge"], 1), seat(r0, w.users["head_judge"], 2, head=True)]
    seat1, seat2 = seat(r1, w.users["judge"], 1), seat(r1, w.users["head_judge"], 2, head=True)
    db.session.flush()
    w.seat1, w.seat2 = seat1.id, seat2.id
    sheet1 = sheet(seat1, r1, e1, parts1[0], Decimal("7.50"), "draft", "Nhận xét SHEET-J1")
    sheet2 = sheet(seat2, r1, e1, parts1[0], Decimal("8.25"), "submitted", "Nhận xét NOTE-J2")
    # The preliminary: every sheet submitted, the quiz marked, then published.
    intro0, quiz0, skit0 = parts0
    for e, base in ((e1, Decimal(8)), (e2, Decimal(7))):
        for n, s in enumerate(seats0):
            sheet(s, r0, e, intro0, base + n / Decimal(2), "submitted", None)
            sheet(s, r0, e, skit0, base * 2, "submitted", None)
        db.session.add(
            m.SecretaryMark(
                round_id=r0.id,
                entry_id=e.id,
                part_id=quiz0.id,
                value=base,
                correct_answers=int(base),
                question_count=10,
            )
        )
    penalty1 = _penalty(r1, e1, parts1[0], 255)
    penalty3 = _penalty(r3, e3, parts3[0], 210)
    db.session.flush()
    w.sheet1, w.sheet2 = sheet1.id, sheet2.id
    w.penalty1, w.penalty3 = penalty1.id, penalty3.id
    publish_round(r0, user=None, reason=None)


def add_commendations(w: World) -> None:
    """In D1: proposal1 (mediator1 of C1, submitted, held by D1), proposal1b (team1 of C1,
    accepted by D1, ready for a decision) and decision1 (D1, 2025) whose award2 went to
    mediator2 of C2 (proposal2). In P2: proposal3 (mediator3, submitted, held by P2) and
    decision3 (P2) whose award3 went to team3 (proposal3b). Achievements carry the markers."""
    from app.commendations.models import CommendationAward
    from tests.commendations.factories import make_decision, make_proposal

    def achievement(marker):
        return f"Hòa giải thành nhiều vụ việc MARKER-{marker}"

    p1 = make_proposal(mediator_id=w.mediator1, holder_unit_id=w.d1, achievement=achievement("C1"))
    p1b = make_proposal(
        team_id=w.team1, holder_unit_id=w.d1, status="accepted", achievement=achievement("C1")
    )
    p2 = make_proposal(
        mediator_id=w.mediator2,
        holder_unit_id=w.d1,
        status="accepted",
        year=2025,
        achievement=achievement("C2"),
    )
    d1 = make_decision(unit_id=w.d1, proposals=[p2])
    p3 = make_proposal(
        mediator_id=w.mediator3,
        holder_unit_id=w.p2,
        form="bang_khen_tinh",
        achievement=achievement("C3"),
    )
    p3b = make_proposal(
        team_id=w.team3,
        holder_unit_id=w.p2,
        form="bang_khen_tinh",
        status="accepted",
        year=2025,
        achievement=achievement("C3"),
    )
    d3 = make_decision(unit_id=w.p2, proposals=[p3b], number="7/QĐ-UBND")
    w.proposal1, w.proposal1b, w.proposal2, w.proposal3, w.proposal3b = (
        p.id for p in (p1, p1b, p2, p3, p3b)
    )
    w.decision1, w.decision3 = d1.id, d3.id
    awards = dict(
        db.session.execute(db.select(CommendationAward.proposal_id, CommendationAward.id)).all()
    )
    w.award2, w.award3 = awards[p2.id], awards[p3b.id]


def add_pilots(w: World) -> None:
    """The default templates; template1 (a draft of D1's own) and template3 (P2's draft).
    checklist1: C1's pilot (district level, office D1, open; its check item done, its text
    item with a marker, a PDF attached to its first evidence item). checklist2: C2's model
    criteria (office D1, submitted: every typed item filled). checklist4: C1's model criteria
    (signed off, with its snapshot4). checklist3: C3's pilot (P2, submitted, a PDF attached)."""
    from datetime import date

    from app.pilots.models import TemplateItem, TemplateSection
    from tests.pilots.factories import (
        PDF,
        attach,
        default_template,
        fill_all,
        items_of,
        make_checklist,
        make_template,
        sign_off,
    )

    w.template_pilot = default_template("pilot").id
    w.template_model = default_template("model").id
    t1 = make_template(owner_unit_id=w.d1, name="Mẫu riêng của huyện MARKER-D1")
    t3 = make_template(owner_unit_id=w.p2, name="Mẫu riêng của tỉnh MARKER-P2")
    w.template1, w.template3 = t1.id, t3.id
    w.tsection1, w.tsection3 = (
        db.session.scalar(db.select(TemplateSection.id).where(TemplateSection.template_id == t))
        for t in (t1.id, t3.id)
    )
    w.titem1, w.titem3 = (
        db.session.scalar(db.select(TemplateItem.id).where(TemplateItem.template_id == t))
        for t in (t1.id, t3.id)
    )
    c1 = make_checklist(commune_id=w.c1, office_unit_id=w.d1, note="Xã điểm MARKER-C1")
    check = items_of(c1, "check", computed=False)[0]
    check.value_bool, check.progress = True, "done"
    text = items_of(c1, "text")[0]
    text.value_text, text.progress = "Huy động kinh phí MARKER-C1", "in_progress"
    evidence = items_of(c1, "evidence")[0]
    w.file1 = attach(c1, evidence, PDF, "bien-ban-khao-sat-MARKER-C1.pdf").id
    w.checklist1, w.citem1, w.citem1_evidence = c1.id, check.id, evidence.id

    c2 = make_checklist(commune_id=w.c2, office_unit_id=w.d1, kind="model", level="district")
    fill_all(c2, "MARKER-C2")
    c2.status = "submitted"
    w.checklist2, w.citem2 = c2.id, items_of(c2, computed=False)[0].id

    c4 = make_checklist(commune_id=w.c1, office_unit_id=w.d1, kind="model")
    fill_all(c4, "MARKER-C1")
    w.snapshot4 = sign_off(c4, date(2026, 6, 30)).id
    w.checklist4 = c4.id

    c3 = make_checklist(
        commune_id=w.c3, office_unit_id=w.p2, level="province", note="Xã điểm MARKER-C3"
    )
    fill_all(c3, "MARKER-C3")
    c3.status = "submitted"
    w.file3 = attach(c3, items_of(c3, "evidence")[0], PDF, "bao-cao-MARKER-C3.pdf").id
    w.checklist3, w.citem3 = c3.id, items_of(c3, computed=False)[0].id
    db.session.flush()


def add_reports(w: World) -> None:
    """plan1: P1's plan for 2024-2030 (1 trainer per 116 teams, 5% of teams supported, the
    deadlines 16/06 and 18/11); plan3: P2's plan (a marker in its name and note)."""
    from decimal import Decimal

    from app.reports.models import PlanTarget, ReportingPlan

    plans = []
    for unit_id, name, targets in (
        (w.p1, "Kế hoạch Đề án 315 MARKER-P1", {"trainers": 116, "teams_supported": 5}),
        (w.p2, "Kế hoạch Đề án 315 MARKER-P2", {"success_rate": 90}),
    ):
        plan = ReportingPlan(
            unit_id=unit_id,
            name=name,
            document="59/KH-UBND",
            from_year=2024,
            to_year=2030,
            six_month_day=16,
            six_month_month=6,
            annual_day=18,
            annual_month=11,
            note=f"Ghi chú {name}",
        )
        db.session.add(plan)
        db.session.flush()
        for key, value in targets.items():
            db.session.add(PlanTarget(plan_id=plan.id, indicator=key, target=Decimal(value)))
        plans.append(plan.id)
    w.plan1, w.plan3 = plans
    db.session.flush()


def _penalty(round_, entry, part, used_seconds):
    """A time penalty recorded by the secretary (points from the part's rule)."""
    from app.contests import models as m
    from app.contests.rules import time_penalty
    from app.contests.services.results import part_rule

    penalty = m.ContestPenalty(
        round_id=round_.id,
        entry_id=entry.id,
        part_id=part.id,
        kind="time",
        used_seconds=used_seconds,
        points=time_penalty(part_rule(part), used_seconds),
    )
    db.session.add(penalty)
    return penalty


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
