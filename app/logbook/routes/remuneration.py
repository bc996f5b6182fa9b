"""Remuneration (thù lao, DOMAIN.md §4): a province's pay rates, the teams with ended cases
not paid yet, recording and cancelling payments, and the printable payment request.

Counts and amounts only: no page here reads the parties of a case.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import case, select

from app.clock import today
from app.documents import date_line, short_name
from app.extensions import db
from app.forms import add_errors, parse_id
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.logbook import bp, permissions
from app.logbook import services as logbook
from app.logbook.forms.remuneration import CancelPaymentForm, PaymentForm
from app.logbook.models import LogbookEntry, RemunerationPayment
from app.logbook.money import amount_in_words
from app.logbook.payments import (
    cached_rates,
    priced,
    recent_payments,
    scope_summary,
    team_rates,
    team_rows,
    total_of,
    unpaid_clause,
    unpaid_of,
    unpaid_teams,
)
from app.logbook.routes import load
from app.pagination import Page
from app.registry.models import Mediator, Team
from app.security.scope import unit_in_view
from app.text import format_number
from app.units.models import KINDS, Level, Unit
from app.units.services import ancestors

PAGE_SIZE = 25
TEAM_PAYMENTS = 20
EXCERPT = 60


# The teams waiting to be paid


def unit_options(unit: Unit | None) -> list[Unit]:
    """The units below the user's (provinces for admins) to narrow the list to."""
    top = None if current_user.is_admin else current_user.unit
    if top is not None and top.level >= Level.COMMUNE:
        return []
    parent = Unit.parent_id.is_(None) if top is None else Unit.parent_id == top.id
    stmt = select(Unit).where(parent, Unit.valid_to.is_(None)).order_by(Unit.name_folded)
    options = list(db.session.scalars(stmt.limit(300)))
    if unit is not None and unit not in options and unit != top:
        options.insert(0, unit)
    return options


@bp.get("/remuneration/", endpoint="remuneration")
def remuneration():
    """The teams of the user's subtree with ended cases not paid yet, and the latest
    payments; readers."""
    unit = unit_in_view(request.args.get("unit"))
    clause = unpaid_clause(unit)
    rates_for = cached_rates()
    rows, next_cursor = unpaid_teams(clause, request.args.get("after"), PAGE_SIZE)
    context = {
        "unit": unit,
        "page": Page(team_rows(rows, rates_for), next_cursor, PAGE_SIZE),
    }
    if not (htmx_target() or "").endswith(MORE_SUFFIX):
        context["summary"] = scope_summary(clause, rates_for)
        payments = recent_payments(unit)
        teams = db.session.scalars(select(Team).where(Team.id.in_({p.team_id for p in payments})))
        context.update(payments=payments, payment_teams={t.id: t for t in teams})
    if not is_htmx():
        context.update(
            unit_options=unit_options(unit),
            user_unit=None if current_user.is_admin else current_user.unit,
        )
    return render_page_or_fragment(
        "logbook/remuneration/index.html",
        "logbook/remuneration/_results.html",
        rows_template="logbook/remuneration/_unpaid_rows.html",
        **context,
    )


# A team: its unpaid cases, paying them, the payment request


def team_place(team: Team) -> dict:
    """The team's village and commune (one query over the closure table)."""
    path = ancestors(team.unit_id)
    commune = next((u for u in path if u.level == Level.COMMUNE), None)
    village = path[-1] if path and path[-1].level == Level.VILLAGE else None
    return {"path": path, "commune": commune, "village": village}


def team_context(team: Team, form: PaymentForm | None, selected: set[int] | None = None):
    entries, truncated = unpaid_of(team)
    rows = priced(entries, team_rates(team))
    payments = db.session.scalars(
        select(RemunerationPayment)
        .where(RemunerationPayment.team_id == team.id)
        .order_by(RemunerationPayment.paid_on.desc(), RemunerationPayment.id.desc())
        .limit(TEAM_PAYMENTS)
    )
    return {
        "team": team,
        **team_place(team),
        "rows": rows,
        "total": total_of(rows),
        "missing": sum(1 for row in rows if row["rate"] is None),
        "truncated": truncated,
        "payments": list(payments),
        "form": form,
        "selected": selected,
        "can_keep": form is not None,
        "book_url": url_for("logbook.team_book", team_id=team.id),
        "excerpt": EXCERPT,
    }


@bp.get("/teams/<int:team_id>/remuneration", endpoint="team_remuneration")
def team_remuneration(team_id: int):
    """A team's ended cases not paid yet, each at its rate, and its past payments; readers
    in scope (keepers also record a payment)."""
    team = load(Team, team_id)
    form = PaymentForm(paid_on=today()) if permissions.can_keep(current_user, team) else None
    return render_template("logbook/remuneration/team.html", **team_context(team, form))


@bp.post("/teams/<int:team_id>/remuneration/pay", endpoint="pay")
def pay(team_id: int):
    """Record that the ticked cases were paid (each at the rate in force when it ended);
    keepers in scope. The form's print button comes here too and is sent on to the request."""
    team = load(Team, team_id, keep=True)
    form = PaymentForm()
    if request.form.get("action") == "request":
        target = url_for("logbook.payment_request", team_id=team.id, entry=form.entry_ids())
        return redirect(target, 303)
    if form.validate_on_submit():
        try:
            payment = logbook.pay_entries(
                team,
                form.entry_ids(),
                paid_on=form.paid_on.data,
                voucher=form.voucher.data,
                note=form.note.data,
            )
        except logbook.LogbookError as error:
            db.session.rollback()
            add_errors(form, error.errors, {"entries": "entry"})
        else:
            db.session.commit()
            flash(
                f"Đã ghi nhận chi trả thù lao {payment.case_count} vụ việc, "
                f"tổng {format_number(payment.total_amount)} đồng.",
                "success",
            )
            return redirect(url_for("logbook.payment_detail", payment_id=payment.id), 303)
    context = team_context(team, form, selected=set(form.entry_ids()))
    return render_template("logbook/remuneration/team.html", **context), 422


@bp.get("/teams/<int:team_id>/remuneration/request", endpoint="payment_request")
def payment_request(team_id: int):
    """The printable request for payment (giấy đề nghị thanh toán) of the chosen unpaid
    cases (all of them when none is chosen); readers in scope."""
    team = load(Team, team_id)
    entries, truncated = unpaid_of(team)
    wanted = {i for i in map(parse_id, request.args.getlist("entry")) if i is not None}
    chosen = [e for e in entries if e.id in wanted]
    rows = priced(chosen or entries, team_rates(team))
    leader = db.session.scalar(
        select(Mediator)
        .where(Mediator.team_id == team.id, Mediator.status == "active")
        .order_by(case((Mediator.role == "leader", 0), else_=1), Mediator.id)
        .limit(1)
    )
    place = team_place(team)
    total = total_of(rows)
    bases = list(dict.fromkeys(r["rate"].basis for r in rows if r["rate"] and r["rate"].basis))
    return render_template(
        "logbook/remuneration/request.html",
        truncated=truncated and not chosen,
        team=team,
        **place,
        committee=committee_name(place["commune"]),
        rows=rows,
        total=total,
        words=amount_in_words(total),
        missing=sum(1 for row in rows if row["rate"] is None),
        leader=leader if leader is not None and leader.is_leader else None,
        bases=bases,
        place_date=date_line(short_name(place["commune"] or place["path"][-1]), today()),
    )


def committee_name(commune: Unit | None) -> str:
    """ "Ủy ban nhân dân xã Sín Thầu" (the kind in lower case, as it is written mid-sentence)."""
    if commune is None:
        return "Ủy ban nhân dân xã"
    kind = KINDS.get(commune.kind, (None, "xã"))[1].lower()
    return f"Ủy ban nhân dân {kind} {short_name(commune)}"


# A payment


def payment_context(payment: RemunerationPayment, form: CancelPaymentForm | None) -> dict:
    team = db.session.get(Team, payment.team_id)
    entries = db.session.scalars(
        select(LogbookEntry)
        .where(LogbookEntry.payment_id == payment.id)
        .order_by(LogbookEntry.ended_on, LogbookEntry.year, LogbookEntry.number)
    )
    return {
        "payment": payment,
        "team": team,
        **team_place(team),
        "entries": list(entries),
        "form": form,
        "excerpt": EXCERPT,
    }


@bp.get("/payments/<int:payment_id>", endpoint="payment_detail")
def payment_detail(payment_id: int):
    """A payment: its team, date, voucher, the cases paid and their amounts; readers."""
    payment = load(RemunerationPayment, payment_id)
    form = CancelPaymentForm() if permissions.can_keep(current_user, payment) else None
    return render_template("logbook/remuneration/payment.html", **payment_context(payment, form))


@bp.post("/payments/<int:payment_id>/cancel", endpoint="payment_cancel")
def payment_cancel(payment_id: int):
    """Cancel a payment recorded by mistake (its cases become unpaid); keepers, after
    ticking the confirmation."""
    payment = load(RemunerationPayment, payment_id, keep=True)
    form = CancelPaymentForm()
    if not form.validate_on_submit():
        context = payment_context(payment, form)
        return render_template("logbook/remuneration/payment.html", **context), 422
    team_id, paid_on = payment.team_id, payment.paid_on
    logbook.cancel_payment(payment)
    db.session.commit()
    flash(f"Đã hủy đợt chi trả ngày {paid_on:%d/%m/%Y}; các vụ việc trở lại chưa chi.", "success")
    return redirect(url_for("logbook.team_remuneration", team_id=team_id), 303)
