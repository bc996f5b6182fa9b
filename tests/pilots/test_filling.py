"""Filling in a checklist (issue "Filling in"): the commune's staff open an item, its form
saves itself (htmx) or is posted plainly; every value is checked by its type (a percentage
over 100, a negative number, a date outside the pilot's period, an unreadable date, a text too
long: clear messages, nothing changed); a stale save gets 409 with the first save kept; a
checklist sent for review or signed off is not changed; submitting needs every required item."""

import re
import threading
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.audit.models import AuditLog
from app.extensions import db
from app.pilots.models import Checklist, ChecklistEvent, ChecklistItem
from tests.pilots.factories import fill_all, items_of, make_checklist, make_template
from tests.test_authorization_matrix import fingerprint


def body(response) -> str:
    return response.get_data(as_text=True)


def item_of(app, checklist_id, item_type, computed=False) -> tuple[int, int]:
    """(id, version) of the checklist's first item of that type."""
    with app.app_context():
        item = items_of(db.session.get(Checklist, checklist_id), item_type, computed=computed)[0]
        return item.id, item.version


def stored(app, item_id) -> ChecklistItem:
    with app.app_context():
        item = db.session.get(ChecklistItem, item_id)
        db.session.expunge(item)
        return item


def set_status(app, checklist_id, status, **items):
    """Move a checklist (and items: {id: review_status}) to a state directly."""
    with app.app_context():
        db.session.get(Checklist, checklist_id).status = status
        for item_id, review in items.get("review", {}).items():
            db.session.get(ChecklistItem, item_id).review_status = review
        db.session.commit()


def save(client, item_id, version, value="", progress="in_progress", htmx=False, **extra):
    data = {"progress": progress, "value": value, "version": str(version), **extra}
    return client.post(f"/pilots/items/{item_id}", data, htmx=htmx)


def test_the_form_of_an_item_as_a_page_and_in_place(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, _ = item_of(app, world.checklist1, "number")
    page = staff.get(f"/pilots/items/{item_id}")
    assert page.status_code == 200 and "<html" in body(page)
    assert "Tiến độ" in body(page) and f'name="version" id="item-{item_id}-version"' in body(page)
    assert 'inputmode="decimal"' in body(page) and "Quay lại bảng kiểm" in body(page)
    fragment = staff.get(f"/pilots/items/{item_id}", htmx=True)
    assert fragment.status_code == 200 and "<html" not in body(fragment)
    assert body(fragment).lstrip().startswith(f'<li id="item-{item_id}"')
    assert 'hx-trigger="submit, input changed delay:800ms"' in body(fragment)
    assert "Tải tệp lên" in body(fragment) and "Dùng tệp đã có trong bảng kiểm" in body(fragment)
    assert len(fragment.get_data()) <= 15 * 1024


def test_each_type_gets_its_own_field(app, world, login_as):
    staff = login_as("commune_staff")
    fields = {
        "check": '<option value="1" selected>Đã hoàn thành</option>',
        "date": 'placeholder="dd/mm/yyyy"',
        "text": "<textarea",
        "number": 'inputmode="decimal"',
    }
    for item_type, field in fields.items():
        item_id, _ = item_of(app, world.checklist1, item_type)
        assert field in body(staff.get(f"/pilots/items/{item_id}", htmx=True)), item_type
    evidence_id, _ = item_of(app, world.checklist1, "evidence")
    assert 'name="value"' not in body(staff.get(f"/pilots/items/{evidence_id}", htmx=True))


def test_autosave_keeps_the_value_and_answers_the_status_line(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "number")
    response = save(staff, item_id, version, "1.234,5", "in_progress", htmx=True)
    assert response.status_code == 200
    html = body(response)
    assert f'id="item-{item_id}-status"' in html and "Đã lưu lúc" in html
    # The fields being typed in are left alone: only the version and the result come back.
    assert f'value="{version + 1}" hx-swap-oob="true"' in html
    assert 'name="value"' not in html.replace('name="version"', "")
    assert "1.234,5" in html and "<html" not in html
    item = stored(app, item_id)
    assert item.value_number == Decimal("1234.5") and item.progress == "in_progress"
    assert item.version == version + 1 and item.updated_by_id == world.users["commune_staff"]
    with app.app_context():
        audit = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.object_type == "ChecklistItem", AuditLog.object_id == item_id)
            .order_by(AuditLog.id)
        ).all()
        assert audit[-1].action == "update" and audit[-1].user_id == world.users["commune_staff"]


def test_saving_and_closing_shows_the_item_again(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "date")
    response = save(staff, item_id, version, "15/03/2025", "done", htmx=True, close="1")
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#item-{item_id}"
    assert response.headers["HX-Reswap"] == "outerHTML"
    assert "15/03/2025" in body(response) and "pilot-fill" not in body(response)
    assert "Cập nhật" in body(response)
    assert stored(app, item_id).value_date == date(2025, 3, 15)


def test_a_plain_save_goes_back_to_the_item_on_the_checklist(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "text")
    response = save(staff, item_id, version, "  Xin được 20 triệu đồng  ", "done")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/pilots/checklists/{world.checklist1}#item-{item_id}"
    )
    assert stored(app, item_id).value_text == "Xin được 20 triệu đồng"
    page = staff.get(f"/pilots/checklists/{world.checklist1}")
    assert "Đã lưu mục" in body(page) and "Xin được 20 triệu đồng" in body(page)


BAD_VALUES = [
    ("percent", "101", "Tỷ lệ không được vượt quá 100%."),
    ("number", "-3", "Không được là số âm."),
    ("number", "mười hai", "Nhập một số"),
    ("date", "01/01/2023", "Ngày phải trong thời gian thực hiện (01/01/2024 – 31/12/2026)."),
    ("date", "31/02/2025", "Ngày không hợp lệ"),
    ("text", "x" * 2001, "Nội dung tối đa 2.000 ký tự."),
    ("check", "2", "Chọn “Đã hoàn thành” hoặc “Chưa hoàn thành”."),
]


def test_bad_values_are_refused_with_nothing_changed(app, world, login_as):
    staff = login_as("commune_staff")
    percent = _typed_percent_item(app, world)
    for item_type, value, message in BAD_VALUES:
        item_id, version = (
            percent if item_type == "percent" else item_of(app, world.checklist1, item_type)
        )
        before = fingerprint(app)
        autosave = save(staff, item_id, version, value, htmx=True)
        assert autosave.status_code == 422, (item_type, value)
        assert message in body(autosave), (item_type, body(autosave))
        assert f'id="item-{item_id}-value-error" hx-swap-oob="true">' in body(autosave)
        plain = save(staff, item_id, version, value)
        assert plain.status_code == 422 and "<html" in body(plain)
        assert message in body(plain) and 'class="field has-error"' in body(plain)
        assert fingerprint(app) == before, (item_type, value)


def _typed_percent_item(app, world) -> tuple[int, int]:
    """A percentage typed by the commune (the default pilot template's are computed): a
    template of D1's own with one, designated for C1."""
    with app.app_context():
        template = make_template(
            owner_unit_id=world.d1,
            name="Mẫu có tỷ lệ nhập tay",
            status="published",
            items=(("Tỷ lệ tổ đạt 5 tốt", "percent", "50", None),),
        )
        checklist = make_checklist(commune_id=world.c1, office_unit_id=world.d1, template=template)
        item = items_of(checklist)[0]
        db.session.commit()
        return item.id, item.version


def test_a_bad_progress_is_refused(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "check")
    before = fingerprint(app)
    response = save(staff, item_id, version, "1", progress="finished")
    assert response.status_code == 422 and "Chọn tiến độ thực hiện." in body(response)
    assert fingerprint(app) == before


def test_a_stale_save_gets_409_and_the_first_one_stays(
    app, world, login_as, make_user, make_client
):
    make_user("congchuc2", "commune_staff", world.c1, full_name="Công Chức Hai")
    first, second = login_as("commune_staff"), make_client()
    assert second.login("congchuc2").status_code == 303
    item_id, version = item_of(app, world.checklist1, "number")
    assert save(first, item_id, version, "7", htmx=True).status_code == 200
    before = fingerprint(app)
    late = save(second, item_id, version, "9", htmx=True)
    assert late.status_code == 409
    assert late.headers["HX-Retarget"] == f"#item-{item_id}"
    assert "Người khác vừa lưu mục này" in body(late)
    # The form now shows the first person's value with the current version.
    assert 'value="7"' in body(late) and f'value="{version + 1}"' in body(late)
    assert "Bạn đã nhập: “9”." in body(late)
    assert fingerprint(app) == before
    assert stored(app, item_id).value_number == Decimal(7)
    plain = save(second, item_id, version, "9")
    assert plain.status_code == 409 and "<html" in body(plain)
    assert stored(app, item_id).value_number == Decimal(7)


def test_two_staff_on_different_items_do_not_conflict(app, world, login_as, make_user, make_client):
    make_user("congchuc2", "commune_staff", world.c1, full_name="Công Chức Hai")
    first, second = login_as("commune_staff"), make_client()
    second.login("congchuc2")
    number, number_version = item_of(app, world.checklist1, "number")
    text, text_version = item_of(app, world.checklist1, "text")
    assert save(first, number, number_version, "2", htmx=True).status_code == 200
    assert save(second, text, text_version, "Đã họp dân", htmx=True).status_code == 200
    assert stored(app, number).value_number == Decimal(2)
    assert stored(app, text).value_text == "Đã họp dân"


def test_two_saves_at_the_same_moment_one_wins(app, world, make_user, make_client):
    """Two staff save the same item at once: one is kept, the other refused as stale (no 500,
    no lost update)."""
    make_user("congchuc2", "commune_staff", world.c1, full_name="Công Chức Hai")
    clients = []
    for username in ("congchuc", "congchuc2"):
        client = make_client()
        assert client.login(username).status_code == 303
        clients.append(client)
    item_id, version = item_of(app, world.checklist1, "number")
    barrier = threading.Barrier(2)
    statuses = []

    def race(client, value):
        barrier.wait()
        statuses.append(save(client, item_id, version, value, htmx=True).status_code)

    threads = [threading.Thread(target=race, args=pair) for pair in zip(clients, "56", strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    item = stored(app, item_id)
    assert item.value_number in (Decimal(5), Decimal(6)) and item.version == version + 1


def test_saving_what_is_already_there_changes_nothing(app, world, login_as):
    staff = login_as("commune_staff")
    with app.app_context():
        item = db.session.get(ChecklistItem, world.citem1)
        version = item.version
    before = fingerprint(app)
    # Same values, even with an old version (a second tab): nothing to lose, nothing written.
    response = save(staff, world.citem1, version - 1, "1", "done", htmx=True)
    assert response.status_code == 200 and "Đã lưu" in body(response)
    assert fingerprint(app) == before


def test_extra_fields_change_nothing_else(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "number")
    extra = {
        "review_status": "accepted",
        "checklist_id": str(world.checklist3),
        "value_text": "x",
        "status": "signed_off",
        "updated_by_id": str(world.users["admin"]),
    }
    assert save(staff, item_id, version, "3", **extra).status_code == 303
    item = stored(app, item_id)
    assert item.review_status == "pending" and item.checklist_id == world.checklist1
    assert item.value_text is None and item.updated_by_id == world.users["commune_staff"]
    with app.app_context():
        assert db.session.get(Checklist, world.checklist1).status == "open"


def test_computed_items_are_not_typed(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "percent", computed=True)
    before = fingerprint(app)
    response = save(staff, item_id, version, "100", "done")
    assert response.status_code == 403 and "tính tự động" in body(response)
    assert staff.get(f"/pilots/items/{item_id}").status_code == 403
    assert fingerprint(app) == before


def test_a_submitted_or_signed_off_checklist_is_not_changed(app, world, login_as):
    staff = login_as("commune_staff")
    item_id, version = item_of(app, world.checklist1, "number")
    set_status(app, world.checklist1, "submitted")
    before = fingerprint(app)
    response = save(staff, item_id, version, "5")
    assert response.status_code == 403 and "đã gửi duyệt" in body(response)
    assert staff.get(f"/pilots/items/{item_id}", htmx=True).status_code == 403
    with app.app_context():
        signed = items_of(db.session.get(Checklist, world.checklist4), "percent", computed=False)
        signed_id, signed_version = signed[0].id, signed[0].version
    response = save(staff, signed_id, signed_version, "60")
    assert response.status_code == 403 and "đã ký duyệt" in body(response)
    assert fingerprint(app) == before


def test_after_a_return_only_the_returned_items_change(app, world, login_as):
    staff = login_as("commune_staff")
    returned, _ = item_of(app, world.checklist1, "number")
    kept, _ = item_of(app, world.checklist1, "date")
    set_status(app, world.checklist1, "returned", review={returned: "returned", kept: "accepted"})
    returned_version, kept_version = stored(app, returned).version, stored(app, kept).version
    refused = save(staff, kept, kept_version, "01/02/2025")
    assert refused.status_code == 403 and "chỉ sửa được các mục bị trả lại" in body(refused)
    assert save(staff, returned, returned_version, "4").status_code == 303
    item = stored(app, returned)
    # It stays returned until the checklist is sent again (then it waits for review).
    assert item.value_number == Decimal(4) and item.review_status == "returned"
    page = body(staff.get(f"/pilots/checklists/{world.checklist1}"))
    assert f'href="/pilots/items/{returned}"' in page and f'href="/pilots/items/{kept}"' not in page
    assert "Bổ sung" in page and "Gửi duyệt lại" in page


def test_officers_viewers_and_other_communes_cannot_save(app, world, login_as):
    item_id, version = item_of(app, world.checklist1, "number")
    clients = {role: login_as(role) for role in ("officer", "viewer", "admin", "judge")}
    staff = login_as("commune_staff")
    with app.app_context():
        other = items_of(db.session.get(Checklist, world.checklist3), "number", computed=False)[0]
        other_id, other_version = other.id, other.version
    before = fingerprint(app)
    for role, client in clients.items():
        assert save(client, item_id, version, "5").status_code == 403, role
    assert save(staff, other_id, other_version, "5").status_code == 404
    assert fingerprint(app) == before


# Submitting


def submit(client, checklist_id, version):
    return client.post(f"/pilots/checklists/{checklist_id}/submit", {"version": str(version)})


def version_of(app, checklist_id) -> int:
    with app.app_context():
        return db.session.get(Checklist, checklist_id).version


def test_submitting_with_required_items_empty_names_them(app, world, login_as):
    staff = login_as("commune_staff")
    before = fingerprint(app)
    response = submit(staff, world.checklist1, version_of(app, world.checklist1))
    assert response.status_code == 422
    html = body(response)
    assert "Chưa gửi duyệt được" in html
    missing = re.search(
        r'<div class="flash flash-error" role="alert" id="submit-missing">(.*?)</div>', html, re.S
    )
    assert "Bồi dưỡng công chức Tư pháp - Hộ tịch cấp xã" in missing.group(1)
    assert "Bầu, bầu bổ sung" not in missing.group(1), "a filled item is not missing"
    assert fingerprint(app) == before


def test_submitting_a_complete_checklist(app, world, login_as):
    staff = login_as("commune_staff")
    with app.app_context():
        fill_all(db.session.get(Checklist, world.checklist1))
        db.session.commit()
    response = submit(staff, world.checklist1, version_of(app, world.checklist1))
    assert response.status_code == 303
    with app.app_context():
        checklist = db.session.get(Checklist, world.checklist1)
        assert checklist.status == "submitted" and checklist.submitted_at is not None
        event = db.session.scalars(
            select(ChecklistEvent)
            .where(ChecklistEvent.checklist_id == checklist.id)
            .order_by(ChecklistEvent.id.desc())
        ).first()
        assert event.action == "submitted" and event.by_user_id == world.users["commune_staff"]
    page = body(staff.get(f"/pilots/checklists/{world.checklist1}"))
    assert "Đã gửi duyệt bảng kiểm" in page and "Chờ duyệt" in page
    assert f'action="/pilots/checklists/{world.checklist1}/submit"' not in page
    assert submit(staff, world.checklist1, version_of(app, world.checklist1)).status_code == 403


def test_a_stale_submission_gets_409(app, world, login_as):
    staff = login_as("commune_staff")
    with app.app_context():
        fill_all(db.session.get(Checklist, world.checklist1))
        db.session.commit()
    version = version_of(app, world.checklist1)
    with app.app_context():
        db.session.get(Checklist, world.checklist1).note = "Đổi ghi chú"
        db.session.commit()
    before = fingerprint(app)
    response = submit(staff, world.checklist1, version)
    assert response.status_code == 409 and "vừa được người khác sửa" in body(response)
    assert fingerprint(app) == before


def test_resubmitting_after_a_return_sends_the_returned_items_back(app, world, login_as):
    staff = login_as("commune_staff")
    with app.app_context():
        checklist = db.session.get(Checklist, world.checklist1)
        fill_all(checklist)
        first, second = items_of(checklist, computed=False)[:2]
        ids = (first.id, second.id)
        db.session.commit()
    set_status(app, world.checklist1, "returned", review={ids[0]: "returned", ids[1]: "accepted"})
    response = submit(staff, world.checklist1, version_of(app, world.checklist1))
    assert response.status_code == 303
    assert stored(app, ids[0]).review_status == "pending"
    assert stored(app, ids[1]).review_status == "accepted"
    with app.app_context():
        checklist = db.session.get(Checklist, world.checklist1)
        actions = db.session.scalars(
            select(ChecklistEvent.action).where(ChecklistEvent.checklist_id == checklist.id)
        ).all()
        assert checklist.status == "submitted" and actions[-1] == "resubmitted"


def test_officers_cannot_submit_and_a_signed_checklist_is_not_sent(app, world, login_as):
    officer, staff = login_as("officer"), login_as("commune_staff")
    before = fingerprint(app)
    assert submit(officer, world.checklist1, 1).status_code == 403
    response = submit(staff, world.checklist4, version_of(app, world.checklist4))
    assert response.status_code == 403 and "đã ký duyệt" in body(response)
    assert submit(staff, world.checklist3, 1).status_code == 404
    assert fingerprint(app) == before


# Fuzzing (QUALITY.md R7)

TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "1", "0", "-1", "1e9999", "NaN", "1.234,5", "31/02/2025", "done"]),
)


def test_the_item_and_submit_forms_survive_fuzzing(app, world, login_as):
    staff = login_as("commune_staff")
    targets = [
        f"/pilots/items/{item_of(app, world.checklist1, kind)[0]}"
        for kind in ("check", "number", "date", "text", "evidence")
    ]
    targets += [
        f"/pilots/checklists/{world.checklist1}/submit",
        f"/pilots/items/{world.citem1}/evidence/attach",
    ]

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.sampled_from(targets),
        st.fixed_dictionaries(
            {}, optional={f: TEXT for f in ("progress", "value", "version", "file_id", "close")}
        ),
        st.booleans(),
    )
    def run(url, data, htmx):
        data = {k: v.replace("\x00", "") for k, v in data.items()}
        response = staff.post(url, data, htmx=htmx)
        assert response.status_code in (200, 303, 409, 422), (url, data, response.status_code)

    run()
