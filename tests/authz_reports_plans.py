"""Authorization-matrix rows of reports: plans (see tests/authz.py).

Own target: plan1 (province P1's plan: every reader of P1's subtree reads it; only the admin
changes it, the district's officer is refused with 403). Other target: plan3 (P2's plan: only
the admin reaches it). A new plan of D1 is drawn up by the district's officer and the admin.
"""

from tests.authz import UNIT_READERS, Route

OFFICES = {"admin", "officer"}


def plan_list(w, target):
    return "/reports/plans"


def new_plan(w, target):
    return "/reports/plans/new"


def new_plan_of(w, target):
    return f"/reports/plans/new?unit={w.d1 if target == 'own' else w.p2}"


def plan_page(w, target):
    return f"/reports/plans/{w.plan1 if target == 'own' else w.plan3}"


def plan_edit(w, target):
    return f"/reports/plans/{w.plan1 if target == 'own' else w.plan3}/edit"


def plan_data(w, unit=True):
    data = {
        "name": "Kế hoạch của huyện",
        "document": "12/KH-UBND",
        "from_year": "2024",
        "to_year": "2026",
        "six_month_deadline": "10/06",
        "annual_deadline": "10/11",
        "target_teams_supported": "5",
        "version": "1",
    }
    if unit:
        data["unit"] = f"#{w.d1}"
    return data


ROUTES: list = [
    Route("reports.plans", "GET", plan_list, UNIT_READERS, scoped=False),
    Route("reports.plan_create", "GET", new_plan, OFFICES, scoped=False),
    Route("reports.plan_create", "GET", new_plan_of, OFFICES),
    Route(
        "reports.plan_create", "POST", new_plan, OFFICES, scoped=False, data=plan_data, ok=(303,)
    ),
    Route("reports.plan_detail", "GET", plan_page, UNIT_READERS),
    Route("reports.plan_edit", "GET", plan_edit, {"admin"}),
    Route(
        "reports.plan_edit",
        "POST",
        plan_edit,
        {"admin"},
        data=lambda w: plan_data(w, unit=False),
        ok=(303,),
    ),
]
