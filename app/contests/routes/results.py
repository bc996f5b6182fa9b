"""Contest routes: results. The board's ranking as it stands, its decisions on boundary ties
and publishing; the published snapshots (the only results anyone else reads) and the hall's
projector view of the latest one."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.concurrency import run_form
from app.contests import bp, permissions
from app.contests.forms.results import PublishForm, parse_group, tie_form
from app.contests.routes import load_round
from app.contests.services import ContestError
from app.contests.services import results as service
from app.contests.services.words import tie_break_words
from app.extensions import db
from app.forms import add_errors, parse_id
from app.htmx import render_page_or_fragment

PUBLISHED_MEANWHILE = (
    "Kết quả vòng thi vừa được người khác công bố. Tải lại trang để xem bản đã công bố."
)


def _reads_published(user, contest) -> bool:
    return permissions.can_read_results(user, contest, published=True)


def _results_page(round_, form: PublishForm, status: int = 200):
    """The board's results page (or its ranking fragment for htmx polling)."""
    outcome = service.compute_round(round_)
    return render_page_or_fragment(
        "contests/results/results.html",
        "contests/results/_ranking.html",
        status=status,
        round=round_,
        contest=outcome.contest,
        outcome=outcome,
        rows=service.ranking_rows(outcome),
        blockers=outcome.blockers(),
        state_error=service.publish_state_error(round_),
        history=service.snapshot_history(round_.id),
        computed_at=utcnow(),
        form=form,
    )


@bp.get("/rounds/<int:round_id>/results", endpoint="results")
def results(round_id: int):
    """The round's ranking as it stands, what blocks publishing, the publish form and the
    snapshots published so far; the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    return _results_page(round_, PublishForm())


@bp.post("/rounds/<int:round_id>/publish", endpoint="publish")
def publish(round_id: int):
    """Publish the round's ranking as a new snapshot (a correction with its reason); the
    board. Refusals come back on the results page with 422."""
    round_ = load_round(round_id, may=permissions.can_manage)
    form = PublishForm()
    status = 422
    if form.validate_on_submit():
        try:
            snapshot = service.publish_round(round_, current_user, form.reason.data)
            db.session.commit()
        except ContestError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        except IntegrityError:
            # Two board members published at the same moment: the first one stands.
            db.session.rollback()
            form.form_errors.append(PUBLISHED_MEANWHILE)
            status = 409
        else:
            flash(f"Đã công bố kết quả {round_.name} (bản số {snapshot.number}).", "success")
            return redirect(url_for("contests.published", round_id=round_.id), 303)
    return _results_page(round_, form, status)


@bp.route("/rounds/<int:round_id>/ties", methods=["GET", "POST"], endpoint="tie_decide")
def tie_decide(round_id: int):
    """The entries tied at a prize or advancement boundary and the board's decision on their
    order, with its ground; the board."""
    round_ = load_round(round_id, may=permissions.can_manage)
    groups = service.tie_groups(service.compute_round(round_))
    posted = None
    if request.method == "POST":
        ids = parse_group(request.form.get("group"))
        group = next((g for g in groups if g.entry_ids == ids), None)
        posted = tie_form(ids, group.rank if group else 1)
        _, status = run_form(
            posted,
            lambda: service.decide_tie(round_, posted.order(), posted.reason.data, current_user),
        )
        if status is None:
            flash("Đã ghi quyết định xếp hạng của Ban Tổ chức.", "success")
            return redirect(url_for("contests.results", round_id=round_.id), 303)
    return _ties_page(round_, groups, posted)


def _ties_page(round_, groups, posted):
    """A form for each unresolved tie (the posted one as it was posted, 422), the decisions
    recorded and the tie-break order."""
    forms = [
        (g, posted if posted and posted.group.data == g.key else tie_form(g.entry_ids, g.rank))
        for g in groups
    ]
    page = render_template(
        "contests/results/ties.html",
        round=round_,
        contest=round_.contest,
        forms=forms,
        stray=posted if posted and all(f is not posted for _, f in forms) else None,
        decisions=service.tie_decisions(round_.id),
        tie_break=tie_break_words(round_.contest.tie_break_keys),
    )
    return page, 422 if posted else 200


@bp.get("/rounds/<int:round_id>/published", endpoint="published")
def published(round_id: int):
    """A round's published ranking, read from its snapshot alone (?number=N: an earlier,
    superseded one); everyone who sees the contest, once published."""
    round_ = load_round(round_id, may=_reads_published)
    history = service.snapshot_history(round_.id)
    context = {"round": round_, "contest": round_.contest, "history": history}
    if not history:
        if not permissions.can_manage(current_user, round_.contest):
            abort(404)
        return render_template("contests/results/published.html", snapshot=None, **context)
    chosen = history[0]
    if "number" in request.args:
        wanted = parse_id(request.args["number"])
        chosen = next((h for h in history if h.number == wanted), None)
        if chosen is None:
            abort(404)
    snapshot = service.snapshot_by_number(round_.id, chosen.number)
    return render_template(
        "contests/results/published.html",
        snapshot=service.snapshot_view(snapshot),
        info=chosen,
        successor=next((h for h in history if h.number == chosen.number + 1), None),
        latest=history[0],
        board=permissions.can_manage(current_user, round_.contest),
        **context,
    )


@bp.get("/rounds/<int:round_id>/projector", endpoint="projector")
def projector(round_id: int):
    """The latest published ranking in large type for the hall's projector, polling itself
    so that a correction appears; everyone who sees the contest, 404 until published."""
    round_ = load_round(round_id, may=_reads_published)
    snapshot = service.latest_snapshot(round_.id)
    if snapshot is None:
        abort(404)
    return render_page_or_fragment(
        "contests/results/projector.html",
        "contests/results/_projector_board.html",
        round=round_,
        contest=round_.contest,
        snapshot=service.snapshot_view(snapshot),
        published_at=snapshot.published_at,
    )
