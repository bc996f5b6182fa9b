"""Setting a contest up: the contest and its rules, rounds, parts with criteria and penalty
rules, the prize table, and the status. Rules freeze when judging opens; a change afterwards
needs a reason and writes a ContestAmendment with what changed (old → new).

One module a piece: ``values`` (what the forms give), ``amendments``, ``contests``,
``status``, ``rounds``, ``parts`` (with ``part_checks``), ``prizes`` and ``overview`` (the
contest's page); the rules in words are app/contests/services/words.py, re-exported here
with the rest."""

from app.contests.services.lookups import contest_prizes, contest_rounds, parts_of_rounds
from app.contests.services.setup.amendments import CLOSED, REASON_FIELD, REASON_NEEDED
from app.contests.services.setup.contests import (
    DEFAULT_PRIZES,
    RULE_FIELDS,
    contest_errors,
    create_contest,
    update_contest,
)
from app.contests.services.setup.overview import contest_overview
from app.contests.services.setup.part_checks import part_errors
from app.contests.services.setup.parts import PART_FIELDS, create_part, delete_part, update_part
from app.contests.services.setup.prizes import prize_errors, save_prizes
from app.contests.services.setup.rounds import create_round, open_round, update_round
from app.contests.services.setup.status import (
    TRANSITION_DONE,
    TRANSITIONS,
    change_status,
    next_statuses,
    setup_problems,
)
from app.contests.services.setup.values import (
    CENT,
    MAX_CRITERIA,
    MAX_POINTS,
    MAX_PRIZES,
    MAX_SECONDS,
    MAX_STEP,
    PLACES_RANGE,
    ContestValues,
    CriterionValues,
    PartValues,
    PrizeValues,
    RoundValues,
)
from app.contests.services.words import (
    PLACES_LABELS,
    TIER_HELP,
    composition_words,
    duration_words,
    parse_tier_lines,
    part_penalty_words,
    penalty_words,
    tie_break_words,
    tier_lines,
    tiers_text,
)

__all__ = [
    "CENT",
    "CLOSED",
    "DEFAULT_PRIZES",
    "MAX_CRITERIA",
    "MAX_POINTS",
    "MAX_PRIZES",
    "MAX_SECONDS",
    "MAX_STEP",
    "PART_FIELDS",
    "PLACES_LABELS",
    "PLACES_RANGE",
    "REASON_FIELD",
    "REASON_NEEDED",
    "RULE_FIELDS",
    "TIER_HELP",
    "TRANSITIONS",
    "TRANSITION_DONE",
    "ContestValues",
    "CriterionValues",
    "PartValues",
    "PrizeValues",
    "RoundValues",
    "change_status",
    "composition_words",
    "contest_errors",
    "contest_overview",
    "contest_prizes",
    "contest_rounds",
    "create_contest",
    "create_part",
    "create_round",
    "delete_part",
    "duration_words",
    "next_statuses",
    "open_round",
    "parse_tier_lines",
    "part_errors",
    "part_penalty_words",
    "parts_of_rounds",
    "penalty_words",
    "prize_errors",
    "save_prizes",
    "setup_problems",
    "tie_break_words",
    "tier_lines",
    "tiers_text",
    "update_contest",
    "update_part",
    "update_round",
]
