"""The registry's lists as exports see them: for each, its columns, its query (the list page's
filters, scope and order, from queries.py) and how one row becomes cells."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from app.registry.excel.columns import COLUMNS, INFO_HEADERS, SHEET, mediator_cells
from app.registry.models import Mediator, Team, Trainer, Training, TrainingAttendance
from app.registry.queries import (
    MEDIATOR_SORTS,
    TEAM_SORTS,
    TRAINER_SORTS,
    TRAINING_SORTS,
    MediatorFilters,
    TeamFilters,
    TrainerFilters,
    TrainingFilters,
    _search_clauses,
    mediators_stmt,
    teams_stmt,
    trainers_stmt,
    trainings_stmt,
)
from app.registry.rules import (
    ROLE_LABELS,
    SEX_LABELS,
    STATUS_LABELS,
    TRAINER_BACKGROUNDS,
    TRAINING_LEVELS,
    describe_issues,
)
from app.units.models import Unit

Place = aliased(Unit, name="place")
Commune = aliased(Unit, name="commune")


@dataclass(frozen=True)
class ExportKind:
    """One list that can be exported: its columns, its query and how a row becomes cells."""

    name: str
    title: str
    filename: str
    list_endpoint: str
    filters: type
    headers: tuple[tuple[str, int], ...]
    query: Callable[[object, object], Select]
    cells: Callable[[object], list]


def _ordered(stmt: Select, sorts: dict, sort: str, default: str) -> Select:
    keys = sorts.get(sort) or sorts[default]
    return stmt.order_by(*[(c.desc() if d else c.asc()) for c, d in keys])


def _mediators(user, f: MediatorFilters) -> Select:
    stmt = mediators_stmt(user, f)
    if f.q:
        stmt = stmt.where(or_(*_search_clauses(f.q)))
    stmt = stmt.join(Team, Team.id == Mediator.team_id).join(
        Commune, Commune.id == Mediator.commune_id, isouter=True
    )
    stmt = stmt.with_only_columns(
        *[getattr(Mediator, key) for key in _MEDIATOR_FIELDS],
        Team.name.label("team_name"),
        Commune.name.label("commune_name"),
    )
    return _ordered(stmt, MEDIATOR_SORTS, f.sort, "name")


_MEDIATOR_FIELDS = (
    "id",
    "full_name",
    "sex",
    "birth_year",
    "ethnicity_code",
    "phone",
    "occupation",
    "background",
    "education",
    "address",
    "recognition_number",
    "recognised_on",
    "note",
    "role",
    "status",
    "trained_on",
)


def _mediator_cells(row) -> list:
    return [
        *mediator_cells(row, row.team_name),
        row.commune_name,
        ROLE_LABELS.get(row.role, row.role),
        STATUS_LABELS.get(row.status, row.status),
        row.trained_on,
    ]


def _teams(user, f: TeamFilters) -> Select:
    stmt = teams_stmt(user, f)
    stmt = stmt.join(Place, Place.id == Team.unit_id).join(
        Commune, Commune.id == Team.commune_id, isouter=True
    )
    stmt = stmt.with_only_columns(
        Team.id,
        Team.name,
        Team.decision_number,
        Team.decision_date,
        Team.active_count,
        Team.women_count,
        Team.minority_count,
        Team.has_leader,
        Team.ethnic_area,
        Team.issues,
        Team.is_compliant,
        Team.is_supported,
        Team.dissolved_on,
        Team.note,
        Place.name.label("place_name"),
        Commune.name.label("commune_name"),
    )
    return _ordered(stmt, TEAM_SORTS, f.sort, "name")


def _team_cells(row) -> list:
    return [
        row.id,
        row.name,
        row.place_name,
        row.commune_name,
        row.decision_number,
        row.decision_date,
        row.active_count,
        row.women_count,
        row.minority_count,
        row.has_leader,
        row.ethnic_area,
        row.is_compliant,
        "; ".join(describe_issues(row.issues)),
        row.is_supported,
        row.dissolved_on,
        row.note,
    ]


def _trainers(user, f: TrainerFilters) -> Select:
    stmt = trainers_stmt(user, f).join(Place, Place.id == Trainer.unit_id)
    stmt = stmt.with_only_columns(
        Trainer.id,
        Trainer.full_name,
        Trainer.sex,
        Trainer.birth_year,
        Trainer.background,
        Trainer.position,
        Trainer.phone,
        Trainer.materials_received,
        Trainer.active,
        Trainer.trained_on,
        Trainer.note,
        Place.name.label("place_name"),
    )
    return _ordered(stmt, TRAINER_SORTS, f.sort, "name")


def _trainer_cells(row) -> list:
    return [
        row.id,
        row.full_name,
        SEX_LABELS.get(row.sex, ""),
        row.birth_year,
        TRAINER_BACKGROUNDS.get(row.background, row.background),
        row.position,
        row.place_name,
        row.phone,
        row.materials_received,
        row.active,
        row.trained_on,
        row.note,
    ]


def _trainings(user, f: TrainingFilters) -> Select:
    attendees = (
        select(func.count())
        .where(TrainingAttendance.training_id == Training.id)
        .correlate(Training)
        .scalar_subquery()
    )
    stmt = trainings_stmt(user, f).join(Place, Place.id == Training.unit_id)
    stmt = stmt.with_only_columns(
        Training.id,
        Training.title,
        Training.starts_on,
        Training.ends_on,
        Training.level,
        Training.is_framework,
        Training.location,
        Training.materials,
        Training.note,
        Place.name.label("place_name"),
        attendees.label("attendees"),
    )
    return _ordered(stmt, TRAINING_SORTS, f.sort, "-date")


def _training_cells(row) -> list:
    return [
        row.id,
        row.title,
        row.starts_on,
        row.ends_on,
        TRAINING_LEVELS.get(row.level, row.level),
        row.is_framework,
        row.place_name,
        row.location,
        row.materials,
        row.attendees,
        row.note,
    ]


KINDS = {
    "mediators": ExportKind(
        "mediators",
        SHEET,
        "hoa-giai-vien",
        "registry.mediators",
        MediatorFilters,
        (*((c.header, c.width) for c in COLUMNS), *((h, 18) for h in INFO_HEADERS)),
        _mediators,
        _mediator_cells,
    ),
    "teams": ExportKind(
        "teams",
        "Tổ hòa giải",
        "to-hoa-giai",
        "registry.teams",
        TeamFilters,
        (
            ("Mã tổ", 8),
            ("Tên tổ hòa giải", 30),
            ("Thôn, bản, tổ dân phố", 24),
            ("Xã, phường", 22),
            ("Số QĐ thành lập", 16),
            ("Ngày QĐ thành lập", 14),
            ("Số HGV đang hoạt động", 12),
            ("Số HGV nữ", 10),
            ("Số HGV dân tộc thiểu số", 12),
            ("Có tổ trưởng", 10),
            ("Vùng đồng bào DTTS", 10),
            ("Đủ số lượng, thành phần", 12),
            ("Chưa đạt", 40),
            ("Có hỗ trợ pháp lý", 10),
            ("Ngày giải thể", 14),
            ("Ghi chú", 30),
        ),
        _teams,
        _team_cells,
    ),
    "trainers": ExportKind(
        "trainers",
        "Tập huấn viên",
        "tap-huan-vien",
        "registry.trainers",
        TrainerFilters,
        (
            ("Mã", 8),
            ("Họ và tên", 28),
            ("Giới tính", 10),
            ("Năm sinh", 10),
            ("Thành phần", 24),
            ("Chức vụ, nơi công tác", 30),
            ("Đơn vị", 24),
            ("Điện thoại", 14),
            ("Đã nhận tài liệu", 10),
            ("Đang hoạt động", 10),
            ("Ngày được tập huấn", 14),
            ("Ghi chú", 30),
        ),
        _trainers,
        _trainer_cells,
    ),
    "trainings": ExportKind(
        "trainings",
        "Lớp tập huấn",
        "lop-tap-huan",
        "registry.trainings",
        TrainingFilters,
        (
            ("Mã", 8),
            ("Nội dung", 40),
            ("Từ ngày", 12),
            ("Đến ngày", 12),
            ("Cấp tổ chức", 12),
            ("Chương trình khung", 10),
            ("Đơn vị tổ chức", 26),
            ("Địa điểm", 24),
            ("Tài liệu", 30),
            ("Số học viên", 10),
            ("Ghi chú", 30),
        ),
        _trainings,
        _training_cells,
    ),
}
