"""Review of a checklist, item by item (issue "Review and sign-off"): the designating office
accepts an item or returns it with a reason (the checklist goes back to the commune at once);
as a plain form (303) and with htmx (the item's fragment); refusals leave everything as it
was: no reason (422), a stale version (409), the wrong person (403) or province (404)."""

import re

import pytest
from sqlalchemy import select

from app.concurrency import STALE_MESSAGE
from app.extensions import db
from app.pilots.models import Checklist, ChecklistEvent, ChecklistItem
from tests.pilots.factories import fill_all, items_of, make_checklist
from tests.test_authorization_matrix import fingerprint


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's words without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def item_row(app, item_id) -> ChecklistItem:
    with app.app_context():
        found = db.session.get(ChecklistItem, item_id)
        db.session.expunge(found)
        return found


def checklist_row(app, checklist_id) -> Checklist:
    with app.app_context():
        found = db.session.get(Checklist, checklist_id)
        db.session.expunge(found)
        return found


def events(app, checklist_id) -> list[tuple]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    ChecklistEvent.action,
                    ChecklistEvent.item_id,
                    ChecklistEvent.reason,
                    ChecklistEvent.by_user_id,
                )
                .where(ChecklistEvent.checklist_id == checklist_id)
                .order_by(ChecklistEvent.id)
            )
        ]


def accept(client, item_id, version, htmx=False, **extra):
    return client.post(
        f"/pilots/items/{item_id}/accept", {"version": str(version), **extra}, htmx=htmx
    )


def give_back(client, item_id, version, reason, htmx=False, **extra):
    return client.post(
        f"/pilots/items/{item_id}/return",
        {"version": str(version), "reason": reason, **extra},
        htmx=htmx,
    )


def submitted_checklist(app, world, commune="c2", office="d1", kind="pilot") -> int:
    """A checklist every typed item of which is filled, sent for review."""
    with app.app_context():
        checklist = make_checklist(
            commune_id=getattr(world, commune),
            office_unit_id=getattr(world, office),
            kind=kind,
            level="province" if office.startswith("p") else "district",
        )
        fill_all(checklist)
        checklist.status = "submitted"
        db.session.commit()
        return checklist.id


def first_items(app, checklist_id, count=2) -> list[int]:
    with app.app_context():
        return [i.id for i in items_of(db.session.get(Checklist, checklist_id))[:count]]


# Accept


def test_the_officer_accepts_an_item(app, world, login_as):
    item = item_row(app, world.citem2)
    client = login_as("officer")
    response = accept(client, world.citem2, item.version)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/pilots/checklists/{world.checklist2}#item-{world.citem2}"
    )
    after = item_row(app, world.citem2)
    assert after.review_status == "accepted"
    assert after.reviewed_by_id == world.users["officer"] and after.reviewed_at is not None
    assert after.version == item.version + 1
    assert checklist_row(app, world.checklist2).status == "submitted"
    assert events(app, world.checklist2)[-1] == (
        "accepted",
        world.citem2,
        None,
        world.users["officer"],
    )
    # The page says so.
    page = client.get(response.headers["Location"])
    assert "Đã chấp nhận mục" in text_of(body(page))


def test_accepting_with_htmx_answers_the_item_and_the_panel(app, world, login_as):
    item = item_row(app, world.citem2)
    response = accept(login_as("officer"), world.citem2, item.version, htmx=True)
    assert response.status_code == 200
    html = body(response)
    assert f'id="item-{world.citem2}"' in html
    assert 'id="review-panel"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response.headers.get("Vary", "")
    assert len(response.get_data()) <= 15_000  # QUALITY.md P8
    # The item now shows no accept button, still a way to return it.
    item_html = html.split('id="review-panel"')[0]
    assert f"/pilots/items/{world.citem2}/accept" not in item_html
    assert f"/pilots/items/{world.citem2}/return" in item_html
    assert item_row(app, world.citem2).review_status == "accepted"


def test_an_admin_accepts_in_any_province(app, world, login_as):
    item = item_row(app, world.citem3)
    assert accept(login_as("admin"), world.citem3, item.version).status_code == 303
    assert item_row(app, world.citem3).review_status == "accepted"


def test_an_office_above_the_designating_one_reviews_too(app, world, make_user, make_client):
    make_user("canbotinh", "officer", world.p1)
    client = make_client()
    client.login("canbotinh")
    item = item_row(app, world.citem2)
    assert accept(client, world.citem2, item.version).status_code == 303


# Return


def test_the_officer_returns_an_item_with_a_reason(app, world, login_as):
    item = item_row(app, world.citem2)
    reason = "Thiếu biên bản họp MARKER-RETURN; bổ sung bản scan có chữ ký."
    response = give_back(login_as("officer"), world.citem2, item.version, f"  {reason}  ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#item-{world.citem2}")
    after = item_row(app, world.citem2)
    assert (after.review_status, after.return_reason) == ("returned", reason)
    assert after.reviewed_by_id == world.users["officer"]
    # The checklist goes back to the commune at once: its staff fix the returned item.
    assert checklist_row(app, world.checklist2).status == "returned"
    assert events(app, world.checklist2)[-1] == (
        "returned",
        world.citem2,
        reason,
        world.users["officer"],
    )


def test_returning_with_htmx_answers_the_item(app, world, login_as):
    item = item_row(app, world.citem2)
    response = give_back(login_as("officer"), world.citem2, item.version, "Bổ sung.", htmx=True)
    assert response.status_code == 200
    html = body(response)
    assert f'id="item-{world.citem2}"' in html
    # The checklist is back with the commune; the office may still accept or return others.
    assert "trả lại 1 mục" in text_of(html)
    assert checklist_row(app, world.checklist2).status == "returned"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Nhập lý do trả lại để xã biết cần bổ sung gì."),
        ("   ", "Nhập lý do trả lại để xã biết cần bổ sung gì."),
        ("x" * 1001, "Lý do tối đa 1.000 ký tự."),
    ],
)
def test_a_return_without_a_proper_reason_is_refused(app, world, login_as, reason, message):
    item = item_row(app, world.citem2)
    client = login_as("officer")
    before = fingerprint(app)
    page = give_back(client, world.citem2, item.version, reason)
    assert page.status_code == 422
    html = body(page)
    # The form again, the message next to the reason.
    assert re.search(r'<p class="error" id="reason-error">' + re.escape(message), html)
    assert f'action="/pilots/items/{world.citem2}/return"' in html
    fragment = give_back(client, world.citem2, item.version, reason, htmx=True)
    assert fragment.status_code == 422
    assert f'id="item-{world.citem2}"' in body(fragment)
    assert f'id="return-error-{world.citem2}"' in body(fragment)
    assert body(fragment).count(message) == 1  # next to the reason, not again on top
    assert fingerprint(app) == before


def test_a_stale_version_is_refused_with_409(app, world, login_as):
    item = item_row(app, world.citem2)
    client = login_as("officer")
    before = fingerprint(app)
    page = accept(client, world.citem2, item.version - 1)
    assert page.status_code == 409
    assert STALE_MESSAGE in body(page)
    page = give_back(client, world.citem2, item.version + 5, "Bổ sung.")
    assert page.status_code == 409 and STALE_MESSAGE in body(page)
    # The form again carries the current version: sending it again works.
    assert f'name="version" type="hidden" value="{item.version}"' in body(page)
    fragment = accept(client, world.citem2, "abc", htmx=True)
    assert fragment.status_code == 409
    assert f'id="item-{world.citem2}"' in body(fragment)
    assert STALE_MESSAGE in body(fragment)
    assert fingerprint(app) == before


def test_two_officers_on_the_same_item_the_first_wins(app, world, login_as, make_client):
    item = item_row(app, world.citem2)
    first, second = login_as("officer"), login_as("admin")
    assert give_back(first, world.citem2, item.version, "Bổ sung số liệu.").status_code == 303
    # The second read the same version: refused (not reviewable any more, or stale).
    assert accept(second, world.citem2, item.version).status_code in (403, 409)
    assert item_row(app, world.citem2).review_status == "returned"


def test_extra_fields_change_nothing_else(app, world, login_as):
    item = item_row(app, world.citem2)
    response = accept(
        login_as("officer"),
        world.citem2,
        item.version,
        status="signed_off",
        review_status="returned",
        checklist_id=str(world.checklist1),
        reviewed_by_id=str(world.users["admin"]),
        value_text="changed",
    )
    assert response.status_code == 303
    after = item_row(app, world.citem2)
    assert after.review_status == "accepted"
    assert after.reviewed_by_id == world.users["officer"]
    assert (after.checklist_id, after.value_text) == (item.checklist_id, item.value_text)
    assert checklist_row(app, world.checklist2).status == "submitted"


# Who may review


@pytest.mark.parametrize("role", ["commune_staff", "viewer", "judge"])
def test_others_than_offices_may_not_review(app, world, login_as, role):
    item = item_row(app, world.citem2)
    client = login_as(role)
    before = fingerprint(app)
    assert accept(client, world.citem2, item.version).status_code == 403
    assert give_back(client, world.citem2, item.version, "x").status_code == 403
    assert fingerprint(app) == before


def test_another_province_is_not_found(app, world, login_as):
    item = item_row(app, world.citem3)
    client = login_as("officer")
    before = fingerprint(app)
    assert accept(client, world.citem3, item.version).status_code == 404
    assert give_back(client, world.citem3, item.version, "x").status_code == 404
    assert accept(client, 999_999, 1).status_code == 404
    assert fingerprint(app) == before


def test_only_a_submitted_checklist_is_reviewed(app, world, login_as):
    """An open checklist (checklist1), a signed-off one (checklist4) and a returned one: 403
    with the reason; nothing changes."""
    client = login_as("officer")
    item = item_row(app, world.citem1)
    before = fingerprint(app)
    page = accept(client, world.citem1, item.version)
    assert page.status_code == 403
    assert "chỉ duyệt được khi xã đã gửi duyệt" in body(page)
    signed = first_items(app, world.checklist4, 1)[0]
    page = give_back(client, signed, item_row(app, signed).version, "x")
    assert page.status_code == 403 and "Đã ký duyệt" in body(page)
    assert fingerprint(app) == before

    # Once an item is returned, the office may still return or accept the others.
    first, second, third = first_items(app, world.checklist2, 3)
    assert give_back(client, first, item_row(app, first).version, "Bổ sung.").status_code == 303
    assert give_back(client, second, item_row(app, second).version, "Thiếu.").status_code == 303
    assert accept(client, third, item_row(app, third).version).status_code == 303
    statuses = [item_row(app, i).review_status for i in (first, second, third)]
    assert statuses == ["returned", "returned", "accepted"]


def test_an_office_below_the_designating_one_may_not_review(app, world, login_as):
    """C2's pilot designated by the province P1: the district D1's officer reads it, does not
    review it."""
    checklist_id = submitted_checklist(app, world, office="p1")
    item_id = first_items(app, checklist_id, 1)[0]
    page = accept(login_as("officer"), item_id, item_row(app, item_id).version)
    assert page.status_code == 403
    assert "Tỉnh Alpha MARKER-P1 chỉ định" in body(page)
    assert accept(login_as("admin"), item_id, item_row(app, item_id).version).status_code == 303


def test_get_is_not_a_review(app, world, login_as):
    client = login_as("officer")
    assert client.get(f"/pilots/items/{world.citem2}/accept").status_code == 405
    assert item_row(app, world.citem2).review_status == "pending"


def test_without_csrf_nothing_happens(app, world, login_as):
    item = item_row(app, world.citem2)
    client = login_as("officer")
    response = client.post(
        f"/pilots/items/{world.citem2}/accept", {"version": str(item.version)}, csrf=False
    )
    assert response.status_code == 400
    assert item_row(app, world.citem2).review_status == "pending"


def test_fuzzed_posts_never_fail(app, world, login_as):
    """QUALITY.md R7: whatever the form holds, an answer (never a 500); a refusal changes
    nothing."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = login_as("officer")
    text = st.one_of(
        st.text(max_size=40),
        st.sampled_from(["", "0", "-1", "2", "1e9", "99999999999999999999", " ", "x" * 1001]),
    )
    urls = [
        f"/pilots/items/{world.citem2}/accept",
        f"/pilots/items/{world.citem2}/return",
        f"/pilots/checklists/{world.checklist2}/signoff",
        f"/pilots/checklists/{world.checklist4}/reopen",
    ]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.sampled_from(urls),
        st.fixed_dictionaries({}, optional=dict.fromkeys(["version", "reason", "status"], text)),
        st.booleans(),
    )
    def run(url, data, htmx):
        before = fingerprint(app)
        response = client.post(url, data, htmx=htmx)
        assert response.status_code < 500, (url, data)
        if response.status_code not in (200, 303):
            assert fingerprint(app) == before

    run()
