"""Mediation teams (tổ hòa giải) and the legal professionals who support them."""

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models import Placed, Timestamped, Versioned, folded_text
from app.registry.rules import BACKGROUND_LABELS, describe_issues


class Team(Placed, Timestamped, Versioned, db.Model):
    """A team, normally one per village. Its compliance is recomputed on every change of its
    members (services.compliance.refresh_teams) and kept on the row so lists can filter on it."""

    __tablename__ = "teams"
    __audit_label__ = "Tổ hòa giải"
    # Recomputed columns: their changes follow from changes that are audited already.
    __audit_ignore__ = frozenset(
        {
            "active_count",
            "women_count",
            "minority_count",
            "has_leader",
            "ethnic_area",
            "issues",
            "is_compliant",
            "is_supported",
        }
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False)
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    active_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    women_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    minority_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    has_leader: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    ethnic_area: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    issues: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_compliant: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_supported: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    __table_args__ = (
        Index("ix_teams_name", "name_folded", "id"),
        Index("ix_teams_commune_name", "commune_id", "name_folded", "id"),
        Index("ix_teams_district_name", "district_id", "name_folded", "id"),
        Index("ix_teams_province_name", "province_id", "name_folded", "id"),
    )

    @property
    def issue_labels(self) -> list[str]:
        return describe_issues(self.issues)

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def __str__(self) -> str:
        return self.name


class Supporter(Placed, Timestamped, Versioned, db.Model):
    """A legal professional (lawyer, jurist, assessor, police...) who supports teams."""

    __tablename__ = "supporters"
    __audit_label__ = "Người hỗ trợ pháp lý"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False, index=True)
    background: Mapped[str] = mapped_column(String(30), nullable=False)
    organisation: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)

    @property
    def background_label(self) -> str:
        return BACKGROUND_LABELS.get(self.background, self.background)

    def __str__(self) -> str:
        return self.full_name


class TeamSupport(Timestamped, db.Model):
    """A supporter attached to a team for a period."""

    __tablename__ = "team_supports"
    __audit_label__ = "Hỗ trợ tổ hòa giải"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), nullable=False, index=True)
    supporter_id: Mapped[int] = mapped_column(
        ForeignKey("supporters.id"), nullable=False, index=True
    )
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    def __str__(self) -> str:
        return f"Người hỗ trợ #{self.supporter_id} — tổ #{self.team_id}"
