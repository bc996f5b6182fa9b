"""Scoring on a tablet (DOMAIN.md §5): a judge's assignments, the declaration of no conflict,
score sheets autosaved as drafts then submitted, and the head judge's board, reopenings and
outlier reviews. Every route loads, authorizes on the user's seat on the round's panel (no
seat: 404; not the head judge: 403), then acts; a judge never reaches another judge's sheet."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.clock import VIETNAM_OFFSET
from app.concurrency import STALE_MESSAGE, StaleEdit, run_form
from app.contests import bp
from app.contests.forms.scoring import (
    DeclareForm,
    OutlierReviewForm,
    ReopenForm,
    sheet_form,
)
from app.contests.models import ContestEntry, ContestJudge, ContestPart, ContestRound, ScoreSheet
from app.contests.routes import (
    load_assignment,
    load_head_seat,
    load_head_sheet,
    load_seat,
    refuse,
)
from app.contests.rules import format_mark
from app.contests.services import ContestError, judging
from app.extensions import db
from app.forms import add_errors
from app.htmx import is_htmx, render_page_or_fragment
from app.security.scope import OutOfScope

SAVED_MESSAGE = "Đã lưu nháp lúc {time}"
INVALID_MESSAGE = "Chưa lưu: kiểm tra các ô điểm có đánh dấu đỏ."


# The judge's home and declaration


@bp.get("/scoring", endpoint="scoring")
def scoring():
    """The judge's home: their seats, each declared or not, with its assignments and the next
    one to score (rounds not being judged are listed without actions); judges."""
    return render_page_or_fragment(
        "contests/scoring/index.html",
        "contests/scoring/_seats.html",
        seats=judging.judge_seats(current_user),
        mark=format_mark,
    )


@bp.route("/rounds/<int:round_id>/declare", methods=["GET", "POST"], endpoint="declare")
def declare(round_id: int):
    """The declaration of no conflict of interest, made once before scoring; the round's
    judges."""
    round_, seat = load_seat(round_id)
    form = DeclareForm()
    if seat.declared_at is None and form.validate_on_submit():
        judging.declare(seat)
        db.session.commit()
        flash("Đã ghi nhận lời cam đoan. Bạn có thể bắt đầu chấm điểm.", "success")
        return redirect(_next_url(seat), 303)
    if seat.declared_at is not None and form.is_submitted():
        return redirect(_next_url(seat), 303)
    page = render_template(
        "contests/scoring/declare.html",
        round=round_,
        seat=seat,
        form=form,
        excluded=judging.excluded_entries(seat),
    )
    return page, 422 if form.is_submitted() else 200


# A score sheet


@bp.route(
    "/parts/<int:part_id>/entries/<int:entry_id>/sheet",
    methods=["GET", "POST"],
    endpoint="sheet",
)
def sheet(part_id: int, entry_id: int):
    """The judge's sheet for an entry on a part. GET shows it and creates nothing; POST saves
    the draft (htmx autosave gets the status line back, a plain form a redirect). The judge of
    the round, declared, without a conflict with the entry."""
    seat, part, entry = load_assignment(part_id, entry_id)
    if request.method == "GET":
        stored = judging.load_sheet(seat, entry, part)
        form = sheet_form(
            part,
            part.round.contest.step,
            marks=judging.sheet_marks(stored),
            note=stored.note if stored else None,
            version=stored.version if stored else None,
        )
        return _sheet_page(seat, part, entry, form, stored)
    form = sheet_form(part, part.round.contest.step)
    saved = _save(seat, part, entry, form, judging.save_sheet)
    if not isinstance(saved, ScoreSheet):
        return saved
    if is_htmx():
        return _status(part, entry, form, "saved", sheet=saved)
    flash(SAVED_MESSAGE.format(time=_clock(saved)), "success")
    return redirect(url_for("contests.sheet", part_id=part.id, entry_id=entry.id), 303)


@bp.post("/parts/<int:part_id>/entries/<int:entry_id>/sheet/submit", endpoint="sheet_submit")
def sheet_submit(part_id: int, entry_id: int):
    """Submit the sheet with the marks posted: every mark is needed; then it is locked and
    the judge goes on to their next assignment. The judge of the round, declared."""
    seat, part, entry = load_assignment(part_id, entry_id)
    form = sheet_form(part, part.round.contest.step)
    saved = _save(seat, part, entry, form, judging.submit_sheet)
    if not isinstance(saved, ScoreSheet):
        return saved
    flash(f"Đã nộp phiếu chấm {part.name} của {entry.name}.", "success")
    return redirect(_next_url(seat), 303)


# The head judge


@bp.get("/rounds/<int:round_id>/head", endpoint="head")
def head(round_id: int):
    """The head judge's board: submitted sheets with their marks (drafts only as such), the
    marks flagged far from the panel and their review, reopenings; the round's head judge."""
    round_, _ = load_head_seat(round_id)
    return _head_page(round_)


@bp.post("/sheets/<int:sheet_id>/review", endpoint="outlier_review")
def outlier_review(sheet_id: int):
    """The head judge confirms a flagged mark or asks for a reopening (with its reason);
    the round's head judge."""
    score_sheet, round_ = load_head_sheet(sheet_id)
    form = OutlierReviewForm()
    _, status = run_form(
        form,
        lambda: judging.review_outlier(
            score_sheet, current_user, form.decision.data, form.note.data
        ),
    )
    if status is None:
        flash("Đã ghi quyết định của Trưởng Ban Giám khảo.", "success")
        return redirect(url_for("contests.head", round_id=round_.id), 303)
    return _head_page(round_, review=(sheet_id, form), status=422)


@bp.route("/sheets/<int:sheet_id>/reopen", methods=["GET", "POST"], endpoint="sheet_reopen")
def sheet_reopen(sheet_id: int):
    """Reopen a submitted sheet for its judge to correct, with a reason (the marks before are
    kept and logged); the round's head judge."""
    score_sheet, round_ = load_head_sheet(sheet_id)
    form = ReopenForm()
    _, status = run_form(
        form, lambda: judging.reopen_sheet(score_sheet, current_user, form.reason.data)
    )
    if status is None:
        flash("Đã mở lại phiếu chấm; giám khảo sửa rồi nộp lại.", "success")
        return redirect(url_for("contests.head", round_id=round_.id), 303)
    page = render_template(
        "contests/scoring/reopen.html",
        sheet=score_sheet,
        round=round_,
        form=form,
        judge=db.session.get(ContestJudge, score_sheet.judge_id),
        entry=db.session.get(ContestEntry, score_sheet.entry_id),
        part=db.session.get(ContestPart, score_sheet.part_id),
        marks=judging.sheet_marks(score_sheet),
        mark=format_mark,
    )
    return page, status


# Answers


def _save(seat, part, entry, form, action):
    """Run a save or a submit of the posted sheet: the saved sheet, or the answer refusing it
    (422 invalid marks, 409 stale, locked or closed; nothing saved)."""
    if not form.validate_on_submit():
        return _refused_save(seat, part, entry, form, 422)
    try:
        saved = action(seat, entry, part, form.marks(), form.note_value(), form.version.data)
        db.session.flush()
    except (StaleEdit, StaleDataError, IntegrityError):
        db.session.rollback()
        return _refused_save(seat, part, entry, form, 409, STALE_MESSAGE)
    except (judging.SheetLocked, judging.ScoringClosed) as error:
        db.session.rollback()
        return _refused_save(seat, part, entry, form, 409, str(error))
    except (judging.NotDeclared, judging.ConflictOfInterest) as error:
        refuse(str(error))
    except judging.NotAssigned:
        db.session.rollback()
        raise OutOfScope() from None
    except ContestError as error:
        db.session.rollback()
        add_errors(form, error.errors)
        return _refused_save(seat, part, entry, form, 422)
    db.session.commit()
    return saved


def _refused_save(seat, part, entry, form, status: int, message: str | None = None):
    if is_htmx():
        if status == 422:
            return _status(part, entry, form, "invalid", message=INVALID_MESSAGE, status=status)
        return _status(part, entry, form, "refused", message=message, status=status)
    if message:
        form.form_errors.append(message)
    stored = judging.load_sheet(seat, entry, part)
    return _sheet_page(seat, part, entry, form, stored, status=status, refused=status == 409)


def _sheet_page(seat, part, entry, form, stored, status=200, refused=False):
    """The sheet page (htmx: the sheet card alone)."""
    before, current, after = judging.locate(seat, entry.id, part.id)
    round_ = part.round
    return render_page_or_fragment(
        "contests/scoring/sheet.html",
        "contests/scoring/_sheet.html",
        status=status,
        seat=seat,
        round=round_,
        contest=round_.contest,
        part=part,
        entry=entry,
        form=form,
        stored=stored,
        closed=judging.scoring_closed(round_),
        refused=refused,
        total=_form_total(part, form),
        before=before,
        current=current,
        after=after,
        saved_at=_clock(stored) if stored else None,
        url=url_for("contests.sheet", part_id=part.id, entry_id=entry.id),
        mark=format_mark,
    )


def _status(part, entry, form, state: str, sheet=None, message=None, status=200):
    """The autosave's answer: the status line, and out of band the version, the running
    total and each mark's error (the inputs the judge is typing in are left alone)."""
    context = {
        "part": part,
        "form": form,
        "state": state,
        "message": message,
        "url": url_for("contests.sheet", part_id=part.id, entry_id=entry.id),
        "mark": format_mark,
    }
    if sheet is not None:
        marks = judging.sheet_marks(sheet)
        context.update(
            version=sheet.version,
            total=judging.running_total(part, marks),
            message=SAVED_MESSAGE.format(time=_clock(sheet)),
        )
    response = make_response(render_template("contests/scoring/_status.html", **context), status)
    response.vary.add("HX-Request")
    return response


def _form_total(part, form):
    valid = {key: f.data for key, f in form.mark_fields() if not f.errors}
    return judging.running_total(part, valid)


def _clock(sheet: ScoreSheet) -> str:
    """When the sheet was last saved, Vietnam time: 10:42:05."""
    return (sheet.updated_at + VIETNAM_OFFSET).strftime("%H:%M:%S")


def _next_url(seat: ContestJudge) -> str:
    following = judging.next_assignment(seat)
    if following is None or judging.scoring_closed(db.session.get(ContestRound, seat.round_id)):
        return url_for("contests.scoring")
    return url_for("contests.sheet", part_id=following.part.id, entry_id=following.entry.id)


def _head_page(round_: ContestRound, review=None, status=200):
    board = judging.head_board(round_)
    return render_page_or_fragment(
        "contests/scoring/head.html",
        "contests/scoring/_board.html",
        status=status,
        round=round_,
        contest=round_.contest,
        board=board,
        review=review,
        review_form=OutlierReviewForm(formdata=None),
        mark=format_mark,
    )
