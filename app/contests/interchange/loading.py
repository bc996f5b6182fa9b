"""Writing a checked plan as a new contest: every record in one flush sequence (the command
commits once, or rolls back); audit rows are written by the listener as for any change."""

from dataclasses import dataclass, field
from typing import Any

from app.clock import utcnow
from app.contests.interchange.checking import check_file
from app.contests.interchange.loading_rounds import add, load_round
from app.contests.models import (
    Contest,
    ContestAmendment,
    ContestAward,
    ContestCertificate,
    ContestEntry,
    ContestEntryMember,
    ContestEntryUnit,
    ContestPrize,
)
from app.extensions import db
from app.text import format_number
from app.units.services import place


@dataclass
class ImportSummary:
    """What an import made, for the command's report."""

    contest: Contest
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report in Vietnamese, one line each."""
        n = {k: format_number(v) for k, v in self.counts.items()}
        c = self.contest
        return [
            f"Đã nhập hội thi #{c.id} “{c.name}” (năm {c.year}, trạng thái: {c.status_label}).",
            f"Vòng thi: {n['rounds']}; đội/cá nhân: {n['entries']} ({n['members']} thành viên, "
            f"{n['linked']} liên kết với sổ hòa giải viên).",
            f"Giám khảo: {n['judges']} ({n['accounts']} liên kết với tài khoản); phiếu chấm: "
            f"{n['sheets']}; điểm trắc nghiệm: {n['secretary']}; điểm trừ: {n['penalties']}; "
            f"quyết định đồng điểm: {n['ties']}; kết quả đã công bố: {n['snapshots']}.",
            *self.notes,
        ]


def import_contest(data: Any) -> ImportSummary:
    """Check a parsed file, then write it as a new contest (flushes; the caller commits).
    Raises ImportRefused, with every problem, before writing anything."""
    return load_plan(check_file(data))


def load_plan(plan: dict) -> ImportSummary:
    """Write a plan made by check_file as a new contest; the CLI actor's audit rows."""
    contest = _contest(plan["contest"])
    summary = ImportSummary(contest, dict.fromkeys(_COUNTS, 0))
    for item in plan["amendments"]:
        db.session.add(ContestAmendment(contest_id=contest.id, **item))
    for position, prize in enumerate(plan["prizes"], start=1):
        prize["model"] = add(
            ContestPrize(
                contest_id=contest.id,
                position=position,
                name=prize["name"],
                kind=prize["kind"],
                count=prize["count"],
            )
        )
    for entry in plan["entries"]:
        _entry(contest, entry, summary)
    for position, round_ in enumerate(plan["rounds"], start=1):
        load_round(contest, position, round_, summary)
    for award in plan["awards"]:
        member = award["member"]
        db.session.add(
            ContestAward(
                contest_id=contest.id,
                prize_id=award["prize"]["model"].id,
                entry_id=award["entry"]["model"].id,
                member_id=member["model"].id if member else None,
                reason=award["reason"],
                at=award["at"] or utcnow(),
            )
        )
    for certificate in plan["certificates"]:
        db.session.add(
            ContestCertificate(
                contest_id=contest.id,
                serial=certificate["serial"],
                entry_id=certificate["entry"]["model"].id,
                prize_name=certificate["prize_name"],
                issued_on=certificate["issued_on"],
                snapshot_id=certificate["snapshot"]["model"].id,
            )
        )
    db.session.flush()
    return summary


_COUNTS = (
    "rounds",
    "entries",
    "members",
    "linked",
    "judges",
    "accounts",
    "sheets",
    "secretary",
    "penalties",
    "ties",
    "snapshots",
)


def _contest(plan: dict) -> Contest:
    contest = Contest(
        name=plan["name"],
        level=plan["level"],
        year=plan["year"],
        rule_document=plan["rule_document"],
        status=plan["status"],
        note=plan["note"],
        entry_kind=plan["entry_kind"],
        official_count=plan["official_count"],
        reserve_min=plan["reserve_min"],
        reserve_max=plan["reserve_max"],
        actor_max=plan["actor_max"],
        every_unit_represented=plan["every_unit_represented"],
        aggregation=plan["aggregation"],
        places=plan["places"],
        rounding=plan["rounding"],
        step=plan["step"],
        outlier_percent=plan["outlier_percent"],
        tie_break=",".join(plan["tie_break"]),
        frozen_at=plan["frozen_at"],
    )
    place(contest, plan["unit"])
    return add(contest)


def _entry(contest: Contest, plan: dict, summary: ImportSummary) -> None:
    entry = ContestEntry(
        contest_id=contest.id, name=plan["name"], status=plan["status"], note=plan["note"]
    )
    place(entry, plan["unit"])
    plan["model"] = add(entry)
    for unit in dict.fromkeys(plan["represents"]):
        db.session.add(ContestEntryUnit(entry_id=entry.id, unit_id=unit.id))
    for position, member in enumerate(plan["members"], start=1):
        member["model"] = ContestEntryMember(
            entry_id=entry.id,
            position=position,
            role=member["role"],
            mediator_id=member["mediator_id"],
            full_name=member["full_name"],
            birth_year=member["birth_year"],
            sex=member["sex"],
            unit_id=member["unit"].id if member["unit"] else None,
        )
        db.session.add(member["model"])
        summary.counts["members"] += 1
        summary.counts["linked"] += member["mediator_id"] is not None
    summary.counts["entries"] += 1
    db.session.flush()
