"""Evidence files (issue "Filling in", QUALITY.md S10): uploaded for an item (the type read
from the content: PDF, JPEG, PNG, XLSX, DOCX; at most 10 MB), one file serving several items
of the same checklist, removed; downloaded as an attachment by the checklist's readers only.
A file of another type, too big, missing, or not of this checklist: a clear message, nothing
changed."""

from io import BytesIO

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.extensions import db
from app.files.models import StoredFile
from app.pilots.models import Checklist, ChecklistEvidence
from tests.pilots.factories import PDF, PNG, items_of, sign_off
from tests.test_authorization_matrix import fingerprint


def body(response) -> str:
    return response.get_data(as_text=True)


def links(app, item_id) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(ChecklistEvidence.file_id)
                .where(ChecklistEvidence.item_id == item_id)
                .order_by(ChecklistEvidence.id)
            )
        )


def file_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(StoredFile.id)))


def upload(client, item_id, data, name, htmx=False):
    return client.post(
        f"/pilots/items/{item_id}/evidence", {"file": (BytesIO(data), name)}, htmx=htmx
    )


def typed_item(app, checklist_id, item_type):
    with app.app_context():
        return items_of(db.session.get(Checklist, checklist_id), item_type, computed=False)[0].id


def test_uploading_a_pdf_as_a_plain_form(app, world, login_as):
    staff = login_as("commune_staff")
    response = upload(staff, world.citem1, PDF, "biên bản họp.pdf")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/pilots/items/{world.citem1}#item-{world.citem1}"
    )
    [file_id] = links(app, world.citem1)
    with app.app_context():
        stored = db.session.get(StoredFile, file_id)
        assert stored.filename == "biên bản họp.pdf" and stored.content_type == "application/pdf"
        assert stored.uploaded_by_id == world.users["commune_staff"]
    page = body(staff.get(f"/pilots/items/{world.citem1}"))
    assert "Đã tải lên tệp “biên bản họp.pdf”." in page
    assert f"/pilots/checklists/{world.checklist1}/files/{file_id}" in page


def test_uploading_with_htmx_answers_the_item(app, world, login_as):
    staff = login_as("commune_staff")
    response = upload(staff, world.citem1, PNG, "anh-hop.png", htmx=True)
    assert response.status_code == 200 and "<html" not in body(response)
    assert body(response).lstrip().startswith(f'<li id="item-{world.citem1}"')
    assert "anh-hop.png" in body(response) and "Đã tải lên tệp" in body(response)
    assert len(links(app, world.citem1)) == 1


def test_a_file_of_another_type_is_refused(app, world, login_as):
    staff = login_as("commune_staff")
    before = fingerprint(app)
    for data, name in ((b"MZ\x90\x00 not a document", "bao-cao.pdf"), (b"<svg/>", "logo.png")):
        response = upload(staff, world.citem1, data, name, htmx=True)
        assert response.status_code == 422
        assert "Chỉ nhận tệp PDF, JPEG, PNG, Excel (.xlsx), Word (.docx)" in body(response)
        assert f'id="item-{world.citem1}-file-error"' in body(response)
        plain = upload(staff, world.citem1, data, name)
        assert plain.status_code == 422 and "<html" in body(plain)
    assert fingerprint(app) == before


def test_no_file_or_an_empty_one_is_refused(app, world, login_as):
    staff = login_as("commune_staff")
    before = fingerprint(app)
    response = staff.post(f"/pilots/items/{world.citem1}/evidence", {})
    assert response.status_code == 422 and "Chọn tệp minh chứng cần tải lên." in body(response)
    empty = upload(staff, world.citem1, b"", "trong.pdf")
    assert empty.status_code == 422
    assert fingerprint(app) == before


def test_a_file_over_10_mb_gets_a_clear_413(app, world, login_as):
    staff = login_as("commune_staff")
    before = fingerprint(app)
    big = FileStorage(BytesIO(PDF + b"0" * (10 * 1024 * 1024)), "qua-lon.pdf")
    # Encoded in memory: the test client would spool it to a file that it never closes.
    boundary, payload = encode_multipart({"file": big, "csrf_token": staff.token})
    response = staff.http.post(
        f"/pilots/items/{world.citem1}/evidence",
        data=payload,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "Tệp quá lớn" in body(response) and "10 MB" in body(response)
    assert fingerprint(app) == before


def test_one_file_serves_several_items(app, world, login_as):
    staff = login_as("commune_staff")
    check = world.citem1
    response = staff.post(f"/pilots/items/{check}/evidence/attach", {"file_id": str(world.file1)})
    assert response.status_code == 303
    assert links(app, check) == [world.file1]
    assert links(app, world.citem1_evidence) == [world.file1]
    # Again: nothing more (one row per item and file).
    again = staff.post(
        f"/pilots/items/{check}/evidence/attach", {"file_id": str(world.file1)}, htmx=True
    )
    assert again.status_code == 200 and "Tệp đã có ở mục này." in body(again)
    assert links(app, check) == [world.file1]
    # Taken off one item, the file stays for the other.
    remove = staff.post(f"/pilots/items/{check}/evidence/{world.file1}/delete", htmx=True)
    assert remove.status_code == 200 and "Đã gỡ tệp" in body(remove)
    assert links(app, check) == [] and links(app, world.citem1_evidence) == [world.file1]
    with app.app_context():
        assert db.session.get(StoredFile, world.file1) is not None


def test_only_a_file_of_this_checklist_is_attached(app, world, login_as):
    staff = login_as("commune_staff")
    before = fingerprint(app)
    for file_id in (str(world.file3), "abc", "", "99999999"):
        response = staff.post(
            f"/pilots/items/{world.citem1}/evidence/attach", {"file_id": file_id}, htmx=True
        )
        assert response.status_code == 422, file_id
        assert "Chọn một tệp đã có trong bảng kiểm này." in body(response)
    assert fingerprint(app) == before


def test_removing_the_last_holder_deletes_the_file(app, world, login_as):
    staff = login_as("commune_staff")
    response = staff.post(f"/pilots/items/{world.citem1_evidence}/evidence/{world.file1}/delete")
    assert response.status_code == 303
    assert links(app, world.citem1_evidence) == []
    with app.app_context():
        assert db.session.get(StoredFile, world.file1) is None
    assert (
        staff.get(f"/pilots/checklists/{world.checklist1}/files/{world.file1}").status_code == 404
    )
    # A file that is not on the item: 404, nothing changed.
    before = fingerprint(app)
    missing = staff.post(f"/pilots/items/{world.citem1}/evidence/{world.file1}/delete")
    assert missing.status_code == 404
    assert fingerprint(app) == before


def test_a_signed_file_stays_with_its_snapshot(app, world, login_as):
    """Signed off, reopened, the file taken off its item: the snapshot still lists it, so it
    is kept and still downloads."""
    with app.app_context():
        checklist = db.session.get(Checklist, world.checklist1)
        sign_off(checklist)
        checklist.status = "open"
        for item in items_of(checklist):
            item.review_status = "pending"
        db.session.commit()
    staff = login_as("commune_staff")
    response = staff.post(f"/pilots/items/{world.citem1_evidence}/evidence/{world.file1}/delete")
    assert response.status_code == 303 and links(app, world.citem1_evidence) == []
    download = staff.get(f"/pilots/checklists/{world.checklist1}/files/{world.file1}")
    assert download.status_code == 200 and download.get_data() == PDF


def test_download_as_an_attachment_to_readers_only(app, world, login_as):
    for role in ("commune_staff", "officer", "viewer", "admin"):
        response = login_as(role).get(f"/pilots/checklists/{world.checklist1}/files/{world.file1}")
        assert response.status_code == 200, role
        assert response.get_data() == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert "bien-ban-khao-sat-MARKER-C1.pdf" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        login_as("judge")
        .get(f"/pilots/checklists/{world.checklist1}/files/{world.file1}")
        .status_code
        == 403
    )
    staff = login_as("commune_staff")
    # Another checklist's file through this checklist, and another province's checklist: 404.
    assert (
        staff.get(f"/pilots/checklists/{world.checklist1}/files/{world.file3}").status_code == 404
    )
    assert (
        staff.get(f"/pilots/checklists/{world.checklist3}/files/{world.file3}").status_code == 404
    )
    assert (
        staff.get(f"/pilots/checklists/{world.checklist4}/files/{world.file1}").status_code == 404
    )


def test_evidence_does_not_change_once_sent_or_on_computed_items(app, world, login_as):
    staff = login_as("commune_staff")
    with app.app_context():
        computed = items_of(db.session.get(Checklist, world.checklist1), computed=True)[0].id
    files = file_count(app)
    response = upload(staff, computed, PDF, "x.pdf")
    assert response.status_code == 403 and "tính tự động" in body(response)
    assert file_count(app) == files
    with app.app_context():
        db.session.get(Checklist, world.checklist1).status = "submitted"
        db.session.commit()
    before = fingerprint(app)
    for response in (
        upload(staff, world.citem1_evidence, PDF, "x.pdf"),
        staff.post(f"/pilots/items/{world.citem1}/evidence/attach", {"file_id": str(world.file1)}),
        staff.post(f"/pilots/items/{world.citem1_evidence}/evidence/{world.file1}/delete"),
    ):
        assert response.status_code == 403 and "đã gửi duyệt" in body(response)
    assert fingerprint(app) == before
