"""Remuneration (thù lao, DOMAIN.md §4): a province's pay rates, the teams with ended cases
not paid yet, recording and cancelling payments, and the printable payment request.

Counts and amounts only: no page here reads the parties of a case.
"""

from collections import defaultdict
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, case, distinct, func, or_, select

from app.clock import today
from app.concurrency import StaleEdit, check_version
from app.documents import date_line, short_name
from app.extensions import db
from app.forms import parse_id
from app.htmx import MORE_SUFFIX, htmx_target, is_htmx, render_page_or_fragment
from app.logbook import bp, permissions
from app.logbook import services as logbook
from app.logbook.forms.remuneration import CancelPaymentForm, PaymentForm, PayRateForm
from app.logbook.models import LogbookEntry, PayRate, RemunerationPayment
from app.logbook.money import amount_in_words, format_amount
from app.logbook.rules import ENDED, rate_on
from app.pagination import Page, decode_cursor, encode_cursor
from app.registry.models import Mediator, Team
from app.registry.routes.teams import optional_url
from app.security.scope import OutOfScope, placed_under, require_in_scope, require_placed_in_scope
from app.units.models import KINDS, Level, Unit
from app.units.services import ancestors

PAGE_SIZE = 25
RECENT_PAYMENTS = 10
TEAM_PAYMENTS = 20
# A team rarely has more than a few dozen unpaid cases; a page (and a payment request) lists
# at most this many, the longest waiting first, which keeps it light on slow links (P8).
MAX_UNPAID = 50
EXCERPT = 60


def load_team(team_id: int, keep: bool = False) -> Team:
    """Load → authorize: 404 outside the user's subtree, 403 without the right."""
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    require_placed_in_scope(current_user, team)
    if not (permissions.can_keep if keep else permissions.can_view)(current_user, team):
        abort(403)
    return team


def load_payment(payment_id: int, keep: bool = False) -> RemunerationPayment:
    payment = db.session.get(RemunerationPayment, payment_id)
    if payment is None:
        abort(404)
    require_placed_in_scope(current_user, payment)
    if not (permissions.can_keep if keep else permissions.can_view)(current_user, payment):
        abort(403)
    return payment


def add_errors(form, errors: list[tuple[str, str]], aliases: dict | None = None) -> None:
    """A service's (field, message) list, next to the fields of ``form``."""
    for name, message in errors:
        name = (aliases or {}).get(name, name)
        if name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            form.form_errors.append(message)


def rates_by_province(province_ids) -> dict[int, list[PayRate]]:
    """The rates of some provinces in one query, newest first."""
    ids = {i for i in province_ids if i is not None}
    if not ids:
        return {}
    found: dict[int, list[PayRate]] = defaultdict(list)
    stmt = select(PayRate).where(PayRate.province_id.in_(ids))
    for rate in db.session.scalars(stmt.order_by(PayRate.effective_from.desc())):
        found[rate.province_id].append(rate)
    return found


def estimate(counts, rates: dict[int, list[PayRate]]) -> tuple[int, int]:
    """(amount, cases without a rate) of (province_id, ended_on, cases) rows: each case at the
    rate in force in its province on the day it ended."""
    amount = missing = 0
    for province_id, ended_on, n in counts:
        rate = rate_on(rates.get(province_id, []), ended_on)
        if rate is None:
            missing += n
        else:
            amount += rate.amount * n
    return amount, missing


def units_by_id(ids) -> dict[int, Unit]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}


# Pay rates


def rate_province(raw: str | None) -> Unit:
    """The province whose rates are shown: the user's own; an admin chooses any."""
    chosen = parse_id(raw) if raw else None
    if raw and chosen is None:
        abort(404)
    own = logbook.province_of(current_user.unit_id)
    if not current_user.is_admin:
        if own is None or (chosen is not None and chosen != own.id):
            raise OutOfScope()
        return own
    if chosen is None:
        own = own or db.session.scalar(
            select(Unit).where(Unit.level == Level.PROVINCE).order_by(Unit.name_folded).limit(1)
        )
        if own is None:
            abort(404)
        return own
    province = db.session.get(Unit, chosen)
    if province is None or province.level != Level.PROVINCE:
        abort(404)
    return province


def managed_province(raw: str | None) -> Unit:
    province = rate_province(raw)
    if not permissions.can_manage_pay_rates(current_user, province):
        abort(403)
    return province


@bp.get("/pay-rates/", endpoint="pay_rates")
def pay_rates():
    """A province's remuneration per case, newest first; readers of that province."""
    province = rate_province(request.args.get("province"))
    rates = logbook.pay_rates(province.id)
    provinces = []
    if current_user.is_admin:
        stmt = select(Unit).where(Unit.level == Level.PROVINCE, Unit.valid_to.is_(None))
        provinces = list(db.session.scalars(stmt.order_by(Unit.name_folded)))
    return render_template(
        "logbook/remuneration/rates.html",
        province=province,
        rates=rates,
        in_force=rate_on(rates, today()),
        today=today(),
        provinces=provinces,
        can_manage=permissions.can_manage_pay_rates(current_user, province),
    )


@bp.route("/pay-rates/new", methods=["GET", "POST"], endpoint="pay_rate_create")
def pay_rate_create():
    """Add a province's rate from a date; admins, and officers of the province itself."""
    province = managed_province(request.args.get("province"))
    form = PayRateForm()
    if form.validate_on_submit():
        try:
            rate = logbook.create_pay_rate(province, **form.values())
        except logbook.LogbookError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            db.session.commit()
            flash(f"Đã thêm mức thù lao áp dụng từ {rate.effective_from:%d/%m/%Y}.", "success")
            return redirect(url_for("logbook.pay_rates", province=province.id), 303)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "logbook/remuneration/rate_form.html", form=form, province=province, rate=None
    )
    return page, status


@bp.route("/pay-rates/<int:rate_id>/edit", methods=["GET", "POST"], endpoint="pay_rate_edit")
def pay_rate_edit(rate_id: int):
    """Correct a rate (cases already paid keep what they were paid); as pay_rate_create."""
    rate = db.session.get(PayRate, rate_id)
    if rate is None:
        abort(404)
    province = managed_province(str(rate.province_id))
    form = PayRateForm(obj=rate)
    status = 200
    if form.validate_on_submit():
        try:
            check_version(rate, form.version.data)
            logbook.update_pay_rate(rate, form.values())
        except StaleEdit as error:
            db.session.rollback()
            form.form_errors.append(error.description)
            status = 409
        except logbook.LogbookError as error:
            db.session.rollback()
            add_errors(form, error.errors)
            status = 422
        else:
            db.session.commit()
            flash(f"Đã lưu mức thù lao áp dụng từ {rate.effective_from:%d/%m/%Y}.", "success")
            return redirect(url_for("logbook.pay_rates", province=province.id), 303)
    elif form.is_submitted():
        status = 422
    if status == 200:
        form.version.data = rate.version
    page = render_template(
        "logbook/remuneration/rate_form.html", form=form, province=province, rate=rate
    )
    return page, status


# The teams waiting to be paid


def list_unit(raw: str | None) -> Unit | None:
    """The unit whose teams are listed: ?unit= in scope (404 otherwise), else the user's own
    (None: the whole country, for admins)."""
    if not raw:
        return None if current_user.is_admin else current_user.unit
    unit = db.session.get(Unit, parse_id(raw)) if parse_id(raw) else None
    if unit is None:
        abort(404)
    require_in_scope(current_user, unit.id)
    return unit


def unpaid_clause(unit: Unit | None):
    clause = and_(LogbookEntry.payment_id.is_(None), LogbookEntry.result.in_(ENDED))
    return and_(placed_under(LogbookEntry, unit), clause) if unit is not None else clause


def unpaid_teams(clause, after: str | None, per_page: int) -> tuple[list, str | None]:
    """(team_id, cases, oldest ended date) of the teams with unpaid cases, the longest
    waiting first; keyset on (oldest, team_id) through HAVING, since both are aggregates."""
    oldest = func.min(LogbookEntry.ended_on)
    stmt = select(LogbookEntry.team_id, func.count(), oldest).where(clause)
    stmt = stmt.group_by(LogbookEntry.team_id)
    cursor = decode_cursor(after, 2)
    if cursor is not None:
        try:
            day, team_id = date.fromisoformat(str(cursor[0])), int(cursor[1])
        except ValueError:
            cursor = None
        else:
            later = or_(oldest > day, and_(oldest == day, LogbookEntry.team_id > team_id))
            stmt = stmt.having(later)
    rows = db.session.execute(stmt.order_by(oldest, LogbookEntry.team_id).limit(per_page + 1)).all()
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = encode_cursor((rows[-1][2].isoformat(), rows[-1][0]))
    return rows, next_cursor


def team_rows(rows, rates_for) -> list[dict]:
    """The page's teams with their estimated amounts: one grouped query for all of them."""
    ids = [team_id for team_id, _n, _oldest in rows]
    if not ids:
        return []
    teams = {t.id: t for t in db.session.scalars(select(Team).where(Team.id.in_(ids)))}
    by_day = db.session.execute(
        select(LogbookEntry.team_id, LogbookEntry.ended_on, func.count())
        .where(unpaid_clause(None), LogbookEntry.team_id.in_(ids))
        .group_by(LogbookEntry.team_id, LogbookEntry.ended_on)
    ).all()
    rates = rates_for({t.province_id for t in teams.values()})
    counts: dict[int, list] = defaultdict(list)
    for team_id, ended_on, n in by_day:
        counts[team_id].append((teams[team_id].province_id, ended_on, n))
    places = units_by_id(i for t in teams.values() for i in (t.unit_id, t.commune_id))
    result = []
    for team_id, n, oldest in rows:
        team = teams[team_id]
        amount, missing = estimate(counts[team_id], rates)
        result.append(
            {
                "team": team,
                "village": places.get(team.unit_id) if team.unit_id != team.commune_id else None,
                "commune": places.get(team.commune_id),
                "cases": n,
                "oldest": oldest,
                "amount": amount,
                "missing": missing,
            }
        )
    return result


def scope_summary(clause, rates_for) -> dict:
    """Teams, cases and the estimated amount over the whole scope, in two grouped queries."""
    teams, cases = db.session.execute(
        select(func.count(distinct(LogbookEntry.team_id)), func.count()).where(clause)
    ).one()
    counts = db.session.execute(
        select(LogbookEntry.province_id, LogbookEntry.ended_on, func.count())
        .where(clause)
        .group_by(LogbookEntry.province_id, LogbookEntry.ended_on)
    ).all()
    amount, missing = estimate(counts, rates_for({p for p, _d, _n in counts}))
    return {"teams": teams or 0, "cases": cases or 0, "amount": amount, "missing": missing}


def cached_rates():
    """rates_for(province_ids) that reads each province's rates once per request."""
    cache: dict[int, list[PayRate]] = {}

    def rates_for(ids) -> dict[int, list[PayRate]]:
        wanted = {i for i in ids if i is not None and i not in cache}
        if wanted:
            found = rates_by_province(wanted)
            cache.update({i: found.get(i, []) for i in wanted})
        return cache

    return rates_for


def recent_payments(unit: Unit | None) -> list[RemunerationPayment]:
    stmt = select(RemunerationPayment)
    if unit is not None:
        stmt = stmt.where(placed_under(RemunerationPayment, unit))
    stmt = stmt.order_by(RemunerationPayment.paid_on.desc(), RemunerationPayment.id.desc())
    return list(db.session.scalars(stmt.limit(RECENT_PAYMENTS)))


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
    unit = list_unit(request.args.get("unit"))
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


def priced(entries: list[LogbookEntry], rates: list[PayRate]) -> list[dict]:
    """Each case with the rate in force on the day it ended (None: no rate applies)."""
    return [{"entry": e, "rate": rate_on(rates, e.ended_on)} for e in entries]


def unpaid_of(team: Team) -> tuple[list[LogbookEntry], bool]:
    """The team's unpaid ended cases, the longest waiting first, and whether there are more."""
    stmt = logbook.unpaid_entries_stmt(team.id).limit(MAX_UNPAID + 1)
    entries = list(db.session.scalars(stmt))
    return entries[:MAX_UNPAID], len(entries) > MAX_UNPAID


def team_rates(team: Team) -> list[PayRate]:
    return logbook.pay_rates(team.province_id) if team.province_id else []


def total_of(rows: list[dict]) -> int:
    return sum(row["rate"].amount for row in rows if row["rate"] is not None)


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
        "book_url": optional_url("logbook.team_book", team_id=team.id),
        "excerpt": EXCERPT,
    }


@bp.get("/teams/<int:team_id>/remuneration", endpoint="team_remuneration")
def team_remuneration(team_id: int):
    """A team's ended cases not paid yet, each at its rate, and its past payments; readers
    in scope (keepers also record a payment)."""
    team = load_team(team_id)
    form = PaymentForm(paid_on=today()) if permissions.can_keep(current_user, team) else None
    return render_template("logbook/remuneration/team.html", **team_context(team, form))


@bp.post("/teams/<int:team_id>/remuneration/pay", endpoint="pay")
def pay(team_id: int):
    """Record that the ticked cases were paid (each at the rate in force when it ended);
    keepers in scope. The form's print button comes here too and is sent on to the request."""
    team = load_team(team_id, keep=True)
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
                f"tổng {format_amount(payment.total_amount)} đồng.",
                "success",
            )
            return redirect(url_for("logbook.payment_detail", payment_id=payment.id), 303)
    context = team_context(team, form, selected=set(form.entry_ids()))
    return render_template("logbook/remuneration/team.html", **context), 422


@bp.get("/teams/<int:team_id>/remuneration/request", endpoint="payment_request")
def payment_request(team_id: int):
    """The printable request for payment (giấy đề nghị thanh toán) of the chosen unpaid
    cases (all of them when none is chosen); readers in scope."""
    team = load_team(team_id)
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
    payment = load_payment(payment_id)
    form = CancelPaymentForm() if permissions.can_keep(current_user, payment) else None
    return render_template("logbook/remuneration/payment.html", **payment_context(payment, form))


@bp.post("/payments/<int:payment_id>/cancel", endpoint="payment_cancel")
def payment_cancel(payment_id: int):
    """Cancel a payment recorded by mistake (its cases become unpaid); keepers, after
    ticking the confirmation."""
    payment = load_payment(payment_id, keep=True)
    form = CancelPaymentForm()
    if not form.validate_on_submit():
        context = payment_context(payment, form)
        return render_template("logbook/remuneration/payment.html", **context), 422
    team_id, paid_on = payment.team_id, payment.paid_on
    logbook.cancel_payment(payment)
    db.session.commit()
    flash(f"Đã hủy đợt chi trả ngày {paid_on:%d/%m/%Y}; các vụ việc trở lại chưa chi.", "success")
    return redirect(url_for("logbook.team_remuneration", team_id=team_id), 303)
