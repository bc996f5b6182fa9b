"""Authorization-matrix rows of the contest: entries, running order, advancement and the panel
of judges (see tests/authz.py).

Own targets: contest1 (organised by D1, judging), its final round1 (judging) and
contest_entry1, seat1; other: contest3 (organised by C3 in P2, registration), round3
(preparing) and contest_entry3. The board of contest1 is the admin and the D1 officer; the C1
commune staff and the D1 viewer take part (they read); judges see none of these pages.

The world leaves no registration that can succeed (contest1's first round is published, every
mediator of C3 is already entered, both judges of D1 sit on round1, seat1 has a sheet), so
several rows post what passes authorization and is refused by the rules (422, nothing saved);
tests/contests/test_entries.py and test_judges.py carry these actions out for real. Where one
target can succeed, a separate row checks it with 303.
"""

from tests.authz import Route

READERS = {"admin", "officer", "commune_staff", "viewer"}
BOARD = {"admin", "officer"}
ADMIN = {"admin"}


def target_url(path, own, other):
    """A URL on the world's attribute ``own`` (target "own") or ``other``."""

    def url(w, target):
        return path.format(id=getattr(w, own if target == "own" else other))

    url.__name__ = "c_" + "".join(ch if ch.isalnum() else "_" for ch in path)[:40]
    return url


def fixed_url(path, attr, name):
    """A URL on one object of the world, whatever the target (rows with scoped=False)."""

    def url(w, target):
        return path.format(id=getattr(w, attr))

    url.__name__ = name
    return url


contest = target_url("/contests/{id}/entries", "contest1", "contest3")
create = target_url("/contests/{id}/entries/new", "contest1", "contest3")
entry = target_url("/contests/entries/{id}", "contest_entry1", "contest_entry3")
edit = target_url("/contests/entries/{id}/edit", "contest_entry1", "contest_entry3")
withdraw = target_url("/contests/entries/{id}/withdraw", "contest_entry1", "contest_entry3")
draw = target_url("/contests/rounds/{id}/draw", "round1", "round3")
advance = target_url("/contests/rounds/{id}/advance", "round1", "round3")
judges = target_url("/contests/rounds/{id}/judges", "round1", "round3")


def edit_entry1(w) -> dict:
    """contest_entry1 as it is, renamed: valid for entry1 only."""
    return {
        "unit": str(w.v1),
        "name": "Giàng Thị Mai (đã sửa)",
        "member": [str(w.mediator1)],
        "version": "1",
        "save": "1",
    }


ROUTES: list = [
    Route("contests.entries", "GET", contest, READERS),
    Route("contests.entry_create", "GET", create, BOARD),
    # No members: refused by the composition rules (and contest1's first round is published).
    Route(
        "contests.entry_create",
        "POST",
        create,
        BOARD,
        data=lambda w: {"unit": str(w.c1), "save": "1"},
        ok=(422,),
    ),
    Route("contests.entry_detail", "GET", entry, READERS),
    Route("contests.entry_edit", "GET", edit, BOARD),
    Route(
        "contests.entry_edit",
        "POST",
        edit,
        BOARD,
        data=lambda w: {"name": "Không có thành viên", "version": "1", "save": "1"},
        ok=(422,),
    ),
    Route(
        "contests.entry_edit",
        "POST",
        fixed_url("/contests/entries/{id}/edit", "contest_entry1", "entry1_edit_valid"),
        BOARD,
        scoped=False,
        data=edit_entry1,
        ok=(303,),
    ),
    Route(
        "contests.entry_withdraw",
        "POST",
        withdraw,
        BOARD,
        data=lambda w: {"reason": "Đội không tham dự được"},
        ok=(303,),
    ),
    Route("contests.draw", "GET", draw, BOARD),
    # round1 is being judged (no redraw); round3 needs a number for its entry.
    Route("contests.draw", "POST", draw, BOARD, data=lambda w: {"mode": "manual"}, ok=(422,)),
    Route(
        "contests.draw",
        "POST",
        fixed_url("/contests/rounds/{id}/draw", "round3", "round3_draw_auto"),
        ADMIN,
        scoped=False,
        data=lambda w: {"mode": "auto"},
        ok=(303,),
    ),
    Route("contests.advance", "GET", advance, BOARD),
    # Nothing ticked: round1's entries cannot leave a round being judged; round3 is the first.
    Route("contests.advance", "POST", advance, BOARD, ok=(422,)),
    Route(
        "contests.advance",
        "POST",
        fixed_url("/contests/rounds/{id}/advance", "round1", "round1_advance_keep"),
        BOARD,
        scoped=False,
        data=lambda w: {"entries": [str(w.contest_entry1), str(w.contest_entry2)]},
        ok=(303,),
    ),
    Route("contests.judges", "GET", judges, BOARD),
    # The world's judge already sits on round1, and works outside contest3's tree.
    Route(
        "contests.judges",
        "POST",
        judges,
        BOARD,
        data=lambda w: {"action": "add", "user": str(w.users["judge"])},
        ok=(422,),
    ),
    Route(
        "contests.judges",
        "POST",
        fixed_url("/contests/rounds/{id}/judges", "round1", "round1_judges_head"),
        BOARD,
        scoped=False,
        data=lambda w: {"action": "head", "judge_id": str(w.seat1), "version": "1"},
        ok=(303,),
    ),
    # seat1 has a sheet in round1: never removed (no seat exists outside the first province).
    Route(
        "contests.judge_remove",
        "POST",
        fixed_url("/contests/judges/{id}/remove", "seat1", "seat1_remove"),
        BOARD,
        scoped=False,
        ok=(422,),
    ),
]
