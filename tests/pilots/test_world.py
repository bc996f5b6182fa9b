"""The pilots part of the test world, and the view of a checklist built from it."""

from datetime import date

from app.extensions import db
from app.pilots.models import Checklist
from app.pilots.services.view import checklist_view


def test_world_checklists_and_their_views(world, ctx):
    c1 = db.session.get(Checklist, world.checklist1)
    view = checklist_view(c1, date(2026, 11, 22))
    assert not view.frozen and len(view.sections) == 4
    row = view.row(world.citem1)
    assert row.display == "Đã hoàn thành" and row.met and row.done
    evidence = view.row(world.citem1_evidence)
    assert evidence.evidence[0]["name"] == "bien-ban-khao-sat-MARKER-C1.pdf"
    assert view.missing, "a half-filled checklist has required items empty"
    computed = [r for r in view.rows if r.computed]
    assert {r.formula for r in computed} >= {"teams_compliant", "mediators_trained"}
    assert all(r.link for r in computed)
    c4 = db.session.get(Checklist, world.checklist4)
    frozen = checklist_view(c4, date(2026, 11, 22))
    assert frozen.frozen and frozen.as_of == date(2026, 6, 30)
    assert all(r.review_status == "accepted" for r in frozen.rows)
