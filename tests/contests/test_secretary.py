"""The secretary and the board during judging (DOMAIN.md §5): the live progress matrix,
timings and penalties (separate records, never edits of marks), multiple-choice results."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from app.audit.models import AuditLog
from app.contests import models as m
from app.contests.services.secretary import round_progress
from app.extensions import db
from tests.contests.factories import add_penalty, make_round, secretary_mark, submit_sheet
from tests.test_authorization_matrix import fingerprint


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def penalties_of(app, round_id) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(
            select(m.ContestPenalty)
            .where(m.ContestPenalty.round_id == round_id)
            .order_by(m.ContestPenalty.id)
        )
        return [(p.entry_id, p.part_id, p.kind, p.used_seconds, p.points, p.reason) for p in rows]


def marks_of(app, round_id) -> dict:
    """Every judge's mark of the round: penalties must never touch them."""
    with app.app_context():
        rows = db.session.execute(
            select(m.ScoreMark.id, m.ScoreMark.value, m.ScoreSheet.total, m.ScoreSheet.version)
            .join(m.ScoreSheet, m.ScoreSheet.id == m.ScoreMark.sheet_id)
            .where(m.ScoreSheet.round_id == round_id)
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def quiz_of(app, round_id) -> dict:
    with app.app_context():
        rows = db.session.scalars(
            select(m.SecretaryMark).where(m.SecretaryMark.round_id == round_id)
        )
        return {
            (r.entry_id, r.part_id): (r.value, r.correct_answers, r.question_count, r.version)
            for r in rows
        }


def set_status(app, round_id, round_status=None, contest_status=None):
    with app.app_context():
        round_ = db.session.get(m.ContestRound, round_id)
        if round_status:
            round_.status = round_status
        if contest_status:
            round_.contest.status = contest_status
        db.session.commit()


def timing(entry_id, part_id, used, version=""):
    return {
        "time-form": "time",
        "time-entry": str(entry_id),
        "time-part": str(part_id),
        "time-used": used,
        "time-version": str(version),
    }


def rule(entry_id, part_id, points, reason):
    return {
        "rule-form": "rule",
        "rule-entry": str(entry_id),
        "rule-part": str(part_id or ""),
        "rule-points": points,
        "rule-reason": reason,
    }


# The progress matrix


@pytest.fixture
def matrix(app, world):
    """A round of contest run by D1 (so that the world's officer is its board): entries of C1,
    C2 and V1; three judges, the third working in C2 (so never scoring C2's entry)."""
    with app.app_context():
        setup = make_round(
            entries=3,
            judges=3,
            organiser_id=world.d1,
            entry_unit_ids=[world.c1, world.c2, world.v1],
            judge_unit_ids=[None, None, world.c2],
        )
        j1, j2, j3 = setup.judge_ids
        e1 = setup.entry_ids[0]
        intro, skit, quiz = setup.part("intro"), setup.part("skit"), setup.part("knowledge")
        for e in setup.entry_ids:
            submit_sheet(setup, j1, e, intro, "8")
            submit_sheet(setup, j1, e, skit, {"Nội dung": "10", "Diễn xuất": "6"})
        submit_sheet(setup, j2, e1, intro, "8")
        submit_sheet(setup, j2, e1, skit, {"Nội dung": "9"}, status="draft")
        submit_sheet(setup, j3, e1, intro, "2")
        secretary_mark(setup, e1, quiz, "7.5")
        add_penalty(setup, e1, "0.5", part_id=skit)
        add_penalty(setup, e1, "0.25")
        db.session.commit()
    return setup


def test_progress_counts_per_judge_and_per_entry(app, matrix):
    with app.app_context():
        progress = round_progress(db.session.get(m.ContestRound, matrix.round_id))
        judges = {jp.judge.id: jp for jp in progress.judges}
        j1, j2, j3 = matrix.judge_ids
        # Two judged parts × the entries each judge may score (the third never scores C2's).
        assert [(judges[j].submitted, judges[j].expected) for j in (j1, j2, j3)] == [
            (6, 6),
            (1, 6),
            (1, 4),
        ]
        assert (judges[j2].drafts, judges[j2].missing, judges[j3].missing) == (1, 5, 3)
        rows = {r.place.entry_id: r for r in progress.rows}
        e1, e2, e3 = matrix.entry_ids
        # Missing = sheets not submitted + the quiz result not entered.
        assert [rows[e].missing for e in (e1, e2, e3)] == [2, 3, 5]
        assert (rows[e1].penalties, rows[e1].penalty_points) == (2, Decimal("0.75"))
        assert rows[e2].penalties == 0
        intro, skit = matrix.part("intro"), matrix.part("skit")
        assert rows[e2].cells[(intro, j3)].state == "conflict"
        assert rows[e1].cells[(skit, j2)].state == "draft"
        assert rows[e3].cells[(intro, j2)].state == "none"
        assert rows[e1].cells[(intro, j1)].total == Decimal(8)
        # 2 is far from the panel's median 8 (more than 20% of 10): flagged, not reviewed.
        assert rows[e1].cells[(intro, j3)].outlier is False
        assert rows[e1].cells[(intro, j1)].outlier is None
        assert (progress.submitted, progress.expected) == (8, 16)
        assert (progress.quiz_done, progress.quiz_expected) == (1, 3)
        assert progress.outliers_pending == 1


def test_progress_page_shows_the_matrix_to_the_board(app, matrix, login_as):
    response = login_as("officer").get(f"/contests/rounds/{matrix.round_id}/progress")
    assert response.status_code == 200
    html = body(response)
    assert "<html" in html and 'hx-trigger="every 10s"' in html
    assert 'id="progress"' in html
    words = text_of(html)
    assert "8/16" in words and "1/3" in words  # sheets submitted, quiz results entered
    assert "miễn" in words and "nháp" in words and "chưa" in words and "lệch" in words
    assert "GK3" in words and "Giám khảo 3" in words
    assert "0,75" in words  # entry 1's penalties
    # Without JS the page still works: a plain link reloads it.
    assert f'href="/contests/rounds/{matrix.round_id}/progress"' in html


def test_progress_fragment_for_htmx_polling(matrix, login_as):
    response = login_as("officer").get(f"/contests/rounds/{matrix.round_id}/progress", htmx=True)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and "hx-trigger" not in html
    assert "progress-matrix" in html and "8/16" in text_of(html)
    assert "HX-Request" in response.headers["Vary"]
    assert len(response.get_data()) < 15_000


def test_progress_stops_polling_once_published(app, matrix, login_as):
    set_status(app, matrix.round_id, round_status="published")
    html = body(login_as("officer").get(f"/contests/rounds/{matrix.round_id}/progress"))
    assert "hx-trigger" not in html and "progress-matrix" in html


def test_progress_is_the_boards_only(matrix, world, login_as):
    url = f"/contests/rounds/{matrix.round_id}/progress"
    assert login_as("commune_staff").get(url).status_code == 403
    assert login_as("viewer").get(url).status_code == 403
    assert login_as("judge").get(url).status_code == 403
    assert login_as("admin").get(url).status_code == 200


def test_progress_runs_a_fixed_number_of_queries(app, world, login_as):
    """P3: six entries cost the same number of queries as two."""
    client = login_as("officer")

    def build(entries):
        with app.app_context():
            setup = make_round(
                entries=entries,
                judges=3,
                organiser_id=world.d1,
                entry_unit_ids=[world.c1, world.c2],
                judge_unit_ids=[None, None, world.c2],
            )
            for judge in setup.judge_ids[:2]:
                for e in setup.entry_ids:
                    submit_sheet(setup, judge, e, setup.part("intro"), "7.5")
                    submit_sheet(setup, judge, e, setup.part("skit"), {"Nội dung": "9"}, "draft")
            for e in setup.entry_ids:
                secretary_mark(setup, e, setup.part("knowledge"), "6")
                add_penalty(setup, e, "0.25")
            db.session.commit()
            return setup.round_id

    def count(round_id):
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = client.get(f"/contests/rounds/{round_id}/progress", htmx=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return len(statements)

    few, many = build(2), build(6)
    assert count(many) == count(few)


# Timings and penalties


def test_timing_penalty_follows_the_tiered_rule_and_leaves_marks_alone(app, world, login_as):
    """Cần Thơ 2023: introduction ≤ 3 min; over by < 1 min −0.25, by ≥ 1 min −0.5."""
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    marks = marks_of(app, world.round1)
    response = client.post(url, data=timing(world.contest_entry2, world.part1_intro, "3:40"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url)
    timings = [p for p in penalties_of(app, world.round1) if p[0] == world.contest_entry2]
    assert timings == [
        (world.contest_entry2, world.part1_intro, "time", 220, Decimal("0.25"), None)
    ]
    assert marks_of(app, world.round1) == marks
    page = text_of(body(client.get(url)))
    assert "Đã ghi thời gian của Lò Văn Hùng (Bản Delta), phần Giới thiệu: 3:40" in page
    assert "3:40 / quy định 3:00" in page


@pytest.mark.parametrize(
    ("used", "points"),
    [("3:00", "0"), ("3:01", "0.25"), ("3:59", "0.25"), ("4:00", "0.5"), ("9:30", "0.5")],
)
def test_tiered_rule_boundaries(app, world, login_as, used, points):
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    assert (
        client.post(url, data=timing(world.contest_entry2, world.part1_intro, used)).status_code
        == 303
    )
    recorded = [p for p in penalties_of(app, world.round1) if p[0] == world.contest_entry2]
    assert [p[4] for p in recorded] == [Decimal(points)]


def test_on_time_is_recorded_with_no_points(app, world, login_as):
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    client.post(url, data=timing(world.contest_entry2, world.part1_intro, "2:55"))
    recorded = [p for p in penalties_of(app, world.round1) if p[0] == world.contest_entry2]
    assert [(p[3], p[4]) for p in recorded] == [(175, Decimal(0))]
    assert "Đúng giờ" in body(client.get(url))


@pytest.mark.parametrize(
    ("used", "points"), [("5:00", "0"), ("5:59", "0"), ("6:00", "1"), ("7:45", "2")]
)
def test_per_minute_rule(app, world, login_as, used, points):
    """Vĩnh Phúc 2023: introduction ≤ 5 min, −1 point per full minute over."""
    with app.app_context():
        setup = make_round(entries=2, organiser_id=world.d1, entry_unit_ids=[world.c1])
        part = db.session.get(m.ContestPart, setup.part("intro"))
        part.time_limit_seconds, part.penalty_kind, part.penalty_points = 300, "per_minute", 1
        db.session.commit()
    client = login_as("officer")
    url = f"/contests/rounds/{setup.round_id}/penalties"
    assert (
        client.post(url, data=timing(setup.entry_ids[0], setup.part("intro"), used)).status_code
        == 303
    )
    assert [p[4] for p in penalties_of(app, setup.round_id)] == [Decimal(points)]


def test_timing_entered_again_updates_its_record_from_its_version(app, world, login_as):
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    before = penalties_of(app, world.round1)
    # The world's timing of entry 1 on the introduction: 4:15 (0.5 points).
    page = body(client.get(f"{url}?entry={world.contest_entry1}&part={world.part1_intro}"))
    assert 'value="4:15"' in page
    version = re.search(r'name="time-version" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(
        url, data=timing(world.contest_entry1, world.part1_intro, "3:20", version)
    )
    assert response.status_code == 303
    after = penalties_of(app, world.round1)
    assert len(after) == len(before)
    assert (world.contest_entry1, world.part1_intro, "time", 200, Decimal("0.25"), None) in after
    # The same stale form (or a second device) cannot overwrite it: 409, first save kept.
    stale = client.post(url, data=timing(world.contest_entry1, world.part1_intro, "6:00", version))
    assert stale.status_code == 409
    assert "3:20" in body(stale)
    # A new timing for a pair already timed is a conflict too (no second record).
    fresh = client.post(url, data=timing(world.contest_entry1, world.part1_intro, "6:00"))
    assert fresh.status_code == 409
    assert penalties_of(app, world.round1) == after


def test_timing_needs_a_readable_time_and_a_timed_part(app, world, login_as):
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    before = penalties_of(app, world.round1)
    for data, message in (
        (timing(world.contest_entry2, world.part1_intro, "ba phút"), "phút:giây"),
        (timing(world.contest_entry2, world.part1_intro, "3:75"), "phút:giây"),
        (timing(world.contest_entry2, world.part1_quiz, "3:00"), "không quy định thời gian"),
        (timing(world.contest_entry3, world.part1_intro, "3:00"), "Chọn đội/thí sinh"),
        (timing(world.contest_entry2, world.part3_intro, "3:00"), "Chọn phần thi"),
        (timing("", world.part1_intro, "3:00"), "Chọn đội/thí sinh"),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 422, data
        assert message in body(response)
    assert penalties_of(app, world.round1) == before


def test_posted_points_and_kind_change_nothing(app, world, login_as):
    """S3: the points of a timing come from the part's rule, whatever the post says."""
    data = {
        **timing(world.contest_entry2, world.part1_intro, "3:10"),
        "time-points": "9",
        "time-kind": "rule",
        "round_id": str(world.round3),
    }
    assert (
        login_as("officer")
        .post(f"/contests/rounds/{world.round1}/penalties", data=data)
        .status_code
        == 303
    )
    recorded = [p for p in penalties_of(app, world.round1) if p[0] == world.contest_entry2]
    assert recorded == [
        (world.contest_entry2, world.part1_intro, "time", 190, Decimal("0.25"), None)
    ]
    assert [p for p in penalties_of(app, world.round3)] == [
        (world.contest_entry3, world.part3_intro, "time", 210, Decimal("0.25"), None)
    ]


def test_rule_penalty_needs_a_reason_and_valid_points(app, world, login_as):
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    before = penalties_of(app, world.round1)
    marks = marks_of(app, world.round1)
    for points, reason, message in (
        ("0,5", "", "Ghi lý do"),
        ("0,3", "Sai trang phục", "bước 0,25"),
        ("0", "Sai trang phục", "lớn hơn 0"),
        ("-1", "Sai trang phục", "lớn hơn 0"),
        ("25", "Sai trang phục", "Điểm trừ tối đa là 20"),
        ("abc", "Sai trang phục", "Điểm phải là một số"),
    ):
        response = client.post(
            url, data=rule(world.contest_entry1, world.part1_skit, points, reason)
        )
        assert response.status_code == 422, points
        assert message in body(response)
    assert penalties_of(app, world.round1) == before
    response = client.post(
        url,
        data=rule(
            world.contest_entry1, world.part1_skit, "1,5", "Diễn viên đóng vai hòa giải viên"
        ),
    )
    assert response.status_code == 303
    added = [p for p in penalties_of(app, world.round1) if p not in before]
    assert added == [
        (
            world.contest_entry1,
            world.part1_skit,
            "rule",
            None,
            Decimal("1.5"),
            "Diễn viên đóng vai hòa giải viên",
        )
    ]
    assert marks_of(app, world.round1) == marks
    # A breach of the whole round: bounded by the round's total maximum (40).
    assert (
        client.post(url, data=rule(world.contest_entry2, None, "2", "Đến muộn")).status_code == 303
    )
    assert (
        client.post(url, data=rule(world.contest_entry2, None, "41", "Đến muộn")).status_code == 422
    )


def test_penalty_reaches_the_results(app, world, login_as):
    from app.contests.services.results import compute_round

    login_as("officer").post(
        f"/contests/rounds/{world.round1}/penalties",
        data=rule(world.contest_entry2, None, "1", "Vi phạm thể lệ"),
    )
    with app.app_context():
        outcome = compute_round(db.session.get(m.ContestRound, world.round1))
        penalty = {r.entry_id: r.penalty for r in outcome.results}
    assert penalty[world.contest_entry2] == Decimal(1)
    assert penalty[world.contest_entry1] == Decimal("0.5")


def test_delete_a_penalty_entered_by_mistake(app, world, login_as):
    client = login_as("officer")
    response = client.post(f"/contests/penalties/{world.penalty1}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contests/rounds/{world.round1}/penalties")
    with app.app_context():
        assert db.session.get(m.ContestPenalty, world.penalty1) is None
        logged = db.session.scalar(
            select(AuditLog).where(
                AuditLog.object_type == "ContestPenalty",
                AuditLog.object_id == world.penalty1,
                AuditLog.action == "delete",
            )
        )
        assert logged is not None and logged.before["used_seconds"] == 255
    assert "Đã xóa điểm trừ ghi nhầm." in body(
        client.get(f"/contests/rounds/{world.round1}/penalties")
    )


def test_penalties_with_htmx_swap_the_list(app, world, login_as):
    client = login_as("officer")
    url = f"/contests/rounds/{world.round1}/penalties"
    full = client.get(url)
    assert "<html" in body(full) and 'id="penalties"' in body(full)
    fragment = client.get(url, htmx=True)
    assert "<html" not in body(fragment) and "Ghi thời gian" in body(fragment)
    response = client.post(
        url, data=timing(world.contest_entry2, world.part1_skit, "7:10"), htmx=True
    )
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and "Đã ghi thời gian" in html and "7:10 / quy định 6:00" in html
    bad = client.post(url, data=rule(world.contest_entry2, None, "1", ""), htmx=True)
    assert bad.status_code == 422 and "<html" not in body(bad) and "Ghi lý do" in body(bad)
    deleted = client.post(f"/contests/penalties/{world.penalty1}/delete", htmx=True)
    assert deleted.status_code == 200 and "Đã xóa" in body(deleted) and "<html" not in body(deleted)


@pytest.mark.parametrize(
    ("round_status", "contest_status", "message"),
    [
        ("published", None, "Kết quả vòng thi đã công bố"),
        (None, "published", "Hội thi không ở giai đoạn chấm thi"),
        ("preparing", None, "Vòng thi chưa mở chấm"),
    ],
)
def test_refused_outside_a_round_being_judged(
    app, world, login_as, round_status, contest_status, message
):
    set_status(app, world.round1, round_status, contest_status)
    client = login_as("officer")
    before = fingerprint(app)
    url = f"/contests/rounds/{world.round1}/penalties"
    page = body(client.get(url))
    assert message in page and "Ghi thời gian</button>" not in page
    for response in (
        client.post(url, data=timing(world.contest_entry2, world.part1_intro, "3:40")),
        client.post(url, data=rule(world.contest_entry2, None, "1", "Vi phạm")),
        client.post(f"/contests/penalties/{world.penalty1}/delete"),
        client.post(
            f"/contests/rounds/{world.round1}/secretary",
            data={f"m-{world.contest_entry1}-{world.part1_quiz}-value": "5"},
        ),
    ):
        assert response.status_code == 422
        assert message in body(response)
    assert fingerprint(app) == before


# Multiple-choice results


def quiz_url(world):
    return f"/contests/rounds/{world.round1}/secretary"


def cell(entry_id, part_id, value, correct="", count="", version=""):
    key = f"m-{entry_id}-{part_id}"
    return {
        f"{key}-value": value,
        f"{key}-correct": correct,
        f"{key}-count": count,
        f"{key}-version": version,
    }


def test_secretary_marks_table_saves_every_cell(app, world, login_as):
    client = login_as("officer")
    page = client.get(quiz_url(world))
    assert page.status_code == 200 and "<html" in body(page)
    assert f'name="m-{world.contest_entry1}-{world.part1_quiz}-value"' in body(page)
    data = {
        **cell(world.contest_entry1, world.part1_quiz, "7,5", "15", "20"),
        **cell(world.contest_entry2, world.part1_quiz, "10"),
    }
    response = client.post(quiz_url(world), data=data)
    assert response.status_code == 303
    assert quiz_of(app, world.round1) == {
        (world.contest_entry1, world.part1_quiz): (Decimal("7.5"), 15, 20, 1),
        (world.contest_entry2, world.part1_quiz): (Decimal(10), None, None, 1),
    }
    html = body(client.get(quiz_url(world)))
    assert "Đã lưu 2 kết quả" in html and 'value="7,5"' in html


@pytest.mark.parametrize(
    ("value", "correct", "count", "message"),
    [
        ("10,25", "", "", "Điểm tối đa là 10"),
        ("-1", "", "", "không được nhỏ hơn 0"),
        ("7,3", "", "", "bước 0,25"),
        ("bảy", "", "", "Điểm phải là một số"),
        ("7", "12", "10", "không được lớn hơn số câu hỏi"),
        ("7", "5", "0", "Số câu hỏi phải lớn hơn 0"),
        ("7", "năm", "10", "số nguyên"),
        ("", "5", "10", "Nhập điểm"),
    ],
)
def test_one_bad_cell_saves_nothing(app, world, login_as, value, correct, count, message):
    client = login_as("officer")
    data = {
        **cell(world.contest_entry1, world.part1_quiz, "8"),
        **cell(world.contest_entry2, world.part1_quiz, value, correct, count),
    }
    response = client.post(quiz_url(world), data=data)
    assert response.status_code == 422
    html = body(response)
    assert message in html
    # The message is next to the bad cell, and what was typed stays in the table.
    key = f"m-{world.contest_entry2}-{world.part1_quiz}"
    assert f'id="{key}-error"' in html and f'aria-describedby="{key}-error"' in html
    assert f'id="m-{world.contest_entry1}-{world.part1_quiz}-error"' not in html
    assert quiz_of(app, world.round1) == {}


def test_stale_table_is_refused_and_the_first_save_kept(app, world, login_as):
    first, second = login_as("officer"), login_as("admin")
    first.post(quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "6"))
    saved = quiz_of(app, world.round1)
    # The admin's table was loaded before the first save (no version): a conflict, 409.
    response = second.post(quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "9"))
    assert response.status_code == 409
    assert "vừa được người khác sửa" in body(response)
    assert quiz_of(app, world.round1) == saved
    # With the version it was loaded with, the correction goes through (and the version moves).
    response = second.post(
        quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "9", version="1")
    )
    assert response.status_code == 303
    assert quiz_of(app, world.round1)[(world.contest_entry1, world.part1_quiz)] == (
        Decimal(9),
        None,
        None,
        2,
    )
    # Posting the same values again with an old version changes nothing and is no conflict.
    same = second.post(
        quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "9", version="1")
    )
    assert same.status_code == 303


def test_clearing_a_cell_removes_the_result(app, world, login_as):
    client = login_as("officer")
    client.post(quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "6"))
    response = client.post(
        quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "", version="1")
    )
    assert response.status_code == 303
    assert quiz_of(app, world.round1) == {}


def test_cells_of_other_rounds_are_ignored(app, world, login_as):
    """S3: only the table's own cells are read."""
    data = {
        **cell(world.contest_entry3, world.part3_intro, "5"),
        **cell(world.contest_entry1, world.part1_intro, "5"),
        **cell(world.contest_entry1, world.part1_quiz, "5"),
    }
    assert login_as("officer").post(quiz_url(world), data=data).status_code == 303
    assert list(quiz_of(app, world.round1)) == [(world.contest_entry1, world.part1_quiz)]
    assert quiz_of(app, world.round3) == {}


def test_secretary_marks_with_htmx(app, world, login_as):
    client = login_as("officer")
    fragment = client.get(quiz_url(world), htmx=True)
    assert fragment.status_code == 200
    assert "<html" not in body(fragment) and 'id="secretary-marks"' in body(fragment)
    ok = client.post(
        quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "8"), htmx=True
    )
    assert ok.status_code == 200
    assert "<html" not in body(ok) and "Đã lưu 1 kết quả" in body(ok) and 'value="8"' in body(ok)
    bad = client.post(
        quiz_url(world), data=cell(world.contest_entry2, world.part1_quiz, "11"), htmx=True
    )
    assert bad.status_code == 422 and "<html" not in body(bad) and "Điểm tối đa là 10" in body(bad)


def test_the_quiz_result_counts_in_the_progress(app, world, login_as):
    client = login_as("officer")
    client.post(quiz_url(world), data=cell(world.contest_entry1, world.part1_quiz, "8"))
    with app.app_context():
        progress = round_progress(db.session.get(m.ContestRound, world.round1))
    assert (progress.quiz_done, progress.quiz_expected) == (1, 2)
