"""A mediator's and a team's page list their commendations (issue 6 "Where it shows"): the
awards with their decision (revoked ones marked), the proposals under way, the button to
propose; no more queries for more awards."""

import re
from datetime import date
from html import unescape

from sqlalchemy import event

from app.commendations.models import (
    CommendationAward,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.rules import number_key
from app.commendations.services.nominees import commendations_of
from app.extensions import db
from app.units.models import Unit
from app.units.services import place
from app.users.models import User
from tests.commendations.factories import make_decision, make_proposal


def mediator_url(mediator_id: int) -> str:
    return f"/registry/mediators/{mediator_id}"


def team_url(team_id: int) -> str:
    return f"/registry/teams/{team_id}"


def section(response) -> str:
    """The "Khen thưởng" card's text and links."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.index('aria-labelledby="awards-title"')
    return html[start : html.index("</section>", start)]


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def decide_mediator1(app, world, number="50/QĐ-UBND", first_serial=2) -> int:
    """proposal1 (mediator1) accepted and decided by D1 in 2025; returns the decision id."""
    with app.app_context():
        proposal = db.session.get(CommendationProposal, world.proposal1)
        proposal.status = "accepted"
        decision = make_decision(
            unit_id=world.d1, proposals=[proposal], number=number, first_serial=first_serial
        )
        db.session.commit()
        return decision.id


def test_mediator_page_lists_an_award_with_its_decision(world, login_as):
    card = section(login_as("officer").get(mediator_url(world.mediator2)))
    text = words(card)
    assert "Giấy khen của Chủ tịch UBND cấp huyện" in text
    assert "Quyết định số 15/QĐ-UBND ngày 20/12/2025 · Ủy ban nhân dân Huyện Beta MARKER-D1" in text
    assert "Hòa giải thành nhiều vụ việc MARKER-C2" in text
    assert f'href="/commendations/decisions/{world.decision1}"' in card
    assert "Đã thu hồi" not in text and "Chưa có khen thưởng" not in text
    assert f'href="/commendations/proposals/{world.proposal2}/certificate">In giấy khen' in card


def test_mediator_page_lists_a_pending_proposal(world, login_as):
    card = section(login_as("commune_staff").get(mediator_url(world.mediator1)))
    text = words(card)
    assert "Đề nghị đang xét (1)" in text
    assert "Giấy khen của Chủ tịch UBND cấp huyện · năm 2026 Chờ xét" in text
    assert f'href="/commendations/proposals/{world.proposal1}"' in card


def test_a_revoked_award_shows_as_revoked(app, world, login_as):
    with app.app_context():
        award = db.session.get(CommendationAward, world.award2)
        revocation = CommendationRevocation(
            decision_id=award.decision_id,
            number="301/QĐ-UBND",
            number_folded=number_key("301/QĐ-UBND"),
            year=2026,
            signed_on=date(2026, 3, 2),
            reason="Kê khai thành tích không đúng",
        )
        db.session.add(revocation)
        db.session.flush()
        award.revocation_id = revocation.id
        db.session.commit()
    card = section(login_as("viewer").get(mediator_url(world.mediator2)))
    assert "<s>Giấy khen của Chủ tịch UBND cấp huyện</s>" in card
    text = words(card)
    assert "Đã thu hồi" in text
    assert (
        "Thu hồi theo Quyết định số 301/QĐ-UBND ngày 02/03/2026: Kê khai thành tích không đúng"
        in text
    )
    # Still listed: revoked awards stay visible as revoked; no certificate to print.
    assert "15/QĐ-UBND" in text
    assert "/certificate" not in card


def test_team_page_lists_its_proposal_and_award(app, world, login_as):
    client = login_as("officer")
    text = words(section(client.get(team_url(world.team1))))
    assert "Đề nghị đang xét (1)" in text and "Đã chấp thuận" in text
    with app.app_context():
        proposal = db.session.get(CommendationProposal, world.proposal1b)
        make_decision(unit_id=world.d1, proposals=[proposal], number="51/QĐ-UBND", first_serial=2)
        db.session.commit()
    text = words(section(client.get(team_url(world.team1))))
    assert "Quyết định số 51/QĐ-UBND" in text and "Đề nghị đang xét" not in text


def test_empty_state_and_the_button_to_propose(world, login_as):
    for role in ("officer", "commune_staff"):
        card = section(
            login_as(role).get(team_url(world.team1 if role == "commune_staff" else world.team2))
        )
        assert "Đề nghị khen thưởng</a>" in card, role
    card = section(login_as("officer").get(team_url(world.team2)))
    assert "Chưa có khen thưởng" in words(card)
    assert f"/commendations/proposals/new?team={world.team2}" in card
    card = section(login_as("commune_staff").get(mediator_url(world.mediator1)))
    assert f"/commendations/proposals/new?mediator={world.mediator1}" in card
    for role in ("viewer",):
        card = section(login_as(role).get(mediator_url(world.mediator1)))
        assert "Đề nghị khen thưởng</a>" not in card


def test_the_decision_is_linked_only_for_its_readers(app, world, login_as):
    """The commune's staff reads the award (number, date, issuer are public facts of it) but
    not the district's decision: no link to it."""
    decision_id = decide_mediator1(app, world)
    card = section(login_as("commune_staff").get(mediator_url(world.mediator1)))
    assert "Quyết định số 50/QĐ-UBND" in words(card)
    assert f"/commendations/decisions/{decision_id}" not in card
    assert "/certificate" not in card, "the certificate needs the decision too"
    card = section(login_as("officer").get(mediator_url(world.mediator1)))
    assert f"/commendations/decisions/{decision_id}" in card


def test_proposals_placed_outside_the_scope_are_not_listed(app, world, login_as):
    """A proposal made while the mediator served in another commune (placed there) is that
    commune's office work: the commune's staff of today does not see it."""
    with app.app_context():
        proposal = make_proposal(
            mediator_id=world.mediator1, holder_unit_id=world.d1, form="bang_khen_tinh"
        )
        place(proposal, db.session.get(Unit, world.v2))
        db.session.commit()
    staff = words(section(login_as("commune_staff").get(mediator_url(world.mediator1))))
    officer = words(section(login_as("officer").get(mediator_url(world.mediator1))))
    assert "Bằng khen" not in staff and "Đề nghị đang xét (1)" in staff
    assert "Bằng khen của Chủ tịch UBND cấp tỉnh" in officer and "(2)" in officer


def test_the_service_reads_nothing_for_a_judge(app, world):
    with app.app_context():
        judge = db.session.get(User, world.users["judge"])
        assert not commendations_of(judge, mediator_id=world.mediator2)
        officer = db.session.get(User, world.users["officer"])
        found = commendations_of(officer, mediator_id=world.mediator2)
        assert [a.decision.number for a in found.awards] == ["15/QĐ-UBND"]


def test_the_page_runs_a_fixed_number_of_queries(app, world, login_as):
    """QUALITY.md P3: more awards and proposals, no more queries."""
    client = login_as("officer")
    with app.app_context():
        engine = db.engine

    def count():
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(mediator_url(world.mediator1)).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    decide_mediator1(app, world)
    few = count()
    with app.app_context():
        more = [
            make_proposal(mediator_id=world.mediator1, holder_unit_id=world.d1, year=y)
            for y in (2022, 2023, 2024)
        ]
        for n, p in enumerate(more):
            p.status = "accepted"
            make_decision(
                unit_id=world.d1,
                proposals=[p],
                number=f"{60 + n}/QĐ-UBND",
                signed_on=date(2022 + n, 12, 1),
            )
        for y in (2025, 2026):
            make_proposal(mediator_id=world.mediator1, holder_unit_id=world.d1, year=y)
        db.session.commit()
    assert count() == few
    text = words(section(client.get(mediator_url(world.mediator1))))
    assert text.count("Quyết định số") == 4 and "Đề nghị đang xét (2)" in text
