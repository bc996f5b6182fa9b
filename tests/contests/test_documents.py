"""Documents of the contest: judges' score sheets, the score table, the minutes, side prizes,
certificates with serial numbers and the proposals for commendation (issue 5 "Documents")."""

import csv
import io
import json
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.commendations.models import CommendationProposal
from app.contests import models as m
from app.contests.services import results
from app.extensions import db
from tests.contests.factories import add_penalty, make_round, score_round, submit_sheet
from tests.test_authorization_matrix import fingerprint

READERS = ("admin", "officer", "commune_staff", "viewer")


class Cells(HTMLParser):
    """The text of each cell of the tables with a given class, row by row."""

    def __init__(self, table_class: str):
        super().__init__()
        self.table_class = table_class
        self.depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and (self.depth or self.table_class in classes):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_class: str) -> list[list[str]]:
    parser = Cells(table_class)
    parser.feed(html)
    return parser.rows


def number(text: str) -> Decimal:
    """ "1.234,50" → Decimal("1234.50")."""
    return Decimal(text.replace(".", "").replace(",", "."))


def page(response) -> str:
    return response.get_data(as_text=True)


def count(app, model, **where) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)


# A final round of the world's district (D1), entries from V1 and C1, three judges without
# conflicts: intro 9/8/7 + skit (10/9/8 + 6) + quiz 5, so entry 1 > entry 2 > entry 3.


def _marks(j, e, part_id, setup):
    if setup.criteria[part_id]:
        return {"Nội dung": str(10 - e), "Diễn xuất": "6"}
    return str(9 - e)


def final_round(world, *, publish=True, side=("Tiểu phẩm hay nhất",), entries=3, team=False):
    setup = make_round(
        entries=entries,
        judges=3,
        organiser_id=world.d1,
        entry_unit_ids=[world.v1] + [world.c1] * (entries - 1),
    )
    contest = setup.contest
    for e in setup.entry_ids:
        entry = db.session.get(m.ContestEntry, e)
        db.session.add(
            m.ContestEntryMember(
                entry_id=e, position=1, role="captain", full_name=f"Thành viên {entry.name}"
            )
        )
    if team:
        contest.entry_kind = "team"
    for position, name in enumerate(side, start=10):
        db.session.add(
            m.ContestPrize(contest_id=contest.id, position=position, name=name, kind="side")
        )
    score_round(setup, lambda j, e, p: _marks(j, e, p, setup))
    db.session.flush()
    if publish:
        results.publish_round(setup.round, user=None, reason=None)
    db.session.commit()
    return setup


@pytest.fixture
def published(app, world):
    with app.app_context():
        return final_round(world)


@pytest.fixture
def unpublished(app, world):
    with app.app_context():
        return final_round(world, publish=False)


def side_prize_id(app, setup, name="Tiểu phẩm hay nhất") -> int:
    with app.app_context():
        return db.session.scalar(
            select(m.ContestPrize.id).where(
                m.ContestPrize.contest_id == setup.contest_id, m.ContestPrize.name == name
            )
        )


# The score table


def test_published_table_prints_the_snapshot_and_its_parts_add_up(world, login_as):
    for role in READERS:
        response = login_as(role).get(f"/contests/rounds/{world.round0}/print/table")
        assert response.status_code == 200, role
        html = page(response)
        assert "BẢNG TỔNG HỢP ĐIỂM" in html and "DỰ THẢO" not in html
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
        rows = table_rows(html, "contest-score-table")[1:]
        # order, name, unit, intro, quiz, skit, penalty, total, rank, prize
        assert [r[1] for r in rows] == ["Giàng Thị Mai (Bản Delta)", "Lò Văn Hùng (Bản Delta)"]
        assert rows[0][3:9] == ["8,25", "8,00", "16,00", "", "32,25", "1"]
        assert rows[1][3:9] == ["7,25", "7,00", "14,00", "", "28,25", "2"]
        for row in rows:
            parts = sum((number(v) for v in row[3:6]), Decimal(0))
            penalty = number(row[6]) if row[6] else Decimal(0)
            assert parts - penalty == number(row[7])


def test_table_with_penalty_adds_up_as_printed(app, world, login_as):
    with app.app_context():
        setup = make_round(entries=2, judges=3, organiser_id=world.d1)
        # Means that need rounding: 25/3 = 8.333… → 8.33; a penalty of 0.25.
        marks = {0: "8.25", 1: "8.5", 2: "8.25"}
        score_round(
            setup,
            lambda j, e, p: (
                {"Nội dung": "10", "Diễn xuất": "5.75"} if setup.criteria[p] else marks[j]
            ),
        )
        add_penalty(setup, setup.entry_ids[0], "0.25")
        results.publish_round(setup.round, user=None, reason=None)
        db.session.commit()
        snapshot = results.snapshot_data(results.latest_snapshot(setup.round_id))
    html = page(login_as("viewer").get(f"/contests/rounds/{setup.round_id}/print/table"))
    rows = table_rows(html, "contest-score-table")[1:]
    printed = {r[1]: r for r in rows}
    for entry in snapshot["entries"]:
        row = printed[entry["name"]]
        assert number(row[7]) == Decimal(entry["total"])
        assert [number(v) for v in row[3:6]] == [Decimal(p["result"]) for p in entry["parts"]]
        penalty = number(row[6]) if row[6] else Decimal(0)
        assert sum((number(v) for v in row[3:6]), Decimal(0)) - penalty == number(row[7])
    assert "8,33" in html and "0,25" in html


def test_unpublished_table_is_the_boards_draft_only(app, world, login_as, unpublished):
    url = f"/contests/rounds/{unpublished.round_id}/print/table"
    for role in ("commune_staff", "viewer"):
        assert login_as(role).get(url).status_code == 404
    html = page(login_as("officer").get(url))
    assert "DỰ THẢO" in html
    rows = table_rows(html, "contest-score-table")[1:]
    assert [r[7] for r in rows] == ["30,00", "28,00", "26,00"]
    assert [r[9] for r in rows] == ["Giải Nhất", "Giải Nhì", "Giải Ba"]


def test_board_may_print_a_draft_of_a_published_round(world, login_as):
    url = f"/contests/rounds/{world.round0}/print/table?draft=1"
    assert "DỰ THẢO" in page(login_as("officer").get(url))
    # A reader asking for the draft gets the published table.
    html = page(login_as("viewer").get(url))
    assert "DỰ THẢO" not in html and "32,25" in html


def test_table_is_404_for_readers_while_nothing_is_published(world, login_as):
    assert login_as("viewer").get(f"/contests/rounds/{world.round1}/print/table").status_code == 404
    response = login_as("admin").get(f"/contests/rounds/{world.round1}/print/table")
    assert response.status_code == 200 and "DỰ THẢO" in page(response)


# Each judge's score sheet


def test_a_judges_sheet_shows_only_their_submitted_marks(world, login_as):
    client = login_as("officer")
    mine = page(client.get(f"/contests/rounds/{world.round1}/print/sheets?judge={world.seat1}"))
    assert "PHIẾU CHẤM ĐIỂM" in mine and "Giamkhao" in mine
    assert "Trưởng Ban Giám Khảo" not in mine.split("<article", 1)[1]
    # The world's judge has only a draft (7,50): blank, marked "chưa nộp".
    assert "7,50" not in mine and "chưa nộp" in mine
    assert "(Ký, ghi rõ họ tên)" in mine
    head = page(client.get(f"/contests/rounds/{world.round1}/print/sheets?judge={world.seat2}"))
    rows = table_rows(head, "contest-sheet-table")
    entry1 = next(r for r in rows if r and r[0] == "1")
    assert entry1[2] == "8,25"  # the submitted intro mark
    assert "NOTE-J2" not in head and "SHEET-J1" not in head


def test_all_judges_print_one_page_each_with_criteria_and_totals(app, world, login_as, published):
    with app.app_context():
        # The second judge's skit sheet of entry 3 is back to a draft: blank on the print.
        sheet = db.session.scalar(
            select(m.ScoreSheet).where(
                m.ScoreSheet.judge_id == published.judge_ids[1],
                m.ScoreSheet.entry_id == published.entry_ids[2],
                m.ScoreSheet.part_id == published.part("skit"),
            )
        )
        sheet.status = "draft"
        db.session.commit()
    html = page(login_as("officer").get(f"/contests/rounds/{published.round_id}/print/sheets"))
    assert html.count('class="doc contest-doc contest-wide contest-sheet"') == 3
    for n in (1, 2, 3):
        assert f"Giám khảo {n}" in html
    assert "Nội dung" in html and "Diễn xuất" in html and "Cộng" in html
    second = html.split("contest-sheet-table")[2]
    rows = table_rows("<table class='contest-sheet-table'" + second, "contest-sheet-table")
    body = [r for r in rows if r and r[0].isdigit()]
    # order, entry, intro, Nội dung, Diễn xuất, Cộng, total
    assert body[0][2:] == ["9,00", "10,00", "6,00", "16,00", "25,00"]
    assert body[2][2:] == ["7,00", "chưa nộp", ""]


def test_print_sheets_of_an_unknown_judge_is_404(world, login_as):
    client = login_as("officer")
    assert (
        client.get(f"/contests/rounds/{world.round0}/print/sheets?judge={world.seat1}").status_code
        == 404
    )
    assert client.get(f"/contests/rounds/{world.round1}/print/sheets?judge=abc").status_code == 404


def test_a_conflicted_judge_sheet_says_so(app, world, login_as):
    with app.app_context():
        setup = make_round(
            entries=2,
            judges=2,
            organiser_id=world.d1,
            entry_unit_ids=[world.v1, world.c2],
            judge_unit_ids=[world.v1, None],
        )
        db.session.commit()
    html = page(login_as("officer").get(f"/contests/rounds/{setup.round_id}/print/sheets"))
    assert "không chấm (cùng đơn vị)" in html.split("contest-sheet-table")[1]


# The minutes


def test_minutes_of_a_published_round(world, login_as):
    for role in READERS:
        response = login_as(role).get(f"/contests/rounds/{world.round0}/print/minutes")
        assert response.status_code == 200, role
    html = page(response)
    assert "BIÊN BẢN" in html and "Giamkhao" in html and "Trưởng Ban Giám Khảo" in html
    assert "Trung bình cộng".lower() in html.lower()
    assert "TRƯỞNG BAN GIÁM KHẢO".lower() in html.lower()
    assert "32,25" in html


def test_minutes_are_404_while_nothing_is_published(world, login_as):
    for role in ("admin", "officer", "viewer"):
        assert (
            login_as(role).get(f"/contests/rounds/{world.round1}/print/minutes").status_code == 404
        )


def test_minutes_list_reopenings_reviews_tie_decisions_and_corrections(app, world, login_as):
    with app.app_context():
        setup = make_round(entries=2, judges=3, organiser_id=world.d1, prizes=[("Giải Nhất", 1)])
        # Both entries score the same: a tie at the first prize, decided by the board.
        score_round(
            setup, lambda j, e, p: {"Nội dung": "9", "Diễn xuất": "6"} if setup.criteria[p] else "8"
        )
        first, second = setup.entry_ids
        db.session.add(
            m.TieDecision(
                round_id=setup.round_id,
                entry_ids=f"{second},{first}",
                reason="Bốc thăm trước Ban Giám khảo",
            )
        )
        sheet_id = submit_sheet(setup, setup.judge_ids[2], first, setup.part("intro"), "8")
        sheet = db.session.get(m.ScoreSheet, sheet_id)
        db.session.add(
            m.SheetReopening(
                sheet_id=sheet_id,
                reason="Nhập nhầm điểm MỞ-LẠI",
                marks_before=json.dumps({"part": "6.00"}),
                marks_after=json.dumps({"part": "8.00"}),
            )
        )
        skit = submit_sheet(
            setup,
            setup.judge_ids[1],
            second,
            setup.part("skit"),
            {"Nội dung": "9", "Diễn xuất": "6"},
        )
        db.session.add(
            m.SheetReopening(
                sheet_id=skit,
                reason="Sai tiêu chí",
                marks_before=json.dumps(
                    {
                        str(setup.criteria[setup.part("skit")]["Nội dung"]): "5.00",
                        str(setup.criteria[setup.part("skit")]["Diễn xuất"]): "6.00",
                    }
                ),
                marks_after=None,
            )
        )
        db.session.add(
            m.OutlierReview(
                sheet_id=sheet_id,
                sheet_version=sheet.version,
                decision="confirmed",
                note="Giám khảo giải thích ĐIỂM-LỆCH",
            )
        )
        db.session.flush()
        results.publish_round(setup.round, user=None, reason=None)
        add_penalty(setup, second, "0.25", reason="Sử dụng tài liệu")
        results.publish_round(setup.round, user=None, reason="Bổ sung điểm trừ ĐÍNH-CHÍNH")
        db.session.commit()
    html = page(login_as("commune_staff").get(f"/contests/rounds/{setup.round_id}/print/minutes"))
    assert "Nhập nhầm điểm MỞ-LẠI" in html and "6,00" in html and "8,00" in html
    assert "Sai tiêu chí" in html and "Nội dung 5,00; Diễn xuất 6,00 (cộng 11,00)" in html
    assert "chưa nộp lại" in html
    assert "Giám khảo giải thích ĐIỂM-LỆCH" in html and "Giữ nguyên điểm" in html
    assert "Bốc thăm trước Ban Giám khảo" in html and "Đội số 2 trước Đội số 1" in html
    assert "Bổ sung điểm trừ ĐÍNH-CHÍNH" in html and "lần 2" in html
    # Signature lines: the head judge, each judge, the board.
    assert html.count('class="doc-signature"') == 4


# Side prizes


def test_awards_wait_for_the_last_round(app, world, login_as, unpublished):
    client = login_as("officer")
    html = page(client.get(f"/contests/{unpublished.contest_id}/awards"))
    assert "Chưa công bố kết quả vòng thi cuối cùng" in html and "Trao giải</button>" not in html
    prize = side_prize_id(app, unpublished)
    response = client.post(
        f"/contests/{unpublished.contest_id}/awards",
        data={"prize": prize, "recipient": f"e{unpublished.entry_ids[0]}", "reason": "Hay"},
    )
    assert response.status_code == 422
    assert count(app, m.ContestAward) == 0


def test_award_a_side_prize_and_remove_it(app, world, login_as, published):
    client = login_as("officer")
    url = f"/contests/{published.contest_id}/awards"
    prize = side_prize_id(app, published)
    response = client.post(
        url,
        data={
            "prize": prize,
            "recipient": f"e{published.entry_ids[2]}",
            "reason": "Tiểu phẩm sát thực tế",
        },
    )
    assert response.status_code == 303
    html = page(client.get(url))
    assert "Đã trao giải “Tiểu phẩm hay nhất” cho Đội số 3." in html
    assert "Tiểu phẩm sát thực tế" in html
    with app.app_context():
        award = db.session.scalar(select(m.ContestAward))
        assert (award.entry_id, award.member_id, award.prize_id) == (
            published.entry_ids[2],
            None,
            prize,
        )
    # The prize has one award: a second one is refused next to the field.
    again = client.post(
        url, data={"prize": prize, "recipient": f"e{published.entry_ids[1]}", "reason": "Hay"}
    )
    assert again.status_code == 422 and "đã trao đủ" in page(again)
    response = client.post(url, data={"remove": award.id})
    assert response.status_code == 303
    assert count(app, m.ContestAward) == 0


def test_award_to_a_member_with_htmx(app, world, login_as, published):
    client = login_as("officer")
    url = f"/contests/{published.contest_id}/awards"
    with app.app_context():
        member = db.session.scalar(
            select(m.ContestEntryMember).where(
                m.ContestEntryMember.entry_id == published.entry_ids[1]
            )
        )
        member_id, member_name = member.id, member.full_name
        db.session.get(m.Contest, published.contest_id).entry_kind = "team"
        db.session.commit()
    full = client.get(url)
    fragment = client.get(url, htmx=True)
    assert "<html" in page(full) and 'id="contest-awards"' in page(full)
    assert "<html" not in page(fragment) and 'id="contest-awards"' in page(fragment)
    assert f'value="m{member_id}"' in page(full)
    response = client.post(
        url,
        data={
            "prize": side_prize_id(app, published),
            "recipient": f"m{member_id}",
            "reason": "Khéo léo",
        },
        htmx=True,
    )
    assert response.status_code == 200
    body = page(response)
    assert "<html" not in body and member_name in body and "Đã trao giải" in body
    with app.app_context():
        award = db.session.scalar(select(m.ContestAward))
        assert (award.entry_id, award.member_id) == (published.entry_ids[1], member_id)


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "Hay"},  # no prize, no recipient
        {"prize": "PRIZE", "recipient": "ENTRY"},  # no reason
        {"prize": "RANK", "recipient": "ENTRY", "reason": "Hay"},  # a rank prize
        {"prize": "PRIZE", "recipient": "e999999", "reason": "Hay"},  # not an entry of it
        {"prize": "PRIZE", "recipient": "m999999", "reason": "Hay"},  # not a member of it
        {"prize": "PRIZE", "recipient": "OTHER", "reason": "Hay"},  # another contest's entry
        {"prize": "x'; DROP", "recipient": "e", "reason": "Hay"},
    ],
)
def test_bad_awards_are_refused_and_change_nothing(app, world, login_as, published, data):
    with app.app_context():
        rank = db.session.scalar(
            select(m.ContestPrize.id).where(
                m.ContestPrize.contest_id == published.contest_id, m.ContestPrize.kind == "rank"
            )
        )
    values = {
        "PRIZE": str(side_prize_id(app, published)),
        "RANK": str(rank),
        "ENTRY": f"e{published.entry_ids[0]}",
        "OTHER": f"e{world.contest_entry3}",
    }
    form = {k: values.get(v, v) for k, v in data.items()}
    for htmx in (False, True):
        response = login_as("officer").post(
            f"/contests/{published.contest_id}/awards", data=form, htmx=htmx
        )
        assert response.status_code == 422
        assert 'class="error"' in page(response) or "flash-error" in page(response)
    assert count(app, m.ContestAward) == 0


def test_readers_cannot_award(app, world, login_as, published):
    for role in ("commune_staff", "viewer", "judge"):
        client = login_as(role)
        assert client.get(f"/contests/{published.contest_id}/awards").status_code == 403
        response = client.post(
            f"/contests/{published.contest_id}/awards",
            data={
                "prize": side_prize_id(app, published),
                "recipient": f"e{published.entry_ids[0]}",
                "reason": "x",
            },
        )
        assert response.status_code == 403
    assert count(app, m.ContestAward) == 0


# Certificates


def test_certificates_are_refused_before_publishing(app, world, login_as, unpublished):
    client = login_as("officer")
    response = client.post(f"/contests/{unpublished.contest_id}/certificates/issue")
    assert response.status_code == 422
    assert "Chưa công bố kết quả vòng thi cuối cùng" in page(response)
    assert count(app, m.ContestCertificate) == 0


def test_certificates_numbered_once_and_stable(app, world, login_as, published):
    client = login_as("officer")
    contest = published.contest_id
    assert client.post(f"/contests/{contest}/certificates/issue").status_code == 303
    with app.app_context():
        issued = db.session.execute(
            select(
                m.ContestCertificate.serial,
                m.ContestCertificate.entry_id,
                m.ContestCertificate.prize_name,
            ).order_by(m.ContestCertificate.serial)
        ).all()
    first, second, third = published.entry_ids
    assert [tuple(r) for r in issued] == [
        (1, first, "Giải Nhất"),
        (2, second, "Giải Nhì"),
        (3, third, "Giải Ba"),
    ]
    # Again: nothing new, same numbers.
    assert client.post(f"/contests/{contest}/certificates/issue").status_code == 303
    assert count(app, m.ContestCertificate) == 3
    assert "không cấp thêm" in page(client.get(f"/contests/{contest}/certificates"))
    # A side award later gets the next number; the others keep theirs.
    client.post(
        f"/contests/{contest}/awards",
        data={"prize": side_prize_id(app, published), "recipient": f"e{first}", "reason": "Hay"},
    )
    client.post(f"/contests/{contest}/certificates/issue")
    with app.app_context():
        serials = dict(
            db.session.execute(
                select(m.ContestCertificate.serial, m.ContestCertificate.prize_name)
            ).all()
        )
    assert serials == {1: "Giải Nhất", 2: "Giải Nhì", 3: "Giải Ba", 4: "Tiểu phẩm hay nhất"}
    # The award of a certificate is not removed any more.
    with app.app_context():
        award_id = db.session.scalar(select(m.ContestAward.id))
    refused = client.post(f"/contests/{contest}/awards", data={"remove": award_id})
    assert refused.status_code == 422 and "004/GCN-" in page(refused)
    assert count(app, m.ContestAward) == 1


def test_readers_print_the_certificates(app, world, login_as, published):
    login_as("officer").post(f"/contests/{published.contest_id}/certificates/issue")
    year = 2026
    for role in READERS:
        response = login_as(role).get(f"/contests/{published.contest_id}/certificates")
        assert response.status_code == 200, role
        html = page(response)
        assert html.count('class="doc contest-certificate"') == 3
        assert f"Số: 001/GCN-{year}" in html and f"Số: 003/GCN-{year}" in html
        assert "GIẤY CHỨNG NHẬN" in html and "Giải Nhất" in html and "Đội số 1" in html
    assert "Cấp giấy chứng nhận" not in page(
        login_as("viewer").get(f"/contests/{published.contest_id}/certificates")
    )
    for role in ("commune_staff", "viewer"):
        response = login_as(role).post(f"/contests/{published.contest_id}/certificates/issue")
        assert response.status_code == 403
    assert count(app, m.ContestCertificate) == 3


def test_no_certificates_before_publishing(world, login_as):
    html = page(login_as("commune_staff").get(f"/contests/{world.contest1}/certificates"))
    assert "Chưa có giấy chứng nhận nào" in html


# Proposals for commendation (made by the commendations area: one per member mediator; the
# full behaviour is in tests/commendations/test_contest_proposals.py)


def _members_are_mediators(app, world, setup) -> None:
    """Each entry's captain becomes a mediator of the registry (team1 of the world)."""
    from datetime import date

    from app.registry.models import Team
    from app.registry.services.mediators import create_mediator

    with app.app_context():
        team = db.session.get(Team, world.team1)
        for member in db.session.scalars(
            select(m.ContestEntryMember).where(m.ContestEntryMember.entry_id.in_(setup.entry_ids))
        ):
            mediator = create_mediator(
                team=team,
                values={
                    "full_name": member.full_name,
                    "sex": "F",
                    "birth_year": 1980,
                    "ethnicity_code": "08",
                },
                decision={"decision_number": "03/QĐ-UBND", "decision_date": date(2021, 1, 4)},
            )
            member.mediator_id = mediator.id
        db.session.commit()


def test_propose_is_refused_before_publishing(app, world, login_as, unpublished):
    client = login_as("officer")
    response = client.post(f"/contests/{unpublished.contest_id}/propose")
    assert response.status_code == 422
    assert count(app, CommendationProposal, contest_id=unpublished.contest_id) == 0


def test_propose_winners_once(app, world, login_as, published):
    _members_are_mediators(app, world, published)
    client = login_as("officer")
    contest = published.contest_id
    first = published.entry_ids[0]
    client.post(
        f"/contests/{contest}/awards",
        data={"prize": side_prize_id(app, published), "recipient": f"e{first}", "reason": "Hay"},
    )
    data = {"form": "giay_khen_huyen", "per": "member"}
    assert client.post(f"/contests/{contest}/propose", data=data).status_code == 303
    assert client.post(f"/contests/{contest}/propose", data=data).status_code == 303
    with app.app_context():
        proposals = dict(
            db.session.execute(
                select(
                    CommendationProposal.contest_entry_id, CommendationProposal.prize_name
                ).where(CommendationProposal.contest_id == contest)
            ).all()
        )
    assert proposals == {
        first: "Giải Nhất; Tiểu phẩm hay nhất",
        published.entry_ids[1]: "Giải Nhì",
        published.entry_ids[2]: "Giải Ba",
    }
    html = page(client.get(f"/contests/{contest}/proposals"))
    assert "Danh sách đề nghị (3)" in html and "Thành viên Đội số 1" in html


def test_proposals_export_xlsx_and_csv(app, world, login_as, published):
    with app.app_context():
        entry = db.session.get(m.ContestEntry, published.entry_ids[0])
        entry.name = "=HYPERLINK(1) Đội số 1"
        db.session.commit()
    _members_are_mediators(app, world, published)
    client = login_as("officer")
    contest = published.contest_id
    client.post(f"/contests/{contest}/propose", data={"form": "giay_khen_huyen"})
    response = client.get(f"/contests/{contest}/proposals?format=xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.get_data()), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == [
        "STT",
        "Người được đề nghị",
        "Đội/thí sinh",
        "Đơn vị",
        "Giải",
        "Hình thức",
        "Trạng thái",
    ]
    assert rows[1][1:5] == [
        "Thành viên Đội số 1",
        "=HYPERLINK(1) Đội số 1",
        "Bản Delta MARKER-V1",
        "Giải Nhất",
    ]
    assert [r[4] for r in rows[1:]] == ["Giải Nhất", "Giải Nhì", "Giải Ba"]
    assert rows[1][5:7] == ["Giấy khen của Chủ tịch UBND cấp huyện", "Chờ xét"]
    text = client.get(f"/contests/{contest}/proposals?format=csv").get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0][:5] == ["STT", "Người được đề nghị", "Đội/thí sinh", "Đơn vị", "Giải"]
    assert lines[1][2] == "'=HYPERLINK(1) Đội số 1"
    assert lines[2][2:5] == ["Đội số 2", "Xã Gamma MARKER-C1", "Giải Nhì"]


def test_readers_cannot_propose_or_list_proposals(app, world, login_as, published):
    for role in ("commune_staff", "viewer"):
        client = login_as(role)
        assert client.post(f"/contests/{published.contest_id}/propose").status_code == 403
        assert client.get(f"/contests/{published.contest_id}/proposals").status_code == 403
        assert (
            client.get(f"/contests/{published.contest_id}/proposals?format=csv").status_code == 403
        )
    assert count(app, CommendationProposal, contest_id=published.contest_id) == 0


def test_readers_cannot_print_sheets(world, login_as):
    for role in ("commune_staff", "viewer", "judge"):
        response = login_as(role).get(f"/contests/rounds/{world.round0}/print/sheets")
        assert response.status_code == 403, role


def test_award_form_survives_fuzzing(app, world, login_as, published):
    """R7: any post to the awards page is answered without a 500; a refusal saves nothing."""
    client = login_as("officer")
    url = f"/contests/{published.contest_id}/awards"
    text = st.one_of(
        st.text(max_size=60),
        st.sampled_from(["", "e", "m", "e0", "m-1", "e99999999999", "1", "' OR 1=1 --"]),
    )

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.fixed_dictionaries(
            {}, optional={"prize": text, "recipient": text, "reason": text, "remove": text}
        )
    )
    def run(data):
        before = fingerprint(app)
        response = client.post(url, data=data)
        assert response.status_code < 500, data
        if response.status_code != 303:
            assert fingerprint(app) == before

    run()
