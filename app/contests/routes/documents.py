"""Contest routes: the printed documents of a round (judges' score sheets, the score table, the
minutes of results), side prizes, certificates with serial numbers, and the winners proposed
for commendation with their export."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.clock import today, utcnow
from app.commendations.forms.proposals import ContestProposalForm
from app.commendations.rules import form_choices
from app.commendations.services import CommendationError
from app.commendations.services import contest as commendation_contest
from app.contests import bp, permissions
from app.contests.forms.documents import AwardForm
from app.contests.models import Contest, ContestEntry, ContestPrize
from app.contests.routes import load_contest, load_round
from app.contests.rules import format_mark
from app.contests.services import ContestError, awards, documents, results
from app.extensions import db
from app.files.services import CONTENT_TYPES, XLSX
from app.forms import add_errors, parse_id
from app.htmx import is_htmx, render_page_or_fragment
from app.registry.excel.export import csv_chunks, xlsx_bytes
from app.registry.routes.exports import download


@bp.get("/rounds/<int:round_id>/print/sheets", endpoint="print_sheets")
def print_sheets(round_id: int):
    """Each judge's score sheet of a round with their submitted marks and a signature line
    (one judge's with ?judge=<seat id>); the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    seat_id = parse_id(request.args.get("judge")) if request.args.get("judge") else None
    sheets = documents.judge_sheets(round_, seat_id)
    if request.args.get("judge") and (seat_id is None or not sheets):
        abort(404)
    return render_template(
        "contests/documents/sheets.html",
        round=round_,
        contest=round_.contest,
        sheets=sheets,
        judges=results.round_judges(round_.id),
        letter=documents.letterhead(round_.contest),
        mark=format_mark,
        one=seat_id is not None,
    )


@bp.get("/rounds/<int:round_id>/print/table", endpoint="print_table")
def print_table(round_id: int):
    """The score table of a round as published (readers in scope); the board may also print
    the unpublished ranking as it stands (?draft=1, or while nothing is published)."""
    round_ = load_round(round_id)
    board = permissions.can_manage(current_user, round_.contest)
    table = None if board and request.args.get("draft") else documents.published_table(round_)
    if table is None and not board:
        abort(404)
    return render_template(
        "contests/documents/table.html",
        round=round_,
        contest=round_.contest,
        table=table or documents.draft_table(round_),
        letter=documents.letterhead(round_.contest),
        head_judge=documents.head_judge(round_),
        board=board,
        published=table is not None or results.latest_snapshot(round_.id) is not None,
        now=utcnow(),
    )


@bp.get("/rounds/<int:round_id>/print/minutes", endpoint="print_minutes")
def print_minutes(round_id: int):
    """The minutes of a round's results (biên bản) from its latest published snapshot, with
    the judges' signature lines; readers in scope, 404 while nothing is published."""
    round_ = load_round(round_id)
    minutes = documents.minutes(round_)
    if minutes is None:
        abort(404)
    return render_template(
        "contests/documents/minutes.html",
        round=round_,
        contest=round_.contest,
        minutes=minutes,
        letter=documents.letterhead(round_.contest),
    )


# Side prizes


@bp.route("/<int:contest_id>/awards", methods=["GET", "POST"], endpoint="awards")
def awards_page(contest_id: int):
    """The side prizes the board awards once the last round is published: list, award, remove
    (a POST with remove=<award id>); the board."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    form, status, notice = award_form(contest), 200, None
    if request.method == "POST":
        try:
            notice = _change_awards(contest, form)
        except ContestError as error:
            db.session.rollback()
            add_errors(form, error.errors)
            status = 422
        if status == 200 and not is_htmx():
            flash(notice, "success")
            return redirect(url_for("contests.awards", contest_id=contest.id), 303)
        if status == 200:
            form = award_form(contest, fresh=True)
    return render_page_or_fragment(
        "contests/documents/awards.html",
        "contests/documents/_awards.html",
        status=status,
        notice=notice,
        **awards_context(contest, form),
    )


def _change_awards(contest: Contest, form: AwardForm) -> str:
    """Carry out the POST (an award, or a removal) and commit; the message to show."""
    if "remove" in request.form:
        awards.remove_award(contest, parse_id(request.form.get("remove")))
        db.session.commit()
        return "Đã xóa giải phụ."
    if not form.validate_on_submit():
        raise ContestError([])
    entry_id, member_id = form.entry_and_member()
    award = awards.award_side_prize(
        contest, form.prize_id(), entry_id, member_id, form.reason.data, current_user
    )
    prize = db.session.get(ContestPrize, award.prize_id)
    entry = db.session.get(ContestEntry, award.entry_id)
    db.session.commit()
    return f"Đã trao giải “{prize.name}” cho {entry.name}."


def award_form(contest: Contest, fresh: bool = False) -> AwardForm:
    """The award form with the contest's side prizes and entries (``fresh``: empty, after a
    save answered with the fragment)."""
    entries = awards.contest_entries(contest)
    kwargs = {"formdata": None} if fresh else {}
    return AwardForm(
        awards.side_prizes(contest),
        entries,
        awards.members_of(e.id for e in entries),
        team=contest.entry_kind == "team",
        **kwargs,
    )


def awards_context(contest: Contest, form: AwardForm) -> dict:
    given = awards.side_awards(contest)
    entries = {e.id: e for e in awards.contest_entries(contest)}
    members = {m.id: m for ms in awards.members_of(entries).values() for m in ms}
    return {
        "contest": contest,
        "form": form,
        "given": given,
        "entries": entries,
        "members": members,
        "published": awards.final_snapshot(contest) is not None,
        "prizes": awards.side_prizes(contest),
    }


# Certificates


@bp.get("/<int:contest_id>/certificates", endpoint="certificates")
def certificates(contest_id: int):
    """The certificates issued (one per page, A4 landscape) with their serial numbers; readers
    in scope. The board also sees how many winners still need one, and the button to issue."""
    contest = load_contest(contest_id)
    return render_template("contests/documents/certificates.html", **certificates_context(contest))


@bp.post("/<int:contest_id>/certificates/issue", endpoint="certificates_issue")
def certificates_issue(contest_id: int):
    """Number a certificate for every winner who has none yet, dated today; the board, once
    the last round is published (running it again issues nothing twice)."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    try:
        issued = awards.issue_certificates(contest)
    except ContestError as error:
        db.session.rollback()
        context = certificates_context(contest, error=str(error))
        return render_template("contests/documents/certificates.html", **context), 422
    db.session.commit()
    if issued:
        serials = [awards.serial_text(c.serial, contest.year) for c in issued]
        flash(
            f"Đã cấp {len(issued)} giấy chứng nhận: số {serials[0]} đến {serials[-1]}.", "success"
        )
    else:
        flash("Mọi giải đã có giấy chứng nhận; không cấp thêm giấy nào.", "info")
    return redirect(url_for("contests.certificates", contest_id=contest.id), 303)


def certificates_context(contest: Contest, error: str | None = None) -> dict:
    board = permissions.can_manage(current_user, contest)
    return {
        "contest": contest,
        "printed": awards.printed_certificates(contest),
        "board": board,
        "pending": awards.pending_certificates(contest) if board else [],
        "published": awards.final_snapshot(contest) is not None,
        "letter": documents.letterhead(contest),
        "error": error,
    }


# Proposals for commendation


@bp.post("/<int:contest_id>/propose", endpoint="propose")
def propose(contest_id: int):
    """Propose every prize winner for commendation in one step, for the form chosen, per
    member mediator or per entry; the board, once the last round is published (running it
    again creates nothing twice)."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    form = _propose_form(contest)
    if not form.validate_on_submit():
        return render_template(
            "contests/documents/proposals.html", **proposals_context(contest, form=form)
        ), 422
    try:
        made = awards.propose_winners(contest, current_user, form.form.data, form.per.data)
    except (ContestError, CommendationError) as error:
        db.session.rollback()
        context = proposals_context(contest, error=str(error), form=form)
        return render_template("contests/documents/proposals.html", **context), 422
    db.session.commit()
    if made:
        flash(f"Đã đề nghị khen thưởng {len(made)} người/đội đoạt giải.", "success")
    else:
        flash("Mọi người/đội đoạt giải đã được đề nghị; không có đề nghị mới.", "info")
    return redirect(url_for("contests.proposals", contest_id=contest.id), 303)


@bp.get("/<int:contest_id>/proposals", endpoint="proposals")
def proposals(contest_id: int):
    """The winners proposed for commendation, and their export (?format=xlsx or csv:
    nominee, entry, unit, prize, form, status); the board."""
    contest = load_contest(contest_id, may=permissions.can_manage)
    fmt = request.args.get("format")
    if fmt in ("xlsx", "csv"):
        kind, stmt = awards.proposal_export(contest)
        filename = f"{kind.filename}-{today().isoformat()}.{fmt}"
        if fmt == "csv":
            body = "".join(csv_chunks(kind, stmt))
            return download(body, filename, "text/csv; charset=utf-8")
        return download(xlsx_bytes(kind, stmt), filename, CONTENT_TYPES[XLSX])
    return render_template("contests/documents/proposals.html", **proposals_context(contest))


def _propose_form(contest: Contest) -> ContestProposalForm:
    return ContestProposalForm(
        form_choices(),
        commendation_contest.per_choices(contest),
        commendation_contest.default_form(contest),
    )


def proposals_context(contest: Contest, error: str | None = None, form=None) -> dict:
    return {
        "contest": contest,
        "rows": awards.proposal_rows(contest),
        "published": awards.final_snapshot(contest) is not None,
        "pending": awards.pending_proposals(contest),
        "form": form or _propose_form(contest),
        "error": error,
    }
