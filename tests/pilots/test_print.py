"""The printed report of a commune's checklist (issue: "a printable report per commune"), in
the Decree 30/2020 layout: the office's header, the title by kind, the commune and period,
per section a table of items, totals, the date the values are counted to (the frozen date
once signed off) and the signature block (who signed off, when) or "Chưa ký duyệt"."""

from datetime import date

import pytest

from app import clock
from app.extensions import db
from app.pilots.models import Checklist
from tests.pilots.factories import items_of, make_checklist, make_template
from tests.pilots.test_review import body, checklist_row, text_of
from tests.pilots.test_signoff import signoff
from tests.queries import count_queries


def url(checklist_id):
    return f"/pilots/checklists/{checklist_id}/print"


def test_an_unsigned_pilot_checklist_prints_with_todays_values(app, world, login_as):
    page = login_as("commune_staff").get(url(world.checklist1))
    assert page.status_code == 200
    html = body(page)
    words = text_of(html)
    # The header: the designating office (a district's justice office), the motto, the date.
    assert "UBND HUYỆN BETA MARKER-D1" in words and "PHÒNG TƯ PHÁP" in words
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words
    today = clock.today()
    assert f"Beta MARKER-D1, ngày {today.day:02d}" in words
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ ĐẠO ĐIỂM VỀ HÒA GIẢI Ở CƠ SỞ" in words
    assert "TẠI XÃ GAMMA MARKER-C1" in words
    assert "Thời gian thực hiện: 01/01/2024 – 31/12/2026" in words
    assert f"Số liệu tính đến ngày {today:%d/%m/%Y}" in words
    # Per section a table: STT, content, target, result, met, evidence, points.
    assert "I. Khảo sát, kiện toàn tổ hòa giải" in words
    assert "IV. Sơ kết, đánh giá, khen thưởng" in words
    assert "STT Nội dung Chỉ tiêu Kết quả Đạt / chưa đạt Minh chứng Điểm" in words
    assert "Huy động kinh phí MARKER-C1" in words  # a typed value
    assert "Tính tự động: 0/1 hòa giải viên" in words  # a computed one, with its numbers
    assert "Đã hoàn thành" in words
    # Totals, the conclusion and no signature yet.
    assert "Tổng số mục 13" in words
    assert "Chưa ký duyệt" in words
    assert "Kết luận:" in words
    assert 'class="doc"' in html and "data-print" in html


def test_a_signed_model_checklist_prints_its_frozen_values(app, world, login_as):
    page = login_as("viewer").get(url(world.checklist4))
    assert page.status_code == 200
    words = text_of(body(page))
    assert (
        "BÁO CÁO KẾT QUẢ THỰC HIỆN TIÊU CHÍ CẤP XÃ ĐIỂN HÌNH VỀ HÒA GIẢI Ở CƠ SỞ TẠI XÃ GAMMA"
        in words
    )
    assert "Số liệu tính đến ngày 30/06/2026" in words
    assert "Beta MARKER-D1, ngày 30 tháng 6 năm 2026" in words
    assert "(Đã ký duyệt ngày 30/06/2026)" in words
    assert "Chưa ký duyệt" not in words
    assert "Bảng kiểm đã ký duyệt: báo cáo in số liệu đã chốt ngày 30/06/2026." in words


def test_the_signature_names_who_signed_off(app, world, login_as):
    client = login_as("officer")
    version = checklist_row(app, world.checklist2).version
    assert signoff(client, world.checklist2, version).status_code == 303
    words = text_of(body(client.get(url(world.checklist2))))
    assert "XÁC NHẬN CỦA PHÒNG TƯ PHÁP" in words
    assert f"(Đã ký duyệt ngày {clock.today():%d/%m/%Y}) Canbo" in words
    assert "TẠI XÃ EPSILON MARKER-C2" in words


def test_a_provincial_office_heads_the_report(app, world, login_as):
    words = text_of(body(login_as("admin").get(url(world.checklist3))))
    assert "UBND TỈNH OMEGA MARKER-P2" in words and "SỞ TƯ PHÁP" in words
    assert "Cấp chỉ đạo: Cấp tỉnh" in words


@pytest.mark.parametrize(("role", "status"), [("judge", 403), ("officer", 404)])
def test_print_refusals(app, world, login_as, role, status):
    target = world.checklist1 if role == "judge" else world.checklist3
    assert login_as(role).get(url(target)).status_code == status
    assert login_as("commune_staff").get(url(world.checklist2)).status_code == 404
    assert login_as("officer").get(url(999_999)).status_code == 404


def test_user_text_is_escaped(app, world, login_as):
    with app.app_context():
        text = items_of(db.session.get(Checklist, world.checklist1), "text")[0]
        text.value_text = "<script>alert(1)</script>"
        db.session.commit()
    html = body(login_as("officer").get(url(world.checklist1)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_report_costs_a_fixed_number_of_queries(app, world, login_as):
    """One item or five, signed off or not: the same number of statements."""
    with app.app_context():
        small = make_template(owner_unit_id=world.d1, name="Một", status="published")
        big = make_template(
            owner_unit_id=world.d1,
            name="Năm",
            status="published",
            items=tuple((f"Hoạt động {n}", "check", None, None) for n in range(5)),
        )
        ids = []
        for template in (small, big):
            made = make_checklist(commune_id=world.c2, office_unit_id=world.d1, template=template)
            ids.append(made.id)
        assert [len(items_of(db.session.get(Checklist, i))) for i in ids] == [1, 5]
        db.session.commit()
    client = login_as("officer")
    counts = [count_queries(app, client, url(i)) for i in ids]
    assert counts[0] == counts[1]
    signed = count_queries(app, client, url(world.checklist4))
    assert max(*counts, signed) <= 14


def test_the_page_is_small(app, world, login_as):
    """QUALITY.md P8: the default checklist's report stays well under 100 KB."""
    page = login_as("officer").get(url(world.checklist1))
    assert len(page.get_data()) < 60_000


def test_dates_of_the_header_follow_decree_30(app, world, login_as):
    clock.travel(date(2027, 1, 5) - clock.today())
    words = text_of(body(login_as("officer").get(url(world.checklist1))))
    assert "Beta MARKER-D1, ngày 05 tháng 01 năm 2027" in words
    # After the pilot's end, live values are counted to the end of its period.
    assert "Số liệu tính đến ngày 31/12/2026" in words


def test_fractional_and_large_points_add_up(app, world, login_as):
    """Points are shown the Vietnamese way (2,5; 1.000) and still add up in the totals."""
    from app.pilots.models import TemplateItem

    with app.app_context():
        template = make_template(
            owner_unit_id=world.d1,
            name="Điểm lẻ",
            status="published",
            items=(("Hoạt động A", "check", None, None), ("Hoạt động B", "check", None, None)),
        )
        specs = db.session.scalars(
            db.select(TemplateItem)
            .where(TemplateItem.template_id == template.id)
            .order_by(TemplateItem.position)
        ).all()
        specs[0].points, specs[1].points = 2.5, 1000
        made = make_checklist(commune_id=world.c2, office_unit_id=world.d1, template=template)
        first = items_of(made)[0]
        first.value_bool, first.progress = True, "done"
        db.session.commit()
        checklist_id = made.id
    words = text_of(body(login_as("officer").get(url(checklist_id))))
    assert "2,5/2,5" in words and "0/1.000" in words
    assert "Điểm đạt / tổng điểm 2,5/1.002,5" in words
