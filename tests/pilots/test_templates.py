"""Checklist templates (DOMAIN.md §7): the list an officer reads, a new template or a copy,
a revision's page, a draft's name, sections and items (validated field by field), moving
items, revising a published template into a new draft and publishing it (the revision it
replaces retires; checklists keep theirs); refusals with their reason, stale forms 409."""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.audit.models import AuditLog
from app.extensions import db
from app.pilots.models import Checklist, ChecklistTemplate, TemplateItem, TemplateSection
from app.pilots.services import PilotError
from app.pilots.services import templates as services
from app.pilots.services.template_items import ItemValues, add_item
from tests.pilots.factories import make_checklist, make_template
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint
from tests.test_static import FRAGMENT_LIMIT, PAGE_LIMIT, page_weight


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def template_of(app, template_id: int) -> ChecklistTemplate | None:
    with app.app_context():
        found = db.session.get(ChecklistTemplate, template_id)
        if found is not None:
            db.session.expunge(found)
        return found


def items_of(app, template_id: int) -> list[tuple]:
    """(section title, item text, type, operator, target, due, points, required, formula) of a
    revision, in order."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    TemplateSection.title,
                    TemplateItem.text,
                    TemplateItem.item_type,
                    TemplateItem.target_operator,
                    TemplateItem.target_value,
                    TemplateItem.due_months,
                    TemplateItem.points,
                    TemplateItem.required,
                    TemplateItem.formula,
                )
                .join(TemplateSection, TemplateSection.id == TemplateItem.section_id)
                .where(TemplateItem.template_id == template_id)
                .order_by(TemplateSection.position, TemplateItem.position, TemplateItem.id)
            )
        ]


def newest_template(app) -> ChecklistTemplate:
    with app.app_context():
        found = db.session.scalars(
            select(ChecklistTemplate).order_by(ChecklistTemplate.id.desc())
        ).first()
        db.session.expunge(found)
        return found


def add_items(app, template_id: int, texts: list[str]) -> list[int]:
    """More check items at the end of the template's first section."""
    with app.app_context():
        section_id = db.session.scalar(
            select(TemplateSection.id).where(TemplateSection.template_id == template_id)
        )
        made = []
        for position, text in enumerate(texts, start=10):
            item = TemplateItem(
                template_id=template_id,
                section_id=section_id,
                position=position,
                text=text,
                item_type="check",
                required=True,
            )
            db.session.add(item)
            db.session.flush()
            made.append(item.id)
        db.session.commit()
        return made


def item_form(version, **values) -> dict:
    data = {
        "text": "Tỷ lệ hòa giải thành của xã",
        "guidance": "Lấy từ sổ theo dõi hoạt động hòa giải.",
        "item_type": "percent",
        "formula": "success_rate",
        "target_operator": ">=",
        "target_value": "90",
        "due_months": "12",
        "points": "12,5",
        "required": "y",
        "version": str(version),
    }
    data.update(values)
    return data


# The list


def test_an_officer_reads_the_defaults_and_the_templates_above_and_below(world, login_as):
    page = login_as("officer").get("/pilots/templates/")
    assert page.status_code == 200
    html = body(page)
    assert "Hoạt động chỉ đạo điểm về hòa giải ở cơ sở (2024-2026)" in html
    assert "Tiêu chí cấp xã điển hình" in html
    assert "Mẫu riêng của huyện MARKER-D1" in html
    assert "MARKER-P2" not in html
    assert "Mặc định toàn quốc" in html and "Bản nháp" in html
    assert f'href="/pilots/templates/new?from={world.template_pilot}"' in html
    assert "HX-Request" in page.headers["Vary"]
    admin = body(login_as("admin").get("/pilots/templates/"))
    assert "Mẫu riêng của tỉnh MARKER-P2" in admin


def test_the_list_groups_the_published_revision_and_its_draft(app, world, login_as):
    client = login_as("admin")
    client.post(f"/pilots/templates/{world.template_pilot}/revise")
    html = body(client.get("/pilots/templates/?kind=pilot"))
    row = re.search(
        r"<tr>\s*<td class=\"primary\"><a[^>]*>Hoạt động chỉ đạo điểm.*?</tr>", html, re.S
    )
    assert row is not None
    cells = text_of(row.group(0))
    assert "Phiên bản 1" in cells and "Phiên bản 2" in cells and "13 mục" in cells
    assert html.count("Hoạt động chỉ đạo điểm về hòa giải ở cơ sở (2024-2026)</a>") == 1
    assert "Tiêu chí cấp xã điển hình" not in html


def test_the_list_filter_as_a_fragment(world, login_as):
    response = login_as("officer").get("/pilots/templates/?kind=model", htmx=True)
    assert response.status_code == 200
    html = body(response)
    assert "<html" not in html and 'id="template-table"' in html
    assert "Tiêu chí cấp xã điển hình" in html and "MARKER-D1" not in html
    assert len(response.data) <= FRAGMENT_LIMIT


def test_the_list_costs_the_same_queries_for_one_template_or_many(app, world, login_as):
    client = login_as("officer")
    few = count_queries(app, client, "/pilots/templates/")
    with app.app_context():
        for n in range(12):
            make_template(owner_unit_id=world.d1 if n % 2 else world.c1, name=f"Mẫu số {n}")
        db.session.commit()
    many = count_queries(app, client, "/pilots/templates/")
    assert many == few
    assert "Mẫu số 11" in body(client.get("/pilots/templates/"))


# A revision's page


def test_a_default_template_page_shows_its_sections_items_and_revisions(app, world, login_as):
    page = login_as("officer").get(f"/pilots/templates/{world.template_pilot}")
    assert page.status_code == 200
    html = body(page)
    text = text_of(html)
    assert "I. Khảo sát, kiện toàn tổ hòa giải" in text
    first = text.index("Khảo sát, đánh giá thực trạng tổ hòa giải")
    assert first < text.index("Kiện toàn tổ hòa giải đủ số lượng")
    assert "Tính từ dữ liệu Tỷ lệ tổ hòa giải đủ số lượng, thành phần" in text
    assert "≥ 100%" in text and "6 tháng" in text
    assert "Số bảng kiểm theo phiên bản này 2" in text
    assert 'id="template-revisions"' in html
    # An officer neither edits nor revises a default: a copy is the way.
    assert "/revise" not in html and "/edit" not in html and "/publish" not in html
    assert "Sao chép thành mẫu mới" in html and "Mẫu mặc định do quản trị hệ thống" in text
    admin = body(login_as("admin").get(f"/pilots/templates/{world.template_pilot}"))
    assert f"/pilots/templates/{world.template_pilot}/revise" in admin


def test_a_draft_page_offers_editing(app, world, login_as):
    html = body(login_as("officer").get(f"/pilots/templates/{world.template1}"))
    for url in ("/edit", "/publish", "/sections", "/items/new"):
        assert url in html
    assert "Đây là bản nháp" in html


def test_a_template_of_another_province_is_not_found(world, login_as):
    assert login_as("officer").get(f"/pilots/templates/{world.template3}").status_code == 404
    assert login_as("admin").get(f"/pilots/templates/{world.template3}").status_code == 200


def test_the_page_costs_the_same_queries_for_one_item_or_many(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/templates/{world.template1}"
    few = count_queries(app, client, url)
    add_items(app, world.template1, [f"Việc số {n}" for n in range(15)])
    assert count_queries(app, client, url) == few


def test_a_draft_copy_of_the_default_fits_the_size_budget(app, world, login_as):
    client = login_as("officer")
    client.post(
        f"/pilots/templates/new?from={world.template_pilot}",
        data={"name": "Mẫu chỉ đạo điểm của huyện", "kind": "pilot"},
    )
    copy = newest_template(app)
    page = client.get(f"/pilots/templates/{copy.id}")
    assert page_weight(client, f"/pilots/templates/{copy.id}") <= PAGE_LIMIT
    assert page_weight(client, "/pilots/templates/") <= PAGE_LIMIT
    # One button a row: each section's first item moves down, the others up.
    assert body(page).count('value="up"') == 13 - 4 and body(page).count('value="down"') == 4
    first = re.search(r'id="item-(\d+)"', body(page)).group(1)
    fragment = client.post(
        f"/pilots/template-items/{first}/move", data={"direction": "down"}, htmx=True
    )
    assert fragment.status_code == 200 and len(fragment.data) <= FRAGMENT_LIMIT


# A new template, a copy


def test_an_officer_creates_a_draft_of_their_office(app, world, login_as):
    client = login_as("officer")
    form = client.get("/pilots/templates/new")
    assert form.status_code == 200 and 'name="owner"' not in body(form)
    response = client.post(
        "/pilots/templates/new",
        data={
            "name": "Mẫu  thí điểm   Mường Nhé",
            "kind": "model",
            "description": "Theo Kế hoạch 1399/KH-UBND.",
            "owner": "national",  # not the officer's to choose (S3)
            "status": "published",
            "revision": "7",
        },
    )
    assert response.status_code == 303
    made = newest_template(app)
    assert response.headers["Location"] == f"/pilots/templates/{made.id}"
    assert (made.name, made.kind, made.status, made.revision) == (
        "Mẫu thí điểm Mường Nhé",
        "model",
        "draft",
        1,
    )
    assert made.owner_unit_id == world.d1 and made.code.startswith("mau-thi-diem-muong-nhe-")
    assert items_of(app, made.id) == []


def test_an_admin_makes_a_nationwide_default(app, world, login_as):
    client = login_as("admin")
    assert 'name="owner"' in body(client.get("/pilots/templates/new"))
    client.post(
        "/pilots/templates/new",
        data={"name": "Mẫu mặc định mới", "kind": "pilot", "owner": "national"},
    )
    assert newest_template(app).owner_unit_id is None
    client.post(
        "/pilots/templates/new",
        data={"name": "Mẫu của tỉnh", "kind": "pilot", "owner": str(world.p1)},
    )
    assert newest_template(app).owner_unit_id == world.p1


def test_a_copy_has_every_section_and_item_of_its_source(app, world, login_as):
    client = login_as("officer")
    form = body(client.get(f"/pilots/templates/new?from={world.template_model}"))
    assert "Tiêu chí cấp xã điển hình về hòa giải ở cơ sở (bản sao)" in form
    assert f'action="/pilots/templates/new?from={world.template_model}"' in form
    response = client.post(
        f"/pilots/templates/new?from={world.template_model}",
        data={"name": "Tiêu chí xã điển hình của huyện", "kind": "model"},
    )
    assert response.status_code == 303
    copy = newest_template(app)
    assert copy.status == "draft" and copy.owner_unit_id == world.d1
    assert items_of(app, copy.id) == items_of(app, world.template_model)
    assert len(items_of(app, copy.id)) == 7


def test_copying_what_the_user_does_not_read_is_not_found(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    for url in (f"/pilots/templates/new?from={world.template3}", "/pilots/templates/new?from=x"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"name": "Bản sao", "kind": "pilot"}).status_code == 404
    assert fingerprint(app) == before


def test_a_new_template_without_a_name_is_refused(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post("/pilots/templates/new", data={"name": "  ", "kind": "other"})
    assert response.status_code == 422
    html = body(response)
    assert "Nhập tên mẫu bảng kiểm." in html and "Chọn loại mẫu" in html
    assert fingerprint(app) == before


# Name and description


def test_editing_a_draft_and_a_stale_form(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/templates/{world.template1}/edit"
    assert 'name="version" type="hidden" value="1"' in body(client.get(url))
    response = client.post(
        url,
        data={"name": "Mẫu của huyện <script>x</script>", "description": "Mô tả", "version": "1"},
    )
    assert response.status_code == 303
    assert template_of(app, world.template1).name == "Mẫu của huyện <script>x</script>"
    page = body(client.get(f"/pilots/templates/{world.template1}"))
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    stale = client.post(url, data={"name": "Tên khác", "version": "1"})
    assert stale.status_code == 409
    assert "vừa được người khác sửa" in body(stale)
    assert template_of(app, world.template1).name == "Mẫu của huyện <script>x</script>"


def test_a_published_revision_is_not_edited(app, world, login_as):
    client, officer = login_as("admin"), login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"/pilots/templates/{world.template_pilot}/edit", data={"name": "Đổi", "version": "1"}
    )
    assert response.status_code == 403
    assert "tạo phiên bản mới để sửa" in body(response)
    refused = officer.get(f"/pilots/templates/{world.template_pilot}/edit")
    assert refused.status_code == 403 and "sao chép thành mẫu của đơn vị" in body(refused)
    assert fingerprint(app) == before


# Revising and publishing


def test_revising_a_default_makes_one_draft_copy(app, world, login_as):
    client = login_as("admin")
    response = client.post(f"/pilots/templates/{world.template_pilot}/revise")
    assert response.status_code == 303
    draft = newest_template(app)
    assert response.headers["Location"] == f"/pilots/templates/{draft.id}"
    assert (draft.code, draft.revision, draft.status, draft.owner_unit_id) == (
        template_of(app, world.template_pilot).code,
        2,
        "draft",
        None,
    )
    assert items_of(app, draft.id) == items_of(app, world.template_pilot)
    again = client.post(f"/pilots/templates/{world.template_pilot}/revise")
    assert again.headers["Location"] == f"/pilots/templates/{draft.id}"
    assert newest_template(app).id == draft.id
    page = body(client.get(f"/pilots/templates/{world.template_pilot}"))
    assert "Mở bản nháp phiên bản 2" in page
    # A draft's own revise goes to itself.
    itself = client.post(f"/pilots/templates/{draft.id}/revise")
    assert itself.headers["Location"] == f"/pilots/templates/{draft.id}"


def test_an_officer_may_not_revise_a_default(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(f"/pilots/templates/{world.template_pilot}/revise")
    assert response.status_code == 403
    assert fingerprint(app) == before


def test_publishing_retires_the_replaced_revision_and_checklists_keep_theirs(app, world, login_as):
    client = login_as("admin")
    client.post(f"/pilots/templates/{world.template_pilot}/revise")
    draft = newest_template(app)
    item = add_items(app, draft.id, ["Tổng kết chỉ đạo điểm"])[0]
    response = client.post(
        f"/pilots/templates/{draft.id}/publish", data={"version": str(draft.version)}
    )
    assert response.status_code == 303
    assert template_of(app, draft.id).status == "published"
    assert template_of(app, draft.id).published_at is not None
    assert template_of(app, world.template_pilot).status == "retired"
    with app.app_context():
        assert db.session.get(Checklist, world.checklist1).template_id == world.template_pilot
    old = body(client.get(f"/pilots/templates/{world.template_pilot}"))
    assert "Phiên bản này đã được thay thế" in old and "Tổng kết chỉ đạo điểm" not in old
    assert "Đã thay thế" in old
    new = body(client.get(f"/pilots/templates/{draft.id}"))
    assert "Tổng kết chỉ đạo điểm" in new and f"/pilots/template-items/{item}/edit" not in new
    listing = body(client.get("/pilots/templates/?kind=pilot"))
    assert f'/pilots/templates/{draft.id}">Phiên bản 2</a>' in listing
    assert f'/pilots/templates/{world.template_pilot}"' not in listing


def test_an_empty_draft_is_not_published(app, world, login_as):
    client = login_as("officer")
    client.post("/pilots/templates/new", data={"name": "Mẫu trống", "kind": "pilot"})
    empty = newest_template(app)
    response = client.post(f"/pilots/templates/{empty.id}/publish", data={"version": "1"})
    assert response.status_code == 422
    assert "Mẫu chưa có mục nào" in body(response)
    assert template_of(app, empty.id).status == "draft"


def test_publishing_a_draft_changed_since_it_was_read_is_stale(app, world, login_as):
    client = login_as("officer")
    client.post(
        f"/pilots/templates/{world.template1}/sections",
        data={"title": "II. Phần thêm", "version": "1"},
    )
    response = client.post(f"/pilots/templates/{world.template1}/publish", data={"version": "1"})
    assert response.status_code == 409
    assert "vừa được người khác sửa" in body(response)
    assert template_of(app, world.template1).status == "draft"
    ok = client.post(f"/pilots/templates/{world.template1}/publish", data={"version": "2"})
    assert ok.status_code == 303 and template_of(app, world.template1).status == "published"
    refused = client.post(f"/pilots/templates/{world.template1}/publish", data={"version": "3"})
    assert refused.status_code == 403


# Sections


def test_sections_are_added_renamed_and_deleted_when_empty(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/templates/{world.template1}/sections"
    response = client.post(url, data={"title": "II. Tập huấn", "version": "1"})
    assert response.status_code == 303
    with app.app_context():
        section = db.session.scalars(
            select(TemplateSection)
            .where(TemplateSection.template_id == world.template1)
            .order_by(TemplateSection.position.desc())
        ).first()
        section_id, position = section.id, section.position
    assert position == 2
    assert response.headers["Location"].endswith(f"#section-{section_id}")
    edit = f"/pilots/sections/{section_id}/edit"
    assert 'value="II. Tập huấn"' in body(client.get(edit))
    assert client.post(edit, data={"title": "II. Bồi dưỡng", "version": "2"}).status_code == 303
    assert client.post(edit, data={"title": "Cũ", "version": "2"}).status_code == 409
    assert "II. Bồi dưỡng" in body(client.get(f"/pilots/templates/{world.template1}"))
    assert f"/pilots/sections/{section_id}/delete" in body(client.get(edit))
    # The first section has its item: no delete button, and a delete is refused.
    first = body(client.get(f"/pilots/sections/{world.tsection1}/edit"))
    assert f"/pilots/sections/{world.tsection1}/delete" not in first
    assert "Phần này còn 1 mục" in first
    refused = client.post(f"/pilots/sections/{world.tsection1}/delete", data={"version": "3"})
    assert refused.status_code == 422 and "Phần này còn mục" in body(refused)
    gone = client.post(f"/pilots/sections/{section_id}/delete", data={"version": "3"})
    assert gone.status_code == 303
    with app.app_context():
        assert db.session.get(TemplateSection, section_id) is None
        assert db.session.get(TemplateSection, world.tsection1) is not None


def test_a_section_without_a_title_is_refused(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"/pilots/templates/{world.template1}/sections", data={"title": " ", "version": "1"}
    )
    assert response.status_code == 422
    assert "Nhập tên phần." in body(response)
    assert fingerprint(app) == before


def test_a_published_template_refuses_every_change_with_its_reason(app, world, login_as):
    client = login_as("admin")
    with app.app_context():
        section = db.session.scalar(
            select(TemplateSection.id).where(TemplateSection.template_id == world.template_pilot)
        )
        item = db.session.scalar(
            select(TemplateItem.id).where(TemplateItem.template_id == world.template_pilot)
        )
    before = fingerprint(app)
    for url, data in (
        (f"/pilots/templates/{world.template_pilot}/sections", {"title": "X", "version": "1"}),
        (f"/pilots/sections/{section}/edit", {"title": "X", "version": "1"}),
        (f"/pilots/sections/{section}/delete", {"version": "1"}),
        (f"/pilots/sections/{section}/items/new", item_form(1)),
        (f"/pilots/template-items/{item}/edit", item_form(1)),
        (f"/pilots/template-items/{item}/delete", {"version": "1"}),
        (f"/pilots/template-items/{item}/move", {"direction": "down"}),
        (f"/pilots/templates/{world.template_pilot}/publish", {"version": "1"}),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        assert "tạo phiên bản mới để sửa" in body(response)
    assert client.get(f"/pilots/sections/{section}/items/new").status_code == 403
    assert fingerprint(app) == before


# Items


def test_an_item_computed_from_live_data(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/sections/{world.tsection1}/items/new"
    response = client.post(url, data=item_form(1))
    assert response.status_code == 303
    assert items_of(app, world.template1)[-1][1:] == (
        "Tỷ lệ hòa giải thành của xã",
        "percent",
        ">=",
        90,
        12,
        12.5,
        True,
        "success_rate",
    )
    page = text_of(body(client.get(f"/pilots/templates/{world.template1}")))
    assert "Tính từ dữ liệu Tỷ lệ hòa giải thành" in page and "≥ 90%" in page
    assert "12,5" in page and "12 tháng" in page


def test_items_of_other_types_and_their_targets(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/sections/{world.tsection1}/items/new"
    number = item_form(1, text="Số tổ có luật gia hỗ trợ", item_type="number", formula="")
    number.update(target_operator=">", target_value="1.000", points="", due_months="")
    assert client.post(url, data=number).status_code == 303
    check = item_form(2, text="Tổ chức hội nghị sơ kết", item_type="check", formula="")
    check.update(target_value="", points="5", required="")
    check.pop("required")
    assert client.post(url, data=check).status_code == 303
    rows = items_of(app, world.template1)[-2:]
    assert rows[0][1:] == ("Số tổ có luật gia hỗ trợ", "number", ">", 1000, None, None, True, None)
    assert rows[1][1:] == ("Tổ chức hội nghị sơ kết", "check", None, None, 12, 5, False, None)


def test_bad_items_are_refused_field_by_field(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/sections/{world.tsection1}/items/new"
    before = fingerprint(app)
    cases = [
        ({"text": ""}, "Nhập nội dung mục."),
        ({"text": "x" * 501}, "tối đa 500 ký tự"),
        ({"target_value": "120"}, "Tỷ lệ không được vượt quá 100%."),
        ({"target_value": "-5"}, "Không được là số âm."),
        ({"target_value": "chín mươi"}, "Nhập một số"),
        ({"target_operator": "!="}, "Chọn phép so sánh"),
        ({"item_type": "check", "formula": ""}, "Chỉ mục loại Số hoặc Tỷ lệ (%)"),
        ({"item_type": "check"}, "chọn loại “Tỷ lệ (%)”"),
        ({"formula": "teams_supported"}, "chọn loại “Số”"),
        ({"formula": "khong-co"}, "Chọn một chỉ tiêu tính từ dữ liệu"),
        ({"item_type": "video", "formula": ""}, "Chọn loại mục."),
        ({"due_months": "121"}, "từ 0 đến 120"),
        ({"due_months": "-1"}, "Nhập số tháng bằng chữ số"),
        ({"due_months": "sáu"}, "Nhập số tháng bằng chữ số"),
        ({"points": "-1"}, "Không được là số âm."),
        ({"points": "5000"}, "Điểm tối đa 1.000."),
        ({"guidance": "y" * 2001}, "Hướng dẫn tối đa 2.000 ký tự."),
    ]
    for values, message in cases:
        response = client.post(url, data=item_form(1, **values))
        assert response.status_code == 422, values
        assert message in body(response), (values, text_of(body(response))[:2000])
        assert 'class="error"' in body(response)
    assert fingerprint(app) == before


def test_editing_and_deleting_an_item(app, world, login_as):
    client = login_as("officer")
    url = f"/pilots/template-items/{world.titem1}/edit"
    form = body(client.get(url))
    assert "Khảo sát thực trạng</textarea>" in form and 'value="10"' in form
    assert f"/pilots/template-items/{world.titem1}/delete" in form
    changed = item_form(1, text="Khảo sát thực trạng tổ hòa giải", item_type="evidence")
    changed.update(formula="", target_value="", due_months="2")
    response = client.post(url, data=changed)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#item-{world.titem1}")
    assert items_of(app, world.template1)[0][1:3] == ("Khảo sát thực trạng tổ hòa giải", "evidence")
    assert client.post(url, data=changed).status_code == 409
    stale = client.post(f"/pilots/template-items/{world.titem1}/delete", data={"version": "1"})
    assert stale.status_code == 409
    gone = client.post(f"/pilots/template-items/{world.titem1}/delete", data={"version": "2"})
    assert gone.status_code == 303
    assert items_of(app, world.template1) == []


def test_moving_items_within_their_section(app, world, login_as):
    client = login_as("officer")
    _, third = add_items(app, world.template1, ["Bầu hòa giải viên", "Tập huấn"])
    response = client.post(f"/pilots/template-items/{third}/move", data={"direction": "up"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#item-{third}")
    order = [row[1] for row in items_of(app, world.template1)]
    assert order == ["Khảo sát thực trạng", "Tập huấn", "Bầu hòa giải viên"]
    fragment = client.post(
        f"/pilots/template-items/{world.titem1}/move", data={"direction": "down"}, htmx=True
    )
    assert fragment.status_code == 200
    html = body(fragment)
    assert html.lstrip().startswith(f'<section class="card" id="section-{world.tsection1}"')
    assert text_of(html).index("Tập huấn") < text_of(html).index("Khảo sát thực trạng")
    assert "HX-Request" in fragment.headers["Vary"]
    order = [row[1] for row in items_of(app, world.template1)]
    assert order == ["Tập huấn", "Khảo sát thực trạng", "Bầu hòa giải viên"]
    # At the edge nothing moves; the draft's version stays (an order undoes no one's edit).
    assert client.post(f"/pilots/template-items/{third}/move", data={"direction": "up"})
    assert [row[1] for row in items_of(app, world.template1)] == order
    assert template_of(app, world.template1).version == 1


def test_a_move_in_no_direction_is_refused(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"/pilots/template-items/{world.titem1}/move", data={"direction": "sideways"}
    )
    assert response.status_code == 422 and "Chọn chuyển lên hoặc chuyển xuống." in body(response)
    fragment = client.post(
        f"/pilots/template-items/{world.titem1}/move", data={"direction": ""}, htmx=True
    )
    assert fragment.status_code == 422 and "<html" not in body(fragment)
    assert fingerprint(app) == before


def test_another_office_cannot_reach_a_template_s_sections_or_items(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    for url in (
        f"/pilots/sections/{world.tsection3}/edit",
        f"/pilots/sections/{world.tsection3}/items/new",
        f"/pilots/template-items/{world.titem3}/edit",
        "/pilots/sections/999999/edit",
        "/pilots/template-items/999999/edit",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/pilots/template-items/{world.titem3}/move", data={"direction": "up"})
    ).status_code == 404
    assert fingerprint(app) == before


def test_every_change_is_audited(app, world, login_as):
    client = login_as("officer")
    client.post(f"/pilots/sections/{world.tsection1}/items/new", data=item_form(1))
    with app.app_context():
        rows = db.session.execute(
            select(AuditLog.action, AuditLog.object_type, AuditLog.after)
            .where(AuditLog.user_id == world.users["officer"])
            .where(AuditLog.action.in_(["create", "update", "delete"]))
        ).all()
    assert [(a, t, after["text"]) for a, t, after in rows] == [
        ("create", "TemplateItem", "Tỷ lệ hòa giải thành của xã")
    ]


def test_template_forms_survive_fuzzing(app, world, login_as):
    """R7: any post to the template forms is answered without a 500; a refusal saves
    nothing."""
    client = login_as("officer")
    text = st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["", "0", "-1", "1", "100,5", "1e9", "NaN", "percent", "check", "success_rate", "\x00"]
        ),
    )
    fields = ["text", "guidance", "item_type", "formula", "target_operator", "target_value"]
    fields += ["due_months", "points", "required", "version", "title", "name", "kind"]
    fields += ["description", "direction", "owner"]
    urls = [
        f"/pilots/sections/{world.tsection1}/items/new",
        f"/pilots/template-items/{world.titem1}/edit",
        f"/pilots/template-items/{world.titem1}/move",
        f"/pilots/templates/{world.template1}/sections",
        f"/pilots/templates/{world.template1}/edit",
        "/pilots/templates/new",
    ]

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.sampled_from(urls), st.fixed_dictionaries({}, optional=dict.fromkeys(fields, text)))
    def run(url, data):
        before = fingerprint(app)
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)
        if response.status_code != 303:
            assert fingerprint(app) == before

    run()


def test_a_revision_in_use_never_changes(app, world, ctx):
    """Checklists are made from published revisions only; were one in use still a draft, the
    services refuse to change it all the same."""
    template = db.session.get(ChecklistTemplate, world.template1)
    template.status = "published"
    db.session.flush()
    make_checklist(
        commune_id=world.c2, office_unit_id=world.d1, template=template, starts_on=date(2025, 1, 1)
    )
    template.status = "draft"
    section = db.session.get(TemplateSection, world.tsection1)
    for change in (
        lambda: services.update_template(template, "Tên mới", ""),
        lambda: services.add_section(template, "II. Phần mới"),
        lambda: add_item(template, section, ItemValues(text="Mục mới", item_type="check")),
        lambda: services.publish_template(template),
    ):
        with pytest.raises(PilotError, match="đã được dùng cho bảng kiểm"):
            change()
