"""Authorization-matrix rows of remuneration (pay rates, unpaid cases, payments); see
tests/authz.py.

Own targets: team1 (commune C1), payment1, pay_rate1 and province P1; other targets: team3,
payment3, pay_rate3 and province P2. The world's officer sits at district D1: they read their
province's rates but only an officer of the province itself (or an admin) manages them, so the
rate-managing rows allow admins alone.
"""

from app.clock import today
from tests.authz import UNIT_READERS, Route, unit_url

READERS = UNIT_READERS
KEEPERS = {"officer", "commune_staff"}
RATE_MANAGERS = {"admin"}


def pay_rate_form(w):
    return {"effective_from": "01/07/2025", "amount": "250.000", "basis": "Nghị quyết 9/NQ-HĐND"}


def pay_rate_edit_form(w):
    return {"effective_from": "01/01/2024", "amount": "210 000", "version": "1"}


def pay_form(w):
    # entry1 (team1) ended on 10/03/2025 and is not paid; for the "other" target the route
    # refuses before reading the form.
    return {"entry": str(w.entry1), "paid_on": f"{today():%d/%m/%Y}", "voucher": "PC-99"}


def request_url(w, target):
    team, entry = (w.team1, w.entry1) if target == "own" else (w.team3, w.entry3)
    return f"/logbook/teams/{team}/remuneration/request?entry={entry}"


ROUTES: list = [
    Route("logbook.pay_rates", "GET", lambda w, t: "/logbook/pay-rates/", READERS, scoped=False),
    Route(
        "logbook.pay_rates",
        "GET",
        unit_url("/logbook/pay-rates/?province={id}", "p1", "p2"),
        READERS,
    ),
    Route(
        "logbook.pay_rate_create",
        "GET",
        unit_url("/logbook/pay-rates/new?province={id}", "p1", "p2"),
        RATE_MANAGERS,
    ),
    Route(
        "logbook.pay_rate_create",
        "POST",
        unit_url("/logbook/pay-rates/new?province={id}", "p1", "p2"),
        RATE_MANAGERS,
        data=pay_rate_form,
        ok=(303,),
    ),
    Route(
        "logbook.pay_rate_edit",
        "GET",
        unit_url("/logbook/pay-rates/{id}/edit", "pay_rate1", "pay_rate3"),
        RATE_MANAGERS,
    ),
    Route(
        "logbook.pay_rate_edit",
        "POST",
        unit_url("/logbook/pay-rates/{id}/edit", "pay_rate1", "pay_rate3"),
        RATE_MANAGERS,
        data=pay_rate_edit_form,
        ok=(303,),
    ),
    Route(
        "logbook.remuneration", "GET", lambda w, t: "/logbook/remuneration/", READERS, scoped=False
    ),
    Route("logbook.remuneration", "GET", unit_url("/logbook/remuneration/?unit={id}"), READERS),
    Route(
        "logbook.team_remuneration",
        "GET",
        unit_url("/logbook/teams/{id}/remuneration", "team1", "team3"),
        READERS,
    ),
    Route("logbook.payment_request", "GET", request_url, READERS),
    Route(
        "logbook.pay",
        "POST",
        unit_url("/logbook/teams/{id}/remuneration/pay", "team1", "team3"),
        KEEPERS,
        data=pay_form,
        ok=(303,),
    ),
    Route(
        "logbook.payment_detail",
        "GET",
        unit_url("/logbook/payments/{id}", "payment1", "payment3"),
        READERS,
    ),
    Route(
        "logbook.payment_cancel",
        "POST",
        unit_url("/logbook/payments/{id}/cancel", "payment1", "payment3"),
        KEEPERS,
        data=lambda w: {"confirm": "y"},
        ok=(303,),
    ),
]
