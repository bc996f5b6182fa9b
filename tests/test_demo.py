"""``flask demo``: the demo data of DOMAIN.md §2, into an empty database only."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app import demo
from app.audit.models import AuditLog
from app.extensions import db
from app.security.passwords import password_problems
from app.units.models import Level, Unit, UnitClosure
from app.units.services import UnitError
from app.users.models import User

COMMUNES = {
    "Xã Sín Thầu",
    "Xã Sen Thượng",
    "Xã Chung Chải",
    "Xã Leng Su Sìn",
    "Xã Pá Mỳ",
    "Xã Mường Nhé",
    "Xã Nậm Vì",
    "Xã Nậm Kè",
    "Xã Mường Toong",
    "Xã Quảng Lâm",
    "Xã Huổi Lếnh",
}
LOGINS = {
    "admin": ("admin", "Tỉnh Điện Biên"),
    "canbo": ("officer", "Huyện Mường Nhé"),
    "congchuc": ("commune_staff", "Xã Mường Nhé"),
    "giamkhao": ("judge", "Huyện Mường Nhé"),
    "xembaocao": ("viewer", "Huyện Mường Nhé"),
}


@pytest.fixture
def run_demo(app):
    """Invoke ``flask demo`` with the given options, as the command line does."""
    return lambda *args: app.test_cli_runner().invoke(args=["demo", *args])


@pytest.fixture
def loaded(run_demo):
    result = run_demo()
    assert result.exit_code == 0, result.output
    return result


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Unit, UnitClosure, User, AuditLog)
        }


def test_loads_the_tree(app, loaded):
    with app.app_context():
        units = list(db.session.scalars(select(Unit)))
        by_level = {level: [u for u in units if u.level == level] for level in Level}
        (province,) = by_level[Level.PROVINCE]
        (district,) = by_level[Level.DISTRICT]
        communes, villages = by_level[Level.COMMUNE], by_level[Level.VILLAGE]
        assert (province.name, province.kind, province.code) == ("Tỉnh Điện Biên", "tinh", "11")
        assert (district.name, district.kind, district.code) == ("Huyện Mường Nhé", "huyen", None)
        assert district.valid_to is None and district.is_ethnic_minority_area
        assert "1399/KH-UBND" in district.note
        assert {c.name for c in communes} == COMMUNES
        assert all(
            c.kind == "xa" and c.code is None and c.parent_id == district.id for c in communes
        )
        assert all(c.is_ethnic_minority_area and c.valid_to is None for c in communes)
        assert len(villages) == 116
        assert all(
            v.kind == "ban" and v.name.startswith("Bản ") and v.code is None for v in villages
        )
        assert all(v.is_ethnic_minority_area and v.valid_to is None for v in villages)
        assert len({(v.parent_id, v.name) for v in villages}) == 116
        per_commune = [sum(v.parent_id == c.id for v in villages) for c in communes]
        assert all(7 <= n <= 15 for n in per_commune), per_commune


def test_one_district_pilot_commune(app, loaded):
    with app.app_context():
        pilots = list(db.session.scalars(select(Unit).where(Unit.pilot_level.is_not(None))))
        assert [(u.name, u.pilot_level, u.pilot_start_year, u.pilot_end_year) for u in pilots] == [
            ("Xã Mường Nhé", "district", 2024, 2026)
        ]


def test_every_unit_has_its_closure_rows(app, loaded):
    """Each unit's ancestors in the closure table are exactly its chain of parents."""
    with app.app_context():
        parent_of = dict(db.session.execute(select(Unit.id, Unit.parent_id)).all())
        closure = {}
        for ancestor_id, descendant_id, depth in db.session.execute(
            select(UnitClosure.ancestor_id, UnitClosure.descendant_id, UnitClosure.depth)
        ):
            closure.setdefault(descendant_id, {})[depth] = ancestor_id
        for unit_id in parent_of:
            chain, current = {}, unit_id
            while current is not None:
                chain[len(chain)] = current
                current = parent_of[current]
            assert closure[unit_id] == chain
        village = db.session.scalar(select(Unit).where(Unit.name == "Bản Tá Miếu"))
        assert len(closure[village.id]) == 4  # itself, Sín Thầu, Mường Nhé, Điện Biên


def test_one_user_per_role(app, loaded):
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert {name: (u.role, u.unit.name) for name, u in users.items()} == LOGINS
        assert all(u.active and not u.must_change_password for u in users.values())
        assert users["canbo"].full_name == "Lò Văn Thanh"
        assert users["congchuc"].full_name == "Sùng Thị Mai"


def test_every_demo_login_works(loaded, make_client):
    # One load for the five logins: the demo takes seconds.
    for username in sorted(LOGINS):
        c = make_client()
        r = c.login(username, "hoagiai-demo-2026")
        assert r.status_code == 303, username
        assert c.get("/").status_code == 200, username


def test_demo_password_passes_the_policy(ctx):
    for spec in demo.DEMO_USERS:
        assert password_problems(demo.DEMO_PASSWORD, spec.username) == []


def test_summary_names_the_counts_and_the_logins(loaded):
    assert "129" in loaded.output and "11 xã" in loaded.output and "116 bản" in loaded.output
    assert "hoagiai-demo-2026" in loaded.output
    for username in LOGINS:
        assert f"  {username} " in loaded.output
    assert "Sổ theo dõi hòa giải: " in loaded.output
    assert "Xã Mường Nhé (chỉ đạo điểm)" in loaded.output
    assert "300.000 đ" in loaded.output


def test_audit_log_has_one_create_row_per_unit_and_user(app, loaded):
    # Every create row names its object (object_id) and holds its snapshot.
    with app.app_context():
        creates = db.session.scalars(select(AuditLog).where(AuditLog.action == "create")).all()
        for model in (Unit, User):
            ids = sorted(db.session.scalars(select(model.id)))
            logged = sorted(row.after["id"] for row in creates if row.object_type == model.__name__)
            assert logged == ids
        assert all(row.actor.startswith("dòng lệnh") for row in creates)
        assert all(
            row.after["password_hash"] == "***" for row in creates if row.object_type == "User"
        )


def test_a_second_run_refuses_and_changes_nothing(app, loaded, run_demo):
    before = row_counts(app)
    result = run_demo()
    assert result.exit_code == 1
    assert "đã có dữ liệu" in result.output
    assert row_counts(app) == before


def test_refuses_a_database_with_any_unit(app, make_unit, run_demo):
    make_unit("tinh", "Tỉnh Khác")
    before = row_counts(app)
    result = run_demo()
    assert result.exit_code == 1
    assert "1 đơn vị, 0 tài khoản" in result.output
    assert row_counts(app) == before


def test_if_empty_skips_a_loaded_database(app, loaded, run_demo):
    before = row_counts(app)
    result = run_demo("--if-empty")
    assert result.exit_code == 0, result.output
    assert "bỏ qua" in result.output
    assert row_counts(app) == before


def test_if_empty_loads_an_empty_database(app, run_demo):
    result = run_demo("--if-empty")
    assert result.exit_code == 0, result.output
    assert row_counts(app)["users"] == 5


def test_a_failing_step_leaves_the_database_empty(app, run_demo, monkeypatch):
    def broken(_demo):
        raise UnitError("Bước hỏng.")

    monkeypatch.setattr(demo, "DEMO_STEPS", [demo.load_units, demo.load_users, broken])
    result = run_demo()
    assert result.exit_code == 1
    assert "Bước hỏng." in result.output and "không có gì thay đổi" in result.output
    assert row_counts(app) == {"units": 0, "unit_closure": 0, "users": 0, "audit_log": 0}


def test_demo_refuses_production(monkeypatch):
    """Demo accounts have a public password: never on a production server."""
    from app import create_app

    app = create_app(
        {"APP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k" * 64}
    )
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 1
    assert "APP_ENV=production" in result.output


def test_registry_demo_has_teams_mediators_and_their_problems(app, loaded):
    """116 teams, about 700 mediators, some teams not compliant, a few overdue trainings."""
    from datetime import date

    from app.registry.models import Mediator, Team, Trainer, Training

    with app.app_context():
        count = lambda stmt: db.session.scalar(stmt)  # noqa: E731
        assert count(select(func.count()).select_from(Team)) == 116
        mediators = count(select(func.count()).select_from(Mediator))
        assert 650 <= mediators <= 750
        non_compliant = count(select(func.count()).select_from(Team).where(~Team.is_compliant))
        assert 10 <= non_compliant <= 40
        overdue = count(
            select(func.count())
            .select_from(Mediator)
            .where(
                Mediator.status == "active",
                Mediator.trained_on.is_(None),
                Mediator.training_due < date(2026, 1, 1),
            )
        )
        assert 5 <= overdue <= 60
        minority = count(
            select(func.count()).select_from(Mediator).where(Mediator.ethnicity_code != "01")
        )
        assert minority > mediators * 0.8
        assert count(select(func.count()).select_from(Team).where(Team.is_supported)) >= 6
        assert count(select(func.count()).select_from(Trainer)) >= 3
        assert count(select(func.count()).select_from(Training)) >= 3


def test_logbook_demo_rates_open_cases_and_payments(app, loaded):
    """About 400 cases since 1 January of last year: the pilot commune above 90% every year,
    some communes below the 85% target, ~5% still open in recent months, a few stopped cases
    and written settlements; the older half-years paid, and only ended cases."""
    from datetime import timedelta

    from app.clock import today
    from app.logbook.models import LogbookEntry, PayRate, RemunerationPayment
    from app.logbook.queries import tallies_by
    from app.logbook.rules import DEFAULT_TARGET, ENDED, OPEN, PILOT_COMMUNE_TARGET, total

    with app.app_context():
        entries = list(db.session.scalars(select(LogbookEntry)))
        assert 300 <= len(entries) <= 450
        communes = dict(
            db.session.execute(select(Unit.id, Unit.name).where(Unit.level == Level.COMMUNE)).all()
        )
        assert {e.commune_id for e in entries} == set(communes)
        first_year = today().year - 1
        assert min(e.received_on for e in entries) >= date(first_year, 1, 1)
        for year in (first_year, first_year + 1):
            by_commune = tallies_by(
                LogbookEntry.commune_id, None, date(year, 1, 1), date(year, 12, 31)
            )
            pilot = by_commune[next(i for i, n in communes.items() if n == "Xã Mường Nhé")]
            assert PILOT_COMMUNE_TARGET.judge(pilot) is True, (year, pilot.rate)
            assert total(by_commune.values()).ended >= 100
        overall = tallies_by(LogbookEntry.commune_id)
        below = [communes[i] for i, t in overall.items() if DEFAULT_TARGET.judge(t) is False]
        assert 2 <= len(below) <= 4, below
        assert "Xã Mường Nhé" not in below
        open_ = [e for e in entries if e.result in OPEN]
        assert 0.02 * len(entries) <= len(open_) <= 0.1 * len(entries)
        assert all(e.received_on >= today() - timedelta(days=60) for e in open_)
        assert 3 <= sum(e.stop_requested for e in entries) <= 20
        assert all(e.result == "failed" for e in entries if e.stop_requested)
        assert sum(e.written_settlement for e in entries) >= 30
        assert {e.scope for e in entries} == {"civil", "family", "other"}

        rates = list(db.session.scalars(select(PayRate).order_by(PayRate.effective_from)))
        assert [(r.effective_from, r.amount) for r in rates] == [
            (date(2020, 1, 1), 200_000),
            (date(2025, 1, 1), 300_000),
        ]
        assert all("dữ liệu mẫu" in r.basis for r in rates)
        payments = list(db.session.scalars(select(RemunerationPayment)))
        paid = [e for e in entries if e.payment_id is not None]
        assert paid and all(e.result in ENDED and e.paid_amount == 300_000 for e in paid)
        by_payment = {p.id: p for p in payments}
        for payment in payments:
            cases = [e for e in paid if e.payment_id == payment.id]
            assert payment.case_count == len(cases)
            assert payment.total_amount == sum(e.paid_amount for e in cases)
            assert all(e.team_id == payment.team_id for e in cases)
            assert all(e.ended_on <= payment.paid_on <= today() for e in cases)
        ended_first_year = [e for e in entries if e.ended_on and e.ended_on.year == first_year]
        assert len([e for e in ended_first_year if e.is_paid]) >= 0.85 * len(ended_first_year)
        assert set(by_payment) == {e.payment_id for e in paid}
        assert any(not e.is_paid for e in ended_first_year)  # a team paid late


def test_logbook_demo_cases_are_written_as_the_book_asks(app, loaded):
    """Coherent dates, increasing numbers and pages, serving mediators of the team, parties
    of age with an address in the commune, and no party's name in what the book says."""
    from collections import defaultdict

    from app.logbook.models import LogbookEntry, LogbookMediator, LogbookParty
    from app.registry.models import Mediator

    with app.app_context():
        entries = list(db.session.scalars(select(LogbookEntry).order_by(LogbookEntry.received_on)))
        parties = defaultdict(list)
        for party in db.session.scalars(select(LogbookParty)):
            parties[party.entry_id].append(party)
        names = {p.full_name for ps in parties.values() for p in ps}
        mediators = {m.id: m for m in db.session.scalars(select(Mediator))}
        on_case = defaultdict(list)
        for link in db.session.scalars(select(LogbookMediator)):
            on_case[link.entry_id].append(mediators[link.mediator_id])
        units = {u.id: u for u in db.session.scalars(select(Unit))}
        books = defaultdict(list)
        for e in entries:
            if e.started_on:
                assert 0 <= (e.started_on - e.received_on).days <= 3
            if e.ended_on:
                assert e.started_on <= e.ended_on
            if e.result == "successful":
                assert e.agreement
            written = " ".join(filter(None, (e.content, e.agreement, e.note, e.invited_persons)))
            assert not [name for name in names if name in written], e.id
            assert 1 <= len(parties[e.id]) == e.party_count <= 3
            commune = units[e.commune_id].name.replace("Xã ", "xã ")
            assert all(18 <= p.age <= 85 for p in parties[e.id])
            assert all(p.address.startswith("Bản ") for p in parties[e.id])
            assert all(p.address.endswith(f", {commune}") for p in parties[e.id])
            assert 1 <= len(on_case[e.id]) <= 3
            for m in on_case[e.id]:
                assert m.team_id == e.team_id
                assert m.recognised_on <= e.received_on
                assert m.dismissed_on is None or e.received_on <= m.dismissed_on
            books[e.team_id].append(e)
        for book in books.values():
            book.sort(key=lambda e: (e.year, e.number))
            assert [e.page_number for e in book] == sorted({e.page_number for e in book})
            assert [e.received_on for e in book] == sorted(e.received_on for e in book)
            for year in {e.year for e in book}:
                numbers = [e.number for e in book if e.year == year]
                assert numbers == list(range(1, len(numbers) + 1))
        created = db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "create", AuditLog.object_type == "LogbookEntry")
        )
        assert created == len(entries)
