"""Side prizes (giải phụ) chosen by the board for an entry or one of its members, with the
reason, once the last round is published."""

from sqlalchemy import select

from app.commendations.models import CommendationProposal
from app.contests.models import (
    Contest,
    ContestAward,
    ContestCertificate,
    ContestEntry,
    ContestEntryMember,
    ContestPrize,
)
from app.contests.services import ContestError, user_id
from app.contests.services.awards.certifying import serial_text
from app.contests.services.awards.winners import check_awards_open, side_awards
from app.contests.services.lookups import contest_prizes
from app.extensions import db


def side_prizes(contest: Contest) -> list[ContestPrize]:
    """The contest's side prizes in the prize table's order."""
    return contest_prizes(contest.id, "side")


def contest_entries(contest: Contest) -> list[ContestEntry]:
    """The contest's entries still in it, by name (who may receive a side prize)."""
    return list(
        db.session.scalars(
            select(ContestEntry)
            .where(ContestEntry.contest_id == contest.id, ContestEntry.status == "registered")
            .order_by(ContestEntry.name, ContestEntry.id)
        )
    )


def award_side_prize(
    contest: Contest,
    prize_id: int | None,
    entry_id: int | None,
    member_id: int | None,
    reason: str,
    user,
) -> ContestAward:
    """Award a side prize to an entry (or one of its members), with the reason; the board,
    once the last round is published."""
    check_awards_open(contest)
    prize = db.session.get(ContestPrize, prize_id) if prize_id else None
    if prize is None or prize.contest_id != contest.id or prize.kind != "side":
        raise ContestError("Chọn một giải phụ của hội thi.", "prize")
    entry = db.session.get(ContestEntry, entry_id) if entry_id else None
    if entry is None or entry.contest_id != contest.id or entry.status != "registered":
        raise ContestError("Chọn một đội/thí sinh của hội thi.", "recipient")
    if member_id is not None:
        member = db.session.get(ContestEntryMember, member_id)
        if member is None or member.entry_id != entry.id:
            raise ContestError("Thành viên này không thuộc đội/thí sinh đã chọn.", "recipient")
    given = [a for a, p in side_awards(contest) if p.id == prize.id]
    if any(a.entry_id == entry.id for a in given):
        raise ContestError(f"{entry.name} đã được trao giải “{prize.name}”.", "recipient")
    if len(given) >= prize.count:
        raise ContestError(f"Giải “{prize.name}” chỉ có {prize.count} giải và đã trao đủ.", "prize")
    award = ContestAward(
        contest_id=contest.id,
        prize_id=prize.id,
        entry_id=entry.id,
        member_id=member_id,
        reason=reason.strip(),
        by_user_id=user_id(user),
    )
    db.session.add(award)
    db.session.flush()
    return award


def remove_award(contest: Contest, award_id: int | None) -> None:
    """Take back a side award (the board), unless a certificate or a proposal names it."""
    check_awards_open(contest)
    award = db.session.get(ContestAward, award_id) if award_id else None
    if award is None or award.contest_id != contest.id:
        raise ContestError("Không tìm thấy giải phụ này; có thể đã có người xóa.")
    prize = db.session.get(ContestPrize, award.prize_id)
    certificate = db.session.scalar(
        select(ContestCertificate.serial).where(
            ContestCertificate.contest_id == contest.id,
            ContestCertificate.entry_id == award.entry_id,
            ContestCertificate.prize_name == prize.name,
        )
    )
    if certificate is not None:
        raise ContestError(
            f"Đã cấp giấy chứng nhận số {serial_text(certificate, contest.year)} cho giải này: "
            "không xóa được."
        )
    # One proposal per member (or per entry): any of them naming the prize keeps it.
    proposed = db.session.scalars(
        select(CommendationProposal.prize_name).where(
            CommendationProposal.contest_id == contest.id,
            CommendationProposal.contest_entry_id == award.entry_id,
        )
    )
    if any(prize.name in (named or "").split("; ") for named in proposed):
        raise ContestError("Giải này đã được đề nghị khen thưởng: không xóa được.")
    db.session.delete(award)
    db.session.flush()
