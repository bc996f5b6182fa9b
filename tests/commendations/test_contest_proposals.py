"""A contest's winners proposed for commendation in one step (issue 6 "Proposals ... in one
step from a contest's published results"; DOMAIN.md §5 → §6): per member mediator or per
entry, for the form of the organiser's level, once."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.commendations.models import CommendationProposal, ProposalStep
from app.commendations.services import CommendationError
from app.commendations.services.contest import default_form, propose_contest_winners
from app.contests import models as m
from app.contests.services import awards, results
from app.extensions import db
from app.registry.models import Mediator, Team
from app.registry.services.mediators import create_mediator
from tests.commendations.factories import make_decision, make_proposal
from tests.contests.factories import make_round, score_round
from tests.test_authorization_matrix import fingerprint

SIDE = "Tiểu phẩm hay nhất"
ELDEST = "Hòa giải viên cao tuổi nhất"


@dataclass
class Published:
    contest_id: int
    entry_ids: list[int]
    new_mediator: int  # a second registry mediator of entry 1
    eldest_member: int  # entry 2's captain, who got a side prize of their own
    eldest_award: int
    name: str


def _mediator(world, name: str, birth_year: int) -> int:
    team = db.session.get(Team, world.team1)
    values = {"full_name": name, "sex": "F", "birth_year": birth_year, "ethnicity_code": "08"}
    decision = {"decision_number": "02/QĐ-UBND", "decision_date": date(2020, 5, 4)}
    return create_mediator(team=team, values=values, decision=decision).id


def _member(entry_id, position, role, mediator_id=None, name=None) -> m.ContestEntryMember:
    mediator = db.session.get(Mediator, mediator_id) if mediator_id else None
    member = m.ContestEntryMember(
        entry_id=entry_id,
        position=position,
        role=role,
        mediator_id=mediator_id,
        full_name=mediator.full_name if mediator else name,
        birth_year=mediator.birth_year if mediator else 1970,
    )
    db.session.add(member)
    return member


def published_contest(app, world, *, team=True, publish=True) -> Published:
    """A team contest of district D1, published: entry 1 (C1: mediator1, a second registry
    mediator, a reserve kept by name only and an actor who is a mediator) wins the first prize
    and the side prize SIDE; entry 2 (C2: mediator2) the second and, for its captain alone,
    ELDEST; entry 3 (C1: nobody of the registry) the third."""
    with app.app_context():
        setup = make_round(
            entries=3, judges=3, organiser_id=world.d1, entry_unit_ids=[world.c1, world.c2]
        )
        contest = setup.contest
        contest.entry_kind = "team" if team else "individual"
        second = _mediator(world, "Sùng Thị Dợ", 1985)
        actor = _mediator(world, "Thào Thị Dợ", 1990)
        e1, e2, e3 = setup.entry_ids
        _member(e1, 1, "captain", world.mediator1)
        _member(e1, 2, "official", second)
        _member(e1, 3, "reserve", name="Lò Văn Hùng")
        _member(e1, 4, "actor", actor)
        eldest = _member(e2, 1, "captain", world.mediator2)
        _member(e3, 1, "captain", name="Pờ Thị Lan")
        for position, name in ((10, SIDE), (11, ELDEST)):
            db.session.add(
                m.ContestPrize(contest_id=contest.id, position=position, name=name, kind="side")
            )

        def marks(j, e, part_id):
            if setup.criteria[part_id]:
                return {"Nội dung": str(10 - e), "Diễn xuất": "6"}
            return str(9 - e)

        score_round(setup, marks)
        db.session.flush()
        eldest_award = None
        if publish:
            results.publish_round(setup.round, user=None, reason=None)
            prizes = {
                p.name: p.id
                for p in db.session.scalars(
                    select(m.ContestPrize).where(m.ContestPrize.contest_id == contest.id)
                )
            }
            awards.award_side_prize(contest, prizes[SIDE], e1, None, "Hay", None)
            eldest_award = awards.award_side_prize(
                contest, prizes[ELDEST], e2, eldest.id, "Cao tuổi", None
            ).id
        db.session.commit()
        return Published(contest.id, setup.entry_ids, second, eldest.id, eldest_award, contest.name)


def contest_proposals(app, contest_id) -> list[CommendationProposal]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(CommendationProposal)
                .where(CommendationProposal.contest_id == contest_id)
                .order_by(CommendationProposal.id)
            )
        )
        db.session.expunge_all()
        return found


def propose(client, contest_id, form="giay_khen_huyen", per="member"):
    return client.post(f"/contests/{contest_id}/propose", data={"form": form, "per": per})


def test_one_step_proposes_each_member_mediator_with_their_prizes(app, world, login_as):
    contest = published_contest(app, world)
    client = login_as("officer")
    page = client.get(f"/contests/{contest.contest_id}/proposals").get_data(as_text=True)
    assert "Đề nghị khen thưởng (3)" in page
    assert '<option selected value="giay_khen_huyen">' in page
    assert "Cả đội (tập thể)" in page
    response = propose(client, contest.contest_id)
    assert response.status_code == 303
    made = contest_proposals(app, contest.contest_id)
    e1, e2, _e3 = contest.entry_ids
    assert [(p.contest_entry_id, p.mediator_id, p.prize_name) for p in made] == [
        (e1, world.mediator1, f"Giải Nhất; {SIDE}"),
        (e1, contest.new_mediator, f"Giải Nhất; {SIDE}"),
        (e2, world.mediator2, f"Giải Nhì; {ELDEST}"),
    ]
    first = made[0]
    assert first.achievement == f"Đạt Giải Nhất; {SIDE} {contest.name}"
    assert (first.nominee_kind, first.form, first.status) == (
        "mediator",
        "giay_khen_huyen",
        "submitted",
    )
    assert (first.unit_id, first.commune_id) == (world.v1, world.c1)
    assert (first.proposer_unit_id, first.holder_unit_id) == (world.d1, world.d1)
    assert (first.year, first.period_start, first.period_end) == (2026, 2026, 2026)
    assert first.contest_snapshot_id is not None
    # The basis is pulled as for any mediator: team1 has no case received in 2026.
    assert (first.basis_team_id, first.basis_successful, first.basis_failed) == (
        world.team1,
        0,
        0,
    )
    assert made[1].basis_service_years is not None and made[1].basis_trained is False
    with app.app_context():
        actions = db.session.scalars(
            select(ProposalStep.action).where(ProposalStep.proposal_id.in_([p.id for p in made]))
        ).all()
    assert actions == ["submit"] * 3
    # Entry 3 has nobody of the registry: still pending, nothing made for it.
    page = client.get(f"/contests/{contest.contest_id}/proposals").get_data(as_text=True)
    assert "Danh sách đề nghị (3)" in page and "Đề nghị khen thưởng (1)" in page
    assert "Giàng Thị Mai MARKER-C1" in page and "Chờ xét" in page
    assert f"/commendations/proposals/{first.id}" in page


def test_running_it_again_creates_nothing_new(app, world, login_as):
    contest = published_contest(app, world)
    client = login_as("officer")
    assert propose(client, contest.contest_id).status_code == 303
    before = len(contest_proposals(app, contest.contest_id))
    response = propose(client, contest.contest_id)
    assert response.status_code == 303
    assert len(contest_proposals(app, contest.contest_id)) == before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không có đề nghị mới" in page
    with app.app_context():
        contest_row = db.session.get(m.Contest, contest.contest_id)
        assert propose_contest_winners(contest_row, None, "giay_khen_huyen") == []


def test_per_entry_proposes_each_winning_team_as_a_collective(app, world, login_as):
    contest = published_contest(app, world)
    client = login_as("officer")
    assert propose(client, contest.contest_id, per="entry").status_code == 303
    made = contest_proposals(app, contest.contest_id)
    assert [(p.nominee_kind, p.nominee_name, p.prize_name) for p in made] == [
        ("organisation", "Đội số 1", f"Giải Nhất; {SIDE}"),
        ("organisation", "Đội số 2", f"Giải Nhì; {ELDEST}"),
        ("organisation", "Đội số 3", "Giải Ba"),
    ]
    assert [p.unit_id for p in made] == [world.c1, world.c2, world.c1]
    assert {p.mediator_id for p in made} == {None}
    assert propose(client, contest.contest_id, per="entry").status_code == 303
    assert len(contest_proposals(app, contest.contest_id)) == 3
    # Members may still be proposed one by one afterwards: they are other nominees.
    assert propose(client, contest.contest_id, per="member").status_code == 303
    assert len(contest_proposals(app, contest.contest_id)) == 6


def test_an_individual_contest_proposes_its_people(app, world, login_as):
    contest = published_contest(app, world, team=False)
    client = login_as("officer")
    page = client.get(f"/contests/{contest.contest_id}/proposals").get_data(as_text=True)
    assert "Cả đội (tập thể)" not in page
    assert propose(client, contest.contest_id, per="entry").status_code == 303
    assert {p.nominee_kind for p in contest_proposals(app, contest.contest_id)} == {"mediator"}


def test_the_medal_for_a_winner_who_has_it_refuses_the_whole_step(app, world, login_as):
    contest = published_contest(app, world)
    with app.app_context():
        medal = make_proposal(
            mediator_id=world.mediator1,
            holder_unit_id=world.p1,
            form="ky_niem_chuong",
            status="accepted",
            year=2025,
        )
        make_decision(unit_id=world.p1, proposals=[medal], number="9/QĐ-BTP")
        db.session.commit()
    client = login_as("officer")
    before = fingerprint(app)
    response = propose(client, contest.contest_id, form="ky_niem_chuong")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Giàng Thị Mai MARKER-C1: Người này đã được tặng Kỷ niệm chương" in html
    assert fingerprint(app) == before
    response = propose(client, contest.contest_id, form="ky_niem_chuong", per="entry")
    assert response.status_code == 422
    assert "chỉ tặng cho cá nhân" in response.get_data(as_text=True)
    response = propose(client, contest.contest_id, form="huan_chuong")
    assert response.status_code == 422
    assert "Chọn hình thức khen thưởng." in response.get_data(as_text=True)
    assert fingerprint(app) == before


def test_before_publishing_nothing_is_proposed(app, world, login_as):
    contest = published_contest(app, world, publish=False)
    client = login_as("officer")
    before = fingerprint(app)
    response = propose(client, contest.contest_id)
    assert response.status_code == 422
    assert "Chưa công bố kết quả vòng thi cuối cùng" in response.get_data(as_text=True)
    assert fingerprint(app) == before


def test_a_side_prize_already_proposed_cannot_be_removed(app, world, login_as):
    contest = published_contest(app, world)
    client = login_as("officer")
    propose(client, contest.contest_id)
    response = client.post(
        f"/contests/{contest.contest_id}/awards", data={"remove": str(contest.eldest_award)}
    )
    assert response.status_code == 422
    assert "Giải này đã được đề nghị khen thưởng" in response.get_data(as_text=True)


def test_the_contests_list_exports(app, world, login_as):
    contest = published_contest(app, world)
    client = login_as("officer")
    propose(client, contest.contest_id)
    response = client.get(f"/contests/{contest.contest_id}/proposals?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.get_data()), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == [
        "STT",
        "Người được đề nghị",
        "Đội/thí sinh",
        "Đơn vị",
        "Giải",
        "Hình thức",
        "Trạng thái",
    ]
    assert rows[1][1:7] == [
        "Giàng Thị Mai MARKER-C1",
        "Đội số 1",
        "Xã Gamma MARKER-C1",
        f"Giải Nhất; {SIDE}",
        "Giấy khen của Chủ tịch UBND cấp huyện",
        "Chờ xét",
    ]
    assert len(rows) == 4
    text = client.get(f"/contests/{contest.contest_id}/proposals?format=csv").get_data()
    lines = list(csv.reader(io.StringIO(text.decode("utf-8").lstrip("\ufeff"))))
    assert lines[3][1:5] == [
        "Giàng Thị Mai MARKER-C2",
        "Đội số 2",
        "Xã Epsilon MARKER-C2",
        f"Giải Nhì; {ELDEST}",
    ]


def test_only_the_board_proposes(app, world, login_as):
    contest = published_contest(app, world)
    for role in ("commune_staff", "viewer"):
        client = login_as(role)
        assert propose(client, contest.contest_id).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CommendationProposal)) == 5


def test_default_form_follows_the_organisers_level(app, world):
    with app.app_context():
        contest = db.session.get(m.Contest, world.contest3)
        assert default_form(contest) == "giay_khen_xa"
        contest.level = "province"
        assert default_form(contest) == "bang_khen_tinh"
        contest.level = "national"
        assert default_form(contest) == "bang_khen_bo"
        db.session.rollback()


def test_the_service_refuses_before_the_final_round_is_published(app, world):
    from app.contests.services import ContestError

    with app.app_context():
        contest = db.session.get(m.Contest, world.contest1)
        try:
            propose_contest_winners(contest, None, "giay_khen_huyen")
        except (ContestError, CommendationError) as error:
            assert "Chưa công bố" in str(error)
        else:
            raise AssertionError("proposed before publishing")
