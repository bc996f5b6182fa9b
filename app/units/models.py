"""Administrative units: a typed tree with history (DOMAIN.md §2)."""

from datetime import date
from enum import IntEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models import Timestamped, Versioned, folded_text


class Level(IntEnum):
    """Levels of the tree; a child is always of a higher number than its parent."""

    PROVINCE = 1
    DISTRICT = 2
    COMMUNE = 3
    VILLAGE = 4


LEVEL_LABELS = {
    Level.PROVINCE: "Cấp tỉnh",
    Level.DISTRICT: "Cấp huyện",
    Level.COMMUNE: "Cấp xã",
    Level.VILLAGE: "Cấp thôn",
}

# kind -> (level, Vietnamese label). The label is also the usual prefix of the unit's name.
KINDS: dict[str, tuple[Level, str]] = {
    "tinh": (Level.PROVINCE, "Tỉnh"),
    "thanh_pho_tw": (Level.PROVINCE, "Thành phố trực thuộc trung ương"),
    "huyen": (Level.DISTRICT, "Huyện"),
    "quan": (Level.DISTRICT, "Quận"),
    "thi_xa": (Level.DISTRICT, "Thị xã"),
    "thanh_pho_thuoc_tinh": (Level.DISTRICT, "Thành phố thuộc tỉnh"),
    "xa": (Level.COMMUNE, "Xã"),
    "phuong": (Level.COMMUNE, "Phường"),
    "thi_tran": (Level.COMMUNE, "Thị trấn"),
    "dac_khu": (Level.COMMUNE, "Đặc khu"),
    "thon": (Level.VILLAGE, "Thôn"),
    "lang": (Level.VILLAGE, "Làng"),
    "ap": (Level.VILLAGE, "Ấp"),
    "ban": (Level.VILLAGE, "Bản"),
    "buon": (Level.VILLAGE, "Buôn"),
    "phum": (Level.VILLAGE, "Phum"),
    "soc": (Level.VILLAGE, "Sóc"),
    "to_dan_pho": (Level.VILLAGE, "Tổ dân phố"),
    "khu_pho": (Level.VILLAGE, "Khu phố"),
    "khoi_pho": (Level.VILLAGE, "Khối phố"),
    "xom": (Level.VILLAGE, "Xóm"),
    "khom": (Level.VILLAGE, "Khóm"),
    "bon": (Level.VILLAGE, "Bon"),
    "tieu_khu": (Level.VILLAGE, "Tiểu khu"),
}

PILOT_LEVELS = {
    "central": "Trung ương",
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
}


def kinds_of_level(level: Level) -> list[tuple[str, str]]:
    """(kind, label) pairs of one level, for select fields."""
    return [(kind, label) for kind, (lvl, label) in KINDS.items() if lvl == level]


class Unit(Timestamped, Versioned, db.Model):
    """An administrative unit: province, district, commune or village."""

    __tablename__ = "units"
    __audit_label__ = "Đơn vị hành chính"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    level: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_folded: Mapped[str] = mapped_column(folded_text(), nullable=False, index=True)
    code: Mapped[str | None] = mapped_column(String(20), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    is_ethnic_minority_area: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    pilot_level: Mapped[str | None] = mapped_column(String(20))
    pilot_start_year: Mapped[int | None] = mapped_column(Integer)
    pilot_end_year: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

    parent: Mapped["Unit | None"] = relationship(remote_side="Unit.id", lazy="raise")

    __table_args__ = (
        Index("ix_units_parent_id_name_folded", "parent_id", "name_folded", "id"),
        # An official code belongs to one current unit of a level; former units keep theirs.
        Index(
            "uq_units_current_code",
            "level",
            "code",
            unique=True,
            sqlite_where=text("valid_to IS NULL AND code IS NOT NULL"),
            postgresql_where=text("valid_to IS NULL AND code IS NOT NULL"),
        ),
    )

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][1] if self.kind in KINDS else self.kind

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(Level(self.level), "")

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def is_pilot(self) -> bool:
        return self.pilot_level is not None

    @property
    def pilot_label(self) -> str:
        if not self.pilot_level:
            return ""
        period = ""
        if self.pilot_start_year:
            period = f" {self.pilot_start_year}–{self.pilot_end_year or ''}"
        return f"Xã chỉ đạo điểm {PILOT_LEVELS.get(self.pilot_level, '').lower()}{period}"

    def __str__(self) -> str:
        return self.name


class UnitClosure(db.Model):
    """Every (ancestor, descendant) pair of the tree, a unit being its own ancestor at depth 0.

    Subtree scoping is one indexed join on this table, the same on SQLite and PostgreSQL.
    """

    __tablename__ = "unit_closure"
    __audit__ = False

    ancestor_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    descendant_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    depth: Mapped[int] = mapped_column(Integer, nullable=False)


class UnitSuccession(db.Model):
    """A merge, split or rename: the predecessor's history continues in the successor."""

    __tablename__ = "unit_successions"
    __audit_label__ = "Kế thừa đơn vị"

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    effective_date: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(String(500))

    predecessor: Mapped[Unit] = relationship(foreign_keys=[predecessor_id], lazy="raise")
    successor: Mapped[Unit] = relationship(foreign_keys=[successor_id], lazy="raise")
