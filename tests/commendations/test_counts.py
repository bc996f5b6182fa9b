"""The area's home and the count of awards per unit for the reports (award_counts): awards of
the year by form group in each child unit, revoked ones excluded, proposals still pending,
the total line; the page's cards, its scope and a fixed number of queries."""

from datetime import date

import pytest
from sqlalchemy import event

from app.commendations.models import CommendationAward, CommendationRevocation
from app.commendations.services.counts import FORM_GROUPS, award_counts, overview
from app.extensions import db
from app.units.models import Unit
from app.users.models import User
from tests.commendations.factories import make_decision, make_proposal

INDEX = "/commendations/"
ZERO = dict.fromkeys(FORM_GROUPS, 0)


@pytest.fixture
def awards(app, world):
    """2026 in district D1: commune C1 has two Giấy khen and one Bằng khen (one Giấy khen
    revoked), commune C2 one Biểu dương and one Kỷ niệm chương; a person placed at D1 itself
    has a Giấy khen; a 2025 award in C2 comes from the world. Pending 2026 proposals: the
    world's proposal1 (submitted) and proposal1b (accepted) in C1, one more in C2."""

    def accepted(unit_id, name, form):
        return make_proposal(
            unit_id=unit_id, name=name, holder_unit_id=world.d1, status="accepted", form=form
        )

    with app.app_context():
        decisions = [
            ("giay_khen_huyen", world.d1, [world.v1, world.v1, world.d1]),
            ("bang_khen_tinh", world.p1, [world.v1]),
            ("bieu_duong", world.c2, [world.v2]),
            ("ky_niem_chuong", world.p1, [world.v2]),
        ]
        made = {}
        for n, (form, issuer, places) in enumerate(decisions):
            proposals = [accepted(u, f"Người {form} {i}", form) for i, u in enumerate(places)]
            decision = make_decision(
                unit_id=issuer,
                proposals=proposals,
                number=f"{n + 20}/QĐ-UBND",
                signed_on=date(2026, 3, 1 + n),
                form=form,
                first_serial=10 * (n + 1),
            )
            made[form] = decision
        make_proposal(unit_id=world.v2, name="Chờ Xét C2", holder_unit_id=world.d1)
        revoked = db.session.scalars(
            db.select(CommendationAward).where(
                CommendationAward.decision_id == made["giay_khen_huyen"].id
            )
        ).first()
        revocation = CommendationRevocation(
            decision_id=revoked.decision_id,
            number="5/QĐ-UBND",
            number_folded="5/qd-ubnd",
            year=2026,
            signed_on=date(2026, 6, 1),
            reason="Không đúng đối tượng",
        )
        db.session.add(revocation)
        db.session.flush()
        revoked.revocation_id = revocation.id
        db.session.commit()


def lines_by_name(lines):
    return {line.name: line for line in lines}


def test_counts_per_commune_of_a_district(app, world, awards):
    with app.app_context():
        lines = award_counts(db.session.get(Unit, world.d1), 2026)
    by_name = lines_by_name(lines)
    c1 = by_name["Xã Gamma MARKER-C1"]
    assert c1.by_group == {**ZERO, "Giấy khen": 1, "Bằng khen": 1}, "the revoked one is out"
    assert c1.awards == 2 and c1.pending == 2 and c1.has_children
    c2 = by_name["Xã Epsilon MARKER-C2"]
    assert c2.by_group == {**ZERO, "Biểu dương": 1, "Kỷ niệm chương": 1}
    assert c2.pending == 1
    direct = by_name["Huyện Beta MARKER-D1 (trực tiếp)"]
    assert direct.direct and direct.by_group == {**ZERO, "Giấy khen": 1}
    total = lines[-1]
    assert total.is_total and total.name == "Tổng cộng"
    assert total.by_group == {"Biểu dương": 1, "Giấy khen": 2, "Bằng khen": 1, "Kỷ niệm chương": 1}
    assert total.awards == 5 and total.pending == 3
    assert [line.name for line in lines[:2]] == ["Xã Epsilon MARKER-C2", "Xã Gamma MARKER-C1"]


def test_counts_of_another_year_and_of_a_commune(app, world, awards):
    with app.app_context():
        district = award_counts(db.session.get(Unit, world.d1), 2025)
        commune = award_counts(db.session.get(Unit, world.c1), 2026)
    assert lines_by_name(district)["Xã Epsilon MARKER-C2"].by_group["Giấy khen"] == 1
    assert district[-1].awards == 1 and district[-1].pending == 0
    # A commune counts its villages (that have no children to look into).
    village = lines_by_name(commune)["Bản Delta MARKER-V1"]
    assert village.awards == 2 and not village.has_children
    assert commune[-1].awards == 2


def test_counts_of_the_country_and_of_a_two_level_province(app, world, awards):
    with app.app_context():
        country = lines_by_name(award_counts(None, 2025))
        province = award_counts(db.session.get(Unit, world.p2), 2025)
    assert country["Tỉnh Alpha MARKER-P1"].awards == 1
    assert country["Tỉnh Omega MARKER-P2"].by_group["Bằng khen"] == 1
    assert country["Tổng cộng"].awards == 2
    # Communes right under the province (no district since 1/7/2025).
    assert lines_by_name(province)["Xã Sigma MARKER-C3"].by_group["Bằng khen"] == 1


def test_counts_run_two_grouped_queries_and_one_for_the_units(app, world, awards):
    with app.app_context():
        district = db.session.get(Unit, world.d1)
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            award_counts(district, 2026)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) == 3
    assert sum("GROUP BY" in s for s in seen) == 2


def test_overview_cards(app, world, awards):
    with app.app_context():
        officer = db.session.scalar(db.select(User).where(User.username == "canbo"))
        seen = overview(officer, 2026)
        viewer = db.session.scalar(db.select(User).where(User.username == "xembaocao"))
        read_only = overview(viewer, 2026)
    assert seen.waiting == 2, "proposal1 and the one of C2, held by D1"
    assert seen.by_status == {"submitted": 2, "accepted": 1, "decided": 6}
    assert seen.decisions == 2, "the decisions issued in D1 (the province's are not its)"
    assert seen.awards == 5 and seen.revoked == 1
    assert read_only.waiting is None and read_only.awards == 5


# The page


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_home_page_shows_the_cards_and_the_table(world, login_as, awards):
    page = body(login_as("officer").get(INDEX, query_string={"year": "2026"}))
    assert "đề nghị đang chờ tôi xét" in page
    assert 'href="/commendations/proposals?mine=1&amp;year="' in page
    assert "Số khen thưởng năm 2026 theo đơn vị" in page
    for group in FORM_GROUPS:
        assert f'<th scope="col" class="num">{group}</th>' in page
    assert f'href="/commendations/?unit={world.c1}&amp;year=2026">Xã Gamma MARKER-C1' in page
    assert "Huyện Beta MARKER-D1 (trực tiếp)" in page
    assert "Tổng cộng" in page
    assert '<option value="2026" selected>' in page
    assert "Ban hành quyết định" in page and "Đề nghị mới" in page


def test_the_commune_sees_its_villages_only(world, login_as, awards):
    page = body(login_as("commune_staff").get(INDEX, query_string={"year": "2026"}))
    assert "Bản Delta MARKER-V1" in page
    assert "MARKER-C2" not in page and "MARKER-V2" not in page
    assert "đang chờ tôi xét" not in page, "commune staff review nothing"
    assert "Ban hành quyết định" not in page and "Đề nghị mới" in page
    viewer = body(login_as("viewer").get(INDEX, query_string={"year": "2026"}))
    assert "Đề nghị mới" not in viewer and "Xã Gamma MARKER-C1" in viewer


def test_looking_into_a_unit_of_the_subtree_and_back(world, login_as, awards):
    officer = login_as("officer")
    page = body(officer.get(INDEX, query_string={"year": "2026", "unit": world.c1}))
    assert "Bản Delta MARKER-V1" in page and "Xã Epsilon" not in page
    assert f'href="/commendations/?unit={world.d1}&amp;year=2026">Huyện Beta MARKER-D1</a>' in page
    assert f'<input type="hidden" name="unit" value="{world.c1}">' in page
    # A village has no unit below: its own awards make one line.
    page = body(officer.get(INDEX, query_string={"year": "2026", "unit": world.v1}))
    assert "Bản Delta MARKER-V1 (trực tiếp)" in page
    assert officer.get(INDEX, query_string={"unit": world.c3}).status_code == 404
    assert officer.get(INDEX, query_string={"unit": world.p1}).status_code == 404
    assert officer.get(INDEX, query_string={"unit": 999999}).status_code == 404
    staff = login_as("commune_staff")
    assert staff.get(INDEX, query_string={"unit": world.c2}).status_code == 404


def test_an_admin_starts_from_the_provinces(world, login_as, awards):
    admin = login_as("admin")
    page = body(admin.get(INDEX, query_string={"year": "2025"}))
    assert "Tỉnh Alpha MARKER-P1" in page and "Tỉnh Omega MARKER-P2" in page
    page = body(admin.get(INDEX, query_string={"year": "2025", "unit": world.p2}))
    assert "Xã Sigma MARKER-C3" in page
    assert 'href="/commendations/?year=2025">Cả nước</a>' in page


@pytest.mark.parametrize("year", ["abc", "20", "", "2026<script>"])
def test_a_bad_year_falls_back_to_this_year(world, login_as, year):
    page = body(login_as("officer").get(INDEX, query_string={"year": year}))
    assert "<script>" not in page and "Số khen thưởng năm" in page


def test_the_home_page_runs_a_fixed_number_of_queries(app, world, login_as):
    client = login_as("officer")

    def count():
        with app.app_context():
            engine = db.engine
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(INDEX, query_string={"year": "2026"}).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    few = count()
    with app.app_context():
        for n in range(6):
            proposal = make_proposal(
                unit_id=world.v1 if n % 2 else world.v2,
                name=f"Người {n}",
                holder_unit_id=world.d1,
                status="accepted",
                form="bieu_duong" if n % 3 else "bang_khen_tinh",
            )
            make_decision(
                unit_id=world.d1,
                proposals=[proposal],
                number=f"{n + 50}/QĐ-UBND",
                signed_on=date(2026, 2, 1 + n),
                first_serial=n + 1,
            )
        db.session.commit()
    assert count() == few
