"""Pilot communes in a real browser (issue 7): the commune's staff fill in the checklist (a
bad value refused next to its field, then saved by itself), attach evidence, see a computed
item follow the registry, submit; the district officer returns one item, the staff fix it and
send it again, the officer signs off; the signed values no longer follow the registry."""

import re
from datetime import date

import pytest

from app.extensions import db
from app.pilots.models import Checklist
from app.registry.models import Mediator, Team
from app.registry.services.mediators import create_mediator, dismiss_mediator, make_leader
from tests.browser.helpers import expect
from tests.pilots.factories import items_of

pytestmark = pytest.mark.browser

DECISION = {"decision_number": "07/QĐ-UBND", "decision_date": date(2024, 6, 3)}


@pytest.fixture
def checklist(app, world):
    """C1's pilot (checklist1) with its two last check items done: what is left to the staff
    is the date, the number and the evidence of the closing report."""
    with app.app_context():
        c = db.session.get(Checklist, world.checklist1)
        for item in items_of(c, "check", computed=False)[1:]:
            item.value_bool, item.progress = True, "done"
        db.session.commit()
        order = [i.id for i in items_of(c)]
    return world.checklist1, order


def item(page, item_id):
    return page.locator(f"#item-{item_id}")


def open_item(page, item_id, label="Cập nhật"):
    item(page, item_id).get_by_role("link", name=label).click()
    expect(item(page, item_id).get_by_role("button", name="Lưu và đóng")).to_be_visible()


def make_team_compliant(app, world):
    """Two more mediators for team1 (C1), one of them recognised as its leader."""
    with app.app_context():
        team = db.session.get(Team, world.team1)
        for name in ("Sùng A Chư", "Lò Văn Thanh"):
            leader = create_mediator(
                team=team,
                values={"full_name": name, "sex": "M", "birth_year": 1975, "ethnicity_code": "08"},
                decision=DECISION,
            )
        make_leader(leader, DECISION)
        db.session.commit()


def test_staff_fill_in_the_officer_returns_and_signs_off_and_the_snapshot_holds(
    app, page, new_page, login, world, checklist
):
    checklist_id, order = checklist
    compliant, date_item, number_item, text_item, report = (
        order[1],
        order[4],
        order[7],
        order[9],
        order[11],
    )
    url = f"/pilots/checklists/{checklist_id}"
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "congchuc")
    page.goto(url)
    expect(item(page, compliant)).to_contain_text("0%")
    expect(item(page, compliant)).to_contain_text("0/1 tổ")

    # A number: a negative one is refused next to the field, then a good one saves itself.
    open_item(page, number_item)
    value = item(page, number_item).get_by_label("Kết quả")
    value.fill("-2")
    error = page.locator(f"#item-{number_item}-value-error")
    expect(error).to_contain_text("Không được là số âm.")
    value.fill("2")
    expect(error).to_have_text("")
    expect(page.locator(f"#item-{number_item}-status")).to_contain_text("Đã lưu")
    item(page, number_item).get_by_label("Tiến độ").select_option("done")
    item(page, number_item).get_by_role("button", name="Lưu và đóng").click()
    expect(item(page, number_item).locator(".pilot-item-result")).to_contain_text("2")

    # A date outside the pilot's period is refused; one inside is kept.
    open_item(page, date_item)
    day = item(page, date_item).get_by_label("Ngày thực hiện")
    day.fill("01/01/2030")
    expect(page.locator(f"#item-{date_item}-value-error")).to_contain_text(
        "Ngày phải trong thời gian thực hiện"
    )
    day.fill("15/03/2024")
    item(page, date_item).get_by_label("Tiến độ").select_option("done")
    item(page, date_item).get_by_role("button", name="Lưu và đóng").click()
    expect(item(page, date_item).locator(".pilot-item-result")).to_contain_text("15/03/2024")

    # Evidence for the closing report.
    open_item(page, report)
    item(page, report).get_by_label("Tải tệp lên").set_input_files(
        files=[
            {
                "name": "bao-cao-so-ket.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n%%EOF\n",
            }
        ]
    )
    item(page, report).get_by_role("button", name="Tải lên").click()
    expect(item(page, report).get_by_role("link", name="bao-cao-so-ket.pdf")).to_be_visible()

    # The registry changes: the computed item follows.
    make_team_compliant(app, world)
    page.goto(url)
    expect(item(page, compliant)).to_contain_text("100%")
    expect(item(page, compliant)).to_contain_text("1/1 tổ")

    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator("h1")).to_contain_text("Chờ duyệt")

    # The district officer returns one item with its reason.
    officer = new_page()
    officer.on("dialog", lambda dialog: dialog.accept())
    login(officer, "canbo")
    officer.goto(url)
    item(officer, text_item).get_by_text("Trả lại mục này").click()
    item(officer, text_item).get_by_label("Lý do trả lại").fill("Ghi rõ số tiền đã huy động.")
    item(officer, text_item).get_by_role("button", name="Trả lại cho xã").click()
    expect(item(officer, text_item)).to_contain_text("Ghi rõ số tiền đã huy động.")

    # The staff fix it and send it again.
    page.goto(url)
    expect(item(page, text_item)).to_contain_text("Ghi rõ số tiền đã huy động.")
    open_item(page, text_item, "Bổ sung")
    item(page, text_item).get_by_label("Nội dung thực hiện").fill(
        "Huy động 20.000.000 đồng từ ngân sách xã và các doanh nghiệp."
    )
    item(page, text_item).get_by_label("Tiến độ").select_option("done")
    item(page, text_item).get_by_role("button", name="Lưu và đóng").click()
    expect(item(page, text_item)).to_contain_text("20.000.000 đồng")
    page.get_by_role("button", name="Gửi duyệt").click()
    expect(page.locator("h1")).to_contain_text("Chờ duyệt")

    # The officer signs off: the values are frozen with the date.
    officer.goto(url)
    officer.get_by_role("button", name="Ký duyệt bảng kiểm").click()
    expect(officer.locator("h1")).to_contain_text("Đã ký duyệt")
    expect(item(officer, compliant)).to_contain_text("100%")

    # The registry changes again; the signed snapshot does not.
    with app.app_context():
        leader = db.session.scalar(
            db.select(Mediator).where(Mediator.team_id == world.team1, Mediator.role == "leader")
        )
        dismiss_mediator(
            leader, "own_wish", {"decision_number": "09/QĐ-UBND", "decision_date": date.today()}
        )
        db.session.commit()
    officer.goto(url)
    expect(item(officer, compliant)).to_contain_text("100%")
    expect(officer.locator("main")).to_contain_text(re.compile(r"[Ss]ố liệu chốt"))
    officer.goto(f"{url}/print")
    expect(officer.locator("main, body").first).to_contain_text("100%")
    # The refused saves answered 422 (the browser logs them); nothing else went wrong.
    assert [e for e in page.errors + officer.errors if "status of 422" not in e] == []
