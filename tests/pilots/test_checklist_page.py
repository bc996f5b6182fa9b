"""The checklist page (issue "Filling in"; QUALITY.md P3, P8): its designation, totals, items
section by section with their values, targets, due dates and evidence, computed values with
the records behind them, the review and the trail; what each role may do on it; a signed-off
checklist's frozen values; a fixed number of queries whatever the number of items."""

from datetime import date

from app.extensions import db
from app.pilots.models import Checklist
from app.pilots.services import add_event
from tests.pilots.factories import PDF, attach, items_of, make_checklist, make_template
from tests.queries import count_queries
from tests.test_static import PAGE_LIMIT, page_weight


def body(response) -> str:
    return response.get_data(as_text=True)


def page_of(client, checklist_id, **kwargs):
    response = client.get(f"/pilots/checklists/{checklist_id}", **kwargs)
    assert response.status_code == 200
    return body(response)


def test_the_commune_reads_and_fills_its_checklist(world, login_as):
    html = page_of(login_as("commune_staff"), world.checklist1)
    assert "Xã Gamma MARKER-C1" in html and "Đang thực hiện" in html
    assert "01/01/2024 – 31/12/2026" in html and "Huyện Beta MARKER-D1" in html
    assert "Xã điểm MARKER-C1" in html, "the designation's note"
    assert "Hoàn thành 2/13 mục" in html and "Mục quá hạn" in html
    assert "I. Khảo sát, kiện toàn tổ hòa giải" in html
    # An item: its text, target, due date (overdue marked), points, value and met badge.
    assert "Bầu, bầu bổ sung, thay thế hòa giải viên" in html and "Đã hoàn thành" in html
    assert 'Hạn 01/03/2024 <strong class="danger">quá hạn</strong>' in html
    # Evidence downloads; typed items open their form; computed ones do not.
    assert f"/pilots/checklists/{world.checklist1}/files/{world.file1}" in html
    assert f'href="/pilots/items/{world.citem1}"' in html
    assert f'hx-get="/pilots/items/{world.citem1}" hx-target="#item-{world.citem1}"' in html
    assert html.count('class="button button-secondary button-small" href="/pilots/items/') == 8
    assert "Gửi duyệt" in html and "Còn 5 mục bắt buộc" in html
    assert "Sửa chỉ định" not in html and "In báo cáo" in html
    assert "MARKER-C2" not in html and "MARKER-C3" not in html


def test_computed_values_show_the_numbers_and_records_behind_them(world, login_as):
    html = page_of(login_as("officer"), world.checklist1)
    assert "tính tự động" in html and "0/1 tổ" in html
    assert f'href="/registry/teams/?unit={world.c1}&amp;compliance=no"' in html
    assert "/logbook/rates?unit=" in html


def test_officers_and_viewers_read_without_forms(world, login_as):
    officer = page_of(login_as("officer"), world.checklist1)
    assert f"/pilots/checklists/{world.checklist1}/edit" in officer, "Sửa chỉ định"
    viewer = page_of(login_as("viewer"), world.checklist1)
    for html in (officer, viewer):
        assert 'href="/pilots/items/' not in html and "/submit" not in html
        assert "Bầu, bầu bổ sung" in html
    assert "Sửa chỉ định" not in viewer


def test_a_signed_off_checklist_shows_its_frozen_values(world, login_as):
    for role in ("commune_staff", "officer"):
        html = page_of(login_as(role), world.checklist4)
        assert "Số liệu chốt ngày 30/06/2026" in html and "Đã ký duyệt" in html
        assert 'href="/pilots/items/' not in html and "/submit" not in html
        assert "Sửa chỉ định" not in html


def test_the_trail_shows_the_latest_steps_and_all_on_demand(app, world, login_as):
    with app.app_context():
        checklist = db.session.get(Checklist, world.checklist1)
        item = items_of(checklist, "number")[0]
        for n in range(12):
            add_event(checklist, "returned", item=item, reason=f"Bổ sung lần {n}")
        db.session.commit()
    staff = login_as("commune_staff")
    html = page_of(staff, world.checklist1)
    assert "Quá trình thực hiện" in html and "Bổ sung lần 11" in html
    assert "Bổ sung lần 1<" not in html and "Xem tất cả các bước" in html
    assert "Hỗ trợ pháp lý cho vụ việc phức tạp" in html, "the item a step concerns"
    whole = page_of(staff, world.checklist1, query_string={"trail": "all"})
    assert "Bổ sung lần 0" in whole and "Chỉ định" in whole
    fragment = page_of(staff, world.checklist1, htmx="checklist-trail")
    assert fragment.lstrip().startswith('<section class="card" id="checklist-trail"')
    assert "Bổ sung lần 0" in fragment and "<html" not in fragment


def test_one_item_as_a_fragment(world, login_as):
    staff = login_as("commune_staff")
    html = page_of(staff, world.checklist1, htmx=f"item-{world.citem1}")
    assert html.lstrip().startswith(f'<li id="item-{world.citem1}"') and "<html" not in html
    assert "Bầu, bầu bổ sung" in html and 'href="/pilots/items/' in html
    other = staff.get(f"/pilots/checklists/{world.checklist1}", htmx="item-999999")
    assert other.status_code == 404
    with_other_item = staff.get(
        f"/pilots/checklists/{world.checklist4}", htmx=f"item-{world.citem1}"
    )
    assert with_other_item.status_code == 404


def test_out_of_scope_checklists_are_not_found(world, login_as):
    assert (
        login_as("commune_staff").get(f"/pilots/checklists/{world.checklist2}").status_code == 404
    )
    assert login_as("officer").get(f"/pilots/checklists/{world.checklist3}").status_code == 404
    assert login_as("judge").get(f"/pilots/checklists/{world.checklist1}").status_code == 403


def test_user_text_is_shown_as_text(app, world, login_as):
    with app.app_context():
        item = items_of(db.session.get(Checklist, world.checklist1), "text")[0]
        item.value_text = "<script>alert(1)</script>"
        db.session.commit()
    html = page_of(login_as("commune_staff"), world.checklist1)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def _checklist_with(app, world, name: str, typed: int, files: int, steps: int) -> int:
    """A checklist of C1 from a template of ``typed`` items, with files and trail steps."""
    with app.app_context():
        template = make_template(
            owner_unit_id=world.d1,
            name=name,
            status="published",
            items=tuple((f"Việc số {n}", "check", None, None) for n in range(typed)),
        )
        checklist = make_checklist(
            commune_id=world.c1,
            office_unit_id=world.d1,
            template=template,
            starts_on=date(2025, 1, 1),
        )
        items = items_of(checklist)
        for n in range(files):
            attach(checklist, items[n % len(items)], PDF, f"minh-chung-{n}.pdf")
        for n in range(steps):
            add_event(checklist, "returned", item=items[n % len(items)], reason=f"Lý do {n}")
        db.session.commit()
        return checklist.id


def test_the_page_runs_a_fixed_number_of_queries(app, world, login_as):
    small = _checklist_with(app, world, "Mẫu nhỏ", typed=1, files=0, steps=0)
    large = _checklist_with(app, world, "Mẫu lớn", typed=25, files=12, steps=15)
    for role in ("commune_staff", "officer"):
        client = login_as(role)
        counts = [count_queries(app, client, f"/pilots/checklists/{c}") for c in (small, large)]
        assert counts[0] == counts[1], (role, counts)
        whole = [
            count_queries(app, client, f"/pilots/checklists/{c}?trail=all") for c in (small, large)
        ]
        assert whole[0] == whole[1], (role, whole)


def test_an_item_form_runs_a_fixed_number_of_queries(app, world, login_as):
    small = _checklist_with(app, world, "Mẫu nhỏ", typed=1, files=0, steps=0)
    large = _checklist_with(app, world, "Mẫu lớn", typed=25, files=12, steps=0)
    staff = login_as("commune_staff")
    counts = []
    for checklist_id in (small, large):
        with app.app_context():
            item_id = items_of(db.session.get(Checklist, checklist_id))[0].id
        counts.append(count_queries(app, staff, f"/pilots/items/{item_id}", htmx=True))
    assert counts[0] == counts[1], counts


def test_the_page_of_the_default_pilot_checklist_stays_small(world, login_as):
    """P8: the commune's whole checklist (13 items, files, the trail) with its assets ≤ 100 KB;
    an item's form (an htmx fragment) ≤ 15 KB."""
    staff = login_as("commune_staff")
    assert page_weight(staff, f"/pilots/checklists/{world.checklist1}") <= PAGE_LIMIT
    form = staff.get(f"/pilots/items/{world.citem1_evidence}", htmx=True)
    assert len(form.get_data()) <= 15 * 1024
