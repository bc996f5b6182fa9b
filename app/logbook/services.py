"""Keeping the logbook and paying remuneration. Services flush; the route commits."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.clock import today
from app.extensions import db
from app.logbook.counts import count_case, month_of
from app.logbook.models import (
    LogbookEntry,
    LogbookMediator,
    LogbookParty,
    PayRate,
    RemunerationPayment,
)
from app.logbook.money import vnd
from app.logbook.rules import ENDED, MediatorOnCase, Party, check_entry, rate_on
from app.registry.models import Mediator, Team
from app.text import normalize
from app.units.models import Level, Unit

MAX_PAY_RATE = 10_000_000


class LogbookError(ValueError):
    """Rules broken by a save: ``errors`` is a list of (field, message in Vietnamese)."""

    def __init__(self, errors: list[tuple[str, str]] | str, field: str | None = None):
        if isinstance(errors, str):
            errors = [(field or "", errors)]
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors


@dataclass
class EntryValues:
    """What a person types for a case. ``number`` None means "the next number"."""

    received_on: date | None
    content: str | None
    scope: str | None
    result: str | None
    stop_requested: bool = False
    number: int | None = None
    page_number: int | None = None
    started_on: date | None = None
    ended_on: date | None = None
    invited_persons: str | None = None
    agreement: str | None = None
    written_settlement: bool = False
    note: str | None = None
    parties: list[Party] = field(default_factory=list)
    mediator_ids: list[int] = field(default_factory=list)


def next_number(team_id: int, year: int) -> int:
    """The next free number of a team's book for a year (numbers restart each year)."""
    used = db.session.scalar(
        select(func.max(LogbookEntry.number)).where(
            LogbookEntry.team_id == team_id, LogbookEntry.year == year
        )
    )
    return (used or 0) + 1


def mediator_choices(team: Team, entry: LogbookEntry | None = None) -> list[Mediator]:
    """Mediators who may be named on a team's case: those of the team's commune (active, or
    dismissed — the rules check the dates), the team's own first."""
    stmt = select(Mediator).where(Mediator.commune_id == team.commune_id)
    if team.commune_id is None:
        stmt = select(Mediator).where(Mediator.team_id == team.id)
    mediators = list(db.session.scalars(stmt.order_by(Mediator.name_folded, Mediator.id)))
    return sorted(mediators, key=lambda m: (m.team_id != team.id, not m.is_active))


def entry_mediator_ids(entry: LogbookEntry) -> list[int]:
    return list(
        db.session.scalars(
            select(LogbookMediator.mediator_id)
            .where(LogbookMediator.entry_id == entry.id)
            .order_by(LogbookMediator.id)
        )
    )


def entry_parties(entry: LogbookEntry) -> list[LogbookParty]:
    """The parties of a case: personal data, for callers that checked can_read_parties."""
    return list(
        db.session.scalars(
            select(LogbookParty)
            .where(LogbookParty.entry_id == entry.id)
            .order_by(LogbookParty.position)
        )
    )


def _clean(values: EntryValues) -> EntryValues:
    values.content = normalize(values.content) or None
    values.agreement = (values.agreement or "").strip() or None
    values.invited_persons = (values.invited_persons or "").strip() or None
    values.note = (values.note or "").strip() or None
    values.parties = [
        Party(normalize(p.full_name) or "", p.age, normalize(p.address) or None)
        for p in values.parties
        if (p.full_name or "").strip() or (p.address or "").strip() or p.age is not None
    ]
    values.mediator_ids = list(dict.fromkeys(values.mediator_ids))
    return values


def _check(team: Team, values: EntryValues, entry: LogbookEntry | None) -> None:
    mediators = []
    if values.mediator_ids:
        mediators = list(
            db.session.scalars(select(Mediator).where(Mediator.id.in_(values.mediator_ids)))
        )
    errors = check_entry(
        received_on=values.received_on,
        started_on=values.started_on,
        ended_on=values.ended_on,
        result=values.result,
        scope=values.scope,
        agreement=values.agreement,
        content=values.content,
        parties=values.parties,
        mediators=[MediatorOnCase(m.id, m.full_name, m.dismissed_on) for m in mediators],
        today=today(),
    )

    def of_the_commune(m: Mediator) -> bool:
        return m.team_id == team.id if team.commune_id is None else m.commune_id == team.commune_id

    # The same rule as mediator_choices(), on the chosen mediators only (no list loaded).
    if len(mediators) != len(values.mediator_ids) or not all(map(of_the_commune, mediators)):
        errors.append(("mediators", "Chỉ chọn hòa giải viên của xã có tổ hòa giải này."))
    if values.number is not None and values.number < 1:
        errors.append(("number", "Số thứ tự phải là số nguyên dương."))
    if values.page_number is not None and values.page_number < 1:
        errors.append(("page_number", "Số trang phải là số nguyên dương."))
    if values.received_on and values.number:
        errors += _number_taken(team, values.received_on.year, values.number, entry)
    if entry is not None and entry.is_paid and _changes_what_was_paid(entry, values):
        errors.append(
            (
                "result",
                "Vụ việc đã được chi thù lao: hủy đợt chi trả trước khi đổi kết quả "
                "hoặc ngày kết thúc.",
            )
        )
    if errors:
        raise LogbookError(errors)


def _changes_what_was_paid(entry: LogbookEntry, values: EntryValues) -> bool:
    return values.result not in ENDED or values.ended_on != entry.ended_on


def _number_taken(team, year, number, entry) -> list[tuple[str, str]]:
    taken = db.session.scalar(
        select(LogbookEntry).where(
            LogbookEntry.team_id == team.id,
            LogbookEntry.year == year,
            LogbookEntry.number == number,
        )
    )
    if taken is None or (entry is not None and taken.id == entry.id):
        return []
    return [
        (
            "number",
            f"Số {number}/{year} đã dùng trong sổ của tổ này (vụ việc tiếp nhận ngày "
            f"{taken.received_on:%d/%m/%Y}). Số tiếp theo còn trống: "
            f"{next_number(team.id, year)}.",
        )
    ]


def _apply(entry: LogbookEntry, values: EntryValues) -> None:
    year = values.received_on.year
    number = values.number
    if number is None:
        # A case keeps its number within its year; else the next free one (asked before
        # anything of the case changes: the query flushes).
        same_year = entry.number is not None and entry.year == year
        number = entry.number if same_year else next_number(entry.team_id, year)
    entry.year, entry.number = year, number
    for name in (
        "page_number",
        "received_on",
        "started_on",
        "ended_on",
        "invited_persons",
        "content",
        "scope",
        "result",
        "stop_requested",
        "agreement",
        "written_settlement",
        "note",
    ):
        setattr(entry, name, getattr(values, name))
    if entry.result != "failed":
        entry.stop_requested = False
    entry.party_count = len(values.parties)


def create_entry(team: Team, values: EntryValues) -> LogbookEntry:
    """Add a case to a team's book; the number defaults to the next one of its year."""
    values = _clean(values)
    if not team.is_active:
        raise LogbookError("Tổ hòa giải đã giải thể: không thể ghi thêm vụ việc.", "team")
    _check(team, values, None)
    entry = LogbookEntry(
        team_id=team.id,
        unit_id=team.unit_id,
        commune_id=team.commune_id,
        district_id=team.district_id,
        province_id=team.province_id,
    )
    _apply(entry, values)
    db.session.add(entry)
    db.session.flush()
    count_case(entry, entry.received_on, entry.result, +1)
    _sync_parties(entry, values.parties)
    _sync_mediators(entry, values.mediator_ids)
    return entry


def update_entry(entry: LogbookEntry, values: EntryValues) -> LogbookEntry:
    """Correct a case (its parties and mediators too); the route checked the version."""
    values = _clean(values)
    team = db.session.get(Team, entry.team_id)
    _check(team, values, entry)
    counted = (entry.received_on, entry.result)
    _apply(entry, values)
    db.session.flush()
    if (month_of(entry.received_on), entry.result) != (month_of(counted[0]), counted[1]):
        count_case(entry, *counted, -1)
        count_case(entry, entry.received_on, entry.result, +1)
    _sync_parties(entry, values.parties)
    _sync_mediators(entry, values.mediator_ids)
    return entry


def delete_entry(entry: LogbookEntry) -> None:
    """Remove a case entered by mistake (not once its remuneration was paid)."""
    if entry.is_paid:
        raise LogbookError(
            "Vụ việc đã được chi thù lao: hủy đợt chi trả trước khi xóa vụ việc.", "entry"
        )
    for party in entry_parties(entry):
        db.session.delete(party)
    for link in db.session.scalars(
        select(LogbookMediator).where(LogbookMediator.entry_id == entry.id)
    ):
        db.session.delete(link)
    # No relationship tells the unit of work that these rows go before the case.
    db.session.flush()
    count_case(entry, entry.received_on, entry.result, -1)
    db.session.delete(entry)
    db.session.flush()


def _sync_parties(entry: LogbookEntry, parties: list[Party]) -> None:
    """Update parties in place by position: the audit log shows what changed, nothing more."""
    existing = {p.position: p for p in entry_parties(entry)}
    for position, party in enumerate(parties, start=1):
        row = existing.pop(position, None)
        if row is None:
            row = LogbookParty(entry_id=entry.id, position=position)
            db.session.add(row)
        row.full_name, row.age, row.address = party.full_name, party.age, party.address
    for row in existing.values():
        db.session.delete(row)
    db.session.flush()


def _sync_mediators(entry: LogbookEntry, mediator_ids: list[int]) -> None:
    links = {
        link.mediator_id: link
        for link in db.session.scalars(
            select(LogbookMediator).where(LogbookMediator.entry_id == entry.id)
        )
    }
    for mediator_id in mediator_ids:
        if mediator_id not in links:
            db.session.add(LogbookMediator(entry_id=entry.id, mediator_id=mediator_id))
    for mediator_id, link in links.items():
        if mediator_id not in mediator_ids:
            db.session.delete(link)
    db.session.flush()


# Remuneration


def province_of(unit_id: int) -> Unit | None:
    unit = db.session.get(Unit, unit_id)
    while unit is not None and unit.level != Level.PROVINCE:
        unit = db.session.get(Unit, unit.parent_id) if unit.parent_id else None
    return unit


def pay_rates(province_id: int) -> list[PayRate]:
    """A province's rates, newest first."""
    return list(
        db.session.scalars(
            select(PayRate)
            .where(PayRate.province_id == province_id)
            .order_by(PayRate.effective_from.desc())
        )
    )


def _check_rate(province_id, effective_from, amount, rate_id=None) -> None:
    errors = []
    if effective_from is None:
        errors.append(("effective_from", "Nhập ngày bắt đầu áp dụng."))
    if amount is None or not 0 < amount <= MAX_PAY_RATE:
        errors.append(
            (
                "amount",
                f"Mức thù lao phải lớn hơn 0 và không quá {vnd(MAX_PAY_RATE)}.",
            )
        )
    if effective_from is not None:
        clash = db.session.scalar(
            select(PayRate.id).where(
                PayRate.province_id == province_id, PayRate.effective_from == effective_from
            )
        )
        if clash is not None and clash != rate_id:
            errors.append(("effective_from", "Tỉnh đã có một mức thù lao áp dụng từ ngày này."))
    if errors:
        raise LogbookError(errors)


def create_pay_rate(
    province: Unit,
    *,
    effective_from: date | None,
    amount: int | None,
    basis: str | None = None,
    note: str | None = None,
) -> PayRate:
    """Set a province's rate per ended case from a date (earlier cases keep earlier rates)."""
    if province.level != Level.PROVINCE:
        raise LogbookError("Mức thù lao do cấp tỉnh quy định.", "province")
    _check_rate(province.id, effective_from, amount)
    rate = PayRate(
        province_id=province.id,
        effective_from=effective_from,
        amount=amount,
        basis=normalize(basis) or None,
        note=(note or "").strip() or None,
    )
    db.session.add(rate)
    db.session.flush()
    return rate


def update_pay_rate(rate: PayRate, changes: dict) -> PayRate:
    """Correct a rate; cases already paid keep the amount they were paid."""
    effective_from = changes.get("effective_from", rate.effective_from)
    amount = changes.get("amount", rate.amount)
    _check_rate(rate.province_id, effective_from, amount, rate.id)
    rate.effective_from, rate.amount = effective_from, amount
    if "basis" in changes:
        rate.basis = normalize(changes["basis"]) or None
    if "note" in changes:
        rate.note = (changes["note"] or "").strip() or None
    db.session.flush()
    return rate


def unpaid_entries_stmt(team_id: int):
    """A team's ended cases whose remuneration is not paid yet, oldest first."""
    return (
        select(LogbookEntry)
        .where(
            LogbookEntry.team_id == team_id,
            LogbookEntry.payment_id.is_(None),
            LogbookEntry.result.in_(ENDED),
        )
        .order_by(LogbookEntry.ended_on, LogbookEntry.year, LogbookEntry.number)
    )


def pay_entries(
    team: Team,
    entry_ids: list[int],
    *,
    paid_on: date | None,
    voucher: str | None = None,
    note: str | None = None,
) -> RemunerationPayment:
    """Mark a batch of a team's ended, unpaid cases as paid on a date, each at the rate in
    force on the day it ended."""
    if paid_on is None:
        raise LogbookError("Nhập ngày chi trả.", "paid_on")
    if paid_on > today():
        raise LogbookError("Ngày chi trả không thể sau hôm nay.", "paid_on")
    wanted = set(entry_ids)
    entries = list(
        db.session.scalars(unpaid_entries_stmt(team.id).where(LogbookEntry.id.in_(wanted)))
    )
    if not wanted or len(entries) != len(wanted):
        raise LogbookError("Chọn các vụ việc đã kết thúc, chưa chi thù lao của tổ này.", "entries")
    rates = pay_rates(team.province_id) if team.province_id else []
    errors = []
    for entry in entries:
        if entry.ended_on > paid_on:
            errors.append(("paid_on", f"Vụ việc số {entry.reference} kết thúc sau ngày chi trả."))
        rate = rate_on(rates, entry.ended_on)
        entry.paid_amount = rate.amount if rate else None
        if entry.paid_amount is None:
            errors.append(
                (
                    "entries",
                    f"Chưa có mức thù lao áp dụng cho ngày {entry.ended_on:%d/%m/%Y} "
                    f"(vụ việc số {entry.reference}): cấp tỉnh cần nhập mức thù lao.",
                )
            )
    if errors:
        raise LogbookError(errors)
    payment = RemunerationPayment(
        team_id=team.id,
        unit_id=team.unit_id,
        commune_id=team.commune_id,
        district_id=team.district_id,
        province_id=team.province_id,
        paid_on=paid_on,
        case_count=len(entries),
        total_amount=sum(e.paid_amount for e in entries),
        voucher=normalize(voucher) or None,
        note=(note or "").strip() or None,
    )
    db.session.add(payment)
    db.session.flush()
    for entry in entries:
        entry.payment_id = payment.id
    db.session.flush()
    return payment


def cancel_payment(payment: RemunerationPayment) -> None:
    """Undo a payment recorded by mistake: its cases become unpaid again."""
    for entry in db.session.scalars(
        select(LogbookEntry).where(LogbookEntry.payment_id == payment.id)
    ):
        entry.payment_id = None
        entry.paid_amount = None
    db.session.flush()
    db.session.delete(payment)
    db.session.flush()
