"""Scoring on a tablet, as a judge and an auditor see it: the judge's home and declaration,
the sheet (autosaved drafts, bounds and step, stale saves, retries, submitting and locking),
conflicts of interest and assignments, and the head judge's board, reopenings and outliers."""

import json
import re
import threading
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.audit.models import AuditLog
from app.clock import utcnow
from app.concurrency import STALE_MESSAGE
from app.contests.models import (
    Contest,
    ContestJudge,
    ContestRound,
    OutlierReview,
    ScoreMark,
    ScoreSheet,
    SheetReopening,
)
from app.contests.services import judging
from app.extensions import db
from tests.test_authorization_matrix import fingerprint

LOCKED = "Phiếu đã nộp, không sửa được"


def sheet_url(part_id, entry_id, suffix=""):
    return f"/contests/parts/{part_id}/entries/{entry_id}/sheet{suffix}"


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(response) -> str:
    """What a person reads: the page without its tags, its spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body(response)))


def change(app, model, object_id, **values):
    with app.app_context():
        obj = db.session.get(model, object_id)
        for name, value in values.items():
            setattr(obj, name, value)
        db.session.commit()


def sheet_state(app, sheet_id) -> dict:
    """A sheet as the database holds it: status, version, total, note and marks by key."""
    with app.app_context():
        sheet = db.session.get(ScoreSheet, sheet_id)
        marks = dict(
            db.session.execute(
                select(ScoreMark.criterion_id, ScoreMark.value).where(
                    ScoreMark.sheet_id == sheet_id
                )
            ).all()
        )
        return {
            "status": sheet.status,
            "version": sheet.version,
            "total": sheet.total,
            "note": sheet.note,
            "marks": marks,
            "submitted_at": sheet.submitted_at,
        }


def sheets_of(app, judge_id, entry_id, part_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(ScoreSheet.id).where(
                    ScoreSheet.judge_id == judge_id,
                    ScoreSheet.entry_id == entry_id,
                    ScoreSheet.part_id == part_id,
                )
            )
        )


def criteria(app, part_id) -> list[int]:
    from app.contests.models import ContestCriterion

    with app.app_context():
        return list(
            db.session.scalars(
                select(ContestCriterion.id)
                .where(ContestCriterion.part_id == part_id)
                .order_by(ContestCriterion.position)
            )
        )


@pytest.fixture
def judge(login_as):
    return login_as("judge")


@pytest.fixture
def head(login_as):
    return login_as("head_judge")


@pytest.fixture
def third_judge(app, world, make_user, make_client):
    """A third judge on round1's panel (declared): (seat id, logged-in client)."""
    user_id = make_user("giamkhao3", "judge", world.d1, full_name="Giám Khảo Ba")
    with app.app_context():
        seat = ContestJudge(
            round_id=world.round1,
            user_id=user_id,
            full_name="Giám Khảo Ba",
            unit_id=world.d1,
            position=3,
            declared_at=utcnow(),
        )
        db.session.add(seat)
        db.session.commit()
        seat_id = seat.id
    client = make_client()
    assert client.login("giamkhao3").status_code == 303
    return seat_id, client


# The judge's home and the declaration


def test_home_shows_own_assignments_and_the_next_one(world, judge):
    response = judge.get("/contests/scoring")
    page = body(response)
    assert response.status_code == 200
    assert "Vòng chung khảo" in page and "Vòng sơ khảo" in page
    # Parts in order, entries in running order: the intro of entry 1 (his draft) comes first.
    assert "Chấm tiếp: Giới thiệu — Số 1 · Giàng Thị Mai (Bản Delta)" in text_of(response)
    assert sheet_url(world.part1_intro, world.contest_entry1) in page
    assert sheet_url(world.part1_skit, world.contest_entry2) in page
    # The quiz is the secretary's; the published preliminary is listed without actions.
    assert sheet_url(world.part1_quiz, world.contest_entry1) not in page
    assert "Vòng thi đã công bố kết quả" in page
    assert "Nháp" in page and "NOTE-J2" not in page and "8,25" not in page


def test_home_as_htmx_fragment(world, judge):
    response = judge.get("/contests/scoring", htmx=True)
    assert response.status_code == 200
    assert "<html" not in body(response)
    assert 'id="scoring-seats"' in body(response)
    assert "Chấm tiếp" in body(response)


def test_undeclared_judge_must_declare_before_scoring(app, world, judge):
    change(app, ContestJudge, world.seat1, declared_at=None)
    home = body(judge.get("/contests/scoring"))
    assert f"/contests/rounds/{world.round1}/declare" in home
    response = judge.get(sheet_url(world.part1_intro, world.contest_entry1))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contests/rounds/{world.round1}/declare")
    before = sheet_state(app, world.sheet1)
    response = judge.post(
        sheet_url(world.part1_intro, world.contest_entry1), {"mark_part": "9", "version": "1"}
    )
    assert response.status_code == 403
    assert "cam đoan" in body(response)
    assert sheet_state(app, world.sheet1) == before


def test_declaration_lists_exclusions_and_needs_the_box_ticked(app, world, judge):
    # The judge now works in the entries' village: both entries are excluded.
    change(app, ContestJudge, world.seat1, declared_at=None, unit_id=world.v1)
    url = f"/contests/rounds/{world.round1}/declare"
    page = text_of(judge.get(url))
    assert "Tôi cam đoan không có xung đột lợi ích với các đội/thí sinh dự thi" in page
    assert "Số 1 · Giàng Thị Mai (Bản Delta)" in page and "Số 2 · Lò Văn Hùng" in page
    response = judge.post(url, {})
    assert response.status_code == 422
    assert "Đánh dấu ô cam đoan" in body(response)
    with app.app_context():
        assert db.session.get(ContestJudge, world.seat1).declared_at is None
    response = judge.post(url, {"confirm": "y"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ContestJudge, world.seat1).declared_at is not None
    assert "Bạn đã cam đoan lúc" in body(judge.get(url))


# The sheet


def test_opening_a_sheet_creates_nothing(app, world, judge):
    response = judge.get(sheet_url(world.part1_skit, world.contest_entry1))
    page = body(response)
    assert response.status_code == 200
    assert 'inputmode="decimal"' in page
    assert "Nội dung" in page and "Diễn xuất" in page
    assert 'hx-post="' in page and "Lưu nháp" in page and "Nộp phiếu" in page
    assert sheets_of(app, world.seat1, world.contest_entry1, world.part1_skit) == []


def test_sheet_as_htmx_fragment_is_the_sheet_alone(world, judge):
    response = judge.get(sheet_url(world.part1_intro, world.contest_entry1), htmx=True)
    assert response.status_code == 200
    assert "<html" not in body(response) and 'id="sheet"' in body(response)
    assert 'value="7,5"' in body(response) and "SHEET-J1" in body(response)


def test_save_draft_with_a_plain_form(app, world, judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    response = judge.post(url, {"mark_part": "8,5", "note": "Rõ ràng", "version": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url)
    state = sheet_state(app, world.sheet1)
    assert state["marks"] == {None: Decimal("8.5")}
    assert state["total"] == Decimal("8.5") and state["note"] == "Rõ ràng"
    assert state["status"] == "draft" and state["version"] == 2
    page = body(judge.get(url))
    assert 'value="8,5"' in page and "Đã lưu nháp lúc" in page


def test_autosave_answers_with_the_status_line_and_the_new_version(app, world, judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    response = judge.post(url, {"mark_part": "9.25", "version": "1"}, htmx=True)
    fragment = body(response)
    assert response.status_code == 200
    assert "<html" not in fragment and "<form" not in fragment
    assert re.search(r"Đã lưu nháp lúc \d\d:\d\d:\d\d", fragment)
    assert re.search(r'id="sheet-version" value="2" hx-swap-oob="true"', fragment)
    assert 'id="sheet-total"' in fragment and "9,25" in fragment
    assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]
    assert sheet_state(app, world.sheet1)["marks"] == {None: Decimal("9.25")}
    # No note field posted: the note stays.
    assert sheet_state(app, world.sheet1)["note"] == "Nhận xét SHEET-J1"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("10,5", "Điểm tối đa là 10."),
        ("-1", "Điểm không được nhỏ hơn 0."),
        ("7,3", "Điểm chấm theo bước 0,25."),
        ("bảy", "Điểm phải là một số"),
        ("1e3", "Điểm phải là một số"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_marks_are_refused_next_to_the_field_and_nothing_is_saved(
    app, world, judge, value, message, htmx
):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    before = fingerprint(app)
    response = judge.post(url, {"mark_part": value, "version": "1"}, htmx=htmx)
    assert response.status_code == 422
    page = body(response)
    assert re.search(r'id="mark-part-error"[^>]*>[^<]*' + re.escape(message), page), page
    if htmx:
        assert "<form" not in page and "Chưa lưu" in page
        assert "sheet-version" not in page
    else:
        assert f'value="{value}"' in page  # what the judge typed stays in the field
    assert fingerprint(app) == before


def test_criteria_marks_sum_to_the_running_total(app, world, judge):
    content, acting = criteria(app, world.part1_skit)
    url = sheet_url(world.part1_skit, world.contest_entry1)
    response = judge.post(url, {f"mark_{content}": "10", f"mark_{acting}": ""}, htmx=True)
    assert response.status_code == 200
    assert "chưa nhập đủ điểm" in body(response)
    (sheet_id,) = sheets_of(app, world.seat1, world.contest_entry1, world.part1_skit)
    assert sheet_state(app, sheet_id)["total"] is None
    response = judge.post(url, {f"mark_{acting}": "8,5", "version": "1"}, htmx=True)
    assert response.status_code == 422 and "Điểm tối đa là 8." in body(response)
    response = judge.post(url, {f"mark_{acting}": "7,5", "version": "1"}, htmx=True)
    assert response.status_code == 200 and "17,5" in body(response)
    state = sheet_state(app, sheet_id)
    assert state["marks"] == {content: Decimal(10), acting: Decimal("7.5")}
    assert state["total"] == Decimal("17.5")


def test_a_stale_save_is_refused_and_the_first_save_kept(app, world, judge, make_client):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    tablet = judge
    phone = make_client()
    phone.login("giamkhao")
    assert tablet.post(url, {"mark_part": "8", "version": "1"}, htmx=True).status_code == 200
    response = phone.post(url, {"mark_part": "9", "version": "1"}, htmx=True)
    assert response.status_code == 409
    assert STALE_MESSAGE in body(response) and "Tải lại phiếu" in body(response)
    assert "sheet-version" not in body(response)  # the stale version is kept: no overwrite
    response = phone.post(url, {"mark_part": "9", "version": "1"})
    assert response.status_code == 409 and STALE_MESSAGE in body(response)
    assert sheet_state(app, world.sheet1)["marks"] == {None: Decimal(8)}
    assert sheet_state(app, world.sheet1)["version"] == 2


def test_a_retried_save_is_answered_without_a_duplicate(app, world, judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    data = {"mark_part": "8", "note": "Tốt", "version": "1"}
    assert judge.post(url, data, htmx=True).status_code == 200
    # The answer was lost on a slow link: the same save comes again with the old version.
    response = judge.post(url, data, htmx=True)
    assert response.status_code == 200
    assert 'id="sheet-version" value="2"' in body(response)
    assert sheet_state(app, world.sheet1)["version"] == 2
    assert sheets_of(app, world.seat1, world.contest_entry1, world.part1_intro) == [world.sheet1]


def test_two_first_saves_make_one_sheet(app, world, judge):
    content, acting = criteria(app, world.part1_skit)
    url = sheet_url(world.part1_skit, world.contest_entry1)
    data = {f"mark_{content}": "9", f"mark_{acting}": "6", "version": ""}
    assert judge.post(url, data, htmx=True).status_code == 200
    assert judge.post(url, data, htmx=True).status_code == 200
    other = {**data, f"mark_{acting}": "7"}
    assert judge.post(url, other, htmx=True).status_code == 409
    (sheet_id,) = sheets_of(app, world.seat1, world.contest_entry1, world.part1_skit)
    assert sheet_state(app, sheet_id)["total"] == Decimal(15)


def test_a_first_save_that_loses_the_race_is_a_stale_save(app, world, monkeypatch):
    """The other request inserted the sheet between this one's read and its insert: the unique
    constraint refuses the second sheet, the savepoint keeps the transaction usable."""
    with app.test_request_context(method="POST"):
        winner = ScoreSheet(
            round_id=world.round1,
            judge_id=world.seat1,
            entry_id=world.contest_entry2,
            part_id=world.part1_intro,
            status="draft",
            total=Decimal(6),
        )
        db.session.add(winner)
        db.session.flush()
        db.session.add(ScoreMark(sheet_id=winner.id, criterion_id=None, value=Decimal(6)))
        db.session.commit()
        real = judging.load_sheet
        calls = []

        def racing(*args):
            calls.append(args)
            return None if len(calls) == 1 else real(*args)

        monkeypatch.setattr(judging.sheets, "load_sheet", racing)
        seat = db.session.get(ContestJudge, world.seat1)
        from app.contests.models import ContestEntry, ContestPart

        entry = db.session.get(ContestEntry, world.contest_entry2)
        part = db.session.get(ContestPart, world.part1_intro)
        from app.concurrency import StaleEdit

        with pytest.raises(StaleEdit):
            judging.save_sheet(seat, entry, part, {None: Decimal(7)}, None, "")
        db.session.rollback()
        calls.clear()
        # The same marks as the winner's: answered as saved.
        sheet = judging.save_sheet(seat, entry, part, {None: Decimal(6)}, None, "")
        assert sheet.total == Decimal(6)
        db.session.rollback()
    assert len(sheets_of(app, world.seat1, world.contest_entry2, world.part1_intro)) == 1


def test_concurrent_first_saves_from_two_devices(app, world, make_client):
    """Two devices of the same judge save the same new sheet at the same moment: one sheet,
    one save kept, the other refused as stale (no 500, no duplicate)."""
    url = sheet_url(world.part1_intro, world.contest_entry2)
    clients = []
    for _ in range(2):
        client = make_client()
        client.login("giamkhao")
        clients.append(client)
    barrier = threading.Barrier(2)
    statuses = []

    def save(client, value):
        barrier.wait()
        response = client.post(url, {"mark_part": value, "version": ""}, htmx=True)
        statuses.append(response.status_code)

    pairs = zip(clients, "67", strict=True)
    threads = [threading.Thread(target=save, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    (sheet_id,) = sheets_of(app, world.seat1, world.contest_entry2, world.part1_intro)
    assert sheet_state(app, sheet_id)["total"] in (Decimal(6), Decimal(7))


def test_extra_fields_change_nothing_they_should_not(app, world, judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    data = {
        "mark_part": "8",
        "version": "1",
        "status": "submitted",
        "judge_id": str(world.seat2),
        "total": "100",
        "mark_999": "5",
    }
    assert judge.post(url, data).status_code == 303
    state = sheet_state(app, world.sheet1)
    assert state["status"] == "draft" and state["total"] == Decimal(8)
    assert state["marks"] == {None: Decimal(8)}
    assert sheet_state(app, world.sheet2)["total"] == Decimal("8.25")


# Submitting


def test_submit_locks_the_sheet_and_goes_to_the_next_assignment(app, world, judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    response = judge.post(url + "/submit", {"mark_part": "8,75", "version": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(sheet_url(world.part1_intro, world.contest_entry2))
    state = sheet_state(app, world.sheet1)
    assert state["status"] == "submitted" and state["submitted_at"] is not None
    assert state["total"] == Decimal("8.75")
    page = body(judge.get(url))
    assert "đã khóa" in page and 'name="mark_part"' not in page and "8,75" in page
    home = text_of(judge.get("/contests/scoring"))
    assert "Đã nộp 1 / 4 phiếu chấm" in home
    # A retried submit (its answer lost) changes nothing and goes on.
    response = judge.post(url + "/submit", {"mark_part": "8,75", "version": "1"})
    assert response.status_code == 303
    for data, htmx in (({"mark_part": "9", "version": "2"}, True), ({"mark_part": "9"}, False)):
        response = judge.post(url, data, htmx=htmx)
        assert response.status_code == 409 and LOCKED in body(response)
    response = judge.post(url + "/submit", {"mark_part": "9", "version": "2"})
    assert response.status_code == 409 and LOCKED in body(response)
    assert sheet_state(app, world.sheet1)["total"] == Decimal("8.75")


def test_submit_needs_every_mark(app, world, judge):
    content, acting = criteria(app, world.part1_skit)
    url = sheet_url(world.part1_skit, world.contest_entry1)
    before = fingerprint(app)
    response = judge.post(url + "/submit", {f"mark_{content}": "10", f"mark_{acting}": ""})
    assert response.status_code == 422
    assert re.search(
        rf'id="mark-{acting}-error"[^>]*>Nhập điểm trước khi nộp phiếu', body(response)
    )
    assert fingerprint(app) == before


def test_last_submit_goes_back_to_the_home_page(app, world, judge):
    content, acting = criteria(app, world.part1_skit)
    posts = [
        (world.part1_intro, world.contest_entry1, {"mark_part": "8", "version": "1"}),
        (world.part1_intro, world.contest_entry2, {"mark_part": "7"}),
        (world.part1_skit, world.contest_entry1, {f"mark_{content}": "9", f"mark_{acting}": "6"}),
        (world.part1_skit, world.contest_entry2, {f"mark_{content}": "8", f"mark_{acting}": "6"}),
    ]
    for part, entry, data in posts:
        response = judge.post(sheet_url(part, entry, "/submit"), data)
        assert response.status_code == 303, body(response)
    assert response.headers["Location"].endswith("/contests/scoring")
    assert "Bạn đã nộp đủ các phiếu chấm" in body(judge.get("/contests/scoring"))


# Who scores what


def test_a_judge_does_not_score_an_entry_of_their_own_unit(app, world, judge):
    change(app, ContestJudge, world.seat1, unit_id=world.v1)
    url = sheet_url(world.part1_intro, world.contest_entry1)
    response = judge.get(url)
    assert response.status_code == 403
    assert "xung đột lợi ích" in body(response)
    before = fingerprint(app)
    response = judge.post(url, {"mark_part": "9", "version": "1"}, htmx=True)
    assert response.status_code == 403
    assert fingerprint(app) == before
    home = body(judge.get("/contests/scoring"))
    assert "đã loại trừ 2 đội/thí sinh" in home
    assert url not in home


@pytest.mark.parametrize(
    "target",
    [
        ("part3_intro", "contest_entry3"),  # another contest, no seat
        ("part1_quiz", "contest_entry1"),  # the secretary's part
        ("part1_intro", "contest_entry3"),  # an entry not in the round
    ],
)
def test_outside_the_assignment_is_not_found(app, world, judge, target):
    url = sheet_url(getattr(world, target[0]), getattr(world, target[1]))
    assert judge.get(url).status_code == 404
    before = fingerprint(app)
    assert judge.post(url, {"mark_part": "5", "version": ""}).status_code == 404
    assert judge.post(url + "/submit", {"mark_part": "5", "version": ""}).status_code == 404
    assert fingerprint(app) == before


def test_a_withdrawn_entry_is_no_longer_scored(app, world, judge):
    from app.contests.models import ContestEntry

    change(app, ContestEntry, world.contest_entry2, status="withdrawn")
    assert judge.get(sheet_url(world.part1_intro, world.contest_entry2)).status_code == 404
    assert "Lò Văn Hùng" not in body(judge.get("/contests/scoring"))


@pytest.mark.parametrize(
    ("model", "attr", "value", "message"),
    [
        (ContestRound, "round1", "preparing", "Vòng thi chưa mở chấm"),
        (Contest, "contest1", "registration", "không nhận điểm chấm"),
    ],
)
def test_nothing_is_saved_outside_judging(app, world, judge, model, attr, value, message):
    change(app, model, getattr(world, attr), status=value)
    url = sheet_url(world.part1_intro, world.contest_entry1)
    page = body(judge.get(url))
    assert message in page and 'name="mark_part"' not in page
    before = fingerprint(app)
    response = judge.post(url, {"mark_part": "9", "version": "1"}, htmx=True)
    assert response.status_code == 409 and message in body(response)
    assert judge.post(url + "/submit", {"mark_part": "9", "version": "1"}).status_code == 409
    assert fingerprint(app) == before


def test_a_judge_never_reads_another_judges_marks(app, world, judge):
    """sheet2 (the head judge's, submitted: 8,25 and NOTE-J2) appears on no page the world's
    judge reaches, as a page or as a fragment."""
    urls = [
        "/contests/scoring",
        f"/contests/rounds/{world.round1}/declare",
        sheet_url(world.part1_intro, world.contest_entry1),
        sheet_url(world.part1_intro, world.contest_entry2),
        sheet_url(world.part1_skit, world.contest_entry1),
    ]
    judge.post(sheet_url(world.part1_intro, world.contest_entry1), {"mark_part": "7"}, htmx=True)
    for url in urls:
        for htmx in (False, True):
            response = judge.get(url, htmx=htmx)
            assert response.status_code == 200, url
            assert "NOTE-J2" not in body(response) and "8,25" not in body(response), url
    for url in (
        f"/contests/rounds/{world.round1}/head",
        f"/contests/sheets/{world.sheet2}/reopen",
    ):
        response = judge.get(url)
        assert response.status_code == 403 and "NOTE-J2" not in body(response)


# The head judge


def test_the_head_judges_board(world, head, judge):
    url = f"/contests/rounds/{world.round1}/head"
    assert judge.get(url).status_code == 403
    response = head.get(url)
    page = body(response)
    assert response.status_code == 200
    assert "8,25" in page and "NOTE-J2" in page  # a submitted sheet of the round
    assert "nháp" in page and "SHEET-J1" not in page and "7,5" not in page  # a draft
    assert f"/contests/sheets/{world.sheet2}/reopen" in page
    assert f"/contests/sheets/{world.sheet1}/reopen" not in page
    fragment = head.get(url, htmx=True)
    assert fragment.status_code == 200 and "<html" not in body(fragment)
    assert 'id="head-board"' in body(fragment) and "8,25" in body(fragment)


def test_the_head_judge_scores_too(world, head):
    home = body(head.get("/contests/scoring"))
    assert f"/contests/rounds/{world.round1}/head" in home
    assert "Trưởng Ban Giám khảo" in home


def test_reopening_needs_the_head_judge_and_a_reason(app, world, head, judge):
    url = f"/contests/sheets/{world.sheet2}/reopen"
    before = fingerprint(app)
    assert judge.post(url, {"reason": "Nhầm"}).status_code == 403
    page = body(head.get(url))
    assert "8,25" in page and "Lý do mở lại phiếu chấm" in page
    response = head.post(url, {"reason": "   "})
    assert response.status_code == 422 and "Ghi lý do mở lại phiếu chấm." in body(response)
    assert fingerprint(app) == before
    response = head.post(url, {"reason": "Nhập nhầm điểm"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contests/rounds/{world.round1}/head")
    state = sheet_state(app, world.sheet2)
    assert state["status"] == "draft" and state["submitted_at"] is None and state["version"] == 2
    with app.app_context():
        reopening = db.session.scalar(select(SheetReopening))
        assert reopening.sheet_id == world.sheet2 and reopening.reason == "Nhập nhầm điểm"
        assert json.loads(reopening.marks_before) == {"part": "8.25"}
        assert reopening.marks_after is None
        audit = db.session.scalar(
            select(AuditLog).where(
                AuditLog.object_type == "ScoreSheet",
                AuditLog.object_id == world.sheet2,
                AuditLog.action == "update",
            )
        )
        assert audit.before["status"] == "submitted" and audit.after["status"] == "draft"
    # The head judge's own sheet: he corrects it and submits again; the after marks are kept.
    sheet = sheet_url(world.part1_intro, world.contest_entry1)
    response = head.post(sheet + "/submit", {"mark_part": "7,75", "version": "2"})
    assert response.status_code == 303
    with app.app_context():
        reopening = db.session.scalar(select(SheetReopening))
        assert json.loads(reopening.marks_after) == {"part": "7.75"}
    board = body(head.get(f"/contests/rounds/{world.round1}/head"))
    assert "Nhập nhầm điểm" in board and "8,25" in board and "7,75" in board


def test_only_a_submitted_sheet_is_reopened(app, world, head):
    url = f"/contests/sheets/{world.sheet1}/reopen"
    assert "Phiếu chưa nộp" in body(head.get(url))
    before = fingerprint(app)
    response = head.post(url, {"reason": "Thử"})
    assert response.status_code == 422 and "Chỉ mở lại được phiếu đã nộp." in body(response)
    assert fingerprint(app) == before


def test_reopening_a_sheet_of_a_published_round_puts_it_back_to_judging(app, world, head):
    with app.app_context():
        head_seat0 = db.session.scalar(
            select(ContestJudge.id).where(
                ContestJudge.round_id == world.round0,
                ContestJudge.user_id == world.users["head_judge"],
            )
        )
        sheet_id = db.session.scalar(select(ScoreSheet.id).where(ScoreSheet.judge_id == head_seat0))
        assert db.session.get(ContestRound, world.round0).status == "published"
    response = head.post(f"/contests/sheets/{sheet_id}/reopen", {"reason": "Đính chính"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ContestRound, world.round0).status == "judging"
        assert db.session.get(ScoreSheet, sheet_id).status == "draft"


def _submit_third(app, world, third_judge, value):
    """The third judge submits his intro mark for entry 1 (the world's judge submits 8)."""
    seat3, client = third_judge
    url = sheet_url(world.part1_intro, world.contest_entry1)
    assert client.post(url + "/submit", {"mark_part": value}).status_code == 303
    (sheet3,) = sheets_of(app, seat3, world.contest_entry1, world.part1_intro)
    return sheet3


def test_outliers_are_flagged_and_reviewed_by_the_head_judge(app, world, judge, head, third_judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    assert judge.post(url + "/submit", {"mark_part": "8", "version": "1"}).status_code == 303
    sheet3 = _submit_third(app, world, third_judge, "2")
    with app.app_context():
        round1 = db.session.get(ContestRound, world.round1)
        # Median 8; 2 is 6 points away, more than 20% of 10.
        assert judging.outlier_flags(round1) == {sheet3: False}
    board = body(head.get(f"/contests/rounds/{world.round1}/head"))
    assert "Chênh lệch" in board and f"outlier-{sheet3}" in board and "trung vị 8" in board
    review = f"/contests/sheets/{sheet3}/review"
    before = fingerprint(app)
    assert judge.post(review, {"decision": "confirmed"}).status_code == 403
    response = head.post(review, {"decision": "reopen", "note": ""})
    assert response.status_code == 422 and "Ghi lý do đề nghị giám khảo chấm lại." in body(response)
    assert head.post(review, {"decision": "bỏ qua"}).status_code == 422
    response = head.post(f"/contests/sheets/{world.sheet2}/review", {"decision": "confirmed"})
    assert response.status_code == 422 and "không chênh lệch" in body(response)
    assert fingerprint(app) == before
    response = head.post(review, {"decision": "confirmed", "note": "Đã trao đổi với giám khảo"})
    assert response.status_code == 303
    with app.app_context():
        round1 = db.session.get(ContestRound, world.round1)
        assert judging.outlier_flags(round1) == {sheet3: True}
        reviewed_version = db.session.scalar(select(OutlierReview.sheet_version))
    assert reviewed_version == sheet_state(app, sheet3)["version"]
    assert "Giữ nguyên điểm" in body(head.get(f"/contests/rounds/{world.round1}/head"))


def test_an_outlier_sent_back_for_rescoring(app, world, judge, head, third_judge):
    url = sheet_url(world.part1_intro, world.contest_entry1)
    assert judge.post(url + "/submit", {"mark_part": "8", "version": "1"}).status_code == 303
    sheet3 = _submit_third(app, world, third_judge, "2")
    response = head.post(
        f"/contests/sheets/{sheet3}/review", {"decision": "reopen", "note": "Xem lại điểm"}
    )
    assert response.status_code == 303
    assert sheet_state(app, sheet3)["status"] == "draft"
    with app.app_context():
        assert db.session.scalar(select(SheetReopening.reason)) == "Xem lại điểm"
        assert db.session.scalar(select(OutlierReview.decision)) == "reopen"
        assert judging.outlier_flags(db.session.get(ContestRound, world.round1)) == {}
    # Rescored within the panel's range: no flag any more.
    _seat3, client = third_judge
    response = client.post(url + "/submit", {"mark_part": "7,5", "version": "3"})
    assert response.status_code == 303, body(response)
    with app.app_context():
        assert judging.outlier_flags(db.session.get(ContestRound, world.round1)) == {}


def test_the_head_judge_of_another_round_is_not_head_here(app, world, make_user, make_client):
    """A head judge reaches the board of their own round only."""
    with app.app_context():
        seat = db.session.scalar(
            select(ContestJudge).where(
                ContestJudge.round_id == world.round1,
                ContestJudge.user_id == world.users["head_judge"],
            )
        )
        seat.is_head = False
        db.session.commit()
    client = make_client()
    client.login("giamkhao2")
    assert client.get(f"/contests/rounds/{world.round1}/head").status_code == 403
    assert client.get(f"/contests/rounds/{world.round0}/head").status_code == 200
    assert client.get(f"/contests/rounds/{world.round3}/head").status_code == 404


def test_pages_keep_a_fixed_number_of_queries(app, world, judge, head):
    """P3: more entries do not mean more queries on the judges' pages."""
    from sqlalchemy import event

    def count(client, url):
        statements = []

        def record(*args):
            statements.append(1)

        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", record)
            try:
                assert client.get(url).status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    pages = [
        (judge, "/contests/scoring"),
        (judge, sheet_url(world.part1_intro, world.contest_entry1)),
        (head, f"/contests/rounds/{world.round1}/head"),
    ]
    first = [count(client, url) for client, url in pages]
    _add_entries(app, world, 6)
    assert [count(client, url) for client, url in pages] == first


def _add_entries(app, world, n):
    from app.contests.models import ContestEntry, ContestRoundEntry
    from app.units.models import Unit
    from app.units.services import place

    with app.app_context():
        for i in range(n):
            entry = ContestEntry(contest_id=world.contest1, name=f"Đội bổ sung {i}")
            place(entry, db.session.get(Unit, world.v1))
            db.session.add(entry)
            db.session.flush()
            db.session.add(
                ContestRoundEntry(round_id=world.round1, entry_id=entry.id, order_number=10 + i)
            )
        db.session.commit()


MARK_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "0", "10", "10,25", "7.5", "-0", "1e2", "٣", "99999999999999999999"]),
)


def test_sheet_posts_survive_fuzzing(app, world, judge):
    """R7: fuzzed sheet posts never give a 500, and a refused one saves nothing."""
    content, acting = criteria(app, world.part1_skit)
    fields = ["mark_part", f"mark_{content}", f"mark_{acting}", "note", "version"]
    urls = [
        sheet_url(world.part1_intro, world.contest_entry1),
        sheet_url(world.part1_skit, world.contest_entry2),
    ]

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional={f: MARK_TEXT for f in fields}), st.booleans())
    def run(data, htmx):
        for url in urls:
            before = fingerprint(app)
            response = judge.post(url, data, htmx=htmx)
            assert response.status_code < 500, (url, data)
            if response.status_code not in (200, 303):
                assert fingerprint(app) == before, (url, data)

    run()
