"""Authorization-matrix rows of the contest: the secretary and the board during judging (see
tests/authz.py).

Own target: round1 of contest1 (organised by D1, judging) and its penalty1; other: round3 of
contest3 (organised by C3 in the second province, registration) and its penalty3. Only the
board (admins, the district officer) reaches these pages: the commune staff and viewers of D1
see the contest but get 403, judges are refused by the policy, the other province gets 404.
Admins posting to round3 are refused by the rules (the contest is not judging): 422.
"""

from tests.authz import Route

BOARD = {"admin", "officer"}


def round_url(path):
    def url(w, target):
        return path.format(id=w.round1 if target == "own" else w.round3)

    url.__name__ = "round_" + "".join(ch if ch.isalnum() else "_" for ch in path)[-30:]
    return url


def penalty_url(w, target):
    return f"/contests/penalties/{w.penalty1 if target == 'own' else w.penalty3}/delete"


def timing_form(w) -> dict:
    return {
        "time-form": "time",
        "time-entry": str(w.contest_entry2),
        "time-part": str(w.part1_skit),
        "time-used": "7:10",
        "time-version": "",
    }


def rule_form(w) -> dict:
    return {
        "rule-form": "rule",
        "rule-entry": str(w.contest_entry1),
        "rule-part": str(w.part1_skit),
        "rule-points": "0,5",
        "rule-reason": "Diễn viên phụ họa đóng vai hòa giải viên",
    }


def marks_form(w) -> dict:
    key = f"m-{w.contest_entry1}-{w.part1_quiz}"
    return {f"{key}-value": "7,5", f"{key}-correct": "15", f"{key}-count": "20"}


ROUTES: list = [
    Route("contests.progress", "GET", round_url("/contests/rounds/{id}/progress"), BOARD),
    Route("contests.penalties", "GET", round_url("/contests/rounds/{id}/penalties"), BOARD),
    Route(
        "contests.penalties",
        "POST",
        round_url("/contests/rounds/{id}/penalties"),
        BOARD,
        data=timing_form,
        ok=(303, 422),
    ),
    Route(
        "contests.penalties",
        "POST",
        round_url("/contests/rounds/{id}/penalties?rule"),
        BOARD,
        data=rule_form,
        ok=(303, 422),
    ),
    Route("contests.penalty_delete", "POST", penalty_url, BOARD, ok=(303, 422)),
    Route("contests.secretary_marks", "GET", round_url("/contests/rounds/{id}/secretary"), BOARD),
    Route(
        "contests.secretary_marks",
        "POST",
        round_url("/contests/rounds/{id}/secretary"),
        BOARD,
        data=marks_form,
        ok=(303, 422),
    ),
]
