"""``flask demo``: the demo data of DOMAIN.md §2, into an empty database only.

The data is loaded by the functions of ``DEMO_STEPS``, run in order inside one transaction that
is committed once at the end: a failing step leaves the database as it was. A step takes the
``Demo`` of the run, adds its rows through the area's services (so that closure rows and the
audit log are written as for any other change), reads what earlier steps made from ``demo``
(``demo.units["Xã Mường Nhé"]``, ``demo.users["congchuc"]``), keeps there what later steps may
need, and appends its lines of the Vietnamese summary to ``demo.report``.

To add the demo data of a new feature: write ``load_<things>(demo: Demo) -> None`` (here, or in
the area's own ``demo.py`` imported here), append it to ``DEMO_STEPS`` after the steps it reads
from, add the area's error class to ``DEMO_ERRORS``, and extend ``tests/test_demo.py`` and
``docs/demo.md``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from app.cli import as_cli_actor, fail
from app.commendations.demo import load_commendations
from app.commendations.services import CommendationError
from app.contests.demo import load_contests
from app.contests.services import ContestError
from app.extensions import db
from app.logbook.demo import load_logbook
from app.logbook.services import LogbookError
from app.pilots.demo import load_pilots
from app.pilots.services import PilotError
from app.registry.demo import load_registry
from app.registry.services import RegistryError
from app.units.models import Unit
from app.units.services import UnitError, create_unit, update_unit
from app.users.models import Role, User
from app.users.services import UserError, create_user

# Published in docs/demo.md and printed by the command on purpose: demo accounts only.
DEMO_PASSWORD = "hoagiai-demo-2026"  # noqa: S105

PROVINCE = "Tỉnh Điện Biên"
PROVINCE_CODE = "11"
DISTRICT = "Huyện Mường Nhé"
DISTRICT_NOTE = (
    "Đơn vị cấp huyện cũ (trước 01/7/2025), giữ lại trong dữ liệu mẫu theo Kế hoạch "
    "1399/KH-UBND năm 2024 của UBND huyện Mường Nhé."
)
PILOT_COMMUNE = "Xã Mường Nhé"
PILOT = {"pilot_level": "district", "pilot_start_year": 2024, "pilot_end_year": 2026}

# Villages (bản) per commune: 116 in all, as the district's 116 mediation teams. Many are real
# names of the area; the list is a demo, not an official register (villages have no national
# list and are merged or renamed by provincial resolutions).
VILLAGES: dict[str, tuple[str, ...]] = {
    "Xã Sín Thầu": (
        "Tá Miếu", "A Pa Chải", "Sín Thầu", "Pờ Nhù Khồ", "Tân Ma", "Mò Phìn", "Biên Cương",
        "Lò Ma Ván", "Tả Phìn Chải",
    ),
    "Xã Sen Thượng": (
        "Sen Thượng", "Tả Ló San", "Tả Kố Khừ", "Lò San Chải", "Phìn Khò", "Ló Mé", "Cây Sổ",
        "Mò Sú",
    ),
    "Xã Chung Chải": (
        "Chung Chải", "Nậm Sin", "Ma Ý Phìn 1", "Ma Ý Phìn 2", "Yên Sơn", "Đoàn Kết",
        "Nậm Pắc", "Nậm Khum", "Mò Sô Tùng", "Huổi Cơ Dạo", "Nậm Là", "Cao Sơn",
    ),
    "Xã Leng Su Sìn": (
        "Leng Su Sìn", "Cà Là Pá", "Xì Mà Phìn", "Phìn Ngan Sin", "Sín Chải", "Huổi Khương",
        "Tà Coóng",
    ),
    "Xã Pá Mỳ": (
        "Pá Mỳ 1", "Pá Mỳ 2", "Pá Mỳ 3", "Huổi Phết", "Mỳ Suối", "Nậm Mỳ", "Huổi Dạo",
        "Pá Hốc", "Tàng Phon",
    ),
    "Xã Mường Nhé": (
        "Mường Nhé", "Nậm Cấu", "Co Lót", "Tân Phong", "Nà Pán", "Huổi Cấu", "Nà Sự",
        "Nậm San", "Huổi Lúm", "Nậm Hẹ", "Nậm Nhé", "Pá Có", "Nà Cọ",
    ),
    "Xã Nậm Vì": (
        "Nậm Vì", "Huổi Lụ 1", "Huổi Lụ 2", "Huổi Lụ 3", "Nậm Pố 1", "Nậm Pố 2", "Nậm Pố 3",
        "Trạm Púng", "Huổi Khon", "Vang Hồ",
    ),
    "Xã Nậm Kè": (
        "Nậm Kè", "Nậm Pan 1", "Nậm Pan 2", "Nậm Ngà 1", "Nậm Ngà 2", "Huổi Pinh", "Pá Lùng",
        "Ham Xoong 1", "Ham Xoong 2", "Huổi Lắng", "Nậm Chẩn", "Phiêng Lư",
    ),
    "Xã Mường Toong": (
        "Mường Toong 1", "Mường Toong 2", "Mường Toong 3", "Mường Toong 4", "Mường Toong 5",
        "Mường Toong 6", "Mường Toong 7", "Mường Toong 8", "Mường Toong 9", "Huổi Hốc",
        "Huổi Pết", "Huổi Hẹ", "Nậm Hính", "Huổi Cảnh",
    ),
    "Xã Quảng Lâm": (
        "Quảng Lâm", "Huổi Thanh 1", "Huổi Thanh 2", "Huổi Thanh 3", "Đầu Suối A",
        "Đầu Suối B", "Huổi Đá", "Nà Pẩu", "Pá Pao", "Nậm Piền", "Huổi Sen",
    ),
    "Xã Huổi Lếnh": (
        "Huổi Lếnh", "Huổi Tang", "Nà Cài", "Sam Lang", "Pá Đông", "Nậm Tè", "Huổi Sang",
        "Phiêng Pẳn", "Huổi Lạ", "Co Sản", "Nậm Lụ",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit: str
    position: str


DEMO_USERS = (
    DemoUser("admin", "Quản trị hệ thống", Role.ADMIN, PROVINCE, "Quản trị hệ thống"),
    DemoUser("canbo", "Lò Văn Thanh", Role.OFFICER, DISTRICT, "Cán bộ Phòng Tư pháp huyện"),
    DemoUser(
        "congchuc", "Sùng Thị Mai", Role.COMMUNE_STAFF, PILOT_COMMUNE,
        "Công chức Tư pháp - Hộ tịch xã",
    ),
    DemoUser("giamkhao", "Nguyễn Văn Đức", Role.JUDGE, DISTRICT, "Thành viên Ban Giám khảo"),
    DemoUser("xembaocao", "Trần Thị Thu Hà", Role.VIEWER, DISTRICT, "Xem báo cáo"),
)  # fmt: skip


@dataclass
class Demo:
    """What the steps of one run have made so far, by name, and the summary to print."""

    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


def load_units(demo: Demo) -> None:
    """The province, the legacy district, its 11 communes and their villages; one pilot."""
    province = create_unit(parent=None, kind="tinh", name=PROVINCE, code=PROVINCE_CODE)
    district = create_unit(
        parent=province,
        kind="huyen",
        name=DISTRICT,
        is_ethnic_minority_area=True,
        note=DISTRICT_NOTE,
    )
    demo.units.update({province.name: province, district.name: district})
    villages = 0
    for commune_name, village_names in VILLAGES.items():
        commune = create_unit(
            parent=district, kind="xa", name=commune_name, is_ethnic_minority_area=True
        )
        demo.units[commune.name] = commune
        for village_name in village_names:
            # Flagged as well: the team rule must hold whether it reads the village's own
            # flag or its commune's.
            village = create_unit(
                parent=commune,
                kind="ban",
                name=f"Bản {village_name}",
                is_ethnic_minority_area=True,
            )
            demo.units[village.name] = village
            villages += 1
    update_unit(demo.units[PILOT_COMMUNE], dict(PILOT))
    demo.report += [
        f"Đơn vị hành chính: {len(demo.units)} ({PROVINCE}, {DISTRICT}, {len(VILLAGES)} xã, "
        f"{villages} bản).",
        f"Xã chỉ đạo điểm: {PILOT_COMMUNE} (cấp huyện, "
        f"{PILOT['pilot_start_year']}–{PILOT['pilot_end_year']}).",
    ]


def load_users(demo: Demo) -> None:
    """One account of each role, with the shared demo password and no forced change."""
    for spec in DEMO_USERS:
        demo.users[spec.username] = create_user(
            username=spec.username,
            full_name=spec.full_name,
            role=spec.role,
            unit=demo.units[spec.unit],
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
    width = max(len(spec.username) for spec in DEMO_USERS)
    demo.report.append(f"Tài khoản: {len(DEMO_USERS)}, mật khẩu chung: {DEMO_PASSWORD}")
    demo.report += [f"  {spec.username.ljust(width)}  {_who(spec)}" for spec in DEMO_USERS]


def _who(spec: DemoUser) -> str:
    """A login as the summary shows it: position — unit (full name)."""
    name = "" if spec.full_name == spec.position else f" ({spec.full_name})"
    return f"{spec.position} — {spec.unit}{name}"


DEMO_STEPS: list[Callable[[Demo], None]] = [
    load_units,
    load_users,
    load_registry,
    load_logbook,
    load_contests,
    load_commendations,
    load_pilots,
]
# Errors whose message is for the operator: printed, after a rollback, without a traceback.
DEMO_ERRORS: tuple[type[Exception], ...] = (
    UnitError,
    UserError,
    RegistryError,
    LogbookError,
    ContestError,
    CommendationError,
    PilotError,
)


def existing_rows() -> tuple[int, int]:
    """(units, users) already in the database."""
    units = db.session.scalar(select(func.count()).select_from(Unit))
    users = db.session.scalar(select(func.count()).select_from(User))
    return units, users


@click.command(
    "demo",
    help="Nạp dữ liệu mẫu (huyện Mường Nhé, tỉnh Điện Biên) vào cơ sở dữ liệu trống.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Cơ sở dữ liệu đã có dữ liệu thì bỏ qua, không báo lỗi (dùng trong make run).",
)
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load the demo data into an empty database, all or nothing; for developers."""
    as_cli_actor()
    if current_app.config["APP_ENV"] == "production":
        fail(
            "Không nạp dữ liệu mẫu khi APP_ENV=production: các tài khoản mẫu có mật khẩu công "
            "khai. Dùng “flask users create” để tạo tài khoản quản trị đầu tiên."
        )
    try:
        units, users = existing_rows()
    except (OperationalError, ProgrammingError) as error:
        db.session.rollback()
        fail(f"Không đọc được cơ sở dữ liệu (đã chạy “flask db upgrade” chưa?): {error.orig}")
    if units or users:
        if if_empty:
            click.echo("Cơ sở dữ liệu đã có dữ liệu: bỏ qua bước nạp dữ liệu mẫu.")
            return
        fail(
            f"Cơ sở dữ liệu đã có dữ liệu ({units} đơn vị, {users} tài khoản). Dữ liệu mẫu "
            "chỉ được nạp vào cơ sở dữ liệu trống; không có gì thay đổi."
        )
    demo = Demo()
    try:
        for step in DEMO_STEPS:
            step(demo)
        db.session.commit()
    except DEMO_ERRORS as error:
        db.session.rollback()
        fail(f"Không nạp được dữ liệu mẫu, không có gì thay đổi: {error}")
    except IntegrityError:
        db.session.rollback()
        fail(
            "Không nạp được dữ liệu mẫu vì trùng dữ liệu (có thể một tiến trình khác vừa nạp); "
            "không có gì thay đổi."
        )
    click.echo("Đã nạp dữ liệu mẫu.")
    for line in demo.report:
        click.echo(line)
    click.echo("Lưu ý: mật khẩu trên là công khai, chỉ dùng để thử, không dùng trên hệ thống thật.")
