"""``flask demo``: the demo data of DOMAIN.md §2, into an empty database only."""

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


@pytest.mark.parametrize("username", sorted(LOGINS))
def test_every_demo_login_works(loaded, make_client, username):
    c = make_client()
    r = c.login(username, "hoagiai-demo-2026")
    assert r.status_code == 303
    assert c.get("/").status_code == 200


def test_demo_password_passes_the_policy(ctx):
    for spec in demo.DEMO_USERS:
        assert password_problems(demo.DEMO_PASSWORD, spec.username) == []


def test_summary_names_the_counts_and_the_logins(loaded):
    assert "129" in loaded.output and "11 xã" in loaded.output and "116 bản" in loaded.output
    assert "hoagiai-demo-2026" in loaded.output
    for username in LOGINS:
        assert f"  {username} " in loaded.output


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
