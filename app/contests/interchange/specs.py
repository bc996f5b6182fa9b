"""The fields of every record of the interchange file (docs/contest-format.md): type,
whether required, default, allowed values."""

from decimal import Decimal

from app.contests import rules
from app.contests.interchange import fields as f
from app.contests.models import (
    ENTRY_KIND_LABELS,
    ENTRY_STATUS_LABELS,
    LEVEL_LABELS,
    MEMBER_ROLE_LABELS,
    OUTLIER_DECISION_LABELS,
    PENALTY_KIND_LABELS,
    PRIZE_KIND_LABELS,
    ROUND_KIND_LABELS,
    ROUND_STATUS_LABELS,
    SCORED_BY_LABELS,
    SHEET_STATUS_LABELS,
    STATUS_ORDER,
)

TOP = {
    "format": f.text(required=True),
    "version": f.integer(required=True),
    "exported_at": f.kind("datetime"),
    "units": f.listing(),
    "contest": f.kind("object", required=True),
    "amendments": f.listing(),
    "prizes": f.listing(),
    "entries": f.listing(),
    "rounds": f.listing(),
    "awards": f.listing(),
    "certificates": f.listing(),
}
UNIT = {
    "key": f.ref(required=True),
    "code": f.text(length=20),
    "name": f.text(length=200),
    "path": f.text(length=1000),
}
CONTEST = {
    "name": f.text(required=True, length=300),
    "level": f.text(required=True, choices=LEVEL_LABELS),
    "year": f.integer(required=True, low=1990, high=2100),
    "organiser": f.ref(required=True),
    "rule_document": f.text(length=100),
    "status": f.text(choices=STATUS_ORDER, default="draft"),
    "note": f.text(),
    "entry_kind": f.text(choices=ENTRY_KIND_LABELS, default="team"),
    "official_count": f.integer(low=0, high=20, default=3),
    "reserve_min": f.integer(low=0, high=20, default=1),
    "reserve_max": f.integer(low=0, high=20, default=2),
    "actor_max": f.integer(low=0, high=50, default=5),
    "every_unit_represented": f.kind("bool", default=False),
    "aggregation": f.text(choices=rules.AGGREGATIONS, default="auto"),
    "places": f.integer(low=0, high=2, default=2),
    "rounding": f.text(choices=rules.ROUNDING_MODES, default="half_up"),
    "step": f.decimal(low=Decimal("0.01"), default=Decimal("0.25")),
    "outlier_percent": f.decimal(high=Decimal(100), default=Decimal(20)),
    "tie_break": f.Field("list", default=rules.DEFAULT_TIE_BREAK),
    "frozen_at": f.kind("datetime"),
}
AMENDMENT = {
    "at": f.kind("datetime", required=True),
    "reason": f.text(required=True),
    "changes": f.text(required=True),
}
PRIZE = {
    "key": f.ref(),
    "name": f.text(required=True, length=100),
    "kind": f.text(choices=PRIZE_KIND_LABELS, default="rank"),
    "count": f.integer(low=1, high=100, default=1),
}
ENTRY = {
    "key": f.ref(required=True),
    "name": f.text(required=True, length=200),
    "unit": f.ref(required=True),
    "status": f.text(choices=ENTRY_STATUS_LABELS, default="registered"),
    "note": f.text(),
    "represents": f.listing(),
    "members": f.listing(),
}
MEMBER = {
    "key": f.ref(),
    "role": f.text(required=True, choices=MEMBER_ROLE_LABELS),
    "full_name": f.text(required=True, length=200),
    "birth_year": f.integer(low=1900, high=2100),
    "sex": f.text(choices=("M", "F")),
    "unit": f.ref(),
    "registry": f.kind("object"),
}
REGISTRY = {"unit": f.ref(required=True)}
ROUND = {
    "key": f.ref(),
    "name": f.text(required=True, length=200),
    "kind": f.text(choices=ROUND_KIND_LABELS, default="final"),
    "held_on": f.kind("date"),
    "venue": f.text(length=200),
    "advance_count": f.integer(low=1, high=1000),
    "status": f.text(choices=ROUND_STATUS_LABELS, default="preparing"),
    **{
        name: f.listing()
        for name in (
            "parts",
            "entries",
            "judges",
            "sheets",
            "secretary_marks",
            "penalties",
            "tie_decisions",
            "reopenings",
            "outlier_reviews",
            "snapshots",
        )
    },
}
PART = {
    "key": f.ref(required=True),
    "name": f.text(required=True, length=200),
    "kind": f.text(choices=rules.PART_KINDS, default="other"),
    "max_points": f.decimal(required=True, low=Decimal("0.01")),
    "scored_by": f.text(choices=SCORED_BY_LABELS, default="judges"),
    "time_limit_seconds": f.integer(low=1, high=86400),
    "penalty_kind": f.text(choices=rules.PENALTY_KINDS, default="none"),
    "penalty_points": f.decimal(),
    "penalty_tiers": f.text(length=200),
    "guidance": f.text(),
    "criteria": f.listing(),
}
CRITERION = {
    "key": f.ref(required=True),
    "name": f.text(required=True, length=300),
    "max_points": f.decimal(required=True, low=Decimal("0.01")),
}
ROUND_ENTRY = {
    "entry": f.ref(required=True),
    "order": f.integer(low=1, high=10000),
    "drawn_at": f.kind("datetime"),
}
JUDGE = {
    "key": f.ref(required=True),
    "full_name": f.text(required=True, length=200),
    "title": f.text(length=200),
    "unit": f.ref(),
    "is_head": f.kind("bool", default=False),
    "username": f.text(length=64),
    "declared_at": f.kind("datetime"),
}
SHEET = {
    "key": f.ref(),
    "judge": f.ref(required=True),
    "entry": f.ref(required=True),
    "part": f.ref(required=True),
    "status": f.text(choices=SHEET_STATUS_LABELS, default="draft"),
    "submitted_at": f.kind("datetime"),
    "note": f.text(),
    "marks": f.listing(),
}
MARK = {"criterion": f.ref(), "value": f.decimal(required=True, low=None)}
SECRETARY_MARK = {
    "entry": f.ref(required=True),
    "part": f.ref(required=True),
    "value": f.decimal(required=True, low=None),
    "correct_answers": f.integer(low=0, high=1000),
    "question_count": f.integer(low=1, high=1000),
}
PENALTY = {
    "entry": f.ref(required=True),
    "part": f.ref(),
    "kind": f.text(required=True, choices=PENALTY_KIND_LABELS),
    "used_seconds": f.integer(low=0, high=86400),
    "points": f.decimal(),
    "reason": f.text(),
}
TIE_DECISION = {
    "entries": f.Field("list", required=True),
    "reason": f.text(required=True),
    "at": f.kind("datetime"),
}
REOPENING = {
    "sheet": f.ref(required=True),
    "at": f.kind("datetime"),
    "reason": f.text(required=True),
    "marks_before": f.kind("object", required=True),
    "marks_after": f.kind("object"),
}
REVIEW = {
    "sheet": f.ref(required=True),
    "current": f.kind("bool", default=True),
    "decision": f.text(required=True, choices=OUTLIER_DECISION_LABELS),
    "note": f.text(),
    "at": f.kind("datetime"),
}
SNAPSHOT = {
    "key": f.ref(),
    "number": f.integer(required=True, low=1, high=1000),
    "published_at": f.kind("datetime"),
    "reason": f.text(),
    "data": f.kind("object", required=True),
}
AWARD = {
    "prize": f.ref(required=True),
    "entry": f.ref(required=True),
    "member": f.ref(),
    "reason": f.text(),
    "at": f.kind("datetime"),
}
CERTIFICATE = {
    "serial": f.integer(required=True, low=1, high=1_000_000),
    "entry": f.ref(required=True),
    "prize_name": f.text(required=True, length=100),
    "issued_on": f.kind("date", required=True),
    "snapshot": f.ref(required=True),
}
