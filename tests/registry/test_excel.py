"""Excel: the commune's import template, the import (dry run, bad rows, apply, idempotence),
and the .xlsx/.csv exports of every registry list (issue 3, QUALITY.md R8, S2, S10)."""

import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.audit.models import AuditLog
from app.clock import today
from app.extensions import db
from app.files.models import StoredFile
from app.registry.excel.columns import COLUMNS, HEADERS, SHEET
from app.registry.excel.planner import plan_import, plan_rows
from app.registry.excel.reader import SheetRows
from app.registry.excel.template import build_errors
from app.registry.models import Mediator, MediatorEvent, Team, TeamMembership
from app.registry.services.mediators import create_mediator
from app.registry.services.teams import create_team
from app.units.models import Unit
from tests.authz import ALL_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEAM1 = "Tổ hòa giải Bản Delta MARKER-V1"
TEAM3 = "Tổ hòa giải Thôn Tau MARKER-V3"
THIS_YEAR = today().year


def person(**values) -> list:
    """One row of the mediator sheet, in the template's column order."""
    row = {
        "id": None,
        "name": "Sùng Thị Dợ",
        "sex": "Nữ",
        "year": 1985,
        "ethnicity": "Mông",
        "phone": "0912345678",
        "occupation": "Làm nông",
        "background": "Hội Liên hiệp Phụ nữ",
        "education": "Trung học cơ sở",
        "address": "Bản Delta",
        "team": TEAM1,
        "number": "15/QĐ-UBND",
        "date": "01/03/2024",
        "note": None,
    } | values
    return list(row.values())


def xlsx(rows, headers=HEADERS, sheet=SHEET) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, commune_id, data, filename="hoa-giai-vien.xlsx"):
    """POST the file as a browser does. The body is encoded in memory: the test client would
    spool a large one to a temporary file that it never closes (a ResourceWarning)."""
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(data), filename), "csrf_token": client.token}
    )
    return client.http.post(
        f"/registry/import?commune={commune_id}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def uploaded(client, commune_id, data) -> int:
    """Upload a file and return its id (from the redirect to its preview)."""
    response = upload(client, commune_id, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 303, html[html.find("<main") :][:3000]
    location = response.headers["Location"]
    assert location.endswith(f"?commune={commune_id}")
    return int(location.split("/registry/import/")[1].split("?")[0])


def apply(client, file_id, commune_id):
    """Confirm the plan shown on the preview page, as the person's click would."""
    page = client.get(f"/registry/import/{file_id}?commune={commune_id}")
    html = page.get_data(as_text=True)
    plan = html.split('name="plan" type="hidden" value="')[1].split('"')[0]
    return client.post(f"/registry/import/{file_id}/apply?commune={commune_id}", {"plan": plan})


def audit_rows(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(AuditLog))
        db.session.remove()
        return count


def mediator_count(app, commune_id) -> int:
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Mediator).where(Mediator.commune_id == commune_id)
        )
        db.session.remove()
        return count


def open_xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.get_data()))


# The template


def test_template_has_the_sheets_headers_lists_and_the_communes_mediators(world, login_as):
    response = login_as("commune_staff").get("/registry/import/template")
    workbook = open_xlsx(response)
    assert "mau-hoa-giai-vien-xa-gamma-marker-c1-" in response.headers["Content-Disposition"]
    assert workbook.sheetnames == [SHEET, "Hướng dẫn", "Danh mục"]
    assert workbook["Danh mục"].sheet_state == "hidden"
    sheet = workbook[SHEET]
    assert [c.value for c in sheet[1]] == HEADERS
    assert HEADERS[0] == "Mã HGV" and HEADERS[12] == "Ngày QĐ công nhận (dd/mm/yyyy)"
    assert sheet.freeze_panes == "C2"
    assert [c.value for c in sheet[2]][:5] == [
        world.mediator1,
        "Giàng Thị Mai MARKER-C1",
        "Nữ",
        1980,
        "Mông",
    ]
    assert sheet["K2"].value == TEAM1 and sheet["M2"].value == "01/03/2024"
    assert sheet.max_row == 2  # one mediator in C1; nothing of C2 or C3
    lists = workbook["Danh mục"]
    ethnic = [lists.cell(row=r, column=2).value for r in range(2, 56)]
    assert len(ethnic) == 54 and ethnic[0] == "Kinh" and "Mông" in ethnic
    assert [lists.cell(row=r, column=5).value for r in range(2, 4)] == [TEAM1, None]
    formulas = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation
    }
    assert formulas["C2"] == "'Danh mục'!$A$2:$A$3"
    assert formulas["E2"] == "'Danh mục'!$B$2:$B$55"
    assert formulas["H2"].startswith("'Danh mục'!$C$2")
    assert formulas["I2"].startswith("'Danh mục'!$D$2")
    assert formulas["K2"] == "'Danh mục'!$E$2:$E$2"
    assert formulas["D2"] == str(THIS_YEAR - 110)
    guide = "\n".join(
        str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value
    )
    for words in ("18 tuổi", "dd/mm/yyyy", "Mã HGV", "Nhập lại", TEAM1, "Bắt buộc"):
        assert words in guide


def test_template_scope(world, login_as):
    officer = login_as("officer")
    assert officer.get(f"/registry/import/template?commune={world.c3}").status_code == 404
    assert officer.get(f"/registry/import/template?commune={world.d1}").status_code == 404
    redirect = officer.get("/registry/import/template")
    assert redirect.status_code == 303 and redirect.headers["Location"].endswith("/registry/import")
    sheet = open_xlsx(officer.get(f"/registry/import/template?commune={world.c2}"))[SHEET]
    assert sheet["B2"].value == "Giàng Thị Mai MARKER-C2"
    assert (
        login_as("viewer").get(f"/registry/import/template?commune={world.c1}").status_code == 403
    )


# The upload page


def test_upload_page_for_commune_staff_and_officers(world, login_as):
    page = login_as("commune_staff").get("/registry/import")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Xã Gamma MARKER-C1" in html and f"template?commune={world.c1}" in html
    assert 'enctype="multipart/form-data"' in html and "<select" not in html
    officer = login_as("officer")
    html = officer.get("/registry/import").get_data(as_text=True)
    assert "MARKER-C1" in html and "MARKER-C2" in html and "MARKER-C3" not in html
    assert 'type="file"' not in html  # a commune first
    html = officer.get(f"/registry/import?commune={world.c2}").get_data(as_text=True)
    assert 'type="file"' in html and f'selected value="{world.c2}"' in html
    assert officer.get(f"/registry/import?commune={world.c3}").status_code == 404
    assert officer.get("/registry/import?commune=abc").status_code == 404
    nothing_chosen = officer.get("/registry/import?commune=")
    assert nothing_chosen.status_code == 200 and "<select" in nothing_chosen.get_data(as_text=True)


def test_commune_typed_by_name_when_the_scope_is_large(world, login_as, monkeypatch):
    import app.registry.routes.imports as routes

    monkeypatch.setattr(routes, "MAX_CHOICES", 1)
    admin = login_as("admin")
    html = admin.get("/registry/import").get_data(as_text=True)
    assert 'list="commune-options"' in html and "<select" not in html
    found = admin.get(f"/registry/import?unit=%23{world.c3}")
    assert found.status_code == 303 and found.headers["Location"].endswith(f"commune={world.c3}")
    wrong = admin.get(f"/registry/import?unit=%23{world.v3}")
    assert wrong.status_code == 422 and "Chọn một xã" in wrong.get_data(as_text=True)


def test_a_file_that_is_not_xlsx_is_refused_and_not_kept(app, world, login_as):
    client = login_as("commune_staff")
    with app.app_context():
        files_before = db.session.scalar(select(func.count()).select_from(StoredFile))
    response = upload(client, world.c1, "Họ và tên,Năm sinh\n".encode(), "danh-sach.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chỉ nhận tệp Excel (.xlsx); tệp này không đúng định dạng." in html
    broken = b"PK\x03\x04" + b"xl/workbook.xml" + b"\x00" * 100
    assert upload(client, world.c1, broken).status_code == 422
    empty = client.post(
        f"/registry/import?commune={world.c1}", {}, content_type="multipart/form-data"
    )
    assert empty.status_code == 422 and "Chọn tệp .xlsx" in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == files_before


def test_a_file_with_wrong_headers_names_the_columns(app, world, login_as):
    client = login_as("commune_staff")
    with app.app_context():
        files_before = db.session.scalar(select(func.count()).select_from(StoredFile))
    headers = [h for h in HEADERS if h not in ("Dân tộc", "Trình độ")] + ["Quê quán"]
    response = upload(client, world.c1, xlsx([], headers))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Thiếu cột “Dân tộc”, “Trình độ”." in html
    assert "Cột không có trong mẫu: “Quê quán”." in html
    no_header = upload(client, world.c1, xlsx([["a", "b"]], ["x", "y"]))
    assert "Không thấy dòng tiêu đề" in no_header.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == files_before


def test_an_upload_over_10_mb_gets_the_413_page(world, login_as):
    client = login_as("commune_staff")
    response = upload(client, world.c1, b"PK\x03\x04" + b"0" * (11 * 1024 * 1024))
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


# The dry run


@pytest.fixture
def c1_people(app, world):
    """Two more mediators in C1 and a second team there; a team in C3 for the wrong-team row."""
    with app.app_context():
        team1 = db.session.get(Team, world.team1)
        second = create_team(unit=db.session.get(Unit, world.c1), name="Tổ hòa giải số 2")
        decision = {"decision_number": "02/QĐ-UBND", "decision_date": date(2024, 5, 2)}
        lo = create_mediator(
            team=team1,
            values={
                "full_name": "Lò Văn Thanh",
                "sex": "M",
                "birth_year": 1975,
                "ethnicity_code": "03",
                "phone": "0988000111",
            },
            decision=decision,
        )
        pa = create_mediator(
            team=team1,
            values={
                "full_name": "Vàng A Páo",
                "sex": "M",
                "birth_year": 1990,
                "ethnicity_code": "08",
            },
            decision=decision,
        )
        db.session.commit()
        ids = {"lo": lo.id, "pa": pa.id, "team2": second.id}
        db.session.remove()
    return ids


def bad_and_good_rows(world, people) -> list[list]:
    return [
        # 2: mediator1 as exported: unchanged
        person(
            id=world.mediator1,
            name="Giàng Thị Mai MARKER-C1",
            year=1980,
            ethnicity="Mông",
            phone=None,
            occupation=None,
            background=None,
            education=None,
            address=None,
            number="01/QĐ-UBND",
            date="01/03/2024",
        ),
        # 3: Lò Văn Thanh matched by name and year (no code): new phone → update
        person(
            name="lo van thanh",
            sex="Nam",
            year=1975,
            ethnicity="Thái",
            phone="0977000222",
            occupation=None,
            background=None,
            education=None,
            address=None,
            number=None,
            date=None,
        ),
        # 4: a new person → create
        person(),
        person(name="Người Sinh Sau", year=THIS_YEAR + 1),  # 5
        person(name="Người Còn Nhỏ", year=THIS_YEAR - 10),  # 6
        person(name="Người Dân Tộc Lạ", ethnicity="Xyz"),  # 7
        person(name="Người Tổ Khác", team=TEAM3),  # 8
        person(name="Người Tổ Không Có", team="Tổ hòa giải Không Tồn Tại"),  # 9
        person(name="Người Quyết Định Sớm", year=1990, date="01/01/1989"),  # 10
        person(name="Sùng Thị Dợ", phone="0900000000"),  # 11: same person as row 4
        # 12: Vàng A Páo (code) moved to another team in the file
        person(
            id=people["pa"],
            name="Vàng A Páo",
            sex="Nam",
            year=1990,
            team="Tổ hòa giải số 2",
            number=None,
            date=None,
        ),
        person(id=999999, name="Mã Lạ"),  # 13
        person(name="Người Quyết Định Tương Lai", date=f"01/01/{THIS_YEAR + 1}"),  # 14
        [None] * len(HEADERS),  # 15: blank, skipped
    ]


def test_dry_run_shows_what_would_happen_and_every_bad_row(app, world, login_as, c1_people):
    client = login_as("commune_staff")
    before = audit_rows(app)
    file_id = uploaded(client, world.c1, xlsx(bad_and_good_rows(world, c1_people)))
    page = client.get(f"/registry/import/{file_id}?commune={world.c1}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "sẽ thêm mới" in html and "dòng lỗi" in html
    assert "Tải danh sách dòng lỗi (.xlsx)" in html
    assert 'disabled aria-describedby="import-blocked"' in html
    expected = {
        5: "Năm sinh không được ở tương lai.",
        6: "Hòa giải viên phải từ đủ 18 tuổi.",
        7: "Dân tộc “Xyz” không có trong danh mục 54 dân tộc.",
        8: f"Tổ hòa giải “{TEAM3}” không phải một tổ của Xã Gamma MARKER-C1",
        9: "Tổ hòa giải “Tổ hòa giải Không Tồn Tại” không phải một tổ của",
        10: "Ngày QĐ công nhận trước năm sinh của hòa giải viên.",
        11: "Trùng với dòng 4 (cùng một người).",
        12: "đổi tổ phải làm bằng quyết định chuyển tổ trên trang hòa giải viên",
        13: "Mã HGV “999999” không phải mã một hòa giải viên của Xã Gamma MARKER-C1",
        14: "Ngày QĐ công nhận không được ở tương lai.",
    }
    for line, reason in expected.items():
        assert f'<td class="num" data-label="Dòng">{line}</td>' in html
        assert reason.replace("“", "&#8220;") in html or reason in html, (line, reason)
    assert "Trùng với dòng 11 (cùng một người)." in html  # row 4 is refused too
    assert "Điện thoại: “0988000111” → “0977000222”" in html
    assert "Không đổi (1)" in html
    assert audit_rows(app) == before + 1  # the stored upload; the dry run writes nothing
    with app.app_context():
        stored = db.session.get(StoredFile, file_id)
        plan = plan_import(stored.content, db.session.get(Unit, world.c1))
        assert [r.line for r in plan.bad] == list(range(4, 15))
        assert [r.line for r in plan.updates] == [3] and [r.line for r in plan.unchanged] == [2]
        db.session.remove()


def test_bad_rows_file_has_the_rows_and_a_reason_column(world, login_as, c1_people):
    client = login_as("commune_staff")
    file_id = uploaded(client, world.c1, xlsx(bad_and_good_rows(world, c1_people)))
    response = client.get(f"/registry/import/{file_id}/errors.xlsx?commune={world.c1}")
    sheet = open_xlsx(response)[SHEET]
    assert [c.value for c in sheet[1]] == [*HEADERS, "Lý do"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 11
    assert rows[1][1] == "Người Sinh Sau"
    assert rows[1][-1] == "Dòng 5: Năm sinh không được ở tương lai."
    assert rows[3][-1].startswith("Dòng 7: Dân tộc “Xyz”")


def test_apply_is_refused_while_bad_rows_remain(app, world, login_as, c1_people):
    client = login_as("commune_staff")
    file_id = uploaded(client, world.c1, xlsx(bad_and_good_rows(world, c1_people)))
    before = (mediator_count(app, world.c1), audit_rows(app))
    response = client.post(f"/registry/import/{file_id}/apply", {"plan": "x"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registry/import/{file_id}?commune={world.c1}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "dòng lỗi nên chưa nhập dòng nào" in page
    assert (mediator_count(app, world.c1), audit_rows(app)) == before


def good_rows(world) -> list[list]:
    return [
        person(name="Sùng Thị Dợ"),
        person(
            name="Lý A Sử",
            sex="Nam",
            year=1970,
            ethnicity="H'Mông",
            phone=912000111,
            background="Công an",
            education="Đại học",
            number="16/QĐ-UBND",
            date=date(2024, 4, 2),
        ),
        person(
            name="Lường Thị Hoa",
            year=1992,
            ethnicity="Thái",
            team="Bản Delta MARKER-V1",
            number=None,
            date=None,
            note="Ghi chú\ncó hai dòng",
        ),
    ]


def test_apply_creates_mediators_with_their_decision_and_recounts_the_team(app, world, login_as):
    client = login_as("commune_staff")
    with app.app_context():
        assert db.session.get(Team, world.team1).active_count == 1
        db.session.remove()
    file_id = uploaded(client, world.c1, xlsx(good_rows(world)))
    before = audit_rows(app)
    response = apply(client, file_id, world.c1)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registry/mediators/?unit={world.c1}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã thêm 3 hòa giải viên, đã cập nhật 0, 0 không đổi" in page
    with app.app_context():
        people = {
            m.full_name: m
            for m in db.session.scalars(select(Mediator).where(Mediator.commune_id == world.c1))
        }
        su = people["Lý A Sử"]
        assert (su.sex, su.birth_year, su.ethnicity_code, su.phone) == (
            "M",
            1970,
            "08",
            "0912000111",
        )
        assert (su.background, su.education) == ("police", "university")
        assert (su.recognition_number, su.recognised_on) == ("16/QĐ-UBND", date(2024, 4, 2))
        assert su.training_due == date(2024, 10, 2)
        assert (su.unit_id, su.district_id, su.province_id) == (world.v1, world.d1, world.p1)
        assert people["Lường Thị Hoa"].note == "Ghi chú\ncó hai dòng"
        assert people["Lường Thị Hoa"].recognised_on is None
        event = db.session.scalars(
            select(MediatorEvent).where(MediatorEvent.mediator_id == su.id)
        ).one()
        assert (event.kind, event.decision_number, event.team_id) == (
            "recognise",
            "16/QĐ-UBND",
            world.team1,
        )
        membership = db.session.scalars(
            select(TeamMembership).where(TeamMembership.mediator_id == su.id)
        ).one()
        assert (membership.team_id, membership.role, membership.event_id) == (
            world.team1,
            "member",
            event.id,
        )
        team = db.session.get(Team, world.team1)
        assert (team.active_count, team.women_count, team.minority_count) == (4, 3, 4)
        assert team.is_supported
        new_rows = db.session.scalars(select(AuditLog).where(AuditLog.id > 0)).all()
        created = [r for r in new_rows if r.action == "create" and r.object_type == "Mediator"]
        assert len(created) == 3 + 3  # the world's three and the three imported
        assert any(r.action == "import" and "Đã thêm 3" in (r.summary or "") for r in new_rows)
        db.session.remove()
    assert audit_rows(app) == before + 3 + 3 + 1  # mediators, their events, the import


def test_importing_the_same_file_twice_changes_nothing(app, world, login_as):
    client = login_as("commune_staff")
    data = xlsx(good_rows(world))
    assert apply(client, uploaded(client, world.c1, data), world.c1).status_code == 303
    second = uploaded(client, world.c1, data)
    html = client.get(f"/registry/import/{second}?commune={world.c1}").get_data(as_text=True)
    assert "Không đổi (3)" in html and "không cần nhập" in html
    assert "Nhập dữ liệu</button>" not in html
    before = (mediator_count(app, world.c1), audit_rows(app))
    # The page offers no button; a forged or repeated post with the right digest does nothing.
    plan = fingerprint_of(app, second, world.c1)
    response = client.post(f"/registry/import/{second}/apply?commune={world.c1}", {"plan": plan})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không có gì khác với dữ liệu đang lưu" in page
    assert (mediator_count(app, world.c1), audit_rows(app)) == before


def fingerprint_of(app, file_id, commune_id) -> str:
    with app.app_context():
        stored = db.session.get(StoredFile, file_id)
        fingerprint = plan_import(stored.content, db.session.get(Unit, commune_id)).fingerprint()
        db.session.remove()
        return fingerprint


def test_the_template_and_the_export_reimport_unchanged(app, world, login_as, c1_people):
    client = login_as("commune_staff")
    template = client.get("/registry/import/template").get_data()
    file_id = uploaded(client, world.c1, template)
    html = client.get(f"/registry/import/{file_id}?commune={world.c1}").get_data(as_text=True)
    assert "Không đổi (3)" in html and "không cần nhập" in html
    exported = client.get(f"/registry/mediators/export.xlsx?unit={world.c1}").get_data()
    file_id = uploaded(client, world.c1, exported)
    html = client.get(f"/registry/import/{file_id}?commune={world.c1}").get_data(as_text=True)
    assert "Không đổi (3)" in html and "không cần nhập" in html


def test_an_edited_working_copy_updates_the_changed_people(app, world, login_as, c1_people):
    client = login_as("commune_staff")
    workbook = load_workbook(io.BytesIO(client.get("/registry/import/template").get_data()))
    sheet = workbook[SHEET]
    by_name = {sheet.cell(row=r, column=2).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(row=by_name["Vàng A Páo"], column=6).value = "0966 123 456"
    sheet.cell(row=by_name["Vàng A Páo"], column=9).value = "Cao đẳng"
    sheet.cell(row=sheet.max_row + 1, column=2).value = "Chu Thị Dé"
    new = sheet.max_row
    for column, value in ((3, "Nữ"), (4, 1988), (5, "Hà Nhì"), (11, TEAM1)):
        sheet.cell(row=new, column=column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    file_id = uploaded(client, world.c1, buffer.getvalue())
    html = client.get(f"/registry/import/{file_id}?commune={world.c1}").get_data(as_text=True)
    assert "Điện thoại: (trống) → “0966 123 456”" in html
    assert "Trình độ: (trống) → Cao đẳng" in html
    before = audit_rows(app)
    assert apply(client, file_id, world.c1).status_code == 303
    with app.app_context():
        pa = db.session.get(Mediator, c1_people["pa"])
        assert (pa.phone, pa.phone_digits, pa.education) == (
            "0966 123 456",
            "0966123456",
            "college",
        )
        assert pa.version == 2
        db.session.remove()
    assert audit_rows(app) == before + 1 + 2 + 1  # one update, one new mediator and event, import


def test_apply_refuses_a_plan_that_changed_since_the_preview(app, world, login_as):
    client = login_as("commune_staff")
    file_id = uploaded(client, world.c1, xlsx(good_rows(world)[:1]))
    response = client.post(f"/registry/import/{file_id}/apply?commune={world.c1}", {"plan": "cũ"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "đã thay đổi từ lúc kiểm tra" in page
    assert mediator_count(app, world.c1) == 1


# Who may see an upload


@pytest.fixture
def uploads(world, login_as):
    """An upload for C1 by its commune staff, one for C3 by the officer of the other province."""
    own = uploaded(login_as("commune_staff"), world.c1, xlsx([person()]))
    other = uploaded(login_as("officer_p2"), world.c3, xlsx([person(team=TEAM3)]))
    return {"own": (own, world.c1), "other": (other, world.c3)}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("target", ["own", "other"])
def test_upload_endpoints_authorization(app, world, login_as, uploads, role, target):
    """The three endpoints of an upload, for every role, in and out of scope."""
    client = login_as(role)
    file_id, commune = uploads[target]
    allowed = role in ("admin", "officer", "commune_staff") and (target == "own" or role == "admin")
    refused = (403, 404) if role in ("judge", "viewer") else (404,)
    preview = client.get(f"/registry/import/{file_id}?commune={commune}")
    errors = client.get(f"/registry/import/{file_id}/errors.xlsx?commune={commune}")
    before = (mediator_count(app, commune), audit_rows(app))
    applied = client.post(f"/registry/import/{file_id}/apply?commune={commune}", {"plan": "x"})
    if allowed:
        assert preview.status_code == 200 and "sẽ thêm mới" in preview.get_data(as_text=True)
        assert errors.status_code == 200 and errors.mimetype == XLSX
        assert applied.status_code == 303
    else:
        assert preview.status_code in refused
        assert errors.status_code in refused
        assert applied.status_code in refused
        assert mediator_count(app, commune) == before[0]


def test_an_upload_is_found_only_for_its_own_commune(app, world, login_as, uploads):
    own, _ = uploads["own"]
    officer = login_as("officer")
    assert officer.get(f"/registry/import/{own}?commune={world.c1}").status_code == 200
    assert officer.get(f"/registry/import/{own}?commune={world.c2}").status_code == 404
    assert officer.get(f"/registry/import/{own}").status_code == 200
    p2 = login_as("officer_p2")
    assert p2.get(f"/registry/import/{own}?commune={world.c1}").status_code == 404
    assert p2.get(f"/registry/import/{own}?commune={world.c3}").status_code == 404


def test_a_scanned_decision_is_not_an_import(app, world, login_as):
    """A stored file that was not uploaded here (a PDF, or an .xlsx for something else)."""
    from flask_login import login_user  # noqa: F401

    with app.test_request_context():
        from app.files.services import store_file

        scan = store_file(b"%PDF-1.4 MARKER-C1", "qd.pdf")
        other = store_file(xlsx([person()]), "bao-cao.xlsx", allowed=("xlsx",))
        db.session.commit()
        ids = (scan.id, other.id)
    client = login_as("commune_staff")
    for file_id in ids:
        assert client.get(f"/registry/import/{file_id}?commune={world.c1}").status_code == 404


# Exports


EXPORTS = {
    "mediators": ("Giàng Thị Mai MARKER-C", "Mã HGV"),
    "teams": ("Tổ hòa giải Bản Delta MARKER-V1", "Tên tổ hòa giải"),
    "trainers": ("Tập Huấn Viên MARKER-D1", "Họ và tên"),
    "trainings": ("Tập huấn kỹ năng MARKER-D1", "Nội dung"),
}


@pytest.mark.parametrize("kind", EXPORTS)
def test_exports_in_both_formats_are_scoped(world, login_as, kind):
    officer, p2 = login_as("officer"), login_as("officer_p2")
    day = today().isoformat()
    csv_response = officer.get(f"/registry/{kind}/export.csv")
    assert csv_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    filename = {
        "mediators": "hoa-giai-vien",
        "teams": "to-hoa-giai",
        "trainers": "tap-huan-vien",
        "trainings": "lop-tap-huan",
    }[kind]
    assert csv_response.headers["Content-Disposition"] == (
        f'attachment; filename="{filename}-{day}.csv"'
    )
    body = csv_response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert EXPORTS[kind][1] in header
    assert "MARKER-C1" in text or "MARKER-D1" in text
    assert "MARKER-C3" not in text and "MARKER-P2" not in text and "MARKER-V3" not in text
    other = p2.get(f"/registry/{kind}/export.csv").get_data().decode("utf-8-sig")
    for marker in ("MARKER-C1", "MARKER-C2", "MARKER-D1", "MARKER-V1"):
        assert marker not in other
    workbook = open_xlsx(officer.get(f"/registry/{kind}/export.xlsx"))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert EXPORTS[kind][1] in rows[0]
    cells = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "MARKER-C3" not in cells and "MARKER-P2" not in cells
    assert officer.get(f"/registry/{kind}/export.pdf").status_code == 404


def test_mediator_export_follows_the_lists_filters_search_and_order(
    app, world, login_as, c1_people
):
    officer = login_as("officer")
    rows = list(
        csv.reader(
            io.StringIO(
                officer.get("/registry/mediators/export.csv").get_data().decode("utf-8-sig")
            )
        )
    )
    assert [r[1] for r in rows[1:]] == [
        "Giàng Thị Mai MARKER-C1",
        "Giàng Thị Mai MARKER-C2",
        "Lò Văn Thanh",
        "Vàng A Páo",
    ]
    assert rows[0][:2] == ["Mã HGV", "Họ và tên"] and rows[0][-4:] == [
        "Xã, phường",
        "Vai trò trong tổ",
        "Trạng thái",
        "Ngày được tập huấn",
    ]
    assert rows[1][12] == "01/03/2024" and rows[1][14] == "Xã Gamma MARKER-C1"
    by_unit = officer.get(f"/registry/mediators/export.csv?unit={world.c2}").get_data().decode()
    assert "MARKER-C2" in by_unit and "MARKER-C1" not in by_unit
    searched = officer.get("/registry/mediators/export.csv?q=thanh").get_data().decode("utf-8-sig")
    assert [r[1] for r in csv.reader(io.StringIO(searched))][1:] == ["Lò Văn Thanh"]
    by_phone = officer.get("/registry/mediators/export.csv?q=0988").get_data().decode("utf-8-sig")
    assert "Lò Văn Thanh" in by_phone and "Vàng A Páo" not in by_phone
    backwards = officer.get("/registry/mediators/export.csv?sort=-name&sex=M").get_data()
    names = [r[1] for r in csv.reader(io.StringIO(backwards.decode("utf-8-sig")))][1:]
    assert names == ["Vàng A Páo", "Lò Văn Thanh"]
    other = login_as("officer_p2").get(f"/registry/mediators/export.csv?unit={world.c1}")
    assert "MARKER-C1" not in other.get_data().decode()


def test_exports_write_text_never_formulas(app, world, login_as):
    with app.test_request_context():
        team = db.session.get(Team, world.team1)
        create_mediator(
            team=team,
            values={
                "full_name": '=HYPERLINK("http://x")',
                "sex": "F",
                "birth_year": 1980,
                "ethnicity_code": "01",
                "phone": "+84 912 345 678",
            },
            decision={},
        )
        db.session.commit()
    client = login_as("commune_staff")
    text = client.get("/registry/mediators/export.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+84 912 345 678" in text
    workbook = open_xlsx(client.get("/registry/mediators/export.xlsx"))
    cell = next(
        c
        for row in workbook.active.iter_rows()
        for c in row
        if c.value and str(c.value).startswith("=HYP")
    )
    assert cell.data_type == "s"
    template = open_xlsx(client.get("/registry/import/template"))[SHEET]
    cell = next(
        c
        for row in template.iter_rows()
        for c in row
        if c.value and str(c.value).startswith("=HYP")
    )
    assert cell.data_type == "s"


def test_exports_beyond_the_row_limit_ask_to_filter_first(world, login_as, monkeypatch):
    import app.registry.excel.export as export

    monkeypatch.setattr(export, "ROW_LIMIT", 1)
    officer = login_as("officer")
    response = officer.get("/registry/mediators/export.xlsx?status=active&q=giang")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/registry/mediators/?")
    assert "q=giang" in response.headers["Location"]
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "quá nhiều để xuất một lần" in page
    assert officer.get(f"/registry/mediators/export.csv?unit={world.c1}").status_code == 200


CELL = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["Nữ", "Nam", "Mông", "Kinh", TEAM1, "01/03/2024", "31/02/2025", "1985"]),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)


def test_any_cells_give_a_plan_never_an_error(app, world):
    """R7 for files: whatever the cells hold, every row gets an action or its reasons."""
    positions = {key: i for i, key in enumerate(c.key for c in COLUMNS)}

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.lists(CELL, min_size=0, max_size=16), min_size=1, max_size=6))
    def run(rows):
        sheet = SheetRows(
            SHEET, 1, HEADERS, positions, [(n, tuple(r)) for n, r in enumerate(rows, 2)]
        )
        plan = plan_rows(sheet, db.session.get(Unit, world.c1))
        for row in plan.rows:
            assert row.action in ("create", "update", "unchanged", "bad")
            assert bool(row.errors) == (row.action == "bad")
            if row.action == "create":
                assert row.team is not None and row.values["sex"] in ("F", "M")
        build_errors(plan)

    with app.test_request_context():
        run()
        db.session.rollback()


def test_a_note_with_browser_line_ends_reimports_unchanged(app, world, login_as):
    with app.app_context():
        mediator = db.session.get(Mediator, world.mediator1)
        mediator.note = "Dòng một  \r\nDòng hai"
        mediator.address = "  Bản   Delta "
        db.session.commit()
    client = login_as("commune_staff")
    file_id = uploaded(client, world.c1, client.get("/registry/import/template").get_data())
    html = client.get(f"/registry/import/{file_id}?commune={world.c1}").get_data(as_text=True)
    assert "Không đổi (1)" in html and "không cần nhập" in html


def test_the_mediators_list_links_to_the_import(world, login_as):
    page = login_as("commune_staff").get("/registry/mediators/").get_data(as_text=True)
    assert 'href="/registry/import"' in page
    assert 'href="/registry/import"' not in login_as("viewer").get("/registry/mediators/").get_data(
        as_text=True
    )
