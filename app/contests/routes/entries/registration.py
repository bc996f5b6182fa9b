"""Entries: the list and an entry's page, registering, correcting and withdrawing one."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.concurrency import run_form, save_versioned
from app.contests import bp, permissions
from app.contests.forms.entries import EntryEditForm, EntryForm, WithdrawForm, initial_data
from app.contests.models import ENTRY_KIND_LABELS, MEMBER_ROLE_LABELS
from app.contests.routes import load_contest, load_entry
from app.contests.services import ContestError
from app.contests.services import entries as services
from app.extensions import db
from app.htmx import render_page_or_fragment
from app.security.scope import placed_in_scope, require_in_scope
from app.units.models import Unit
from app.units.services import ancestors, units_by_id
from app.users.models import User

# Short labels: one role select per candidate, on slow links (QUALITY.md P8).
ROLE_CHOICES = {"captain": "Đội trưởng", "official": "Chính thức", "reserve": "Dự bị"}


# The list and an entry


@bp.get("/<int:contest_id>/entries", endpoint="entries")
def entries(contest_id: int):
    """The entries of a contest and each round's running order; everyone who sees the contest
    (member lists: the board and each entry's own unit)."""
    contest = load_contest(contest_id)
    listing = services.list_entries(contest)
    return render_template(
        "contests/entries/index.html",
        contest=contest,
        listing=listing,
        counts=listing.counts(),
        shows_members={e.id for e in listing.entries if _sees_members(e, contest)},
        can_create=services.may_register(current_user, contest)
        and not services.registration_closed(contest),
        can_manage=permissions.can_manage(current_user, contest),
        role_labels=MEMBER_ROLE_LABELS,
    )


def _sees_members(entry, contest) -> bool:
    return permissions.can_manage(current_user, contest) or placed_in_scope(current_user, entry)


@bp.get("/entries/<int:entry_id>", endpoint="entry_detail")
def entry_detail(entry_id: int):
    """An entry: its units, members (the board and its own unit), rounds and running order;
    everyone who sees the contest."""
    entry, contest = load_entry(entry_id)
    listing = services.list_entries(contest, [entry.id])
    registered_by = db.session.get(User, entry.registered_by_id) if entry.registered_by_id else None
    editable = permissions.can_edit_entry(current_user, contest, entry)
    return render_template(
        "contests/entries/detail.html",
        contest=contest,
        entry=entry,
        listing=listing,
        path=ancestors(entry.unit_id),
        members=listing.members.get(entry.id, []) if _sees_members(entry, contest) else None,
        registered_by=registered_by,
        can_edit=editable and entry.status == "registered",
        withdraw_form=WithdrawForm(),
        kind_label=ENTRY_KIND_LABELS.get(contest.entry_kind, ""),
    )


# Registering and correcting


@bp.route("/<int:contest_id>/entries/new", methods=["GET", "POST"], endpoint="entry_create")
def entry_create(contest_id: int):
    """Register an entry: the board until results are published, a participating unit (for
    itself) while registration is open."""
    contest = load_contest(contest_id, may=services.may_register)
    form = EntryForm()
    if not form.is_submitted():
        form.unit.data = _default_unit(contest)
        return _form_page(contest, form)
    if "refresh" in request.form:
        return _form_page(contest, form)

    def register():
        values = form.values(request.form)
        _require_units_in_scope(values)
        return services.register_entry(contest, current_user, values)

    entry, status = run_form(form, register)
    if status is None:
        flash(f"Đã đăng ký {entry.name}.", "success")
        return redirect(url_for("contests.entry_detail", entry_id=entry.id), 303)
    return _form_page(contest, form, status=status)


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"], endpoint="entry_edit")
def entry_edit(entry_id: int):
    """Correct an entry's units, name and members; the board until results are published, its
    own unit while registration is open. A stale form is 409."""
    entry, contest = _editable_entry(entry_id)
    listing = services.list_entries(contest, [entry.id])
    current = listing.represented.get(entry.id, [])
    roles, values = None, None
    if request.method == "GET":
        data, roles = initial_data(entry, listing.members.get(entry.id, []), current)
        form = EntryEditForm(data=data)
    else:
        form = EntryEditForm()
        if "refresh" in request.form:
            return _form_page(contest, form, entry=entry, extra_units=current)
        values = form.values(request.form)
        _require_units_in_scope(values, keep=current)
    status = save_versioned(
        entry,
        form,
        lambda: services.update_entry(entry, contest, current_user, values, keep=current),
    )
    if status is None:
        flash(f"Đã lưu {entry.name}.", "success")
        return redirect(url_for("contests.entry_detail", entry_id=entry_id), 303)
    return _form_page(contest, form, entry=entry, roles=roles, extra_units=current, status=status)


@bp.post("/entries/<int:entry_id>/withdraw", endpoint="entry_withdraw")
def entry_withdraw(entry_id: int):
    """Withdraw an entry (kept for the record, out of the results); the board until results
    are published, its own unit while registration is open."""
    entry, _contest = _editable_entry(entry_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("contests.entry_detail", entry_id=entry_id), 303)
    try:
        services.withdraw_entry(entry, form.reason.data)
    except ContestError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        name = entry.name
        db.session.commit()
        flash(f"{name} đã rút đăng ký.", "success")
    return redirect(url_for("contests.entry_detail", entry_id=entry_id), 303)


def _editable_entry(entry_id: int):
    """An entry the user may correct or withdraw (403 for its other readers)."""
    entry, contest = load_entry(entry_id)
    if not permissions.can_edit_entry(current_user, contest, entry):
        abort(403)
    return entry, contest


def _default_unit(contest) -> str:
    """The user's own unit when they may enter it (a commune registering its team)."""
    choices = {u.id for u in services.unit_choices(current_user, contest)}
    return str(current_user.unit_id) if current_user.unit_id in choices else ""


def _require_units_in_scope(values: services.EntryValues, keep=()) -> None:
    """A unit outside the user's subtree is answered as missing (404), as in every area;
    units the entry already represents stay allowed (a cluster entered by the board)."""
    for unit_id in [values.unit_id, *values.represented_ids]:
        if unit_id and unit_id not in keep and db.session.get(Unit, unit_id) is not None:
            require_in_scope(current_user, unit_id)


def _form_page(contest, form, entry=None, roles=None, extra_units=(), status=200):
    """The entry form (page, or the form alone for htmx), with the candidates of its units."""
    extra = [*extra_units, entry.unit_id] if entry else list(extra_units)
    options = services.unit_options(current_user, contest, extra)
    form.unit.choices = [("", "— Chọn đơn vị dự thi —"), *((str(i), n) for i, n in options)]
    unit_ids = [i for i in [form.unit_id(), *form.represented_ids()] if i]
    chosen = form.chosen_ids()
    listed, more, teams = services.candidates(unit_ids, form.q.data or "", chosen)
    return render_page_or_fragment(
        "contests/entries/form.html",
        "contests/entries/_form.html",
        status=status,
        contest=contest,
        entry=entry,
        form=form,
        options=options,
        represented=set(form.represented_ids()),
        candidates=listed,
        more=more,
        teams=teams,
        chosen=set(chosen),
        roles=form.posted_roles(request.form) if roles is None else roles,
        units=units_by_id(m.commune_id for m in listed),
        closed=services.registration_closed(contest) if entry is None else None,
        role_labels=ROLE_CHOICES,
        action=(
            url_for("contests.entry_edit", entry_id=entry.id)
            if entry
            else url_for("contests.entry_create", contest_id=contest.id)
        ),
    )
