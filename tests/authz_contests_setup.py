"""Authorization-matrix rows of the contest: setup (see tests/authz.py).

Own targets are the world's contest1 (organised by D1: the officer is on its board, commune
staff of C1 and viewers read it), its final round1 and that round's intro part; other targets
are contest3 (organised by C3 in the second province), round3 and its intro. contest1 is
frozen and judging, so rule-changing posts carry an amendment reason; contest3 is in
registration, so the same posts work there (for the admin) without one.
"""

from tests.authz import UNIT_EDITORS, UNIT_READERS, Route

BOARD = {"admin", "officer"}  # commune staff of C1 read contest1 but do not run it


def url(path, own=None, other=None):
    """A URL with ``{id}`` filled by the world's attribute ``own`` or ``other``; named after
    the path, so that the matrix's test ids tell the rows apart."""

    def build(w, target):
        if own is None:
            return path
        return path.format(id=getattr(w, own if target == "own" else other))

    build.__name__ = "setup_" + "".join(ch if ch.isalnum() else "_" for ch in path)[:50]
    return build


REASON = {"amendment_reason": "Sửa theo Quyết định 05/QĐ-BTC."}


def contest_form(w):
    return {
        "name": "Hội thi hòa giải viên giỏi (sửa)",
        "level": "district",
        "year": "2026",
        "rule_document": "12/TL-BTC",
        "entry_kind": "individual",
        "official_count": "1",
        "reserve_min": "0",
        "reserve_max": "0",
        "actor_max": "0",
        "aggregation": "mean",
        "places": "2",
        "rounding": "half_up",
        "step": "0,5",
        "outlier_percent": "20",
        "tie_break-0": "skit",
        "tie_break-1": "knowledge",
        "version": "1",
        **REASON,
    }


def new_contest_form(w):
    return {**contest_form(w), "unit": f"#{w.c1}", "level": "commune"}


def prizes_form(w):
    return {
        "rows-0-name": "Giải Nhất",
        "rows-0-kind": "rank",
        "rows-0-count": "1",
        "rows-1-name": "Giải Nhì",
        "rows-1-kind": "rank",
        "rows-1-count": "2",
        "version": "1",
        **REASON,
    }


def round_form(w):
    return {
        "name": "Vòng chung khảo",
        "kind": "final",
        "held_on": "15/10/2026",
        "venue": "Hội trường",
        "version": "1",
        **REASON,
    }


def part_form(w):
    return {
        "name": "Giới thiệu",
        "kind": "intro",
        "max_points": "10",
        "scored_by": "judges",
        "time_limit": "3:00",
        "penalty_kind": "tiered",
        "penalty_tiers": "dưới 1 phút: 0,25\ntừ 1 phút: 0,5",
        "guidance": "Chấm phong cách, nội dung giới thiệu.",
        "version": "1",
        **REASON,
    }


ROUTES: list = [
    Route("contests.index", "GET", url("/contests/"), UNIT_READERS, scoped=False),
    Route(
        "contests.index",
        "GET",
        url("/contests/?year=2026&status=judging"),
        UNIT_READERS,
        scoped=False,
    ),
    Route("contests.create", "GET", url("/contests/new"), UNIT_EDITORS, scoped=False),
    Route(
        "contests.create",
        "POST",
        url("/contests/new"),
        UNIT_EDITORS,
        scoped=False,
        data=new_contest_form,
        ok=(303,),
    ),
    Route("contests.detail", "GET", url("/contests/{id}", "contest1", "contest3"), UNIT_READERS),
    Route("contests.edit", "GET", url("/contests/{id}/edit", "contest1", "contest3"), BOARD),
    Route(
        "contests.edit",
        "POST",
        url("/contests/{id}/edit", "contest1", "contest3"),
        BOARD,
        data=contest_form,
        ok=(303,),
    ),
    # contest1 is judging (nothing to move to here: 422); contest3 moves to judging (303).
    Route(
        "contests.transition",
        "POST",
        url("/contests/{id}/transition", "contest1", "contest3"),
        BOARD,
        data=lambda w: {"to": "judging"},
        ok=(303, 422),
    ),
    Route("contests.prizes", "GET", url("/contests/{id}/prizes", "contest1", "contest3"), BOARD),
    Route(
        "contests.prizes",
        "POST",
        url("/contests/{id}/prizes", "contest1", "contest3"),
        BOARD,
        data=prizes_form,
        ok=(303,),
    ),
    Route(
        "contests.round_create",
        "GET",
        url("/contests/{id}/rounds/new", "contest1", "contest3"),
        BOARD,
    ),
    Route(
        "contests.round_create",
        "POST",
        url("/contests/{id}/rounds/new", "contest1", "contest3"),
        BOARD,
        data=round_form,
        ok=(303,),
    ),
    Route(
        "contests.round_edit", "GET", url("/contests/rounds/{id}/edit", "round1", "round3"), BOARD
    ),
    Route(
        "contests.round_edit",
        "POST",
        url("/contests/rounds/{id}/edit", "round1", "round3"),
        BOARD,
        data=round_form,
        ok=(303,),
    ),
    # round1 is already being scored, round3's contest is not judging yet: both refused (422).
    Route(
        "contests.round_open",
        "POST",
        url("/contests/rounds/{id}/open", "round1", "round3"),
        BOARD,
        ok=(303, 422),
    ),
    Route(
        "contests.part_create",
        "GET",
        url("/contests/rounds/{id}/parts/new", "round1", "round3"),
        BOARD,
    ),
    Route(
        "contests.part_create",
        "POST",
        url("/contests/rounds/{id}/parts/new", "round1", "round3"),
        BOARD,
        data=lambda w: {**part_form(w), "name": "Xử lý tình huống", "kind": "situation"},
        ok=(303,),
    ),
    Route(
        "contests.part_edit",
        "GET",
        url("/contests/parts/{id}/edit", "part1_intro", "part3_intro"),
        BOARD,
    ),
    Route(
        "contests.part_edit",
        "POST",
        url("/contests/parts/{id}/edit", "part1_intro", "part3_intro"),
        BOARD,
        data=part_form,
        ok=(303,),
    ),
    # part1_intro is frozen, part3_intro has a penalty recorded: both refused (422).
    Route(
        "contests.part_delete",
        "POST",
        url("/contests/parts/{id}/delete", "part1_intro", "part3_intro"),
        BOARD,
        ok=(303, 422),
    ),
]
