"""Commendations in a real browser (issue 6): from a published contest, propose the winners in
one step, accept them from the review list, record the decision (a bad amount first), print it
and one certificate, and find the award on the mediator's page."""

import re
from datetime import date

import pytest

from app.clock import today
from app.contests.services import results
from app.extensions import db
from app.registry.models import Team
from app.registry.services.mediators import create_mediator
from tests.browser.helpers import expect
from tests.contests.factories import make_round, score_round

pytestmark = pytest.mark.browser

NUMBER = "123/QĐ-UBND"
WINNERS = ("Giàng Thị Mai MARKER-C1", "Sùng A Dính", "Lò Thị Hoa")


@pytest.fixture
def contest(app, world):
    """A district contest of D1 (individual entries from C1) whose only round is published:
    Giàng Thị Mai (mediator1) first, then two other mediators of team1."""
    from app.contests import models as m

    with app.app_context():
        team = db.session.get(Team, world.team1)
        others = [
            create_mediator(
                team=team,
                values={"full_name": name, "sex": sex, "birth_year": 1979, "ethnicity_code": "17"},
                decision={"decision_number": "02/QĐ-UBND", "decision_date": date(2024, 3, 1)},
            ).id
            for name, sex in (("Sùng A Dính", "M"), ("Lò Thị Hoa", "F"))
        ]
        setup = make_round(
            entries=3, judges=3, organiser_id=world.d1, entry_unit_ids=[world.v1] * 3
        )
        for entry_id, mediator_id in zip(setup.entry_ids, [world.mediator1, *others], strict=True):
            db.session.add(
                m.ContestEntryMember(
                    entry_id=entry_id,
                    position=1,
                    role="captain",
                    mediator_id=mediator_id,
                    full_name=db.session.get(m.ContestEntry, entry_id).name,
                )
            )
        score_round(
            setup,
            lambda j, e, part: (
                {"Nội dung": str(10 - e), "Diễn xuất": "6"} if setup.criteria[part] else str(9 - e)
            ),
        )
        results.publish_round(setup.round, user=None, reason=None)
        db.session.commit()
        return setup.contest_id


def test_contest_winners_are_proposed_accepted_decided_printed_and_shown(
    page, login, world, contest
):
    login(page, "canbo")

    # One step from the contest's published results.
    page.goto(f"/contests/{contest}/proposals")
    expect(page.get_by_label("Hình thức khen thưởng")).to_have_value("giay_khen_huyen")
    page.get_by_role("button", name="Đề nghị khen thưởng (3)").click()
    expect(page.locator(".flash")).to_contain_text("3")
    expect(page.locator("table tbody tr")).to_have_count(3)

    # The district office accepts them from its review list, at once.
    page.goto("/commendations/proposals?mine=1")
    for name in WINNERS:
        row = page.locator("#proposal-rows tr", has_text=name).filter(has_text="Giải")
        row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Chấp thuận").click()
    expect(page).to_have_url(re.compile(r"/commendations/proposals\?.*mine=1"))
    expect(page.locator(".flash")).to_contain_text("3")
    page.goto("/commendations/proposals?status=accepted")
    for name in WINNERS:
        accepted = page.locator("#proposal-rows tr", has_text=name)
        expect(accepted.filter(has_text="Đã chấp thuận")).to_have_count(1)

    # The decision: a negative amount is refused next to its field, nothing is recorded.
    page.goto("/commendations/decisions/new?form=giay_khen_huyen")
    candidates = page.locator("#decision-candidates")
    for name in WINNERS:
        expect(candidates.get_by_role("checkbox", name=re.compile(name))).to_be_checked()
    # The world's accepted team proposal is not part of this decision.
    candidates.get_by_role("checkbox", name=re.compile("^Tổ hòa giải Bản Delta")).uncheck()
    page.get_by_label("Số quyết định").fill(NUMBER)
    page.get_by_label("Ngày ký").fill(today().strftime("%d/%m/%Y"))
    page.get_by_label("Họ tên người ký").fill("Lò Văn Thanh")
    page.get_by_label(re.compile("Tiền thưởng")).fill("-5")
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.locator("#amount_vnd-error")).to_be_visible()
    expect(page.locator("#number")).to_have_value(NUMBER)  # what was typed stays
    page.get_by_label(re.compile("Tiền thưởng")).fill("500000")
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page).to_have_url(re.compile(r"/commendations/decisions/\d+$"))
    expect(page.locator("main")).to_contain_text(NUMBER)
    expect(page.locator("main")).to_contain_text(f"001/{today().year}")
    expect(page.locator("main")).to_contain_text("500.000")

    # Print the decision (Decree 30 layout, the annex of recipients).
    page.get_by_role("link", name="In quyết định").click()
    document = page.locator("main")
    expect(document).to_contain_text(f"Số: {NUMBER}")
    expect(document).to_contain_text("QUYẾT ĐỊNH")
    expect(document).to_contain_text("Giàng Thị Mai MARKER-C1")
    expect(document).to_contain_text("Lò Thị Hoa")
    assert page.evaluate("document.querySelectorAll('article.doc').length") >= 2

    # The award on the mediator's page, and her certificate from there.
    page.goto(f"/registry/mediators/{world.mediator1}")
    awards = page.locator("section", has=page.get_by_role("heading", name="Khen thưởng"))
    expect(awards).to_contain_text(NUMBER)
    expect(awards).to_contain_text("Giấy khen")
    awards.get_by_role("link", name=re.compile("In giấy khen")).click()
    certificate = page.locator("article.doc")
    expect(certificate).to_have_count(1)
    expect(certificate).to_contain_text("GIẤY KHEN")
    expect(certificate).to_contain_text("Giàng Thị Mai MARKER-C1")
    expect(certificate).to_contain_text(re.compile(r"Số vào sổ: 00\d/" + str(today().year)))
    # The refused save answered 422 (the browser logs it); nothing else went wrong.
    assert [e for e in page.errors if "status of 422" not in e] == []
