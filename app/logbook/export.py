"""The list of cases as .xlsx or .csv: the list page's filters, scope and order, every row.

Reports show counts only (DOMAIN.md §4): the parties' names and addresses are never exported,
only how many parties a case has. The registry's export machinery writes the files.
"""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from app.logbook.lists import EntryFilters, entry_list
from app.logbook.models import LogbookEntry, LogbookMediator
from app.logbook.rules import RESULT_LABELS, SCOPE_LABELS
from app.registry.excel.lists import ExportKind
from app.registry.models import Mediator, Team
from app.units.models import Unit

Village = aliased(Unit, name="village")
Commune = aliased(Unit, name="commune")

HEADERS = (
    ("Số thứ tự", 8),
    ("Năm", 8),
    ("Trang sổ", 8),
    ("Ngày tiếp nhận", 14),
    ("Tổ hòa giải", 28),
    ("Thôn, bản, tổ dân phố", 22),
    ("Xã, phường", 22),
    ("Lĩnh vực", 18),
    ("Nội dung chính", 50),
    ("Số bên", 8),
    ("Hòa giải viên", 32),
    ("Người được mời tham gia", 24),
    ("Ngày bắt đầu hòa giải", 14),
    ("Kết quả", 22),
    ("Một bên yêu cầu chấm dứt", 10),
    ("Ngày kết thúc", 14),
    ("Thỏa thuận đạt được hoặc yêu cầu của các bên", 40),
    ("Có văn bản hòa giải thành", 10),
    ("Thù lao đã chi (đồng)", 14),
    ("Ghi chú", 30),
)


def _mediator_names():
    """The names of a case's mediators in one cell (a correlated aggregate, no query per row)."""
    return (
        select(func.aggregate_strings(Mediator.full_name, "; "))
        .join(LogbookMediator, LogbookMediator.mediator_id == Mediator.id)
        .where(LogbookMediator.entry_id == LogbookEntry.id)
        .correlate(LogbookEntry)
        .scalar_subquery()
    )


def _query(user, f: EntryFilters) -> Select:
    stmt = entry_list(user, f).stmt()
    stmt = (
        stmt.join(Team, Team.id == LogbookEntry.team_id)
        .join(Village, Village.id == Team.unit_id)
        .join(Commune, Commune.id == Team.commune_id, isouter=True)
    )
    stmt = stmt.with_only_columns(
        LogbookEntry.number,
        LogbookEntry.year,
        LogbookEntry.page_number,
        LogbookEntry.received_on,
        Team.name.label("team_name"),
        Team.unit_id,
        Team.commune_id,
        Village.name.label("village_name"),
        Commune.name.label("commune_name"),
        LogbookEntry.scope,
        LogbookEntry.content,
        LogbookEntry.party_count,
        _mediator_names().label("mediators"),
        LogbookEntry.invited_persons,
        LogbookEntry.started_on,
        LogbookEntry.result,
        LogbookEntry.stop_requested,
        LogbookEntry.ended_on,
        LogbookEntry.agreement,
        LogbookEntry.written_settlement,
        LogbookEntry.paid_amount,
        LogbookEntry.note,
    )
    return stmt.order_by(LogbookEntry.received_on.desc(), LogbookEntry.id.desc())


def _cells(row) -> list:
    return [
        row.number,
        row.year,
        row.page_number,
        row.received_on,
        row.team_name,
        row.village_name if row.unit_id != row.commune_id else None,
        row.commune_name,
        SCOPE_LABELS.get(row.scope, row.scope),
        row.content,
        row.party_count,
        row.mediators,
        row.invited_persons,
        row.started_on,
        RESULT_LABELS.get(row.result, row.result),
        row.stop_requested,
        row.ended_on,
        row.agreement,
        row.written_settlement,
        row.paid_amount,
        row.note,
    ]


ENTRIES = ExportKind(
    "logbook_entries",
    "Sổ theo dõi hòa giải",
    "so-hoa-giai",
    "logbook.index",
    EntryFilters,
    HEADERS,
    _query,
    _cells,
)
