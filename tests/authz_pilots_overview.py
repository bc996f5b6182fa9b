"""Authorization-matrix rows of pilots: the overview, its export, designating a commune and
changing a designation (see tests/authz.py).

The overview and the export are lists of the user's subtree (no "other" target: another
province's checklists simply are not in them; the matrix checks that no marker leaks). The
designation form starts from commune C1 (own) or C3 (province P2, other). A designation names
its commune in the form, so its POST rows are split by target: C2 with the pilot template
(D1's officer and the admin), C3 with the model template (only the admin; C3 has a pilot
checklist already). A change of designation: checklist1 (C1, version 1) for D1's officer and
the admin, checklist3 (P2, version 2: it was submitted) for the admin only.
"""

from tests.authz import Route

READERS = {"admin", "officer", "commune_staff", "viewer"}
OFFICES = {"admin", "officer"}


def overview(w, target):
    return "/pilots/"


def export(w, target):
    return "/pilots/export.xlsx"


def create_for_commune(w, target):
    return f"/pilots/checklists/new?unit={w.c1 if target == 'own' else w.c3}"


def create_own(w, target):
    return "/pilots/checklists/new"


def create_other_province(w, target):
    return "/pilots/checklists/new"


def _designation(w, commune: int, template: int) -> dict:
    return {
        "unit": f"#{commune}",
        "template": str(template),
        "level": "district",
        "starts_on": "01/01/2025",
        "ends_on": "31/12/2026",
        "note": "Chỉ định thử",
    }


def edit_own(w, target):
    return f"/pilots/checklists/{w.checklist1}/edit"


def edit_other_province(w, target):
    return f"/pilots/checklists/{w.checklist3}/edit"


def edit_scoped(w, target):
    return f"/pilots/checklists/{w.checklist1 if target == 'own' else w.checklist3}/edit"


def _change(version: int):
    return lambda w: {
        "version": str(version),
        "level": "province",
        "starts_on": "01/01/2024",
        "ends_on": "31/12/2026",
        "note": "Đổi cấp chỉ đạo điểm",
    }


ROUTES: list = [
    Route("pilots.index", "GET", overview, READERS, scoped=False),
    Route("pilots.export", "GET", export, READERS, scoped=False),
    Route("pilots.checklist_create", "GET", create_for_commune, OFFICES),
    Route(
        "pilots.checklist_create",
        "POST",
        create_own,
        OFFICES,
        scoped=False,
        data=lambda w: _designation(w, w.c2, w.template_pilot),
        ok=(303,),
    ),
    Route(
        "pilots.checklist_create",
        "POST",
        create_other_province,
        {"admin"},
        scoped=False,
        data=lambda w: _designation(w, w.c3, w.template_model),
        ok=(303,),
    ),
    Route("pilots.checklist_edit", "GET", edit_scoped, OFFICES),
    Route(
        "pilots.checklist_edit",
        "POST",
        edit_own,
        OFFICES,
        scoped=False,
        data=_change(1),
        ok=(303,),
    ),
    Route(
        "pilots.checklist_edit",
        "POST",
        edit_other_province,
        {"admin"},
        scoped=False,
        data=_change(2),
        ok=(303,),
    ),
]
