"""The secretary and the board during judging (DOMAIN.md §5): the live progress matrix of a
round, timings and penalties, and the multiple-choice results. All of it is the board's
(permissions.can_manage): judges and the participating units never reach it."""

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from app.clock import utcnow
from app.concurrency import StaleEdit, run_form
from app.contests import bp, permissions
from app.contests.forms.secretary import RulePenaltyForm, SecretaryMarksForm, TimingForm
from app.contests.models import ContestPenalty, ContestRound
from app.contests.routes import load_round
from app.contests.rules import format_mark
from app.contests.services import ContestError
from app.contests.services import secretary as service
from app.contests.services.lookups import round_entries, round_parts
from app.contests.services.words import format_duration, part_penalty_clause, print_points
from app.extensions import db
from app.htmx import is_htmx, render_page_or_fragment

POLL_SECONDS = 10


@bp.get("/rounds/<int:round_id>/progress", endpoint="progress")
def progress(round_id: int):
    """The live matrix of a round: every sheet's state, what is missing per judge and per
    entry, penalties and outliers; the board. htmx polls it for the fragment."""
    round_ = load_round(round_id, may=permissions.can_manage)
    return render_page_or_fragment(
        "contests/secretary/progress.html",
        "contests/secretary/_progress.html",
        round=round_,
        contest=round_.contest,
        progress=service.round_progress(round_),
        polling=round_.status == "judging",
        poll_seconds=POLL_SECONDS,
        updated_at=utcnow(),
    )


# Timings and penalties


def _penalty_forms(round_: ContestRound, entries, parts, formdata=None):
    """The timing and the rule-penalty forms with the round's entries and parts to choose."""
    timing = TimingForm(formdata=formdata)
    rule = RulePenaltyForm(formdata=formdata)
    entry_choices = [("", "— Chọn đội/thí sinh —")] + [
        (re.entry_id, _entry_label(re)) for re in entries
    ]
    timing.entry.choices = rule.entry.choices = entry_choices
    timing.part.choices = [("", "— Chọn phần thi —")] + [
        (p.id, f"{p.name} (tối đa {format_duration(p.time_limit_seconds)})")
        for p in service.timed_parts(parts)
    ]
    rule.part.choices = [("", "— Cả vòng thi —")] + [(p.id, p.name) for p in parts]
    return timing, rule


def _entry_label(place) -> str:
    order = f"{place.order_number}. " if place.order_number else ""
    return f"{order}{place.entry.name}"


def _penalties_page(round_, timing, rule, parts, status=200, message=None, error=None):
    return render_page_or_fragment(
        "contests/secretary/penalties.html",
        "contests/secretary/_penalties.html",
        status=status,
        round=round_,
        contest=round_.contest,
        timing=timing,
        rule=rule,
        timed=[
            (p, format_duration(p.time_limit_seconds), part_penalty_clause(p))
            for p in service.timed_parts(parts)
        ],
        rows=service.penalty_rows(round_, parts),
        closed=service.closed_reason(round_),
        message=message,
        error=error,
    )


@bp.route("/rounds/<int:round_id>/penalties", methods=["GET", "POST"], endpoint="penalties")
def penalties(round_id: int):
    """The round's timings and penalties, and recording one (a timing, or points off for a
    breach of the rules with its reason); the board. ?entry=&part= loads a timing to correct."""
    round_ = load_round(round_id, may=permissions.can_manage)
    entries, parts = round_entries(round_.id), round_parts(round_.id)
    if request.method == "GET":
        timing, rule = _penalty_forms(round_, entries, parts)
        _load_timing(round_, timing)
        return _penalties_page(round_, timing, rule, parts)
    timing, rule = _penalty_forms(round_, entries, parts, request.form)
    form = rule if request.form.get("rule-form") == "rule" else timing
    penalty, status = run_form(form, lambda: _record(round_, form))
    if status is not None:
        return _penalties_page(round_, timing, rule, parts, status)
    message = _recorded_message(penalty, entries, parts)
    if is_htmx():
        timing, rule = _penalty_forms(round_, entries, parts, formdata=None)
        return _penalties_page(round_, timing, rule, parts, message=message)
    flash(message, "success")
    return redirect(url_for("contests.penalties", round_id=round_.id), 303)


def _load_timing(round_: ContestRound, form: TimingForm) -> None:
    """Fill the timing form with a recorded timing to correct (its version travels along)."""
    entry_id = form.entry.coerce(request.args.get("entry"))
    part_id = form.part.coerce(request.args.get("part"))
    if entry_id and part_id:
        existing = service.timing_of(round_.id, entry_id, part_id)
        form.entry.data, form.part.data = entry_id, part_id
        if existing is not None:
            form.used.data = existing.used_seconds
            form.version.data = existing.version


def _record(round_: ContestRound, form) -> ContestPenalty:
    """Record the posted timing, or the posted penalty for a breach of the rules."""
    if isinstance(form, TimingForm):
        return service.record_timing(
            round_, form.entry.data, form.part.data, form.used.data, form.version.data, current_user
        )
    return service.record_rule_penalty(
        round_, form.entry.data, form.part.data, form.points.data, form.reason.data, current_user
    )


def _recorded_message(penalty: ContestPenalty, entries, parts) -> str:
    """What was recorded, in the words of the secretary."""
    entry = next(re.entry for re in entries if re.entry_id == penalty.entry_id)
    part = next((p for p in parts if p.id == penalty.part_id), None)
    points = print_points(penalty.points)
    if penalty.kind == "time":
        used = format_duration(penalty.used_seconds)
        outcome = f"trừ {points} điểm" if penalty.points else "không bị trừ điểm"
        return f"Đã ghi thời gian của {entry.name}, phần {part.name}: {used} ({outcome})."
    where = f", phần {part.name}" if part else ""
    return f"Đã ghi điểm trừ {points} điểm cho {entry.name}{where}."


@bp.post("/penalties/<int:penalty_id>/delete", endpoint="penalty_delete")
def penalty_delete(penalty_id: int):
    """Delete a penalty entered by mistake (the audit log keeps it); the board, while the
    round is being judged."""
    penalty = db.session.get(ContestPenalty, penalty_id)
    if penalty is None:
        abort(404)
    round_ = load_round(penalty.round_id, may=permissions.can_manage)
    entries, parts = round_entries(round_.id), round_parts(round_.id)
    try:
        service.delete_penalty(penalty, round_)
    except ContestError as error:
        db.session.rollback()
        timing, rule = _penalty_forms(round_, entries, parts)
        return _penalties_page(round_, timing, rule, parts, 422, error=str(error))
    db.session.commit()
    message = "Đã xóa điểm trừ ghi nhầm."
    if is_htmx():
        timing, rule = _penalty_forms(round_, entries, parts)
        return _penalties_page(round_, timing, rule, parts, message=message)
    flash(message, "success")
    return redirect(url_for("contests.penalties", round_id=round_.id), 303)


# Multiple-choice results


@bp.route("/rounds/<int:round_id>/secretary", methods=["GET", "POST"], endpoint="secretary_marks")
def secretary_marks(round_id: int):
    """The table of multiple-choice results (entries × parts the secretary scores), saved all
    at once or not at all; the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    entries = round_entries(round_.id)
    parts = service.secretary_parts(round_parts(round_.id))
    form = SecretaryMarksForm()
    status, errors, cells = 200, {}, None
    if form.validate_on_submit():
        cells = form.cells(request.form, [re.entry_id for re in entries], [p.id for p in parts])
        try:
            changed = service.record_secretary_marks(round_, cells, current_user)
        except StaleEdit as error:
            db.session.rollback()
            form.form_errors.append(error.description)
            status = 409
        except ContestError as error:
            db.session.rollback()
            for key, message in error.errors:
                errors.setdefault(key, message)
            status = 422
        else:
            db.session.commit()
            message = f"Đã lưu {changed} kết quả phần thi trắc nghiệm."
            if not is_htmx():
                flash(message, "success")
                return redirect(url_for("contests.secretary_marks", round_id=round_.id), 303)
            return _marks_page(round_, entries, parts, SecretaryMarksForm(), None, {}, message)
    return _marks_page(round_, entries, parts, form, cells, errors, status=status)


def _marks_page(round_, entries, parts, form, cells, errors, message=None, status=200):
    """The table: the posted texts after a refusal, else what is recorded."""
    if cells is None:
        marks = service.secretary_marks(round_.id)
        cells = [service.MarkCell(re.entry_id, p.id) for re in entries for p in parts]
        for cell in cells:
            mark = marks.get((cell.entry_id, cell.part_id))
            if mark is not None:
                cell.value = format_mark(mark.value)
                cell.correct = "" if mark.correct_answers is None else str(mark.correct_answers)
                cell.count = "" if mark.question_count is None else str(mark.question_count)
                cell.version = str(mark.version)
    return render_page_or_fragment(
        "contests/secretary/marks.html",
        "contests/secretary/_marks.html",
        status=status,
        round=round_,
        contest=round_.contest,
        entries=entries,
        parts=parts,
        form=form,
        cells={(c.entry_id, c.part_id): c for c in cells},
        errors=errors,
        closed=service.closed_reason(round_),
        step=format_mark(round_.contest.step),
        message=message,
    )
