"""The printed logbook of a team: cover, Part I (cases), Part II (results by mediator and the
team's totals), parties' names only for those who may read them, and the audit of that."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditLog
from app.clock import today
from app.extensions import db
from app.logbook.models import LogbookEntry
from app.logbook.rules import Party
from app.logbook.services import EntryValues, update_entry
from tests.logbook import test_rates
from tests.logbook.test_rates import body, count_queries, plain

# The fixtures that make teams and cases, shared with the rates tests.
add_cases = test_rates.add_cases
add_team = test_rates.add_team


def print_url(team_id, year=2025):
    return f"/logbook/teams/{team_id}/print?year={year}"


def reads(app) -> list[AuditLog]:
    with app.app_context():
        rows = list(
            db.session.scalars(select(AuditLog).where(AuditLog.action == "personal_data_read"))
        )
        db.session.expunge_all()
        return rows


def part(html: str, title: str) -> str:
    """The <article> of the book whose heading starts with ``title``."""
    for article in re.findall(r"<article.*?</article>", html, re.S):
        if title in article:
            return article
    raise AssertionError(f"no part {title}")


def summary_row(html: str, name: str) -> list[str]:
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part(html, "Phần thứ hai"), re.S):
        if name in row:
            return [plain(c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    raise AssertionError(f"no row for {name}")


def test_cover_and_part_one_in_the_paper_layout(world, login_as):
    html = body(login_as("officer").get(print_url(world.team1)))
    cover = plain(part(html, "SỔ THEO DÕI"))
    assert "UBND XÃ GAMMA MARKER-C1" in cover
    assert "SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI Ở CƠ SỞ" in cover
    assert "Tổ hòa giải: Bản Delta MARKER-V1" in cover and "Bản: Delta MARKER-V1" in cover
    assert "Xã: Gamma MARKER-C1" in cover and "Năm 2025" in cover
    cases = part(html, "Phần thứ nhất")
    assert "THEO DÕI VỤ VIỆC HÒA GIẢI" in cases and "logbook-part1" in cases
    numbers = re.findall(r'<tr>\s*<td class="center">(\d+)</td>', cases)
    assert numbers == ["1", "2"], "one row per case, in number order"
    assert "Giàng Thị Mai MARKER-C1" in cases and "10/03/2025" in cases
    assert "Tranh chấp ranh giới nương rẫy MARKER-C1" in cases
    assert "Hai bên thống nhất cắm lại mốc ranh giới." in cases
    for column in ("Dân sự", "Hôn nhân gia đình", "Khác", "Thành", "Không thành", "Ghi chú"):
        assert column in cases
    assert "data-print" in html, "a print button (static/js/app.js)"


def test_keeper_reads_the_parties_and_one_audit_row_is_added(app, world, login_as):
    for role in ("officer", "commune_staff"):
        before = len(reads(app))
        html = body(login_as(role).get(print_url(world.team1)))
        assert "Vàng A Páo PARTY-C1, 45 tuổi; Bản Pá Mỳ PARTY-C1-ADDR" in html, role
        assert "Lý A Sử PARTY-C1, 52 tuổi" in html
        rows = reads(app)
        assert len(rows) == before + 1, role
        row = rows[-1]
        assert (row.object_type, row.object_id) == ("Team", world.team1)
        assert "năm 2025" in row.summary and "PARTY" not in row.summary
        assert "Vàng A Páo" not in row.summary


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_viewers_and_admins_see_the_number_of_parties_only(app, world, login_as, role):
    html = body(login_as(role).get(print_url(world.team1)))
    cases = part(html, "Phần thứ nhất")
    assert cases.count("2 bên") == 2
    assert "PARTY-" not in html and "Vàng A Páo" not in html and "45 tuổi" not in html
    assert reads(app) == []


def test_an_empty_year_prints_without_reading_anything(app, world, login_as):
    html = body(login_as("officer").get(print_url(world.team1, 2024)))
    assert "Năm 2024 tổ chưa ghi vụ việc nào." in html
    assert reads(app) == []


def test_year_defaults_to_this_year(world, login_as):
    client = login_as("viewer")
    for url in (f"/logbook/teams/{world.team1}/print", print_url(world.team1, "abc")):
        assert f"Năm {today().year}" in body(client.get(url))
    assert "Năm 1990" not in body(client.get(print_url(world.team1, 1990)))


def test_part_two_counts_cases_by_mediator_and_by_scope(app, world, add_team, add_cases, login_as):
    team, first = add_team(world.v1, "Tổ Nậm Vì")
    _, second = add_team(world.v1, "Tổ Pá Mỳ")  # a mediator of another team of the commune
    add_cases(team, date(2024, 2, 1), "successful", "successful", "failed", mediators=[first])
    add_cases(team, date(2024, 3, 1), "successful", "stopped", mediators=[first, second])
    add_cases(team, date(2024, 4, 1), "in_progress", mediators=[second], scope="family")
    add_cases(team, date(2024, 5, 1), "pending", mediators=[second], scope="other")
    html = body(login_as("commune_staff").get(print_url(team, 2024)))
    assert summary_row(html, "Lò Văn Thanh Tổ Nậm Vì") == [
        "1", "Lò Văn Thanh Tổ Nậm Vì", "3", "2", "0", "0", "5", "60%"
    ]  # fmt: skip
    assert summary_row(html, "Lò Văn Thanh Tổ Pá Mỳ") == [
        "2", "Lò Văn Thanh Tổ Pá Mỳ", "1", "1", "1", "1", "4", "50%"
    ]  # fmt: skip
    assert summary_row(html, "Dân sự")[1:] == ["5", "3", "2", "0", "0", "60%"]
    assert summary_row(html, "Hôn nhân và gia đình")[1:] == ["1", "0", "0", "1", "0", "—"]
    assert summary_row(html, "Khác")[1:] == ["1", "0", "0", "0", "1", "—"]
    assert summary_row(html, "Tổng cộng")[1:] == ["7", "3", "2", "1", "1", "60%"]
    totals = plain(part(html, "Phần thứ hai"))
    assert "Tỷ lệ hòa giải thành của tổ năm 2024: 60% (3 thành / 5 vụ việc đã kết thúc" in totals
    assert "Chưa đạt mục tiêu" in totals, "the 5-good criterion is 80%"
    cases = part(html, "Phần thứ nhất")
    assert "Một bên yêu cầu chấm dứt hòa giải" in cases
    assert "Lò Văn Thanh Tổ Nậm Vì, Lò Văn Thanh Tổ Pá Mỳ" in cases


def test_invited_persons_page_and_notes_are_printed(app, world, login_as):
    with app.app_context():
        entry = db.session.get(LogbookEntry, world.entry1)
        update_entry(
            entry,
            EntryValues(
                received_on=date(2025, 3, 10),
                started_on=date(2025, 3, 10),
                ended_on=date(2025, 3, 10),
                content=entry.content,
                scope="civil",
                result="successful",
                agreement=entry.agreement,
                written_settlement=True,
                page_number=7,
                invited_persons="Trưởng bản Lò Văn Ươi",
                note="Đã báo cáo xã",
                parties=[Party("Vàng A Páo PARTY-C1", 45, None)],
                mediator_ids=[world.mediator1],
            ),
        )
        db.session.commit()
    cases = part(body(login_as("viewer").get(print_url(world.team1))), "Phần thứ nhất")
    assert "Người được mời:</em> Trưởng bản Lò Văn Ươi" in cases
    assert "Trang 7" in cases and "Đã báo cáo xã" in cases
    assert "Có văn bản hòa giải thành" in cases and "1 bên" in cases


def test_print_runs_a_fixed_number_of_queries(app, world, add_team, add_cases, login_as):
    """QUALITY.md P3: cases, parties and mediators in one query each."""
    client = login_as("officer")
    url = print_url(world.team1, 2024)
    add_cases(world.team1, date(2024, 1, 5), "successful")
    few = count_queries(app, client, url)
    _, other = add_team(world.v1, "Tổ Khác")
    add_cases(world.team1, date(2024, 2, 5), *["successful", "failed", "pending"] * 4)
    add_cases(world.team1, date(2024, 3, 5), "in_progress", mediators=[world.mediator1, other])
    assert count_queries(app, client, url) == few
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LogbookEntry)) == 20


def test_out_of_scope_and_unknown_teams_are_404(world, login_as):
    client = login_as("commune_staff")
    assert client.get(print_url(world.team2)).status_code == 404
    assert client.get(print_url(world.team3)).status_code == 404
    assert client.get(print_url(999999)).status_code == 404
    assert login_as("judge").get(print_url(world.team1)).status_code == 403
