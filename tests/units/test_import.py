"""``flask units import-official`` and ``flask units import FILE.csv`` (QUALITY.md R8)."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditLog
from app.extensions import db
from app.units.models import Unit, UnitClosure
from app.units.services import ancestors

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "muong_nhe_legacy.csv"
SEMICOLON_BOM = DATA / "nam_ke_villages_semicolon_bom.csv"
HEADER = "code,name,kind,parent_code,valid_from,valid_to,ethnic_minority_area\n"
GOOD_ROW = ",Bản Hợp Lệ,bản,03160\n"


def run(app, *args):
    return app.test_cli_runner().invoke(args=["units", *args])


def counts(app) -> dict[str, int]:
    """Rows of the tables an import writes to."""
    with app.app_context():
        result = {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Unit, UnitClosure, AuditLog)
        }
        db.session.remove()
    return result


def unit_named(name: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.name == name)).one()


@pytest.fixture
def dien_bien(make_unit):
    """Tỉnh Điện Biên (code 11) with two of its 2025 communes."""
    province = make_unit("tinh", "Tỉnh Điện Biên", code="11")
    since = date(2025, 7, 1)
    make_unit("xa", "Xã Mường Nhé", province, code="03160", valid_from=since)
    make_unit("xa", "Xã Sín Thầu", province, code="03158", valid_from=since)
    make_unit("xa", "Xã Nậm Kè", province, code="03162", valid_from=since)
    return province


def test_official_import_loads_the_current_list_once(app):
    result = run(app, "import-official")
    assert result.exit_code == 0, result.output
    assert "Đã thêm 34 tỉnh, 3.321 xã; 0 thay đổi; 0 không đổi" in result.output
    after_first = counts(app)
    assert after_first == {
        "units": 34 + 3321,
        "unit_closure": 34 + 2 * 3321,
        "audit_log": 34 + 3321 + 1,  # one row per unit, and the import itself
    }
    with app.app_context():
        kinds = dict(db.session.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all())
        assert kinds == {"tinh": 28, "thanh_pho_tw": 6, "xa": 2621, "phuong": 687, "dac_khu": 13}
        dien_bien = unit_named("Tỉnh Điện Biên")
        assert (dien_bien.code, dien_bien.kind, dien_bien.parent_id) == ("11", "tinh", None)
        ha_noi = unit_named("Thành phố Hà Nội")
        assert (ha_noi.code, ha_noi.kind) == ("01", "thanh_pho_tw")
        muong_nhe = db.session.scalars(select(Unit).where(Unit.code == "03160")).one()
        assert (muong_nhe.name, muong_nhe.kind) == ("Xã Mường Nhé", "xa")
        assert muong_nhe.valid_from == date(2025, 7, 1)
        assert [u.name for u in ancestors(muong_nhe.id)] == ["Tỉnh Điện Biên", "Xã Mường Nhé"]
        con_dao = db.session.scalars(select(Unit).where(Unit.name == "Đặc khu Côn Đảo")).one()
        assert con_dao.kind == "dac_khu"
        actors = set(db.session.scalars(select(AuditLog.actor).distinct()))
        assert len(actors) == 1 and actors.pop().startswith("dòng lệnh")
        db.session.remove()

    again = run(app, "import-official")
    assert again.exit_code == 0, again.output
    assert "Đã thêm 0 đơn vị; 0 thay đổi; 3.355 không đổi" in again.output
    assert counts(app) == after_first


def test_official_import_reuses_units_already_there(app, make_unit):
    province = make_unit("tinh", "Điện Biên", code="11")
    district = make_unit("huyen", "Huyện Mường Nhé", province)
    commune = make_unit("xa", "Xã Mường Nhé", district, code="03160")
    uncoded = make_unit("xa", "Xã Sín Thầu", province)
    before = counts(app)

    dry_run = run(app, "import-official", "--dry-run")
    assert dry_run.exit_code == 0, dry_run.output
    assert "Sẽ thêm 33 tỉnh, 3.319 xã; 2 thay đổi; 1 không đổi" in dry_run.output
    assert "Sửa Xã Sín Thầu" in dry_run.output and "mã (trống) → “03158”" in dry_run.output
    assert counts(app) == before

    result = run(app, "import-official")
    assert result.exit_code == 0, result.output
    assert "Đã thêm 33 tỉnh, 3.319 xã; 2 thay đổi; 1 không đổi" in result.output
    assert "Sửa Điện Biên" in result.output
    with app.app_context():
        provinces = db.session.scalars(select(Unit).where(Unit.code == "11")).all()
        assert [(u.id, u.name) for u in provinces] == [(province, "Tỉnh Điện Biên")]
        assert db.session.get(Unit, commune).parent_id == district  # left where it was
        assert db.session.get(Unit, uncoded).code == "03158"
        update = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "update", AuditLog.object_id == province)
        ).one()
        assert (update.before["name"], update.after["name"]) == ("Điện Biên", "Tỉnh Điện Biên")
        db.session.remove()
    before = counts(app)
    again = run(app, "import-official")
    assert "0 thay đổi; 3.355 không đổi" in again.output
    assert counts(app) == before


def test_official_import_stops_on_a_commune_in_another_province(app, make_unit):
    lai_chau = make_unit("tinh", "Tỉnh Lai Châu", code="12")
    make_unit("xa", "Xã Mường Nhé", lai_chau, code="03160")
    before = counts(app)

    result = run(app, "import-official")
    assert result.exit_code == 1
    assert "Xã Mường Nhé" in result.output and "đang thuộc Tỉnh Lai Châu" in result.output
    assert "Tỉnh Điện Biên (mã 11)" in result.output
    assert counts(app) == before


def test_csv_imports_a_legacy_district_with_communes_and_villages(app, dien_bien):
    before = counts(app)
    result = run(app, "import", str(LEGACY), "--parent", "11")
    assert result.exit_code == 0, result.output
    assert "Đã thêm 1 huyện, 3 xã, 5 thôn/tổ dân phố; 0 thay đổi; 0 không đổi" in result.output
    after = counts(app)
    assert after["units"] - before["units"] == 9
    # a district 2 closure rows, a commune 3, a village 4
    assert after["unit_closure"] - before["unit_closure"] == 2 + 3 * 3 + 5 * 4
    assert after["audit_log"] - before["audit_log"] == 9 + 1
    with app.app_context():
        district = unit_named("Huyện Mường Nhé")
        assert (district.parent_id, district.kind, district.code) == (dien_bien, "huyen", "MN")
        assert district.valid_to == date(2025, 6, 30) and district.is_ethnic_minority_area
        village = unit_named("Bản Tá Miếu")
        assert [u.name for u in ancestors(village.id)] == [
            "Tỉnh Điện Biên",
            "Huyện Mường Nhé",
            "Xã Sín Thầu",
            "Bản Tá Miếu",
        ]
        depths = dict(
            db.session.execute(
                select(UnitClosure.ancestor_id, UnitClosure.depth).where(
                    UnitClosure.descendant_id == village.id
                )
            ).all()
        )
        assert depths == {dien_bien: 3, district.id: 2, village.parent_id: 1, village.id: 0}
        assert (village.kind, village.is_ethnic_minority_area, village.valid_to) == (
            "ban",
            True,
            None,
        )
        old_commune = db.session.scalars(select(Unit).where(Unit.code == "MN-MUONGNHE")).one()
        assert old_commune.note == "Xã chỉ đạo điểm, giai đoạn 2024–2026"
        assert old_commune.parent_id == district.id
        assert unit_named("Bản Mường Nhé").valid_from == date(2019, 1, 1)
        db.session.remove()

    again = run(app, "import", str(LEGACY), "--parent", "11")
    assert again.exit_code == 0, again.output
    assert "Đã thêm 0 đơn vị; 0 thay đổi; 9 không đổi" in again.output
    assert counts(app) == after


def test_csv_reimport_of_an_edited_file_changes_only_the_edited_row(app, dien_bien, tmp_path):
    run(app, "import", str(LEGACY), "--parent", "11")
    edited = tmp_path / "edited.csv"
    text = LEGACY.read_text(encoding="utf-8")
    edited.write_text(text.replace("MN-MUONGNHE,,,yes,", "MN-MUONGNHE,,,không,Bản mới tách"))
    before = counts(app)

    result = run(app, "import", str(edited), "--parent", "Tỉnh Điện Biên")
    assert result.exit_code == 0, result.output
    assert "Dòng 9: sửa Bản Nậm Pố 1" in result.output
    assert "vùng đồng bào DTTS có → không; ghi chú (trống) → “Bản mới tách”" in result.output
    assert "Đã thêm 0 đơn vị; 1 thay đổi; 8 không đổi" in result.output
    after = counts(app)
    assert after["units"] == before["units"]
    assert after["audit_log"] - before["audit_log"] == 2  # the update and the import
    with app.app_context():
        village = unit_named("Bản Nậm Pố 1")
        assert (village.is_ethnic_minority_area, village.note) == (False, "Bản mới tách")
        db.session.remove()


def test_csv_dry_run_shows_the_plan_and_writes_nothing(app, dien_bien):
    before = counts(app)
    result = run(app, "import", str(LEGACY), "--parent", "11", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dòng 2: thêm Huyện Mường Nhé thuộc Tỉnh Điện Biên" in result.output
    assert "Dòng 6: thêm Bản Tá Miếu thuộc Xã Sín Thầu (dòng 3)" in result.output
    assert "Sẽ thêm 1 huyện, 3 xã, 5 thôn/tổ dân phố; 0 thay đổi; 0 không đổi" in result.output
    assert "chạy thử: chưa ghi gì" in result.output
    assert counts(app) == before


def test_csv_with_semicolons_bom_and_vietnamese_headers(app, dien_bien):
    with app.app_context():
        nam_ke = unit_named("Xã Nậm Kè").id
        db.session.remove()
    result = run(app, "import", str(SEMICOLON_BOM), "--parent", "Xã Nậm Kè")
    assert result.exit_code == 0, result.output
    assert "Đã thêm 3 thôn/tổ dân phố; 0 thay đổi; 0 không đổi" in result.output
    with app.app_context():
        villages = db.session.scalars(
            select(Unit).where(Unit.parent_id == nam_ke).order_by(Unit.name)
        ).all()
        assert [v.name for v in villages] == ["Bản Huổi Khon", "Bản Nậm Kè 1", "Bản Nậm Kè 2"]
        assert all(v.kind == "ban" and v.is_ethnic_minority_area for v in villages)
        # parent code 3162: Excel dropped the leading zero of 03162
        assert villages[0].valid_from == date(2025, 7, 1)
        assert villages[0].note == "Ghi chú có dấu chấm phẩy; và dấu phẩy, vẫn đọc đúng"
        db.session.remove()
    before = counts(app)
    again = run(app, "import", str(SEMICOLON_BOM), "--parent", f"#{nam_ke}")
    assert "Đã thêm 0 đơn vị; 0 thay đổi; 3 không đổi" in again.output
    assert counts(app) == before


# case: (rows after a good row on line 2, extra arguments, line blamed, reason)
BAD_ROWS = {
    "missing parent": (",Bản Pá Mỳ,bản\n", [], 3, "Thiếu đơn vị cấp trên"),
    "unknown parent code": (
        ",Bản Pá Mỳ,bản,99999\n",
        [],
        3,
        "Không tìm thấy đơn vị cấp trên có mã 99999",
    ),
    "parent row below": (
        ",Bản Pá Mỳ,bản,X9\nX9,Xã Mới,xã,11\n",
        [],
        3,
        "Đơn vị cấp trên (mã X9) ở dòng 4; dòng đó phải đứng trước dòng này",
    ),
    "parent outside --parent": (
        ",Bản Pá Mỳ,bản,03158\n",
        ["--parent", "03160"],
        3,
        "Đơn vị cấp trên Xã Sín Thầu (mã 03158) không thuộc Xã Mường Nhé",
    ),
    "duplicate code in the file": (
        "B1,Bản Một,bản,03160\nB1,Bản Hai,bản,03160\n",
        [],
        4,
        "Mã B1 trùng với mã ở dòng 3",
    ),
    "code of another current unit of the level": (
        "H1,Huyện Mới,huyện,11\n03158,Xã Nậm Vì,xã,H1\n",
        [],
        4,
        "Mã 03158 đã được dùng cho một đơn vị khác cùng cấp: Xã Sín Thầu",
    ),
    "duplicate name": (
        ",Bản Pá Mỳ,bản,03160\n,BẢN PÁ MỲ,Bản,03160\n",
        [],
        4,
        "Trùng tên với dòng 3",
    ),
    "bad kind": (",Bản Pá Mỳ,hợp tác xã,03160\n", [], 3, "Loại đơn vị “hợp tác xã” không hợp lệ"),
    "missing kind": (",Bản Pá Mỳ,,03160\n", [], 3, "Thiếu loại đơn vị"),
    "kind that cannot sit under its parent": (
        ",Huyện Mới,huyện,03160\n",
        [],
        3,
        "Huyện không thể trực thuộc Xã Mường Nhé",
    ),
    "bad date": (
        ",Bản Pá Mỳ,bản,03160,31/02/2024\n",
        [],
        3,
        "Ngày “31/02/2024” ở cột valid_from (hiệu lực từ) không hợp lệ",
    ),
    "end before start": (
        ",Bản Pá Mỳ,bản,03160,01/07/2025,30/06/2025\n",
        [],
        3,
        "Ngày hết hiệu lực (valid_to) trước ngày có hiệu lực (valid_from)",
    ),
    "bad flag": (",Bản Pá Mỳ,bản,03160,,,hình như\n", [], 3, "Giá trị “hình như” ở cột"),
    "empty name": (",,bản,03160\n", [], 3, "Thiếu tên đơn vị"),
    "unquoted comma": (
        ",Bản Pá Mỳ, Bản Nậm Vì,bản,03160,,,có,\n",
        [],
        3,
        "Dòng có nhiều ô hơn dòng tiêu đề",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_csv_with_a_bad_row_imports_nothing(app, dien_bien, tmp_path, case):
    rows, args, line, reason = BAD_ROWS[case]
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + GOOD_ROW + rows, encoding="utf-8")
    before = counts(app)

    result = run(app, "import", str(path), *args)
    assert result.exit_code == 1
    assert f"Dòng {line}: {reason}" in result.output
    assert "chưa nhập dòng nào" in result.output
    assert "Dòng 2:" not in result.output  # the good row is not blamed
    assert counts(app) == before


def test_csv_reports_every_bad_row_at_once(app, dien_bien, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + GOOD_ROW + ",,bản,03160\n,Bản Pá Mỳ,xóm đạo,03160\n" + GOOD_ROW, encoding="utf-8"
    )
    result = run(app, "import", str(path))
    assert result.exit_code == 1
    assert "Dòng 3: Thiếu tên đơn vị" in result.output
    assert "Dòng 4: Loại đơn vị “xóm đạo” không hợp lệ" in result.output
    assert "Dòng 5: Trùng tên với dòng 2" in result.output
    assert "Có 3 dòng lỗi; chưa nhập dòng nào" in result.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("code,name,kind,parent\n,Bản Pá Mỳ,bản,03160\n".encode(), "Cột “parent” không rõ nghĩa"),
        ("code,name\n,Bản Pá Mỳ\n".encode(), "Thiếu cột kind (loại)"),
        ("name,kind\nThôn Hà,thôn\n".encode("latin-1"), "mã UTF-8"),
        (b"", "Tệp không có dữ liệu"),
    ],
)
def test_csv_file_problems_are_explained(app, dien_bien, tmp_path, content, reason):
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    before = counts(app)
    result = run(app, "import", str(path), "--parent", "03160")
    assert result.exit_code == 1
    assert reason in result.output
    assert counts(app) == before


def test_csv_command_refuses_an_unknown_parent_or_file(app, dien_bien, tmp_path):
    result = run(app, "import", str(LEGACY), "--parent", "Tỉnh Không Có")
    assert result.exit_code == 1
    assert "--parent Tỉnh Không Có: Không tìm thấy đơn vị này" in result.output
    result = run(app, "import", str(tmp_path / "missing.csv"))
    assert result.exit_code == 1
    assert "Không đọc được tệp" in result.output
