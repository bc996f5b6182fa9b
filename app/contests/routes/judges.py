"""Contest routes: the panel of judges of a round (Ban Giám khảo). The board appoints judges,
names the head judge, sees each judge's conflicts of interest and declarations, and removes a
judge who has not scored yet. The panel is one fragment (#judge-panel) that every action
returns to htmx; a plain form gets a redirect (or the page with the error)."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app.concurrency import check_version, run_form
from app.contests import bp, permissions
from app.contests.forms.entries import JudgeForm, SeatForm
from app.contests.models import ContestJudge
from app.contests.routes import load_round
from app.contests.services import ContestError
from app.contests.services import judges as services
from app.extensions import db
from app.forms import parse_id
from app.htmx import is_htmx, render_page_or_fragment


@bp.route("/rounds/<int:round_id>/judges", methods=["GET", "POST"], endpoint="judges")
def judges(round_id: int):
    """The round's panel with conflicts and declarations; appoint a judge (action "add"), or
    change one ("update", "head"); the board, until the round's results are published."""
    round_ = load_round(round_id, may=permissions.can_manage)
    form, seat_forms, status = JudgeForm(), {}, 200
    if request.method == "POST":
        action = request.form.get("action", "add")
        if action == "add":
            _, status = run_form(form, lambda: _add(round_, form))
        else:
            seat = _seat_of(round_, request.form.get("judge_id"))
            seat_form = seat_forms[seat.id] = SeatForm()
            _, status = run_form(
                seat_form, lambda: _change(round_, seat, seat_form, head_only=action == "head")
            )
            form = JudgeForm(formdata=None)
        if status is None:
            if not is_htmx():
                return redirect(url_for("contests.judges", round_id=round_id), 303)
            form, seat_forms, status = JudgeForm(formdata=None), {}, 200
    return _panel_page(round_, form, seat_forms, status)


@bp.post("/judges/<int:judge_id>/remove", endpoint="judge_remove")
def judge_remove(judge_id: int):
    """Take a judge off a round's panel, refused once they have a sheet in it; the board."""
    seat = db.session.get(ContestJudge, judge_id)
    if seat is None:
        abort(404)
    round_ = load_round(seat.round_id, may=permissions.can_manage)
    name = seat.full_name
    try:
        services.remove_judge(seat, round_)
    except ContestError as error:
        db.session.rollback()
        form = JudgeForm(formdata=None)
        form.form_errors.append(str(error))
        return _panel_page(round_, form, {}, 422)
    db.session.commit()
    if is_htmx():
        return _panel_page(round_, JudgeForm(formdata=None), {}, 200, removed=name)
    flash(f"Đã bỏ {name} khỏi Ban Giám khảo.", "success")
    return redirect(url_for("contests.judges", round_id=round_.id), 303)


def _add(round_, form: JudgeForm) -> ContestJudge:
    """Appoint the judge chosen in the form."""
    return services.add_judge(
        round_,
        parse_id(form.user.data),
        form.title.data or "",
        bool(form.is_head.data),
        form.position.data,
    )


def _change(round_, seat: ContestJudge, form: SeatForm, head_only: bool) -> ContestJudge:
    """Change a judge of the panel as the form says, from the version it was loaded with."""
    check_version(seat, form.version.data)
    if head_only:
        return services.make_head(seat, round_)
    return services.update_judge(
        seat, round_, form.title.data or "", bool(form.is_head.data), form.position.data
    )


def _seat_of(round_, raw) -> ContestJudge:
    seat = db.session.get(ContestJudge, parse_id(raw)) if parse_id(raw) else None
    if seat is None or seat.round_id != round_.id:
        abort(404)
    return seat


def _panel_page(round_, form: JudgeForm, seat_forms: dict, status: int, removed=None):
    """The judges page, or the panel alone for htmx."""
    rows = services.panel(round_)
    for row in rows:
        if row.seat.id not in seat_forms:
            seat_form = SeatForm(formdata=None)
            seat_form.title.data = row.seat.title
            seat_form.position.data = row.seat.position
            seat_form.is_head.data = row.seat.is_head
            seat_form.version.data = row.seat.version
            seat_forms[row.seat.id] = seat_form
    eligible = services.eligible_judges(round_)
    form.user.choices = [("", "— Chọn tài khoản giám khảo —")] + [
        (str(u.id), u.full_name) for u in eligible
    ]
    return render_page_or_fragment(
        "contests/judges/index.html",
        "contests/judges/_panel.html",
        status=status,
        round=round_,
        contest=round_.contest,
        rows=rows,
        form=form,
        seat_forms=seat_forms,
        eligible=eligible,
        locked=round_.status == "published",
        removed=removed,
        user=current_user,
    )
