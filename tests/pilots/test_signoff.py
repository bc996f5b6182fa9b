"""Sign-off, snapshots and reopening (issue "Review and sign-off"): signing off accepts what
is left and freezes every value, computed ones included, with the date; the signed values no
longer change when the registry does; reopening needs a reason, is logged, keeps the
snapshot; a past snapshot has its own read-only page."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.concurrency import STALE_MESSAGE
from app.extensions import db
from app.pilots.models import Checklist, ChecklistItem, ChecklistSnapshot
from app.pilots.services.view import checklist_view
from app.registry.models import Mediator, Training
from app.registry.services.trainings import add_attendees
from tests.pilots.factories import items_of, make_checklist, sign_off
from tests.pilots.test_review import (
    body,
    checklist_row,
    events,
    first_items,
    give_back,
    item_row,
    submitted_checklist,
    text_of,
)
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint

TRAINING_ITEM = "Tập huấn 100% hòa giải viên theo Chương trình khung"


def signoff(client, checklist_id, version):
    return client.post(f"/pilots/checklists/{checklist_id}/signoff", {"version": str(version)})


def reopen(client, checklist_id, version, reason):
    return client.post(
        f"/pilots/checklists/{checklist_id}/reopen", {"version": str(version), "reason": reason}
    )


def snapshots(app, checklist_id) -> list[ChecklistSnapshot]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(ChecklistSnapshot)
                .where(ChecklistSnapshot.checklist_id == checklist_id)
                .order_by(ChecklistSnapshot.id)
            )
        )
        for snapshot in found:
            db.session.expunge(snapshot)
        return found


def review_statuses(app, checklist_id) -> set[str]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(ChecklistItem.review_status).where(
                    ChecklistItem.checklist_id == checklist_id
                )
            )
        )


def training_row(rows, text=TRAINING_ITEM):
    return next(r for s in rows["sections"] for r in s["items"] if r["text"].startswith(text))


# Sign-off


def test_signing_off_accepts_the_rest_and_freezes_every_value(app, world, login_as):
    checklist = checklist_row(app, world.checklist2)
    client = login_as("officer")
    response = signoff(client, world.checklist2, checklist.version)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/pilots/checklists/{world.checklist2}")
    after = checklist_row(app, world.checklist2)
    assert after.status == "signed_off"
    assert after.signed_off_by_id == world.users["officer"] and after.signed_off_at
    assert review_statuses(app, world.checklist2) == {"accepted"}
    (snapshot,) = snapshots(app, world.checklist2)
    assert snapshot.as_of == clock.today()
    assert snapshot.taken_by_id == world.users["officer"]
    rows = [r for s in snapshot.data["sections"] for r in s["items"]]
    assert {r["review_status"] for r in rows} == {"accepted"}
    # Computed criteria are frozen with their numbers, the links to live records dropped.
    computed = [r for r in rows if r["formula"]]
    assert computed and all(r["link"] is None for r in computed)
    compliant = next(r for r in computed if r["formula"] == "teams_compliant")
    assert compliant["note"] == "0/1 tổ" and compliant["met"] is False
    assert not any(r["overdue"] for r in rows)
    assert events(app, world.checklist2)[-1][0::3] == ("signed_off", world.users["officer"])
    assert "Đã ký duyệt bảng kiểm; số liệu được chốt ngày" in text_of(
        body(client.get(response.headers["Location"]))
    )


def test_the_signed_values_no_longer_change_with_the_registry(app, world, login_as):
    """C2's pilot signed off while its mediator is untrained (0/1); then the mediator attends
    a training: the live view says 1/1, the checklist's view, its print and its snapshot's page
    still say 0/1."""
    checklist_id = submitted_checklist(app, world)
    client = login_as("officer")
    version = checklist_row(app, checklist_id).version
    assert signoff(client, checklist_id, version).status_code == 303
    (snapshot,) = snapshots(app, checklist_id)
    assert training_row(snapshot.data)["note"] == "0/1 hòa giải viên"

    with app.app_context():
        training = db.session.get(Training, world.training1)
        training.is_framework = True
        add_attendees(training, mediator_ids=[world.mediator2])
        db.session.commit()
        assert db.session.get(Mediator, world.mediator2).trained_on is not None
        checklist = db.session.get(Checklist, checklist_id)
        live = checklist_view(checklist, clock.today(), live=True)
        shown = checklist_view(checklist, clock.today())
        note = next(r.note for r in live.rows if r.text.startswith(TRAINING_ITEM))
        assert note == "1/1 hòa giải viên"
        assert shown.frozen
        assert next(r.note for r in shown.rows if r.text.startswith(TRAINING_ITEM)) == (
            "0/1 hòa giải viên"
        )
    for url in (
        f"/pilots/checklists/{checklist_id}/print",
        f"/pilots/snapshots/{snapshot.id}",
        f"/pilots/checklists/{checklist_id}",
    ):
        words = text_of(body(client.get(url)))
        assert "0/1 hòa giải viên" in words, url
        assert "1/1 hòa giải viên" not in words, url


def test_signing_off_with_a_returned_item_is_refused(app, world, login_as):
    """Refused (422) while an item is returned, with the item named; nothing changes."""
    first = first_items(app, world.checklist2, 1)[0]
    with app.app_context():
        item = db.session.get(ChecklistItem, first)
        item.review_status, item.return_reason = "returned", "Thiếu biên bản MARKER-R."
        db.session.commit()
    checklist = checklist_row(app, world.checklist2)
    client = login_as("officer")
    before = fingerprint(app)
    page = signoff(client, world.checklist2, checklist.version)
    assert page.status_code == 422
    words = text_of(body(page))
    assert "Còn 1 mục bị trả lại chưa được xã bổ sung: chưa ký duyệt được." in words
    assert "Thiếu biên bản MARKER-R." in words
    assert fingerprint(app) == before


def test_a_stale_sign_off_is_refused(app, world, login_as):
    checklist = checklist_row(app, world.checklist2)
    client = login_as("officer")
    before = fingerprint(app)
    page = signoff(client, world.checklist2, checklist.version - 1)
    assert page.status_code == 409 and STALE_MESSAGE in body(page)
    assert fingerprint(app) == before


@pytest.mark.parametrize(("role", "status"), [("commune_staff", 403), ("viewer", 403)])
def test_only_offices_sign_off(app, world, login_as, role, status):
    checklist = checklist_row(app, world.checklist2)
    client = login_as(role)
    before = fingerprint(app)
    assert signoff(client, world.checklist2, checklist.version).status_code == status
    assert fingerprint(app) == before


def test_sign_off_elsewhere_or_not_submitted_is_refused(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    other = checklist_row(app, world.checklist3)
    assert signoff(client, world.checklist3, other.version).status_code == 404
    open_one = checklist_row(app, world.checklist1)
    page = signoff(client, world.checklist1, open_one.version)
    assert page.status_code == 403 and "chỉ duyệt được khi xã đã gửi duyệt" in body(page)
    assert fingerprint(app) == before
    # The admin signs off in any province.
    assert signoff(login_as("admin"), world.checklist3, other.version).status_code == 303
    assert checklist_row(app, world.checklist3).status == "signed_off"


def test_after_a_return_the_sign_off_waits_for_the_commune(app, world, login_as):
    client = login_as("officer")
    first = first_items(app, world.checklist2, 1)[0]
    assert give_back(client, first, item_row(app, first).version, "Bổ sung.").status_code == 303
    page = signoff(client, world.checklist2, checklist_row(app, world.checklist2).version)
    assert page.status_code == 422
    assert "Còn 1 mục bị trả lại" in body(page)
    assert checklist_row(app, world.checklist2).status == "returned"


def test_the_panel_says_what_sign_off_will_do(app, world, login_as):
    """The officer reads how many items the sign-off will accept; after accepting one with
    htmx the panel, refreshed out of band, says one fewer. The commune's staff and the viewer
    get no review forms."""
    client = login_as("officer")
    page = body(client.get(f"/pilots/checklists/{world.checklist2}"))
    assert "7 mục chưa duyệt sẽ được chấp nhận." in text_of(page)
    assert f'action="/pilots/checklists/{world.checklist2}/signoff"' in page
    first = first_items(app, world.checklist2, 1)[0]
    fragment = client.post(
        f"/pilots/items/{first}/accept", {"version": str(item_row(app, first).version)}, htmx=True
    )
    panel = body(fragment).split('id="review-panel"')[1]
    assert "6 mục chưa duyệt sẽ được chấp nhận." in text_of(panel)
    for role, checklist_id in (("commune_staff", world.checklist4), ("viewer", world.checklist2)):
        html = body(login_as(role).get(f"/pilots/checklists/{checklist_id}"))
        assert "/signoff" not in html and "/reopen" not in html and "/accept" not in html


def test_a_signed_off_checklist_offers_reopen_and_its_snapshots(app, world, login_as):
    page = body(login_as("officer").get(f"/pilots/checklists/{world.checklist4}"))
    assert f'action="/pilots/checklists/{world.checklist4}/reopen"' in page
    assert f'href="/pilots/snapshots/{world.snapshot4}"' in page
    assert "Số liệu chốt ngày 30/06/2026" in text_of(page)
    viewer = body(login_as("viewer").get(f"/pilots/checklists/{world.checklist4}"))
    assert "/reopen" not in viewer and f'href="/pilots/snapshots/{world.snapshot4}"' in viewer


# Reopen


def test_reopening_needs_a_reason_and_keeps_the_snapshot(app, world, login_as):
    checklist = checklist_row(app, world.checklist4)
    client = login_as("officer")
    reason = "Số liệu tập huấn nhập sai MARKER-REOPEN, cần xã cập nhật."
    response = reopen(client, world.checklist4, checklist.version, reason)
    assert response.status_code == 303
    after = checklist_row(app, world.checklist4)
    assert after.status == "open"
    assert after.signed_off_at is None and after.signed_off_by_id is None
    assert review_statuses(app, world.checklist4) == {"pending"}
    assert [s.id for s in snapshots(app, world.checklist4)] == [world.snapshot4]
    assert events(app, world.checklist4)[-1] == (
        "reopened",
        None,
        reason,
        world.users["officer"],
    )
    # The old snapshot is history now: its page says so.
    words = text_of(body(client.get(f"/pilots/snapshots/{world.snapshot4}")))
    assert "Bản chốt trước đây" in words


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Nhập lý do mở lại bảng kiểm đã ký duyệt."), ("x" * 1001, "Lý do tối đa 1.000 ký tự.")],
)
def test_reopening_without_a_reason_is_refused(app, world, login_as, reason, message):
    checklist = checklist_row(app, world.checklist4)
    client = login_as("officer")
    before = fingerprint(app)
    page = reopen(client, world.checklist4, checklist.version, reason)
    assert page.status_code == 422
    html = body(page)
    assert f'<p class="error" id="reason-error">{message}' in html
    assert f'action="/pilots/checklists/{world.checklist4}/reopen"' in html
    assert fingerprint(app) == before


def test_reopen_refusals(app, world, login_as):
    checklist = checklist_row(app, world.checklist4)
    others = [login_as(role) for role in ("commune_staff", "viewer", "judge")]
    client = login_as("officer")
    before = fingerprint(app)
    for other in others:
        assert reopen(other, world.checklist4, checklist.version, "x").status_code == 403
    page = reopen(client, world.checklist2, checklist_row(app, world.checklist2).version, "x")
    assert page.status_code == 403 and "Chỉ mở lại được bảng kiểm đã ký duyệt." in body(page)
    page = reopen(client, world.checklist4, checklist.version - 1, "Sửa số liệu.")
    assert page.status_code == 409 and STALE_MESSAGE in body(page)
    assert fingerprint(app) == before


def test_reopen_in_another_province_is_not_found(app, world, login_as):
    with app.app_context():
        checklist = db.session.get(Checklist, world.checklist3)
        sign_off(checklist, date(2026, 5, 1))
        db.session.commit()
        version = checklist.version
    client = login_as("officer")
    before = fingerprint(app)
    assert reopen(client, world.checklist3, version, "x").status_code == 404
    assert fingerprint(app) == before
    assert reopen(login_as("admin"), world.checklist3, version, "Sửa.").status_code == 303


def test_reopen_then_sign_off_again_makes_a_new_snapshot(app, world, login_as):
    client = login_as("officer")
    checklist = checklist_row(app, world.checklist4)
    assert reopen(client, world.checklist4, checklist.version, "Cập nhật.").status_code == 303
    with app.app_context():
        db.session.get(Checklist, world.checklist4).status = "submitted"
        db.session.commit()
    clock.travel(timedelta(days=3))
    client = login_as("officer")  # the session before the journey has expired
    version = checklist_row(app, world.checklist4).version
    assert signoff(client, world.checklist4, version).status_code == 303
    old, new = snapshots(app, world.checklist4)
    assert old.id == world.snapshot4 and new.as_of == clock.today()
    with app.app_context():
        view = checklist_view(db.session.get(Checklist, world.checklist4), clock.today())
        assert view.frozen and view.snapshot.id == new.id
    words = text_of(body(client.get(f"/pilots/snapshots/{new.id}")))
    assert "Bản chốt đang áp dụng" in words


# A snapshot's page


@pytest.mark.parametrize("role", ["admin", "officer", "commune_staff", "viewer"])
def test_readers_see_a_snapshot(app, world, login_as, role):
    page = login_as(role).get(f"/pilots/snapshots/{world.snapshot4}")
    assert page.status_code == 200
    words = text_of(body(page))
    assert "Số liệu chốt ngày 30/06/2026" in words
    assert "Xã Gamma MARKER-C1" in words and "Huyện Beta MARKER-D1" in words
    assert "I. Tổ chức tổ hòa giải và hòa giải viên" in words
    assert "MARKER-C1" in words  # the typed text of an item
    assert "Bản chốt đang áp dụng" in words
    assert "<form" not in body(page).split('id="main"')[1]  # read-only


def test_a_snapshot_elsewhere_is_refused(app, world, login_as):
    assert login_as("judge").get(f"/pilots/snapshots/{world.snapshot4}").status_code == 403
    with app.app_context():
        made = sign_off(db.session.get(Checklist, world.checklist3), date(2026, 5, 1))
        db.session.commit()
        other = made.id
    assert login_as("officer").get(f"/pilots/snapshots/{other}").status_code == 404
    assert login_as("officer").get("/pilots/snapshots/999999").status_code == 404
    assert login_as("admin").get(f"/pilots/snapshots/{other}").status_code == 200


def test_a_snapshot_page_shows_who_signed(app, world, login_as):
    client = login_as("officer")
    version = checklist_row(app, world.checklist2).version
    assert signoff(client, world.checklist2, version).status_code == 303
    (snapshot,) = snapshots(app, world.checklist2)
    words = text_of(body(client.get(f"/pilots/snapshots/{snapshot.id}")))
    assert "Ký duyệt Canbo" in words


def test_a_snapshot_page_costs_a_fixed_number_of_queries(app, world, login_as):
    """A snapshot of a one-item checklist and one of the default model criteria: the same
    number of statements."""
    from tests.pilots.factories import make_template

    with app.app_context():
        template = make_template(owner_unit_id=world.d1, name="Một mục", status="published")
        small = make_checklist(commune_id=world.c2, office_unit_id=world.d1, template=template)
        assert len(items_of(small)) == 1
        small_id = sign_off(small, date(2026, 6, 30)).id
        db.session.commit()
    client = login_as("officer")
    small_count = count_queries(app, client, f"/pilots/snapshots/{small_id}")
    big_count = count_queries(app, client, f"/pilots/snapshots/{world.snapshot4}")
    assert small_count == big_count
    assert big_count <= 12
