"""Authorization-matrix rows of pilots: review, sign-off, reopen, snapshots and the printed
report (see tests/authz.py).

Own targets: checklist2 / citem2 (C2's model criteria, designated by D1 and submitted: D1's
officer and the admin accept, return, sign off); checklist4 and its snapshot4 (C1's model
criteria, signed off: the same offices reopen it; every reader of C1 reads the snapshot);
checklist1 (C1's pilot, open) for the print. Other targets: checklist3 / citem3 (C3's pilot in
province P2, submitted: only the admin reviews it there). P2 has no signed-off checklist in
the world: reopen and a snapshot's page have no "other" row here; tests/pilots/test_signoff.py
signs one off there and checks the refusals. The versions are those of the world (a checklist
designated then submitted; an item filled once: 2).
"""

from tests.authz import Route

READERS = {"admin", "officer", "commune_staff", "viewer"}
OFFICES = {"admin", "officer"}
VERSION = "2"


def _item(action):
    def url(w, target):
        item = w.citem2 if target == "own" else w.citem3
        return f"/pilots/items/{item}/{action}"

    url.__name__ = f"item_{action}"
    return url


def _checklist(action, own="checklist2"):
    def url(w, target):
        checklist = getattr(w, own) if target == "own" else w.checklist3
        return f"/pilots/checklists/{checklist}/{action}"

    url.__name__ = f"checklist_{action}_{own}"
    return url


def snapshot4(w, target):
    return f"/pilots/snapshots/{w.snapshot4}"


def reopen_checklist4(w, target):
    return f"/pilots/checklists/{w.checklist4}/reopen"


def print_checklist4(w, target):
    return f"/pilots/checklists/{w.checklist4}/print"


ROUTES: list = [
    Route(
        "pilots.item_accept",
        "POST",
        _item("accept"),
        OFFICES,
        data=lambda w: {"version": VERSION},
        ok=(303,),
    ),
    Route(
        "pilots.item_return",
        "POST",
        _item("return"),
        OFFICES,
        data=lambda w: {"version": VERSION, "reason": "Bổ sung biên bản có chữ ký."},
        ok=(303,),
    ),
    Route(
        "pilots.checklist_signoff",
        "POST",
        _checklist("signoff"),
        OFFICES,
        data=lambda w: {"version": VERSION},
        ok=(303,),
    ),
    Route(
        "pilots.checklist_reopen",
        "POST",
        reopen_checklist4,
        OFFICES,
        scoped=False,
        data=lambda w: {"version": VERSION, "reason": "Cập nhật số liệu tập huấn."},
        ok=(303,),
    ),
    Route("pilots.snapshot_detail", "GET", snapshot4, READERS, scoped=False),
    Route("pilots.checklist_print", "GET", _checklist("print", own="checklist1"), READERS),
    Route("pilots.checklist_print", "GET", print_checklist4, READERS, scoped=False),
]
