"""The pilots of ``flask demo`` (docs/demo.md): Xã Mường Nhé, the district's pilot commune,
half done, with two evidence files (one serving two items), submitted and one item returned
with a reason; Xã Mường Toong assessed against the model-commune criteria. One run of the demo
serves every check: it takes seconds."""

from collections import Counter
from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from app.clock import today
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.files.models import StoredFile
from app.files.services import sniff
from app.pilots.models import Checklist, ChecklistEvent, ChecklistEvidence, ChecklistItem
from app.pilots.services.view import checklist_view
from app.units.models import Unit


def _unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def _check_pilot() -> int:
    commune, district = _unit("Xã Mường Nhé"), _unit("Huyện Mường Nhé")
    (pilot,) = db.session.scalars(select(Checklist).where(Checklist.kind == "pilot"))
    assert pilot.unit_id == commune.id and pilot.office_unit_id == district.id
    assert (pilot.level, pilot.starts_on, pilot.ends_on) == (
        "district",
        date(2024, 1, 1),
        date(2026, 12, 31),
    )
    assert pilot.status == "returned" and pilot.submitted_at is not None
    assert commune.pilot_level == "district"
    view = checklist_view(pilot, today())
    typed = [row for row in view.rows if not row.computed]
    assert len(typed) == 8 and sum(row.done for row in typed) == 4
    assert not view.missing, "it was submitted: every required item has a value"
    (returned,) = [row for row in view.rows if row.review_status == "returned"]
    assert returned.text.startswith("Hỗ trợ pháp lý") and "quyết định công nhận" in (
        returned.return_reason or ""
    )
    # Two files: a PDF serving two items and a PNG.
    files = db.session.execute(
        select(StoredFile.id, StoredFile.content, ChecklistEvidence.item_id).join(
            ChecklistEvidence, ChecklistEvidence.file_id == StoredFile.id
        )
    ).all()
    kinds = Counter(sniff(content) for _id, content, _item in files)
    assert kinds == {"pdf": 2, "png": 1}
    assert len({file_id for file_id, _c, _i in files}) == 2
    pdf = next(content for _id, content, _i in files if content.startswith(b"%PDF-"))
    assert pdf.rstrip().endswith(b"%%EOF") and b"startxref" in pdf
    events = db.session.scalars(
        select(ChecklistEvent.action)
        .where(ChecklistEvent.checklist_id == pilot.id)
        .order_by(ChecklistEvent.at)
    ).all()
    assert events == ["designated", "submitted", "returned"]
    return pilot.id


def _check_model() -> None:
    (model,) = db.session.scalars(select(Checklist).where(Checklist.kind == "model"))
    assert model.unit_id == _unit("Xã Mường Toong").id and model.status == "open"
    assert model.starts_on == date(today().year, 1, 1)
    typed = db.session.scalars(
        select(ChecklistItem).where(
            ChecklistItem.checklist_id == model.id, ChecklistItem.value_number.is_not(None)
        )
    ).all()
    assert len(typed) == 1 and typed[0].progress == "done"


def test_demo_pilots(app, make_client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "Chỉ đạo điểm: Xã Mường Nhé (cấp huyện, 01/01/2024–31/12/2026)" in result.output
    with app.app_context():
        pilot_id = _check_pilot()
        _check_model()

    # The district's officer sees both communes on the overview and exports them.
    officer = make_client()
    assert officer.login("canbo", DEMO_PASSWORD).status_code == 303
    html = officer.get("/pilots/").get_data(as_text=True)
    assert "Xã Mường Nhé" in html and "Xã Mường Toong" in html
    assert "Trả lại để bổ sung" in html and "Chưa đạt" in html
    assert f'href="/pilots/checklists/{pilot_id}"' in html
    book = load_workbook(BytesIO(officer.get("/pilots/export.xlsx").get_data()))
    assert [r[1] for r in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)] == [
        "Xã Mường Nhé",
        "Xã Mường Toong",
    ]
    # The commune's staff see their own checklist only.
    staff = make_client()
    assert staff.login("congchuc", DEMO_PASSWORD).status_code == 303
    html = staff.get("/pilots/").get_data(as_text=True)
    assert "Xã Mường Nhé" in html and "Xã Mường Toong" not in html
