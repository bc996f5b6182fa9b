"""Authorization-matrix rows of commendations: decisions (see tests/authz.py).

Own targets: decision1 (issued by district D1 in 2025; its award2 went to mediator2 of
commune C2, so the staff of commune C1 may not read it) and, for a new decision, proposal1b
(team1 of C1, accepted by D1). Other targets: decision3 (province P2). Officers and admins
record, correct and revoke; viewers read. A revocation names its awards in the form, so its
rows are split by target: award2 of decision1, and award3 of decision3 that only the admin
may revoke.
"""

from tests.authz import Route

READERS = {"admin", "officer", "viewer"}
OFFICES = {"admin", "officer"}


def _decision(action=""):
    def url(w, target):
        decision = w.decision1 if target == "own" else w.decision3
        return f"/commendations/decisions/{decision}" + (f"/{action}" if action else "")

    url.__name__ = f"decision_{action or 'detail'}"
    return url


def new_decision(w, target):
    return "/commendations/decisions/new?form=giay_khen_huyen"


def new_decision_post(w, target):
    return "/commendations/decisions/new"


def decision_form(w):
    return {
        "form": "giay_khen_huyen",
        "unit": str(w.d1),
        "proposals": [str(w.proposal1b)],
        "number": "20/QĐ-UBND",
        "signed_on": "15/01/2026",
        "issuer_name": "Ủy ban nhân dân huyện Beta",
        "signer_title": "Chủ tịch",
        "signer_name": "Lò Văn Thanh",
        "achievement": "Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm 2025",
        "amount_vnd": "500000",
    }


def correction_form(w):
    return {
        "number": "16/QĐ-UBND",
        "signed_on": "20/12/2025",
        "issuer_name": "Ủy ban nhân dân huyện Beta",
        "signer_title": "Phó Chủ tịch",
        "signer_name": "Quàng Văn Ươi",
        "achievement": "Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm 2025",
        "amount_vnd": "700000",
        "version": "1",
    }


def revoke_own(w, target):
    return f"/commendations/decisions/{w.decision1}/revoke"


def revoke_other_province(w, target):
    return f"/commendations/decisions/{w.decision3}/revoke"


def revocation_form(award):
    return lambda w: {
        "awards": [str(getattr(w, award))],
        "number": "45/QĐ-UBND",
        "signed_on": "10/03/2026",
        "signer_name": "Lò Văn Thanh",
        "reason": "Phát hiện vụ việc hòa giải trái pháp luật.",
    }


ROUTES: list = [
    Route("commendations.decision_create", "GET", new_decision, OFFICES, scoped=False),
    Route(
        "commendations.decision_create",
        "POST",
        new_decision_post,
        OFFICES,
        scoped=False,
        data=decision_form,
        ok=(303,),
    ),
    Route("commendations.decision_detail", "GET", _decision(), READERS),
    Route("commendations.decision_edit", "GET", _decision("edit"), OFFICES),
    Route(
        "commendations.decision_edit",
        "POST",
        _decision("edit"),
        OFFICES,
        data=correction_form,
        ok=(303,),
    ),
    Route("commendations.decision_revoke", "GET", _decision("revoke"), OFFICES),
    Route(
        "commendations.decision_revoke",
        "POST",
        revoke_own,
        OFFICES,
        scoped=False,
        data=revocation_form("award2"),
        ok=(303,),
    ),
    Route(
        "commendations.decision_revoke",
        "POST",
        revoke_other_province,
        {"admin"},
        scoped=False,
        data=revocation_form("award3"),
        ok=(303,),
    ),
]
