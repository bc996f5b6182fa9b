"""Setting a contest up: the contest and its rules, rounds copying their parts, parts with
criteria and penalty rules, the prize table, the status, and the amendments once frozen."""

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.contests import models as m
from app.contests.services.words import (
    parse_duration,
    parse_tier_lines,
    penalty_words,
    tier_lines,
    tiers_text,
)
from app.extensions import db
from tests.contests.factories import add_round, make_contest
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint


def get(app, model, object_id):
    with app.app_context():
        obj = db.session.get(model, object_id)
        db.session.expunge(obj)
        return obj


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's text without tags, white space collapsed (what a person reads)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def contest_form(**changes) -> dict:
    """A complete contest form (the world's contest1 rules), with changes."""
    data = {
        "name": "Hội thi hòa giải viên giỏi MARKER-D1",
        "level": "district",
        "year": "2026",
        "rule_document": "12/TL-BTC",
        "note": "",
        "entry_kind": "individual",
        "official_count": "1",
        "reserve_min": "0",
        "reserve_max": "0",
        "actor_max": "0",
        "aggregation": "auto",
        "places": "2",
        "rounding": "half_up",
        "step": "0,25",
        "outlier_percent": "20",
        "tie_break-0": "skit",
        "tie_break-1": "situation",
        "tie_break-2": "knowledge",
        "tie_break-3": "raw_sum",
        "tie_break-4": "penalties",
        "tie_break-5": "",
        "version": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def part_form(**changes) -> dict:
    data = {
        "name": "Xử lý tình huống",
        "kind": "situation",
        "max_points": "30",
        "scored_by": "judges",
        "time_limit": "5:00",
        "penalty_kind": "cutoff",
        "penalty_points": "",
        "penalty_tiers": "",
        "guidance": "Chấm theo đáp án của Ban Tổ chức.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def draft(app, world):
    """A draft contest of D1 (the world's officer runs it) with one round and one part."""
    with app.app_context():
        contest = make_contest(world.d1, status="draft", name="Hội thi nháp MARKER-D1")
        round_, parts, _ = add_round(
            contest,
            status="preparing",
            parts=(("Giới thiệu", "intro", "10", "judges", ()),),
        )
        db.session.commit()
        return {"contest": contest.id, "round": round_.id, "part": parts[0].id}


# Creating a contest, end to end


def test_an_officer_sets_up_a_contest_from_scratch(app, world, login_as):
    client = login_as("officer")
    page = client.get("/contests/new")
    assert page.status_code == 200
    assert "Huyện Beta MARKER-D1" in body(page)  # the organiser offered: the user's unit
    response = client.post(
        "/contests/new",
        data=contest_form(
            name="Hội thi hòa giải viên giỏi huyện Beta 2026",
            unit=f"Huyện Beta (#{world.d1})",
            entry_kind="team",
            official_count="3",
            reserve_min="1",
            reserve_max="2",
            actor_max="5",
            step="0,5",
            version=None,
        ),
    )
    assert response.status_code == 303, body(response)[:2000]
    contest_id = int(response.headers["Location"].rsplit("/", 1)[1])
    contest = get(app, m.Contest, contest_id)
    assert (contest.status, contest.unit_id, contest.district_id) == ("draft", world.d1, world.d1)
    assert contest.step == Decimal("0.5") and contest.entry_kind == "team"
    assert contest.frozen_at is None
    # The usual prize table is offered.
    with app.app_context():
        prizes = db.session.execute(
            select(m.ContestPrize.name, m.ContestPrize.kind, m.ContestPrize.count)
            .where(m.ContestPrize.contest_id == contest_id)
            .order_by(m.ContestPrize.position)
        ).all()
    assert prizes[:4] == [
        ("Giải Nhất", "rank", 1),
        ("Giải Nhì", "rank", 2),
        ("Giải Ba", "rank", 3),
        ("Giải Khuyến khích", "rank", 4),
    ]
    assert ("Tiểu phẩm hay nhất", "side", 1) in prizes

    # Registration cannot open without a round.
    refused = client.post(f"/contests/{contest_id}/transition", data={"to": "registration"})
    assert refused.status_code == 422
    assert "Hội thi chưa có vòng thi nào." in body(refused)

    response = client.post(
        f"/contests/{contest_id}/rounds/new",
        data={
            "name": "Vòng chung khảo",
            "kind": "final",
            "held_on": "15/10/2026",
            "venue": "Hội trường UBND huyện",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        round_id = db.session.scalar(
            select(m.ContestRound.id).where(m.ContestRound.contest_id == contest_id)
        )
    # A part with criteria: "Thêm tiêu chí" adds a row without saving.
    url = f"/contests/rounds/{round_id}/parts/new"
    added = client.post(url, data={**part_form(name="Tiểu phẩm"), "add_criterion": "1"})
    assert added.status_code == 200 and 'name="criteria-0-name"' in body(added)
    assert count(app, m.ContestPart, m.ContestPart.round_id == round_id) == 0
    response = client.post(
        url,
        data=part_form(
            name="Tiểu phẩm",
            kind="skit",
            max_points="20",
            time_limit="6",
            penalty_kind="tiered",
            penalty_tiers="dưới 1 phút: 0,25\ntừ 1 phút: 0,5",
            **{
                "criteria-0-name": "Nội dung",
                "criteria-0-max_points": "12",
                "criteria-1-name": "Diễn xuất",
                "criteria-1-max_points": "7,5",
                "criteria-2-name": "Trang phục",
                "criteria-2-max_points": "0,5",
            },
        ),
    )
    assert response.status_code == 303, body(response)[:3000]
    with app.app_context():
        part = db.session.scalar(select(m.ContestPart).where(m.ContestPart.round_id == round_id))
        assert (part.max_points, part.time_limit_seconds) == (Decimal(20), 360)
        assert (part.penalty_kind, part.penalty_tiers) == ("tiered", "1:0.25;60:0.5")
        assert [(c.name, c.max_points) for c in part.criteria] == [
            ("Nội dung", Decimal(12)),
            ("Diễn xuất", Decimal("7.5")),
            ("Trang phục", Decimal("0.5")),
        ]
    for to in ("registration", "judging"):
        response = client.post(f"/contests/{contest_id}/transition", data={"to": to})
        assert response.status_code == 303, body(response)[:2000]
    contest = get(app, m.Contest, contest_id)
    assert contest.status == "judging" and contest.frozen_at is not None

    page = text_of(body(client.get(f"/contests/{contest_id}")))
    assert "Quá dưới 1 phút trừ 0,25 điểm; từ 1 phút trừ 0,5 điểm." in page
    assert "Mỗi đội 3 thành viên chính thức (có 1 đội trưởng), 1-2 thành viên dự bị" in page
    assert "Nội dung (12)" in page and "Diễn xuất (7,5)" in page
    assert "Đã khóa từ" in page


def test_commune_staff_organise_only_in_their_subtree(app, world, login_as):
    client = login_as("commune_staff")
    before = count(app, m.Contest)
    for unit, message in (
        (f"#{world.d1}", "Chọn đơn vị của bạn hoặc một đơn vị cấp dưới."),
        (f"#{world.v1}", "Đơn vị tổ chức là xã, huyện hoặc tỉnh."),
        ("", "Chọn đơn vị."),
    ):
        response = client.post("/contests/new", data=contest_form(unit=unit, version=None))
        assert response.status_code == 422
        assert message in body(response)
    assert count(app, m.Contest) == before
    response = client.post(
        "/contests/new", data=contest_form(unit=f"#{world.c1}", level="commune", version=None)
    )
    assert response.status_code == 303
    assert count(app, m.Contest) == before + 1


# Rules validation


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"places": "5"}, "Số chữ số thập phân từ 0 đến 3."),
        ({"step": "0"}, "Bước điểm phải lớn hơn 0."),
        ({"step": "0,125"}, "Tối đa 2 chữ số thập phân."),
        ({"step": "một"}, "Điểm phải là một số, ví dụ 7,5."),
        ({"outlier_percent": "150"}, "Ngưỡng chênh lệch tối đa là 100."),
        ({"tie_break-1": "skit"}, "Mỗi tiêu chí xét bằng điểm chỉ chọn một lần."),
        ({"tie_break-1": "luck"}, "Chọn tiêu chí xét bằng điểm trong danh sách."),
        ({"aggregation": "sum"}, "Chọn cách tổng hợp điểm của giám khảo."),
        ({"year": "20x6"}, "Nhập năm gồm 4 chữ số, ví dụ 2026."),
        (
            {"entry_kind": "team", "official_count": "3", "reserve_min": "2", "reserve_max": "1"},
            "Số dự bị tối đa không được nhỏ hơn số tối thiểu.",
        ),
    ],
)
def test_contest_rules_are_checked(app, world, login_as, draft, changes, message):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(f"/contests/{draft['contest']}/edit", data=contest_form(**changes))
    assert response.status_code == 422
    assert message in body(response)
    assert fingerprint(app) == before


def test_a_new_step_must_divide_every_maximum(app, world, login_as, draft):
    client = login_as("officer")
    response = client.post(f"/contests/{draft['contest']}/edit", data=contest_form(step="3"))
    assert response.status_code == 422
    assert "Điểm tối đa 10 của “Giới thiệu” (Vòng chung khảo) không chia hết cho bước 3." in body(
        response
    )
    assert get(app, m.Contest, draft["contest"]).step == Decimal("0.25")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {
                "criteria-0-name": "Nội dung",
                "criteria-0-max_points": "20",
                "criteria-1-name": "Diễn xuất",
                "criteria-1-max_points": "8",
            },
            "criteria",
            "Tổng điểm các tiêu chí là 28, phải bằng điểm tối đa của phần thi (30).",
        ),
        ({"max_points": "30,1"}, "max_points", "Điểm tối đa phải chia hết cho bước 0,25."),
        ({"max_points": "0"}, "max_points", "Điểm tối đa phải lớn hơn 0."),
        (
            {"criteria-0-name": "", "criteria-0-max_points": "30"},
            "criteria-0-name",
            "Nhập tên tiêu chí.",
        ),
        (
            {"criteria-0-name": "Nội dung", "criteria-0-max_points": "29,9"},
            "criteria-0-max_points",
            "Phải chia hết cho bước 0,25.",
        ),
        ({"time_limit": "3:75"}, "time_limit", "Nhập thời gian theo phút:giây"),
        (
            {"time_limit": "", "penalty_kind": "per_minute", "penalty_points": "1"},
            "time_limit",
            "Nhập thời gian quy định",
        ),
        (
            {"penalty_kind": "per_minute", "penalty_points": ""},
            "penalty_points",
            "Nhập số điểm trừ mỗi phút.",
        ),
        (
            {"penalty_kind": "tiered", "penalty_tiers": ""},
            "penalty_tiers",
            "Nhập các mức trừ điểm.",
        ),
        (
            {"penalty_kind": "tiered", "penalty_tiers": "hơi lâu: 1"},
            "penalty_tiers",
            "Dòng 1 (“hơi lâu: 1”) không đọc được.",
        ),
        (
            {"penalty_kind": "tiered", "penalty_tiers": "dưới 1 phút: 0,25"},
            "penalty_tiers",
            "Sau mức “dưới 1 phút” cần có mức “từ 1 phút”.",
        ),
        (
            {"scored_by": "secretary", "criteria-0-name": "Đúng", "criteria-0-max_points": "30"},
            "criteria",
            "Phần thi do thư ký chấm (trắc nghiệm) không chia tiêu chí.",
        ),
        ({"kind": "dance"}, "kind", "Chọn loại phần thi."),
    ],
)
def test_part_rules_are_checked_next_to_their_field(
    app, world, login_as, draft, changes, field, message
):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"/contests/rounds/{draft['round']}/parts/new", data=part_form(**changes)
    )
    assert response.status_code == 422
    html = body(response)
    error = re.search(rf'id="{field}-error">([^<]*)<', html) or re.search(
        rf'id="{field}".*?<p class="error">([^<]*)<', html, re.S
    )
    assert error, html[:3000]
    assert message in error.group(1)
    assert fingerprint(app) == before


def test_tiers_are_read_as_people_write_them():
    expected = [(1, Decimal("0.25")), (60, Decimal("0.5"))]
    assert parse_tier_lines("dưới 1 phút: 0,25\ntừ 1 phút: 0,5") == expected
    assert (
        parse_tier_lines("Quá dưới 1 phút: trừ 0,25 điểm\nQuá từ 1 phút: trừ 0,5 điểm") == expected
    )
    assert parse_tier_lines("1:0.25;60:0.5") == expected
    assert parse_tier_lines("từ 30 giây: 0,5\n  \ntừ 1 phút 30 giây: 1") == [
        (30, Decimal("0.5")),
        (90, Decimal(1)),
    ]
    assert parse_tier_lines("quá giờ: 1") == [(1, Decimal(1))]
    for bad in ("từ 1 phút 0,5", "từ một phút: 0,5", "từ 1 phút: x", "từ 1 phút: 1\n60: 2"):
        with pytest.raises(ValueError):
            parse_tier_lines(bad)
    # Round trip: the form shows what it stores.
    assert parse_tier_lines(tier_lines(expected)) == expected
    assert tier_lines(expected) == "dưới 1 phút: 0,25\ntừ 1 phút: 0,5"
    assert tiers_text(expected) == "1:0.25;60:0.5"
    assert penalty_words("tiered", None, expected) == (
        "Quá dưới 1 phút trừ 0,25 điểm; từ 1 phút trừ 0,5 điểm."
    )
    assert penalty_words("tiered", None, [(30, Decimal(1))]) == "Quá từ 30 giây trừ 1 điểm."
    assert penalty_words("per_minute", Decimal(1), ()) == "Quá mỗi phút tròn trừ 1 điểm."
    assert penalty_words("none", None, ()) is None


def test_time_limits_are_read_as_people_write_them():
    assert parse_duration("3:00") == 180
    assert parse_duration("2:30") == 150
    assert parse_duration("5") == 300
    assert parse_duration("3 phút") == 180
    assert parse_duration("90 giây") == 90
    assert parse_duration("3 phút 30 giây") == 210
    assert parse_duration(" ") is None
    # The secretary's stopwatch readings, with the same reader.
    assert parse_duration("3'25") == parse_duration("3.25") == 205
    for bad in ("3:60", "ba phút", "3.5", "3:5", "-3"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_part_edit_keeps_and_shows_its_rule(app, world, login_as):
    client = login_as("officer")
    page = client.get(f"/contests/parts/{world.part1_intro}/edit")
    assert page.status_code == 200
    html = body(page)
    assert 'value="3:00"' in html
    assert "dưới 1 phút: 0,25\ntừ 1 phút: 0,5" in html
    skit = body(client.get(f"/contests/parts/{world.part1_skit}/edit"))
    assert 'name="criteria-1-name" type="text" value="Diễn xuất"' in skit


# Frozen rules: amendments with a reason


def amendments(app, contest_id):
    with app.app_context():
        return [
            (a.reason, a.changes, a.user_id)
            for a in db.session.scalars(
                select(m.ContestAmendment)
                .where(m.ContestAmendment.contest_id == contest_id)
                .order_by(m.ContestAmendment.id)
            )
        ]


def test_a_frozen_rule_changes_only_with_a_reason_which_is_recorded(app, world, login_as):
    client = login_as("officer")
    url = f"/contests/{world.contest1}/edit"
    before = fingerprint(app)
    refused = client.post(url, data=contest_form(step="0,5", places="1"))
    assert refused.status_code == 422
    error = re.search(r'id="amendment_reason-error">([^<]*)<', body(refused))
    assert error and "ghi lý do sửa đổi thể lệ" in error.group(1)
    assert fingerprint(app) == before

    response = client.post(
        url,
        data=contest_form(
            step="0,5", places="1", amendment_reason="Ban Giám khảo đề nghị chấm theo bước 0,5."
        ),
    )
    assert response.status_code == 303
    contest = get(app, m.Contest, world.contest1)
    assert (contest.step, contest.places, contest.version) == (Decimal("0.5"), 1, 2)
    [(reason, changes, user_id)] = amendments(app, world.contest1)
    assert reason == "Ban Giám khảo đề nghị chấm theo bước 0,5."
    assert changes == "Số chữ số thập phân: 2 → 1\nBước điểm: 0,25 → 0,5"
    assert user_id == world.users["officer"]
    page = text_of(body(client.get(f"/contests/{world.contest1}")))
    assert "Ban Giám khảo đề nghị chấm theo bước 0,5." in page
    assert "Bước điểm: 0,25 → 0,5" in page


def test_the_name_and_note_change_without_a_reason(app, world, login_as):
    client = login_as("officer")
    response = client.post(
        f"/contests/{world.contest1}/edit",
        data=contest_form(name="Hội thi hòa giải viên giỏi lần II MARKER-D1", note="Ghi chú mới"),
    )
    assert response.status_code == 303
    contest = get(app, m.Contest, world.contest1)
    assert contest.name == "Hội thi hòa giải viên giỏi lần II MARKER-D1"
    assert contest.note == "Ghi chú mới"
    assert amendments(app, world.contest1) == []


def test_frozen_parts_rounds_and_prizes_need_a_reason_too(app, world, login_as):
    client = login_as("officer")
    edit_part = f"/contests/parts/{world.part1_intro}/edit"
    data = part_form(
        name="Giới thiệu",
        kind="intro",
        max_points="10",
        time_limit="4:00",
        penalty_kind="tiered",
        penalty_tiers="dưới 1 phút: 0,25\ntừ 1 phút: 0,5",
        version="1",
    )
    before = fingerprint(app)
    assert client.post(edit_part, data=data).status_code == 422
    assert (
        client.post(f"/contests/rounds/{world.round1}/parts/new", data=part_form()).status_code
        == 422
    )
    assert (
        client.post(
            f"/contests/{world.contest1}/rounds/new", data={"name": "Vòng 3", "kind": "final"}
        ).status_code
        == 422
    )
    prizes = {
        "rows-0-name": "Giải Nhất",
        "rows-0-kind": "rank",
        "rows-0-count": "1",
        "rows-1-name": "Giải Nhì",
        "rows-1-kind": "rank",
        "rows-1-count": "2",
        "version": "1",
    }
    assert client.post(f"/contests/{world.contest1}/prizes", data=prizes).status_code == 422
    assert fingerprint(app) == before

    reason = {"amendment_reason": "Theo Quyết định 05/QĐ-BTC."}
    assert client.post(edit_part, data={**data, **reason}).status_code == 303
    assert (
        client.post(f"/contests/{world.contest1}/prizes", data={**prizes, **reason}).status_code
        == 303
    )
    changes = [c for _, c, _ in amendments(app, world.contest1)]
    assert changes[0] == "Vòng chung khảo, phần “Giới thiệu”, thời gian: 3 phút → 4 phút"
    assert changes[1] == (
        "Cơ cấu giải: Giải Nhất: 1 giải; Giải Nhì: 1 giải; Tiểu phẩm hay nhất (giải phụ): 1 giải"
        " → Giải Nhất: 1 giải; Giải Nhì: 2 giải"
    )
    assert get(app, m.ContestPart, world.part1_intro).time_limit_seconds == 240
    assert count(app, m.ContestPrize, m.ContestPrize.contest_id == world.contest1) == 2


def test_scored_parts_keep_their_criteria_and_their_marks_fit(app, world, login_as):
    """Sheets exist for the intro of round1 (a whole-part mark of 8,25)."""
    client = login_as("officer")
    reason = "Sửa theo biên bản họp Ban Tổ chức."
    base = part_form(
        name="Giới thiệu",
        kind="intro",
        max_points="10",
        time_limit="3:00",
        penalty_kind="none",
        amendment_reason=reason,
        version="1",
    )
    for changes, field, message in (
        ({"max_points": "8"}, "max_points", "Đã có điểm 8,25 cao hơn mức này."),
        ({"scored_by": "secretary"}, "scored_by", "không đổi người chấm được"),
        (
            {"criteria-0-name": "Nội dung", "criteria-0-max_points": "10"},
            "criteria",
            "không thêm, bớt tiêu chí được",
        ),
    ):
        response = client.post(
            f"/contests/parts/{world.part1_intro}/edit", data={**base, **changes}
        )
        assert response.status_code == 422
        assert message in body(response), field
    assert amendments(app, world.contest1) == []


# Status


def test_the_status_moves_step_by_step(app, world, login_as, draft):
    client = login_as("officer")
    url = f"/contests/{draft['contest']}/transition"
    for to, message in (
        ("judging", "Không chuyển được hội thi từ “Đang soạn thể lệ” sang trạng thái này."),
        ("published", "Kết quả được công bố từ trang kết quả của vòng thi cuối"),
        ("closed", "Không chuyển được"),
        ("nonsense", "Không chuyển được"),
    ):
        response = client.post(url, data={"to": to})
        assert response.status_code == 422
        assert message in body(response)
    assert get(app, m.Contest, draft["contest"]).status == "draft"

    assert client.post(url, data={"to": "registration"}).status_code == 303
    assert client.post(url, data={"to": "draft"}).status_code == 303
    assert client.post(url, data={"to": "registration"}).status_code == 303
    assert get(app, m.Contest, draft["contest"]).frozen_at is None
    assert client.post(url, data={"to": "judging"}).status_code == 303
    contest = get(app, m.Contest, draft["contest"])
    assert contest.status == "judging" and contest.frozen_at is not None
    response = client.post(url, data={"to": "draft"})
    assert response.status_code == 422
    with app.app_context():
        db.session.get(m.Contest, draft["contest"]).status = "published"
        db.session.commit()
    assert client.post(url, data={"to": "closed"}).status_code == 303
    assert get(app, m.Contest, draft["contest"]).status == "closed"
    # A closed contest's rules stay as they are.
    response = client.post(
        f"/contests/{draft['contest']}/edit",
        data=contest_form(
            name="Hội thi nháp MARKER-D1",
            step="0,5",
            amendment_reason="x",
            version=str(get(app, m.Contest, draft["contest"]).version),
        ),
    )
    assert response.status_code == 422
    assert "Hội thi đã kết thúc" in body(response)


def test_registration_needs_parts_whose_criteria_add_up(app, world, login_as):
    client = login_as("officer")
    with app.app_context():
        contest = make_contest(world.d1, status="draft")
        add_round(contest, status="preparing", parts=(), kind="preliminary")
        add_round(
            contest,
            position=2,
            kind="preliminary",
            status="preparing",
            parts=(
                ("Tiểu phẩm", "skit", "20", "judges", (("Nội dung", "12"), ("Diễn xuất", "6"))),
            ),
        )
        db.session.commit()
        contest_id = contest.id
    response = client.post(f"/contests/{contest_id}/transition", data={"to": "registration"})
    assert response.status_code == 422
    page = text_of(body(response))
    assert "Vòng sơ khảo 1 chưa có phần thi nào." in page
    assert (
        "Vòng sơ khảo 2, phần “Tiểu phẩm”: tổng điểm các tiêu chí (18) khác điểm tối đa (20)."
        in page
    )
    assert get(app, m.Contest, contest_id).status == "draft"


# Rounds


def test_a_new_round_copies_the_parts_of_the_previous_one(app, world, login_as):
    client = login_as("officer")
    page = client.get(f"/contests/{world.contest1}/rounds/new")
    assert page.status_code == 200
    assert "sao chép 3 phần thi" in text_of(body(page))
    response = client.post(
        f"/contests/{world.contest1}/rounds/new",
        data={
            "name": "Vòng chung kết toàn quốc",
            "kind": "final",
            "held_on": "20/11/2026",
            "amendment_reason": "Bổ sung vòng thi theo Kế hoạch 10/KH-BTC.",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        new = db.session.scalar(
            select(m.ContestRound)
            .where(m.ContestRound.contest_id == world.contest1)
            .order_by(m.ContestRound.position.desc())
        )
        assert (new.position, new.status, new.held_on.isoformat()) == (3, "preparing", "2026-11-20")
        parts = db.session.scalars(
            select(m.ContestPart)
            .where(m.ContestPart.round_id == new.id)
            .order_by(m.ContestPart.position)
        ).all()
        assert [(p.name, p.max_points, p.penalty_tiers) for p in parts] == [
            ("Giới thiệu", Decimal(10), "1:0.25;60:0.5"),
            ("Kiến thức", Decimal(10), None),
            ("Tiểu phẩm", Decimal(20), None),
        ]
        assert [(c.name, c.max_points) for c in parts[2].criteria] == [
            ("Nội dung", Decimal(12)),
            ("Diễn xuất", Decimal(8)),
        ]
    [(_, changes, _)] = amendments(app, world.contest1)
    assert (
        changes
        == "Thêm vòng thi “Vòng chung kết toàn quốc” (sao chép 3 phần thi của Vòng chung khảo)."
    )


def test_round_fields_are_checked(app, world, login_as, draft):
    client = login_as("officer")
    url = f"/contests/rounds/{draft['round']}/edit"
    for changes, message in (
        ({"name": ""}, "Nhập tên vòng thi."),
        ({"held_on": "31/02/2026"}, "Ngày không hợp lệ"),
        ({"advance_count": "3"}, "Vòng chung khảo không có đội đi tiếp: để trống."),
        ({"kind": "preliminary", "advance_count": "0"}, "Số đội đi tiếp từ 1 đến 500"),
    ):
        data = {"name": "Vòng chung khảo", "kind": "final", "version": "1", **changes}
        response = client.post(url, data=data)
        assert response.status_code == 422
        assert message in body(response)
    data = {
        "name": "Vòng sơ khảo cụm 1",
        "kind": "preliminary",
        "advance_count": "4",
        "venue": "Nhà văn hóa",
        "version": "1",
    }
    assert client.post(url, data=data).status_code == 303
    round_ = get(app, m.ContestRound, draft["round"])
    assert (round_.name, round_.kind, round_.advance_count, round_.venue) == (
        "Vòng sơ khảo cụm 1",
        "preliminary",
        4,
        "Nhà văn hóa",
    )


def test_a_round_opens_only_when_it_can_be_scored(app, world, login_as):
    client = login_as("officer")
    with app.app_context():
        contest = make_contest(world.d1, status="registration")
        round_, _, _ = add_round(contest, status="preparing")
        db.session.commit()
        contest_id, round_id = contest.id, round_.id
    url = f"/contests/rounds/{round_id}/open"
    response = client.post(url)
    assert response.status_code == 422
    page = text_of(body(response))
    assert "Hội thi chưa ở bước chấm thi" in page
    assert "Vòng chung khảo chưa có đội/thí sinh nào." in page
    assert "Vòng chung khảo chưa có giám khảo nào." in page
    with app.app_context():
        db.session.get(m.Contest, contest_id).status = "judging"
        entry = m.ContestEntry(
            contest_id=contest_id,
            name="Đội Bản Delta",
            unit_id=world.v1,
            commune_id=world.c1,
            district_id=world.d1,
            province_id=world.p1,
        )
        db.session.add(entry)
        db.session.flush()
        db.session.add(m.ContestRoundEntry(round_id=round_id, entry_id=entry.id, order_number=1))
        db.session.commit()
    response = client.post(url)
    assert response.status_code == 422
    assert "Vòng chung khảo chưa có giám khảo nào." in body(response)
    assert get(app, m.ContestRound, round_id).status == "preparing"
    with app.app_context():
        db.session.add(m.ContestJudge(round_id=round_id, full_name="Giám khảo Một", position=1))
        db.session.commit()
    assert client.post(url).status_code == 303
    assert get(app, m.ContestRound, round_id).status == "judging"
    again = client.post(url)
    assert again.status_code == 422
    assert "đã được mở chấm" in body(again)


# Parts: deletion


def test_a_part_is_deleted_only_before_the_freeze_and_before_any_record(
    app, world, login_as, draft
):
    client = login_as("officer")
    frozen = client.post(f"/contests/parts/{world.part1_intro}/delete")
    assert frozen.status_code == 422
    assert "Thể lệ đã khóa: không xóa phần thi được" in body(frozen)
    # contest3's intro has a time penalty recorded (the admin organises everywhere).
    admin = login_as("admin")
    recorded = admin.post(f"/contests/parts/{world.part3_intro}/delete")
    assert recorded.status_code == 422
    assert "Đã có điểm hoặc điểm trừ ghi cho phần thi này" in body(recorded)
    assert (
        count(app, m.ContestPart, m.ContestPart.id.in_([world.part1_intro, world.part3_intro])) == 2
    )
    response = client.post(f"/contests/parts/{draft['part']}/delete")
    assert response.status_code == 303
    assert count(app, m.ContestPart, m.ContestPart.id == draft["part"]) == 0


# Concurrency and mass assignment


def test_a_stale_form_is_refused_and_the_first_save_kept(app, world, login_as):
    first, second = login_as("officer"), login_as("admin")
    url = f"/contests/{world.contest1}/edit"
    assert first.post(url, data=contest_form(name="Tên thứ nhất MARKER-D1")).status_code == 303
    stale = second.post(url, data=contest_form(name="Tên thứ hai MARKER-D1"))
    assert stale.status_code == 409
    assert "vừa được người khác sửa" in body(stale)
    assert get(app, m.Contest, world.contest1).name == "Tên thứ nhất MARKER-D1"
    # A part, a round and the prize table too.
    part = part_form(
        name="Giới thiệu",
        kind="intro",
        max_points="10",
        time_limit="3:00",
        penalty_kind="tiered",
        penalty_tiers="1:0.25;60:0.5",
        version="0",
    )
    assert first.post(f"/contests/parts/{world.part1_intro}/edit", data=part).status_code == 409
    assert (
        first.post(
            f"/contests/rounds/{world.round1}/edit",
            data={"name": "X", "kind": "final", "version": "7"},
        ).status_code
        == 409
    )
    prizes = {
        "rows-0-name": "Giải Nhất",
        "rows-0-kind": "rank",
        "rows-0-count": "1",
        "version": "1",
    }
    assert first.post(f"/contests/{world.contest1}/prizes", data=prizes).status_code == 409


def test_posted_extra_fields_change_nothing_they_should_not(app, world, login_as):
    client = login_as("officer")
    before = get(app, m.Contest, world.contest1)
    response = client.post(
        f"/contests/{world.contest1}/edit",
        data=contest_form(
            name="Hội thi đổi tên MARKER-D1",
            unit=f"#{world.c1}",
            unit_id=str(world.c1),
            district_id=str(world.c1),
            status="closed",
            frozen_at="",
            id="999",
        ),
    )
    assert response.status_code == 303
    after = get(app, m.Contest, world.contest1)
    assert after.name == "Hội thi đổi tên MARKER-D1"
    assert (after.unit_id, after.district_id, after.status, after.frozen_at) == (
        before.unit_id,
        before.district_id,
        before.status,
        before.frozen_at,
    )
    response = client.post(
        f"/contests/rounds/{world.round1}/edit",
        data={
            "name": "Vòng chung khảo",
            "kind": "final",
            "version": "1",
            "status": "published",
            "contest_id": str(world.contest3),
            "position": "9",
        },
    )
    assert response.status_code == 303
    round_ = get(app, m.ContestRound, world.round1)
    assert (round_.status, round_.contest_id, round_.position) == ("judging", world.contest1, 2)
    created = client.post(
        "/contests/new",
        data=contest_form(
            unit=f"#{world.d1}", status="judging", frozen_at="2026-01-01", version=None
        ),
    )
    assert created.status_code == 303
    contest_id = int(created.headers["Location"].rsplit("/", 1)[1])
    new = get(app, m.Contest, contest_id)
    assert (new.status, new.frozen_at, new.version) == ("draft", None, 1)


# Pages, scope


def test_the_list_filters_as_a_page_and_as_a_fragment(app, world, login_as, draft):
    client = login_as("officer")
    page = client.get("/contests/")
    assert page.status_code == 200
    html = body(page)
    assert (
        "<html" in html
        and "Hội thi nháp MARKER-D1" in html
        and "Hội thi hòa giải viên giỏi MARKER-D1" in html
    )
    assert "Tạo hội thi" in html
    fragment = client.get("/contests/?status=draft&year=2026", htmx=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    html = body(fragment)
    assert "<html" not in html
    assert "Hội thi nháp MARKER-D1" in html and "Hội thi hòa giải viên giỏi MARKER-D1" not in html
    empty = body(client.get("/contests/?year=2020", htmx=True))
    assert "Chưa có hội thi nào phù hợp" in empty
    # Rubbish in the filters is ignored, not an error.
    assert client.get("/contests/?year=abc&status=x").status_code == 200
    viewer = body(login_as("viewer").get("/contests/"))
    assert "Hội thi hòa giải viên giỏi MARKER-D1" in viewer and "Tạo hội thi" not in viewer


def test_who_sees_and_who_runs_a_contest(app, world, login_as, make_user):
    url = f"/contests/{world.contest1}"
    make_user("canbop2b", "officer", world.p2)
    assert login_as("officer_p2").get(url).status_code == 404
    assert login_as("officer_p2").get(f"/contests/{world.contest1}/edit").status_code == 404
    assert login_as("judge").get(url).status_code == 403  # judges only reach the scoring pages
    staff = login_as("commune_staff")
    page = staff.get(url)
    assert page.status_code == 200
    html = body(page)
    assert "Sửa thông tin, thể lệ" not in html and "Mở chấm vòng thi" not in html
    assert "Tiểu phẩm hay nhất" in html  # the rules and prizes are read by participants
    assert staff.get(f"/contests/{world.contest1}/edit").status_code == 403
    assert (
        staff.post(f"/contests/{world.contest1}/transition", data={"to": "closed"}).status_code
        == 403
    )
    officer = body(login_as("officer").get(url))
    for link in (
        f"/contests/{world.contest1}/edit",
        f"/contests/rounds/{world.round1}/judges",
        f"/contests/rounds/{world.round1}/results",
        f"/contests/rounds/{world.round0}/published",
        f"/contests/rounds/{world.round1}/advance",
    ):
        assert link in officer, link
    assert f"/contests/rounds/{world.round1}/published" not in officer  # not published yet
    assert f"/contests/rounds/{world.round0}/advance" not in officer  # nothing before the first


def test_participating_units_register_while_registration_is_open(app, world, login_as):
    with app.app_context():
        contest = make_contest(
            world.d1, status="registration", name="Hội thi đang đăng ký MARKER-D1"
        )
        add_round(contest, status="preparing")
        db.session.commit()
        contest_id = contest.id
    staff = login_as("commune_staff")
    html = body(staff.get(f"/contests/{contest_id}"))
    assert f"/contests/{contest_id}/entries/new" in html and "Đăng ký dự thi" in html
    closed = body(staff.get(f"/contests/{world.contest1}"))
    assert "Đăng ký dự thi" not in closed
    assert "Đăng ký dự thi" not in body(login_as("viewer").get(f"/contests/{contest_id}"))


def test_the_pages_run_a_fixed_number_of_queries(app, world, login_as):
    client = login_as("officer")
    urls = (f"/contests/{world.contest1}", "/contests/")
    first = [count_queries(app, client, url) for url in urls]
    with app.app_context():
        contest = db.session.get(m.Contest, world.contest1)
        for position in (3, 4, 5):
            add_round(contest, position=position, status="preparing")
        db.session.add(
            m.ContestAmendment(
                contest_id=contest.id,
                reason="Lý do",
                changes="Bước điểm: 0,25 → 0,5",
                user_id=world.users["officer"],
            )
        )
        for n in range(3):
            make_contest(world.d1, status="draft", name=f"Hội thi thêm {n}")
        db.session.commit()
    assert [count_queries(app, client, url) for url in urls] == first


# Prizes


def test_the_prize_table_is_edited_as_rows(app, world, login_as, draft):
    client = login_as("officer")
    url = f"/contests/{draft['contest']}/prizes"
    page = client.get(url)
    assert page.status_code == 200
    added = client.post(url, data={"version": "1", "add_row": "1"})
    assert added.status_code == 200 and 'name="rows-0-name"' in body(added)
    bad = client.post(
        url,
        data={
            "rows-0-name": "Giải Nhất",
            "rows-0-kind": "rank",
            "rows-0-count": "0",
            "rows-1-name": "giải nhất",
            "rows-1-kind": "rank",
            "rows-1-count": "1",
            "version": "1",
        },
    )
    assert bad.status_code == 422
    assert "Số giải từ 1 đến 100." in body(bad) and "Tên giải bị trùng." in body(bad)
    data = {
        "rows-0-name": "Giải Nhất",
        "rows-0-kind": "rank",
        "rows-0-count": "1",
        "rows-1-name": "Giải Nhì",
        "rows-1-kind": "rank",
        "rows-1-count": "2",
        "rows-2-name": "",
        "rows-2-count": "",
        "rows-3-name": "Hòa giải viên cao tuổi nhất",
        "rows-3-kind": "side",
        "rows-3-count": "1",
        "version": "1",
    }
    assert client.post(url, data=data).status_code == 303
    with app.app_context():
        rows = db.session.execute(
            select(
                m.ContestPrize.position,
                m.ContestPrize.name,
                m.ContestPrize.kind,
                m.ContestPrize.count,
            )
            .where(m.ContestPrize.contest_id == draft["contest"])
            .order_by(m.ContestPrize.position)
        ).all()
    assert rows == [
        (1, "Giải Nhất", "rank", 1),
        (2, "Giải Nhì", "rank", 2),
        (3, "Hòa giải viên cao tuổi nhất", "side", 1),
    ]
    assert amendments(app, draft["contest"]) == []  # not frozen: no amendment
    assert get(app, m.Contest, draft["contest"]).version == 2


# Fuzzing (QUALITY.md R7)

TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "0,25",
            "3:00",
            "99999999999999999999",
            "dưới 1 phút: 0,25",
            "skit",
            "rank",
            "#1",
        ]
    ),
)
FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_setup_forms_survive_fuzzing(app, world, login_as, draft):
    client = login_as("admin")
    contest_fields = [*contest_form(), "unit", "amendment_reason"]
    part_fields = [
        *part_form(),
        "criteria-0-name",
        "criteria-0-max_points",
        "version",
        "amendment_reason",
    ]

    @FUZZ
    @given(
        st.fixed_dictionaries({}, optional={f: TEXT for f in contest_fields}),
        st.fixed_dictionaries({}, optional={f: TEXT for f in part_fields}),
    )
    def run(contest, part):
        before = fingerprint(app)
        for url, data in (
            ("/contests/new", contest),
            (f"/contests/{draft['contest']}/edit", contest),
            (f"/contests/rounds/{draft['round']}/parts/new", part),
            (f"/contests/parts/{draft['part']}/edit", part),
            (f"/contests/{draft['contest']}/rounds/new", part),
            (
                f"/contests/{draft['contest']}/prizes",
                {
                    "rows-0-name": part.get("name", ""),
                    "rows-0-count": part.get("max_points", ""),
                    "rows-0-kind": part.get("kind", ""),
                },
            ),
        ):
            response = client.post(url, data=data)
            assert response.status_code < 500, (url, data)
            if response.status_code != 303:
                assert fingerprint(app) == before, (url, data)
            else:
                before = fingerprint(app)

    run()
