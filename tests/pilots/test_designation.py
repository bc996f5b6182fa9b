"""Designating a commune (pilots.checklist_create) and changing the designation
(pilots.checklist_edit): who may, which communes and templates, bad input refused with the
message next to the field and nothing saved, a stale version refused with 409."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.pilots.models import Checklist, ChecklistEvent, ChecklistItem, TemplateItem
from app.units.models import Unit
from app.units.services import update_unit
from tests.pilots.factories import make_template

NEW = "/pilots/checklists/new"


def edit_url(checklist_id: int) -> str:
    return f"/pilots/checklists/{checklist_id}/edit"


def form(world, **values) -> dict:
    data = {
        "unit": f"Xã Epsilon MARKER-C2 (#{world.c2})",
        "template": str(world.template_pilot),
        "level": "district",
        "starts_on": "01/03/2025",
        "ends_on": "31/12/2026",
        "note": "Theo Kế hoạch số 12/KH-UBND",
    }
    data.update(values)
    return data


def counts(app) -> tuple[int, int, int]:
    """Checklists, their items and their events."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Checklist, ChecklistItem, ChecklistEvent)
        )


def checklist_version(app, checklist_id: int) -> int:
    with app.app_context():
        return db.session.get(Checklist, checklist_id).version


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_form_offers_the_published_templates_the_officer_may_use(world, login_as):
    html = text(login_as("officer").get(NEW))
    assert 'list="unit-options"' in html and 'hx-get="/units/lookup"' in html
    assert f'value="{world.template_pilot}"' in html and f'value="{world.template_model}"' in html
    assert f'value="{world.template1}"' not in html  # a draft
    assert "MARKER-P2" not in html
    # The office is a district: its level by default, the period to the end of the phase.
    assert '<option selected value="district">' in html
    assert 'value="31/12/2026"' in html or 'value="31/12/2030"' in html


def test_a_commune_to_start_from(world, login_as):
    client = login_as("officer")
    html = text(client.get(NEW, query_string={"unit": world.c2}))
    path = "Huyện Beta MARKER-D1, Tỉnh Alpha MARKER-P1"
    assert f"Xã Epsilon MARKER-C2 — {path} (#{world.c2})" in html
    assert client.get(NEW, query_string={"unit": world.c3}).status_code == 404
    assert client.get(NEW, query_string={"unit": "x"}).status_code == 404
    # A unit that is not a commune is not filled in.
    html = text(client.get(NEW, query_string={"unit": world.d1}))
    assert f"(#{world.d1})" not in html


def test_designating_makes_the_checklist_with_its_due_dates(app, world, login_as):
    response = login_as("officer").post(NEW, data=form(world))
    assert response.status_code == 303, text(response)[:600]
    with app.app_context():
        _check_designated(world, response)


def _check_designated(world, response) -> None:
    checklist = db.session.scalar(
        select(Checklist).where(
            Checklist.unit_id == world.c2, Checklist.template_id == world.template_pilot
        )
    )
    assert response.headers["Location"].endswith(f"/pilots/checklists/{checklist.id}")
    assert (checklist.kind, checklist.level, checklist.status) == ("pilot", "district", "open")
    assert (checklist.starts_on, checklist.ends_on) == (date(2025, 3, 1), date(2026, 12, 31))
    assert checklist.office_unit_id == world.d1 and checklist.note == "Theo Kế hoạch số 12/KH-UBND"
    assert checklist.designated_by_id == world.users["officer"]
    items = db.session.execute(
        select(ChecklistItem.due_on, TemplateItem.due_months)
        .join(TemplateItem, TemplateItem.id == ChecklistItem.template_item_id)
        .where(ChecklistItem.checklist_id == checklist.id)
    ).all()
    assert len(items) == 13
    assert (date(2025, 5, 1), 2) in items and (None, None) in items
    (event,) = db.session.scalars(
        select(ChecklistEvent).where(ChecklistEvent.checklist_id == checklist.id)
    )
    assert event.action == "designated"
    commune = db.session.get(Unit, world.c2)
    assert (commune.pilot_level, commune.pilot_start_year, commune.pilot_end_year) == (
        "district",
        2025,
        2026,
    )


def test_extra_fields_change_nothing_they_should_not(app, world, login_as):
    data = form(world, status="signed_off", office_unit_id=str(world.p2), kind="model")
    assert login_as("officer").post(NEW, data=data).status_code == 303
    with app.app_context():
        # C2 had a model checklist already: the new one is the pilot, open, D1's.
        checklist = db.session.scalar(
            select(Checklist).where(Checklist.unit_id == world.c2, Checklist.kind == "pilot")
        )
        assert (checklist.status, checklist.office_unit_id) == ("open", world.d1)


def test_an_admin_designates_anywhere_for_the_nearest_office(app, world, login_as):
    data = form(world, unit=f"#{world.c3}", template=str(world.template_model), level="province")
    assert login_as("admin").post(NEW, data=data).status_code == 303
    with app.app_context():
        checklist = db.session.scalar(
            select(Checklist).where(Checklist.unit_id == world.c3, Checklist.kind == "model")
        )
        assert checklist.office_unit_id == world.p2


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"unit": ""}, "unit", "Chọn đơn vị."),
        ({"unit": "Xã Không Có"}, "unit", "Không tìm thấy đơn vị này"),
        ({"template": ""}, "template", "Chọn một mẫu bảng kiểm đang áp dụng."),
        ({"template": "abc"}, "template", "Chọn một mẫu bảng kiểm đang áp dụng."),
        ({"level": "village"}, "level", "Chọn cấp chỉ đạo điểm."),
        ({"starts_on": ""}, "starts_on", "Nhập ngày bắt đầu thực hiện."),
        ({"starts_on": "31/02/2025"}, "starts_on", "Ngày không hợp lệ"),
        ({"ends_on": "01/01/2025"}, "ends_on", "Ngày kết thúc phải sau ngày bắt đầu."),
        ({"note": "x" * 2001}, "note", "Tối đa 2000 ký tự."),
    ],
)
def test_bad_input_is_refused_next_to_its_field(app, world, login_as, values, field, message):
    before = counts(app)
    response = login_as("officer").post(NEW, data=form(world, **values))
    assert response.status_code == 422
    html = text(response)
    error = html.split(f'id="{field}-error">', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert counts(app) == before


def test_refusals_of_the_commune(world, login_as, app):
    client = login_as("officer")
    before = counts(app)
    # Not a commune.
    response = client.post(NEW, data=form(world, unit=f"#{world.d1}"))
    assert response.status_code == 422 and "Chọn một xã, phường, thị trấn." in text(response)
    # A commune with a checklist of this template already.
    response = client.post(NEW, data=form(world, unit=f"#{world.c1}"))
    assert response.status_code == 422
    assert "Xã Gamma MARKER-C1 đã có bảng kiểm theo mẫu này." in text(response)
    # Another province's commune: not found, nothing said about it.
    response = client.post(NEW, data=form(world, unit=f"#{world.c3}"))
    assert response.status_code == 404 and "MARKER-C3" not in text(response)
    # A commune merged away.
    with app.app_context():
        update_unit(db.session.get(Unit, world.c2), {"valid_to": date(2025, 7, 1)})
        db.session.commit()
    response = client.post(NEW, data=form(world, unit=f"#{world.c2}"))
    assert response.status_code == 422 and "đã hết hiệu lực" in text(response)
    assert counts(app) == before


def test_a_template_of_another_office_cannot_be_used(world, login_as, app):
    with app.app_context():
        other = make_template(owner_unit_id=world.p2, name="Mẫu MARKER-P2", status="published")
        mine = make_template(owner_unit_id=world.d1, name="Mẫu của huyện", status="published")
        other_id, mine_id = other.id, mine.id
        db.session.commit()
    client = login_as("officer")
    html = text(client.get(NEW))
    assert f'value="{mine_id}"' in html and f'value="{other_id}"' not in html
    response = client.post(NEW, data=form(world, template=str(other_id)))
    assert response.status_code == 422
    assert client.post(NEW, data=form(world, template=str(mine_id))).status_code == 303


@pytest.mark.parametrize("role", ["commune_staff", "viewer", "judge"])
def test_only_offices_designate(app, world, login_as, role):
    before = counts(app)
    client = login_as(role)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, data=form(world)).status_code == 403
    assert counts(app) == before


# Changing a designation


def test_the_edit_form_shows_the_designation(world, login_as):
    html = text(login_as("officer").get(edit_url(world.checklist1)))
    assert 'value="01/01/2024"' in html and 'value="31/12/2026"' in html
    assert "Xã điểm MARKER-C1" in html and 'name="version"' in html
    assert '<option selected value="district">' in html


def test_changing_the_start_moves_the_due_dates(app, world, login_as):
    version = checklist_version(app, world.checklist1)
    data = {
        "version": str(version),
        "level": "province",
        "starts_on": "01/07/2024",
        "ends_on": "30/06/2027",
        "note": "  Điều chỉnh theo Kế hoạch 20/KH-UBND  ",
    }
    response = login_as("officer").post(edit_url(world.checklist1), data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/pilots/checklists/{world.checklist1}")
    with app.app_context():
        c1 = db.session.get(Checklist, world.checklist1)
        assert (c1.level, c1.starts_on, c1.ends_on) == (
            "province",
            date(2024, 7, 1),
            date(2027, 6, 30),
        )
        assert c1.note == "Điều chỉnh theo Kế hoạch 20/KH-UBND" and c1.version > version
        dues = db.session.execute(
            select(ChecklistItem.due_on, TemplateItem.due_months)
            .join(TemplateItem, TemplateItem.id == ChecklistItem.template_item_id)
            .where(ChecklistItem.checklist_id == c1.id)
        ).all()
        assert (date(2024, 9, 1), 2) in dues


def test_a_stale_edit_is_refused_and_the_first_kept(app, world, login_as):
    data = {
        "version": str(checklist_version(app, world.checklist1) - 1),
        "level": "province",
        "starts_on": "01/01/2024",
        "ends_on": "31/12/2026",
    }
    response = login_as("officer").post(edit_url(world.checklist1), data=data)
    assert response.status_code == 409
    assert "vừa được người khác sửa" in text(response)
    with app.app_context():
        assert db.session.get(Checklist, world.checklist1).level == "district"


def test_bad_edits_are_refused(app, world, login_as):
    version = checklist_version(app, world.checklist1)
    base = {"version": str(version), "level": "district", "starts_on": "01/01/2024"}
    client = login_as("officer")
    response = client.post(edit_url(world.checklist1), data={**base, "ends_on": "31/12/2023"})
    assert response.status_code == 422
    assert 'id="ends_on-error">Ngày kết thúc phải sau ngày bắt đầu.' in text(response)
    response = client.post(edit_url(world.checklist1), data={**base, "ends_on": "hôm nay"})
    assert response.status_code == 422 and "Ngày không hợp lệ" in text(response)
    assert checklist_version(app, world.checklist1) == version


def test_who_may_change_a_designation(world, login_as):
    officer = login_as("officer")
    signed = officer.get(edit_url(world.checklist4))
    assert signed.status_code == 403 and "mở lại bảng kiểm" in text(signed)
    assert officer.get(edit_url(world.checklist3)).status_code == 404
    assert login_as("officer_p2").get(edit_url(world.checklist1)).status_code == 404
    assert login_as("commune_staff").get(edit_url(world.checklist1)).status_code == 403
    assert login_as("admin").get(edit_url(world.checklist3)).status_code == 200
    assert officer.get(edit_url(999_999)).status_code == 404


def test_fuzzed_designations_never_fail_and_refusals_save_nothing(app, world, login_as):
    """QUALITY.md R7 for both forms: no 500 whatever is posted; a refusal changes nothing."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.test_authorization_matrix import fingerprint
    from tests.test_fuzz import TEXT

    client = login_as("officer")
    fields = ["unit", "template", "level", "starts_on", "ends_on", "note", "version"]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    def run(data):
        before = fingerprint(app)
        for url in (NEW, edit_url(world.checklist1)):
            response = client.post(url, data=data)
            assert response.status_code < 500, (url, data)
            if response.status_code != 303:
                assert fingerprint(app) == before, (url, data)

    run()
