"""What every printed document of a contest shares (Decree 30/2020 layout): the organiser's
header and date line, and the head judge who signs."""

from dataclasses import dataclass

from app.contests.models import ContestJudge, ContestRound
from app.contests.services.lookups import round_judges
from app.documents import date_line, issuer_lines, short_name
from app.extensions import db
from app.units.models import Unit


@dataclass
class Letterhead:
    """The Decree 30 header of the organiser: issuer lines and the place of the date line."""

    issuer: tuple[str, str]
    place: str
    organiser: Unit

    def dated(self, when) -> str | None:
        return date_line(self.place, when) if when else None


def letterhead(contest) -> Letterhead:
    """The organiser's issuer lines ("UBND HUYỆN …", "PHÒNG TƯ PHÁP") and its short name."""
    unit = db.session.get(Unit, contest.unit_id)
    return Letterhead(issuer=issuer_lines(unit), place=short_name(unit), organiser=unit)


def head_judge(round_: ContestRound) -> ContestJudge | None:
    """The round's head judge, who signs the score table."""
    return next((j for j in round_judges(round_.id) if j.is_head), None)
