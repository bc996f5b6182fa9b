"""Entries of a contest (DOMAIN.md §5): registration from the registry's active mediators under
the contest's composition rules, withdrawal, the running order drawn by lot, and the entries
that go through from a published round to the next one.

``composition`` (the rules of an entry), ``registration``, ``listing`` (the pages' reading)
and ``running_order`` (draw and advance), re-exported here."""

from app.contests.services.entries.composition import (
    MAX_MEMBERS,
    ORDER_ROLES,
    CheckedEntry,
    EntryValues,
    check_entry,
    composition_problems,
)
from app.contests.services.entries.listing import EntryListing, list_entries
from app.contests.services.entries.registration import (
    BOARD_REGISTERS,
    CANDIDATE_LIMIT,
    DUPLICATE_NAME,
    candidates,
    join_first_round,
    may_register,
    register_entry,
    registration_closed,
    unit_choices,
    unit_options,
    update_entry,
    withdraw_entry,
)
from app.contests.services.entries.running_order import (
    Advancement,
    advancement,
    draw_order,
    draw_refusal,
    set_advancing,
)
from app.contests.services.lookups import previous_round

__all__ = [
    "BOARD_REGISTERS",
    "CANDIDATE_LIMIT",
    "DUPLICATE_NAME",
    "MAX_MEMBERS",
    "ORDER_ROLES",
    "Advancement",
    "CheckedEntry",
    "EntryListing",
    "EntryValues",
    "advancement",
    "candidates",
    "check_entry",
    "composition_problems",
    "draw_order",
    "draw_refusal",
    "join_first_round",
    "list_entries",
    "may_register",
    "previous_round",
    "register_entry",
    "registration_closed",
    "set_advancing",
    "unit_choices",
    "unit_options",
    "update_entry",
    "withdraw_entry",
]
