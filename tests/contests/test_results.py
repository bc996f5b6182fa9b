"""Results of a round (DOMAIN.md §5 Aggregation, Rounding, Tie-break, Prizes, Results): what
compute_round makes of the recorded marks, and the board's pages: the live ranking, tie
decisions, publishing snapshots, the published view and the projector."""

import json
import random
import re
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from app.audit.models import AuditLog
from app.contests import models as m
from app.contests.services import ContestError
from app.contests.services import results as service
from app.extensions import db
from tests.contests.factories import (
    add_penalty,
    make_round,
    score_round,
    secretary_mark,
    submit_sheet,
)

SKIT = ("Tiểu phẩm", "skit", "20", "judges", (("Nội dung", "12"), ("Diễn xuất", "8")))


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The words of a page, tags and repeated spaces out."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def results_of(setup) -> dict:
    return service.results_data(service.compute_round(setup.round))


def normalized(data: dict) -> list:
    """A ranking without the ids that differ between two setups."""
    return [
        {k: v for k, v in entry.items() if k not in ("entry_id", "unit")}
        for entry in data["entries"]
    ]


def snapshot_count(round_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(m.ResultSnapshot)
        .where(m.ResultSnapshot.round_id == round_id)
    )


# The rules through the database (compute_round)


def standard_marks(setup):
    """Intro and skit marks that differ per judge and entry, with non-terminating means."""
    intro, skit = setup.part("intro"), setup.part("skit")

    def mark(j, e, part_id):
        if part_id == intro:
            return Decimal("6") + Decimal("0.25") * ((j * 3 + e * 5) % 13)
        if part_id == skit:
            return {"Nội dung": Decimal(8) + (j + e) % 4, "Diễn xuất": Decimal(5) + (j * e) % 3}
        raise AssertionError(part_id)

    return mark


def test_the_order_judges_submit_in_does_not_change_the_results(ctx):
    first, second = make_round(entries=4, judges=3), make_round(entries=4, judges=3)
    for setup, seed in ((first, 1), (second, 2)):
        mark = standard_marks(setup)
        sheets = [(j, e, p) for j in range(3) for e in range(4) for p in setup.judged_parts]
        random.Random(seed).shuffle(sheets)
        for j, e, p in sheets:
            submit_sheet(setup, setup.judge_ids[j], setup.entry_ids[e], p, mark(j, e, p))
        for e, entry_id in enumerate(setup.entry_ids):
            secretary_mark(setup, entry_id, setup.part("knowledge"), 5 + e % 2)
    db.session.flush()
    one, two = results_of(first), results_of(second)
    assert normalized(one) == normalized(two)
    assert all(entry["total"] is not None for entry in one["entries"])


def test_a_trimmed_mean_with_five_judges(ctx):
    setup = make_round(entries=2, judges=5)
    intro = setup.part("intro")
    marks = {0: ["6", "7", "8", "9", "10"], 1: ["5", "7.25", "7.5", "8", "10"]}
    score_round(
        setup,
        lambda j, e, p: marks[e][j] if p == intro else {"Nội dung": "10", "Diễn xuất": "6"},
    )
    data = results_of(setup)
    intro_results = {e["name"]: e["parts"][0]["result"] for e in data["entries"]}
    # Dropping one highest and one lowest: (7+8+9)/3 and (7.25+7.5+8)/3 = 7.58333...
    assert intro_results == {"Đội số 1": "8.00", "Đội số 2": "7.58"}


def test_a_missing_sheet_blocks_publishing_and_is_never_a_zero(ctx):
    setup = make_round(entries=3, judges=3)
    score_round(setup, standard_marks(setup))
    # Judge 3 reopened entry 1's intro sheet: it is a draft again.
    submit_sheet(
        setup, setup.judge_ids[2], setup.entry_ids[0], setup.part("intro"), "9", status="draft"
    )
    outcome = service.compute_round(setup.round)
    first = next(r for r in outcome.results if r.entry_id == setup.entry_ids[0])
    assert first.parts[setup.part("intro")] is None and first.total is None
    assert first.rank is None and not first.complete
    assert [r.rank for r in outcome.results if r.complete] == [1, 2]
    assert "Còn 1 phiếu chấm chưa nộp." in outcome.blockers()
    assert service.entry_gaps(outcome)[first.entry_id] == ["Giới thiệu: còn 1 phiếu chấm chưa nộp"]
    with pytest.raises(ContestError):
        service.publish_round(setup.round, None, None)
    assert snapshot_count(setup.round_id) == 0


def test_a_judge_of_the_entrys_own_unit_is_not_expected_to_score_it(ctx):
    setup = make_round(entries=2, judges=3)
    # Judge 3 works in entry 1's commune: two sheets make entry 1's parts final.
    db.session.get(m.ContestJudge, setup.judge_ids[2]).unit_id = setup.entry_unit_ids[0]
    intro = setup.part("intro")
    score_round(
        setup,
        lambda j, e, p: ("7", "8", "10")[j] if p == intro else {"Nội dung": "9", "Diễn xuất": "5"},
        judges=setup.judge_ids[:2],
    )
    for entry_id in setup.entry_ids:
        secretary_mark(setup, entry_id, setup.part("knowledge"), "6")
    outcome = service.compute_round(setup.round)
    by_entry = {r.entry_id: r for r in outcome.results}
    assert by_entry[setup.entry_ids[0]].parts[intro] == Decimal("7.50")
    assert by_entry[setup.entry_ids[1]].total is None  # judge 3 still owes entry 2 two sheets
    assert "Còn 2 phiếu chấm chưa nộp." in outcome.blockers()


def test_adding_a_constant_to_every_mark_of_a_part_shifts_every_entry_equally(ctx):
    base, shifted = make_round(entries=4, judges=3), make_round(entries=4, judges=3)
    intro = base.part("intro")
    for setup, extra in ((base, Decimal(0)), (shifted, Decimal("1.25"))):
        mark = standard_marks(setup)
        score_round(
            setup,
            lambda j, e, p, s=setup, x=extra, f=mark: (
                f(j, e, p) + x if p == s.part("intro") else f(j, e, p)
            ),
            secretary=lambda e: 4 + e,
        )
    one, two = results_of(base), results_of(shifted)
    assert intro != shifted.part("intro")
    for a, b in zip(one["entries"], two["entries"], strict=True):
        assert a["name"] == b["name"]
        assert Decimal(b["parts"][0]["result"]) - Decimal(a["parts"][0]["result"]) == Decimal(
            "1.25"
        )
        assert Decimal(b["total"]) - Decimal(a["total"]) == Decimal("1.25")


def test_the_printed_parts_add_up_to_the_printed_total_in_the_snapshot(ctx):
    setup = make_round(entries=5, judges=3, prizes=(("Giải Nhất", 1), ("Giải Nhì", 2)))
    score_round(setup, standard_marks(setup), secretary=lambda e: Decimal("3.75") + e)
    add_penalty(setup, setup.entry_ids[1], "0.5")
    add_penalty(setup, setup.entry_ids[3], "0.25")
    snapshot = service.publish_round(setup.round, None, None)
    data = json.loads(snapshot.data)
    assert data["number"] == 1 and data["reason"] is None
    for entry in data["entries"]:
        parts = sum(Decimal(p["result"]) for p in entry["parts"])
        assert parts - Decimal(entry["penalty"]) == Decimal(entry["total"])
        assert re.fullmatch(r"\d+\.\d\d", entry["total"])
    totals = [Decimal(e["total"]) for e in data["entries"]]
    assert totals == sorted(totals, reverse=True)


def test_compute_round_makes_the_same_number_of_queries_for_3_and_8_entries(app, ctx):
    def queries(entries):
        setup = make_round(entries=entries, judges=3)
        # Judges with units: the conflict check runs its queries too.
        for judge_id, unit_id in zip(setup.judge_ids, setup.entry_unit_ids, strict=False):
            db.session.get(m.ContestJudge, judge_id).unit_id = unit_id
        score_round(setup, standard_marks(setup))
        add_penalty(setup, setup.entry_ids[0], "0.5")
        db.session.commit()
        db.session.expire_all()
        round_ = setup.round
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            service.results_data(service.compute_round(round_))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    assert queries(3) == queries(8)


# The board's ranking page


def board_round(world, **kwargs):
    """A round organised by the world's district D1 (its officer is the board), entries from
    its communes; scored completely unless told otherwise."""
    kwargs.setdefault("entries", 3)
    kwargs.setdefault("judges", 3)
    score = kwargs.pop("score", True)
    setup = make_round(
        organiser_id=world.d1, entry_unit_ids=[world.v1, world.c1, world.v2, world.c2], **kwargs
    )
    if score:
        score_round(setup, standard_marks(setup))
    db.session.commit()
    return setup


@pytest.fixture
def scored(app, world):
    with app.app_context():
        return board_round(world)


def test_the_board_sees_the_ranking_as_it_stands_as_a_page_and_as_a_fragment(app, world, login_as):
    with app.app_context():
        setup = board_round(world, entries=4, score=False)
        score_round(setup, standard_marks(setup))
        # Entry 4: one skit sheet still a draft, its quiz result missing.
        submit_sheet(
            setup,
            setup.judge_ids[1],
            setup.entry_ids[3],
            setup.part("skit"),
            {"Nội dung": "9", "Diễn xuất": "5"},
            status="draft",
        )
        db.session.execute(
            db.delete(m.SecretaryMark).where(m.SecretaryMark.entry_id == setup.entry_ids[3])
        )
        db.session.commit()
        expected = results_of(setup)
    client = login_as("officer")
    url = f"/contests/rounds/{setup.round_id}/results"
    page = client.get(url)
    html = body(page)
    assert page.status_code == 200 and "HX-Request" in page.headers["Vary"]
    words = text_of(main_of(html))
    assert "Chưa đủ điểm" in words
    assert "Tiểu phẩm: còn 1 phiếu chấm chưa nộp" in words
    assert "Kiến thức: chưa nhập kết quả" in words
    assert "Còn 1 phiếu chấm chưa nộp." in words
    assert "Giải Nhất" in words and "Giải Nhì" in words and "Giải Ba" in words
    winner = expected["entries"][0]
    assert winner["rank"] == 1
    assert format_points(winner["total"]) in words
    assert 'hx-trigger="every 30s"' in html
    # While something blocks publishing, the page says so instead of offering a button that
    # could only be refused.
    assert f"/contests/rounds/{setup.round_id}/publish" not in html
    assert "tải lại trang để công bố" in words
    fragment = client.get(url, htmx=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in body(fragment) and 'id="ranking"' in body(fragment)
    assert "Chưa đủ điểm" in body(fragment)
    assert len(fragment.get_data()) < 15 * 1024 and len(page.get_data()) < 100 * 1024


def format_points(text: str) -> str:
    """ "28.50" → "28,50", as pages print points."""
    return text.replace(".", ",")


def test_a_round_that_is_not_the_last_shows_who_advances(app, world, login_as):
    with app.app_context():
        setup = board_round(world, entries=4, last=False, advance_count=2)
        data = results_of(setup)
    assert [e["advances"] for e in data["entries"]] == [True, True, False, False]
    assert all(e["prize"] is None for e in data["entries"])
    words = text_of(body(login_as("officer").get(f"/contests/rounds/{setup.round_id}/results")))
    assert words.count("Vào vòng sau") == 2 and "Giải Nhất" not in words


@pytest.mark.parametrize("role", ["commune_staff", "viewer", "judge"])
def test_nobody_but_the_board_sees_the_unpublished_ranking(app, world, scored, login_as, role):
    client = login_as(role)
    for url in (
        f"/contests/rounds/{scored.round_id}/results",
        f"/contests/rounds/{scored.round_id}/ties",
        f"/contests/rounds/{scored.round_id}/published",
        f"/contests/rounds/{scored.round_id}/projector",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "Đội số 1" not in body(response)
    refused = client.post(f"/contests/rounds/{scored.round_id}/publish", data={})
    assert refused.status_code in (403, 404)
    with app.app_context():
        assert snapshot_count(scored.round_id) == 0


def test_another_provinces_officer_gets_404(app, world, scored, login_as):
    client = login_as("officer_p2")
    assert client.get(f"/contests/rounds/{scored.round_id}/results").status_code == 404
    assert client.post(f"/contests/rounds/{scored.round_id}/publish").status_code == 404


# Publishing


def test_publishing_stores_a_snapshot_and_everyone_in_the_contest_reads_it(
    app, world, scored, login_as
):
    board = login_as("officer")
    response = board.post(f"/contests/rounds/{scored.round_id}/publish", data={"reason": ""})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/contests/rounds/{scored.round_id}/published")
    with app.app_context():
        snapshot = service.latest_snapshot(scored.round_id)
        data = service.snapshot_data(snapshot)
        assert snapshot.number == 1 and snapshot.published_by_id == world.users["officer"]
        assert db.session.get(m.ContestRound, scored.round_id).status == "published"
        assert db.session.get(m.Contest, scored.contest_id).status == "published"
    for role in ("officer", "commune_staff", "viewer", "admin"):
        page = login_as(role).get(f"/contests/rounds/{scored.round_id}/published")
        assert page.status_code == 200, role
        words = text_of(main_of(body(page)))
        for entry in data["entries"]:
            assert entry["name"] in words and format_points(entry["total"]) in words
        assert "Bản số 1" in words
    assert login_as("judge").get(f"/contests/rounds/{scored.round_id}/published").status_code == 403


def test_the_published_view_does_not_change_when_marks_change_later(app, world, scored, login_as):
    board = login_as("officer")
    assert board.post(f"/contests/rounds/{scored.round_id}/publish").status_code == 303
    reader = login_as("viewer")
    url = f"/contests/rounds/{scored.round_id}/published"
    before = main_of(body(reader.get(url)))
    with app.app_context():
        # A judge's mark corrected and a penalty added after publishing.
        submit_sheet(scored, scored.judge_ids[0], scored.entry_ids[0], scored.part("intro"), "1")
        add_penalty(scored, scored.entry_ids[1], "2")
        db.session.commit()
        changed = results_of(scored)
    assert main_of(body(reader.get(url))) == before
    live = text_of(main_of(body(board.get(f"/contests/rounds/{scored.round_id}/results"))))
    for entry in changed["entries"]:
        assert format_points(entry["total"]) in live


def test_publishing_is_refused_while_a_sheet_is_missing(app, world, login_as):
    with app.app_context():
        setup = board_round(world, score=False)
        score_round(setup, standard_marks(setup), judges=setup.judge_ids[:2])
        db.session.commit()
    response = login_as("officer").post(f"/contests/rounds/{setup.round_id}/publish")
    assert response.status_code == 422
    assert "Còn 6 phiếu chấm chưa nộp." in text_of(body(response))
    with app.app_context():
        assert snapshot_count(setup.round_id) == 0
        assert db.session.get(m.ContestRound, setup.round_id).status == "judging"


def test_publishing_is_refused_while_a_quiz_result_is_missing(app, world, login_as):
    with app.app_context():
        setup = board_round(world)
        db.session.execute(
            db.delete(m.SecretaryMark).where(m.SecretaryMark.entry_id == setup.entry_ids[2])
        )
        db.session.commit()
    response = login_as("officer").post(f"/contests/rounds/{setup.round_id}/publish")
    assert response.status_code == 422
    assert "Còn 1 kết quả phần thi trắc nghiệm chưa nhập." in text_of(body(response))


@pytest.mark.parametrize(
    ("contest_status", "round_status", "message"),
    [
        ("judging", "preparing", "Vòng thi chưa mở chấm"),
        ("closed", "judging", "Hội thi đã kết thúc"),
        ("registration", "judging", "Hội thi chưa bắt đầu chấm thi"),
    ],
)
def test_publishing_needs_a_contest_and_a_round_being_judged(
    app, world, login_as, contest_status, round_status, message
):
    with app.app_context():
        setup = board_round(world, contest_status=contest_status, round_status=round_status)
    response = login_as("officer").post(f"/contests/rounds/{setup.round_id}/publish")
    assert response.status_code == 422 and message in body(response)
    with app.app_context():
        assert snapshot_count(setup.round_id) == 0


def test_a_correction_is_a_new_snapshot_with_its_reason_and_the_old_one_stays(
    app, world, scored, login_as
):
    board = login_as("officer")
    publish = f"/contests/rounds/{scored.round_id}/publish"
    assert board.post(publish).status_code == 303
    with app.app_context():
        first = service.latest_snapshot(scored.round_id)
        first_data, first_at = first.data, first.published_at
    # Unchanged results: nothing to correct (even with a reason).
    same = board.post(publish, data={"reason": "Kiểm tra lại"})
    assert same.status_code == 422 and "không có gì để đính chính" in body(same)
    with app.app_context():
        # The head judge reopened a sheet; the judge corrected the mark.
        submit_sheet(scored, scored.judge_ids[1], scored.entry_ids[2], scored.part("intro"), "10")
        db.session.get(m.ContestRound, scored.round_id).status = "judging"
        db.session.commit()
    without = board.post(publish, data={"reason": "  "})
    assert without.status_code == 422
    assert "công bố lại cần ghi lý do đính chính" in body(without)
    too_long = board.post(publish, data={"reason": "x" * 2001})
    assert too_long.status_code == 422 and "Tối đa 2.000 ký tự." in body(too_long)
    reason = "Giám khảo 2 chấm lại phần giới thiệu của Đội số 3"
    assert board.post(publish, data={"reason": reason}).status_code == 303
    with app.app_context():
        rows = db.session.scalars(
            select(m.ResultSnapshot)
            .where(m.ResultSnapshot.round_id == scored.round_id)
            .order_by(m.ResultSnapshot.number)
        ).all()
        assert [r.number for r in rows] == [1, 2]
        assert rows[0].data == first_data and rows[0].published_at == first_at
        assert rows[0].reason is None and rows[1].reason == reason
        assert json.loads(rows[1].data)["reason"] == reason
        assert json.loads(rows[1].data)["number"] == 2
    reader = login_as("commune_staff")
    latest = text_of(main_of(body(reader.get(f"/contests/rounds/{scored.round_id}/published"))))
    assert "Bản số 2" in latest and "Bản đính chính" in latest and reason in latest
    old = text_of(
        main_of(body(reader.get(f"/contests/rounds/{scored.round_id}/published?number=1")))
    )
    assert "Bản số 1 đã được thay thế bởi bản số 2" in old and reason in old
    assert reader.get(f"/contests/rounds/{scored.round_id}/published?number=3").status_code == 404
    assert reader.get(f"/contests/rounds/{scored.round_id}/published?number=x").status_code == 404


def test_a_snapshot_is_never_updated(ctx):
    setup = make_round(entries=2, judges=2)
    score_round(setup, standard_marks(setup))
    snapshot = service.publish_round(setup.round, None, None)
    snapshot.data = "{}"
    with pytest.raises(ValueError, match="never changed"):
        db.session.flush()


def test_two_board_members_publishing_at_once_get_one_snapshot(
    app, world, scored, login_as, monkeypatch
):
    board = login_as("officer")
    assert board.post(f"/contests/rounds/{scored.round_id}/publish").status_code == 303
    with app.app_context():
        submit_sheet(scored, scored.judge_ids[0], scored.entry_ids[0], scored.part("intro"), "2")
        db.session.commit()
    # The second publisher read "nothing published yet" just before the first one committed.
    monkeypatch.setattr(service.publish, "latest_snapshot", lambda round_id: None)
    response = login_as("admin").post(f"/contests/rounds/{scored.round_id}/publish")
    assert response.status_code == 409
    assert "vừa được người khác công bố" in body(response)
    with app.app_context():
        assert snapshot_count(scored.round_id) == 1


def test_the_board_is_told_when_nothing_is_published_yet(app, world, scored, login_as):
    page = login_as("officer").get(f"/contests/rounds/{scored.round_id}/published")
    assert page.status_code == 200 and "chưa được công bố" in body(page)
    assert (
        login_as("viewer").get(f"/contests/rounds/{scored.round_id}/published").status_code == 404
    )


# Ties at a boundary


def tie_marks(setup):
    """Entries 1 and 2 identical in every mark and ahead of the others: tied for first place
    (across the Nhất/Nhì cut)."""
    intro = setup.part("intro")

    def mark(j, e, p):
        if p == intro:
            return Decimal("9.5") if e < 2 else Decimal(6) + Decimal("0.25") * e
        return {"Nội dung": "10", "Diễn xuất": str(6 + j % 2)}

    return mark


def tied_round(world, **kwargs):
    """A round of the world's district whose entries 1 and 2 are tied for first place."""
    setup = board_round(world, score=False, **kwargs)
    score_round(setup, tie_marks(setup), secretary=lambda e: 5)
    db.session.commit()
    return setup


def test_a_boundary_tie_blocks_publishing_until_the_board_decides(app, world, login_as):
    with app.app_context():
        setup = tied_round(world, entries=4)
        outcome = service.compute_round(setup.round)
        first, second = setup.entry_ids[:2]
        assert outcome.ties == [(1, sorted([first, second]))]
    board = login_as("officer")
    rid = setup.round_id
    refused = board.post(f"/contests/rounds/{rid}/publish")
    assert refused.status_code == 422
    assert "Đồng điểm ở ranh giới xếp hạng 1" in body(refused)
    results_page = body(board.get(f"/contests/rounds/{rid}/results"))
    assert "cần quyết định" in results_page and f"/contests/rounds/{rid}/ties" in results_page

    ties = board.get(f"/contests/rounds/{rid}/ties")
    words = text_of(main_of(body(ties)))
    assert ties.status_code == 200 and "Đội số 1" in words and "Đội số 2" in words
    assert "Điểm phần tiểu phẩm cao hơn" in words and "Hạng 2" in words
    decision = {
        "group": f"{min(first, second)},{max(first, second)}",
        f"position_{first}": "2",
        f"position_{second}": "1",
        "reason": "Bốc thăm trước Ban Tổ chức",
    }
    saved = board.post(f"/contests/rounds/{rid}/ties", data=decision)
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"/rounds/{rid}/results")
    with app.app_context():
        assert service.compute_round(db.session.get(m.ContestRound, rid)).ties == []
        audit = db.session.scalar(
            select(AuditLog).where(
                AuditLog.object_type == "TieDecision", AuditLog.action == "create"
            )
        )
        assert audit is not None and audit.user_id == world.users["officer"]
    assert board.post(f"/contests/rounds/{rid}/publish").status_code == 303
    with app.app_context():
        data = service.snapshot_data(service.latest_snapshot(rid))
    ranks = {e["entry_id"]: (e["rank"], e["prize"]) for e in data["entries"]}
    assert ranks[second] == (1, "Giải Nhất") and ranks[first] == (2, "Giải Nhì")
    assert sorted(e["rank"] for e in data["entries"]) == [1, 2, 3, 4]
    assert data["tie_decisions"] == [
        {"entry_ids": [second, first], "reason": "Bốc thăm trước Ban Tổ chức"}
    ]
    published = text_of(main_of(body(login_as("viewer").get(f"/contests/rounds/{rid}/published"))))
    assert "Đội số 2 xếp trên Đội số 1" in published


def test_a_tie_away_from_every_boundary_shares_its_rank_and_does_not_block(ctx):
    setup = make_round(entries=5, judges=3, prizes=(("Giải Nhất", 1), ("Giải Nhì", 1)))
    mark = standard_marks(setup)
    # Entries 4 and 5 are identical; the intro marks keep entries 1-3 ahead of them.
    intro = setup.part("intro")
    score_round(
        setup,
        lambda j, e, p: Decimal(9 - min(e, 3)) if p == intro else mark(j, min(e, 3), p),
        secretary=lambda e: 5,
    )
    outcome = service.compute_round(setup.round)
    assert outcome.ties == [] and outcome.blockers() == []
    assert [r.rank for r in outcome.results] == [1, 2, 3, 4, 4]
    rows = service.ranking_rows(outcome)
    assert [row.shared for row in rows] == [False, False, False, True, True]


def test_a_tie_at_the_advancement_cut_blocks_too(ctx):
    setup = make_round(entries=3, judges=2, last=False, advance_count=1)
    score_round(
        setup,
        lambda j, e, p: "8" if p == setup.part("intro") else {"Nội dung": "9", "Diễn xuất": "6"},
    )
    outcome = service.compute_round(setup.round)
    assert outcome.ties == [(1, sorted(setup.entry_ids))]
    groups = service.tie_groups(outcome)
    assert groups[0].rank == 1 and len(groups[0].entries) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "Ghi căn cứ của quyết định"),
        ({"position_A": "1", "position_B": "1"}, "Mỗi đội/thí sinh một thứ hạng khác nhau."),
        ({"position_A": ""}, "Chọn thứ hạng cho đội/thí sinh này."),
        ({"position_A": "7"}, "Chọn một thứ hạng trong danh sách."),
        ({"group": "A,B,C"}, "không (còn) đồng điểm"),
        ({"group": "A"}, "không (còn) đồng điểm"),
        ({"group": "abc"}, "không (còn) đồng điểm"),
        ({"group": "A,A"}, "không (còn) đồng điểm"),
        ({"group": ",".join(["1"] * 60)}, "không (còn) đồng điểm"),
        ({"reason": "x" * 2001}, "Tối đa 2.000 ký tự."),
    ],
)
def test_a_bad_tie_decision_is_refused_and_nothing_is_saved(app, world, login_as, change, message):
    with app.app_context():
        setup = tied_round(world, entries=3)
    a, b, c = setup.entry_ids
    ids = {"A": str(a), "B": str(b), "C": str(c)}

    def named(text):
        return re.sub(r"(?<![A-Za-z])[ABC](?![A-Za-z])", lambda hit: ids[hit.group(0)], text)

    form = {"group": f"{a},{b}", f"position_{a}": "1", f"position_{b}": "2", "reason": "Bốc thăm"}
    for key, value in change.items():
        form[named(key)] = named(value)
    response = login_as("officer").post(f"/contests/rounds/{setup.round_id}/ties", data=form)
    assert response.status_code == 422
    assert message in body(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(m.TieDecision)) == 0


def test_the_ties_page_says_when_there_is_nothing_to_decide(app, world, scored, login_as):
    page = login_as("officer").get(f"/contests/rounds/{scored.round_id}/ties")
    assert page.status_code == 200
    assert "Không có trường hợp đồng điểm nào cần quyết định" in body(page)


def test_a_stale_decision_no_longer_applies_once_the_marks_change(ctx):
    setup = make_round(entries=3, judges=2)
    score_round(setup, tie_marks(setup), secretary=lambda e: 5)
    first, second = setup.entry_ids[:2]
    service.decide_tie(setup.round, [second, first], "Bốc thăm", None)
    assert service.compute_round(setup.round).ties == []
    # A later correction separates them: the decision's group no longer exists.
    submit_sheet(setup, setup.judge_ids[0], first, setup.part("intro"), "10")
    outcome = service.compute_round(setup.round)
    assert outcome.ties == []
    assert next(r for r in outcome.results if r.entry_id == first).rank == 1
    with pytest.raises(ContestError):
        service.decide_tie(setup.round, [second, first], "Bốc thăm", None)


# The projector


def test_the_projector_is_404_until_published_then_shows_the_latest_snapshot(
    app, world, scored, login_as
):
    board = login_as("officer")
    url = f"/contests/rounds/{scored.round_id}/projector"
    assert board.get(url).status_code == 404
    assert board.get(url, htmx=True).status_code == 404
    assert board.post(f"/contests/rounds/{scored.round_id}/publish").status_code == 303
    with app.app_context():
        data = service.snapshot_data(service.latest_snapshot(scored.round_id))
    page = login_as("viewer").get(url)
    html = body(page)
    assert page.status_code == 200
    assert 'class="topbar' not in html and "mainnav" not in html  # no navigation chrome
    assert 'hx-trigger="every 30s"' in html and f'hx-get="{url}"' in html
    words = text_of(html)
    for entry in data["entries"]:
        assert entry["name"] in words and format_points(entry["total"]) in words
    assert "Giải Nhất" in words
    fragment = login_as("viewer").get(url, htmx=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in body(fragment) and 'id="projector-board"' in body(fragment)
    assert len(fragment.get_data()) < 15 * 1024
    assert login_as("judge").get(url).status_code == 403
    assert login_as("officer_p2").get(url).status_code == 404


def test_the_projector_shows_a_correction(app, world, scored, login_as):
    board = login_as("officer")
    assert board.post(f"/contests/rounds/{scored.round_id}/publish").status_code == 303
    with app.app_context():
        submit_sheet(scored, scored.judge_ids[0], scored.entry_ids[2], scored.part("intro"), "10")
        db.session.commit()
    response = board.post(
        f"/contests/rounds/{scored.round_id}/publish", data={"reason": "Chấm lại"}
    )
    assert response.status_code == 303
    with app.app_context():
        data = service.snapshot_data(service.latest_snapshot(scored.round_id))
    fragment = body(board.get(f"/contests/rounds/{scored.round_id}/projector", htmx=True))
    assert "Bản đính chính số 2" in fragment
    for entry in data["entries"]:
        assert format_points(entry["total"]) in fragment


def test_the_worlds_published_round_reads_the_same_from_page_and_snapshot(app, world, login_as):
    """The world's preliminary round (published when the world was made)."""
    page = login_as("commune_staff").get(f"/contests/rounds/{world.round0}/published")
    words = text_of(main_of(body(page)))
    assert page.status_code == 200
    assert "Giàng Thị Mai (Bản Delta)" in words and "32,25" in words and "28,25" in words
