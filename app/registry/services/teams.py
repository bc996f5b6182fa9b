"""Teams and their legal-professional supporters."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.registry.models import Supporter, Team, TeamSupport
from app.registry.rules import LEGAL_PROFESSIONAL
from app.registry.services import RegistryError
from app.registry.services.compliance import refresh_teams
from app.text import fold, normalize
from app.units.models import Level, Unit
from app.units.services import place


def check_team_unit(unit: Unit) -> None:
    """A team sits in a village (or, where a commune has no villages, the commune itself)."""
    if unit.level not in (Level.VILLAGE, Level.COMMUNE) or unit.valid_to is not None:
        raise RegistryError(
            "Tổ hòa giải phải thuộc một thôn, bản (hoặc xã) đang hoạt động.", "unit"
        )


def create_team(
    *,
    unit: Unit,
    name: str | None = None,
    decision_number: str | None = None,
    decision_date: date | None = None,
    note: str | None = None,
) -> Team:
    """Add a team to a village; its name defaults to "Tổ hòa giải <village>"."""
    check_team_unit(unit)
    name = normalize(name) or f"Tổ hòa giải {unit.name}"
    team = Team(
        name=name,
        name_folded=fold(name),
        decision_number=normalize(decision_number) or None,
        decision_date=decision_date,
        note=note,
    )
    place(team, unit)
    db.session.add(team)
    db.session.flush()
    refresh_teams([team.id])
    return team


def update_team(team: Team, changes: dict) -> Team:
    """Change name, decision, note or dissolution date (only the keys given)."""
    changes = dict(changes)
    if "name" in changes:
        changes["name"] = normalize(changes["name"])
        if not changes["name"]:
            raise RegistryError("Nhập tên tổ hòa giải.", "name")
        changes["name_folded"] = fold(changes["name"])
    if changes.get("dissolved_on") and team.dissolved_on is None and team.active_count:
        raise RegistryError(
            "Tổ còn hòa giải viên đang hoạt động: chuyển tổ hoặc cho thôi làm hòa giải viên "
            "trước khi giải thể.",
            "dissolved_on",
        )
    for key, value in changes.items():
        setattr(team, key, value)
    db.session.flush()
    return team


def create_supporter(*, unit: Unit, full_name: str, background: str, **fields) -> Supporter:
    """Register a legal professional who can support teams."""
    if background not in LEGAL_PROFESSIONAL:
        raise RegistryError("Chọn lĩnh vực pháp lý của người hỗ trợ.", "background")
    full_name = normalize(full_name)
    if not full_name:
        raise RegistryError("Nhập họ và tên.", "full_name")
    supporter = Supporter(
        full_name=full_name, name_folded=fold(full_name), background=background, **fields
    )
    place(supporter, unit)
    db.session.add(supporter)
    db.session.flush()
    return supporter


def attach_supporter(team: Team, supporter: Supporter, start_date: date | None) -> TeamSupport:
    """Link a supporter of the team's commune to an active team (once at a time)."""
    if not team.is_active:
        raise RegistryError("Tổ hòa giải này đã giải thể.", "supporter")
    if supporter.commune_id != team.commune_id:
        raise RegistryError("Người hỗ trợ phải thuộc cùng xã với tổ hòa giải.", "supporter")
    current = db.session.scalar(
        select(TeamSupport).where(
            TeamSupport.team_id == team.id,
            TeamSupport.supporter_id == supporter.id,
            TeamSupport.end_date.is_(None),
        )
    )
    if current is not None:
        raise RegistryError(f"{supporter.full_name} đang hỗ trợ tổ này.", "supporter")
    support = TeamSupport(team_id=team.id, supporter_id=supporter.id, start_date=start_date)
    db.session.add(support)
    db.session.flush()
    refresh_teams([team.id])
    return support


def end_support(support: TeamSupport, end_date: date) -> None:
    """The supporter no longer supports the team from end_date."""
    if support.end_date is not None:
        raise RegistryError("Việc hỗ trợ này đã kết thúc.")
    if support.start_date and end_date < support.start_date:
        raise RegistryError("Ngày kết thúc phải sau ngày bắt đầu.", "end_date")
    support.end_date = end_date
    db.session.flush()
    refresh_teams([support.team_id])
