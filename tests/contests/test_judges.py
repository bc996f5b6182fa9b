"""The panel of judges of a round through the routes: appointing judges (judges' accounts of the
organiser's tree only), exactly one head judge, conflicts of interest and declarations listed,
changes (409 when stale), removal refused once a judge has sheets, nothing changes once the
round is published."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from app.concurrency import STALE_MESSAGE
from app.contests import models as m
from app.extensions import db
from app.users.models import User
from tests.contests.test_entries import reg, register  # noqa: F401 - the fixture


def body(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def jury(app, reg, make_user):  # noqa: F811 - the fixture imported above
    """Judges' accounts for the registration contest: of C1 (inside, conflicts with the C1
    team registered in the first round), of P1 (above the organiser), of P2 (outside), and
    an inactive one of D1."""
    w = reg.w
    users = {
        "c1": make_user("giamkhaoc1", "judge", w.c1, full_name="Giám Khảo Xã Gamma"),
        "p1": make_user("giamkhaop1", "judge", w.p1, full_name="Giám Khảo Tỉnh Alpha"),
        "p2": make_user("giamkhaop2", "judge", w.p2, full_name="Giám Khảo Tỉnh Omega"),
        "off": make_user("giamkhaonghi", "judge", w.d1, full_name="Giám Khảo Đã Nghỉ"),
    }
    with app.app_context():
        db.session.get(User, users["off"]).active = False
        db.session.commit()
    entry = register(app, reg)
    return SimpleNamespace(
        reg=reg, users=users, entry=entry, url=f"/contests/rounds/{reg.first}/judges"
    )


def seats(app, round_id) -> list[tuple]:
    with app.app_context():
        return [
            (s.user_id, s.full_name, s.title, s.unit_id, s.is_head, s.position, s.declared_at)
            for s in db.session.scalars(
                select(m.ContestJudge)
                .where(m.ContestJudge.round_id == round_id)
                .order_by(m.ContestJudge.position, m.ContestJudge.id)
            )
        ]


def seat_id(app, round_id, user_id) -> int:
    with app.app_context():
        return db.session.scalar(
            select(m.ContestJudge.id).where(
                m.ContestJudge.round_id == round_id, m.ContestJudge.user_id == user_id
            )
        )


def heads(app, round_id) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(m.ContestJudge)
            .where(m.ContestJudge.round_id == round_id, m.ContestJudge.is_head.is_(True))
        )


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def add(client, jury, user_id, **extra):
    """Appoint a judge through the form (a plain post)."""
    return client.post(jury.url, data={"action": "add", "user": str(user_id), **extra})


def test_panel_page_and_fragment(app, jury, login_as):
    client = login_as("officer")
    page = client.get(jury.url)
    assert page.status_code == 200
    html = body(page)
    assert "<html" in html and 'id="judge-panel"' in html
    # Eligible: judges of D1 (the world's), of C1 and of P1; not P2's, not the inactive one.
    for name, offered in (
        ("Giám Khảo Xã Gamma", True),
        ("Giám Khảo Tỉnh Alpha", True),
        ("Trưởng Ban Giám Khảo", True),
        ("Giám Khảo Tỉnh Omega", False),
        ("Giám Khảo Đã Nghỉ", False),
    ):
        assert (name in html) is offered, name
    fragment = client.get(jury.url, htmx=True)
    assert fragment.status_code == 200
    assert "<html" not in body(fragment)
    assert 'id="judge-panel"' in body(fragment)
    assert "HX-Request" in fragment.headers["Vary"]


def test_first_judge_is_head_and_the_flag_moves(app, jury, login_as):
    client = login_as("officer")
    first = add(client, jury, jury.users["p1"], title="Phó Giám đốc Sở Tư pháp")
    assert first.status_code == 303
    assert first.headers["Location"].endswith(jury.url)
    (seat,) = seats(app, jury.reg.first)
    assert seat[:6] == (
        jury.users["p1"],
        "Giám Khảo Tỉnh Alpha",
        "Phó Giám đốc Sở Tư pháp",
        jury.reg.w.p1,
        True,
        1,
    )
    assert seat[6] is None  # no declaration yet
    second = add(client, jury, jury.users["c1"], is_head="y", position="5")
    assert second.status_code == 303
    panel = seats(app, jury.reg.first)
    assert [(s[0], s[4], s[5]) for s in panel] == [
        (jury.users["p1"], False, 1),
        (jury.users["c1"], True, 5),
    ]
    assert heads(app, jury.reg.first) == 1
    html = body(client.get(jury.url))
    assert "Chưa cam kết" in html


def test_add_by_htmx_returns_the_panel(app, jury, login_as):
    client = login_as("officer")
    response = client.post(
        jury.url, data={"action": "add", "user": str(jury.users["p1"])}, htmx=True
    )
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and "Giám Khảo Tỉnh Alpha" in html and "Trưởng ban" in html
    assert len(seats(app, jury.reg.first)) == 1


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("officer", "không có vai trò Thành viên Ban Giám khảo"),
        ("p2", "không thuộc đơn vị tổ chức hội thi, đơn vị cấp trên hay đơn vị trực thuộc"),
        ("off", "đã bị khóa"),
        ("nobody", "Chọn giám khảo."),
    ],
)
def test_only_judges_of_the_tree_are_appointed(app, jury, login_as, who, message):
    client = login_as("officer")
    user_id = {
        "officer": jury.reg.w.users["officer"],
        "nobody": "",
    }.get(who) or jury.users.get(who)
    response = add(client, jury, user_id)
    assert response.status_code == 422
    assert message in error_of(body(response), "user")
    assert seats(app, jury.reg.first) == []


def test_a_judge_sits_once(app, jury, login_as):
    client = login_as("officer")
    assert add(client, jury, jury.users["p1"]).status_code == 303
    response = add(client, jury, jury.users["p1"])
    assert response.status_code == 422
    assert "đã có trong Ban Giám khảo" in error_of(body(response), "user")
    assert len(seats(app, jury.reg.first)) == 1


def test_mass_assignment_on_appointment(app, jury, login_as):
    client = login_as("officer")
    extra = {
        "round_id": str(jury.reg.final),
        "unit_id": str(jury.reg.w.p2),
        "full_name": "Người Khác",
        "declared_at": "2026-01-01 00:00:00",
        "user_id": str(jury.reg.w.users["admin"]),
        "version": "9",
    }
    data = {"action": "add", "user": str(jury.users["c1"]), **extra}
    assert client.post(jury.url, data=data).status_code == 303
    (seat,) = seats(app, jury.reg.first)
    assert seat[0:2] == (jury.users["c1"], "Giám Khảo Xã Gamma")
    assert seat[3] == jury.reg.w.c1 and seat[6] is None
    assert seats(app, jury.reg.final) == []


def test_conflicts_and_declarations_listed(app, jury, login_as, world):
    client = login_as("officer")
    add(client, jury, jury.users["c1"])
    add(client, jury, jury.users["p1"])
    html = body(client.get(jury.url))
    row = re.search(r"Giám Khảo Xã Gamma.*?</tr>", html, re.S).group(0)
    assert '<span class="badge badge-danger">Đội Xã Gamma MARKER-C1</span>' in row
    other = re.search(r"Giám Khảo Tỉnh Alpha.*?</tr>", html, re.S).group(0)
    assert "badge-danger" not in other and "Không có" in other
    # The world's final: both judges declared, and they have sheets (no "Bỏ" button).
    world_html = body(client.get(f"/contests/rounds/{world.round1}/judges"))
    assert world_html.count("Đã cam kết") == 2
    assert ">Bỏ</button>" not in world_html


def test_removal_refused_once_a_judge_has_sheets(app, world, login_as):
    client = login_as("officer")
    before = seats(app, world.round1)
    response = client.post(f"/contests/judges/{world.seat1}/remove")
    assert response.status_code == 422
    assert "đã có phiếu chấm trong vòng thi" in body(response)
    fragment = client.post(f"/contests/judges/{world.seat1}/remove", htmx=True)
    assert fragment.status_code == 422 and "<html" not in body(fragment)
    assert "đã có phiếu chấm" in body(fragment)
    assert seats(app, world.round1) == before


def test_removal_of_a_judge_without_sheets(app, jury, login_as):
    client = login_as("officer")
    add(client, jury, jury.users["p1"])
    add(client, jury, jury.users["c1"])
    add(client, jury, jury.reg.w.users["judge"])
    head = seat_id(app, jury.reg.first, jury.users["p1"])
    refused = client.post(f"/contests/judges/{head}/remove")
    assert refused.status_code == 422
    assert "Trưởng Ban Giám khảo: hãy đặt giám khảo khác" in body(refused)
    seat = seat_id(app, jury.reg.first, jury.users["c1"])
    response = client.post(f"/contests/judges/{seat}/remove")
    assert response.status_code == 303
    other = seat_id(app, jury.reg.first, jury.reg.w.users["judge"])
    fragment = client.post(f"/contests/judges/{other}/remove", htmx=True)
    assert fragment.status_code == 200 and "Đã bỏ Giamkhao khỏi Ban Giám khảo" in body(fragment)
    assert [s[0] for s in seats(app, jury.reg.first)] == [jury.users["p1"]]


def test_make_head_update_and_stale_version(app, jury, login_as):
    client = login_as("officer")
    add(client, jury, jury.users["p1"])
    add(client, jury, jury.users["c1"])
    seat = seat_id(app, jury.reg.first, jury.users["c1"])
    head = {"action": "head", "judge_id": str(seat), "version": "1"}
    assert client.post(jury.url, data=head).status_code == 303
    assert [(s[0], s[4]) for s in seats(app, jury.reg.first)] == [
        (jury.users["p1"], False),
        (jury.users["c1"], True),
    ]
    stale = client.post(jury.url, data={**head, "version": "1"})
    assert stale.status_code == 409 and STALE_MESSAGE in body(stale)
    update = {
        "action": "update",
        "judge_id": str(seat),
        "version": "2",
        "title": "Trưởng phòng Tư pháp",
        "position": "3",
        "is_head": "y",
    }
    assert client.post(jury.url, data=update).status_code == 303
    assert seats(app, jury.reg.first)[1][2:6] == (
        "Trưởng phòng Tư pháp",
        jury.reg.w.c1,
        True,
        3,
    )
    # The head judge's flag only moves by naming another head.
    unset = {**update, "version": "3", "is_head": ""}
    response = client.post(jury.url, data={k: v for k, v in unset.items() if v})
    assert response.status_code == 422
    assert "Mỗi vòng thi cần một Trưởng Ban Giám khảo" in body(response)
    assert heads(app, jury.reg.first) == 1
    bad = client.post(jury.url, data={**update, "version": "3", "position": "ba"})
    assert bad.status_code == 422 and "Thứ tự là một số nguyên" in body(bad)
    foreign = client.post(jury.url, data={"action": "head", "judge_id": "999999", "version": "1"})
    assert foreign.status_code == 404


def test_no_change_once_the_round_is_published(app, jury, login_as):
    client = login_as("officer")
    add(client, jury, jury.users["p1"])
    add(client, jury, jury.users["c1"])
    with app.app_context():
        db.session.get(m.ContestRound, jury.reg.first).status = "published"
        db.session.commit()
    before = seats(app, jury.reg.first)
    page = body(client.get(jury.url))
    assert "Ban Giám khảo không thay đổi được nữa" in page and "Bổ nhiệm</button>" not in page
    response = add(client, jury, jury.reg.w.users["judge"])
    assert response.status_code == 422 and "đã công bố kết quả" in body(response)
    seat = seat_id(app, jury.reg.first, jury.users["c1"])
    assert client.post(f"/contests/judges/{seat}/remove").status_code == 422
    head = {"action": "head", "judge_id": str(seat), "version": "1"}
    assert client.post(jury.url, data=head).status_code == 422
    assert seats(app, jury.reg.first) == before


def test_only_the_board_manages_the_panel(app, jury, login_as):
    for role, status in (("commune_staff", 403), ("viewer", 403), ("judge", 403)):
        client = login_as(role)
        assert client.get(jury.url).status_code == status, role
        assert add(client, jury, jury.users["p1"]).status_code == status, role
    outsider = login_as("officer_p2")
    assert outsider.get(jury.url).status_code == 404
    assert add(outsider, jury, jury.users["p1"]).status_code == 404
    assert seats(app, jury.reg.first) == []


def test_panel_runs_a_fixed_number_of_queries(app, jury, login_as):
    """P3: one judge or three, the panel costs the same queries."""
    client = login_as("officer")
    add(client, jury, jury.users["c1"])
    with app.app_context():
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    def count() -> int:
        seen.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(jury.url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    one = count()
    add(client, jury, jury.users["p1"])
    add(client, jury, jury.reg.w.users["judge"])
    assert count() == one
