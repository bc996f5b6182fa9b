"""``flask contests list / export / import / results`` and the documented example
(docs/contest-format.md): the example imports into the demo's units and prints the ranking
documented next to it; an export imports back to the same contest; every bad file is refused
with its reason and changes nothing."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.audit.models import AuditLog
from app.clock import utcnow
from app.contests import models as m
from app.contests.interchange import export_contest
from app.demo import Demo, load_units
from app.extensions import db
from app.units.models import Unit

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "contest-example.json"
EXAMPLE_RESULTS = DOCS / "contest-example-results.json"


def cli(app, *args, **kwargs):
    return app.test_cli_runner().invoke(args=["contests", *args], **kwargs)


@pytest.fixture
def demo_units(app):
    """The units of `flask demo` (Tỉnh Điện Biên, Huyện Mường Nhé and its communes)."""
    with app.app_context():
        load_units(Demo())
        db.session.commit()


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def write(tmp_path, data, name="contest.json") -> str:
    path = tmp_path / name
    text = data if isinstance(data, str | bytes) else json.dumps(data, ensure_ascii=False)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def contest_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(m.Contest.id).order_by(m.Contest.id)))


def row_counts(app) -> dict[str, int]:
    """Rows of every contest table and of the audit log."""
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name.startswith("contest")]
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}
        counts["audit_log"] = db.session.scalar(select(func.count()).select_from(AuditLog))
        return counts


def without_ids(data: dict) -> dict:
    """`flask contests results` output with the database's ids taken out (entry ids of the
    tie decisions become entry names): what stays the same in every database."""
    data = copy.deepcopy(data)
    data["contest"].pop("id")
    for round_ in data["rounds"]:
        names = {e["entry_id"]: e["name"] for e in round_["entries"]}
        round_["contest"].pop("id")
        round_["round"].pop("id")
        for part in round_["parts"]:
            part.pop("id")
        for entry in round_["entries"]:
            entry.pop("entry_id")
        for decision in round_["tie_decisions"]:
            decision["entry_ids"] = [names[i] for i in decision["entry_ids"]]
    return data


def results(app, contest_id) -> dict:
    result = cli(app, "results", str(contest_id))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_documented_example_prints_the_documented_ranking(app, demo_units, tmp_path):
    result = cli(app, "import", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "Đã nhập hội thi #" in result.output
    assert "đội/cá nhân: 5 (24 thành viên" in result.output
    (contest_id,) = contest_ids(app)
    printed = results(app, contest_id)
    documented = json.loads(EXAMPLE_RESULTS.read_text(encoding="utf-8"))
    assert without_ids(printed) == without_ids(documented)


def test_the_hand_computed_entry_of_the_documentation(app, demo_units):
    """docs/contest-format.md works out Đội xã Sín Thầu by hand: the same numbers."""
    assert cli(app, "import", str(EXAMPLE)).exit_code == 0
    (round_,) = results(app, contest_ids(app)[0])["rounds"]
    entry = next(e for e in round_["entries"] if e["name"] == "Đội xã Sín Thầu")
    assert [p["result"] for p in entry["parts"]] == ["16.92", "24.00", "40.58"]
    assert (entry["penalty"], entry["total"], entry["rank"]) == ("0.25", "81.25", 5)
    assert entry["prize"] == "Giải Khuyến khích"
    assert Decimal("50.75") / 3 < Decimal("16.92") and Decimal("121.75") / 3 > Decimal("40.58")
    doc = (DOCS / "contest-format.md").read_text(encoding="utf-8")
    for shown in ("16,92", "40,58", "81,25", "50,75", "121,75"):
        assert shown in doc


def test_the_board_decision_orders_the_tie_at_the_prize_boundary(app, demo_units):
    assert cli(app, "import", str(EXAMPLE)).exit_code == 0
    (round_,) = results(app, contest_ids(app)[0])["rounds"]
    ranked = [(e["name"], e["total"], e["rank"], e["prize"]) for e in round_["entries"]]
    assert ranked[2:4] == [
        ("Đội xã Nậm Kè", "83.25", 3, "Giải Ba"),
        ("Đội xã Chung Chải", "83.25", 4, "Giải Khuyến khích"),
    ]
    with app.app_context():
        contest = db.session.get(m.Contest, contest_ids(app)[0])
        (decision,) = db.session.scalars(select(m.TieDecision))
        entries = dict(db.session.execute(select(m.ContestEntry.id, m.ContestEntry.name)).all())
        assert [entries[i] for i in decision.order] == ["Đội xã Nậm Kè", "Đội xã Chung Chải"]
        assert contest.status == "judging" and contest.tie_break == "skit,penalties"
        assert db.session.get(Unit, contest.unit_id).name == "Huyện Mường Nhé"


def test_import_is_audited_as_the_command_line(app, demo_units):
    assert cli(app, "import", str(EXAMPLE)).exit_code == 0
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(AuditLog).where(AuditLog.object_type.in_(["Contest", "ScoreSheet"]))
            )
        )
        assert {r.object_type for r in rows} == {"Contest", "ScoreSheet"}
        assert sum(r.object_type == "ScoreSheet" for r in rows) == 50
        assert all(r.action == "create" and r.actor.startswith("dòng lệnh") for r in rows)


def test_importing_the_same_file_twice_is_refused(app, demo_units):
    assert cli(app, "import", str(EXAMPLE)).exit_code == 0
    (first,) = contest_ids(app)
    before = row_counts(app)
    result = cli(app, "import", str(EXAMPLE))
    assert result.exit_code == 1
    assert f"Hội thi này đã có trong hệ thống (#{first})" in result.output
    assert "chưa ghi gì" in result.output
    assert row_counts(app) == before


def _sheet(data, entry="E1", part="gioi-thieu", judge="J1") -> dict:
    sheets = data["rounds"][0]["sheets"]
    return next(s for s in sheets if (s["entry"], s["part"], s["judge"]) == (entry, part, judge))


BAD_FILES = {
    "wrong version": (
        lambda d: d.update(version=2),
        "Phiên bản định dạng 2 không được hỗ trợ",
    ),
    "not a contest file": (lambda d: d.pop("format"), "Tệp không phải tệp hội thi"),
    "unknown unit": (
        lambda d: d["units"][2].update(path="Tỉnh Điện Biên/Huyện Mường Nhé/Xã Không Có"),
        "không tìm thấy đơn vị “Tỉnh Điện Biên/Huyện Mường Nhé/Xã Không Có”",
    ),
    "unknown unit code": (
        lambda d: d["units"][0].update(code="99"),
        "không tìm thấy đơn vị “Tỉnh Điện Biên” (mã 99)",
    ),
    "unknown part": (
        lambda d: _sheet(d).update(part="hung-bien"),
        ": phần thi “hung-bien” không có trong vòng CK",
    ),
    "judge not on the panel": (
        lambda d: _sheet(d).update(judge="J9"),
        "giám khảo “J9” không có trong Ban Giám khảo của vòng CK",
    ),
    "criterion of another part": (
        lambda d: _sheet(d, part="tieu-pham")["marks"][0].update(criterion="gioi-thieu"),
        "tiêu chí “gioi-thieu” không thuộc phần thi “tieu-pham”",
    ),
    "mark above the maximum": (
        lambda d: _sheet(d)["marks"][0].update(value="20.25"),
        "Điểm tối đa là 20 (điểm ghi 20.25)",
    ),
    "criterion mark above its maximum": (
        lambda d: _sheet(d, part="tieu-pham")["marks"][2].update(value="10.50"),
        "Điểm tối đa là 10 (điểm ghi 10.50)",
    ),
    "mark below zero": (
        lambda d: _sheet(d)["marks"][0].update(value="-1"),
        "Điểm không được nhỏ hơn 0",
    ),
    "mark off the step": (
        lambda d: _sheet(d)["marks"][0].update(value="16.10"),
        "Điểm chấm theo bước 0,25 (điểm ghi 16.10)",
    ),
    "mark not a number": (
        lambda d: _sheet(d)["marks"][0].update(value="mười sáu"),
        "phải là một số",
    ),
    "secretary mark above the maximum": (
        lambda d: d["rounds"][0]["secretary_marks"][0].update(value="31"),
        "Vòng CK, điểm trắc nghiệm thứ 1: Điểm tối đa là 30",
    ),
    "secretary mark for an unknown part": (
        lambda d: d["rounds"][0]["secretary_marks"][0].update(part="kien-thuc-2"),
        "phần thi “kien-thuc-2” không có trong vòng CK",
    ),
    "penalty for an unknown part": (
        lambda d: d["rounds"][0]["penalties"][0].update(part="thuyet-trinh"),
        "Vòng CK, điểm trừ thứ 1: phần thi “thuyet-trinh” không có trong vòng CK",
    ),
    "duplicate entry key": (
        lambda d: d["entries"][1].update(key="E1"),
        "khóa “E1” bị trùng",
    ),
    "duplicate key of two kinds": (
        lambda d: d["rounds"][0]["judges"][4].update(key="E5"),
        "khóa “E5” bị trùng",
    ),
    "submitted sheet without every mark": (
        lambda d: _sheet(d, part="tieu-pham")["marks"].pop(),
        "phiếu đã nộp phải có đủ điểm mọi tiêu chí",
    ),
    "two sheets for the same judge, entry and part": (
        lambda d: d["rounds"][0]["sheets"].append(copy.deepcopy(_sheet(d))),
        "hai phiếu chấm cho cùng giám khảo “J1”, đội/cá nhân “E1”, phần thi “gioi-thieu”",
    ),
    "unknown field": (
        lambda d: d["contest"].update(colour="đỏ"),
        "Hội thi: trường lạ “colour”",
    ),
    "missing field": (lambda d: d["contest"].pop("year"), "Hội thi: thiếu trường “year”"),
    "unknown status": (
        lambda d: d["contest"].update(status="xong"),
        "Hội thi, “status”: “xong” không hợp lệ",
    ),
    "criteria not adding up to the part": (
        lambda d: d["rounds"][0]["parts"][2]["criteria"][2].update(max_points="15"),
        "tổng điểm tối đa các tiêu chí (55) phải bằng điểm tối đa của phần thi (50)",
    ),
    "tie decision of an entry not in the round": (
        lambda d: d["rounds"][0]["tie_decisions"][0].update(entries=["E4", "E9"]),
        "đội/cá nhân “E9” không có trong tệp",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_and_changes_nothing(app, demo_units, tmp_path, case):
    change, message = BAD_FILES[case]
    data = example()
    change(data)
    before = row_counts(app)
    result = cli(app, "import", write(tmp_path, data))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "chưa ghi gì" in result.output
    assert row_counts(app) == before


def test_invalid_json_names_the_line_and_column(app, demo_units, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace('"version": 1,', '"version": 1', 1)
    before = row_counts(app)
    result = cli(app, "import", write(tmp_path, text))
    assert result.exit_code == 1
    assert "Tệp không phải JSON hợp lệ: lỗi ở dòng 4, cột 3" in result.output
    assert row_counts(app) == before


def test_a_file_that_is_not_utf8_is_refused(app, demo_units, tmp_path):
    result = cli(app, "import", write(tmp_path, b'{"format": "\xff"}'))
    assert result.exit_code == 1
    assert "không phải văn bản UTF-8" in result.output


def test_a_missing_file_is_refused(app, tmp_path):
    result = cli(app, "import", str(tmp_path / "khong-co.json"))
    assert result.exit_code == 1
    assert "Không đọc được tệp" in result.output


def test_every_problem_is_reported_at_once(app, demo_units, tmp_path):
    data = example()
    _sheet(data)["marks"][0]["value"] = "25"
    _sheet(data, entry="E2")["judge"] = "J7"
    data["units"][3]["path"] = "Tỉnh Điện Biên/Huyện Mường Nhé/Xã Nào Đó"
    result = cli(app, "import", write(tmp_path, data))
    assert result.exit_code == 1
    assert "(3 lỗi)" in result.output
    assert "Xã Nào Đó" in result.output and "J7" in result.output and "25" in result.output


def _enrich_world(world) -> None:
    """What the world's contest lacks to cover every record of the format: an amendment, a
    represented unit, a reopening, an outlier review, a side prize awarded, a certificate and
    a tie decision."""
    sheet = db.session.get(m.ScoreSheet, world.sheet2)
    criterion = db.session.scalar(
        select(m.ContestCriterion).where(m.ContestCriterion.part_id == world.part1_skit)
    )
    snapshot = db.session.scalar(select(m.ResultSnapshot))
    side = db.session.scalar(select(m.ContestPrize).where(m.ContestPrize.kind == "side"))
    member = db.session.scalar(
        select(m.ContestEntryMember).where(m.ContestEntryMember.entry_id == world.contest_entry1)
    )
    db.session.add_all(
        [
            m.ContestAmendment(
                contest_id=world.contest1, reason="Sửa thời gian", changes='{"a": [1, 2]}'
            ),
            m.ContestEntryUnit(entry_id=world.contest_entry2, unit_id=world.c2),
            m.SheetReopening(
                sheet_id=sheet.id,
                reason="Ghi nhầm điểm",
                marks_before='{"part": "9.00"}',
                marks_after='{"part": "8.25"}',
            ),
            m.OutlierReview(
                sheet_id=sheet.id, sheet_version=sheet.version, decision="confirmed", note="Giữ"
            ),
            m.OutlierReview(sheet_id=sheet.id, sheet_version=0, decision="reopen"),
            m.ContestAward(
                contest_id=world.contest1,
                prize_id=side.id,
                entry_id=world.contest_entry1,
                member_id=member.id,
                reason="Diễn hay",
            ),
            m.ContestCertificate(
                contest_id=world.contest1,
                serial=7,
                entry_id=world.contest_entry1,
                prize_name="Giải Nhất",
                issued_on=utcnow().date(),
                snapshot_id=snapshot.id,
            ),
            m.TieDecision(
                round_id=world.round1,
                entry_ids=f"{world.contest_entry2},{world.contest_entry1}",
                reason="Bốc thăm",
            ),
        ]
    )
    assert criterion is not None
    db.session.commit()


def test_export_then_import_gives_the_same_contest(app, world, tmp_path):
    with app.app_context():
        _enrich_world(world)
    path = tmp_path / "contest.json"
    result = cli(app, "export", str(world.contest1), str(path))
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "hoagiai-contest" and data["version"] == 1
    data["contest"]["name"] += " (bản lưu)"
    before = results(app, world.contest1)
    result = cli(app, "import", write(tmp_path, data, "copy.json"))
    assert result.exit_code == 0, result.output
    copy_id = contest_ids(app)[-1]
    with app.app_context():
        again = export_contest(db.session.get(m.Contest, copy_id))
    for exported in (data, again):
        exported.pop("exported_at")
    assert again == data
    after = results(app, copy_id)
    for printed in (before, after):
        printed["contest"].pop("name")
        for round_ in printed["rounds"]:
            round_["contest"].pop("name")
    assert without_ids(after) == without_ids(before)


def test_export_keeps_ids_out_and_units_by_code_or_path(app, world):
    result = cli(app, "export", str(world.contest1), "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"key": "U1", "path": "Tỉnh Alpha MARKER-P1/Huyện Beta MARKER-D1"} in data["units"]
    assert data["contest"]["organiser"] == "U1"
    (entry1, entry2) = data["entries"]
    assert entry1["members"][0]["registry"] is not None
    assert entry2["members"][0]["registry"] is None  # kept by name only
    final = data["rounds"][1]
    sheet = next(s for s in final["sheets"] if s["status"] == "draft")
    assert sheet["marks"] == [{"criterion": None, "value": "7.50"}]
    assert final["penalties"][0]["points"] == "0.50"
    assert data["rounds"][0]["snapshots"][0]["data"]["entries"][0]["entry_id"] == "E1"
    assert all(isinstance(u["key"], str) for u in data["units"])


def test_import_links_registry_mediators_and_judge_accounts(app, world, tmp_path):
    data = json.loads(cli(app, "export", str(world.contest1), "-").output)
    data["contest"]["name"] += " (bản sao)"
    data["rounds"][1]["judges"][0]["username"] = "canbo"  # an officer, not a judge
    result = cli(app, "import", write(tmp_path, data))
    assert result.exit_code == 0, result.output
    assert "không có tài khoản giám khảo “canbo”" in result.output
    copy_id = contest_ids(app)[-1]
    with app.app_context():
        members = db.session.execute(
            select(m.ContestEntryMember.full_name, m.ContestEntryMember.mediator_id)
            .join(m.ContestEntry, m.ContestEntry.id == m.ContestEntryMember.entry_id)
            .where(m.ContestEntry.contest_id == copy_id)
            .order_by(m.ContestEntryMember.id)
        ).all()
        assert members == [
            ("Giàng Thị Mai MARKER-C1", world.mediator1),
            ("Lò Văn Hùng MARKER-C1", None),
        ]
        judges = db.session.execute(
            select(m.ContestJudge.full_name, m.ContestJudge.user_id)
            .join(m.ContestRound, m.ContestRound.id == m.ContestJudge.round_id)
            .where(m.ContestRound.contest_id == copy_id)
            .order_by(m.ContestRound.position, m.ContestJudge.position)
        ).all()
        users = world.users
        assert [user for _, user in judges] == [
            users["judge"],
            users["head_judge"],
            None,
            users["head_judge"],
        ]


def test_a_mark_for_a_judge_or_part_of_another_round_is_refused(app, world, tmp_path):
    data = json.loads(cli(app, "export", str(world.contest1), "-").output)
    data["contest"]["name"] += " (bản sao)"
    final = data["rounds"][1]
    final["sheets"][0]["judge"] = "R1.J1"
    final["sheets"][1]["part"] = "R1.P1"
    before = row_counts(app)
    result = cli(app, "import", write(tmp_path, data))
    assert result.exit_code == 1
    assert "giám khảo “R1.J1” không có trong Ban Giám khảo của vòng R2" in result.output
    assert "phần thi “R1.P1” không có trong vòng R2" in result.output
    assert row_counts(app) == before


def test_results_and_export_of_an_unknown_contest(app, world):
    for command in (("results", "999"), ("export", "999", "-")):
        result = cli(app, *command)
        assert result.exit_code == 1
        assert "Không có hội thi #999" in result.output


def test_list_names_every_contest(app, world):
    result = cli(app, "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:2] == [str(world.contest1), "2026"]
    assert "Đang chấm thi" in lines[0] and "MARKER-D1" in lines[0]
    assert "Đang đăng ký dự thi" in lines[1] and "MARKER-C3" in lines[1]


def test_results_print_every_round_as_the_snapshot_shows_it(app, world):
    printed = results(app, world.contest1)
    assert printed["contest"] == {
        "id": world.contest1,
        "name": "Hội thi hòa giải viên giỏi MARKER-D1",
        "year": 2026,
    }
    preliminary, final = printed["rounds"]
    with app.app_context():
        snapshot = json.loads(db.session.scalar(select(m.ResultSnapshot.data)))
    snapshot.pop("number"), snapshot.pop("reason")
    assert preliminary == snapshot
    assert [e["total"] for e in final["entries"]] == [None, None]  # still being scored


def test_the_imported_example_can_be_published_as_printed(app, demo_units):
    """Every sheet is in and the board's decision resolves the tie: nothing blocks publishing,
    and the published snapshot is what `flask contests results` printed."""
    from app.contests.services.results import publish_round

    assert cli(app, "import", str(EXAMPLE)).exit_code == 0
    (contest_id,) = contest_ids(app)
    (printed,) = results(app, contest_id)["rounds"]
    with app.app_context():
        round_ = db.session.scalar(select(m.ContestRound))
        snapshot = publish_round(round_, user=None, reason=None)
        db.session.commit()
        published = json.loads(snapshot.data)
        contest = db.session.get(m.Contest, contest_id)
        assert (round_.status, contest.status) == ("published", "published")
    assert (published.pop("number"), published.pop("reason")) == (1, None)
    assert published == printed


def _leaves(value, path=()):
    """Every path to a value of the file, containers included."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**9),
    st.text(max_size=6),
    st.sampled_from(["-1", "20.25", "16.10", "1e9", "NaN", "sNaN", "Infinity", "7,5", "E1"]),
    st.sampled_from(["J1", "gioi-thieu", "noi-dung", "muong-nhe", "2024-13-45", "x/y"]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_changed_value_is_imported_or_refused_never_a_crash(app, demo_units, data):
    """R7: whatever value stands anywhere in the file, the import either works or is refused
    with its reasons; it never fails with another error."""
    from app.contests.interchange import ImportRefused, import_contest

    original = example()
    paths = [p for p in _leaves(original) if p]
    path = data.draw(st.sampled_from(paths))
    changed = copy.deepcopy(original)
    target = changed
    for step in path[:-1]:
        target = target[step]
    if data.draw(st.booleans()) and isinstance(target, dict):
        del target[path[-1]]
    else:
        target[path[-1]] = data.draw(ODD_VALUES)
    with app.app_context():
        try:
            import_contest(changed)
        except ImportRefused as refused:
            assert refused.problems and all(isinstance(p, str) for p in refused.problems)
        finally:
            db.session.rollback()
    assert contest_ids(app) == []
