"""Browsing the unit tree, adding villages, editing units and flags."""

from sqlalchemy import func, select

from app.extensions import db
from app.units.models import Unit, UnitClosure


def test_tree_lists_the_users_unit_and_lazy_loads_children(world, login_as):
    client = login_as("officer")
    page = client.get("/units/").get_data(as_text=True)
    assert "Huyện Beta" in page
    assert f'hx-get="/units/{world.d1}/children"' in page
    assert "Xã Gamma" not in page, "children come later, with htmx"
    fragment = client.get(f"/units/{world.d1}/children", htmx=True)
    body = fragment.get_data(as_text=True)
    assert "Xã Gamma" in body and "Xã Epsilon" in body
    assert "<html" not in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_children_url_without_htmx_is_a_full_page(world, login_as):
    body = login_as("officer").get(f"/units/{world.d1}/children").get_data(as_text=True)
    assert "<html" in body and "Xã Gamma" in body


def test_search_is_diacritic_insensitive_and_scoped(world, make_unit, login_as):
    make_unit("ban", "Bản Đồng Tâm", world.c1)
    make_unit("ban", "Bản Đồng Lương", world.c3)
    client = login_as("officer")
    for q in ("dong", "Đồng", "ĐỒNG TÂM", "dong tam"):
        body = client.get(f"/units/?q={q}").get_data(as_text=True)
        assert "Bản Đồng Tâm" in body, q
        assert "Bản Đồng Lương" not in body, "outside the officer's district"
    fragment = client.get("/units/?q=dong", htmx=True).get_data(as_text=True)
    assert "Bản Đồng Tâm" in fragment and "<html" not in fragment


def test_search_with_like_wildcards_is_literal(world, login_as):
    body = login_as("admin").get("/units/?q=%25").get_data(as_text=True)
    assert "Không tìm thấy" in body


def test_commune_staff_adds_a_village(app, world, login_as):
    client = login_as("commune_staff")
    response = client.post(
        f"/units/{world.c1}/children/new", data={"kind": "ban", "name": "  Bản   Nậm Pố  "}
    )
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "Bản Nậm Pố"))
        assert unit.parent_id == world.c1 and unit.name_folded == "ban nam po"
        ancestors = set(
            db.session.scalars(
                select(UnitClosure.ancestor_id).where(UnitClosure.descendant_id == unit.id)
            )
        )
        assert ancestors == {unit.id, world.c1, world.d1, world.p1}


def test_village_form_errors_are_422_next_to_the_field(world, login_as):
    client = login_as("commune_staff")
    response = client.post(f"/units/{world.c1}/children/new", data={"kind": "xa", "name": ""})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Nhập tên đơn vị." in body
    assert 'id="name-error"' in body


def test_commune_staff_cannot_add_below_a_village_or_another_commune(world, login_as):
    client = login_as("commune_staff")
    assert client.get(f"/units/{world.v1}/children/new").status_code == 403
    assert client.get(f"/units/{world.c2}/children/new").status_code == 404


def test_mass_assignment_is_ignored(app, world, login_as):
    """S3: fields the form does not offer this user change nothing."""
    client = login_as("commune_staff")
    response = client.post(
        f"/units/{world.v1}/edit",
        data={
            "kind": "ban",
            "name": "Bản Delta MARKER-V1",
            "version": "1",
            "code": "99999",
            "parent_id": str(world.c3),
            "is_ethnic_minority_area": "y",
            "pilot_level": "central",
            "level": "1",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.get(Unit, world.v1)
        assert unit.code is None and unit.parent_id == world.c1
        assert not unit.is_ethnic_minority_area and unit.pilot_level is None and unit.level == 4


def version_of(app, unit_id) -> str:
    """A unit's version now (C1's pilot designation in the test world changed it)."""
    with app.app_context():
        return str(db.session.get(Unit, unit_id).version)


def test_officer_sets_pilot_and_ethnic_flags_on_a_commune(app, world, login_as):
    client = login_as("officer")
    form = client.get(f"/units/{world.c1}/edit").get_data(as_text=True)
    assert 'name="pilot_level"' in form and 'name="code"' not in form
    response = client.post(
        f"/units/{world.c1}/edit",
        data={
            "kind": "xa",
            "name": "Xã Gamma MARKER-C1",
            "version": version_of(app, world.c1),
            "is_ethnic_minority_area": "y",
            "pilot_level": "district",
            "pilot_start_year": "2024",
            "pilot_end_year": "2026",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.get(Unit, world.c1)
        assert unit.is_ethnic_minority_area and unit.pilot_level == "district"
        assert (unit.pilot_start_year, unit.pilot_end_year) == (2024, 2026)
    page = client.get(f"/units/{world.c1}").get_data(as_text=True)
    assert "Xã chỉ đạo điểm cấp huyện 2024–2026" in page


def test_pilot_period_must_be_ordered(world, login_as):
    client = login_as("officer")
    response = client.post(
        f"/units/{world.c1}/edit",
        data={
            "kind": "xa",
            "name": "Xã Gamma",
            "version": "1",
            "pilot_level": "district",
            "pilot_start_year": "2026",
            "pilot_end_year": "2024",
        },
    )
    assert response.status_code == 422
    assert "Năm kết thúc phải sau năm bắt đầu." in response.get_data(as_text=True)


def test_stale_edit_gets_409_and_the_first_save_is_kept(app, world, make_client):
    first, second = make_client(), make_client()
    first.login("canbo")
    second.login("canbo")
    url = f"/units/{world.v1}/edit"
    assert (
        first.post(url, data={"kind": "ban", "name": "Bản Lần Một", "version": "1"}).status_code
        == 303
    )
    response = second.post(url, data={"kind": "ban", "name": "Bản Lần Hai", "version": "1"})
    assert response.status_code == 409
    assert "vừa được người khác sửa" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Unit, world.v1).name == "Bản Lần Một"


def test_admin_can_set_codes_and_validity(app, world, login_as):
    client = login_as("admin")
    response = client.post(
        f"/units/{world.c2}/edit",
        data={
            "kind": "xa",
            "name": "Xã Epsilon",
            "version": "1",
            "code": "03151",
            "valid_from": "01/07/2025",
            "valid_to": "30/06/2025",
        },
    )
    assert response.status_code == 422
    assert "Ngày hết hiệu lực phải sau ngày có hiệu lực." in response.get_data(as_text=True)
    response = client.post(
        f"/units/{world.c2}/edit",
        data={
            "kind": "xa",
            "name": "Xã Epsilon",
            "version": "1",
            "code": "03151",
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 303
    duplicate = client.post(
        f"/units/{world.c1}/edit",
        data={
            "kind": "xa",
            "name": "Xã Gamma",
            "version": version_of(app, world.c1),
            "code": "03151",
        },
    )
    assert duplicate.status_code == 422
    assert "đã được dùng" in duplicate.get_data(as_text=True)


def test_former_units_are_hidden_until_asked(app, world, make_unit, login_as):
    from datetime import date

    make_unit("ban", "Bản Cũ Đã Sáp Nhập", world.c1, valid_to=date(2025, 6, 30))
    client = login_as("commune_staff")
    assert "Bản Cũ" not in client.get(f"/units/{world.c1}").get_data(as_text=True)
    assert "Bản Cũ" in client.get(f"/units/{world.c1}?former=1").get_data(as_text=True)


def test_print_page_has_the_document_layout(world, login_as):
    body = login_as("officer").get(f"/units/{world.d1}/print").get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in body
    assert "Độc lập - Tự do - Hạnh phúc" in body
    assert "PHÒNG TƯ PHÁP" in body
    assert "Xã Gamma" in body and "NGƯỜI LẬP BIỂU" in body


def test_query_count_of_the_children_fragment_is_fixed(app, world, make_unit, login_as):
    """P3: twenty villages cost the same number of queries as two."""
    from sqlalchemy import event

    client = login_as("officer")

    def count_queries(url):
        statements = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            client.get(url, htmx=True)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    few = count_queries(f"/units/{world.c1}/children")
    for i in range(20):
        make_unit("ban", f"Bản Số {i}", world.c1)
    assert count_queries(f"/units/{world.c1}/children") == few


def test_lookup_suggests_units_in_scope(world, login_as):
    body = login_as("officer").get("/units/lookup?q=gamma", htmx=True).get_data(as_text=True)
    assert "<option" in body and "Xã Gamma" in body and f"(#{world.c1})" in body
    with_count = login_as("officer").get("/units/lookup?q=sigma", htmx=True).get_data(as_text=True)
    assert "Sigma" not in with_count


def test_units_count(app, world):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unit)) == 9


def test_admin_records_a_merge_and_history_shows_on_both_units(app, world, login_as):
    client = login_as("admin")
    response = client.post(
        f"/units/{world.c2}/succession",
        data={"successor": f"#{world.c1}", "effective_date": "01/07/2025", "note": "NQ 1661"},
    )
    assert response.status_code == 303
    with app.app_context():
        merged = db.session.get(Unit, world.c2)
        assert merged.valid_to.isoformat() == "2025-07-01"
    old = client.get(f"/units/{world.c2}").get_data(as_text=True)
    assert "chuyển thành" in old and "Xã Gamma" in old
    new = client.get(f"/units/{world.c1}").get_data(as_text=True)
    assert "kế thừa" in new and "Xã Epsilon" in new


def test_succession_to_itself_or_a_former_unit_is_refused(app, world, login_as):
    client = login_as("admin")
    response = client.post(
        f"/units/{world.c2}/succession",
        data={"successor": f"#{world.c2}", "effective_date": "01/07/2025"},
    )
    assert response.status_code == 422
    assert "không thể kế thừa chính nó" in response.get_data(as_text=True)
    response = client.post(f"/units/{world.c2}/succession", data={"successor": f"#{world.c1}"})
    assert response.status_code == 422
    assert "Nhập ngày có hiệu lực." in response.get_data(as_text=True)
