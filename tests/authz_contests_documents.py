"""Authorization-matrix rows of the contest: documents, side prizes, certificates and proposals
for commendation (see tests/authz.py).

Own targets: round0 of contest1 (organised by district D1, published in the world: its score
table and minutes are read by everyone who sees the contest) and contest1 itself (its last
round, round1, is still being scored: awarding, issuing certificates and proposing are refused
with 422). Other targets: round3 / contest3 (commune C3 in province P2, nothing published).
The board of contest1 is the admin and the district's officer; the commune's staff and the
viewer read the published documents but print no score sheets and award nothing; judges reach
none of these pages.
"""

from tests.authz import Route

BOARD = {"admin", "officer"}
READERS = {"admin", "officer", "commune_staff", "viewer"}


def _round(path, own="round0"):
    def url(w, target):
        return path.format(id=getattr(w, own if target == "own" else "round3"))

    url.__name__ = f"round_{path.rsplit('/', 1)[-1]}"
    return url


def _contest(path):
    def url(w, target):
        return path.format(id=w.contest1 if target == "own" else w.contest3)

    url.__name__ = f"contest_{path.rsplit('/', 1)[-1]}"
    return url


def sheets_of_one_judge(w, target):
    # The world's judge (seat1) sits on round1's panel: the board prints their sheet alone.
    return f"/contests/rounds/{w.round1}/print/sheets?judge={w.seat1}"


def draft_table(w, target):
    # round1 is not published: the board prints its draft; readers get 404.
    return f"/contests/rounds/{w.round1}/print/table?draft=1"


def minutes_of_unpublished(w, target):
    # Nothing published in round1 (own) nor round3 (other): 404 for everyone, the board too.
    return f"/contests/rounds/{w.round1 if target == 'own' else w.round3}/print/minutes"


def awards_remove(w, target):
    # A removal is a POST to the same page with remove=<award id>.
    return f"/contests/{w.contest1 if target == 'own' else w.contest3}/awards"


def award_form(w):
    # contest1's last round is not published: refused with 422, nothing awarded.
    return {"recipient": f"e{w.contest_entry1}", "reason": "Tiểu phẩm hay"}


ROUTES: list = [
    Route("contests.print_sheets", "GET", _round("/contests/rounds/{id}/print/sheets"), BOARD),
    Route("contests.print_sheets", "GET", sheets_of_one_judge, BOARD, scoped=False),
    Route("contests.print_table", "GET", _round("/contests/rounds/{id}/print/table"), READERS),
    Route("contests.print_table", "GET", draft_table, BOARD, scoped=False),
    Route(
        "contests.print_minutes",
        "GET",
        _round("/contests/rounds/{id}/print/minutes"),
        READERS,
        scoped=False,
    ),
    Route("contests.print_minutes", "GET", minutes_of_unpublished, set()),
    Route("contests.awards", "GET", _contest("/contests/{id}/awards"), BOARD),
    Route(
        "contests.awards",
        "POST",
        _contest("/contests/{id}/awards"),
        BOARD,
        data=award_form,
        ok=(422,),
    ),
    Route(
        "contests.awards",
        "POST",
        awards_remove,
        BOARD,
        data=lambda w: {"remove": "1"},
        ok=(422,),
    ),
    Route("contests.certificates", "GET", _contest("/contests/{id}/certificates"), READERS),
    Route(
        "contests.certificates_issue",
        "POST",
        _contest("/contests/{id}/certificates/issue"),
        BOARD,
        ok=(422,),
    ),
    Route(
        "contests.propose",
        "POST",
        _contest("/contests/{id}/propose"),
        BOARD,
        data=lambda w: {"form": "giay_khen_huyen", "per": "member"},
        ok=(422,),
    ),
    Route("contests.proposals", "GET", _contest("/contests/{id}/proposals"), BOARD),
    Route("contests.proposals", "GET", _contest("/contests/{id}/proposals?format=xlsx"), BOARD),
    Route("contests.proposals", "GET", _contest("/contests/{id}/proposals?format=csv"), BOARD),
]
