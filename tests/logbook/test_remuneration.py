"""Remuneration: pay rates per province, the unpaid cases of teams, payments and the printable
payment request (DOMAIN.md §4)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.logbook import payments
from app.logbook.models import LogbookEntry, PayRate, RemunerationPayment
from app.logbook.routes import remuneration as routes
from app.logbook.rules import Party
from app.logbook.services import EntryValues, create_entry, create_pay_rate
from app.registry.models import Mediator, Team
from app.registry.services.mediators import make_leader
from app.units.models import Unit
from tests.authz import ALL_ROLES, FOREIGN_MARKERS
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint

PARTY_MARKERS = ("PARTY-C1", "PARTY-C2", "PARTY-C3", "Vàng A Páo", "Bản Pá Mỳ")


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The words of a page, without tags and with runs of white space collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def add_case(app, world):
    """add_case(ended_on, team="team1", result="failed") -> entry id (received on its end)."""

    def _add(ended_on, team="team1", result="failed"):
        with app.app_context():
            team_obj = db.session.get(Team, getattr(world, team))
            mediator = db.session.scalar(select(Mediator.id).where(Mediator.team_id == team_obj.id))
            values = EntryValues(
                received_on=ended_on if ended_on else date(2025, 1, 5),
                started_on=None,
                ended_on=ended_on,
                content="Tranh chấp lối đi chung giữa hai hộ",
                scope="civil",
                result=result,
                agreement="Mở lại lối đi." if result == "successful" else None,
                parties=[Party("Người Thứ Nhất PARTY-C1", 40, None)],
                mediator_ids=[mediator],
            )
            entry = create_entry(team_obj, values)
            db.session.commit()
            return entry.id

    return _add


@pytest.fixture
def add_rate(app, world):
    def _add(effective_from, amount, province="p1", basis=None):
        with app.app_context():
            rate = create_pay_rate(
                db.session.get(Unit, getattr(world, province)),
                effective_from=effective_from,
                amount=amount,
                basis=basis,
            )
            db.session.commit()
            return rate.id

    return _add


def entry_state(app, entry_id) -> tuple:
    with app.app_context():
        entry = db.session.get(LogbookEntry, entry_id)
        return entry.payment_id, entry.paid_amount


def payments_of(app, team_id) -> list[RemunerationPayment]:
    with app.app_context():
        rows = db.session.scalars(
            select(RemunerationPayment).where(RemunerationPayment.team_id == team_id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def case_amounts(html: str) -> list[str]:
    """The remuneration of each case listed on a team's page, in order."""
    cells = re.findall(r'<td data-label="Thù lao" class="num">(.*?)</td>', html, re.S)
    return [text_of(cell).strip() for cell in cells]


def pay(client, world, entries, paid_on=None, team="team1", **extra):
    data = {"entry": [str(e) for e in entries], "paid_on": paid_on or f"{today():%d/%m/%Y}"}
    data.update(extra)
    return client.post(f"/logbook/teams/{getattr(world, team)}/remuneration/pay", data=data)


# The rate in force on the day a case ended


def test_each_case_is_paid_at_the_rate_in_force_on_its_end(
    app, world, login_as, add_case, add_rate
):
    add_rate(date(2025, 3, 1), 250_000, basis="Nghị quyết số 12/2025/NQ-HĐND")
    before = add_case(date(2025, 2, 28))
    on_change = add_case(date(2025, 3, 1))
    client = login_as("commune_staff")
    html = body(client.get(f"/logbook/teams/{world.team1}/remuneration"))
    # entry1 ended 10/03/2025, after the change; `before` the day before it.
    assert "Tổng cộng 700.000 đ" in text_of(html)
    assert case_amounts(html) == ["200.000 đ", "250.000 đ", "250.000 đ"]

    response = pay(client, world, [before, on_change, world.entry1], voucher="PC-12")
    assert response.status_code == 303
    assert entry_state(app, before)[1] == 200_000
    assert entry_state(app, on_change)[1] == 250_000
    assert entry_state(app, world.entry1)[1] == 250_000
    payment = next(p for p in payments_of(app, world.team1) if p.voucher == "PC-12")
    assert (payment.case_count, payment.total_amount) == (3, 700_000)
    detail = client.get(response.headers["Location"])
    assert detail.status_code == 200
    assert "Đã ghi nhận chi trả thù lao 3 vụ việc, tổng 700.000 đồng." in body(detail)
    assert "Tổng cộng 700.000 đ" in text_of(body(detail))


def test_a_case_without_a_rate_is_shown_and_cannot_be_paid(app, world, login_as, add_case):
    old = add_case(date(2023, 6, 1))  # the province's first rate starts on 01/01/2024
    client = login_as("officer")
    page = text_of(body(client.get(f"/logbook/teams/{world.team1}/remuneration")))
    assert "Chưa có mức thù lao" in page
    assert "chưa tính 1 vụ việc chưa có mức thù lao" in page
    before = fingerprint(app)
    response = pay(client, world, [old, world.entry1])
    assert response.status_code == 422
    assert "Chưa có mức thù lao áp dụng cho ngày 01/06/2023" in body(response)
    assert fingerprint(app) == before


def test_paid_on_must_follow_the_end_of_every_case_and_not_be_in_the_future(app, world, login_as):
    client = login_as("commune_staff")
    before = fingerprint(app)
    early = pay(client, world, [world.entry1], paid_on="09/03/2025")
    assert early.status_code == 422
    assert "kết thúc sau ngày chi trả" in body(early)
    tomorrow = today() + timedelta(days=1)
    late = pay(client, world, [world.entry1], paid_on=f"{tomorrow:%d/%m/%Y}")
    assert late.status_code == 422
    assert "Ngày chi trả không thể sau hôm nay" in body(late)
    bad = pay(client, world, [world.entry1], paid_on="31/02/2025")
    assert bad.status_code == 422
    assert "Ngày không hợp lệ" in body(bad)
    nothing = pay(client, world, [])
    assert nothing.status_code == 422
    assert "Chọn ít nhất một vụ việc" in body(nothing)
    assert fingerprint(app) == before


def test_only_the_teams_ended_unpaid_cases_can_be_paid(app, world, login_as, add_case):
    open_case = add_case(None, result="in_progress")
    client = login_as("officer")  # the officer's district holds team1 and team2
    before = fingerprint(app)
    for wrong in (world.paid_entry1, open_case, world.entry2, "abc"):
        response = pay(client, world, [world.entry1, wrong])
        assert response.status_code == 422, wrong
        page = body(response)
        assert "Chọn các vụ việc" in page
        # The page shows the form again with the posted choice.
        assert f'value="{world.entry1}" checked' in page
    assert fingerprint(app) == before


def test_extra_fields_in_a_payment_change_nothing_else(app, world, login_as):
    client = login_as("commune_staff")
    response = pay(
        client, world, [world.entry1], team_id=str(world.team3), total_amount="1", case_count="9"
    )
    assert response.status_code == 303
    payment = max(payments_of(app, world.team1), key=lambda p: p.id)
    assert (payment.team_id, payment.case_count, payment.total_amount) == (
        world.team1,
        1,
        200_000,
    )
    assert payments_of(app, world.team3)[0].case_count == 1


def test_cancelling_a_payment_makes_its_cases_unpaid_again(app, world, login_as):
    client = login_as("commune_staff")
    url = f"/logbook/payments/{world.payment1}/cancel"
    before = fingerprint(app)
    unconfirmed = client.post(url, data={})
    assert unconfirmed.status_code == 422
    assert "Đánh dấu ô xác nhận" in body(unconfirmed)
    assert fingerprint(app) == before

    response = client.post(url, data={"confirm": "y"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/logbook/teams/{world.team1}/remuneration")
    assert entry_state(app, world.paid_entry1) == (None, None)
    assert payments_of(app, world.team1) == []
    page = text_of(body(client.get(response.headers["Location"])))
    assert "Đã hủy đợt chi trả ngày 30/06/2025" in page
    assert "Vụ việc chưa chi thù lao (2)" in page
    assert client.get(f"/logbook/payments/{world.payment1}").status_code == 404


def test_readers_see_payments_but_only_keepers_record_or_cancel(world, login_as):
    for role in ("viewer", "admin"):
        client = login_as(role)
        team = body(client.get(f"/logbook/teams/{world.team1}/remuneration"))
        assert "Ghi nhận đã chi trả" not in team and "In giấy đề nghị thanh toán" in team
        assert 'method="get"' in team
        detail = body(client.get(f"/logbook/payments/{world.payment1}"))
        assert "PC-01" in detail and "Hủy đợt chi trả</button>" not in detail
        assert pay(client, world, [world.entry1]).status_code == 403
    keeper = body(login_as("commune_staff").get(f"/logbook/payments/{world.payment1}"))
    assert "Hủy đợt chi trả</button>" in keeper


def test_the_print_button_of_the_payment_form_opens_the_request(world, login_as):
    client = login_as("commune_staff")
    response = pay(client, world, [world.entry1], action="request")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/logbook/teams/{world.team1}/remuneration/request?entry={world.entry1}"
    )


# Pay rates


def rate_form(effective_from="01/07/2025", amount="250.000", **extra):
    return {"effective_from": effective_from, "amount": amount, "basis": "NQ 9/2025", **extra}


def rates_of(app, province_id) -> dict[date, int]:
    with app.app_context():
        rows = db.session.scalars(select(PayRate).where(PayRate.province_id == province_id))
        return {r.effective_from: r.amount for r in rows}


def test_pay_rates_page_highlights_the_rate_in_force(world, login_as, add_rate):
    add_rate(date(2025, 3, 1), 250_000, basis="Nghị quyết số 12/2025/NQ-HĐND")
    add_rate(today() + timedelta(days=30), 300_000)
    page = body(login_as("viewer").get("/logbook/pay-rates/"))
    assert re.search(r'class="pay-in-force".*?01/03/2025.*?Đang áp dụng', page, re.S)
    assert "Sắp áp dụng" in page and "Đã thay thế" in page
    assert "Nghị quyết số 12/2025/NQ-HĐND" in page
    assert "Thêm mức mới" not in page and "/edit" not in page
    assert "MARKER-P2" not in page


def test_amount_formats_and_validation(app, world, login_as):
    client = login_as("admin")
    url = f"/logbook/pay-rates/new?province={world.p1}"
    for day, typed in (
        ("01/07/2025", "200.000"),
        ("01/08/2025", "210 000"),
        ("01/09/2025", "220000"),
    ):
        assert client.post(url, data=rate_form(day, typed)).status_code == 303, typed
    rates = rates_of(app, world.p1)
    assert rates[date(2025, 7, 1)] == 200_000 and rates[date(2025, 9, 1)] == 220_000
    assert rates[date(2025, 8, 1)] == 210_000

    before = fingerprint(app)
    for typed, message in (
        ("0", "Mức thù lao phải lớn hơn 0"),
        ("-5", "Nhập số tiền bằng chữ số"),
        ("200,000", "Nhập số tiền bằng chữ số"),
        ("", "Nhập số tiền bằng chữ số"),
    ):
        response = client.post(url, data=rate_form("01/10/2025", typed))
        assert response.status_code == 422, typed
        assert message in body(response), typed
    duplicate = client.post(url, data=rate_form("01/07/2025", "230.000"))
    assert duplicate.status_code == 422
    assert "Tỉnh đã có một mức thù lao áp dụng từ ngày này" in body(duplicate)
    assert fingerprint(app) == before


def test_edit_shows_the_amount_with_separators_and_refuses_a_stale_save(app, world, login_as):
    client = login_as("admin")
    url = f"/logbook/pay-rates/{world.pay_rate1}/edit"
    form = body(client.get(url))
    assert 'value="200.000"' in form and 'value="01/01/2024"' in form
    fresh = client.post(url, data=rate_form("01/01/2024", "205.000", version="1"))
    assert fresh.status_code == 303
    stale = client.post(url, data=rate_form("01/01/2024", "999.000", version="1"))
    assert stale.status_code == 409
    assert "vừa được người khác sửa" in body(stale)
    assert rates_of(app, world.p1)[date(2024, 1, 1)] == 205_000


def test_who_manages_pay_rates(app, world, login_as):
    district_officer = login_as("officer")
    page = body(district_officer.get("/logbook/pay-rates/"))
    assert "Tỉnh Alpha" in page and "Thêm mức mới" not in page
    assert district_officer.get("/logbook/pay-rates/new").status_code == 403
    url_p1 = f"/logbook/pay-rates/new?province={world.p1}"
    assert district_officer.post(url_p1, data=rate_form()).status_code == 403

    province_officer = login_as("officer_p2")
    page = body(province_officer.get("/logbook/pay-rates/"))
    assert "Tỉnh Omega" in page and "Thêm mức mới" in page
    assert province_officer.post("/logbook/pay-rates/new", data=rate_form()).status_code == 303
    assert province_officer.get(url_p1).status_code == 404
    assert province_officer.get(f"/logbook/pay-rates/{world.pay_rate1}/edit").status_code == 404
    assert date(2025, 7, 1) in rates_of(app, world.p2)

    admin = login_as("admin")
    page = body(admin.get(f"/logbook/pay-rates/?province={world.p2}"))
    assert "Tỉnh Omega" in page and "Thêm mức mới" in page
    assert f'<option value="{world.p2}" selected>' in page
    assert admin.get(f"/logbook/pay-rates/?province={world.c1}").status_code == 404
    assert admin.get("/logbook/pay-rates/?province=x").status_code == 404


# The list of teams waiting to be paid


def stats(html: str) -> list[str]:
    return re.findall(r'<span class="stat-value">([^<]*)</span>', html)


def unpaid_rows(html: str) -> list[str]:
    tbody = re.search(r'<tbody id="unpaid-rows">(.*?)</tbody>', html, re.S)
    return re.findall(r"<tr>.*?</tr>", tbody.group(1), re.S) if tbody else []


def test_remuneration_list_numbers(world, login_as, add_case):
    officer = body(login_as("officer").get("/logbook/remuneration/"))
    # team1: entry1 (200.000); team2: entry2 and paid_entry2 (unpaid in the world).
    assert stats(officer) == ["2", "3", "600.000"]
    rows = unpaid_rows(officer)
    assert len(rows) == 2
    assert "Bản Zeta" in rows[0] and "03/02/2025" in rows[0] and "400.000 đ" in rows[0]
    assert "Bản Delta" in rows[1] and "10/03/2025" in rows[1] and "200.000 đ" in rows[1]
    assert "MARKER-C3" not in officer
    staff = body(login_as("commune_staff").get("/logbook/remuneration/"))
    assert stats(staff) == ["1", "1", "200.000"]
    narrowed = body(login_as("officer").get(f"/logbook/remuneration/?unit={world.c2}"))
    assert stats(narrowed) == ["1", "2", "400.000"]
    add_case(date(2023, 5, 5), team="team2")  # no rate yet on that day
    officer = body(login_as("officer").get("/logbook/remuneration/"))
    assert stats(officer) == ["2", "4", "600.000"]
    assert "1 vụ việc kết thúc vào ngày chưa có mức thù lao" in officer
    assert "1 vụ việc chưa có mức" in officer


def test_remuneration_list_pages_with_a_keyset(world, login_as, monkeypatch):
    monkeypatch.setattr(routes, "PAGE_SIZE", 1)
    client = login_as("admin")
    first = body(client.get("/logbook/remuneration/"))
    more = re.search(r'href="([^"]*after=[^"]*)"', first)
    assert more and [("Bản Zeta" in r, "Bản Delta" in r) for r in unpaid_rows(first)] == [
        (True, False)
    ]
    url = more.group(1).replace("&amp;", "&")
    rows = client.get(url, htmx="unpaid-rows-more")
    assert "<html" not in body(rows) and "Bản Delta" in body(rows)
    assert "stat-value" not in body(rows)
    page = body(client.get(url))
    assert "<html" in page and ["Bản Delta" in r for r in unpaid_rows(page)] == [True]
    third = re.search(r'href="([^"]*after=[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "Thôn Tau" in body(client.get(third))
    assert "Tổ hòa giải" in body(client.get("/logbook/remuneration/?after=garbage"))


def test_remuneration_filter_answers_htmx_with_the_results(world, login_as):
    response = login_as("officer").get(
        f"/logbook/remuneration/?unit={world.c1}", htmx="remuneration-results"
    )
    html = body(response)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<html" not in html and "stat-value" in html and "Các đợt chi trả gần đây" in html
    assert len(response.get_data()) < 15_000


def test_pages_run_a_fixed_number_of_queries(app, world, login_as, add_case, add_rate):
    client = login_as("officer")
    urls = [
        "/logbook/remuneration/",
        f"/logbook/teams/{world.team1}/remuneration",
        f"/logbook/teams/{world.team1}/remuneration/request",
        f"/logbook/payments/{world.payment1}",
    ]
    few = [count_queries(app, client, url) for url in urls]
    add_rate(date(2025, 3, 1), 250_000)
    for n in range(4):
        add_case(date(2025, 1, 10 + n), team="team1" if n % 2 else "team2")
    client.post(
        f"/logbook/teams/{world.team2}/remuneration/pay",
        data={"entry": [str(world.entry2)], "paid_on": "01/04/2025"},
    )
    assert [count_queries(app, client, url) for url in urls] == few


# The payment request


def test_payment_request_names_the_leader_and_writes_the_total_in_words(
    app, world, login_as, add_case
):
    second = add_case(date(2025, 4, 2))
    with app.app_context():
        make_leader(
            db.session.get(Mediator, world.mediator1),
            {"decision_number": "2/QĐ-UBND", "decision_date": date(2024, 4, 1)},
        )
        db.session.commit()
    client = login_as("commune_staff")
    url = f"/logbook/teams/{world.team1}/remuneration/request"
    html = body(client.get(url))
    assert re.findall(r'<td class="center">(\d+/\d{4})</td>', html) == ["1/2025", "3/2025"]
    page = text_of(html)
    assert "GIẤY ĐỀ NGHỊ THANH TOÁN THÙ LAO CHO HÒA GIẢI VIÊN" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Kính gửi: Ủy ban nhân dân xã Gamma MARKER-C1" in page
    assert "Tên tôi là: Giàng Thị Mai MARKER-C1" in page
    assert "Tổng số tiền đề nghị thanh toán: 400.000 đồng" in page
    assert "Bằng chữ: Bốn trăm nghìn đồng" in page
    assert "Nghị quyết 05/NQ-HĐND MARKER-P1" in page
    assert "TỔ TRƯỞNG TỔ HÒA GIẢI" in page and "XÁC NHẬN CỦA UBND XÃ" in page
    assert f"ngày {today().day:02d} tháng" in page

    # The chosen cases only; ids of other teams' or paid cases are ignored.
    html = body(client.get(f"{url}?entry={second}&entry={world.paid_entry1}&entry={world.entry3}"))
    assert re.findall(r'<td class="center">(\d+/\d{4})</td>', html) == ["3/2025"]
    chosen = text_of(html)
    assert "Tổng số tiền đề nghị thanh toán: 200.000 đồng" in chosen
    assert "Bằng chữ: Hai trăm nghìn đồng" in chosen
    assert "đối với 1 vụ việc" in chosen


def test_payment_request_without_a_leader_leaves_a_line_to_fill_in(world, login_as):
    page = body(login_as("officer").get(f"/logbook/teams/{world.team1}/remuneration/request"))
    assert 'Tên tôi là: <span class="pay-dots">' in page


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != "judge"])
def test_no_party_data_on_any_remuneration_page(world, login_as, role):
    client = login_as(role)
    urls = [
        "/logbook/remuneration/",
        f"/logbook/teams/{world.team1}/remuneration",
        f"/logbook/teams/{world.team1}/remuneration/request",
        f"/logbook/teams/{world.team2}/remuneration/request",
        f"/logbook/payments/{world.payment1}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = body(response)
        for marker in PARTY_MARKERS:
            assert marker not in html, f"{role} sees {marker} on {url}"
        for marker in FOREIGN_MARKERS[role]:
            assert marker not in html, f"{role} sees {marker} on {url}"


def test_judges_see_nothing_of_remuneration(world, login_as):
    client = login_as("judge")
    for url in (
        "/logbook/remuneration/",
        "/logbook/pay-rates/",
        f"/logbook/teams/{world.team1}/remuneration",
        f"/logbook/payments/{world.payment1}",
    ):
        assert client.get(url).status_code == 403, url


def test_a_long_backlog_is_shown_the_longest_waiting_first(world, login_as, add_case, monkeypatch):
    monkeypatch.setattr(payments, "MAX_UNPAID", 2)
    oldest = add_case(date(2025, 1, 2))
    add_case(date(2025, 4, 20))
    client = login_as("commune_staff")
    html = body(client.get(f"/logbook/teams/{world.team1}/remuneration"))
    assert re.findall(r'name="entry" value="(\d+)"', html) == [str(oldest), str(world.entry1)]
    assert "Trang này hiện 2 vụ việc chờ lâu nhất" in html
    request = text_of(body(client.get(f"/logbook/teams/{world.team1}/remuneration/request")))
    assert "giấy này gồm 2 vụ việc kết thúc sớm nhất" in request
    monkeypatch.setattr(payments, "MAX_UNPAID", 3)
    html = body(client.get(f"/logbook/teams/{world.team1}/remuneration"))
    assert "vụ việc chờ lâu nhất" not in html


def test_payment_and_rate_forms_survive_fuzzing(app, world, login_as):
    """QUALITY.md R7: no 500, and a refused post saves nothing."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.test_fuzz import FUZZ, TEXT

    keeper, admin = login_as("commune_staff"), login_as("admin")
    pay_fields = ["paid_on", "voucher", "note", "entry", "action"]
    rate_fields = ["effective_from", "amount", "basis", "note", "version"]

    @FUZZ
    @given(
        st.fixed_dictionaries({}, optional={f: TEXT for f in pay_fields}),
        st.fixed_dictionaries({}, optional={f: TEXT for f in rate_fields}),
    )
    def run(pay_data, rate_data):
        before = fingerprint(app)
        response = keeper.post(f"/logbook/teams/{world.team1}/remuneration/pay", data=pay_data)
        # A NUL byte is refused (400) before any route; see app/security.
        assert response.status_code in (303, 400, 422), pay_data
        if response.status_code != 303:
            assert fingerprint(app) == before
        for url in (
            f"/logbook/pay-rates/new?province={world.p2}",
            f"/logbook/pay-rates/{world.pay_rate3}/edit",
        ):
            response = admin.post(url, data=rate_data)
            assert response.status_code < 500, (url, rate_data)
        cancel = keeper.post(f"/logbook/payments/{world.payment1}/cancel", data=rate_data)
        assert cancel.status_code in (400, 422)

    run()
