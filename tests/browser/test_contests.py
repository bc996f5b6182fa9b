"""The contest in the browser (issue 5, "Done when"): three judges on three tablets score the
same entries at the same time, each sheet autosaving; the head judge reopens a sheet with a
slip and its judge corrects it; the secretary records a time over the limit; the board
publishes and the projector shows the ranking computed by hand here. Then the look of the
judges' and the secretary's pages: axe, no horizontal overflow at 768 and 360 px.

Screenshots of every step go to /tmp/contest-shots/ (outside the repository)."""

import re
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.clock import utcnow
from app.contests import models as m
from app.contests.services import results
from app.extensions import db
from app.units.models import Unit
from app.units.services import place
from tests.contests.factories import add_round, make_contest

from .helpers import PHONE, expect, horizontal_overflow
from .test_accessibility import assert_accessible

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
SHOTS = Path("/tmp/contest-shots")
SAVED = "Đã lưu nháp"

# The judges (the first is the head judge; the third declares no conflict in the browser).
JUDGES = (
    ("gk.lan", "Nguyễn Thị Lan"),
    ("gk.minh", "Phạm Văn Minh"),
    ("gk.hoa", "Lê Thị Hoa"),
)
ENTRIES = (
    "Hoàng Thị Thu (Xã Gamma)",
    "Vàng A Sình (Xã Epsilon)",
    "Lường Văn Pọm (Bản Zeta)",
)

# What each judge types, entry by entry in running order. Giới thiệu: one mark out of 10.
# Judge 2 types 5,5 for entry 1 by mistake (meant 8,5): the head judge reopens that sheet.
INTRO = (
    ("8", "9", "7,5"),
    ("5,5", "9,25", "7,75"),
    ("8,25", "9,25", "7,25"),
)
SLIP, CORRECTED = "5,5", "8,5"
# Tiểu phẩm: Nội dung (out of 6) and Diễn xuất (out of 4); the sheet's total after them.
SKIT = (
    (("5,75", "3,75", "9,5"), ("5", "3,5", "8,5"), ("5,75", "3,75", "9,5")),
    (("5,5", "3,5", "9"), ("5,25", "3,5", "8,75"), ("5,5", "3,5", "9")),
    (("5,5", "3,5", "9"), ("5,5", "3,25", "8,75"), ("5,5", "3,75", "9,25")),
)
# The secretary's stopwatch: entry 2 used 4:10 on Giới thiệu (limit 3:00, over by 70 s).
OVERTIME_ENTRY, OVERTIME_USED = 1, "4:10"

# The results BY HAND. 3 judges: each part is the mean of their marks, rounded half up to
# 2 places; the total is the sum of the rounded parts minus the penalties.
#   Giới thiệu  entry 1: (8 + 8,5 + 8,25) / 3 = 24,75 / 3 = 8,25          (after the correction)
#               entry 2: (9 + 9,25 + 9,25) / 3 = 27,5 / 3 = 9,1666… → 9,17
#               entry 3: (7,5 + 7,75 + 7,25) / 3 = 22,5 / 3 = 7,50
#   Tiểu phẩm   entry 1: (9,5 + 9 + 9) / 3 = 27,5 / 3 = 9,1666… → 9,17
#               entry 2: (8,5 + 8,75 + 8,75) / 3 = 26 / 3 = 8,6666… → 8,67
#               entry 3: (9,5 + 9 + 9,25) / 3 = 27,75 / 3 = 9,25
#   Penalty     entry 2: 4:10 = 250 s, 70 s over 180 s: ≥ 60 s → −0,50 (Cần Thơ: < 60 s −0,25)
#   Totals      entry 1: 8,25 + 9,17        = 17,42
#               entry 2: 9,17 + 8,67 − 0,50 = 17,34  (not 17,33: the parts are rounded first)
#               entry 3: 7,50 + 9,25        = 16,75
# Without the correction entry 1 would have (8 + 5,5 + 8,25) / 3 = 7,25 → 16,42, and without
# the penalty entry 2 would have 17,84: both change who wins.
EXPECTED = (
    # rank, entry index, Giới thiệu, Tiểu phẩm, penalty, total, prize
    (1, 0, "8,25", "9,17", "", "17,42", "Giải Nhất"),
    (2, 1, "9,17", "8,67", "0,50", "17,34", "Giải Nhì"),
    (3, 2, "7,50", "9,25", "", "16,75", "Giải Ba"),
)


@dataclass
class Setup:
    contest_id: int
    round_id: int
    intro_id: int
    skit_id: int
    entry_ids: list[int]


@pytest.fixture
def contest(app, world, make_user):
    """A district contest being judged: one round with 3 entries of communes below the
    district in running order, Giới thiệu (max 10, 3 minutes, tiered Cần Thơ penalty) and
    Tiểu phẩm (Nội dung 6 + Diễn xuất 4), step 0,25, 3 judges of the district (the first is
    the head; the third has not declared yet) and the prize table Nhất, Nhì, Ba."""
    user_ids = [make_user(username, "judge", world.d1, full_name=name) for username, name in JUDGES]
    with app.app_context():
        contest = make_contest(
            world.d1, name="Hội thi hòa giải viên giỏi huyện Beta năm 2026", step="0.25"
        )
        for position, name in enumerate(("Giải Nhất", "Giải Nhì", "Giải Ba"), 1):
            db.session.add(
                m.ContestPrize(contest_id=contest.id, position=position, name=name, count=1)
            )
        round_, (intro, skit), _ = add_round(
            contest,
            parts=(
                ("Giới thiệu", "intro", "10", "judges", ()),
                ("Tiểu phẩm", "skit", "10", "judges", (("Nội dung", "6"), ("Diễn xuất", "4"))),
            ),
        )
        intro.time_limit_seconds = 180
        intro.penalty_kind = "tiered"
        intro.penalty_tiers = "1:0.25;60:0.5"
        entry_ids = []
        for order, (name, unit_id) in enumerate(
            zip(ENTRIES, (world.c1, world.c2, world.v2), strict=True), 1
        ):
            entry = m.ContestEntry(contest_id=contest.id, name=name)
            place(entry, db.session.get(Unit, unit_id))
            db.session.add(entry)
            db.session.flush()
            db.session.add(
                m.ContestRoundEntry(round_id=round_.id, entry_id=entry.id, order_number=order)
            )
            entry_ids.append(entry.id)
        for position, ((_, name), user_id) in enumerate(zip(JUDGES, user_ids, strict=True), 1):
            seat = m.ContestJudge(
                round_id=round_.id,
                user_id=user_id,
                full_name=name,
                title="Thành viên Ban Giám khảo",
                unit_id=world.d1,
                is_head=position == 1,
                position=position,
                declared_at=utcnow() if position < 3 else None,
            )
            db.session.add(seat)
        round_.held_on = date(2026, 10, 15)
        setup = Setup(contest.id, round_.id, intro.id, skit.id, entry_ids)
        db.session.commit()
    return setup


def dotted(shown: str) -> str:
    """ "17,42" as the snapshot's JSON writes it ("17.42"); "" (no penalty) is "0.00"."""
    return shown.replace(",", ".") if shown else "0.00"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sheet_url(part_id, entry_id):
    return f"/contests/parts/{part_id}/entries/{entry_id}/sheet"


def is_autosave(response):
    return response.request.method == "POST" and response.url.endswith("/sheet")


def note_of(judge):
    """A note only judge ``judge`` writes: no other judge's page may ever show it."""
    return f"Tự tin, nói rõ ràng (GK{judge + 1}-RIENG)"


def open_scoring(page):
    page.locator("nav.mainnav").get_by_role("link", name="Chấm thi").click()
    expect(page.locator("h1")).to_have_text("Chấm thi")


def assert_sees_only_own_notes(page, judge):
    text = page.locator("main").inner_text()
    for other in range(len(JUDGES)):
        if other != judge:
            assert note_of(other) not in text, (judge, page.url)


def type_sheet(page, judge, step):
    """Type judge's marks and note for assignment ``step`` (3 Giới thiệu, then 3 Tiểu phẩm)."""
    entry = step % 3
    if step < 3:
        page.locator("#mark-part").fill(INTRO[judge][entry])
    else:
        content, acting, _ = SKIT[judge][entry]
        fields = page.locator(".mark-input")
        fields.nth(0).fill(content)
        fields.nth(1).fill(acting)
    page.get_by_label("Nhận xét của giám khảo (không bắt buộc)").fill(note_of(judge))


def sheet_total(judge, step) -> str:
    entry = step % 3
    return INTRO[judge][entry] if step < 3 else SKIT[judge][entry][2]


def submit_sheet(page, part_name, entry_name):
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp phiếu").click()
    expect(page.locator(".flash-success")).to_contain_text(
        f"Đã nộp phiếu chấm {part_name} của {entry_name}."
    )


def test_three_judges_score_at_once_and_the_projector_shows_the_ranking(
    app, world, contest, new_page, login
):
    c = contest
    names = dict(zip(c.entry_ids, ENTRIES, strict=True))
    steps = [(c.intro_id, e) for e in c.entry_ids] + [(c.skit_id, e) for e in c.entry_ids]
    judges = [new_page(TABLET) for _ in JUDGES]
    for index, page in enumerate(judges):
        page.on("dialog", lambda dialog: dialog.accept())
        login(page, JUDGES[index][0])
        open_scoring(page)
        assert page.locator("main").get_by_text("Hội thi hòa giải viên giỏi huyện Beta").count()
    shot(judges[0], "01-judge1-scoring-list")

    # Judges 1 and 2 declared beforehand: "Chấm tiếp" takes them to their first sheet.
    for page in judges[:2]:
        link = page.locator("a.scoring-next")
        expect(link).to_contain_text(f"Chấm tiếp: Giới thiệu — Số 1 · {ENTRIES[0]}")
        link.click()
    # Judge 3 declares no conflict of interest first, then lands on the first sheet.
    third = judges[2]
    expect(third.locator("a.scoring-next")).to_have_count(0)
    third.get_by_role("link", name="Cam đoan không có xung đột lợi ích").click()
    expect(third.locator("h1")).to_have_text("Cam đoan không có xung đột lợi ích")
    shot(third, "02-judge3-declaration")
    third.get_by_label("Tôi đã đọc và cam đoan như trên").check()
    third.get_by_role("button", name="Xác nhận cam đoan").click()
    expect(third.locator(".flash-success")).to_contain_text("Đã ghi nhận lời cam đoan")

    for step, (part_id, entry_id) in enumerate(steps):
        part_name = "Giới thiệu" if part_id == c.intro_id else "Tiểu phẩm"
        for judge, page in enumerate(judges):
            expect(page).to_have_url(re.compile(re.escape(sheet_url(part_id, entry_id)) + "$"))
            expect(page.locator("#sheet-title")).to_have_text(
                f"Số {step % 3 + 1} · {names[entry_id]}"
            )
            # A fresh sheet: nothing of the other judges' (who may have submitted already).
            for field in page.locator(".mark-input").all():
                expect(field).to_have_value("")
            expect(page.locator("#sheet-status")).to_contain_text("Chưa lưu")
            assert_sees_only_own_notes(page, judge)
            page.evaluate("window.__sheetPage = 1")
        # The three judges type one after the other; their autosaves go out together.
        with ExitStack() as stack:
            saves = [stack.enter_context(p.expect_response(is_autosave)) for p in judges]
            for judge, page in enumerate(judges):
                type_sheet(page, judge, step)
        # All three drafts were on their way together (sent within the autosave's pause).
        sent = [save.value.request.timing["startTime"] for save in saves]
        assert max(sent) - min(sent) < 800, sent
        for judge, (page, save) in enumerate(zip(judges, saves, strict=True)):
            assert save.value.status == 200, (judge, step, save.value.status)
            assert save.value.request.headers.get("hx-request") == "true"
            expect(page.locator("#sheet-status")).to_contain_text(SAVED)
            expect(page.locator("#sheet-total")).to_contain_text(
                f"Tổng điểm: {sheet_total(judge, step)} / 10"
            )
            expect(page.locator("#sheet-total")).not_to_contain_text("chưa nhập đủ")
            assert page.evaluate("window.__sheetPage") == 1, "the page was reloaded"
        if step in (0, 3):
            shot(judges[1], f"03-judge2-{part_name.replace(' ', '-')}-autosaved")
            width, culprits = horizontal_overflow(judges[1])
            assert width <= TABLET["width"], culprits
        for page in judges:
            submit_sheet(page, part_name, names[entry_id])

    for judge, page in enumerate(judges):
        expect(page).to_have_url(re.compile(r"/contests/scoring$"))
        expect(page.locator(".scoring-progress")).to_contain_text("Đã nộp 6 / 6 phiếu chấm.")
        if judge:
            assert_sees_only_own_notes(page, judge)
    shot(judges[2], "04-judge3-all-submitted")

    # The head judge sees the slip flagged and reopens judge 2's sheet with a reason.
    head, second = judges[0], judges[1]
    head.get_by_role("link", name="Bảng của Trưởng Ban Giám khảo").click()
    intro_table = head.locator("section.head-part").filter(
        has=head.get_by_role("heading", name="Giới thiệu")
    )
    cell = intro_table.locator("tbody tr").nth(0).locator("td").nth(1)
    expect(cell.locator(".head-total")).to_have_text(SLIP)
    expect(cell.get_by_role("link", name="Chênh lệch")).to_be_visible()
    shot(head, "05-head-board-outlier")
    cell.get_by_role("link", name="Mở lại").click()
    expect(head.locator("h1")).to_have_text("Mở lại phiếu chấm")
    reason = "Giám khảo Minh nhập nhầm 5,5 thay vì 8,5 (MỞ-LẠI-1)"
    head.get_by_label("Lý do mở lại phiếu chấm").fill(reason)
    shot(head, "06-head-reopen-form")
    head.get_by_role("button", name="Mở lại phiếu").click()
    expect(head.locator(".flash-success")).to_contain_text("Đã mở lại phiếu chấm")
    reopened = head.locator("section", has=head.get_by_role("heading", name="Phiếu đã mở lại"))
    expect(reopened.locator("tbody tr")).to_have_count(1)
    expect(reopened).to_contain_text("MỞ-LẠI-1")
    expect(reopened).to_contain_text("đang chấm lại")

    # Judge 2 finds the sheet back as a draft with their own marks, corrects and resubmits.
    open_scoring(second)
    expect(second.locator(".scoring-progress")).to_contain_text("Đã nộp 5 / 6 phiếu chấm.")
    second.locator("a.scoring-next").click()
    expect(second).to_have_url(re.compile(re.escape(sheet_url(c.intro_id, c.entry_ids[0])) + "$"))
    field = second.locator("#mark-part")
    expect(field).to_have_value(SLIP)
    second.evaluate("window.__sheetPage = 2")
    with second.expect_response(is_autosave) as save:
        field.fill(CORRECTED)
    assert save.value.status == 200 and save.value.request.headers.get("hx-request") == "true"
    expect(second.locator("#sheet-status")).to_contain_text(SAVED)
    expect(second.locator("#sheet-total")).to_contain_text(f"Tổng điểm: {CORRECTED} / 10")
    assert second.evaluate("window.__sheetPage") == 2
    assert_sees_only_own_notes(second, 1)
    shot(second, "07-judge2-corrected")
    submit_sheet(second, "Giới thiệu", ENTRIES[0])
    expect(second).to_have_url(re.compile(r"/contests/scoring$"))

    head.reload()
    expect(cell.locator(".head-total")).to_have_text(CORRECTED)
    expect(cell.get_by_role("link", name="Chênh lệch")).to_have_count(0)
    row = reopened.locator("tbody tr").nth(0)
    expect(row).to_contain_text(SLIP)
    expect(row).to_contain_text(CORRECTED)
    expect(row).not_to_contain_text("đang chấm lại")
    shot(head, "08-head-board-after")

    # The secretary (the officer of the organising district) records the stopwatch.
    officer = new_page()
    officer.on("dialog", lambda dialog: dialog.accept())
    login(officer, world.usernames["officer"])
    officer.goto(f"/contests/rounds/{c.round_id}/penalties")
    timing = officer.locator("section", has=officer.get_by_role("heading", name="Ghi thời gian"))
    timing.get_by_label("Đội/thí sinh").select_option(str(c.entry_ids[OVERTIME_ENTRY]))
    timing.get_by_label("Phần thi").select_option(str(c.intro_id))
    timing.get_by_label("Thời gian sử dụng").fill(OVERTIME_USED)
    officer.evaluate("window.__penalties = 1")
    with officer.expect_response(re.compile(r"/penalties$")) as recorded:
        timing.get_by_role("button", name="Ghi thời gian").click()
    assert recorded.value.status == 200
    assert recorded.value.request.headers.get("hx-request") == "true"
    expect(officer.locator("#penalties .flash-success")).to_have_text(
        f"Đã ghi thời gian của {ENTRIES[OVERTIME_ENTRY]}, phần Giới thiệu: "
        f"{OVERTIME_USED} (trừ 0,50 điểm)."
    )
    rows = officer.locator(".penalty-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text(ENTRIES[OVERTIME_ENTRY])
    expect(rows.nth(0).locator("td.num")).to_have_text("0,50")
    assert officer.evaluate("window.__penalties") == 1
    shot(officer, "09-secretary-penalty")

    # The board's ranking as it stands, then publishing it.
    officer.goto(f"/contests/rounds/{c.round_id}/results")
    expect(officer.locator("#ranking .flash-success")).to_contain_text("có thể công bố")
    ranking = officer.locator(".results-table tbody tr")
    expect(ranking).to_have_count(3)
    for n, (rank, entry, intro, skit, penalty, total, prize) in enumerate(EXPECTED):
        row = ranking.nth(n)
        expect(row.locator("td").nth(0)).to_have_text(str(rank))
        expect(row.locator("td.primary")).to_contain_text(ENTRIES[entry])
        expect(row.locator("td").nth(2)).to_have_text(intro)
        expect(row.locator("td").nth(3)).to_have_text(skit)
        expect(row.locator("td").nth(4)).to_have_text(f"−{penalty}" if penalty else "0")
        expect(row.locator("td.total-cell")).to_have_text(total)
        expect(row).to_contain_text(prize)
    shot(officer, "10-board-results")
    officer.get_by_role("button", name="Công bố kết quả").click()
    expect(officer).to_have_url(re.compile(rf"/contests/rounds/{c.round_id}/published$"))
    expect(officer.locator(".flash-success")).to_contain_text("Đã công bố kết quả")
    shot(officer, "11-published")

    officer.get_by_role("link", name="Màn chiếu").click()
    expect(officer).to_have_url(re.compile(rf"/contests/rounds/{c.round_id}/projector$"))
    board = officer.locator(".projector-table tbody tr")
    expect(board).to_have_count(3)
    for n, (rank, entry, _, _, _, total, prize) in enumerate(EXPECTED):
        cells = board.nth(n).locator("td")
        expect(cells.nth(0)).to_have_text(str(rank))
        expect(cells.nth(1)).to_contain_text(ENTRIES[entry])
        expect(cells.nth(2)).to_have_text(total)
        expect(cells.nth(3)).to_have_text(prize)
    shot(officer, "12-projector")

    # The stored snapshot (what `flask contests results` prints) holds the same figures.
    with app.app_context():
        data = results.snapshot_data(results.latest_snapshot(c.round_id))
        db.session.remove()
    assert data["number"] == 1 and data["reason"] is None
    assert [
        (e["rank"], e["entry_id"], [p["result"] for p in e["parts"]], e["penalty"], e["total"])
        for e in data["entries"]
    ] == [
        (rank, c.entry_ids[entry], [dotted(intro), dotted(skit)], dotted(penalty), dotted(total))
        for rank, entry, intro, skit, penalty, total, _ in EXPECTED
    ]
    assert [e["prize"] for e in data["entries"]] == [row[-1] for row in EXPECTED]

    # The printed score table says the same.
    officer.goto(f"/contests/rounds/{c.round_id}/print/table")
    printed = officer.locator(".contest-score-table tbody tr")
    expect(printed).to_have_count(3)
    for _, entry, intro, skit, penalty, total, prize in EXPECTED:
        row = printed.filter(has_text=ENTRIES[entry])
        expect(row).to_have_count(1)
        cells = row.locator("td")
        # TT, Đội/thí sinh, Đơn vị, Giới thiệu, Tiểu phẩm, Điểm trừ, Tổng điểm, Xếp hạng, Giải
        expect(cells.nth(3)).to_have_text(intro)
        expect(cells.nth(4)).to_have_text(skit)
        expect(cells.nth(5)).to_have_text(penalty)
        expect(cells.nth(6)).to_have_text(total)
        expect(cells.nth(8)).to_have_text(prize)
    shot(officer, "13-print-table")

    for page in (*judges, officer):
        assert page.errors == [], page.errors


def test_scoring_and_secretary_pages_are_accessible_and_fit(
    contest, new_page, login, world, axe_source
):
    c = contest
    judge = new_page(TABLET)
    login(judge, JUDGES[0][0])
    judge.goto(sheet_url(c.skit_id, c.entry_ids[0]))
    with judge.expect_response(is_autosave):
        judge.locator(".mark-input").nth(0).fill("5,25")
    expect(judge.locator("#sheet-status")).to_contain_text(SAVED)
    assert_accessible(judge, axe_source)
    for viewport, name in ((TABLET, "768"), (PHONE, "360")):
        judge.set_viewport_size(viewport)
        for url, what in (
            (sheet_url(c.skit_id, c.entry_ids[0]), "sheet"),
            ("/contests/scoring", "scoring"),
            (f"/contests/rounds/{c.round_id}/head", "head"),
        ):
            judge.goto(url)
            shot(judge, f"20-{what}-{name}")
            width, culprits = horizontal_overflow(judge)
            assert width <= viewport["width"], (url, viewport, culprits)
    assert judge.errors == [], judge.errors

    officer = new_page()
    login(officer, world.usernames["officer"])
    for url, what in (
        (f"/contests/rounds/{c.round_id}/progress", "progress"),
        (f"/contests/rounds/{c.round_id}/results", "results"),
        (f"/contests/rounds/{c.round_id}/penalties", "penalties"),
    ):
        officer.goto(url)
        assert_accessible(officer, axe_source)
        shot(officer, f"21-{what}")
    # The secretary works on a tablet at the judges' table too.
    officer.set_viewport_size(TABLET)
    for what in ("progress", "penalties"):
        officer.goto(f"/contests/rounds/{c.round_id}/{what}")
        shot(officer, f"22-{what}-768")
        width, culprits = horizontal_overflow(officer)
        assert width <= TABLET["width"], (what, culprits)
    assert officer.errors == [], officer.errors
