"""Review of proposals (issue 6 "Review"): the proposal's page, accept, return with a reason,
forward a form above the office's authority up the unit tree, warnings that do not block,
the once-in-a-lifetime medal that does, and many proposals at once, all or nothing."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.commendations.models import CommendationProposal, ProposalStep
from app.extensions import db
from app.registry.models import Mediator
from tests.commendations.factories import make_decision, make_proposal
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's words without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def proposal(app, proposal_id) -> CommendationProposal:
    with app.app_context():
        found = db.session.get(CommendationProposal, proposal_id)
        db.session.expunge(found)
        return found


def steps(app, proposal_id) -> list[tuple]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    ProposalStep.action,
                    ProposalStep.from_unit_id,
                    ProposalStep.to_unit_id,
                    ProposalStep.reason,
                )
                .where(ProposalStep.proposal_id == proposal_id)
                .order_by(ProposalStep.id)
            )
        ]


def add(app, **values) -> int:
    with app.app_context():
        made = make_proposal(**values)
        db.session.commit()
        return made.id


def url(proposal_id, action=""):
    return f"/commendations/proposals/{proposal_id}" + (f"/{action}" if action else "")


@pytest.fixture
def provincial(app, world, make_user, make_client):
    """A commune's proposal for the province's Bằng khen (mediator1 of C1), held by D1; and a
    logged-in officer of province P1."""
    proposal_id = add(
        app, mediator_id=world.mediator1, holder_unit_id=world.d1, form="bang_khen_tinh"
    )
    make_user("canbotinh", "officer", world.p1, full_name="Cán Bộ Sở Tư Pháp")
    client = make_client()
    assert client.login("canbotinh").status_code == 303
    return proposal_id, client


# The page


def test_the_page_shows_the_nominee_basis_steps_and_review(app, world, login_as):
    with app.app_context():
        p = db.session.get(CommendationProposal, world.proposal1)
        p.prize_name, p.contest_id = "Giải Nhất", world.contest1
        p.basis_team_id, p.basis_successful, p.basis_failed = world.team1, 7, 1
        p.basis_compliant, p.basis_issues = False, "Chưa đủ 3 hòa giải viên"
        p.basis_service_years, p.basis_trained = 6, True
        db.session.commit()
    client = login_as("officer")
    page = client.get(url(world.proposal1))
    assert page.status_code == 200
    words = text_of(body(page))
    assert "Giàng Thị Mai MARKER-C1" in words
    assert "Giấy khen của Chủ tịch UBND cấp huyện" in words
    assert "Chờ xét" in words and "Cơ quan đang xét Huyện Beta MARKER-D1" in words
    assert "Giải Nhất — Hội thi hòa giải viên giỏi MARKER-D1" in words
    assert "7 thành / 1 không thành — 87,5%" in words
    assert "Chưa đủ số lượng, thành phần : Chưa đủ 3 hòa giải viên" in words
    assert "6 năm" in words and "Đã tập huấn theo chương trình khung" in words
    assert f'href="/registry/mediators/{world.mediator1}"' in body(page)
    assert f'href="/contests/{world.contest1}"' in body(page)
    # The steps: made by the village, sent to the district office.
    assert "Đề nghị Bản Delta MARKER-V1 → Huyện Beta MARKER-D1" in words
    # The review block: accept, return with a reason; no forward within the authority.
    assert "Chấp thuận" in words and "Trả lại" in words and "Chuyển lên" not in words
    # htmx asks for the same page (the review forms select its main).
    assert client.get(url(world.proposal1), htmx=True).status_code == 200


def test_readers_without_review_rights_see_no_review_block(app, world, login_as):
    for role in ("commune_staff", "viewer"):
        page = login_as(role).get(url(world.proposal1))
        assert page.status_code == 200
        assert 'id="proposal-review"' not in body(page)
    assert login_as("judge").get(url(world.proposal1)).status_code == 403
    assert login_as("officer").get(url(world.proposal3)).status_code == 404


def test_warnings_show_but_do_not_block(app, world, login_as):
    """A dismissed mediator and a team that is not compliant (team1 has one mediator):
    the reviewer reads both, and may still accept."""
    with app.app_context():
        db.session.get(Mediator, world.mediator1).status = "dismissed"
        db.session.commit()
    client = login_as("officer")
    words = text_of(body(client.get(url(world.proposal1))))
    assert "Người được đề nghị đã thôi làm hòa giải viên." in words
    assert "hiện chưa đủ số lượng, thành phần theo quy định." in words
    response = client.post(url(world.proposal1, "accept"), data={"version": "1"})
    assert response.status_code == 303
    assert proposal(app, world.proposal1).status == "accepted"


# Accept, return


def test_accept(app, world, login_as):
    client = login_as("officer")
    response = client.post(url(world.proposal1, "accept"), data={"version": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url(world.proposal1))
    assert proposal(app, world.proposal1).status == "accepted"
    assert steps(app, world.proposal1)[-1] == ("accept", world.d1, None, None)
    page = client.get(url(world.proposal1))
    assert "Đã chấp thuận đề nghị khen thưởng Giàng Thị Mai MARKER-C1." in body(page)
    assert 'id="proposal-review"' not in body(page)
    # Accepted: no more review; the reason says why.
    again = client.post(url(world.proposal1, "accept"), data={"version": "2"})
    assert again.status_code == 403
    assert "không còn chờ xét" in body(again)


def test_accept_by_htmx_redirects_like_a_form(app, world, login_as):
    client = login_as("officer")
    response = client.post(url(world.proposal1, "accept"), data={"version": "1"}, htmx=True)
    assert response.status_code == 303
    assert proposal(app, world.proposal1).status == "accepted"


def test_return_needs_a_reason(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(url(world.proposal1, "return"), data={"version": "1", "reason": "  "})
    assert response.status_code == 422
    assert "Nhập lý do trả lại" in body(response)
    assert fingerprint(app) == before
    response = client.post(
        url(world.proposal1, "return"),
        data={"version": "1", "reason": "Bổ sung số vụ việc hòa giải thành năm 2026."},
        htmx=True,
    )
    assert response.status_code == 303
    returned = proposal(app, world.proposal1)
    assert returned.status == "returned"
    assert returned.return_reason == "Bổ sung số vụ việc hòa giải thành năm 2026."
    assert steps(app, world.proposal1)[-1] == (
        "return",
        world.d1,
        returned.proposer_unit_id,
        "Bổ sung số vụ việc hòa giải thành năm 2026.",
    )
    # The proposer reads the reason on the page.
    words = text_of(body(login_as("commune_staff").get(url(world.proposal1))))
    assert "Bị trả lại: Bổ sung số vụ việc hòa giải thành năm 2026." in words


def test_a_reason_too_long_is_refused(app, world, login_as):
    client = login_as("officer")
    response = client.post(
        url(world.proposal1, "return"), data={"version": "1", "reason": "x" * 2001}
    )
    assert response.status_code == 422
    assert "2.000 ký tự" in body(response)
    assert proposal(app, world.proposal1).status == "submitted"


def test_a_stale_review_is_refused(app, world, login_as):
    """The proposer changed the proposal after the reviewer opened it: 409, nothing done."""
    with app.app_context():
        db.session.get(CommendationProposal, world.proposal1).achievement = "Đã sửa"
        db.session.commit()
    client = login_as("officer")
    response = client.post(url(world.proposal1, "accept"), data={"version": "1"})
    assert response.status_code == 409
    assert "vừa được người khác sửa" in body(response)
    assert proposal(app, world.proposal1).status == "submitted"


def test_who_may_review(app, world, login_as):
    for role in ("commune_staff", "viewer", "judge"):
        response = login_as(role).post(url(world.proposal1, "accept"), data={"version": "1"})
        assert response.status_code == 403
    assert login_as("officer").post(url(world.proposal3, "accept")).status_code == 404
    # Accepted already (proposal1b): 403 with the reason.
    response = login_as("officer").post(url(world.proposal1b, "return"), data={"reason": "x"})
    assert response.status_code == 403
    assert "không còn chờ xét (đã chấp thuận)" in body(response)
    assert proposal(app, world.proposal1b).status == "accepted"


# Forward up the tree


def test_a_form_above_the_district_goes_up_to_the_province(app, world, login_as, provincial):
    proposal_id, province_client = provincial
    district = login_as("officer")
    words = text_of(body(district.get(url(proposal_id))))
    explanation = (
        "Hình thức này vượt thẩm quyền của Huyện Beta MARKER-D1: chuyển lên Tỉnh Alpha MARKER-P1."
    )
    assert explanation in words
    assert "Chuyển lên Tỉnh Alpha MARKER-P1" in words
    assert re.search(
        r'<button type="submit" class="button button-primary" disabled',
        body(district.get(url(proposal_id))),
    )
    # Accepting it at the district is refused with the same words, nothing changed.
    before = fingerprint(app)
    refused = district.post(url(proposal_id, "accept"), data={"version": "1"})
    assert refused.status_code == 422
    assert explanation in text_of(body(refused))
    assert fingerprint(app) == before
    forwarded = district.post(url(proposal_id, "forward"), data={"version": "1"})
    assert forwarded.status_code == 303
    moved = proposal(app, proposal_id)
    assert (moved.holder_unit_id, moved.status) == (world.p1, "submitted")
    assert steps(app, proposal_id)[-1] == ("forward", world.d1, world.p1, None)
    # Now the district no longer reviews it; the province accepts it.
    again = district.post(url(proposal_id, "accept"), data={"version": "2"})
    assert again.status_code == 403
    assert "Tỉnh Alpha MARKER-P1 xét" in body(again)
    page = body(province_client.get(url(proposal_id)))
    assert "Chuyển lên cấp trên Huyện Beta MARKER-D1 → Tỉnh Alpha MARKER-P1" in text_of(page)
    accepted = province_client.post(url(proposal_id, "accept"), data={"version": "2"})
    assert accepted.status_code == 303
    assert proposal(app, proposal_id).status == "accepted"
    assert steps(app, proposal_id)[-1] == ("accept", world.p1, None, None)


def test_forward_is_refused_within_the_authority_and_at_the_top(app, world, login_as):
    client = login_as("officer")
    response = client.post(url(world.proposal1, "forward"), data={"version": "1"})
    assert response.status_code == 422
    assert "thuộc thẩm quyền của Huyện Beta MARKER-D1: không cần chuyển lên" in body(response)
    # A Ministry form at the province (the top office): accepted there, not forwarded.
    medal = add(app, mediator_id=world.mediator3, holder_unit_id=world.p2, form="bang_khen_bo")
    admin = login_as("admin")
    response = admin.post(url(medal, "forward"), data={"version": "1"})
    assert response.status_code == 422
    assert "là cấp xét cao nhất" in body(response)
    assert admin.post(url(medal, "accept"), data={"version": "1"}).status_code == 303


# The once-in-a-lifetime medal


def medal_given(app, world) -> int:
    """mediator1 was given the medal (a decision of province P1); a second proposal for it."""
    with app.app_context():
        first = make_proposal(
            mediator_id=world.mediator1,
            holder_unit_id=world.p1,
            form="ky_niem_chuong",
            status="accepted",
            year=2024,
        )
        make_decision(
            unit_id=world.p1,
            proposals=[first],
            number="88/QĐ-BTP",
            issuer_name="Bộ Tư pháp",
            signed_on=date(2024, 11, 5),
        )
        second = make_proposal(
            mediator_id=world.mediator1, holder_unit_id=world.p1, form="ky_niem_chuong"
        )
        db.session.commit()
        return second.id


def test_the_medal_a_person_has_is_refused(app, world, login_as):
    second = medal_given(app, world)
    admin = login_as("admin")
    words = text_of(body(admin.get(url(second))))
    assert "Không được khen thưởng:" in words
    assert "Quyết định số 88/QĐ-BTP ngày 05/11/2024" in words
    before = fingerprint(app)
    response = admin.post(url(second, "accept"), data={"version": "1"})
    assert response.status_code == 422
    assert "chỉ tặng một lần trong đời" in body(response)
    assert fingerprint(app) == before
    # Returning it is still possible.
    response = admin.post(url(second, "return"), data={"version": "1", "reason": "Đã được tặng."})
    assert response.status_code == 303


# Many at once


def bulk(client, ids, action, **extra):
    data = {"ids": [str(i) for i in ids], "action": action, **extra}
    return client.post("/commendations/proposals/review", data=data)


def test_bulk_accept(app, world, login_as):
    other = add(app, team_id=world.team1, holder_unit_id=world.d1)
    client = login_as("officer")
    response = bulk(
        client, [world.proposal1, other], "accept", next="/commendations/proposals?status=submitted"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/commendations/proposals?status=submitted"
    assert {proposal(app, i).status for i in (world.proposal1, other)} == {"accepted"}


def test_bulk_is_all_or_nothing(app, world, login_as, provincial):
    above, _ = provincial
    client = login_as("officer")
    before = fingerprint(app)
    response = bulk(client, [world.proposal1, above], "accept")
    assert response.status_code == 422
    words = text_of(body(response))
    assert "Không đề nghị nào được thay đổi." in words
    assert (
        "Giàng Thị Mai MARKER-C1: Hình thức này vượt thẩm quyền của Huyện Beta MARKER-D1" in words
    )
    assert fingerprint(app) == before
    # Forwarding both: proposal1 is within the district's authority.
    response = bulk(client, [world.proposal1, above], "forward")
    assert response.status_code == 422
    assert "không cần chuyển lên" in body(response)
    assert fingerprint(app) == before


def test_bulk_refusals_of_who(app, world, login_as, provincial):
    above, province_client = provincial
    assert province_client.post(url(above, "accept"), data={"version": "1"}).status_code == 422
    district = login_as("officer")
    assert district.post(url(above, "forward"), data={"version": "1"}).status_code == 303
    viewer = login_as("viewer")
    before = fingerprint(app)
    # Held by the province now: the district may not review it, 403 naming it.
    response = bulk(district, [world.proposal1, above], "accept")
    assert response.status_code == 403
    assert "Giàng Thị Mai MARKER-C1: Đề nghị đang do Tỉnh Alpha MARKER-P1 xét" in body(response)
    # Another province's proposal: 404, as if it did not exist.
    assert bulk(district, [world.proposal1, world.proposal3], "accept").status_code == 404
    assert bulk(district, [world.proposal1, 999999], "accept").status_code == 404
    assert bulk(viewer, [world.proposal1], "accept").status_code == 403
    assert fingerprint(app) == before


def test_bulk_bad_input(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = bulk(client, [world.proposal1], "return")
    assert response.status_code == 422 and "Nhập lý do trả lại." in body(response)
    response = bulk(client, [], "accept")
    assert response.status_code == 422 and "Chọn ít nhất một đề nghị." in body(response)
    response = bulk(client, [world.proposal1], "delete")
    assert response.status_code == 422 and "Chọn việc cần làm" in body(response)
    assert fingerprint(app) == before
    # A return with a reason goes through; "next" elsewhere than this site is ignored.
    response = bulk(
        client, [world.proposal1], "return", reason="Thiếu hồ sơ.", next="//evil.example/x"
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/commendations/proposals")
    assert proposal(app, world.proposal1).return_reason == "Thiếu hồ sơ."


# Queries


def test_the_page_runs_a_fixed_number_of_queries(app, world, login_as):
    """P3: more steps by more people cost no more queries."""
    client = login_as("officer")
    first = count_queries(app, client, url(world.proposal1))
    with app.app_context():
        for action in ("forward", "return", "resubmit", "accept"):
            db.session.add(
                ProposalStep(
                    proposal_id=world.proposal1,
                    action=action,
                    from_unit_id=world.c1,
                    to_unit_id=world.d1,
                    by_user_id=world.users["admin"]
                    if action == "return"
                    else world.users["officer"],
                    reason="Ghi chú",
                )
            )
        db.session.commit()
    assert count_queries(app, client, url(world.proposal1)) == first


def test_extra_fields_change_nothing_they_should_not(app, world, login_as):
    """S3: a posted status, holder or unit is not read."""
    client = login_as("officer")
    extra = {"version": "1", "status": "decided", "holder_unit_id": str(world.p2)}
    response = client.post(url(world.proposal1, "accept"), data={**extra, "unit_id": str(world.c2)})
    assert response.status_code == 303
    accepted = proposal(app, world.proposal1)
    assert (accepted.status, accepted.holder_unit_id, accepted.unit_id) == (
        "accepted",
        world.d1,
        world.v1,
    )
