"""Where a proposal goes for review: the offices of the unit tree, and the once-in-a-lifetime
medal."""

from datetime import date

from app.commendations.services import office_above, office_of, once_in_lifetime_problem
from app.extensions import db
from app.units.models import Unit
from tests.commendations.factories import make_decision, make_proposal


def test_a_commune_is_reviewed_by_its_district_then_the_province(app, world, ctx):
    assert office_of(world.v1).id == world.d1
    assert office_of(world.c1).id == world.d1
    assert office_of(world.d1).id == world.d1
    assert office_above(db.session.get(Unit, world.d1)).id == world.p1
    assert office_above(db.session.get(Unit, world.p1)) is None


def test_a_commune_of_a_two_level_province_goes_straight_to_the_province(app, world, ctx):
    # C3 sits directly under P2 (no district since 1/7/2025).
    assert office_of(world.v3).id == world.p2
    assert office_of(world.c3).id == world.p2


def test_the_medal_once_in_a_lifetime(app, world, ctx):
    assert once_in_lifetime_problem("ky_niem_chuong", world.mediator1) is None
    # Other forms may be given again and again.
    assert once_in_lifetime_problem("giay_khen_huyen", world.mediator2) is None
    pending = make_proposal(
        mediator_id=world.mediator1, holder_unit_id=world.d1, form="ky_niem_chuong"
    )
    problem = once_in_lifetime_problem("ky_niem_chuong", world.mediator1)
    assert "đang có một đề nghị" in problem
    # The proposal itself is not its own obstacle.
    assert once_in_lifetime_problem("ky_niem_chuong", world.mediator1, except_id=pending.id) is None
    pending.status = "accepted"
    decision = make_decision(
        unit_id=world.p1, proposals=[pending], number="88/QĐ-BTP", signed_on=date(2026, 5, 4)
    )
    problem = once_in_lifetime_problem("ky_niem_chuong", world.mediator1)
    assert "đã được tặng" in problem and "88/QĐ-BTP" in problem and "04/05/2026" in problem
    # A revoked medal no longer counts.
    from app.commendations.models import CommendationAward, CommendationRevocation

    revocation = CommendationRevocation(
        decision_id=decision.id,
        number="90/QĐ-BTP",
        number_folded="90/qd-btp",
        year=2026,
        signed_on=date(2026, 6, 1),
        reason="Khai sai thành tích",
    )
    db.session.add(revocation)
    db.session.flush()
    award = db.session.scalar(
        db.select(CommendationAward).where(CommendationAward.decision_id == decision.id)
    )
    award.revocation_id = revocation.id
    db.session.flush()
    assert once_in_lifetime_problem("ky_niem_chuong", world.mediator1) is None
