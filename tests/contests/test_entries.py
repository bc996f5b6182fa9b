"""Entries of a contest through the routes: registration and its composition rules, the list and
who reads member lists, corrections (409), withdrawal, the running order drawn by lot, and the
entries that go through to a later round."""

import json
import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditLog
from app.clock import utcnow
from app.concurrency import STALE_MESSAGE
from app.contests import models as m
from app.contests.services.entries import CANDIDATE_LIMIT
from app.contests.services.results import round_entries
from app.extensions import db
from app.registry.models import Mediator, Team
from app.registry.services.mediators import create_mediator, dismiss_mediator
from app.units.models import Unit
from app.units.services import place
from tests.queries import count_queries

DECISION = {"decision_number": "02/QĐ-UBND", "decision_date": date(2024, 3, 1)}


def body(response) -> str:
    return response.get_data(as_text=True)


def make_mediator(team_id: int, name: str, sex: str = "F", year: int = 1980) -> Mediator:
    """A recognised, active mediator of a team (inside an app context)."""
    team = db.session.get(Team, team_id)
    values = {"full_name": name, "sex": sex, "birth_year": year, "ethnicity_code": "01"}
    return create_mediator(team=team, values=values, decision=DECISION)


def make_contest(unit_id: int, status: str = "registration", **rules) -> m.Contest:
    """A district contest of teams (3 official with a captain, 1-2 reserves, up to 2 actors)
    with a preliminary and a final round, both preparing (inside an app context)."""
    values = {
        "name": "Hội thi hòa giải viên giỏi huyện",
        "level": "district",
        "year": 2026,
        "status": status,
        "entry_kind": "team",
        "official_count": 3,
        "reserve_min": 1,
        "reserve_max": 2,
        "actor_max": 2,
        **rules,
    }
    contest = m.Contest(**values)
    place(contest, db.session.get(Unit, unit_id))
    db.session.add(contest)
    db.session.flush()
    for position, (name, kind) in enumerate(
        (("Vòng sơ khảo", "preliminary"), ("Vòng chung khảo", "final")), start=1
    ):
        db.session.add(
            m.ContestRound(contest_id=contest.id, position=position, name=name, kind=kind)
        )
    db.session.flush()
    return contest


@pytest.fixture
def reg(app, world):
    """Contest ``reg.contest`` of D1 open for registration (rounds ``first``, ``final``);
    mediators of C1: ``c1m`` (mediator1 and six more, all active), ``gone`` (dismissed);
    of C2: ``c2m`` (mediator2 and one more)."""
    with app.app_context():
        contest = make_contest(world.d1)
        rounds = db.session.scalars(
            select(m.ContestRound)
            .where(m.ContestRound.contest_id == contest.id)
            .order_by(m.ContestRound.position)
        ).all()
        c1m = [world.mediator1] + [
            make_mediator(world.team1, f"Hòa Giải Viên Xã Một {n}", year=1970 + n).id
            for n in range(1, 7)
        ]
        gone = make_mediator(world.team1, "Người Đã Thôi Làm")
        dismiss_mediator(gone, "own_wish", DECISION)
        c2m = [world.mediator2, make_mediator(world.team2, "Hòa Giải Viên Xã Hai").id]
        db.session.commit()
        return SimpleNamespace(
            w=world,
            contest=contest.id,
            first=rounds[0].id,
            final=rounds[1].id,
            c1m=c1m,
            gone=gone.id,
            c2m=c2m,
        )


def team_form(unit, captain, officials=(), reserves=(), actors=(), **extra) -> dict:
    """A registration as the form posts it: ticked mediators with their roles."""
    data = {"unit": str(unit), "member": [], "save": "1"}
    for role, ids in (("captain", [captain]), ("official", officials), ("reserve", reserves)):
        for mediator_id in ids:
            data["member"].append(str(mediator_id))
            data[f"role-{mediator_id}"] = role
    if actors:
        data["actors"] = "\n".join(actors)
    data.update(extra)
    return data


def valid_team(r, **extra) -> dict:
    """Three officials of C1 (the first is captain), one reserve, one actor."""
    data = team_form(
        r.w.c1, r.c1m[0], officials=r.c1m[1:3], reserves=[r.c1m[3]], actors=["Lò Thị Diễn Viên"]
    )
    data.update(extra)
    return data


def counts(app) -> tuple[int, int, int, int]:
    """Entries, members, represented units, round places: nothing saved means none change."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (
                m.ContestEntry,
                m.ContestEntryMember,
                m.ContestEntryUnit,
                m.ContestRoundEntry,
            )
        )


def newest_entry(app) -> m.ContestEntry:
    with app.app_context():
        entry = db.session.scalar(select(m.ContestEntry).order_by(m.ContestEntry.id.desc()))
        db.session.expunge(entry)
        return entry


def members_of(app, entry_id) -> list[tuple]:
    with app.app_context():
        return [
            (x.id, x.role, x.mediator_id, x.full_name, x.birth_year, x.sex, x.unit_id)
            for x in db.session.scalars(
                select(m.ContestEntryMember)
                .where(m.ContestEntryMember.entry_id == entry_id)
                .order_by(m.ContestEntryMember.position)
            )
        ]


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def group_errors(html: str, group: str) -> str:
    """The messages above a group of the form (members, represented)."""
    match = re.search(rf'<fieldset [^>]*id="{group}">(.*?)</fieldset>', html, re.S)
    return " ".join(re.findall(r'<p class="error">(.*?)</p>', match.group(1) if match else ""))


def register(app, r, values=None, user_role="commune_staff"):
    """An entry registered through the services (valid_team unless told); its id."""
    from app.contests.services.entries import EntryValues, register_entry
    from app.users.models import User

    with app.app_context():
        contest = db.session.get(m.Contest, r.contest)
        user = db.session.get(User, r.w.users[user_role])
        values = values or EntryValues(
            unit_id=r.w.c1,
            members=[
                (r.c1m[0], "captain"),
                (r.c1m[1], "official"),
                (r.c1m[2], "official"),
                (r.c1m[3], "reserve"),
            ],
            actors=["Lò Thị Diễn Viên"],
        )
        entry = register_entry(contest, user, values)
        db.session.commit()
        return entry.id


def set_status(app, model, object_id, status):
    with app.app_context():
        db.session.get(model, object_id).status = status
        db.session.commit()


# Registering


def test_commune_registers_its_team(app, reg, login_as):
    client = login_as("commune_staff")
    page = client.get(f"/contests/{reg.contest}/entries/new")
    assert page.status_code == 200
    html = body(page)
    # The commune is chosen already, with its active mediators (not the dismissed one).
    assert f'<option selected value="{reg.w.c1}">' in html
    assert "Hòa Giải Viên Xã Một 1" in html and "Người Đã Thôi Làm" not in html
    assert "Hòa Giải Viên Xã Hai" not in html

    response = client.post(f"/contests/{reg.contest}/entries/new", data=valid_team(reg))
    assert response.status_code == 303, body(response)[:2000]
    entry = newest_entry(app)
    assert response.headers["Location"].endswith(f"/contests/entries/{entry.id}")
    assert entry.name == "Đội Xã Gamma MARKER-C1"
    assert (entry.unit_id, entry.commune_id, entry.district_id) == (reg.w.c1, reg.w.c1, reg.w.d1)
    assert entry.status == "registered"
    assert entry.registered_by_id == reg.w.users["commune_staff"]
    members = members_of(app, entry.id)
    assert [x[1] for x in members] == ["captain", "official", "official", "reserve", "actor"]
    captain = members[0]
    assert captain[2:] == (reg.c1m[0], "Giàng Thị Mai MARKER-C1", 1980, "F", reg.w.c1)
    assert members[-1][2:4] == (None, "Lò Thị Diễn Viên")
    with app.app_context():
        places = db.session.scalars(
            select(m.ContestRoundEntry).where(m.ContestRoundEntry.entry_id == entry.id)
        ).all()
        assert [(p.round_id, p.order_number) for p in places] == [(reg.first, None)]
        audit = db.session.scalars(
            select(AuditLog).where(
                AuditLog.object_type == "ContestEntry", AuditLog.object_id == entry.id
            )
        ).all()
        assert [a.action for a in audit] == ["create"]
        assert audit[0].user_id == reg.w.users["commune_staff"]


def test_registration_page_as_fragment_refreshes_candidates(app, reg, login_as):
    """Changing the unit asks for the form again (htmx): candidates of the new unit, no save."""
    client = login_as("officer")
    before = counts(app)
    data = {"unit": str(reg.w.c2), "refresh": "1", "name": "x"}
    fragment = client.post(f"/contests/{reg.contest}/entries/new", data=data, htmx=True)
    assert fragment.status_code == 200
    html = body(fragment)
    assert "<html" not in html and 'id="entry-form-card"' in html
    assert "Hòa Giải Viên Xã Hai" in html and "Hòa Giải Viên Xã Một 1" not in html
    assert fragment.headers["Vary"] == "HX-Request" or "HX-Request" in fragment.headers["Vary"]
    page = client.post(f"/contests/{reg.contest}/entries/new", data=data)
    assert page.status_code == 200 and "<html" in body(page)
    assert 'id="entry-form-card"' in body(page)
    assert counts(app) == before


def test_candidates_filter_and_chosen_stay_listed(app, reg, login_as):
    client = login_as("commune_staff")
    data = {"unit": str(reg.w.c1), "q": "xa mot 2", "member": [str(reg.c1m[5])], "refresh": "1"}
    data[f"role-{reg.c1m[5]}"] = "reserve"
    html = body(client.post(f"/contests/{reg.contest}/entries/new", data=data))
    assert "Hòa Giải Viên Xã Một 2" in html
    assert "Hòa Giải Viên Xã Một 3" not in html
    # A ticked mediator stays in the list, ticked, with the role chosen.
    assert f'id="member-{reg.c1m[5]}" name="member" value="{reg.c1m[5]}" checked' in html
    assert re.search(rf'name="role-{reg.c1m[5]}"[^>]*>.*?<option value="reserve" selected', html)
    assert CANDIDATE_LIMIT >= 50


def test_board_registers_for_a_commune(app, reg, login_as):
    client = login_as("officer")
    page = body(client.get(f"/contests/{reg.contest}/entries/new"))
    assert f'<option value="{reg.w.c1}">' in page and f'<option value="{reg.w.c2}">' in page
    data = team_form(reg.w.c2, reg.c2m[0], officials=[reg.c2m[1]])
    response = client.post(f"/contests/{reg.contest}/entries/new", data=data)
    # C2 has two mediators only: a team of three is refused, nothing saved.
    assert response.status_code == 422
    assert "cần đúng 3 thành viên chính thức" in group_errors(body(response), "members")


def _no_captain(ids):
    return {**team_form(0, ids[0], ids[1:3], [ids[3]]), f"role-{ids[0]}": "official"}


def _two_captains(ids):
    return {**team_form(0, ids[0], ids[1:3], [ids[3]]), f"role-{ids[1]}": "captain"}


COMPOSITIONS = {
    "no captain": (_no_captain, "Đội thi cần đúng một đội trưởng (đang chọn 0)."),
    "two captains": (_two_captains, "Đội thi cần đúng một đội trưởng (đang chọn 2)."),
    "two officials": (
        lambda ids: team_form(0, ids[0], ids[1:2], [ids[3]]),
        "Đội thi cần đúng 3 thành viên chính thức, kể cả đội trưởng (đang chọn 2).",
    ),
    "four officials": (
        lambda ids: team_form(0, ids[0], ids[1:4], [ids[4]]),
        "Đội thi cần đúng 3 thành viên chính thức, kể cả đội trưởng (đang chọn 4).",
    ),
    "no reserve": (
        lambda ids: team_form(0, ids[0], ids[1:3], []),
        "Đội thi cần từ 1 đến 2 thành viên dự bị (đang chọn 0).",
    ),
    "three reserves": (
        lambda ids: team_form(0, ids[0], ids[1:3], ids[3:6]),
        "Đội thi cần từ 1 đến 2 thành viên dự bị (đang chọn 3).",
    ),
}


@pytest.mark.parametrize("case", COMPOSITIONS)
def test_composition_rules_refused(app, reg, login_as, case):
    build, message = COMPOSITIONS[case]
    data = {**build(reg.c1m), "unit": str(reg.w.c1)}
    client = login_as("commune_staff")
    before = counts(app)
    response = client.post(f"/contests/{reg.contest}/entries/new", data=data)
    assert response.status_code == 422
    assert message in group_errors(body(response), "members")
    assert counts(app) == before


def test_actor_rules_refused(app, reg, login_as):
    client = login_as("commune_staff")
    before = counts(app)
    too_many = valid_team(reg, actors="Diễn Viên A\nDiễn Viên B\nDiễn Viên C")
    response = client.post(f"/contests/{reg.contest}/entries/new", data=too_many)
    assert response.status_code == 422
    assert "Tối đa 2 diễn viên phụ họa (đang nhập 3)" in error_of(body(response), "actors")
    # A mediator of the team cannot also be an actor (actors never play the mediator).
    playing = valid_team(reg, actors="Hòa Giải Viên Xã Một 1")
    response = client.post(f"/contests/{reg.contest}/entries/new", data=playing)
    assert response.status_code == 422
    assert "diễn viên phụ họa không đóng vai hòa giải viên" in error_of(body(response), "actors")
    assert counts(app) == before


def test_dismissed_and_foreign_mediators_refused(app, reg, login_as):
    client = login_as("officer")
    before = counts(app)
    data = team_form(reg.w.c1, reg.c1m[0], officials=[reg.gone, reg.c2m[0]], reserves=[reg.c1m[3]])
    response = client.post(f"/contests/{reg.contest}/entries/new", data=data)
    assert response.status_code == 422
    errors = group_errors(body(response), "members")
    assert "Người Đã Thôi Làm đã bị cho thôi làm hòa giải viên." in errors
    assert "Giàng Thị Mai MARKER-C2 không thuộc đơn vị dự thi." in errors
    assert counts(app) == before


def test_a_mediator_enters_once_and_names_are_unique(app, reg, login_as):
    register(app, reg)
    client = login_as("commune_staff")
    before = counts(app)
    again = team_form(
        reg.w.c1,
        reg.c1m[4],
        officials=[reg.c1m[5], reg.c1m[6]],
        reserves=[reg.c1m[0]],
        name="Đội Hai Của Xã",
    )
    response = client.post(f"/contests/{reg.contest}/entries/new", data=again)
    assert response.status_code == 422
    assert (
        "Giàng Thị Mai MARKER-C1 đã có tên trong Đội Xã Gamma MARKER-C1: mỗi hòa giải viên chỉ "
        "dự thi trong một đội." in group_errors(body(response), "members")
    )
    same_name = team_form(
        reg.w.c1, reg.c1m[4], officials=reg.c1m[5:7], name="đội xã gamma marker-c1"
    )
    response = client.post(f"/contests/{reg.contest}/entries/new", data=same_name)
    assert response.status_code == 422
    assert "đã có trong hội thi" in error_of(body(response), "name")
    assert counts(app) == before


def test_every_unit_represented(app, reg, login_as):
    with app.app_context():
        db.session.get(m.Contest, reg.contest).every_unit_represented = True
        db.session.commit()
    client = login_as("officer")
    before = counts(app)
    data = {**valid_team(reg), "represented": [str(reg.w.c2)]}
    response = client.post(f"/contests/{reg.contest}/entries/new", data=data)
    assert response.status_code == 422
    assert "Xã Epsilon MARKER-C2 chưa có thành viên trong đội" in group_errors(
        body(response), "represented"
    )
    assert counts(app) == before
    data = team_form(
        reg.w.c1,
        reg.c1m[0],
        officials=[reg.c1m[1], reg.c2m[0]],
        reserves=[reg.c1m[3]],
        represented=[str(reg.w.c2)],
        name="Đội cụm xã Gamma - Epsilon",
    )
    response = client.post(f"/contests/{reg.contest}/entries/new", data=data)
    assert response.status_code == 303, group_errors(body(response), "members")
    entry = newest_entry(app)
    with app.app_context():
        units = db.session.scalars(
            select(m.ContestEntryUnit.unit_id).where(m.ContestEntryUnit.entry_id == entry.id)
        ).all()
    assert units == [reg.w.c2]
    assert members_of(app, entry.id)[2][6] == reg.w.c2  # the C2 member's commune


def test_individual_contest_takes_one_mediator(app, world, login_as):
    with app.app_context():
        contest = make_contest(
            world.d1,
            entry_kind="individual",
            official_count=1,
            reserve_min=0,
            reserve_max=0,
            actor_max=0,
        )
        other = make_mediator(world.team1, "Thí Sinh Thứ Hai").id
        contest_id = contest.id
        db.session.commit()
    client = login_as("commune_staff")
    two = {"unit": str(world.c1), "member": [str(world.mediator1), str(other)], "save": "1"}
    response = client.post(f"/contests/{contest_id}/entries/new", data=two)
    assert response.status_code == 422
    assert "chọn đúng một hòa giải viên (đang chọn 2)" in group_errors(body(response), "members")
    one = {"unit": str(world.c1), "member": [str(other)], "save": "1"}
    response = client.post(f"/contests/{contest_id}/entries/new", data=one)
    assert response.status_code == 303
    entry = newest_entry(app)
    assert entry.name == "Thí Sinh Thứ Hai (Xã Gamma MARKER-C1)"
    assert [x[1] for x in members_of(app, entry.id)] == ["captain"]


def test_registration_closed_for_units_open_for_the_board(app, reg, login_as):
    set_status(app, m.Contest, reg.contest, "judging")
    client = login_as("commune_staff")
    before = counts(app)
    assert client.get(f"/contests/{reg.contest}/entries/new").status_code == 403
    response = client.post(f"/contests/{reg.contest}/entries/new", data=valid_team(reg))
    assert response.status_code == 403
    assert counts(app) == before
    assert "Đăng ký dự thi" not in body(client.get(f"/contests/{reg.contest}/entries"))
    # The board may still register while no round is published.
    board = login_as("officer")
    assert board.get(f"/contests/{reg.contest}/entries/new").status_code == 200
    response = board.post(f"/contests/{reg.contest}/entries/new", data=valid_team(reg))
    assert response.status_code == 303
    # Once the first round is published, nobody adds an entry.
    set_status(app, m.ContestRound, reg.first, "published")
    page = board.get(f"/contests/{reg.contest}/entries/new")
    assert "Vòng sơ khảo đã công bố kết quả" in body(page)
    data = team_form(
        reg.w.c1,
        reg.c1m[4],
        officials=[reg.c1m[5], reg.c1m[6]],
        reserves=[reg.c2m[0]],
        name="Đội muộn",
    )
    before = counts(app)
    response = board.post(f"/contests/{reg.contest}/entries/new", data=data)
    assert response.status_code == 422
    assert counts(app) == before


def test_commune_registers_only_its_own_units(app, reg, login_as):
    client = login_as("commune_staff")
    page = body(client.get(f"/contests/{reg.contest}/entries/new"))
    assert f'<option value="{reg.w.c2}">' not in page and "MARKER-C2" not in page
    before = counts(app)
    other = team_form(reg.w.c2, reg.c2m[0], officials=[reg.c2m[1]])
    assert client.post(f"/contests/{reg.contest}/entries/new", data=other).status_code == 404
    represented = {**valid_team(reg), "represented": [str(reg.w.c2)]}
    assert client.post(f"/contests/{reg.contest}/entries/new", data=represented).status_code == 404
    # A contest of another province is not even visible.
    w = reg.w
    assert (
        client.post(f"/contests/{w.contest3}/entries/new", data=valid_team(reg)).status_code == 404
    )
    assert client.get(f"/contests/{w.contest3}/entries").status_code == 404
    assert counts(app) == before


def test_mass_assignment_on_create(app, reg, login_as):
    client = login_as("commune_staff")
    data = valid_team(
        reg,
        unit_id=str(reg.w.c2),
        status="withdrawn",
        contest_id=str(reg.w.contest3),
        version="7",
        registered_by_id="1",
        commune_id=str(reg.w.c2),
    )
    assert client.post(f"/contests/{reg.contest}/entries/new", data=data).status_code == 303
    entry = newest_entry(app)
    assert (entry.contest_id, entry.unit_id, entry.commune_id) == (reg.contest, reg.w.c1, reg.w.c1)
    assert (entry.status, entry.version) == ("registered", 1)
    assert entry.registered_by_id == reg.w.users["commune_staff"]


# The list and an entry


def test_entries_list_members_for_board_and_own_unit_only(app, reg, login_as, make_user):
    entry_id = register(app, reg)
    make_user("congchucc2", "commune_staff", reg.w.c2)
    for role, sees in (("officer", True), ("commune_staff", True), ("viewer", True)):
        html = body(login_as(role).get(f"/contests/{reg.contest}/entries"))
        assert "Đội Xã Gamma MARKER-C1" in html
        assert ("Hòa Giải Viên Xã Một 1" in html) is sees, role
    from tests.conftest import Client

    other = Client(app)
    assert other.login("congchucc2").status_code == 303
    listing = other.get(f"/contests/{reg.contest}/entries")
    html = body(listing)
    assert listing.status_code == 200
    assert "Đội Xã Gamma MARKER-C1" in html and "5 người" in html
    assert "Hòa Giải Viên Xã Một 1" not in html and "Lò Thị Diễn Viên" not in html
    detail = body(other.get(f"/contests/entries/{entry_id}"))
    assert "Hòa Giải Viên Xã Một 1" not in detail and "5 người" in detail
    assert "Sửa đăng ký" not in detail
    assert other.get(f"/contests/entries/{entry_id}/edit").status_code == 403
    # Registration is open to them, for their own commune.
    assert "Đăng ký dự thi" in html


def test_entry_detail_and_running_order_on_the_list(app, world, login_as):
    client = login_as("officer")
    html = body(client.get(f"/contests/entries/{world.contest_entry1}"))
    assert "Giàng Thị Mai MARKER-C1" in html and "Vòng chung khảo: thi thứ" in html
    listing = body(client.get(f"/contests/{world.contest1}/entries"))
    order = re.findall(r'contest-order-number">(\d+)</span> <a[^>]*>([^<]+)</a>', listing)
    assert order[:2] == [("1", "Giàng Thị Mai (Bản Delta)"), ("2", "Lò Văn Hùng (Bản Delta)")]
    # Judges never see contest pages.
    assert login_as("judge").get(f"/contests/{world.contest1}/entries").status_code == 403


def test_pages_run_a_fixed_number_of_queries(app, reg, login_as):
    """P3: one entry or three, the list, the draw page and the form cost the same queries."""
    register(app, reg)
    client = login_as("officer")
    urls = [
        f"/contests/{reg.contest}/entries",
        f"/contests/rounds/{reg.first}/draw",
        f"/contests/entries/{newest_entry(app).id}",
    ]
    one = [count_queries(app, client, url) for url in urls]
    three_entries_more(app, reg)
    assert [count_queries(app, client, url) for url in urls] == one


def three_entries_more(app, reg) -> None:
    """Two more entries of C2 (individual-sized teams), in the first round."""
    from app.contests.services.entries import EntryValues

    with app.app_context():
        db.session.get(m.Contest, reg.contest).official_count = 1
        db.session.get(m.Contest, reg.contest).reserve_min = 0
        db.session.commit()
    for n, mediator in enumerate(reg.c2m):
        values = EntryValues(unit_id=reg.w.c2, members=[(mediator, "captain")], name=f"Đội {n}")
        register(app, reg, values, user_role="officer")


# Corrections and withdrawal


def test_edit_entry_keeps_rows_of_those_who_stay(app, reg, login_as):
    entry_id = register(app, reg)
    before = members_of(app, entry_id)
    client = login_as("commune_staff")
    page = client.get(f"/contests/entries/{entry_id}/edit")
    assert page.status_code == 200
    html = body(page)
    assert 'name="version" type="hidden" value="1"' in html
    assert f'id="member-{reg.c1m[3]}" name="member" value="{reg.c1m[3]}" checked' in html
    # Swap the reserve for another, rename, drop the actor.
    data = team_form(
        reg.w.c1,
        reg.c1m[0],
        officials=reg.c1m[1:3],
        reserves=[reg.c1m[4]],
        name="Đội Hòa giải Gamma",
        version="1",
    )
    response = client.post(f"/contests/entries/{entry_id}/edit", data=data)
    assert response.status_code == 303, body(response)[:3000]
    after = members_of(app, entry_id)
    assert [x[0] for x in after[:3]] == [x[0] for x in before[:3]]
    assert after[3][2] == reg.c1m[4] and len(after) == 4
    entry = newest_entry(app)
    assert entry.name == "Đội Hòa giải Gamma" and entry.version == 2


def test_stale_edit_is_409_and_keeps_the_first_save(app, reg, login_as):
    entry_id = register(app, reg)
    client = login_as("officer")
    first = team_form(
        reg.w.c1,
        reg.c1m[0],
        officials=reg.c1m[1:3],
        reserves=[reg.c1m[3]],
        name="Lưu trước",
        version="1",
    )
    assert client.post(f"/contests/entries/{entry_id}/edit", data=first).status_code == 303
    stale = {**first, "name": "Lưu sau", f"role-{reg.c1m[3]}": "reserve"}
    response = client.post(f"/contests/entries/{entry_id}/edit", data=stale)
    assert response.status_code == 409
    assert STALE_MESSAGE in body(response)
    assert newest_entry(app).name == "Lưu trước"


def test_edit_refused_rules_and_mass_assignment(app, reg, login_as):
    entry_id = register(app, reg)
    client = login_as("officer")
    before = members_of(app, entry_id)
    bad = team_form(
        reg.w.c1, reg.c1m[0], officials=reg.c1m[1:2], reserves=[reg.c1m[3]], version="1"
    )
    response = client.post(f"/contests/entries/{entry_id}/edit", data=bad)
    assert response.status_code == 422
    assert members_of(app, entry_id) == before
    sneaky = team_form(
        reg.w.c1,
        reg.c1m[0],
        officials=reg.c1m[1:3],
        reserves=[reg.c1m[3]],
        version="1",
        status="withdrawn",
        contest_id=str(reg.w.contest1),
        unit_id=str(reg.w.c2),
        registered_by_id=str(reg.w.users["admin"]),
    )
    assert client.post(f"/contests/entries/{entry_id}/edit", data=sneaky).status_code == 303
    entry = newest_entry(app)
    assert (entry.status, entry.contest_id, entry.unit_id) == ("registered", reg.contest, reg.w.c1)
    assert entry.registered_by_id == reg.w.users["commune_staff"]


def test_units_edit_only_while_registration_is_open(app, reg, login_as):
    entry_id = register(app, reg)
    set_status(app, m.Contest, reg.contest, "judging")
    client = login_as("commune_staff")
    assert client.get(f"/contests/entries/{entry_id}/edit").status_code == 403
    assert client.post(f"/contests/entries/{entry_id}/withdraw").status_code == 403
    assert login_as("officer").get(f"/contests/entries/{entry_id}/edit").status_code == 200


def test_withdraw_keeps_the_record_out_of_the_round(app, reg, login_as):
    entry_id = register(app, reg)
    client = login_as("commune_staff")
    page = body(client.get(f"/contests/entries/{entry_id}"))
    assert "data-confirm=" in page and "Rút đăng ký" in page
    response = client.post(f"/contests/entries/{entry_id}/withdraw", data={"reason": "Ốm"})
    assert response.status_code == 303
    entry = newest_entry(app)
    assert entry.status == "withdrawn" and "Rút đăng ký: Ốm" in entry.note
    with app.app_context():
        assert round_entries(reg.first) == []
        assert db.session.get(m.ContestEntry, entry_id) is not None
    again = client.post(f"/contests/entries/{entry_id}/withdraw")
    assert again.status_code == 303
    assert "đã rút đăng ký" in body(client.get(f"/contests/entries/{entry_id}"))


def test_withdrawn_mediators_can_enter_again(app, reg, login_as):
    entry_id = register(app, reg)
    login_as("officer").post(f"/contests/entries/{entry_id}/withdraw")
    client = login_as("commune_staff")
    response = client.post(
        f"/contests/{reg.contest}/entries/new", data=valid_team(reg, name="Đội đăng ký lại")
    )
    assert response.status_code == 303


# The running order


def three_entries(app, reg) -> list[int]:
    """Three entries in the first round (the C1 team, and two small teams of C2)."""
    first = register(app, reg)
    three_entries_more(app, reg)
    with app.app_context():
        later = db.session.scalars(
            select(m.ContestEntry.id).where(m.ContestEntry.id > first).order_by(m.ContestEntry.id)
        )
        return [first, *later]


def orders(app, round_id) -> dict[int, int | None]:
    with app.app_context():
        return dict(
            db.session.execute(
                select(m.ContestRoundEntry.entry_id, m.ContestRoundEntry.order_number).where(
                    m.ContestRoundEntry.round_id == round_id
                )
            ).all()
        )


def test_automatic_draw_is_a_permutation_and_recorded(app, reg, login_as):
    ids = three_entries(app, reg)
    client = login_as("officer")
    page = client.get(f"/contests/rounds/{reg.first}/draw")
    assert page.status_code == 200 and "Bốc thăm tự động" in body(page)
    response = client.post(f"/contests/rounds/{reg.first}/draw", data={"mode": "auto"})
    assert response.status_code == 303
    drawn = orders(app, reg.first)
    assert sorted(drawn) == sorted(ids) and sorted(drawn.values()) == [1, 2, 3]
    with app.app_context():
        rows = db.session.scalars(
            select(m.ContestRoundEntry).where(m.ContestRoundEntry.round_id == reg.first)
        ).all()
        assert {r.drawn_by_id for r in rows} == {reg.w.users["officer"]}
        assert all(r.drawn_at is not None for r in rows)
        audit = db.session.scalars(
            select(AuditLog).where(
                AuditLog.object_type == "ContestRoundEntry", AuditLog.action == "update"
            )
        ).all()
        assert len(audit) == 3  # one row per entry
        assert {a.after["order_number"] for a in audit} == {1, 2, 3}
    # Drawing again (before judging) gives another permutation, still 1..n.
    assert (
        client.post(f"/contests/rounds/{reg.first}/draw", data={"mode": "auto"}).status_code == 303
    )
    assert sorted(orders(app, reg.first).values()) == [1, 2, 3]
    listing = body(client.get(f"/contests/{reg.contest}/entries"))
    assert listing.count('class="contest-order-number">') >= 3


def test_manual_draw_checks_the_numbers(app, reg, login_as):
    three_entries(app, reg)
    client = login_as("officer")
    with app.app_context():
        rows = [r.id for r in round_entries(reg.first)]
    before = orders(app, reg.first)
    dup = {
        "mode": "manual",
        f"order-{rows[0]}": "1",
        f"order-{rows[1]}": "1",
        f"order-{rows[2]}": "2",
    }
    response = client.post(f"/contests/rounds/{reg.first}/draw", data=dup)
    assert response.status_code == 422
    html = body(response)
    assert error_of(html, f"order-{rows[0]}") == "Số 1 bị ghi cho nhiều đội."
    assert error_of(html, f"order-{rows[1]}") == "Số 1 bị ghi cho nhiều đội."
    bad = {"mode": "manual", f"order-{rows[0]}": "4", f"order-{rows[1]}": "hai"}
    html = body(client.post(f"/contests/rounds/{reg.first}/draw", data=bad))
    assert error_of(html, f"order-{rows[0]}") == "Số thứ tự phải từ 1 đến 3."
    assert error_of(html, f"order-{rows[1]}") == "Số thứ tự phải từ 1 đến 3."
    assert error_of(html, f"order-{rows[2]}") == "Nhập số thứ tự đã bốc được."
    assert orders(app, reg.first) == before
    good = {
        "mode": "manual",
        f"order-{rows[0]}": "3",
        f"order-{rows[1]}": "1",
        f"order-{rows[2]}": "2",
    }
    assert client.post(f"/contests/rounds/{reg.first}/draw", data=good).status_code == 303
    with app.app_context():
        assert [(r.id, r.order_number) for r in round_entries(reg.first)] == [
            (rows[1], 1),
            (rows[2], 2),
            (rows[0], 3),
        ]


def test_no_redraw_after_judging_opened(app, reg, login_as):
    three_entries(app, reg)
    client = login_as("officer")
    client.post(f"/contests/rounds/{reg.first}/draw", data={"mode": "auto"})
    before = orders(app, reg.first)
    set_status(app, m.ContestRound, reg.first, "judging")
    page = client.get(f"/contests/rounds/{reg.first}/draw")
    assert "không bốc thăm lại" in body(page) and "Bốc thăm tự động</button>" not in body(page)
    response = client.post(f"/contests/rounds/{reg.first}/draw", data={"mode": "auto"})
    assert response.status_code == 422
    assert orders(app, reg.first) == before


def test_draw_is_the_boards(app, reg, login_as):
    three_entries(app, reg)
    client = login_as("commune_staff")
    assert client.get(f"/contests/rounds/{reg.first}/draw").status_code == 403
    assert (
        client.post(f"/contests/rounds/{reg.first}/draw", data={"mode": "auto"}).status_code == 403
    )
    assert set(orders(app, reg.first).values()) == {None}


# Advancing


def publish_snapshot(app, reg, entry_ids, advancing) -> None:
    """The first round published with a snapshot ranking ``entry_ids`` in order."""
    with app.app_context():
        round_ = db.session.get(m.ContestRound, reg.first)
        round_.status = "published"
        entries = {e.id: e for e in db.session.scalars(select(m.ContestEntry))}
        data = {
            "format": 1,
            "entries": [
                {
                    "entry_id": entry_id,
                    "name": entries[entry_id].name,
                    "unit": "Xã",
                    "order": rank,
                    "parts": [],
                    "penalty": "0.00",
                    "total": f"{30 - rank}.50",
                    "rank": rank,
                    "prize": None,
                    "advances": entry_id in advancing,
                }
                for rank, entry_id in enumerate(entry_ids, start=1)
            ],
            "tie_decisions": [],
            "number": 1,
            "reason": None,
        }
        db.session.add(
            m.ResultSnapshot(
                round_id=reg.first,
                number=1,
                published_at=utcnow(),
                data=json.dumps(data, ensure_ascii=False),
            )
        )
        db.session.commit()


def test_advance_from_the_published_ranking(app, reg, login_as):
    ids = three_entries(app, reg)
    client = login_as("officer")
    refused = client.post(f"/contests/rounds/{reg.final}/advance", data={"entries": [str(ids[0])]})
    assert refused.status_code == 422
    assert "Vòng sơ khảo chưa công bố kết quả" in body(refused)
    assert orders(app, reg.final) == {}
    publish_snapshot(app, reg, [ids[1], ids[0], ids[2]], advancing={ids[1], ids[0]})
    page = body(client.get(f"/contests/rounds/{reg.final}/advance"))
    for entry_id, ticked in ((ids[1], True), (ids[0], True), (ids[2], False)):
        box = re.search(rf'<input type="checkbox" id="entry-{entry_id}"[^>]*>', page).group(0)
        assert ("checked" in box) is ticked
    assert "29,50" in page
    # The board chooses another entry instead of the second.
    chosen = {"entries": [str(ids[1]), str(ids[2])]}
    assert client.post(f"/contests/rounds/{reg.final}/advance", data=chosen).status_code == 303
    assert orders(app, reg.final) == {ids[1]: None, ids[2]: None}
    # Once saved, the page shows the choice; a change (while preparing) takes one out.
    page = body(client.get(f"/contests/rounds/{reg.final}/advance"))
    box = re.search(rf'<input type="checkbox" id="entry-{ids[0]}"[^>]*>', page).group(0)
    assert "checked" not in box
    assert (
        client.post(
            f"/contests/rounds/{reg.final}/advance", data={"entries": [str(ids[1])]}
        ).status_code
        == 303
    )
    assert orders(app, reg.final) == {ids[1]: None}


def test_advance_refusals(app, reg, login_as, world):
    ids = three_entries(app, reg)
    publish_snapshot(app, reg, ids[:2], advancing={ids[0]})
    client = login_as("officer")
    # The first round takes entries by registration.
    first = client.post(f"/contests/rounds/{reg.first}/advance", data={"entries": [str(ids[0])]})
    assert first.status_code == 422 and "vòng thi đầu tiên" in body(first)
    # Only entries of the previous round's ranking.
    outside = client.post(f"/contests/rounds/{reg.final}/advance", data={"entries": [str(ids[2])]})
    assert outside.status_code == 422 and "có trong kết quả vòng trước" in body(outside)
    assert (
        client.post(
            f"/contests/rounds/{reg.final}/advance", data={"entries": [str(ids[0]), str(ids[1])]}
        ).status_code
        == 303
    )
    set_status(app, m.ContestRound, reg.final, "judging")
    leave = client.post(f"/contests/rounds/{reg.final}/advance", data={"entries": [str(ids[0])]})
    assert leave.status_code == 422 and "không bỏ" in body(leave)
    assert set(orders(app, reg.final)) == {ids[0], ids[1]}
    # The world's final already holds both entries of its published preliminary.
    page = body(client.get(f"/contests/rounds/{world.round1}/advance"))
    assert page.count("Đã trong vòng này") == 2


def test_a_large_commune_lists_a_bounded_page_of_candidates(app, reg, login_as):
    """P8: a commune with many mediators shows CANDIDATE_LIMIT of them and a name filter."""
    with app.app_context():
        for n in range(CANDIDATE_LIMIT):
            make_mediator(reg.w.team1, f"Người Hòa Giải Số {n:03d}")
        db.session.commit()
    client = login_as("commune_staff")
    page = client.get(f"/contests/{reg.contest}/entries/new")
    html = body(page)
    assert html.count('name="member"') == CANDIDATE_LIMIT
    assert "Còn nhiều hòa giải viên khác" in html
    assert len(page.get_data()) < 40_000
    narrowed = client.post(
        f"/contests/{reg.contest}/entries/new",
        data={"unit": str(reg.w.c1), "q": "so 042", "refresh": "1"},
        htmx=True,
    )
    assert body(narrowed).count('name="member"') == 1 and "Người Hòa Giải Số 042" in body(narrowed)
    assert len(narrowed.get_data()) < 15_000


def test_entries_registered_before_any_round_join_the_first(app, world):
    from app.contests.services.entries import EntryValues, join_first_round, register_entry
    from app.users.models import User

    with app.app_context():
        contest = m.Contest(
            name="Hội thi chưa có vòng",
            level="district",
            year=2026,
            status="registration",
            entry_kind="individual",
            official_count=1,
            reserve_min=0,
            reserve_max=0,
        )
        place(contest, db.session.get(Unit, world.d1))
        db.session.add(contest)
        db.session.flush()
        user = db.session.get(User, world.users["officer"])
        entry = register_entry(
            contest, user, EntryValues(world.c2, members=[(world.mediator2, "")])
        )
        first = m.ContestRound(contest_id=contest.id, position=1, name="Vòng chung khảo")
        db.session.add(first)
        db.session.flush()
        assert join_first_round(first) == 1
        assert [r.entry_id for r in round_entries(first.id)] == [entry.id]
        assert join_first_round(first) == 0
        later = m.ContestRound(contest_id=contest.id, position=2, name="Vòng sau")
        db.session.add(later)
        db.session.flush()
        assert join_first_round(later) == 0
        db.session.rollback()
