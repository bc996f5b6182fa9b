"""Authorization-matrix rows of commendations: documents (see tests/authz.py).

Own targets: decision1 (issued by district D1; its award2 went to mediator2 of commune C2) and
proposal2, the proposal decision1 decided. The commune's staff of C1 reads neither (the
decision is issued above their commune and lists a nominee of C2: 404). Other targets:
decision3 and proposal3b in province P2. proposal1 (mediator1 of C1) has no decision yet: its
certificate is refused with 422 for every reader who sees it, the commune's staff included.
"""

from tests.authz import Route

DECISION_READERS = {"admin", "officer", "viewer"}
READERS = {"admin", "officer", "commune_staff", "viewer"}


def _decision(path):
    def url(w, target):
        return path.format(id=w.decision1 if target == "own" else w.decision3)

    url.__name__ = f"decision_{path.rsplit('/', 1)[-1]}"
    return url


def award_certificate(w, target):
    proposal = w.proposal2 if target == "own" else w.proposal3b
    return f"/commendations/proposals/{proposal}/certificate"


def certificate_without_decision(w, target):
    return f"/commendations/proposals/{w.proposal1}/certificate"


ROUTES: list = [
    Route(
        "commendations.decision_print",
        "GET",
        _decision("/commendations/decisions/{id}/print"),
        DECISION_READERS,
    ),
    Route(
        "commendations.decision_certificates",
        "GET",
        _decision("/commendations/decisions/{id}/certificates"),
        DECISION_READERS,
    ),
    Route("commendations.award_certificate", "GET", award_certificate, DECISION_READERS),
    Route(
        "commendations.award_certificate",
        "GET",
        certificate_without_decision,
        READERS,
        scoped=False,
        ok=(422,),
    ),
]
