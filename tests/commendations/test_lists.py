"""The lists of proposals and decisions: scope, filters, "waiting for me", the bulk review
form, "load more", exports, and a fixed number of queries per page (QUALITY.md P3).

The world (tests/conftest.py add_commendations): proposal1 (mediator1 of C1, submitted, held
by D1), proposal1b (team1 of C1, accepted), proposal2 (mediator2 of C2, 2025, decided by
decision1 of D1), proposal3 (mediator3 of C3 in P2, submitted, held by P2), proposal3b (team3,
decided by decision3 of P2)."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.clock import today
from app.commendations.models import (
    CommendationAward,
    CommendationProposal,
    CommendationRevocation,
)
from app.commendations.routes.lists import DECISION_PAGE_SIZE, PROPOSAL_PAGE_SIZE
from app.extensions import db
from tests.commendations.factories import make_decision, make_proposal
from tests.queries import count_queries

PROPOSALS = "/commendations/proposals"
DECISIONS = "/commendations/decisions"
ALL_YEARS = {"year": ""}
MEDIATOR1 = "Giàng Thị Mai MARKER-C1"
MEDIATOR2 = "Giàng Thị Mai MARKER-C2"
MEDIATOR3 = "Giàng Thị Mai MARKER-C3"
TEAM1 = "Tổ hòa giải Bản Delta MARKER-V1"


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def add(app):
    """add(unit_id, "Name", holder_unit_id=..., **values) -> proposal id (another person)."""

    def _add(unit_id, name, **values):
        with app.app_context():
            values.setdefault("holder_unit_id", unit_id)
            proposal = make_proposal(unit_id=unit_id, name=name, **values)
            db.session.commit()
            return proposal.id

    return _add


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.get_data()), read_only=True)
    rows = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    # Empty cells at the end of a row are not stored: pad to the header's width.
    return [row + (None,) * (len(rows[0]) - len(row)) for row in rows]


# Scope


def test_each_role_sees_the_proposals_of_its_subtree(world, login_as):
    staff = body(login_as("commune_staff").get(PROPOSALS, query_string=ALL_YEARS))
    assert MEDIATOR1 in staff and TEAM1 in staff
    assert "MARKER-C2" not in staff and "MARKER-C3" not in staff
    officer = body(login_as("officer").get(PROPOSALS, query_string=ALL_YEARS))
    assert MEDIATOR1 in officer and MEDIATOR2 in officer and MEDIATOR3 not in officer
    other_province = body(login_as("officer_p2").get(PROPOSALS, query_string=ALL_YEARS))
    assert MEDIATOR3 in other_province and "MARKER-C1" not in other_province
    assert "MARKER-D1" not in other_province
    admin = body(login_as("admin").get(PROPOSALS, query_string=ALL_YEARS))
    assert MEDIATOR1 in admin and MEDIATOR3 in admin


def test_judges_may_not_read_the_lists(world, login_as):
    judge = login_as("judge")
    for url in (PROPOSALS, DECISIONS, "/commendations/"):
        assert judge.get(url).status_code == 403


def test_a_unit_outside_the_scope_is_ignored_not_shown(world, login_as):
    page = body(login_as("officer").get(PROPOSALS, query_string={"year": "", "unit": world.c3}))
    assert "MARKER-C3" not in page and MEDIATOR1 in page


# Filters


def test_the_list_opens_on_this_year_and_offers_every_year(world, login_as, add):
    this_year = today().year
    add(world.v1, "Lò Văn Thanh", year=this_year)
    add(world.v1, "Lường Thị Hoa", year=this_year - 1)
    client = login_as("officer")
    page = body(client.get(PROPOSALS))
    assert "Lò Văn Thanh" in page and "Lường Thị Hoa" not in page
    assert f'<option value="{this_year}" selected>' in page
    assert '<option value="">Tất cả các năm</option>' in page
    page = body(client.get(PROPOSALS, query_string=ALL_YEARS))
    assert "Lò Văn Thanh" in page and "Lường Thị Hoa" in page
    page = body(client.get(PROPOSALS, query_string={"year": this_year - 1}))
    assert "Lò Văn Thanh" not in page and "Lường Thị Hoa" in page


def test_filters_by_form_status_kind_and_unit(world, login_as, add):
    add(world.v2, "Quàng Văn Ươi", form="bieu_duong", year=2026)
    client = login_as("officer")

    def names(**args):
        page = body(client.get(PROPOSALS, query_string={"year": "", **args}))
        return {n for n in (MEDIATOR1, MEDIATOR2, TEAM1, "Quàng Văn Ươi") if n in page}

    assert names(form="bieu_duong") == {"Quàng Văn Ươi"}
    assert names(status="accepted") == {TEAM1}
    assert names(status="decided") == {MEDIATOR2}
    assert names(kind="team") == {TEAM1}
    assert names(kind="person") == {"Quàng Văn Ươi"}
    assert names(unit=world.c1) == {MEDIATOR1, TEAM1}
    assert names(unit=world.c2) == {MEDIATOR2, "Quàng Văn Ươi"}
    assert names(unit=world.c2, form="bieu_duong", status="submitted") == {"Quàng Văn Ươi"}


@pytest.mark.parametrize(
    "query", ["giang thi", "Giàng Thị Mai", "GIÀNG", "giang thi mai marker-c1"]
)
def test_search_by_name_ignores_diacritics(world, login_as, query):
    page = body(login_as("commune_staff").get(PROPOSALS, query_string={"year": "", "q": query}))
    assert MEDIATOR1 in page and TEAM1 not in page


def test_search_is_a_prefix_of_the_name(world, login_as):
    page = body(login_as("commune_staff").get(PROPOSALS, query_string={"year": "", "q": "mai"}))
    assert MEDIATOR1 not in page
    assert "Không có đề nghị nào phù hợp." in page and "Thử bỏ bớt điều kiện lọc." in page


@pytest.mark.parametrize(
    "args",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"form": "khong_co"},
        {"status": "<script>"},
        {"kind": "x" * 500},
        {"unit": "-1"},
        {"unit": "abc"},
        {"after": "không phải con trỏ"},
        {"mine": "maybe"},
        {"format": "pdf"},
    ],
)
def test_bad_filter_values_are_ignored(world, login_as, args):
    page = body(login_as("officer").get(PROPOSALS, query_string=args))
    assert "<script>" not in page
    page = body(login_as("officer").get(DECISIONS, query_string=args))
    assert "<script>" not in page


# Waiting for me, and the bulk review form


def test_waiting_for_me_is_what_the_officers_office_holds(world, login_as, add):
    # Forwarded to the province: the district officer no longer reviews it, the admin does.
    forwarded = add(world.v1, "Chu Thị Dé", holder_unit_id=world.p1)
    officer = login_as("officer")
    page = body(officer.get(PROPOSALS, query_string={"year": "", "mine": "1"}))
    assert MEDIATOR1 in page
    assert TEAM1 not in page, "accepted: no longer waiting"
    assert "Chu Thị Dé" not in page, "held by the province"
    assert 'id="proposal-mine" type="checkbox" name="mine" value="1" checked' in page
    admin = body(login_as("admin").get(PROPOSALS, query_string={"year": "", "mine": "1"}))
    assert "Chu Thị Dé" in admin and MEDIATOR3 in admin and TEAM1 not in admin
    assert f'name="ids" value="{forwarded}"' in admin
    p2 = body(login_as("officer_p2").get(PROPOSALS, query_string={"year": "", "mine": "1"}))
    assert MEDIATOR3 in p2 and MEDIATOR1 not in p2


def test_checkboxes_only_on_the_rows_the_user_reviews(world, login_as, add):
    forwarded = add(world.v1, "Chu Thị Dé", holder_unit_id=world.p1)
    page = body(login_as("officer").get(PROPOSALS, query_string=ALL_YEARS))
    assert f'name="ids" value="{world.proposal1}"' in page
    for other in (world.proposal1b, world.proposal2, forwarded):
        assert f'name="ids" value="{other}"' not in page
    assert 'id="proposal-bulk" method="post" action="/commendations/proposals/review"' in page
    assert 'name="csrf_token"' in page
    assert 'name="next" value="/commendations/proposals?year="' in page
    for action in ("accept", "return", "forward"):
        assert f'name="action" value="{action}"' in page
    assert 'name="reason"' in page


def test_the_bulk_form_reviews_and_comes_back_to_the_list(world, login_as):
    client = login_as("officer")
    page = body(client.get(PROPOSALS, query_string={"year": "", "mine": "1"}))
    back = page.split('name="next" value="')[1].split('"')[0].replace("&amp;", "&")
    response = client.post(
        "/commendations/proposals/review",
        data={"ids": [str(world.proposal1)], "action": "accept", "reason": "", "next": back},
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    page = body(client.get(back))
    assert MEDIATOR1 not in page, "accepted: no longer waiting"


def test_readers_and_proposers_get_no_review_controls(world, login_as):
    for role in ("viewer", "commune_staff"):
        page = body(login_as(role).get(PROPOSALS, query_string=ALL_YEARS))
        assert 'name="ids"' not in page and 'id="proposal-bulk"' not in page
        assert 'name="mine"' not in page
    # Asking for "waiting for me" without reviewing anything shows nothing.
    page = body(login_as("commune_staff").get(PROPOSALS, query_string={"year": "", "mine": "1"}))
    assert MEDIATOR1 not in page


def test_the_bulk_form_keeps_the_filters_as_its_way_back(world, login_as):
    page = body(
        login_as("officer").get(
            PROPOSALS, query_string={"year": "2026", "status": "submitted", "unit": world.c1}
        )
    )
    assert f'name="next" value="/commendations/proposals?year=2026&amp;unit={world.c1}' in page
    assert "status=submitted" in page


def test_actions_for_proposers_and_deciders(world, login_as):
    staff = body(login_as("commune_staff").get(PROPOSALS))
    assert "Đề nghị mới" in staff and "Đề nghị hàng loạt" in staff
    viewer = body(login_as("viewer").get(PROPOSALS))
    assert "Đề nghị mới" not in viewer
    assert "Ban hành quyết định" in body(login_as("officer").get(DECISIONS))
    assert "Ban hành quyết định" not in body(login_as("commune_staff").get(DECISIONS))


# htmx: the fragment of a change of filters, and "load more"


def test_a_change_of_filters_answers_the_list_alone(world, login_as):
    client = login_as("officer")
    response = client.get(PROPOSALS, query_string={"year": "", "unit": world.c1}, htmx=True)
    fragment = body(response)
    assert "<html" not in fragment and 'id="proposal-rows"' in fragment
    assert MEDIATOR1 in fragment and MEDIATOR2 not in fragment
    assert 'id="proposal-unit-field" hx-swap-oob="true"' in fragment
    assert f'<option value="{world.v1}">' in fragment, "the drill-down offers C1's villages"
    assert "HX-Request" in response.headers["Vary"]
    page = body(client.get(PROPOSALS, query_string={"year": "", "unit": world.c1}))
    assert "<html" in page and "hx-swap-oob" not in page


def test_load_more_continues_after_the_last_row(world, login_as, add):
    size = PROPOSAL_PAGE_SIZE
    for n in range(size + 5):
        add(world.v1, f"Người Thứ {n:02d}", year=2024)
    client = login_as("commune_staff")
    page = body(client.get(PROPOSALS, query_string={"year": "2024"}))
    assert f"Người Thứ {size + 4:02d}" in page and "Người Thứ 05" in page
    assert "Người Thứ 04" not in page
    assert 'id="proposal-rows-more"' in page
    link = page.split('id="proposal-rows-more"')[1].split('href="')[1].split('"')[0]
    link = link.replace("&amp;", "&")
    assert "year=2024" in link and "after=" in link
    more = body(client.get(link, htmx="proposal-rows-more"))
    assert "<table" not in more and "proposal-unit-field" not in more
    assert all(f"Người Thứ {n:02d}" in more for n in range(5))
    assert "Người Thứ 05" not in more and "proposal-rows-more" not in more


def test_a_page_of_real_looking_rows_stays_small(app, world, login_as):
    """P8: a page of rows with long names, units and bases is an htmx answer under 15 KB."""
    with app.app_context():
        for n in range(PROPOSAL_PAGE_SIZE + 1):
            proposal = make_proposal(
                unit_id=world.v1,
                name=f"Nguyễn Thị Thu Hương Phương {n}",
                kind="mediator",
                holder_unit_id=world.d1,
                year=2024,
                form="bang_khen_tinh",
                prize_name="Giải Khuyến khích",
                basis_successful=170,
                basis_failed=13,
                basis_service_years=12,
                basis_compliant=False,
            )
            proposal.nominee_detail = "Tổ trưởng Tổ hòa giải bản Nậm Pồ, xã Sín Thầu"
        decided = [
            make_proposal(
                unit_id=world.v1, name=f"Người {n}", holder_unit_id=world.d1, status="accepted"
            )
            for n in range(DECISION_PAGE_SIZE + 1)
        ]
        for n, proposal in enumerate(decided):
            make_decision(
                unit_id=world.d1,
                proposals=[proposal],
                issuer_name="Ủy ban nhân dân huyện Mường Nhé, tỉnh Điện Biên",
                number=f"{1000 + n}/QĐ-UBND",
                first_serial=n + 2,  # the world's decision1 holds serial 1 of 2025
                amount_vnd=12_500_000,
            )
        db.session.commit()
    client = login_as("officer")
    for url, rows in ((PROPOSALS, "proposal-rows"), (DECISIONS, "decision-rows")):
        for target in (True, f"{rows}-more"):
            response = client.get(url, query_string={"year": ""}, htmx=target)
            assert f"{rows}-more" in body(response), "a full page of rows"
            assert len(response.get_data()) <= 15 * 1024, (url, target)


def test_the_decisions_fragment(world, login_as):
    client = login_as("officer")
    fragment = body(client.get(DECISIONS, query_string={"year": "2025"}, htmx=True))
    assert "<html" not in fragment and "15/QĐ-UBND" in fragment
    assert 'id="decision-unit-field" hx-swap-oob="true"' in fragment


# Exports


PROPOSAL_HEADERS = (
    "STT",
    "Người/tập thể được đề nghị",
    "Loại",
    "Năm sinh",
    "Đơn vị",
    "Hình thức",
    "Thành tích",
    "Giai đoạn",
    "Căn cứ",
    "Đơn vị đề nghị",
    "Đang xét tại",
    "Trạng thái",
    "Quyết định",
    "Ngày đề nghị",
)


def test_the_proposals_export_has_every_matching_row(world, login_as, add):
    for n in range(60):
        add(world.v1, f"Người Thứ {n:02d}", year=2024)
    rows = sheet_rows(
        login_as("commune_staff").get(PROPOSALS, query_string={"year": "2024", "format": "xlsx"})
    )
    assert rows[0] == PROPOSAL_HEADERS
    assert len(rows) == 61, "every row, not a page"
    assert [r[0] for r in rows[1:4]] == [1, 2, 3]
    assert rows[1][1] == "Người Thứ 59", "newest first, as on the page"
    assert rows[1][2] == "Cá nhân khác" and rows[1][7] == "2024"
    assert rows[1][11] == "Chờ xét"


def test_the_proposals_export_follows_scope_and_shows_the_decision(world, login_as, app):
    with app.app_context():
        proposal = db.session.get(CommendationProposal, world.proposal1b)
        proposal.prize_name = "Giải Nhất"
        proposal.basis_successful, proposal.basis_failed = 17, 3
        db.session.commit()
    staff = sheet_rows(
        login_as("commune_staff").get(PROPOSALS, query_string={"year": "", "format": "xlsx"})
    )
    names = {r[1] for r in staff[1:]}
    assert names == {MEDIATOR1, TEAM1}
    team = next(r for r in staff if r[1] == TEAM1)
    assert team[2] == "Tổ hòa giải" and team[11] == "Đã chấp thuận"
    assert team[8] == "Giải Nhất; Hòa giải thành 17/20 vụ (85%)"
    assert team[10] == "Huyện Beta MARKER-D1"
    officer = sheet_rows(
        login_as("officer").get(PROPOSALS, query_string={"year": "", "format": "xlsx"})
    )
    decided = next(r for r in officer if r[1] == MEDIATOR2)
    assert decided[12] == "15/QĐ-UBND ngày 20/12/2025"
    assert decided[11] == "Đã có quyết định" and decided[10] is None


def test_the_proposals_csv_is_for_excel(world, login_as):
    response = login_as("officer").get(PROPOSALS, query_string={"year": "", "format": "csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffSTT,Người/tập thể được đề nghị,")
    assert MEDIATOR1 in text and MEDIATOR3 not in text


def test_export_links_carry_the_filters(world, login_as):
    page = body(
        login_as("officer").get(PROPOSALS, query_string={"year": "2025", "form": "bieu_duong"})
    )
    assert "/commendations/proposals?format=xlsx&amp;year=2025&amp;form=bieu_duong" in page
    page = body(login_as("officer").get(DECISIONS, query_string={"year": "", "q": "15"}))
    assert "/commendations/decisions?format=csv&amp;year=&amp;q=15" in page


# Decisions


@pytest.fixture
def revoke(app):
    """revoke(award_id, number) -> revocation id (made as a row, as the decisions part would)."""

    def _revoke(award_id, number="3/QĐ-UBND"):
        with app.app_context():
            award = db.session.get(CommendationAward, award_id)
            revocation = CommendationRevocation(
                decision_id=award.decision_id,
                number=number,
                number_folded=number.lower(),
                year=2026,
                signed_on=date(2026, 3, 2),
                reason="Khen thưởng không đúng đối tượng",
            )
            db.session.add(revocation)
            db.session.flush()
            award.revocation_id = revocation.id
            db.session.commit()
            return revocation.id

    return _revoke


def test_decisions_of_the_subtree_with_recipients_and_amounts(world, login_as, revoke):
    officer = login_as("officer")
    page = body(officer.get(DECISIONS, query_string=ALL_YEARS))
    assert "15/QĐ-UBND" in page and "20/12/2025" in page
    assert "7/QĐ-UBND" not in page, "decision3 lies in P2"
    assert "500.000 đ" in page
    assert f'href="/commendations/decisions/{world.decision1}"' in page
    revoke(world.award2)
    page = body(officer.get(DECISIONS, query_string=ALL_YEARS))
    assert "1 đã thu hồi" in page and "0 đ" in page
    assert "15/QĐ-UBND" not in body(
        login_as("commune_staff").get(DECISIONS, query_string=ALL_YEARS)
    )
    assert "7/QĐ-UBND" in body(login_as("officer_p2").get(DECISIONS, query_string=ALL_YEARS))


def test_decision_filters(world, login_as, app):
    with app.app_context():
        proposals = [
            make_proposal(
                unit_id=world.v1, name=f"Người {n}", holder_unit_id=world.d1, status="accepted"
            )
            for n in range(3)
        ]
        make_decision(
            unit_id=world.c1,
            proposals=proposals,
            number="123/QĐ-UBND",
            signed_on=date(2026, 2, 3),
            form="giay_khen_xa",
            amount_vnd=300_000,
        )
        db.session.commit()
    client = login_as("officer")

    def numbers(**args):
        page = body(client.get(DECISIONS, query_string={"year": "", **args}))
        return {n for n in ("15/QĐ-UBND", "123/QĐ-UBND") if n in page}

    assert numbers() == {"15/QĐ-UBND", "123/QĐ-UBND"}
    assert numbers(year="2026") == {"123/QĐ-UBND"}
    assert numbers(form="giay_khen_xa") == {"123/QĐ-UBND"}
    assert numbers(unit=world.c1) == {"123/QĐ-UBND"}
    assert numbers(q="123/qd") == {"123/QĐ-UBND"}
    assert numbers(q="1") == {"15/QĐ-UBND", "123/QĐ-UBND"}
    assert numbers(q="12 3") == {"123/QĐ-UBND"}, "spaces do not matter"
    page = body(client.get(DECISIONS, query_string={"year": "2026"}))
    assert "900.000 đ" in page and ">3<" in page
    # The commune's own decision is the commune staff's to read.
    assert "123/QĐ-UBND" in body(login_as("commune_staff").get(DECISIONS, query_string=ALL_YEARS))


AWARD_HEADERS = (
    "Số QĐ",
    "Ngày",
    "Cơ quan ban hành",
    "Hình thức",
    "Số vào sổ",
    "Người/tập thể",
    "Năm sinh",
    "Đơn vị",
    "Thành tích",
    "Số tiền (đồng)",
    "Thu hồi",
)


def test_the_decisions_export_has_one_row_per_award(world, login_as, app, revoke):
    with app.app_context():
        proposals = [
            make_proposal(
                unit_id=world.v2, name=f"Người {n}", holder_unit_id=world.d1, status="accepted"
            )
            for n in range(3)
        ]
        decision = make_decision(
            unit_id=world.d1,
            proposals=proposals,
            number="40/QĐ-UBND",
            signed_on=date(2026, 4, 5),
            amount_vnd=1_500_000,
            first_serial=5,
        )
        db.session.commit()
        awards = db.session.scalars(
            select(CommendationAward.id)
            .where(CommendationAward.decision_id == decision.id)
            .order_by(CommendationAward.serial)
        ).all()
    revoke(awards[1], number="9/QĐ-UBND")
    rows = sheet_rows(
        login_as("officer").get(DECISIONS, query_string={"year": "", "format": "xlsx"})
    )
    assert rows[0] == AWARD_HEADERS
    assert len(rows) == 1 + 3 + 1, "three awards of decision 40, one of decision 15"
    first = rows[1]
    assert first[0] == "40/QĐ-UBND" and first[1].date() == date(2026, 4, 5)
    assert first[2] == "Ủy ban nhân dân Huyện Beta MARKER-D1"
    assert first[3] == "Giấy khen của Chủ tịch UBND cấp huyện"
    assert [r[4] for r in rows[1:4]] == ["005/2026", "006/2026", "007/2026"]
    assert first[5] == "Người 0" and first[7] == "Bản Zeta MARKER-V2"
    assert first[9] == 1_500_000 and first[10] is None
    assert rows[2][10] == "9/QĐ-UBND ngày 02/03/2026"
    assert rows[4][0] == "15/QĐ-UBND" and rows[4][5] == MEDIATOR2


def test_the_decisions_export_follows_the_scope(world, login_as):
    rows = sheet_rows(
        login_as("commune_staff").get(DECISIONS, query_string={"year": "", "format": "xlsx"})
    )
    assert rows == [AWARD_HEADERS]
    response = login_as("officer_p2").get(DECISIONS, query_string={"year": "", "format": "csv"})
    text = response.get_data(as_text=True)
    assert "7/QĐ-UBND" in text and "MARKER-C2" not in text


# P3: a fixed number of queries per page


def test_the_lists_run_a_fixed_number_of_queries(app, world, login_as, add):
    client = login_as("officer")
    urls = [
        f"{PROPOSALS}?year=",
        f"{PROPOSALS}?year=&mine=1",
        f"{DECISIONS}?year=",
        f"{PROPOSALS}?year=&format=xlsx",
        f"{DECISIONS}?year=&format=xlsx",
    ]
    few = [count_queries(app, client, url) for url in urls]
    fragment = count_queries(app, client, f"{PROPOSALS}?year=", htmx=True)
    with app.app_context():
        for n in range(8):
            village = world.v1 if n % 2 else world.v2
            proposals = [
                make_proposal(
                    unit_id=village, name=f"Người {n}.{i}", holder_unit_id=world.d1, status=status
                )
                for i, status in enumerate(("accepted", "accepted", "submitted"))
            ]
            make_decision(
                unit_id=world.d1,
                proposals=proposals[:2],
                number=f"{100 + n}/QĐ-UBND",
                signed_on=date(2026, 1, 1 + n),
                first_serial=1 + 2 * n,
            )
        db.session.commit()
    assert [count_queries(app, client, url) for url in urls] == few
    assert count_queries(app, client, f"{PROPOSALS}?year=", htmx=True) == fragment
