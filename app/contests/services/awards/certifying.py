"""Certificates (giấy chứng nhận) with their serial numbers, one per prize won, numbered from
the next free serial; issuing again issues nothing twice."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.clock import today
from app.concurrency import lock_row
from app.contests.models import Contest, ContestCertificate, ContestEntry, ContestEntryMember
from app.contests.services.awards.winners import (
    PRIZE_NAME_LENGTH,
    Winner,
    final_snapshot,
    require_final_snapshot,
    side_awards,
    winners,
)
from app.contests.services.lookups import members_of, unit_names
from app.extensions import db


def serial_text(serial: int, year: int) -> str:
    """ "001/GCN-2026": the certificate's number as printed."""
    return f"{serial:03d}/GCN-{year}"


def certificates(contest: Contest) -> list[ContestCertificate]:
    """The contest's issued certificates in serial order."""
    return list(
        db.session.scalars(
            select(ContestCertificate)
            .where(ContestCertificate.contest_id == contest.id)
            .order_by(ContestCertificate.serial)
        )
    )


def pending_certificates(contest: Contest) -> list[Winner]:
    """Winners who have no certificate for their prize yet (none before publishing)."""
    snapshot = final_snapshot(contest)
    if snapshot is None:
        return []
    issued = set(
        db.session.execute(
            select(ContestCertificate.entry_id, ContestCertificate.prize_name).where(
                ContestCertificate.contest_id == contest.id
            )
        ).tuples()
    )
    return [w for w in winners(contest, snapshot) if (w.entry_id, w.prize) not in issued]


def issue_certificates(contest: Contest) -> list[ContestCertificate]:
    """Number a certificate for every prize of the final ranking and every side award that has
    none yet, from the next free serial, dated today (the board). Running it again issues
    nothing for prizes already issued."""
    snapshot = require_final_snapshot(contest)
    lock_row(Contest, contest.id)
    pending = pending_certificates(contest)
    used = db.session.scalar(
        select(func.max(ContestCertificate.serial)).where(
            ContestCertificate.contest_id == contest.id
        )
    )
    made = []
    for serial, winner in enumerate(pending, start=(used or 0) + 1):
        certificate = ContestCertificate(
            contest_id=contest.id,
            serial=serial,
            entry_id=winner.entry_id,
            prize_name=winner.prize[:PRIZE_NAME_LENGTH],
            issued_on=today(),
            snapshot_id=snapshot.id,
        )
        db.session.add(certificate)
        made.append(certificate)
    db.session.flush()
    return made


@dataclass
class PrintedCertificate:
    """An issued certificate with what it prints: the entry, its unit and members, and the
    person a side prize went to."""

    certificate: ContestCertificate
    entry: ContestEntry
    unit: str
    members: list[ContestEntryMember]
    member: ContestEntryMember | None  # the person a side prize went to

    year: int

    @property
    def serial(self) -> str:
        return serial_text(self.certificate.serial, self.year)


def printed_certificates(contest: Contest) -> list[PrintedCertificate]:
    """The issued certificates with what each one prints, in serial order."""
    issued = certificates(contest)
    entries = {
        e.id: e
        for e in db.session.scalars(
            select(ContestEntry).where(ContestEntry.id.in_({c.entry_id for c in issued} or {0}))
        )
    }
    units = unit_names(e.unit_id for e in entries.values())
    members = members_of(entries)
    by_id = {m.id: m for ms in members.values() for m in ms}
    side = {(a.entry_id, p.name): a.member_id for a, p in side_awards(contest)}
    return [
        PrintedCertificate(
            certificate=c,
            entry=entries[c.entry_id],
            unit=units.get(entries[c.entry_id].unit_id, ""),
            members=[m for m in members[c.entry_id] if m.role != "actor"],
            member=by_id.get(side.get((c.entry_id, c.prize_name))),
            year=contest.year,
        )
        for c in issued
    ]
