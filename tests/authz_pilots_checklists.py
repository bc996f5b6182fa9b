"""Authorization-matrix rows of pilots: the checklist page, filling in, evidence (see
tests/authz.py).

Own targets: checklist1 (C1's pilot, open): citem1 (its check item, done), citem1_evidence
(its first evidence item, with file1). The commune's staff fill it in; officers, admins and
viewers read it. Other targets: checklist3 (C3 in province P2, submitted), citem3 and file3.
The item's save posts what it holds already (nothing to lose, so no version to match); the
submission is refused with 422 (required items empty), nothing changed.
"""

from io import BytesIO

from tests.authz import Route
from tests.pilots.factories import PDF

READERS = {"admin", "officer", "commune_staff", "viewer"}
FILLERS = {"commune_staff"}


def _checklist(suffix=""):
    def url(w, target):
        checklist = w.checklist1 if target == "own" else w.checklist3
        return f"/pilots/checklists/{checklist}{suffix}"

    url.__name__ = f"checklist{suffix.replace('/', '_') or '_detail'}"
    return url


def _item(suffix="", evidence=False):
    def url(w, target):
        own = w.citem1_evidence if evidence else w.citem1
        item = own if target == "own" else w.citem3
        return f"/pilots/items/{item}{suffix}"

    url.__name__ = f"item{suffix.replace('/', '_') or '_save'}"
    return url


def file_url(w, target):
    if target == "own":
        return f"/pilots/checklists/{w.checklist1}/files/{w.file1}"
    return f"/pilots/checklists/{w.checklist3}/files/{w.file3}"


def remove_url(w, target):
    if target == "own":
        return f"/pilots/items/{w.citem1_evidence}/evidence/{w.file1}/delete"
    return f"/pilots/items/{w.citem3}/evidence/{w.file3}/delete"


def attach_data(w):
    return {"file_id": str(w.file1)}


ROUTES: list = [
    Route("pilots.checklist_detail", "GET", _checklist(), READERS),
    Route("pilots.item_save", "GET", _item(), FILLERS),
    Route(
        "pilots.item_save",
        "POST",
        _item(),
        FILLERS,
        data=lambda w: {"progress": "done", "value": "1", "version": "1"},
        ok=(303,),
    ),
    Route(
        "pilots.checklist_submit",
        "POST",
        _checklist("/submit"),
        FILLERS,
        data=lambda w: {"version": "1"},
        ok=(422,),
    ),
    Route(
        "pilots.evidence_upload",
        "POST",
        _item("/evidence", evidence=True),
        FILLERS,
        data=lambda w: {"file": (BytesIO(PDF), "bien-ban.pdf")},
        ok=(303,),
    ),
    Route(
        "pilots.evidence_attach",
        "POST",
        _item("/evidence/attach"),
        FILLERS,
        data=attach_data,
        ok=(303,),
    ),
    Route("pilots.evidence_remove", "POST", remove_url, FILLERS, ok=(303,)),
    Route("pilots.evidence_download", "GET", file_url, READERS),
]
