"""Authorization-matrix rows of the contest: scoring (see tests/authz.py).

Judges only, on their own seat. Own target: the world's judge (seat1) on round1, part1_intro
and contest_entry1, where sheet1 is his draft; other: round3, part3_intro and contest_entry3
of the second province, where he has no seat (404). The head judge's pages: the world's judge
is not the head judge of round1 (403 on round1, on sheet2 and on his own sheet1) and has no
seat on round3 (404); no role of the matrix reaches them (the head judge, giamkhao2, is tested in
tests/contests/test_scoring.py). Every other role is refused by the policy (403).
"""

from tests.authz import Route

JUDGE = {"judge"}
NOBODY: set = set()


def sheet_url(suffix=""):
    def url(w, target):
        part, entry = (
            (w.part1_intro, w.contest_entry1)
            if target == "own"
            else (w.part3_intro, w.contest_entry3)
        )
        return f"/contests/parts/{part}/entries/{entry}/sheet{suffix}"

    url.__name__ = "sheet" + suffix.replace("/", "_")
    return url


def round_url(path):
    def url(w, target):
        return path.format(id=w.round1 if target == "own" else w.round3)

    url.__name__ = "round_" + path.rsplit("/", 1)[-1]
    return url


def head_sheet_url(path):
    def url(w, target):
        return path.format(id=w.sheet2 if target == "own" else w.sheet1)

    url.__name__ = "head_sheet_" + path.rsplit("/", 1)[-1]
    return url


def draft_form(w) -> dict:
    return {"mark_part": "8,5", "note": "Giọng nói rõ ràng", "version": "1"}


ROUTES: list = [
    Route("contests.scoring", "GET", lambda w, t: "/contests/scoring", JUDGE, scoped=False),
    Route("contests.declare", "GET", round_url("/contests/rounds/{id}/declare"), JUDGE),
    Route(
        "contests.declare",
        "POST",
        round_url("/contests/rounds/{id}/declare"),
        JUDGE,
        data=lambda w: {"confirm": "y"},
        ok=(303,),
    ),
    Route("contests.sheet", "GET", sheet_url(), JUDGE),
    Route("contests.sheet", "POST", sheet_url(), JUDGE, data=draft_form, ok=(303,)),
    Route("contests.sheet_submit", "POST", sheet_url("/submit"), JUDGE, data=draft_form, ok=(303,)),
    Route("contests.head", "GET", round_url("/contests/rounds/{id}/head"), NOBODY),
    Route("contests.sheet_reopen", "GET", head_sheet_url("/contests/sheets/{id}/reopen"), NOBODY),
    Route(
        "contests.sheet_reopen",
        "POST",
        head_sheet_url("/contests/sheets/{id}/reopen"),
        NOBODY,
        data=lambda w: {"reason": "Nhập nhầm điểm"},
    ),
    Route(
        "contests.outlier_review",
        "POST",
        head_sheet_url("/contests/sheets/{id}/review"),
        NOBODY,
        data=lambda w: {"decision": "confirmed", "note": "Đã trao đổi"},
    ),
]
