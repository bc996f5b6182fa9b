"""The running order of a round drawn by lot (or typed as drawn in the hall), and the entries
that go through from the previous round's published ranking."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.contests import bp, permissions
from app.contests.models import ContestRoundEntry
from app.contests.routes import load_round
from app.contests.services import ContestError
from app.contests.services import entries as services
from app.contests.services.lookups import round_entries
from app.extensions import db
from app.forms import parse_id
from app.units.services import units_by_id
from app.users.models import User


@bp.route("/rounds/<int:round_id>/draw", methods=["GET", "POST"], endpoint="draw")
def draw(round_id: int):
    """The running order of a round, drawn here by lot or typed as drawn in the hall, and
    recorded; the board, before the round's judging opens."""
    round_ = load_round(round_id, may=permissions.can_manage)
    if request.method == "GET":
        return _draw_page(round_, [])
    auto = request.form.get("mode") == "auto"
    try:
        services.draw_order(round_, current_user, None if auto else _typed_numbers(round_.id))
    except ContestError as error:
        db.session.rollback()
        return _draw_page(round_, error.errors)
    db.session.commit()
    flash("Đã ghi thứ tự thi " + ("bốc thăm tự động." if auto else "đã bốc."), "success")
    return redirect(url_for("contests.draw", round_id=round_id), 303)


def _draw_page(round_, problems: list[tuple[str, str]]):
    """The running order as recorded, with the numbers typed and why they were refused."""
    rows = round_entries(round_.id)
    drawer = next((r.drawn_by_id for r in rows if r.drawn_by_id), None)
    page = render_template(
        "contests/entries/draw.html",
        round=round_,
        contest=round_.contest,
        rows=rows,
        units=units_by_id(r.entry.unit_id for r in rows),
        refusal=services.draw_refusal(round_),
        errors={name: message for name, message in problems if name},
        general=[message for name, message in problems if not name],
        typed=request.form if request.method == "POST" else {},
        drawn_by=db.session.get(User, drawer) if drawer else None,
    )
    return page, 422 if problems else 200


def _typed_numbers(round_id: int) -> dict[int, int | None]:
    """The numbers typed for each entry of the round (0 for what is not a number)."""
    numbers: dict[int, int | None] = {}
    for row_id in db.session.scalars(
        select(ContestRoundEntry.id).where(ContestRoundEntry.round_id == round_id)
    ):
        raw = (request.form.get(f"order-{row_id}") or "").strip()
        if not raw:
            numbers[row_id] = None
        else:
            numbers[row_id] = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 5 else 0
    return numbers


@bp.route("/rounds/<int:round_id>/advance", methods=["GET", "POST"], endpoint="advance")
def advance(round_id: int):
    """Choose the entries that go through to this round from the previous round's published
    ranking (its advancing entries ticked by default); the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    if request.method == "GET":
        return _advance_page(round_, [])
    chosen = [i for i in map(parse_id, request.form.getlist("entries")) if i]
    try:
        added, removed = services.set_advancing(round_, chosen)
    except ContestError as error:
        db.session.rollback()
        return _advance_page(round_, [message for _, message in error.errors])
    db.session.commit()
    flash(f"Đã thêm {added} và bỏ {removed} đội/thí sinh ở {round_.name}.", "success")
    return redirect(url_for("contests.advance", round_id=round_id), 303)


def _advance_page(round_, problems: list[str]):
    """The previous round's ranking to choose from: what was posted after a refusal; else
    the choice saved, or before one those the ranking lets through."""
    options = services.advancement(round_)
    if request.method == "POST":
        ticked = {i for i in map(parse_id, request.form.getlist("entries")) if i}
    else:
        inside = {r["entry_id"] for r in options.rows if r["in_round"]}
        ticked = inside or {r["entry_id"] for r in options.rows if r["advances"]}
    page = render_template(
        "contests/entries/advance.html",
        round=round_,
        contest=round_.contest,
        options=options,
        ticked=ticked,
        problems=problems,
    )
    return page, 422 if problems else 200
