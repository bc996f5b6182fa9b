"""The overview's export (pilots.export): sheet "Tổng hợp", one row per checklist, and sheet
"Chi tiết", one row per item; the overview's filters and scope; typed text never becomes a
formula; a fixed number of queries."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.pilots.models import Checklist, ChecklistItem
from app.pilots.services import exports
from tests.pilots.factories import items_of, make_checklist
from tests.queries import count_queries

EXPORT = "/pilots/export.xlsx"


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "chi-dao-diem-" in disposition
    return load_workbook(BytesIO(response.get_data()))


def rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_both_sheets_for_the_officers_subtree(app, world, login_as):
    book = workbook(login_as("officer").get(EXPORT))
    assert book.sheetnames == ["Tổng hợp", "Chi tiết"]
    summary, detail = rows(book["Tổng hợp"]), rows(book["Chi tiết"])
    assert summary[0] == tuple(h for h, _ in exports.SUMMARY_HEADERS)
    assert detail[0] == tuple(h for h, _ in exports.DETAIL_HEADERS)
    communes = [r[1] for r in summary[1:]]
    assert communes == ["Xã Epsilon MARKER-C2", "Xã Gamma MARKER-C1", "Xã Gamma MARKER-C1"]
    assert [r[0] for r in summary[1:]] == [1, 2, 3]
    pilot = next(r for r in summary[1:] if r[2] == "Chỉ đạo điểm")
    assert pilot[3] == "Cấp huyện" and pilot[5] == "Huyện Beta MARKER-D1"
    assert pilot[6].date() == date(2024, 1, 1) and pilot[8] == "Đang thực hiện"
    assert pilot[9].startswith("I: ") and " · IV: " in pilot[9]
    assert pilot[13] > 0 and pilot[14] is None and pilot[15] is None
    signed = next(r for r in summary[1:] if r[8] == "Đã ký duyệt")
    assert signed[14] in ("Đạt", "Chưa đạt") and signed[15] in ("Đạt", "Chưa đạt")
    assert signed[13] == 0
    # One row per item of the three checklists.
    mine = [world.checklist1, world.checklist2, world.checklist4]
    with app.app_context():
        n_items = db.session.scalar(
            select(func.count()).where(ChecklistItem.checklist_id.in_(mine))
        )
    assert len(detail) - 1 == n_items
    text = next(r for r in detail[1:] if r[3] and r[3].startswith("Huy động nguồn lực"))
    assert text[0] == "Xã Gamma MARKER-C1" and text[5] == "Huy động kinh phí MARKER-C1"
    assert text[7] == "Đang thực hiện" and text[9] == "Quá hạn"
    evidence = next(r for r in detail[1:] if r[3] and r[3].startswith("Khảo sát, đánh giá"))
    assert evidence[12] == 1 and evidence[6] == "Đạt"
    assert any(r[7] == "Tự động tính" for r in detail[1:])
    every = "\n".join(str(v) for sheet in book for row in rows(sheet) for v in row if v)
    assert "MARKER-C3" not in every


def test_the_filters_of_the_overview_apply(world, login_as):
    client = login_as("officer")
    summary = rows(workbook(client.get(EXPORT, query_string={"kind": "pilot"}))["Tổng hợp"])
    assert len(summary) == 2 and summary[1][2] == "Chỉ đạo điểm"
    summary = rows(workbook(client.get(EXPORT, query_string={"unit": world.c2}))["Tổng hợp"])
    assert [r[1] for r in summary[1:]] == ["Xã Epsilon MARKER-C2"]
    overdue = rows(workbook(client.get(EXPORT, query_string={"overdue": "1"}))["Tổng hợp"])
    assert overdue[1:] and all(r[13] > 0 for r in overdue[1:])


def test_commune_staff_export_their_commune_and_judges_are_refused(world, login_as):
    book = workbook(login_as("commune_staff").get(EXPORT))
    assert {r[1] for r in rows(book["Tổng hợp"])[1:]} == {"Xã Gamma MARKER-C1"}
    assert login_as("judge").get(EXPORT).status_code == 403


def test_typed_text_is_never_a_formula(world, login_as, app):
    with app.app_context():
        item = items_of(db.session.get(Checklist, world.checklist1), "text")[0]
        item.value_text = '=HYPERLINK("http://example.com","bấm")'
        db.session.commit()
    book = load_workbook(BytesIO(login_as("officer").get(EXPORT).get_data()))
    cell = next(
        row[5]
        for row in book["Chi tiết"].iter_rows()
        if row[3].value
        and row[3].value.startswith("Huy động")
        and row[0].value == "Xã Gamma MARKER-C1"
        and row[5].value
    )
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_too_many_checklists_go_back_to_the_overview(world, login_as, monkeypatch):
    monkeypatch.setattr(exports, "ROW_LIMIT", 1)
    response = login_as("officer").get(EXPORT, query_string={"kind": "model"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/pilots/?kind=model")


def test_a_fixed_number_of_queries(app, world, login_as, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 1000)
    client = login_as("officer")
    few = count_queries(app, client, EXPORT)
    with app.app_context():
        from app.units.models import Unit
        from app.units.services import create_unit

        for n in range(6):
            commune = create_unit(parent=db.session.get(Unit, world.d1), kind="xa", name=f"Xã {n}")
            db.session.flush()
            make_checklist(commune_id=commune.id, office_unit_id=world.d1)
        db.session.commit()
    assert count_queries(app, client, EXPORT) == few
